package backend_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/demo"
)

// Normalization over a whole trace at the sizes of issue 6: the search row
// (Summarize) and the in-memory search match (MatchTrace), which the file
// backend runs on every loaded trace.
func BenchmarkNormalize(b *testing.B) {
	start := time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC)
	for _, n := range []int{1000, 10_000, 100_000} {
		tr := demo.Generate(n, 1, start)
		b.Run("Summarize/spans="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if s := backend.Summarize(tr); s.SpanCount != n {
					b.Fatalf("SpanCount %d, want %d", s.SpanCount, n)
				}
			}
		})
		// A query no span matches, so every span is looked at.
		q := backend.Query{Service: "payment-service", Operation: "no such operation",
			Tags: []backend.Tag{{Key: "http.status_code", Value: "599"}}}
		b.Run("MatchTrace/spans="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if backend.MatchTrace(tr, q, 0, 0) {
					b.Fatal("matched a query nothing satisfies")
				}
			}
		})
		b.Run("Finish/spans="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for i := range tr.Spans {
					tr.Spans[i].Finish()
				}
			}
		})
	}
}
