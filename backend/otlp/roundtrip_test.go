package otlp

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
	in[1].Spans[0].Warnings = []string{"w\x01", "second"}
	in[1].Spans[1].Operation = "tab\there \u202e bidi"
	in[1].Spans[1].Status = backend.Status{Code: backend.StatusError, Message: "boom"}
	in[1].Spans[1].Tags = append(in[1].Spans[1].Tags,
		backend.KeyValue{Key: "list", Type: backend.TypeJSON, Str: `["a",1,2.5,true,{"k":[]}]`},
		backend.KeyValue{Key: "notjson", Type: backend.TypeJSON, Str: `{broken`})
	in[1].Spans[1].Finish()
	var buf bytes.Buffer
	if err := Encode(&buf, in); err != nil {
		t.Fatal(err)
	}
	if !json.Valid(buf.Bytes()) {
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
		if in[i].ID != out[i].ID || len(in[i].Spans) != len(out[i].Spans) {
			t.Fatalf("trace %d: %s vs %s", i, in[i].ID, out[i].ID)
		}
		// Spans come back grouped by process; match them by ID.
		byID := map[backend.SpanID]backend.Span{}
		for _, s := range out[i].Spans {
			byID[s.SpanID] = s
		}
		for _, a := range in[i].Spans {
			b := byID[a.SpanID]
			if a.SpanID == "" || b.SpanID != a.SpanID {
				t.Fatalf("span %s missing", a.SpanID)
			}
			if kv, ok := b.Tag("notjson"); ok {
				// Not valid JSON: it travels as a string.
				if kv.Type != backend.TypeString || kv.Str != `{broken` {
					t.Errorf("notjson %+v", kv)
				}
				b.Tags[len(b.Tags)-1].Type = backend.TypeJSON
			}
			// The encoder records reference types as the OpenTracing shim does.
			for k := range b.References {
				if at := b.References[k].Attributes; len(at) == 1 && at[0].Key == "opentracing.ref_type" && len(a.References[k].Attributes) == 0 {
					b.References[k].Attributes = nil
				}
			}
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("trace %d span %s:\n in  %+v\n out %+v", i, a.SpanID, a, b)
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
