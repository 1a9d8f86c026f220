package trace

import (
	"runtime"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/tracetui/tracetui/backend/demo"
	"github.com/tracetui/tracetui/keymap"
)

// Issue 15's keys at a million spans: every key, the in-trace search
// included, within two frames (33 ms). The setup (generating and analysing
// the trace) is outside the timed loop; run with -benchtime=3x at 1M, the
// setup takes seconds.

// bigModel is the demo's batch-import trace of n spans, analysed, opened as
// a user sees it (folded below three levels) at 120×40.
func bigModel(b *testing.B, n int) Model {
	b.Helper()
	tr := demo.Generate(n, 7, time.Unix(0, t0))
	m := New(Config{Keys: keymap.DefaultTrace(), Dark: true,
		Now: func() time.Time { return now }, Location: time.UTC}, tr)
	m.SetSize(120, 40)
	m = run(b, m, m.Init(), &outcome{})
	if !m.Analysis() {
		b.Fatal("setup: no analysis")
	}
	runtime.GC()
	return m
}

func bigSizes() []int { return []int{100_000, 1_000_000} }

// BenchmarkSearchKeys measures the Bubble Tea loop's part of typing
// "/retry": each key's Update and the View after it, with the search
// commands left to run elsewhere (as they do in a terminal). ms/key is the
// slowest key of the six.
func BenchmarkSearchKeys(b *testing.B) {
	for _, n := range bigSizes() {
		b.Run("spans="+itoa(n), func(b *testing.B) {
			m := bigModel(b, n)
			var worst time.Duration
			for b.Loop() {
				m, _ = m.Update(keyMsg("esc"))
				for _, k := range []string{"/", "r", "e", "t", "r", "y"} {
					t := time.Now()
					m, _ = m.Update(keyMsg(k))
					_ = m.View()
					worst = max(worst, time.Since(t))
				}
			}
			b.ReportMetric(float64(worst.Microseconds())/1000, "ms/key")
		})
	}
}

// BenchmarkSearchCount measures typing "/retry" until the count is shown:
// the keys, then every command they started (the older searches are
// canceled by the newer ones and must cost little). The search index is
// built in the setup, as "/" starts building it while the user types;
// analysis.BenchmarkSpanIndex measures that build.
func BenchmarkSearchCount(b *testing.B) {
	for _, n := range bigSizes() {
		b.Run("spans="+itoa(n), func(b *testing.B) {
			m := bigModel(b, n)
			o := &outcome{}
			m = press(b, m, o, "/", "esc")
			cpu := cpuTime()
			for b.Loop() {
				m, _ = m.Update(keyMsg("esc"))
				var cmds []tea.Cmd
				for _, k := range []string{"/", "r", "e", "t", "r", "y"} {
					var cmd tea.Cmd
					m, cmd = m.Update(keyMsg(k))
					cmds = append(cmds, cmd)
				}
				m = run(b, m, tea.Batch(cmds...), o)
				if m.s.box.res == nil || m.s.box.res.err != "" {
					b.Fatal("no count after the search")
				}
			}
			reportCPU(b, cpu)
		})
	}
}

// BenchmarkBigKeys measures x (errors only, on and off), C (critical path
// only, on and off), c (critical path pane, open and close), 0 (expand
// all, then 3 to fold again) and n (next match of "declined", on the error spans) with the view
// after each.
func BenchmarkBigKeys(b *testing.B) {
	for _, n := range bigSizes() {
		for _, keys := range [][]string{{"x"}, {"C"}, {"c"}, {"0", "3"}, {"n"}} {
			b.Run("spans="+itoa(n)+"/key="+keys[0], func(b *testing.B) {
				m := bigModel(b, n)
				if keys[0] == "n" {
					m = press(b, m, &outcome{}, "/", "d", "e", "c", "l", "i", "n", "e", "d", "enter")
					if len(m.s.box.res.order) == 0 {
						b.Fatal("setup: no match for declined")
					}
				}
				o := &outcome{}
				cpu := cpuTime()
				for i := 0; b.Loop(); i++ {
					k := keys[i%len(keys)]
					var cmd tea.Cmd
					m, cmd = m.Update(keyMsg(k))
					m = run(b, m, cmd, o)
					_ = m.View()
				}
				reportCPU(b, cpu)
			})
		}
	}
}

// reportCPU reports the CPU time per iteration since start (garbage
// collection included) as cpu-ms/op.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64((cpuTime()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// BenchmarkFirstFrameBig is BenchmarkFirstFrame at a million spans: from
// a decoded trace to the first waterfall frame (the span tree and the
// per-span tables the rows draw from, then one View).
func BenchmarkFirstFrameBig(b *testing.B) {
	tr := demo.Generate(1_000_000, 7, time.Unix(0, t0))
	cfg := Config{Keys: keymap.DefaultTrace(), Dark: true, Now: func() time.Time { return now }, Location: time.UTC}
	runtime.GC()
	cpu := cpuTime()
	for b.Loop() {
		m := New(cfg, tr)
		m.SetSize(120, 40)
		m, _ = m.Update(m.Init()())
		if v := m.View(); len(m.s.wf.rows) == 0 || v == "" {
			b.Fatal("no rows after the tree")
		}
	}
	reportCPU(b, cpu)
}
