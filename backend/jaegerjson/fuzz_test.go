package jaegerjson

import (
	"testing"

	"github.com/tracetui/tracetui/internal/testkit/synth"
)

// FuzzJaegerJSON: any input decodes or fails with a typed error that has a
// position inside the input; what decodes survives an encode/decode trip.
func FuzzJaegerJSON(f *testing.F) {
	synth.SeedFixtures(f, fixtures, "jaeger", "jaeger-ui", "captured/jaeger-v1.42.0", "captured/jaeger-v1.76.0")
	f.Add([]byte(`{"data":[{"traceID":"1","spans":[{"spanID":"2","tags":[{"key":"k","type":"int64","value":"99999999999999999999"}]}]}]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		traces, ok := codec().FuzzDecode(t, in)
		if !ok {
			return
		}
		again := codec().Reencode(t, traces)
		if len(again) != len(traces) {
			t.Fatalf("%d traces became %d", len(traces), len(again))
		}
		for i := range traces {
			if len(again[i].Spans) != len(traces[i].Spans) {
				t.Fatalf("trace %d: %d spans became %d", i, len(traces[i].Spans), len(again[i].Spans))
			}
		}
	})
}
