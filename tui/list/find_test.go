package list

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/keymap"
	"github.com/tracetui/tracetui/tui/internal/shell"
)

// finder answers like backend.Find over summaries: the newest limit of
// them, LimitReached when there were more, with res's other fields; it
// records the limits it was asked for.
type finder struct {
	mu     sync.Mutex
	all    []backend.TraceSummary
	res    backend.SearchResult
	limits []int
}

func (f *finder) find(_ context.Context, limit int) (backend.SearchResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.limits = append(f.limits, limit)
	res := f.res
	res.Limit = limit
	res.Traces = backend.NewestFirst(append([]backend.TraceSummary(nil), f.all...), limit)
	res.LimitReached = len(f.all) > limit || res.LimitReached
	return res, nil
}

func newFindList(t *testing.T, f *finder, limit, w, h int) Model {
	t.Helper()
	m := New(Config{Keys: keymap.DefaultList(), Styles: style.New(true), Title: "all services · last 1h",
		Now: func() time.Time { return testNow }})
	m.SetFind(f.find, limit)
	m.SetSize(w, h)
	m, _ = run(t, m, m.Init())
	return m
}

// many is n summaries a minute apart, every third with errors.
func many(n int) []backend.TraceSummary {
	out := make([]backend.TraceSummary, n)
	for i := range out {
		out[i] = backend.TraceSummary{
			TraceID: backend.TraceIDFromWire(fmt.Sprintf("%x", 0x100+i)), RootService: "frontend", RootOperation: "HTTP GET /dispatch",
			Start: testNow.Add(-time.Duration(i) * time.Minute).UnixNano(), Duration: int64(time.Duration(100+i) * time.Millisecond),
			SpanCount: 10 + i,
		}
		if i%3 == 0 {
			out[i].ErrorCount = 1
		}
	}
	return out
}

func statuses(msgs []any) []string {
	var out []string
	for _, m := range msgs {
		if s, ok := m.(shell.StatusMsg); ok {
			out = append(out, s.Text())
		}
	}
	return out
}

func TestLimitReachedIsSaidAndPlusRaisesIt(t *testing.T) {
	f := &finder{all: many(50)}
	m := newFindList(t, f, 20, 80, 24)
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "20 shown · limit reached") || !strings.Contains(v, "limit of 20 reached: more traces may match · + searches for up to 40") {
		t.Fatalf("limit not said:\n%s", v)
	}
	checkView(t, m.View(), 80, 24)
	m, out := press(t, m, "+")
	if m.Limit() != 40 || len(m.Traces()) != 40 || f.limits[len(f.limits)-1] != 40 {
		t.Fatalf("after +: limit %d, %d traces, asked %v", m.Limit(), len(m.Traces()), f.limits)
	}
	if s := statuses(toAny(out)); len(s) == 0 || !strings.Contains(s[0], "up to 40") {
		t.Fatalf("status %q", s)
	}
	// The answer replaces the "searching again" notice, which must not
	// stay after the search is done.
	if s := statuses(toAny(out)); !strings.Contains(s[len(s)-1], "40 traces with the limit at 40") {
		t.Fatalf("the last status after the search: %q", s)
	}
	m, _ = press(t, m, "+")
	if v := ansi.Strip(m.View()); m.Limit() != 80 || !strings.Contains(v, "50 shown") || strings.Contains(v, "limit") {
		t.Fatalf("all 50 found: limit %d\n%s", m.Limit(), v)
	}
	// Doubling stops at 1000.
	m.find.limit = 600
	m, _ = press(t, m, "+")
	if m.Limit() != MaxLimit {
		t.Fatalf("limit %d", m.Limit())
	}
	_, out = press(t, m, "+")
	if s := statuses(toAny(out)); len(s) != 1 || !strings.Contains(s[0], "at its highest") {
		t.Fatalf("at 1000: %q", s)
	}
}

func toAny[T any](in []T) []any {
	out := make([]any, len(in))
	for i, v := range in {
		out[i] = v
	}
	return out
}

func TestPlusOnAListThatIsNoSearch(t *testing.T) {
	m := loaded(t, summaries())
	_, out := press(t, m, "+")
	if s := statuses(toAny(out)); len(s) != 1 || !strings.Contains(s[0], "not a search") {
		t.Fatalf("status %q", s)
	}
}

func TestErrorsOnlyToggle(t *testing.T) {
	f := &finder{all: many(9)}
	m := newFindList(t, f, 20, 80, 24)
	m, _ = press(t, m, "E")
	if !m.ErrorsOnly() || len(m.Traces()) != 3 {
		t.Fatalf("errors only: %d traces", len(m.Traces()))
	}
	for _, s := range m.Traces() {
		if s.ErrorCount == 0 {
			t.Fatalf("%s has no error", s.TraceID)
		}
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "errors only: 3 of 9 shown") {
		t.Fatalf("header does not say errors only:\n%s", v)
	}
	m, _ = press(t, m, "E")
	if m.ErrorsOnly() || len(m.Traces()) != 9 {
		t.Fatalf("E again: %d traces", len(m.Traces()))
	}
	// None with errors: the list says so and how to leave.
	f = &finder{all: many(9)[1:3]}
	m = newFindList(t, f, 20, 80, 24)
	m, _ = press(t, m, "E")
	if v := ansi.Strip(m.View()); !strings.Contains(v, "None of the 2 traces loaded has an error") || !strings.Contains(v, "E shows them all") {
		t.Fatalf("empty errors-only:\n%s", v)
	}
}

func TestNotesAndFirstErrorInStatus(t *testing.T) {
	f := &finder{all: many(3), res: backend.SearchResult{
		Checked: []backend.Tag{{Key: "error", Value: "true"}}, Scanned: 100, CheckedWhy: "Jaeger v2\ndoes not index it",
		PerService: 4, Failed: 1, FirstError: fmt.Errorf("HTTP 500: \x1b[31mboom"),
	}}
	m := New(Config{Keys: keymap.DefaultList(), Styles: style.New(true), Now: func() time.Time { return testNow }})
	m.SetFind(f.find, 0)
	m.SetSize(80, 24)
	m, out := run(t, m, m.Init())
	s := statuses(toAny(out))
	if len(s) != 1 {
		t.Fatalf("status %q", s)
	}
	for _, want := range []string{"error=true checked by tracetui in the 100 newest traces", "Jaeger v2 does not index it",
		"each of its 4 services was searched; 1 of those searches failed", "first failure: HTTP 500: boom"} {
		if !strings.Contains(s[0], want) {
			t.Errorf("status %q lacks %q", s[0], want)
		}
	}
	if strings.ContainsAny(s[0], "\x1b\n") {
		t.Errorf("status not cleaned: %q", s[0])
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "3 shown · 100 traces looked at for error=true") {
		t.Fatalf("header:\n%s", v)
	}
}

func TestUnknownNumbersPrintAsQuestionMarks(t *testing.T) {
	s := summaries()[:2]
	s[0].Unknown = backend.SummarySpanCount | backend.SummaryErrorCount | backend.SummaryDuration
	s[0].Warnings = []string{"spanCount \"NaN\" is not a count"}
	m := newTestList(t, staticLoad(s))
	m, out := run(t, m, m.Init())
	var row string
	for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
		if strings.Contains(l, "GET /checkout") {
			row = l
		}
	}
	f := strings.Fields(row)
	if len(f) < 4 || f[len(f)-1] != "?" || f[len(f)-2] != "?" || !strings.Contains(row, " ? ") {
		t.Fatalf("row %q", row)
	}
	if st := statuses(toAny(out)); len(st) != 1 || !strings.Contains(st[0], "1 of the summaries hold impossible numbers, shown as ?") {
		t.Fatalf("status %q", st)
	}
}

func TestFindGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 30}} {
		t.Run(fmt.Sprintf("limit-%dx%d", size[0], size[1]), func(t *testing.T) {
			m := newFindList(t, &finder{all: many(30)}, 20, size[0], size[1])
			m, _ = press(t, m, "E")
			golden.RequireEqual(t, ansi.Strip(m.View()))
		})
	}
	t.Run("limit-colour", func(t *testing.T) {
		m := newFindList(t, &finder{all: many(30)}, 20, 80, 12)
		golden.RequireEqual(t, m.View())
	})
}
