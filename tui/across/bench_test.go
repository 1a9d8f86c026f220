package across

import (
	"fmt"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/demo"
	"github.com/tracetui/tracetui/internal/testkit/fakebackend"
	"github.com/tracetui/tracetui/internal/testkit/keytest"
)

// benchModel is the screen with 500 traces of about 100 spans analysed
// (distinct demo batch imports of varied sizes, so that the histogram
// spreads), at 120x40.
func benchModel(b *testing.B) Model {
	fb := &fakebackend.Backend{}
	var sums []backend.TraceSummary
	for k := range 500 {
		tr := demo.Generate(60+k%80, int64(k+1), time.Unix(1_800_000_000, 0))
		tr.ID = backend.TraceID(fmt.Sprintf("%032x", k+1))
		for i := range tr.Spans {
			tr.Spans[i].TraceID = tr.ID
		}
		fb.Traces = append(fb.Traces, tr)
		sums = append(sums, backend.TraceSummary{TraceID: tr.ID})
	}
	m := newModel(fb, sums)
	m.SetSize(120, 40)
	m, _ = run(b, m, m.Init())
	if m.Result() == nil || m.Result().Traces != 500 {
		b.Fatal("not analysed")
	}
	return m
}

// BenchmarkAcrossKey: one key press and the view, in each section, with
// 500 traces analysed. What a key costs follows the rows on screen.
func BenchmarkAcrossKey(b *testing.B) {
	m := benchModel(b)
	for _, tab := range []string{"1", "3", "4"} {
		m, _ = m.Update(keytest.Press(tab))
		b.Run("tab"+tab, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				m, _ = m.Update(keytest.Press("j"))
				_ = m.View()
			}
		})
	}
}

// BenchmarkAcrossSelection: a new selection's result (what `<` computes in
// its command) and the screen rebuilt from it, with 500 traces.
func BenchmarkAcrossSelection(b *testing.B) {
	m := benchModel(b)
	b.ReportAllocs()
	for b.Loop() {
		cmd := m.s.askResult()
		m, _ = m.Update(cmd())
		_ = m.View()
	}
}
