package tui

import (
	"bytes"
	"cmp"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/demo"
	"github.com/tracetui/tracetui/tui/compare"
)

// checkouts are the list's checkout traces in display order.
func checkouts(t *testing.T, d *driver) []backend.TraceSummary {
	t.Helper()
	ls, ok := d.m.top().(*listScreen)
	if !ok {
		t.Fatalf("top is %s", d.screen())
	}
	var out []backend.TraceSummary
	for _, s := range ls.m.Traces() {
		if s.RootOperation == "POST /api/checkout" {
			out = append(out, s)
		}
	}
	return out
}

// moveTo puts the list's cursor on trace id.
func moveTo(t *testing.T, d *driver, id backend.TraceID) {
	t.Helper()
	d.press("g")
	for range 40 {
		if s, _ := d.m.top().(*listScreen).m.Selected(); s.TraceID == id {
			return
		}
		d.press("j")
	}
	t.Fatalf("no row %s", id)
}

// The flow on the demo: mark a trace, D on another, ] to the
// first slower context, enter opens its span in trace A, b in trace B,
// back returns to the comparison, and out to the list.
func TestCompareFlow(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {200, 50}} {
		d := newDriver(t, Options{Backend: demo.New(testNow), BackendLabel: "demo", Demo: true}, size[0], size[1])
		d.press("enter")
		cs := checkouts(t, d)
		if len(cs) < 3 {
			t.Fatalf("the demo has %d checkouts", len(cs))
		}
		moveTo(t, d, cs[0].TraceID)
		d.press("space")
		if !strings.Contains(d.view(), "◆") {
			t.Fatalf("no mark:\n%s", d.view())
		}
		moveTo(t, d, cs[1].TraceID)
		d.press("D")
		if d.screen() != "comparison" {
			t.Fatalf("D opened %s", d.screen())
		}
		v := d.view()
		for _, want := range []string{"Compare", "A " + cs[0].TraceID.Short()[:8], "B ", "contexts", "dur A"} {
			if !strings.Contains(v, want) {
				t.Fatalf("%v: comparison lacks %q:\n%s", size, want, v)
			}
		}
		cm := d.m.top().(*compareScreen).m
		c := cm.Comparison()
		if c.Side[0].ID != cs[0].TraceID || c.Side[1].ID != cs[1].TraceID {
			t.Fatalf("compared %s with %s", c.Side[0].ID, c.Side[1].ID)
		}
		// The cursor starts on the root, which got slower too: ] goes to
		// the second slower context.
		d.press("]")
		n := d.m.top().(*compareScreen).m.Selected()
		if c.Change(n).String() != "slower" || !strings.Contains(d.view(), "slower 2/") {
			t.Fatalf("] went to %v (%s):\n%s", c.Tree.Path(n), c.Change(n), d.view())
		}
		d.press("enter")
		if d.screen() != "trace view" {
			t.Fatalf("enter opened %s", d.screen())
		}
		ts := d.m.top().(*traceScreen)
		if ts.id != cs[0].TraceID || ts.m.Selected() != int(c.Span(0, n)) {
			t.Fatalf("enter opened trace %s span %d, want A's span %d", ts.id, ts.m.Selected(), c.Span(0, n))
		}
		// The span opens with its detail pane, as a pasted span does: the
		// first esc closes the pane, the second goes back.
		d.press("esc", "esc")
		if d.screen() != "comparison" {
			t.Fatalf("back from the span: %s", d.screen())
		}
		d.press("b")
		if ts := d.m.top().(*traceScreen); ts.id != cs[1].TraceID || ts.m.Selected() != int(c.Span(1, n)) {
			t.Fatalf("b opened trace %s span %d, want B's span %d", ts.id, ts.m.Selected(), c.Span(1, n))
		}
		d.press("esc", "esc", "esc")
		if d.screen() != "trace list" {
			t.Fatalf("esc esc: %s", d.screen())
		}
	}
}

// D in a trace view compares it (B) with the median-duration trace of the
// same root operation in the search result (A), never itself.
func TestCompareTypical(t *testing.T) {
	d := newDriver(t, Options{Backend: demo.New(testNow), BackendLabel: "demo", Demo: true}, 80, 24)
	d.press("enter")
	cs := checkouts(t, d)
	self := cs[0]
	moveTo(t, d, self.TraceID)
	d.press("enter")
	if d.screen() != "trace view" {
		t.Fatalf("enter: %s", d.screen())
	}
	d.press("D")
	if d.screen() != "comparison" {
		t.Fatalf("D in the trace view opened %s", d.screen())
	}
	others := slices.DeleteFunc(slices.Clone(cs), func(s backend.TraceSummary) bool { return s.TraceID == self.TraceID })
	slices.SortFunc(others, func(x, y backend.TraceSummary) int {
		return cmp.Or(cmp.Compare(x.Duration, y.Duration), cmp.Compare(x.TraceID, y.TraceID))
	})
	want := others[(len(others)-1)/2]
	c := d.m.top().(*compareScreen).m.Comparison()
	if c == nil || c.Side[0].ID != want.TraceID || c.Side[1].ID != self.TraceID {
		t.Fatalf("compared %v, want A the median %s and B %s", c, want.TraceID, self.TraceID)
	}
	if v := d.view(); !strings.Contains(v, "median") {
		t.Errorf("the header should say A is the median:\n%s", v)
	}
	// B's own trace was not fetched again: it is the trace view's.
	d.press("esc")
	if d.screen() != "trace view" {
		t.Fatalf("esc: %s", d.screen())
	}

	// A trace opened by ID, with no search below it: the box asks for A.
	d = newDriver(t, Options{Backend: demo.New(testNow), BackendLabel: "demo", Demo: true}, 80, 24)
	d.press("ctrl+t")
	d.typeText(string(demo.CheckoutTraceID))
	d.press("enter")
	d.press("D")
	if d.screen() != "comparison" || !d.m.top().capturing() {
		t.Fatalf("D with no search: %s, capturing %v", d.screen(), d.m.top().capturing())
	}
	if v := d.view(); !strings.Contains(v, "no search result") || !strings.Contains(v, "Trace A:") {
		t.Errorf("the box should say why it asks:\n%s", v)
	}
	d.typeText(string(cs[1].TraceID))
	d.press("enter")
	cm := d.m.top().(*compareScreen).m
	if !cm.Ready() || cm.Comparison().Side[0].ID != cs[1].TraceID {
		t.Fatalf("the typed trace A was not compared:\n%s", d.view())
	}
	_ = compare.BackMsg{}
}

// The flow in Bubble Tea's real event loop: mark, D, ], enter; the
// frames come out of the program as a terminal would get them.
func TestCompareTeatest(t *testing.T) {
	m := NewModel(Options{Backend: demo.New(time.Now()), BackendLabel: "demo", Demo: true})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	waitFor := func(s string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
			return bytes.Contains([]byte(ansi.Strip(string(b))), []byte(s))
		}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	}
	key := func(k tea.KeyPressMsg) { tm.Send(k) }
	waitFor("Search")
	key(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitFor("20 shown")
	key(tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
	waitFor("marked ")
	key(tea.KeyPressMsg{Code: 'j', Text: "j"})
	key(tea.KeyPressMsg{Code: 'j', Text: "j"})
	key(tea.KeyPressMsg{Code: 'j', Text: "j"})
	key(tea.KeyPressMsg{Code: 'D', Text: "D"})
	waitFor("dur A")
	key(tea.KeyPressMsg{Code: ']', Text: "]"})
	waitFor("slower")
	key(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitFor("Span detail")                    // the trace view, the span's detail open
	key(tea.KeyPressMsg{Code: tea.KeyEscape}) // closes the detail
	key(tea.KeyPressMsg{Code: tea.KeyEscape})
	waitFor("dur A") // the comparison again
	key(tea.KeyPressMsg{Code: 'q', Text: "q"})
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(Model)
	if final.top().name() != "comparison" {
		t.Errorf("esc from the span should return to the comparison, on %s", final.top().name())
	}
}
