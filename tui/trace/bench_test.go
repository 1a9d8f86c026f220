package trace

import (
	"runtime"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/demo"
	"github.com/tracetui/tracetui/keymap"
)

// BenchmarkWaterfallKey measures one key press (j, then k, alternating) plus
// the view that follows it, at 120×40, on the demo's batch-import trace with
// every span unfolded: the cost must follow the rows on screen, not the
// trace size. Budget (issue 4): spans=100000 within 1.5× of spans=1000 and
// under 2 ms.
func BenchmarkWaterfallKey(b *testing.B) {
	for _, n := range []int{1000, 10_000, 100_000} {
		b.Run("spans="+itoa(n), func(b *testing.B) {
			benchKeys(b, demo.Generate(n, 7, time.Unix(0, t0)))
		})
	}
}

// BenchmarkWaterfallKeyScattered is the same on genTrace, whose spans are
// stored far from their tree order (the worst case for memory locality).
func BenchmarkWaterfallKeyScattered(b *testing.B) {
	for _, n := range []int{1000, 10_000, 100_000} {
		b.Run("spans="+itoa(n), func(b *testing.B) {
			benchKeys(b, genTrace(n, 7))
		})
	}
}

func benchKeys(b *testing.B, tr *backend.Trace) {
	n := len(tr.Spans)
	m := New(Config{Keys: keymap.DefaultTrace(), Dark: true, BigTrace: n + 1,
		Now: func() time.Time { return now }, Location: time.UTC}, tr)
	m.SetSize(120, 40)
	m = run(b, m, m.Init(), &outcome{})
	if !m.Analysis() || len(m.s.wf.rows) != n {
		b.Fatalf("setup: analysis %v, %d rows", m.Analysis(), len(m.s.wf.rows))
	}
	// Start in the middle so that j and k never hit an end.
	m.s.wf.selectRow(n / 2)
	j, k := keyMsg("j"), keyMsg("k")
	// Collect the setup's garbage now, not during the loop.
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		msg := j
		if i%2 == 1 {
			msg = k
		}
		m, _ = m.Update(msg)
		_ = m.View()
	}
}

// BenchmarkFold measures folding and unfolding the selected span of a
// 100,000-span trace: the one kind of key allowed to cost O(spans).
func BenchmarkFold(b *testing.B) {
	tr := demo.Generate(100000, 7, time.Unix(0, t0))
	m := New(Config{Keys: keymap.DefaultTrace(), BigTrace: 1 << 30}, tr)
	m.SetSize(120, 40)
	m = run(b, m, m.Init(), &outcome{})
	space := keyMsg("space")
	b.ReportAllocs()
	for b.Loop() {
		m, _ = m.Update(space)
	}
}

// BenchmarkFirstFrame measures what stands between a decoded trace and its
// first waterfall frame (issue 6): the view, the span tree built by Init's
// command, and the first View, at 120×40. Analysis (critical path,
// statistics) runs after that frame and is not part of it.
func BenchmarkFirstFrame(b *testing.B) {
	for _, n := range []int{1000, 10_000, 100_000} {
		b.Run("spans="+itoa(n), func(b *testing.B) {
			tr := demo.Generate(n, 7, time.Unix(0, t0))
			cfg := Config{Keys: keymap.DefaultTrace(), Dark: true, Now: func() time.Time { return now }, Location: time.UTC}
			b.ReportAllocs()
			for b.Loop() {
				m := New(cfg, tr)
				m.SetSize(120, 40)
				m, _ = m.Update(m.Init()())
				if v := m.View(); len(m.s.wf.rows) == 0 || v == "" {
					b.Fatal("no rows after the tree")
				}
			}
		})
	}
}
