package across

import (
	"testing"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/testkit/fakebackend"
	"github.com/tracetui/tracetui/internal/testkit/hostile"
)

// Every section of the analysis of the hostile corpus (service and
// operation names, tags, error messages, trace IDs chosen by an attacker)
// draws only cleaned text, at its width.
func TestHostileTracesDrawSafely(t *testing.T) {
	fb := &fakebackend.Backend{}
	var sums []backend.TraceSummary
	for _, c := range hostile.Small() {
		fb.Traces = append(fb.Traces, c.Trace)
		sums = append(sums, backend.TraceSummary{TraceID: c.Trace.ID})
	}
	m := newModel(fb, sums)
	m.s.cfg.Title = "\x1b]8;;http://evil\x07title\x1b]8;;\x07"
	for _, size := range [][2]int{{80, 22}, {200, 48}} {
		m.SetSize(size[0], size[1])
		m, _ = run(t, m, m.Init())
		if m.Result() == nil || m.Result().Traces == 0 {
			t.Fatal("nothing analysed")
		}
		for _, k := range []string{"1", "2", "3", "4", "5", "6", "s", "G", "enter"} {
			m, _ = press(t, m, k)
			v := m.View()
			hostile.AssertSafeStyled(t, v)
			hostile.AssertWidth(t, v, size[0])
			checkView(t, v, size[0], size[1])
		}
	}
}
