package present

import (
	"testing"
	"time"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend/demo"
)

// TestCriticalBySpanAddsUp: on generated traces the rows by span add up to
// the path's length, each span appears once, and their shares lie in 0..1.
func TestCriticalBySpanAddsUp(t *testing.T) {
	for _, seed := range []int64{1, 2, 3, 7} {
		a := analysis.Analyze(demo.Generate(2000, seed, time.Unix(1_700_000_000, 0)))
		rows := CriticalBySpan(a.Critical)
		var sum int64
		seen := map[int32]bool{}
		sections := 0
		for k, r := range rows {
			if seen[r.Span] {
				t.Fatalf("seed %d: span %d listed twice", seed, r.Span)
			}
			seen[r.Span] = true
			sum += r.Time
			sections += r.Sections
			if k > 0 && rows[k-1].Time < r.Time {
				t.Fatalf("seed %d: rows not by time, most first", seed)
			}
			if share := float64(r.Time) / float64(a.Critical.Length()); share < 0 || share > 1 {
				t.Fatalf("seed %d: share %v", seed, share)
			}
		}
		if sum != a.Critical.Length() || sections != len(a.Critical.Sections) || len(rows) != len(a.Critical.Spans) {
			t.Errorf("seed %d: rows sum to %d over %d sections and %d spans; the path is %d over %d sections and %d spans",
				seed, sum, sections, len(rows), a.Critical.Length(), len(a.Critical.Sections), len(a.Critical.Spans))
		}
	}
}

// TestServiceSharesAddUp: the self shares of ServiceRows add up to 100% of
// SelfTotal, whatever the sort.
func TestServiceSharesAddUp(t *testing.T) {
	a := analysis.Analyze(demo.Generate(2000, 5, time.Unix(1_700_000_000, 0)))
	for by := BySelf; by <= ByName; by++ {
		var self int64
		var share float64
		for _, s := range ServiceRows(a.Stats.Services, by) {
			self += s.Self
			share += s.SelfFraction
		}
		if self != SelfTotal(a.Stats.Services) || share < 0.999 || share > 1.001 {
			t.Errorf("sort %d: self %d of %d, shares %v", by, self, SelfTotal(a.Stats.Services), share)
		}
	}
}
