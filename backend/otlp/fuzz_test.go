package otlp

import (
	"testing"

	"github.com/tracetui/tracetui/internal/testkit/synth"
)

// FuzzOTLP: any input decodes or fails with a typed error positioned inside
// the input; what decodes survives an encode/decode trip with the same spans.
func FuzzOTLP(f *testing.F) {
	synth.SeedFixtures(f, fixtures, "jaeger", "jaeger/api_v3", "jaeger-ui", "otel-proto", "tempo", "captured/jaeger-v1.42.0", "captured/jaeger-v1.76.0")
	f.Add([]byte(`{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"AA==","spanId":"1","attributes":[{"key":"k","value":{"kvlistValue":{"values":[{"key":"a","value":{"arrayValue":{"values":[{"doubleValue":"Infinity"}]}}}]}}}]}]}]}]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		traces, ok := codec().FuzzDecode(t, in)
		if !ok {
			return
		}
		again := codec().Reencode(t, traces)
		n, m := 0, 0
		for _, tr := range traces {
			n += len(tr.Spans)
		}
		for _, tr := range again {
			m += len(tr.Spans)
		}
		if n != m {
			t.Fatalf("%d spans became %d", n, m)
		}
	})
}
