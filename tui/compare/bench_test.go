package compare

import (
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend/demo"
	"github.com/tracetui/tracetui/internal/testkit/keytest"
)

// BenchmarkCompareBuild10000: what the screen's command does with two
// traces of 10,000 spans: analyse both, compare, clean the names (budget:
// 100 ms, the issue's, as BenchmarkDiff10000 in analysis).
func BenchmarkCompareBuild10000(b *testing.B) {
	ta := demo.Generate(10_000, 1, time.Unix(1_800_000_000, 0))
	tb := demo.Generate(10_000, 2, time.Unix(1_800_000_000, 0))
	b.ReportAllocs()
	for b.Loop() {
		_ = buildResult(ta, tb)
	}
}

// BenchmarkCompareKey10000: one key and one frame at 200x50 on the
// comparison of two 10,000-span traces: ] (which scans the contexts), a
// move, a fold (budget: 2 ms, the waterfall's per key).
func BenchmarkCompareKey10000(b *testing.B) {
	ta := demo.Generate(10_000, 1, time.Unix(1_800_000_000, 0))
	tb := demo.Generate(10_000, 2, time.Unix(1_800_000_000, 0))
	m := New(Config{A: Side{ID: ta.ID, Trace: ta}, B: Side{ID: tb.ID, Trace: tb}})
	m.SetSize(200, 50)
	m.s.phase, m.s.res = ready, buildResult(ta, tb)
	m.s.view = newTreeView(m.s.res)
	keys := []string{"]", "j", "space", "space", "[", "k"}
	b.ReportAllocs()
	k := 0
	for b.Loop() {
		m, _ = m.Update(keytest.Press(keys[k%len(keys)]))
		_ = m.View()
		k++
	}
}
