package compare

import (
	"context"
	"errors"
	"fmt"
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
	"github.com/tracetui/tracetui/internal/testkit/tracepairs"
	"github.com/tracetui/tracetui/keymap"
	"github.com/tracetui/tracetui/tui/internal/shell"
)

const slowExtra = 300 * int64(time.Millisecond)

// slowPair is the checkout and the same request with a slow INSERT.
func slowPair(t *testing.T) (*backend.Trace, *backend.Trace, int) {
	base := demoTrace(t, demo.CheckoutTraceID)
	i := tracepairs.FindSpan(t, base, "order-service", "INSERT orders")
	return base, tracepairs.SlowDown(base, i, slowExtra), i
}

// retryPair is the checkout and the same request with a retried
// inventory.Reserve.
func retryPair(t *testing.T) (*backend.Trace, *backend.Trace) {
	base := demoTrace(t, demo.CheckoutTraceID)
	return base, tracepairs.WithRetry(base, tracepairs.FindSpan(t, base, "order-service", "inventory.Reserve"))
}

// checkFits fails when a line of the view is not exactly w cells or the
// view not h lines.
func checkFits(t *testing.T, v string, w, h int) {
	t.Helper()
	lines := strings.Split(v, "\n")
	if len(lines) != h {
		t.Errorf("%d lines, want %d", len(lines), h)
	}
	for k, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Errorf("line %d is %d cells, want %d: %q", k, got, w, ansi.Strip(l))
		}
	}
}

func TestGolden(t *testing.T) {
	a, b, _ := slowPair(t)
	ra, rb := retryPair(t)
	t.Run("slow-db-80x24", func(t *testing.T) {
		m := newModel(t, a, b, 80, 24)
		golden.RequireEqual(t, ansi.Strip(m.View()))
	})
	t.Run("retry-120x40", func(t *testing.T) {
		m := newModel(t, ra, rb, 120, 40)
		golden.RequireEqual(t, ansi.Strip(m.View()))
	})
	t.Run("retry-sorted-80x24", func(t *testing.T) {
		m := newModel(t, ra, rb, 80, 24)
		m, _ = press(t, m, "s", "j")
		golden.RequireEqual(t, ansi.Strip(m.View()))
	})
	t.Run("colour", func(t *testing.T) {
		m := newModel(t, ra, rb, 80, 16)
		m, _ = press(t, m, "]")
		golden.RequireEqual(t, m.View())
	})
}

// Every line fits at the sizes the issue names and at odd ones, with
// and without the box.
func TestViewFits(t *testing.T) {
	a, b, _ := slowPair(t)
	for _, sz := range [][2]int{{80, 24}, {200, 50}, {120, 40}, {60, 12}, {40, 8}, {20, 5}} {
		t.Run(fmt.Sprint(sz), func(t *testing.T) {
			m := newModel(t, a, b, sz[0], sz[1])
			checkFits(t, m.View(), sz[0], sz[1])
			m, _ = press(t, m, "s")
			checkFits(t, m.View(), sz[0], sz[1])
			m, _ = press(t, m, "o")
			checkFits(t, m.View(), sz[0], sz[1])
		})
	}
}

// A trace compared with itself shows no difference: no change marks, no
// coloured delta, every Δ zero and the summary says so.
func TestSelfShowsNoDifference(t *testing.T) {
	a := demoTrace(t, demo.CheckoutTraceID)
	m := newModel(t, a, a, 120, 60)
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "no difference") {
		t.Errorf("the summary should say there is no difference:\n%s", v)
	}
	for _, mark := range []string{"▲", "▼", "+", glyphA, glyphB, "(-", "(+"} {
		body := strings.Join(strings.Split(v, "\n")[headerLines:], "\n")
		if mark == "(-" || mark == "(+" {
			body = v
		}
		if strings.Contains(body, mark) {
			t.Errorf("a trace compared with itself shows %q:\n%s", mark, v)
		}
	}
	for _, l := range strings.Split(v, "\n")[headerLines : headerLines+len(m.Comparison().Tree.Nodes)] {
		if !strings.HasSuffix(strings.TrimRight(l, " "), " 0") {
			t.Errorf("Δ should be 0: %q", l)
		}
	}
	// Nothing is painted red or green on the rows either.
	st := style.New(true)
	red, green := strings.SplitN(st.P.Err.S("x"), "x", 2)[0], strings.SplitN(st.P.OK.S("x"), "x", 2)[0]
	if red == "" || green == "" {
		t.Fatal("the style sheet paints no red or green")
	}
	for _, l := range strings.Split(m.View(), "\n")[headerLines:] {
		if strings.Contains(l, red) || strings.Contains(l, green) {
			t.Errorf("red or green on a row of a self comparison: %q", l)
		}
	}
	_, out := press(t, m, "]")
	if len(out) != 1 || !strings.Contains(out[0].(shell.StatusMsg).Text(), "no calling context got slower") {
		t.Errorf("] should say nothing got slower, got %v", out)
	}
}

// ] and [ walk the nodes that got slower in the order shown, wrapping.
func TestWalkSlower(t *testing.T) {
	a, b, _ := slowPair(t)
	m := newModel(t, a, b, 80, 24)
	c := m.Comparison()
	var got []string
	for range 5 {
		var out []tea.Msg
		m, out = press(t, m, "]")
		n := m.Selected()
		got = append(got, c.Tree.Nodes[n].Operation)
		if c.Change(n) != analysis.Slower {
			t.Errorf("] stopped on %v, %s", c.Tree.Path(n), c.Change(n))
		}
		if len(out) != 1 || !strings.Contains(out[0].(shell.StatusMsg).Text(), "slower ") {
			t.Errorf("] should say which slower context: %v", out)
		}
	}
	// The root is under the cursor at first, so ] goes past it and wraps.
	want := "POST /orders,POST /orders,INSERT orders,POST /api/checkout,POST /orders"
	if strings.Join(got, ",") != want {
		t.Errorf("] walked %s, want %s", strings.Join(got, ","), want)
	}
	m, _ = press(t, m, "[", "[")
	if op := c.Tree.Nodes[m.Selected()].Operation; op != "INSERT orders" {
		t.Errorf("[ [ from the second POST /orders should wrap back to INSERT orders, got %s", op)
	}
	// Sorted, ] starts from the largest increase.
	m, _ = press(t, m, "g", "s")
	m, _ = press(t, m, "g", "]")
	if op := c.Tree.Nodes[m.Selected()].Operation; op != "POST /api/checkout" && op != "POST /orders" {
		t.Errorf("sorted ]: %s", op)
	}
	if top := c.ByCriticalIncrease()[0]; ansi.Strip(strings.Split(m.View(), "\n")[headerLines]) == "" || !strings.Contains(strings.Split(ansi.Strip(m.View()), "\n")[headerLines], c.Tree.Nodes[top].Operation) {
		t.Errorf("sorted: the first row should be the largest increase (%s):\n%s", c.Tree.Nodes[top].Operation, ansi.Strip(m.View()))
	}
}

// s sorts by the largest critical-path increase, and back; the cursor
// stays on its node.
func TestSortToggle(t *testing.T) {
	a, b, _ := slowPair(t)
	m := newModel(t, a, b, 80, 24)
	m, _ = press(t, m, "j", "j")
	sel := m.Selected()
	m, out := press(t, m, "s")
	if m.Selected() != sel {
		t.Errorf("sorting moved the cursor from node %d to %d", sel, m.Selected())
	}
	if len(out) != 1 || !strings.Contains(out[0].(shell.StatusMsg).Text(), "largest critical-path increase") {
		t.Errorf("s should say the order: %v", out)
	}
	rows := strings.Split(ansi.Strip(m.View()), "\n")
	if !strings.Contains(rows[headerLines], "INSERT orders") || !strings.Contains(rows[headerLines], "+300ms") {
		t.Errorf("sorted, the slow INSERT comes first:\n%s", strings.Join(rows, "\n"))
	}
	m, _ = press(t, m, "s")
	if m.Selected() != sel || !strings.Contains(ansi.Strip(m.View()), "tree") {
		t.Errorf("back to tree order: node %d, want %d", m.Selected(), sel)
	}
}

// Folding works like the waterfall's: h folds (then goes to the parent),
// l unfolds (then goes to the first child), space toggles.
func TestFold(t *testing.T) {
	a, b, _ := slowPair(t)
	m := newModel(t, a, b, 80, 24)
	n := len(m.s.view.rows)
	m, _ = press(t, m, "h")
	if len(m.s.view.rows) != 1 {
		t.Fatalf("h on the root should fold everything: %d rows", len(m.s.view.rows))
	}
	if !strings.Contains(ansi.Strip(m.View()), "▸ api-gateway POST /api/checkout") {
		t.Errorf("a folded row shows ▸:\n%s", ansi.Strip(m.View()))
	}
	m, _ = press(t, m, "l")
	if len(m.s.view.rows) != n {
		t.Fatalf("l should unfold: %d rows, want %d", len(m.s.view.rows), n)
	}
	m, _ = press(t, m, "l")
	if p := m.Comparison().Tree.Nodes[m.Selected()].Parent; p != m.Comparison().Tree.Roots[0] {
		t.Errorf("l on an open node goes to its first child")
	}
	m, _ = press(t, m, "space")
	if len(m.s.view.rows) >= n {
		t.Errorf("space should fold the child")
	}
	m, _ = press(t, m, "space", "h", "h")
	if m.Selected() != m.Comparison().Tree.Roots[0] {
		t.Errorf("h on an open node folds it, and again goes to the parent")
	}
	// ] unfolds what hides the next slower node.
	m, _ = press(t, m, "g", "h", "]")
	if m.Comparison().Change(m.Selected()) != analysis.Slower || m.Selected() == m.Comparison().Tree.Roots[0] {
		t.Errorf("] should reveal a slower node under the fold")
	}
	m, out := press(t, m, "s", "h")
	if len(out) != 2 || !strings.Contains(out[1].(shell.StatusMsg).Text(), "tree order") {
		t.Errorf("folding in the sorted list says it works in tree order: %v", out)
	}
}

// enter opens the node's span in trace A, b in trace B; a node with no
// span on that side says so.
func TestOpen(t *testing.T) {
	a, b, i := slowPair(t)
	m := newModel(t, a, b, 80, 24)
	m, _ = press(t, m, "s") // the slow INSERT first
	m, out := press(t, m, "g", "enter")
	if len(out) != 1 {
		t.Fatalf("enter: %v", out)
	}
	o := out[0].(OpenMsg)
	if o.Trace != a || o.Span != int32(i) {
		t.Errorf("enter opened span %d of %s, want %d of A", o.Span, o.Trace.ID, i)
	}
	_, out = press(t, m, "b")
	if o := out[0].(OpenMsg); o.Trace != b || b.Spans[o.Span].Operation != "INSERT orders" {
		t.Errorf("b opened %+v, want INSERT orders in B", o)
	}

	ra, rb := retryPair(t)
	// Compared the other way round, the retry's spans are only in A.
	m = newModel(t, rb, ra, 80, 24)
	c := m.Comparison()
	for n := range c.Tree.Nodes {
		if c.Change(int32(n)) == analysis.OnlyA {
			t.Fatalf("a retry adds spans on the same contexts: %v is only in A", c.Tree.Path(int32(n)))
		}
	}
	// A trace with a context of its own: the other side has none.
	extra := demoTrace(t, demo.CheckoutTraceID)
	extra.ID = "e0" + extra.ID[2:]
	s := extra.Spans[0]
	s.SpanID, s.ParentID, s.Operation = "00000000000000ee", extra.Spans[0].SpanID, "audit.Write"
	s.References = nil
	extra.Spans = append(extra.Spans, s)
	m = newModel(t, a, extra, 80, 24)
	c = m.Comparison()
	var only int32 = -1
	for n := range c.Tree.Nodes {
		if c.Change(int32(n)) == analysis.OnlyB {
			only = int32(n)
		}
	}
	if only < 0 {
		t.Fatal("no context only in B")
	}
	m.s.view.selectNode(m.s.res, only, m.s.rowsHeight())
	if !strings.Contains(ansi.Strip(m.View()), "+ ") {
		t.Errorf("only in B is marked +:\n%s", ansi.Strip(m.View()))
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "A: none (only in B)") {
		t.Errorf("the footer says the context is only in B:\n%s", v)
	}
	_, out = press(t, m, "enter")
	if len(out) != 1 || !out[0].(shell.StatusMsg).Err() || !strings.Contains(out[0].(shell.StatusMsg).Text(), "not in trace A") {
		t.Errorf("enter on a context only in B: %v", out)
	}
}

// The header names both traces, durations, critical paths and the Δ.
func TestHeader(t *testing.T) {
	a, b, _ := slowPair(t)
	m := newModel(t, a, b, 200, 50)
	head := strings.Split(ansi.Strip(m.View()), "\n")[:headerLines]
	ca := analysis.Analyze(a)
	for _, want := range []string{string(a.ID), string(b.ID), "critical path", "(+300ms)", fmt.Sprint(len(a.Spans)) + " spans"} {
		if !strings.Contains(strings.Join(head, "\n"), want) {
			t.Errorf("header lacks %q:\n%s", want, strings.Join(head, "\n"))
		}
	}
	if c := m.Comparison(); c.Side[analysis.SideA].Critical != ca.Critical.Length() {
		t.Errorf("A's critical path %d, show's %d", c.Side[analysis.SideA].Critical, ca.Critical.Length())
	}
}

// Both traces fetched by ID from a backend, in commands; esc cancels a
// load in flight and leaves; a stale result is dropped.
func TestFetchAndCancel(t *testing.T) {
	cfg := Config{Keys: keymap.DefaultCompare(), Backend: demoBackend(),
		A: Side{ID: demo.CheckoutTraceID}, B: Side{ID: demo.CheckoutTraceID}}
	m := New(cfg)
	m.SetSize(80, 24)
	m, _ = run(t, m, m.Init())
	if !m.Ready() || !strings.Contains(ansi.Strip(m.View()), "no difference") {
		t.Fatalf("fetched comparison:\n%s", ansi.Strip(m.View()))
	}

	blocked := &blockingBackend{Backend: demoBackend(), release: make(chan struct{})}
	cfg.Backend = blocked
	m = New(cfg)
	m.SetSize(80, 24)
	cmd := m.Init()
	if busy, label := m.Busy(); !busy || !strings.Contains(label, "loading trace") {
		t.Errorf("busy %v %q while loading", busy, label)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "loading…") || !strings.Contains(v, "esc cancels") {
		t.Errorf("loading view:\n%s", v)
	}
	m, out := press(t, m, "esc")
	var back bool
	for _, o := range out {
		_, ok := o.(BackMsg)
		back = back || ok
	}
	if !back {
		t.Errorf("esc while loading should leave: %v", out)
	}
	if busy, _ := m.Busy(); busy {
		t.Error("esc should cancel the loads")
	}
	close(blocked.release)
	// The cancelled loads come back late: dropped.
	m, _ = run(t, m, cmd)
	if m.Ready() {
		t.Error("a cancelled load was compared")
	}
}

type blockingBackend struct {
	backend.Backend
	release chan struct{}
}

func (b *blockingBackend) Trace(ctx context.Context, id backend.TraceID, o backend.TraceOptions) (*backend.Trace, error) {
	<-b.release
	return b.Backend.Trace(ctx, id, o)
}

// Without trace A, the box asks for it: text that names nothing keeps the
// box open with the reason; a pasted traceparent is looked up; a trace
// that does not exist fails with one line and the screen stays.
func TestBox(t *testing.T) {
	b := demoTrace(t, demo.CheckoutTraceID)
	cfg := Config{Keys: keymap.DefaultCompare(), Backend: demoBackend(), B: Side{ID: b.ID, Trace: b},
		Note: "no other trace: give trace A"}
	m := New(cfg)
	m.SetSize(80, 24)
	m, _ = run(t, m, m.Init())
	if !m.Capturing() || !strings.Contains(ansi.Strip(m.View()), "Trace A:") {
		t.Fatalf("the box should ask for A:\n%s", ansi.Strip(m.View()))
	}
	m, _ = m.Update(tea.PasteMsg{Content: "   "})
	m, _ = press(t, m, "enter")
	if !m.Capturing() {
		t.Error("enter on nothing keeps the box")
	}
	m, _ = m.Update(tea.PasteMsg{Content: "traceparent: 00-00000000000000000000000000000000-00f067aa0ba902b7-01"})
	m, _ = press(t, m, "enter")
	if !m.Capturing() || !strings.Contains(ansi.Strip(m.View()), "zero") {
		t.Errorf("an all-zero traceparent is refused in place:\n%s", ansi.Strip(m.View()))
	}
	checkFits(t, m.View(), 80, 24)
	m, _ = press(t, m, "ctrl+u")
	for _, r := range "x" {
		m, _ = press(t, m, string(r))
	}
	m.s.box.SetValue("")
	m, _ = m.Update(tea.PasteMsg{Content: "traceparent: 00-" + string(demo.CheckoutTraceID) + "-00f067aa0ba902b7-01"})
	m, out := press(t, m, "enter")
	if !m.Ready() || m.Capturing() {
		t.Fatalf("the pasted traceparent should be compared:\n%s", ansi.Strip(m.View()))
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "A: traceparent") {
		t.Errorf("the note should say what A is now:\n%s", v)
	}
	_ = out
	// Another A that does not exist: one line, the comparison stays.
	m, _ = press(t, m, "o")
	m.s.box.SetValue("0123456789abcdef0123456789abcdef")
	m, out = press(t, m, "enter")
	var failed bool
	for _, o := range out {
		if s, ok := o.(shell.StatusMsg); ok && s.Err() && strings.Contains(s.Text(), "not found") {
			failed = true
		}
	}
	if !failed || !m.Ready() {
		t.Errorf("a missing trace A: %v, comparison kept %v", out, m.Ready())
	}
	// esc in the box with nothing compared leaves.
	m = New(cfg)
	m, _ = run(t, m, m.Init())
	_, out = press(t, m, "esc")
	if len(out) != 1 {
		t.Fatalf("esc: %v", out)
	}
	if _, ok := out[0].(BackMsg); !ok {
		t.Errorf("esc in the box with nothing compared should leave, got %#v", out[0])
	}
}

// A side that cannot be fetched fails on the screen and in the status
// bar; o offers another trace A.
func TestLoadFails(t *testing.T) {
	cfg := Config{Keys: keymap.DefaultCompare(), Backend: demoBackend(),
		A: Side{ID: "0123456789abcdef0123456789abcdef"}, B: Side{ID: demo.CheckoutTraceID}}
	m := New(cfg)
	m.SetSize(80, 24)
	m, out := run(t, m, m.Init())
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "trace A") || !strings.Contains(v, "not found") || len(out) == 0 {
		t.Errorf("failed load:\n%s\n%v", v, out)
	}
	checkFits(t, m.View(), 80, 24)
	if m.Ready() {
		t.Error("nothing to show")
	}
	m, _ = press(t, m, "o")
	if !m.Capturing() {
		t.Error("o opens the box")
	}
	_ = errors.New
}

// y copies both trace IDs through the one clipboard path.
func TestCopyIDs(t *testing.T) {
	a, b, _ := slowPair(t)
	m := newModel(t, a, b, 80, 24)
	_, out := press(t, m, "y")
	var notice string
	var clip int
	for _, o := range out {
		if s, ok := o.(shell.StatusMsg); ok {
			notice = s.Text()
		} else {
			clip++
		}
	}
	if clip != 1 || !strings.Contains(notice, "copied trace IDs A and B (65 bytes)") {
		t.Errorf("y: %d clipboard messages, notice %q", clip, notice)
	}
}
