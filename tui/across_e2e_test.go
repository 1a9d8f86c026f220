package tui

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/demo"
	"github.com/tracetui/tracetui/tui/list"
)

// Issue 11's flow on the demo: search, A on the list, the analysis of the
// listed traces, another selection, a section, enter on an error origin
// opens its example trace with the span selected, esc comes back to the
// analysis and then to the list.
func TestAnalysisFlow(t *testing.T) {
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
		d.press("enter")
		must("list", "Traces")
		d.press("A")
		if d.screen() != "analysis" {
			t.Fatalf("A opened %s", d.screen())
		}
		must("analysis", "Analysis across traces", "Selected: slowest 10%", "↑p50", "1 operations", "in traces")
		d.press("s", "s")
		must("errors selection", "Selected: with errors")
		d.press("5")
		must("error origins", "error origin", "payment-service POST /v1/charges", "payment declined")
		d.press("enter")
		if d.screen() != "trace view" {
			t.Fatalf("enter opened %s", d.screen())
		}
		// The example span is selected: the failing charge.
		ts := d.m.top().(*traceScreen)
		tr, err := demo.New(testNow).Trace(context.Background(), ts.id, backend.TraceOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if i := ts.m.Selected(); i < 0 || tr.Spans[i].Operation != "POST /v1/charges" || !tr.Spans[i].Error {
			t.Fatalf("selected span %d", i)
		}
		// The example opens with its detail pane, as a pasted span does:
		// the first esc closes the pane, the second goes back.
		d.press("esc", "esc")
		if d.screen() != "analysis" {
			t.Fatalf("esc from the trace led to %s", d.screen())
		}
		must("back in the analysis", "Selected: with errors", "payment declined")
		d.press("esc")
		if d.screen() != "trace list" {
			t.Fatalf("esc from the analysis led to %s", d.screen())
		}
	}
}

// The analysis in Bubble Tea's real event loop: traces arrive while the
// screen draws, and the analysis of all of them is shown.
func TestTeatestAnalysis(t *testing.T) {
	m := NewModel(Options{Backend: demo.New(time.Now()), BackendLabel: "demo", Demo: true})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	waitFor := func(s string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
			return bytes.Contains([]byte(ansi.Strip(string(b))), []byte(s))
		}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	}
	waitFor("Search")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitFor("20 shown")
	tm.Send(tea.KeyPressMsg{Code: 'A', Text: "A"})
	waitFor("operations")
	tm.Send(tea.KeyPressMsg{Code: '3', Text: "3"})
	waitFor("calling context")
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(Model)
	if final.top().name() != "analysis" {
		t.Errorf("final screen %s", final.top().name())
	}
}

// TestAnalysisSearchesMore: + on the analysis raises the search's limit
// (the list's +) and analyses what the wider search returns; at the
// highest limit it says so and stays.
func TestAnalysisSearchesMore(t *testing.T) {
	d := newDriver(t, Options{Backend: demo.New(testNow), BackendLabel: "demo", Demo: true}, 80, 24)
	d.press("enter", "A")
	first := d.m.stack[len(d.m.stack)-2].(*listScreen).m.Limit()
	d.press("+")
	if d.screen() != "analysis" {
		t.Fatalf("+ led to %s", d.screen())
	}
	ls := d.m.stack[len(d.m.stack)-2].(*listScreen)
	if ls.m.Limit() != 2*first {
		t.Fatalf("limit %d after +, want %d", ls.m.Limit(), 2*first)
	}
	if n, want := len(ls.m.Traces()), 20; n <= want {
		t.Fatalf("the wider search listed %d traces; the demo has more than %d", n, want)
	}
	if v := d.view(); !strings.Contains(v, fmtCount(len(ls.m.Traces()))+" traces") {
		t.Fatalf("the analysis is not of the %d traces listed:\n%s", len(ls.m.Traces()), v)
	}
	// Up to the highest limit; then + says so and the analysis stays.
	for k := 0; ls.m.Limit() < list.MaxLimit; k++ {
		if k > 10 {
			t.Fatal("the limit never reached its highest")
		}
		d.press("+")
		ls = d.m.stack[len(d.m.stack)-2].(*listScreen)
	}
	d.press("+")
	if d.screen() != "analysis" || !strings.Contains(d.m.status.Text(), "highest") {
		t.Fatalf("at the highest limit: on %s, status %q", d.screen(), d.m.status.Text())
	}
}

func fmtCount(n int) string { return strconv.Itoa(n) }
