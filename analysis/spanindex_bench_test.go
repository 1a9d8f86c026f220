package analysis

import (
	"context"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend/demo"
)

// BenchmarkSpanIndex measures building the search index of the demo's
// batch-import trace (every span with a tag list of its own: the worst
// case, nothing shared by the decoder) and one query over it, against
// SpanQuery.Match, which lower-cases every tag at every query.
func BenchmarkSpanIndex(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		tree := BuildTree(demo.Generate(n, 7, time.Unix(1e9, 0)))
		q, _ := ParseSpanQuery("retry")
		b.Run("build/spans="+itoa(int64(n)), func(b *testing.B) {
			var idx *SpanIndex
			for b.Loop() {
				idx = NewSpanIndex(context.Background(), tree)
			}
			size := 0
			for _, blk := range idx.blocks {
				size += len(blk)
			}
			b.ReportMetric(float64(len(idx.at)), "lists")
			b.ReportMetric(float64(size)/float64(n), "text-B/span")
		})
		idx := NewSpanIndex(context.Background(), tree)
		b.Run("query/spans="+itoa(int64(n)), func(b *testing.B) {
			for b.Loop() {
				m := q.Matcher(idx, nil)
				for i := range tree.Order {
					m.Match(int32(i))
				}
			}
		})
		b.Run("match/spans="+itoa(int64(n)), func(b *testing.B) {
			for b.Loop() {
				q.Match(&Analysis{Tree: tree})
			}
		})
	}
}
