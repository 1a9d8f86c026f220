package jaegerjson

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/testkit/synth"
)

func TestRoundTrip(t *testing.T) {
	in := []*backend.Trace{synth.Trace(500, 1), synth.Trace(3, 2)}
	in[1].Warnings = []string{"trace \"warning\"\n"}
	in[1].Spans[0].Warnings = []string{"w\x01"}
	in[1].Spans[1].Operation = "tab\there \u202e bidi \xff invalid"
	var buf bytes.Buffer
	if err := Encode(&buf, in); err != nil {
		t.Fatal(err)
	}
	if !json.Valid(buf.Bytes()) && bytes.IndexByte(buf.Bytes(), 0xff) < 0 {
		t.Fatal("encoder wrote invalid JSON")
	}
	out, err := Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(in) {
		t.Fatalf("%d traces", len(out))
	}
	for i := range in {
		if in[i].ID != out[i].ID || !reflect.DeepEqual(in[i].Warnings, out[i].Warnings) || len(in[i].Spans) != len(out[i].Spans) {
			t.Fatalf("trace %d: %s %q vs %s %q", i, in[i].ID, in[i].Warnings, out[i].ID, out[i].Warnings)
		}
		for k := range in[i].Spans {
			a, b := in[i].Spans[k], out[i].Spans[k]
			// The encoder adds span.kind for non-internal kinds, as Jaeger does.
			tags := b.Tags
			if kv, ok := b.Tag("span.kind"); ok && kv.Str == a.Kind.String() {
				tags = tags[:len(tags)-1]
			}
			b.Tags = tags
			if len(a.Tags) == 0 {
				a.Tags = nil
			}
			if a.Kind == backend.KindInternal {
				a.Kind = backend.KindUnspecified
			}
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("trace %d span %d:\n in  %+v\n out %+v", i, k, a, b)
			}
		}
	}
}

func benchSizes() []int { return []int{1000, 10_000, 100_000} }

func BenchmarkDecode(b *testing.B) {
	for _, n := range benchSizes() {
		codec().BenchDecode(b, n)
	}
}

func BenchmarkUnmarshalAny(b *testing.B) {
	for _, n := range benchSizes() {
		codec().BenchUnmarshalAny(b, "", n)
	}
}
