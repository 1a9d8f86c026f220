package jaegerjson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"runtime"
	"testing"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/internal/synth"
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

func benchSizes() []int { return []int{1000, 100000} }

func encoded(b *testing.B, n int) []byte {
	var buf bytes.Buffer
	if err := Encode(&buf, []*backend.Trace{synth.Trace(n, 42)}); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func BenchmarkDecode(b *testing.B) {
	for _, n := range benchSizes() {
		data := encoded(b, n)
		b.Run(fmt.Sprintf("format=jaeger/spans=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				traces, err := Decode(bytes.NewReader(data))
				if err != nil || len(traces[0].Spans) != n {
					b.Fatal(err)
				}
			}
			b.ReportMetric(retained(b, data), "heap/json")
		})
	}
}

// retained measures the heap a decoded trace keeps, as a fraction of its
// JSON size (issue 6 wants less than the file).
func retained(b *testing.B, data []byte) float64 {
	b.StopTimer()
	defer b.StartTimer()
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	traces, err := Decode(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&m1)
	runtime.KeepAlive(traces)
	return float64(int64(m1.HeapAlloc)-int64(m0.HeapAlloc)) / float64(len(data))
}

func BenchmarkUnmarshalAny(b *testing.B) {
	for _, n := range benchSizes() {
		data := encoded(b, n)
		b.Run(fmt.Sprintf("format=jaeger/spans=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				var v any
				if err := json.Unmarshal(data, &v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
