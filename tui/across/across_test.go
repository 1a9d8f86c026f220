package across

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/demo"
	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/internal/testkit/fakebackend"
	"github.com/tracetui/tracetui/internal/testkit/keytest"
	"github.com/tracetui/tracetui/keymap"
	"github.com/tracetui/tracetui/tui/internal/shell"
)

var testNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// demoTraces are the demo's 20 traces of the last hour, the fixed set
// every test analyses, with the backend that serves them.
func demoTraces(t *testing.T) (backend.Backend, []backend.TraceSummary) {
	t.Helper()
	b := demo.New(testNow)
	sums, err := b.Search(context.Background(), backend.Query{Limit: 100, Start: testNow.Add(-time.Hour), End: testNow})
	if err != nil || len(sums) < 10 {
		t.Fatalf("demo search: %d traces, %v", len(sums), err)
	}
	return b, sums
}

func newModel(b backend.Backend, sums []backend.TraceSummary) Model {
	return New(Config{
		Keys: keymap.DefaultAcross(), Styles: style.New(true), Backend: b, Traces: sums,
		Title: "all services · last 1h", Now: func() time.Time { return testNow },
	})
}

// run executes commands as Bubble Tea would, synchronously, feeding their
// messages back; it returns the messages meant for the root.
func run(t testing.TB, m Model, cmd tea.Cmd) (Model, []tea.Msg) {
	t.Helper()
	var out []tea.Msg
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 10000 {
			t.Fatal("commands never settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case fetchedMsg, resultMsg:
			var next tea.Cmd
			m, next = m.Update(msg)
			queue = append(queue, next)
		default:
			out = append(out, msg)
		}
	}
	return m, out
}

func press(t *testing.T, m Model, keys ...string) (Model, []tea.Msg) {
	t.Helper()
	var out []tea.Msg
	for _, k := range keys {
		var cmd tea.Cmd
		m, cmd = m.Update(keytest.Press(k))
		var msgs []tea.Msg
		m, msgs = run(t, m, cmd)
		out = append(out, msgs...)
	}
	return m, out
}

// loaded is the analysis of the demo's traces, every trace in.
func loaded(t *testing.T, w, h int) Model {
	t.Helper()
	b, sums := demoTraces(t)
	m := newModel(b, sums)
	m.SetSize(w, h)
	m, _ = run(t, m, m.Init())
	if m.Loading() || m.Result() == nil || m.Result().Traces != len(sums) {
		t.Fatalf("not loaded: loading %v, result %v", m.Loading(), m.Result() != nil)
	}
	return m
}

// direct is the analysis of the same traces without the screen.
func direct(t *testing.T) *analysis.Across {
	t.Helper()
	b, sums := demoTraces(t)
	x := analysis.NewAcross()
	for _, s := range sums {
		tr, err := b.Trace(context.Background(), s.TraceID, backend.TraceOptions{})
		if err != nil {
			t.Fatal(err)
		}
		x.Add(tr)
	}
	return x
}

func ids(infos []analysis.TraceInfo) []backend.TraceID {
	out := make([]backend.TraceID, len(infos))
	for i, t := range infos {
		out[i] = t.ID
	}
	return out
}

func checkView(t *testing.T, v string, w, h int) {
	t.Helper()
	lines := strings.Split(v, "\n")
	if len(lines) != h {
		t.Errorf("%dx%d: %d lines", w, h, len(lines))
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw != w {
			t.Errorf("%dx%d: line %d has width %d: %q", w, h, i, lw, ansi.Strip(l))
		}
	}
}

func TestLoadsEveryTraceAsTheAnalysisDoes(t *testing.T) {
	m := loaded(t, 80, 22)
	want := direct(t).Result(analysis.DefaultSelection())
	got := m.Result()
	if !slices.Equal(ids(got.Selected), ids(want.Selected)) || !slices.Equal(ids(got.Baseline), ids(want.Baseline)) {
		t.Fatalf("split differs: %v | %v", ids(got.Selected), ids(want.Selected))
	}
	if len(got.Operations) != len(want.Operations) || got.Operations[0] != want.Operations[0] {
		t.Fatalf("operations differ: %+v vs %+v", got.Operations[0], want.Operations[0])
	}
	p := m.s.progress
	if p.done != p.total || p.failed != 0 || p.total != got.Traces {
		t.Fatalf("progress %+v", p)
	}
	// The first row of the operations table is the analysis's first.
	v := ansi.Strip(m.View())
	if !strings.Contains(v, want.Operations[0].Service+" "+want.Operations[0].Operation) {
		t.Fatalf("view lacks the top operation:\n%s", v)
	}
}

// The selection chosen with the keyboard is one ParseSelection reads back
// to the same selection, and splits the traces as the analysis does for it.
func TestSelectionKeysEqualParseSelection(t *testing.T) {
	m := loaded(t, 80, 22)
	x := direct(t)
	kinds := map[analysis.SelectKind]bool{}
	for _, k := range []string{"<", "<", ">", ">", ">", "s", "<", "<", ">", "s", "s", "<", "}", "{", "{", ">", "s", ","} {
		m, _ = press(t, m, k)
		sel := m.Selection()
		kinds[sel.Kind] = true
		p, err := analysis.ParseSelection(sel.String())
		if err != nil || p != sel {
			t.Fatalf("after %q: %+v reads back as %+v, %v", k, sel, p, err)
		}
		want := x.Result(p)
		got := m.Result()
		if got.Selection != sel || !slices.Equal(ids(got.Selected), ids(want.Selected)) {
			t.Fatalf("after %q (%s): selected %v, want %v", k, sel, ids(got.Selected), ids(want.Selected))
		}
		if len(got.Selected)+len(got.Baseline) != got.Traces {
			t.Fatalf("groups do not add up: %d+%d != %d", len(got.Selected), len(got.Baseline), got.Traces)
		}
	}
	if len(kinds) != 4 {
		t.Fatalf("s visited %d kinds of selection", len(kinds))
	}
}

func TestSelectionSteps(t *testing.T) {
	m := loaded(t, 80, 22)
	m, msgs := press(t, m, "<")
	if s := m.Selection(); s.Kind != analysis.SelectSlowest || s.Percent != 15 {
		t.Fatalf("< from slowest 10%%: %+v", s)
	}
	if len(msgs) != 1 || !strings.Contains(fmt.Sprint(msgs[0]), "slowest:15%") {
		t.Fatalf("status %v", msgs)
	}
	m, _ = press(t, m, ">", ">")
	if s := m.Selection(); s.Percent != 5 {
		t.Fatalf("> >: %+v", s)
	}
	m, _ = press(t, m, "s")
	over := m.Selection()
	if over.Kind != analysis.SelectOver || over.Min > m.Result().Latency.P90 {
		t.Fatalf("over starts at p90's bucket: %+v, p90 %d", over, m.Result().Latency.P90)
	}
	m, _ = press(t, m, ">")
	if s := m.Selection(); s.Min <= over.Min || !slices.Contains(m.s.edges(), s.Min) {
		t.Fatalf("> moves the threshold to the next bucket edge: %+v from %+v", s, over)
	}
	m, _ = press(t, m, "s")
	if s := m.Selection(); s.Kind != analysis.SelectErrors || m.Result().ErrorTraces[base] != 0 {
		t.Fatalf("errors: %+v, %d baseline traces with errors", s, m.Result().ErrorTraces[base])
	}
	m, _ = press(t, m, "s")
	r := m.Selection()
	m, _ = press(t, m, "{")
	if s := m.Selection(); s.Kind != analysis.SelectRange || s.Max >= r.Max || s.Min != r.Min {
		t.Fatalf("{ moves the range's end left: %+v from %+v", s, r)
	}
	for range 100 {
		m, _ = press(t, m, "{", "<")
	}
	if s := m.Selection(); s.Min >= s.Max {
		t.Fatalf("the range's ends crossed: %+v", s)
	}
	m, _ = press(t, m, "s")
	if s := m.Selection(); s.Kind != analysis.SelectSlowest || s.Percent != 5 {
		t.Fatalf("back to slowest keeps its percentage: %+v", s)
	}
}

func TestTabsSortAndMove(t *testing.T) {
	m := loaded(t, 80, 22)
	for k, want := range map[string]tab{"tab": tabServices, "shift+tab": tabOperations, "3": tabContexts, "6": tabBottlenecks, "1": tabOperations} {
		m.s.tab = tabOperations
		if k == "shift+tab" {
			m.s.tab = tabServices
		}
		m, _ = press(t, m, k)
		if m.s.tab != want {
			t.Errorf("%s: tab %v, want %v", k, m.s.tab, want)
		}
	}
	m.s.tab = tabOperations
	before := m.s.tables[tabOperations].SortBy
	m, _ = press(t, m, "o")
	if m.s.tables[tabOperations].SortBy == before {
		t.Error("o did not change the sort column")
	}
	m, _ = press(t, m, "j", "j")
	if c := m.s.tables[tabOperations].Win.Cursor; c != 2 {
		t.Errorf("j j: cursor %d", c)
	}
	m, _ = press(t, m, "G")
	if c := m.s.tables[tabOperations].Win.Cursor; c != m.s.tables[tabOperations].Len()-1 {
		t.Errorf("G: cursor %d of %d", c, m.s.tables[tabOperations].Len())
	}
}

func TestEnterOpensTheRowsExample(t *testing.T) {
	m := loaded(t, 80, 22)
	m, _ = press(t, m, "5")
	_, msgs := press(t, m, "enter")
	want := m.Result().ErrorOrigins[0].Example
	if len(msgs) != 1 || msgs[0] != (OpenMsg{TraceID: want.Trace, SpanID: want.Span}) {
		t.Fatalf("enter on the first error origin: %v, want %+v", msgs, want)
	}
	// The calling-context tree opens the node's example in the selection.
	m, _ = press(t, m, "3")
	_, msgs = press(t, m, "enter")
	root := m.Result().Tree.Nodes[m.s.tree.rows[0]]
	if len(msgs) != 1 || msgs[0] != (OpenMsg{TraceID: root.Example[sel].Trace, SpanID: root.Example[sel].Span}) {
		t.Fatalf("enter on the first context: %v", msgs)
	}
}

func TestTreeFoldsWithTheWaterfallsKeys(t *testing.T) {
	m := loaded(t, 80, 22)
	m, _ = press(t, m, "3")
	n := len(m.s.tree.rows)
	m, _ = press(t, m, "left")
	if len(m.s.tree.rows) >= n {
		t.Fatalf("left did not fold the first context: %d rows, was %d", len(m.s.tree.rows), n)
	}
	m, _ = press(t, m, "right")
	if len(m.s.tree.rows) != n {
		t.Fatalf("right did not unfold: %d rows, want %d", len(m.s.tree.rows), n)
	}
	m, _ = press(t, m, "right")
	if m.s.tree.win.Cursor != 1 {
		t.Fatalf("right on an open context goes to its child: cursor %d", m.s.tree.win.Cursor)
	}
	m, _ = press(t, m, "left", "left")
	if m.s.tree.win.Cursor != 0 {
		t.Fatalf("left on a folded context goes to its parent: cursor %d", m.s.tree.win.Cursor)
	}
	m, _ = press(t, m, "right", "right", "k")
	if len(m.s.tree.rows) != n || m.s.tree.win.Cursor != 0 {
		t.Fatalf("unfolded again: %d rows (want %d), cursor %d", len(m.s.tree.rows), n, m.s.tree.win.Cursor)
	}
	m, _ = press(t, m, "space")
	if len(m.s.tree.rows) >= n {
		t.Fatal("space did not fold")
	}
	m, _ = press(t, m, "space")
	if len(m.s.tree.rows) != n {
		t.Fatal("space did not unfold")
	}
	// Every visible row is a context with critical-path time, each once.
	seen := map[int32]bool{}
	for _, r := range m.s.tree.rows {
		if seen[r] || !m.s.tree.shown(r) {
			t.Fatalf("row %d shown twice or without time", r)
		}
		seen[r] = true
	}
}

// esc while fetching cancels the requests in flight and leaves; the fetch
// goroutine ends and its late messages are dropped.
func TestEscCancelsTheFetch(t *testing.T) {
	_, sums := demoTraces(t)
	fb := &fakebackend.Backend{Block: make(chan struct{}), Started: make(chan string, 100)}
	reqs := shell.NewRequests(&shell.Seq{})
	m := New(Config{Keys: keymap.DefaultAcross(), Backend: fb, Traces: sums, Requests: reqs})
	m.SetSize(80, 22)
	cmd := m.Init()
	<-fb.Started
	zero := fmt.Sprintf("0/%d traces", len(sums))
	if busy, label := m.Busy(); !busy || !strings.Contains(label, zero) {
		t.Fatalf("busy %v %q", busy, label)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, zero) {
		t.Fatalf("no progress shown:\n%s", v)
	}
	m, msgs := press(t, m, "esc")
	if len(msgs) != 1 || msgs[0] != (BackMsg{}) {
		t.Fatalf("esc: %v", msgs)
	}
	if busy, _ := reqs.Busy(); busy {
		t.Fatal("the fetch is still tracked")
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	select {
	case msg := <-done:
		before := m.s.progress
		m, _ = m.Update(msg)
		if m.s.progress.done != before.done || m.Loading() {
			t.Fatalf("a late message after esc changed the screen: %+v", m.s.progress)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the fetch did not end after esc")
	}
	if n := len(fb.Calls()); n > 4 {
		t.Fatalf("%d traces asked for, want at most 4 at once", n)
	}
}

// A trace that cannot be fetched is counted and named; the others are
// analysed.
func TestFailedTracesAreCountedAndNamed(t *testing.T) {
	d, sums := demoTraces(t)
	fb := &fakebackend.Backend{}
	var missing []backend.TraceID
	for i, s := range sums {
		if i%7 == 3 {
			missing = append(missing, s.TraceID)
			continue
		}
		tr, _ := d.Trace(context.Background(), s.TraceID, backend.TraceOptions{})
		fb.Traces = append(fb.Traces, tr)
	}
	m := newModel(fb, sums)
	m.SetSize(80, 22)
	m, msgs := run(t, m, m.Init())
	if m.Result().Traces != len(sums)-len(missing) || m.s.progress.failed != len(missing) {
		t.Fatalf("analysed %d, failed %d, want %d and %d", m.Result().Traces, m.s.progress.failed, len(sums)-len(missing), len(missing))
	}
	status := fmt.Sprint(msgs)
	if !strings.Contains(status, fmt.Sprintf("%d of %d traces could not be fetched", len(missing), len(sums))) ||
		!strings.Contains(status, missing[0].Short()) {
		t.Fatalf("status %s", status)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, fmt.Sprintf("✗%d not fetched", len(missing))) {
		t.Fatalf("view:\n%s", v)
	}
}

// A result asked for an older selection is dropped when a newer one was
// asked for.
func TestStaleResultDropped(t *testing.T) {
	m := loaded(t, 80, 22)
	m, cmd := m.Update(keytest.Press("<"))
	old := findResult(t, cmd)
	m, cmd = m.Update(keytest.Press("<"))
	newer := findResult(t, cmd)
	m, _ = m.Update(old)
	if m.Result().Selection.Percent == 15 {
		t.Fatal("the older selection's result was shown")
	}
	m, _ = m.Update(newer)
	if m.Result().Selection.Percent != 20 {
		t.Fatalf("result for %s", m.Result().Selection)
	}
}

func findResult(t *testing.T, cmd tea.Cmd) resultMsg {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case resultMsg:
			return msg
		}
	}
	t.Fatal("no result asked for")
	return resultMsg{}
}

func TestViewFitsEverySize(t *testing.T) {
	for _, size := range [][2]int{{80, 22}, {200, 48}, {40, 10}, {20, 5}, {120, 30}} {
		m := loaded(t, size[0], size[1])
		for _, k := range []string{"1", "2", "3", "4", "5", "6", "s", "s", "s"} {
			m, _ = press(t, m, k)
			checkView(t, m.View(), size[0], size[1])
		}
	}
	// Before anything arrived, and with nothing to analyse.
	m := newModel(nil, nil)
	m.SetSize(80, 22)
	m, _ = run(t, m, m.Init())
	checkView(t, m.View(), 80, 22)
	if v := ansi.Strip(m.View()); !strings.Contains(v, "No traces to analyse") {
		t.Fatalf("empty:\n%s", v)
	}
}

func TestGolden(t *testing.T) {
	t.Run("80x22", func(t *testing.T) {
		m := loaded(t, 80, 22)
		golden.RequireEqual(t, ansi.Strip(m.View()))
	})
	t.Run("200x48-contexts", func(t *testing.T) {
		m := loaded(t, 200, 48)
		m, _ = press(t, m, "3")
		golden.RequireEqual(t, ansi.Strip(m.View()))
	})
	t.Run("80x22-errors-colour", func(t *testing.T) {
		m := loaded(t, 80, 22)
		m, _ = press(t, m, "s", "s", "5")
		golden.RequireEqual(t, m.View())
	})
}

// TestEmptyBaselineIsSaid: a single trace (a file holding one) leaves the
// baseline empty; the screen says there is nothing to compare with before
// any difference.
func TestEmptyBaselineIsSaid(t *testing.T) {
	b, sums := demoTraces(t)
	m := newModel(b, sums[:1])
	m.SetSize(80, 22)
	m, _ = run(t, m, m.Init())
	if r := m.Result(); r == nil || len(r.Selected) != 1 || len(r.Baseline) != 0 {
		t.Fatalf("one trace should be all selection: %+v", r)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "no baseline: every trace is selected") {
		t.Fatalf("the empty baseline is not said:\n%s", v)
	}
	checkView(t, m.View(), 80, 22)
	// With a baseline, no such note.
	full := loaded(t, 80, 22)
	if v := ansi.Strip(full.View()); strings.Contains(v, "no baseline") {
		t.Fatalf("the note shows with a baseline:\n%s", v)
	}
}
