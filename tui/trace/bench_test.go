package trace

import (
	"testing"
	"time"

	"github.com/tracetui/tracetui/keymap"
)

// BenchmarkWaterfallKey measures one key press (j) plus the view that
// follows it, at 120×40, with every span unfolded: the cost must follow the
// rows on screen, not the trace size. Budget (issue 4): spans=100000 within
// 1.5× of spans=1000 and under 2 ms.
func BenchmarkWaterfallKey(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run("spans="+itoa(n), func(b *testing.B) {
			tr := genTrace(n, 7)
			m := New(Config{Keys: keymap.DefaultTrace(), Dark: true, BigTrace: n + 1,
				Now: func() time.Time { return now }, Location: time.UTC}, tr)
			m.SetSize(120, 40)
			m = run(b, m, m.Init(), &outcome{})
			if !m.Analysis() || len(m.s.rows) != n {
				b.Fatalf("setup: analysis %v, %d rows", m.Analysis(), len(m.s.rows))
			}
			// Start in the middle so j never hits the bottom; G then g
			// bounds the walk.
			m.s.selectRow(n / 2)
			j, k := keyMsg("j"), keyMsg("k")
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
		})
	}
}

// BenchmarkFold measures folding the selected span in a big trace: the one
// operation allowed to cost O(spans).
func BenchmarkFold(b *testing.B) {
	tr := genTrace(100000, 7)
	m := New(Config{Keys: keymap.DefaultTrace(), BigTrace: 1 << 30}, tr)
	m.SetSize(120, 40)
	m = run(b, m, m.Init(), &outcome{})
	space := keyMsg("space")
	b.ReportAllocs()
	for b.Loop() {
		m, _ = m.Update(space)
	}
}
