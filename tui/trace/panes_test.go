package trace

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/demo"
	"github.com/tracetui/tracetui/internal/format"
)

// paneText is the plain text of the open pane's lines.
func paneText(m Model) []string {
	out := make([]string, len(m.s.pane.lines))
	for k, l := range m.s.pane.lines {
		out[k] = ansi.Strip(l.text)
	}
	return out
}

func findLine(lines []string, sub string) int {
	for k, l := range lines {
		if strings.Contains(l, sub) {
			return k
		}
	}
	return -1
}

func TestDetailPane(t *testing.T) {
	m, o := newModel(t, dispatchTrace(), 120, 40)
	m = press(t, m, o, "j", "j", "enter") // customer SQL SELECT
	if m.s.pane.kind != paneDetail || m.s.pane.focus {
		t.Fatalf("enter: pane %d focus %v; want detail without focus", m.s.pane.kind, m.s.pane.focus)
	}
	lines := paneText(m)
	for _, want := range []string{
		"service", "customer", "operation", "SQL SELECT", "span ID", "0000000000000003", "parent ID",
		"0000000000000002", "trace ID", "4bf92f3577b34da6a3ce929d0e0e4736", "kind", "server", "start",
		"+2ms", "duration", "26ms", "self time", "critical", "▾ Tags (2)", "sql.query", "▾ Process (1)",
		"hostname", "customer-host", "▾ Logs (2)", "+3ms", "baggage", "query done", "rows", "▾ References (1)",
		"CHILD_OF", "▾ Baggage (2)", "session", "abc123",
	} {
		if findLine(lines, want) < 0 {
			t.Errorf("detail lacks %q", want)
		}
	}
	// The long query wraps instead of being cut.
	q := findLine(lines, "SELECT * FROM customer")
	if q < 0 || findLine(lines[q+1:], "DESC") < 0 || findLine(lines[q+1:], "DESC") > 3 {
		t.Errorf("long value not wrapped:\n%s", strings.Join(lines, "\n"))
	}
	checkView(t, m.View(), 120, 40)

	// The pane follows the selection while the waterfall has focus.
	m = press(t, m, o, "j")
	if findLine(paneText(m), "FindNearest") < 0 {
		t.Fatal("detail did not follow the selection")
	}
	// tab focuses the pane; j moves its cursor, not the waterfall.
	m = press(t, m, o, "tab")
	if !m.s.pane.focus {
		t.Fatal("tab did not focus the pane")
	}
	sel := m.Selected()
	m = press(t, m, o, "j")
	if m.Selected() != sel || m.s.pane.win.Cursor != 1 {
		t.Fatalf("j in pane: selected %d→%d, pane cursor %d", sel, m.Selected(), m.s.pane.win.Cursor)
	}
	// y copies the value under the cursor (service).
	m = press(t, m, o, "y")
	if len(o.clipboard) != 1 || o.clipboard[0] != "driver" {
		t.Fatalf("y copied %q", o.clipboard)
	}
	// Fold a section from its heading with enter, unfold with l.
	lines = paneText(m)
	h := findLine(lines, "▾ Tags")
	if h < 0 {
		t.Fatalf("no Tags heading:\n%s", strings.Join(lines, "\n"))
	}
	m = press(t, m, o, "g")
	for range h {
		m = press(t, m, o, "j")
	}
	n := len(m.s.pane.lines)
	m = press(t, m, o, "enter")
	if !m.s.pane.folded[secTags] || len(m.s.pane.lines) >= n || findLine(paneText(m), "▸ Tags") < 0 {
		t.Fatalf("enter on heading did not fold Tags:\n%s", strings.Join(paneText(m), "\n"))
	}
	m = press(t, m, o, "l")
	if m.s.pane.folded[secTags] {
		t.Fatal("l did not unfold the section")
	}
	m = press(t, m, o, "j", "h") // h inside the section folds it
	if !m.s.pane.folded[secTags] {
		t.Fatal("h in a section did not fold it")
	}
	// Folds persist across spans.
	m = press(t, m, o, "tab", "k")
	if findLine(paneText(m), "▸ Tags") < 0 {
		t.Fatal("fold did not persist to the next span")
	}
	m = press(t, m, o, "tab", "esc")
	if m.s.pane.kind != paneNone || m.s.pane.focus {
		t.Fatal("esc in pane did not close it")
	}
	m = press(t, m, o, "d", "d")
	if m.s.pane.kind != paneNone {
		t.Fatal("d twice did not close the pane")
	}
}

func TestDetailWarningsAndSkew(t *testing.T) {
	m, o := newModel(t, dispatchTrace(), 120, 40)
	m = press(t, m, o, "/", "t", "i", "m", "e", "o", "u", "t", "enter", "d")
	lines := paneText(m)
	if findLine(lines, "Warnings (1)") < 0 || findLine(lines, "span was retried") < 0 {
		t.Fatalf("span warnings missing:\n%s", strings.Join(lines, "\n"))
	}
	if findLine(lines, "error: redis timeout") < 0 {
		t.Fatalf("status missing:\n%s", strings.Join(lines, "\n"))
	}
	m = press(t, m, o, "esc", "esc", "G", "k", "d") // geo Lookup
	lines = paneText(m)
	if findLine(lines, "skew") < 0 {
		t.Fatalf("skew warning missing:\n%s", strings.Join(lines, "\n"))
	}
}

func TestHugeValueIsBounded(t *testing.T) {
	tr := dispatchTrace()
	big := strings.Repeat("x", 1<<20)
	tr.Spans[0].Tags = append(tr.Spans[0].Tags, backendString("blob", big))
	m, o := newModel(t, tr, 80, 24)
	m = press(t, m, o, "d", "tab")
	if len(m.s.pane.lines) > 2000 {
		t.Fatalf("1 MB value made %d lines", len(m.s.pane.lines))
	}
	if findLine(paneText(m), "more bytes (y copies all)") < 0 {
		t.Fatal("cut value does not say so")
	}
	checkView(t, m.View(), 80, 24)
	// y on the note under the cut value copies all of it.
	note := findLine(paneText(m), "more bytes")
	for m.s.pane.win.Cursor < note {
		m = press(t, m, o, "j")
	}
	m = press(t, m, o, "y")
	if len(o.clipboard) != 1 || len(o.clipboard[0]) != 1<<20 {
		t.Fatalf("copied %d values", len(o.clipboard))
	}
}

func TestCriticalPane(t *testing.T) {
	m, o := newModel(t, parallelTrace(), 80, 24)
	m = press(t, m, o, "c")
	if m.s.pane.kind != paneCritical || !m.s.pane.focus {
		t.Fatal("c did not open a focused critical pane")
	}
	lines := paneText(m)
	// root's start, a, root's end: three sections in time order, with time
	// and share of the trace.
	want := []string{"3 sections · 2 spans · 100ms", "10ms  10.0% api root", "80ms  80.0% a slow", "10ms  10.0% api root"}
	if len(lines) != len(want) {
		t.Fatalf("critical pane:\n%s", strings.Join(lines, "\n"))
	}
	for k, w := range want {
		if !strings.Contains(lines[k], w) {
			t.Fatalf("line %d = %q, want %q", k, lines[k], w)
		}
	}
	if m.s.pane.win.Cursor != 1 {
		t.Fatalf("cursor starts on line %d, want the first section (1)", m.s.pane.win.Cursor)
	}
	m = press(t, m, o, "j", "enter")
	if selectedName(m) != "a slow" {
		t.Fatalf("enter jumped to %q", selectedName(m))
	}
	if !m.s.pane.focus {
		t.Fatal("focus left the pane after a jump")
	}
	m = press(t, m, o, "y")
	if len(o.clipboard) != 1 || o.clipboard[0] != "0000000000000002" {
		t.Fatalf("y in critical pane copied %q", o.clipboard)
	}
	checkView(t, m.View(), 80, 24)
	m = press(t, m, o, "c")
	if m.s.pane.kind != paneNone {
		t.Fatal("c again did not close")
	}
}

func TestServicePane(t *testing.T) {
	m, o := newModel(t, dispatchTrace(), 80, 24)
	m = press(t, m, o, "s")
	if m.s.pane.kind != paneServices || !m.s.pane.focus {
		t.Fatal("s did not open a focused service pane")
	}
	lines := paneText(m)
	if !strings.Contains(lines[0], "self▼") {
		t.Fatalf("default sort is not self: %q", lines[0])
	}
	if len(lines) != 1+6 {
		t.Fatalf("want a header and 6 services:\n%s", strings.Join(lines, "\n"))
	}
	// Sort cycles: self → total → count → errors → name → self.
	for _, col := range []string{"total▼", "count▼", "err▼", "service▲", "self▼"} {
		m = press(t, m, o, "o")
		if h := paneText(m)[0]; !strings.Contains(h, col) {
			t.Fatalf("after o header %q, want %q", h, col)
		}
	}
	m = press(t, m, o, "o", "o", "o", "o") // by name: customer, driver, frontend, geo, redis, route
	lines = paneText(m)
	if !strings.HasPrefix(strings.TrimSpace(lines[1]), "customer") || !strings.HasPrefix(strings.TrimSpace(lines[6]), "route") {
		t.Fatalf("sort by name:\n%s", strings.Join(lines, "\n"))
	}
	// Enter on redis filters the waterfall to redis (with ancestors).
	m = press(t, m, o, "g", "j", "j", "j", "j", "j", "enter")
	if m.s.wf.service < 0 || m.s.rd.td.services[m.s.wf.service] != "redis" {
		t.Fatalf("enter did not filter by redis: %d", m.s.wf.service)
	}
	want := []string{"frontend HTTP GET /dispatch", "driver FindNearest", "redis GetDriver", "redis GetDriver"}
	if got := rowNames(m); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("rows %q", got)
	}
	// The selection lands on redis's first span in waterfall order, not on
	// an ancestor that is only there for context.
	if sel := m.Selected(); sel != 4 || m.s.wf.rowOf[sel] < 0 {
		t.Fatalf("enter on redis selected span %d (%s), want the first redis GetDriver (4)", sel, selectedName(m))
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "service redis") {
		t.Fatalf("footer lacks the filter:\n%s", v)
	}
	checkView(t, m.View(), 80, 24)
	m = press(t, m, o, "enter")
	if m.s.wf.service >= 0 || len(m.s.wf.rows) != 9 {
		t.Fatal("enter again did not clear the filter")
	}
	// With redis's parent folded, enter unfolds the way to its first span.
	m = press(t, m, o, "tab", "g", "j", "j", "j", "space", "tab", "enter")
	if sel := m.Selected(); sel != 4 || m.s.wf.rowOf[sel] < 0 || m.s.wf.collapsed[3] {
		t.Fatalf("enter with driver folded: selected %d (%s), driver folded %v", sel, selectedName(m), m.s.wf.collapsed[3])
	}
	m = press(t, m, o, "enter")
	// tab gives focus back to the waterfall; j moves rows again.
	before := m.s.wf.win.Cursor
	m = press(t, m, o, "tab", "j")
	if m.s.pane.focus || m.s.wf.win.Cursor != before+1 {
		t.Fatalf("tab: focus %v cursor %d, was %d", m.s.pane.focus, m.s.wf.win.Cursor, before)
	}
}

func TestWarningsPane(t *testing.T) {
	tr := dispatchTrace()
	tr.Warnings = []string{"trace was truncated by the collector"}
	m, o := newModel(t, tr, 80, 24)
	if v := ansi.Strip(m.View()); !strings.Contains(v, "warnings (w)") {
		t.Fatalf("header does not announce warnings:\n%s", v)
	}
	m = press(t, m, o, "w")
	lines := paneText(m)
	if findLine(lines, "truncated by the collector") < 0 || findLine(lines, "skew") < 0 {
		t.Fatalf("warnings pane:\n%s", strings.Join(lines, "\n"))
	}
	checkView(t, m.View(), 80, 24)
}

// At 80×24 the detail pane has room for a few lines: for the span e lands
// on, what failed and how long it took show without scrolling.
func TestDetailErrorFirst(t *testing.T) {
	m, o := newModel(t, dispatchTrace(), 80, 24)
	m = press(t, m, o, "e", "d")
	if got := selectedName(m); got != "redis GetDriver" {
		t.Fatalf("e selected %q", got)
	}
	v := ansi.Strip(m.View())
	for _, want := range []string{"status    error: redis timeout", "duration  18ms", "self time 18ms"} {
		if !strings.Contains(v, want) {
			t.Errorf("detail at 80×24 does not show %q without scrolling:\n%s", want, v)
		}
	}
	checkView(t, m.View(), 80, 24)
}

func TestCriticalPaneBySpan(t *testing.T) {
	m, o := newModel(t, parallelTrace(), 80, 24)
	m = press(t, m, o, "c")
	if v := ansi.Strip(m.View()); !strings.Contains(v, "Critical path · by time") {
		t.Fatalf("title does not say the order:\n%s", v)
	}
	// o switches to by span: one line per span, critical time summed (root
	// has two sections), most first, and the cursor goes to the top.
	m = press(t, m, o, "j", "j", "o")
	lines := paneText(m)
	want := []string{"3 sections · 2 spans · 100ms", "80ms  80.0% a slow", "20ms  20.0% api root ×2"}
	if len(lines) != len(want) {
		t.Fatalf("by span:\n%s", strings.Join(lines, "\n"))
	}
	for k, w := range want {
		if !strings.Contains(lines[k], w) {
			t.Fatalf("line %d = %q, want %q", k, lines[k], w)
		}
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "Critical path · by span") {
		t.Fatalf("title does not say by span:\n%s", v)
	}
	if m.s.pane.win.Cursor != 1 {
		t.Fatalf("cursor on line %d after o, want the top span (1)", m.s.pane.win.Cursor)
	}
	checkView(t, m.View(), 80, 24)
	// Enter still jumps, y still copies the span ID.
	m = press(t, m, o, "j", "enter")
	if selectedName(m) != "api root" {
		t.Fatalf("enter jumped to %q", selectedName(m))
	}
	m = press(t, m, o, "y")
	if len(o.clipboard) != 1 || o.clipboard[0] != "0000000000000001" {
		t.Fatalf("y copied %q", o.clipboard)
	}
	// The order is kept when the pane is closed and opened again.
	m = press(t, m, o, "c", "c")
	if !strings.Contains(paneText(m)[1], "a slow") {
		t.Fatalf("reopened pane lost the order:\n%s", strings.Join(paneText(m), "\n"))
	}
	// o again: back to time order, cursor on the first section.
	m = press(t, m, o, "j", "o")
	if got := paneText(m); !strings.Contains(got[1], "10ms  10.0% api root") || len(got) != 4 {
		t.Fatalf("o did not go back to time order:\n%s", strings.Join(got, "\n"))
	}
	if m.s.pane.win.Cursor != 1 || !strings.Contains(ansi.Strip(m.View()), "Critical path · by time") {
		t.Fatalf("back in time order: cursor %d", m.s.pane.win.Cursor)
	}
	// o where there is nothing to order changes nothing.
	m = press(t, m, o, "c", "d", "tab", "o")
	if m.s.pane.critSort != critByTime || m.s.pane.services.SortBy != svcColSelf {
		t.Fatalf("o in the detail pane changed orders: critical %d services %d", m.s.pane.critSort, m.s.pane.services.SortBy)
	}
}

// On the demo's error trace most sections are tiny; by span, the span that
// holds most of the critical time comes first, every span once, times
// summed from the sections.
func TestCriticalPaneBySpanDemo(t *testing.T) {
	tr, err := demo.New(now).Trace(context.Background(), demo.ErrorTraceID, backend.TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, o := newModel(t, tr, 120, 40)
	m = press(t, m, o, "c")
	cp := m.s.rd.an.critical
	timeOrder := slices.Clone(m.s.pane.lines)
	m = press(t, m, o, "o")
	lines := m.s.pane.lines[1:]
	if len(lines) != len(cp.Spans) {
		t.Fatalf("%d lines for %d critical spans", len(lines), len(cp.Spans))
	}
	sum := map[int32]int64{}
	for _, sec := range cp.Sections {
		sum[sec.Span] += sec.End - sec.Start
	}
	seen := map[int32]bool{}
	for k, l := range lines {
		if seen[l.span] || !slices.Contains(cp.Spans, l.span) {
			t.Fatalf("line %d: span %d repeated or not critical", k, l.span)
		}
		seen[l.span] = true
		if k > 0 && sum[l.span] > sum[lines[k-1].span] {
			t.Fatalf("line %d has more critical time than line %d", k, k-1)
		}
		if want := format.Duration(sum[l.span]); !strings.Contains(ansi.Strip(l.text), want) {
			t.Fatalf("line %d %q lacks its summed time %s", k, ansi.Strip(l.text), want)
		}
		if got := cp.SpanTime[l.span]; got != sum[l.span] {
			t.Fatalf("span %d: summed %d, analysis says %d", l.span, sum[l.span], got)
		}
	}
	top := lines[0].span
	if 10*sum[top] < 9*(m.s.rd.td.tree.End-m.s.rd.td.tree.Start) {
		t.Fatalf("top span has %s of %s; the demo's slow provider call holds over 90%%",
			format.Duration(sum[top]), format.Duration(m.s.rd.td.tree.End-m.s.rd.td.tree.Start))
	}
	// In time order it is not on the first lines, which is the point.
	if k := slices.IndexFunc(timeOrder, func(l paneLine) bool { return l.span == top }); k < 3 {
		t.Fatalf("top span is line %d in time order too; the test shows nothing", k)
	}
	if m.s.pane.win.Cursor != 1 || m.s.pane.win.Offset != 0 {
		t.Fatalf("after o the cursor is on line %d (offset %d), not on the top span", m.s.pane.win.Cursor, m.s.pane.win.Offset)
	}
	checkView(t, m.View(), 120, 40)
}

// The critical pane's counter counts its entries (sections in time order,
// spans by span), not the summary line above them, and says where the
// cursor is among them.
func TestCriticalPaneCounter(t *testing.T) {
	tr, err := demo.New(now).Trace(context.Background(), demo.ErrorTraceID, backend.TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, o := newModel(t, tr, 80, 24)
	m = press(t, m, o, "c")
	cp := m.s.rd.an.critical
	title := func() string {
		for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
			if strings.Contains(l, "Critical path") {
				return l
			}
		}
		t.Fatal("no critical pane title")
		return ""
	}
	want := "1/" + itoa(len(cp.Sections)) + " "
	if h := title(); !strings.Contains(h, " "+want) {
		t.Errorf("time order, first section: title %q, want %q", h, want)
	}
	m = press(t, m, o, "down")
	if h := title(); !strings.Contains(h, " 2/"+itoa(len(cp.Sections))+" ") {
		t.Errorf("time order, second section: title %q", h)
	}
	m = press(t, m, o, "o")
	if h := title(); !strings.Contains(h, " 1/"+itoa(len(cp.Spans))+" ") {
		t.Errorf("by span: title %q, want 1/%d", h, len(cp.Spans))
	}
}
