package otlp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
)

// The 10,000-span size beside BenchmarkDecode's 1,000 and 100,000 (issue 6
// asks for decode at 1k, 10k and 100k), with json.Unmarshal into any as the
// yardstick on the same bytes.
func BenchmarkDecode10k(b *testing.B) {
	const n = 10_000
	data := encoded(b, n)
	b.Run(fmt.Sprintf("format=otlp/spans=%d", n), func(b *testing.B) {
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
	b.Run(fmt.Sprintf("unmarshal-any/format=otlp/spans=%d", n), func(b *testing.B) {
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
