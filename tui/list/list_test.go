package list

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/internal/testkit/keytest"
	"github.com/tracetui/tracetui/keymap"
	"github.com/tracetui/tracetui/tui/internal/shell"
)

var testNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func summaries() []backend.TraceSummary {
	mk := func(id string, svc, op string, ago time.Duration, dur time.Duration, spans, errs int, svcs ...string) backend.TraceSummary {
		s := backend.TraceSummary{
			TraceID: backend.TraceIDFromWire(id), RootService: svc, RootOperation: op,
			Start: testNow.Add(-ago).UnixNano(), Duration: int64(dur), SpanCount: spans, ErrorCount: errs,
		}
		for i, n := range svcs {
			c := backend.ServiceCount{Name: n, SpanCount: spans / len(svcs)}
			if i == 0 {
				c.ErrorCount = errs
			}
			s.Services = append(s.Services, c)
		}
		return s
	}
	return []backend.TraceSummary{
		mk("4bf92f3577b34da6a3ce929d0e0e4736", "gateway", "GET /checkout", 3*time.Minute, 1240*time.Millisecond, 42, 2, "gateway", "orders", "payment", "inventory"),
		mk("a1", "gateway", "GET /users/{id}", 10*time.Second, 35*time.Millisecond, 6, 0, "gateway", "users"),
		mk("b2", "orders", "POST /orders", 2*time.Hour, 480*time.Millisecond, 18, 0, "orders", "inventory", "notification"),
		mk("c3", "payment", "charge", 26*time.Hour, 2500*time.Millisecond, 9, 5, "payment"),
		mk("d4", "inventory", "reserve", 40*time.Minute, 12*time.Millisecond, 3, 0, "inventory"),
	}
}

func newTestList(t *testing.T, load Loader) Model {
	t.Helper()
	st := style.New(true)
	m := New(Config{Keys: keymap.DefaultList(), Styles: st, Title: "service=gateway · last 1h", Load: load,
		Now: func() time.Time { return testNow }})
	m.SetSize(80, 20)
	return m
}

func staticLoad(s []backend.TraceSummary) Loader {
	return func(context.Context) ([]backend.TraceSummary, error) { return s, nil }
}

// run executes cmd and feeds its messages back into the model, as the
// program would, except spinner ticks; it returns the messages meant for the
// root.
func run(t *testing.T, m Model, cmd tea.Cmd) (Model, []tea.Msg) {
	t.Helper()
	var out []tea.Msg
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		switch msg := msg.(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case spinner.TickMsg:
		case loadedMsg:
			var next tea.Cmd
			m, next = m.Update(msg)
			queue = append(queue, next)
		default:
			out = append(out, msg)
		}
	}
	return m, out
}

func loaded(t *testing.T, s []backend.TraceSummary) Model {
	t.Helper()
	m := newTestList(t, staticLoad(s))
	m, _ = run(t, m, m.Init())
	return m
}

func keyMsg(s string) tea.KeyPressMsg { return keytest.Press(s) }

func press(t *testing.T, m Model, keys ...string) (Model, []tea.Msg) {
	t.Helper()
	var all []tea.Msg
	for _, k := range keys {
		var cmd tea.Cmd
		m, cmd = m.Update(keyMsg(k))
		var out []tea.Msg
		m, out = run(t, m, cmd)
		all = append(all, out...)
	}
	return m, all
}

func ids(m Model) string {
	var out []string
	for _, s := range m.Traces() {
		out = append(out, strings.TrimLeft(s.TraceID.Short(), "0"))
	}
	return strings.Join(out, " ")
}

func TestSortOrders(t *testing.T) {
	m := loaded(t, summaries())
	want := []string{
		"a1 4bf92f3577b34da6a3ce929d0e0e4736 d4 b2 c3", // most recent
		"c3 4bf92f3577b34da6a3ce929d0e0e4736 b2 a1 d4", // longest
		"d4 a1 b2 4bf92f3577b34da6a3ce929d0e0e4736 c3", // shortest
		"4bf92f3577b34da6a3ce929d0e0e4736 b2 c3 a1 d4", // most spans
		"c3 4bf92f3577b34da6a3ce929d0e0e4736 a1 d4 b2", // most errors, ties newest first
	}
	for i, w := range want {
		if got := ids(m); got != w {
			t.Errorf("order %v: got %s, want %s", m.Order(), got, w)
		}
		if i < len(want)-1 {
			var out []tea.Msg
			m, out = press(t, m, "s")
			if len(out) != 1 || !strings.Contains(out[0].(shell.StatusMsg).Text(), "sorted by") {
				t.Errorf("sort should say the new order, got %v", out)
			}
		}
	}
	m, _ = press(t, m, "s")
	if m.Order() != MostRecent {
		t.Errorf("sort did not wrap around: %v", m.Order())
	}
	m, _ = press(t, m, "S")
	if m.Order() != MostErrors {
		t.Errorf("S should go back one order: %v", m.Order())
	}
}

func TestSortKeepsSelection(t *testing.T) {
	m := loaded(t, summaries())
	m, _ = press(t, m, "j", "j") // d4
	sel, _ := m.Selected()
	m, _ = press(t, m, "s")
	if now, _ := m.Selected(); now.TraceID != sel.TraceID {
		t.Errorf("selection moved from %s to %s on sort", sel.TraceID, now.TraceID)
	}
}

func TestMovement(t *testing.T) {
	m := loaded(t, summaries())
	sel := func() string { s, _ := m.Selected(); return strings.TrimLeft(s.TraceID.Short(), "0") }
	m, _ = press(t, m, "j")
	if sel() != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Errorf("j: %s", sel())
	}
	m, _ = press(t, m, "G")
	if sel() != "c3" {
		t.Errorf("G: %s", sel())
	}
	m, _ = press(t, m, "j")
	if sel() != "c3" {
		t.Errorf("j past the end: %s", sel())
	}
	m, _ = press(t, m, "g")
	if sel() != "a1" {
		t.Errorf("g: %s", sel())
	}
	m, _ = press(t, m, "k")
	if sel() != "a1" {
		t.Errorf("k before the start: %s", sel())
	}
}

func TestOpenAndBack(t *testing.T) {
	m := loaded(t, summaries())
	m, out := press(t, m, "j", "enter")
	if len(out) != 1 || out[0] != (OpenMsg{TraceID: backend.TraceIDFromWire("4bf92f3577b34da6a3ce929d0e0e4736")}) {
		t.Errorf("enter sent %v", out)
	}
	_, out = press(t, m, "esc")
	if len(out) != 1 || out[0] != (BackMsg{}) {
		t.Errorf("esc sent %v", out)
	}
}

func TestQuickFilter(t *testing.T) {
	m := loaded(t, summaries())
	m, _ = press(t, m, "/")
	if !m.Capturing() {
		t.Fatal("/ should focus the filter")
	}
	m, out := press(t, m, "o", "r", "d", "e", "r")
	if got := ids(m); got != "4bf92f3577b34da6a3ce929d0e0e4736 b2" {
		t.Errorf("filter 'order' kept %s", got)
	}
	if len(out) != 0 {
		t.Errorf("typing sent %v", out)
	}
	// q and j are typed, not acted on.
	m, _ = press(t, m, "q")
	if !m.Capturing() || ids(m) != "" {
		t.Errorf("q while filtering: capturing %v, rows %q", m.Capturing(), ids(m))
	}
	m, _ = press(t, m, "backspace", "enter")
	if m.Capturing() {
		t.Error("enter should keep the filter and leave the input")
	}
	if got := ids(m); got != "4bf92f3577b34da6a3ce929d0e0e4736 b2" {
		t.Errorf("after enter: %s", got)
	}
	// esc first clears a kept filter, then goes back.
	m, out = press(t, m, "esc")
	if len(out) != 0 || ids(m) != "a1 4bf92f3577b34da6a3ce929d0e0e4736 d4 b2 c3" {
		t.Errorf("esc with a filter: out %v rows %s", out, ids(m))
	}
	// Filter by trace ID prefix and by two terms.
	m, _ = press(t, m, "/", "4", "b", "f", "enter")
	if got := ids(m); got != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Errorf("filter by ID: %s", got)
	}
	m, _ = press(t, m, "/", "esc")
	if m.Capturing() || len(m.Traces()) != 5 {
		t.Errorf("esc in the filter should clear it: %s", ids(m))
	}
	m, _ = press(t, m, "/", "g", "a", "t", " ", "u", "s", "e", "r", "s", "enter")
	if got := ids(m); got != "a1" {
		t.Errorf("two terms: %s", got)
	}
}

func TestRefreshReloadsAndDropsStale(t *testing.T) {
	calls := 0
	first := summaries()[:2]
	m := newTestList(t, func(context.Context) ([]backend.TraceSummary, error) {
		calls++
		if calls == 1 {
			return first, nil
		}
		return summaries(), nil
	})
	m, _ = run(t, m, m.Init())
	if len(m.Traces()) != 2 {
		t.Fatalf("first load: %d rows", len(m.Traces()))
	}
	m, cmd := m.Update(keyMsg("r"))
	if !m.Loading() {
		t.Error("r should start a load")
	}
	// A second refresh makes the first one stale.
	m, cmd2 := m.Update(keyMsg("r"))
	// Deliver the stale result by hand: run only the first batch's load.
	staleMsg := firstLoaded(t, cmd)
	m, _ = m.Update(staleMsg)
	if !m.Loading() {
		t.Error("a stale result ended the current load")
	}
	m, _ = run(t, m, cmd2)
	if m.Loading() || len(m.Traces()) != 5 {
		t.Errorf("after refresh: loading %v rows %d", m.Loading(), len(m.Traces()))
	}
}

func firstLoaded(t *testing.T, cmd tea.Cmd) tea.Msg {
	t.Helper()
	msg := cmd()
	if l, ok := msg.(loadedMsg); ok {
		return l
	}
	for _, c := range msg.(tea.BatchMsg) {
		if c == nil {
			continue
		}
		if msg, ok := c().(loadedMsg); ok {
			return msg
		}
	}
	t.Fatal("no load in the batch")
	return nil
}

func TestCloseCancelsLoad(t *testing.T) {
	started := make(chan struct{})
	var ctxErr error
	m := newTestList(t, func(ctx context.Context) ([]backend.TraceSummary, error) {
		close(started)
		<-ctx.Done()
		ctxErr = ctx.Err()
		return nil, ctx.Err()
	})
	cmd := m.Init()
	done := make(chan tea.Msg)
	go func() { done <- firstLoaded(t, cmd) }()
	<-started
	m.Close()
	msg := <-done
	if !errors.Is(ctxErr, context.Canceled) {
		t.Errorf("loader context: %v", ctxErr)
	}
	m, _ = m.Update(msg)
	if m.Err() != nil {
		t.Errorf("a cancelled load's result should be dropped, got err %v", m.Err())
	}
}

func TestErrorState(t *testing.T) {
	m := newTestList(t, func(context.Context) ([]backend.TraceSummary, error) {
		return nil, &backend.Error{Kind: backend.Unreachable, Op: "search", URL: "http://localhost:16686", Err: errors.New("connection refused")}
	})
	m, out := run(t, m, m.Init())
	if len(out) != 1 || !out[0].(shell.StatusMsg).Err() {
		t.Errorf("error should reach the status bar: %v", out)
	}
	v := ansi.Strip(m.View())
	for _, want := range []string{"The search failed", "unreachable", "Is the backend running", "r retries"} {
		if !strings.Contains(v, want) {
			t.Errorf("error view lacks %q:\n%s", want, v)
		}
	}
}

func TestEmptyState(t *testing.T) {
	m := loaded(t, nil)
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "No traces matched") || !strings.Contains(v, "longer lookback") {
		t.Errorf("empty view:\n%s", v)
	}
}

func TestHostileText(t *testing.T) {
	s := summaries()
	s[0].RootService = "evil\x1b]0;pwned\x07\x1b[2J"
	s[0].RootOperation = "op\u202eoverride\ttab\nnl"
	s[0].Services[1].Name = "\x9b31mred"
	m := loaded(t, s)
	m, _ = press(t, m, "j")
	for _, size := range [][2]int{{80, 24}, {40, 10}, {200, 50}} {
		m.SetSize(size[0], size[1])
		checkView(t, m.View(), size[0], size[1])
	}
}

// checkView asserts the layout invariants: exactly h lines, each exactly w
// cells, and nothing from trace data that drives the terminal.
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
		plain := ansi.Strip(l)
		for _, r := range plain {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0x202e {
				t.Errorf("%dx%d: line %d holds control %U: %q", w, h, i, r, plain)
			}
		}
	}
}

func TestViewSizes(t *testing.T) {
	m := loaded(t, summaries())
	for _, size := range [][2]int{{80, 24}, {120, 40}, {250, 70}, {60, 12}, {20, 5}, {1, 1}} {
		m.SetSize(size[0], size[1])
		checkView(t, m.View(), size[0], size[1])
	}
	m.SetSize(0, 0)
	if m.View() != "" {
		t.Error("zero size should draw nothing")
	}
}

func TestManyRowsScroll(t *testing.T) {
	var many []backend.TraceSummary
	for i := range 500 {
		s := summaries()[i%5]
		s.TraceID = backend.TraceIDFromWire(fmt.Sprintf("%x", i+1))
		s.Start -= int64(i) * int64(time.Second)
		many = append(many, s)
	}
	m := loaded(t, many)
	m.SetSize(80, 24)
	m, _ = press(t, m, "G")
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "▸") {
		t.Error("cursor row not visible after G")
	}
	checkView(t, m.View(), 80, 24)
	m, _ = press(t, m, "g")
	if s, _ := m.Selected(); s.TraceID != m.Traces()[0].TraceID {
		t.Errorf("g went to %s", s.TraceID)
	}
}

func TestDurationBar(t *testing.T) {
	for _, tc := range []struct {
		d, max int64
		w      int
		want   string
	}{
		{10, 10, 4, "████"},
		{5, 10, 4, "██  "},
		{1, 1000, 4, "▏   "}, // tiny but visible
		{0, 10, 4, "    "},
		{3, 8, 1, "▍"},
		{20, 10, 3, "███"}, // never wider than its column
	} {
		if got := durationBar(tc.d, tc.max, tc.w); got != tc.want {
			t.Errorf("durationBar(%d,%d,%d) = %q, want %q", tc.d, tc.max, tc.w, got, tc.want)
		}
	}
}

func TestGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m := loaded(t, summaries())
			m.SetSize(size[0], size[1])
			m, _ = press(t, m, "j")
			golden.RequireEqual(t, ansi.Strip(m.View()))
		})
	}
	t.Run("filtered", func(t *testing.T) {
		m := loaded(t, summaries())
		m.SetSize(80, 24)
		m, _ = press(t, m, "s", "/", "p", "a", "y")
		golden.RequireEqual(t, ansi.Strip(m.View()))
	})
	t.Run("colour", func(t *testing.T) {
		m := loaded(t, summaries())
		m.SetSize(80, 12)
		golden.RequireEqual(t, m.View())
	})
}

// The root span's name is what a user reads first: at 80 columns the
// demo's longest ("api-gateway POST /api/checkout") is whole, a longer one
// gets more room at 120, and the services of the selected trace are in the
// footer when the table has no room for them.
func TestColumnsGiveTheRootSpanRoom(t *testing.T) {
	s := summaries()
	s[0].RootService, s[0].RootOperation = "api-gateway", "POST /api/checkout"
	s[1].RootService, s[1].RootOperation = "api-gateway", "POST /api/checkout/{cart}/confirm-payment"
	m := loaded(t, s)
	m.SetSize(80, 24)
	v := ansi.Strip(m.View())
	checkView(t, m.View(), 80, 24)
	if !strings.Contains(v, "api-gateway POST /api/checkout ") {
		t.Errorf("80 columns cut the root span:\n%s", v)
	}
	c80 := m.columns(testNow)
	if c80.root < len("api-gateway POST /api/checkout") || c80.svcs != 0 {
		t.Errorf("80 columns: %+v", c80)
	}
	m.SetSize(120, 40)
	c120 := m.columns(testNow)
	if c120.root <= c80.root || c120.svcs < minSvcs {
		t.Errorf("120 columns: %+v (80: %+v)", c120, c80)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "api-gateway POST /api/checkout/{cart}/confirm") {
		t.Errorf("120 columns cut the long root span:\n%s", v)
	}
	// Short names leave the room to the services.
	m = loaded(t, summaries())
	m.SetSize(120, 40)
	if c := m.columns(testNow); c.root != minRoot {
		t.Errorf("short names at 120: %+v", c)
	}
}

func TestFooterKeepsServices(t *testing.T) {
	m := loaded(t, summaries())
	for _, c := range []struct {
		w    int
		want string
	}{
		{200, "4bf92f3577b34da6a3ce929d0e0e4736 · 2026-11-25 11:57:00.000 UTC · gateway 10 ✗2 · orders 10 · payment 10 · inventory 10"},
		{100, "4bf92f3577b34da6a3ce929d0e0e4736 · gateway 10 ✗2 · orders 10 · payment 10 · inventory 10"},
		{80, "4bf92f3577b34da6a3ce929d0e0e4736 · gateway, orders, payment, inventory"},
	} {
		m.SetSize(c.w, 20)
		m, _ = press(t, m, "g", "j") // the 4bf92f… trace, second newest
		if got := strings.TrimRight(ansi.Strip(m.footer(testNow)), " "); got != c.want {
			t.Errorf("%d columns: footer %q, want %q", c.w, got, c.want)
		}
	}
}

// A load that found traces but missed some searches lists what it found and
// says on the status bar that a trace may be missing.
func TestPartialLoadWarns(t *testing.T) {
	m := newTestList(t, func(context.Context) ([]backend.TraceSummary, error) {
		return summaries(), &Incomplete{Text: "2 of 12 correlation searches failed, so a trace may be missing"}
	})
	m, out := run(t, m, m.Init())
	if m.Err() != nil || ids(m) == "" {
		t.Fatalf("rows %q, err %v", ids(m), m.Err())
	}
	found := false
	for _, msg := range out {
		if st, ok := msg.(shell.StatusMsg); ok && st.Err() && strings.Contains(st.Text(), "2 of 12 correlation searches failed") {
			found = true
		}
	}
	if !found {
		t.Errorf("no warning on the status bar: %v", out)
	}
}
