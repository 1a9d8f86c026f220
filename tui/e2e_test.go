package tui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/tracetui/tracetui/backend/demo"
)

// The flow on the embedded demo: search, open a trace, span detail
// with tags and logs, the critical path pane and a jump along it, the
// service pane, the error origin, and back out.
func TestDemoFlow(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {200, 50}} {
		d := newDriver(t, Options{Backend: demo.New(testNow), BackendLabel: "demo", Demo: true}, size[0], size[1])
		must := func(what string, want ...string) string {
			t.Helper()
			v := d.view()
			for _, w := range want {
				if !strings.Contains(v, w) {
					t.Fatalf("%dx%d %s: view lacks %q:\n%s", size[0], size[1], what, w, v)
				}
			}
			return v
		}
		must("search", "Search traces", "Demo data", "api-gateway")
		d.press("enter")
		must("list", "Traces", "POST /api/check")
		d.press("/")
		d.typeText("login")
		if v := must("quick filter", "POST /api/login"); strings.Contains(v, "/api/check") {
			t.Errorf("the filter kept checkouts:\n%s", v)
		}
		d.press("esc")
		// The declined checkout, found by its correlation ID.
		d.press("ctrl+t")
		d.typeText(demo.ErrorCorrelationID)
		d.press("enter")
		if d.screen() != "trace view" {
			t.Fatalf("correlation lookup opened %s", d.screen())
		}
		must("trace", "POST /api/check", "errors")
		d.press("e")
		must("error origin", "error origin")
		d.press("d")
		if size[1] >= 50 {
			// The detail of the failing charge: its tags and the baggage.
			must("detail", "Span detail", "Tags (", "payment.decline_code", "Baggage")
		} else {
			must("detail", "Span detail", "service", "operation")
		}
		d.press("c")
		must("critical path pane", "Critical path")
		d.press("]")
		must("next critical span", "critical span")
		d.press("s")
		must("service pane", "api-gateway")
		// esc closes what is open, then leaves the trace, the list and
		// stops at the form.
		for range 10 {
			if d.screen() == "search" {
				break
			}
			d.press("esc")
		}
		if d.screen() != "search" {
			t.Fatalf("esc did not lead back to the form: %s", d.screen())
		}
	}
}

// The same program in Bubble Tea's real event loop: keys go in as input
// and the rendered frames come out.
func TestTeatestSmoke(t *testing.T) {
	m := NewModel(Options{Backend: demo.New(time.Now()), BackendLabel: "demo", Demo: true})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30))
	waitFor := func(s string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
			return bytes.Contains([]byte(ansi.Strip(string(b))), []byte(s))
		}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	}
	waitFor("Search")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitFor("20 shown") // the count shows once the rows are in ("Search traces" must not match)
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitFor("depth") // in the trace header; the list never prints it
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(Model)
	if final.top().name() != "trace view" {
		t.Errorf("final screen %s", final.top().name())
	}
}

// The flow in Bubble Tea's real event loop at 80x24: a traceparent
// header line pasted into the lookup box on the demo lands on its span,
// with the span's detail shown.
func TestTeatestPasteTraceparent(t *testing.T) {
	b := demo.New(time.Now())
	tid, sid := demoSpan(t, b)
	m := NewModel(Options{Backend: b, BackendLabel: "demo", Demo: true})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	waitFor := func(s string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
			return bytes.Contains([]byte(ansi.Strip(string(b))), []byte(s))
		}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	}
	waitFor("Search")
	tm.Send(tea.KeyPressMsg{Code: ':', Text: ":"})
	tm.Send(tea.PasteMsg{Content: "traceparent: 00-" + string(tid) + "-" + string(sid) + "-01\r\n"})
	waitFor("traceparent → trace")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitFor("Span detail")
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(Model)
	s, ok := final.top().(*traceScreen)
	if !ok {
		t.Fatalf("final screen %s", final.top().name())
	}
	if i := s.m.Selected(); i < 0 || s.m.Trace().Spans[i].SpanID != sid {
		t.Fatalf("selected span %d, want %s", i, sid)
	}
}
