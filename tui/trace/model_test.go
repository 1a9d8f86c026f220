package trace

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/zipkin"
	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/internal/present"
	"github.com/tracetui/tracetui/keymap"
)

// Waterfall order of dispatchTrace with everything open.
var dispatchRows = []string{
	"frontend HTTP GET /dispatch",
	"frontend HTTP GET /customer",
	"customer SQL SELECT",
	"driver FindNearest",
	"redis GetDriver",
	"redis GetDriver",
	"route FindRoute",
	"geo Lookup",
	"route compute",
}

func TestRowsFollowTreeOrder(t *testing.T) {
	m, _ := newModel(t, dispatchTrace(), 80, 24)
	if got := rowNames(m); !slices.Equal(got, dispatchRows) {
		t.Fatalf("rows = %q, want %q", got, dispatchRows)
	}
	if !m.Analysis() {
		t.Fatal("analysis did not arrive")
	}
}

func TestMovementKeys(t *testing.T) {
	tests := []struct {
		name string
		keys []string
		want int // row
	}{
		{"j", []string{"j"}, 1},
		{"down", []string{"down"}, 1},
		{"k after j j", []string{"j", "j", "k"}, 1},
		{"up", []string{"j", "up"}, 0},
		{"k at top stays", []string{"k"}, 0},
		{"G", []string{"G"}, 8},
		{"end", []string{"end"}, 8},
		{"g", []string{"G", "g"}, 0},
		{"home", []string{"G", "home"}, 0},
		{"j at bottom stays", []string{"G", "j"}, 8},
		// 12 lines: 2 header, 1 axis, 1 footer: 8 rows on screen.
		{"pgdown", []string{"pgdown"}, 7},
		{"ctrl+d", []string{"ctrl+d"}, 7},
		{"pgup", []string{"G", "pgup"}, 1},
		{"ctrl+u", []string{"G", "ctrl+u"}, 1},
		{"p", []string{"j", "j", "p"}, 1},
		{"p at root stays", []string{"p"}, 0},
		{"J", []string{"j", "J"}, 3},
		{"J J", []string{"j", "J", "J"}, 6},
		{"J at last sibling stays", []string{"j", "J", "J", "J"}, 6},
		{"K", []string{"j", "J", "K"}, 1},
		{"l on open span goes to first child", []string{"j", "l"}, 2},
		{"right", []string{"j", "right"}, 2},
		{"h on leaf goes to parent", []string{"j", "j", "h"}, 1},
		{"left on leaf goes to parent", []string{"j", "j", "left"}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, o := newModel(t, dispatchTrace(), 80, 12)
			m = press(t, m, o, tc.keys...)
			if m.s.wf.win.Cursor != tc.want {
				t.Fatalf("cursor = %d (%s), want %d", m.s.wf.win.Cursor, selectedName(m), tc.want)
			}
			if int32(m.Selected()) != m.s.wf.rows[tc.want] {
				t.Fatalf("selected span %d is not row %d", m.Selected(), tc.want)
			}
			checkView(t, m.View(), 80, 12)
		})
	}
}

func TestFoldKeys(t *testing.T) {
	tests := []struct {
		name     string
		keys     []string
		rows     int
		selected string
	}{
		{"h folds an open span", []string{"j", "h"}, 8, "frontend HTTP GET /customer"},
		{"h twice goes to parent", []string{"j", "h", "h"}, 8, "frontend HTTP GET /dispatch"},
		{"l unfolds", []string{"j", "h", "l"}, 9, "frontend HTTP GET /customer"},
		{"space folds", []string{"j", "space"}, 8, "frontend HTTP GET /customer"},
		{"space twice unfolds", []string{"j", "space", "space"}, 9, "frontend HTTP GET /customer"},
		{"space on leaf does nothing", []string{"j", "j", "space"}, 9, "customer SQL SELECT"},
		{"1 shows roots only", []string{"1"}, 1, "frontend HTTP GET /dispatch"},
		{"2 shows two levels", []string{"2"}, 4, "frontend HTTP GET /dispatch"},
		{"3 shows three levels", []string{"3"}, 9, "frontend HTTP GET /dispatch"},
		{"0 unfolds all", []string{"1", "0"}, 9, "frontend HTTP GET /dispatch"},
		{"- folds the deepest open level", []string{"-"}, 4, "frontend HTTP GET /dispatch"},
		{"- - folds the next level", []string{"-", "-"}, 1, "frontend HTTP GET /dispatch"},
		{"+ unfolds the shallowest folded level", []string{"1", "+"}, 4, "frontend HTTP GET /dispatch"},
		{"= is + too", []string{"1", "="}, 4, "frontend HTTP GET /dispatch"},
		{"selection moves to a visible ancestor", []string{"j", "j", "1"}, 1, "frontend HTTP GET /dispatch"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, o := newModel(t, dispatchTrace(), 80, 24)
			m = press(t, m, o, tc.keys...)
			if len(m.s.wf.rows) != tc.rows {
				t.Fatalf("rows = %d %q, want %d", len(m.s.wf.rows), rowNames(m), tc.rows)
			}
			if got := selectedName(m); got != tc.selected {
				t.Fatalf("selected %q, want %q", got, tc.selected)
			}
			checkView(t, m.View(), 80, 24)
		})
	}
}

func TestSelectionFollowsSpanAcrossFolds(t *testing.T) {
	m, o := newModel(t, dispatchTrace(), 80, 24)
	m = press(t, m, o, "G") // route compute, row 8
	if got := selectedName(m); got != "route compute" {
		t.Fatalf("selected %q", got)
	}
	// Fold the driver subtree from below via the tree, not the cursor.
	m.s.wf.setFold(3, true)
	if got := selectedName(m); got != "route compute" || m.s.wf.win.Cursor != 6 {
		t.Fatalf("after fold: selected %q at row %d, want route compute at 6", got, m.s.wf.win.Cursor)
	}
	m = press(t, m, o, "0")
	if got := selectedName(m); got != "route compute" || m.s.wf.win.Cursor != 8 {
		t.Fatalf("after unfold: selected %q at row %d", got, m.s.wf.win.Cursor)
	}
}

func TestFoldedRowShowsHiddenCount(t *testing.T) {
	m, o := newModel(t, dispatchTrace(), 80, 24)
	m = press(t, m, o, "1")
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "▸ frontend HTTP GET") || !strings.Contains(v, " +8 ") {
		t.Fatalf("folded root row lacks marker and count:\n%s", v)
	}
	// The fold hides two of the three failed spans (the root is the
	// third): the row says so, and the count goes once the fold opens.
	if !strings.Contains(v, "+8 2✗") {
		t.Fatalf("folded root row does not say it hides 2 errors:\n%s", v)
	}
	checkView(t, m.View(), 80, 24)
	m = press(t, m, o, "9")
	if v := ansi.Strip(m.View()); strings.Contains(v, "2✗") {
		t.Fatalf("unfolded rows still count hidden errors:\n%s", v)
	}
}

func TestZoomKeys(t *testing.T) {
	m, o := newModel(t, dispatchTrace(), 100, 24)
	m = press(t, m, o, "j", "J") // driver FindNearest 31..60 ms
	m = press(t, m, o, "z")
	lo, hi := m.s.wf.timeRange()
	if lo != t0+31*ms || hi != t0+60*ms {
		t.Fatalf("zoom range = %d..%d ms", (lo-t0)/ms, (hi-t0)/ms)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "zoom 31ms–60ms") {
		t.Fatalf("axis does not say zoom:\n%s", v)
	}
	checkView(t, m.View(), 100, 24)
	// Zoom again into the first redis call, then Z back one level.
	m = press(t, m, o, "j", "z", "Z")
	if lo, hi = m.s.wf.timeRange(); lo != t0+31*ms || hi != t0+60*ms {
		t.Fatalf("Z did not go back one level: %d..%d", (lo-t0)/ms, (hi-t0)/ms)
	}
	m = press(t, m, o, "esc")
	if lo, hi = m.s.wf.timeRange(); lo != t0 || hi != t0+100*ms {
		t.Fatalf("esc did not leave the zoom: %d..%d", (lo-t0)/ms, (hi-t0)/ms)
	}
	m = press(t, m, o, "Z")
	if o.lastStatus() != "not zoomed" {
		t.Fatalf("Z when not zoomed said %q", o.lastStatus())
	}
}

func TestRerootKeys(t *testing.T) {
	m, o := newModel(t, dispatchTrace(), 80, 24)
	m = press(t, m, o, "j", "J", "R") // driver
	want := []string{"driver FindNearest", "redis GetDriver", "redis GetDriver"}
	if got := rowNames(m); !slices.Equal(got, want) {
		t.Fatalf("re-rooted rows = %q", got)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "root: driver FindNearest") {
		t.Fatalf("axis does not name the root:\n%s", v)
	}
	// Depth keys count from the new root.
	m = press(t, m, o, "1")
	if len(m.s.wf.rows) != 1 {
		t.Fatalf("1 in re-rooted view shows %d rows", len(m.s.wf.rows))
	}
	m = press(t, m, o, "0", "R") // R on the root goes back
	if len(m.s.wf.rows) != 9 || selectedName(m) != "driver FindNearest" {
		t.Fatalf("R on root: %d rows, selected %q", len(m.s.wf.rows), selectedName(m))
	}
	m = press(t, m, o, "R", "esc")
	if len(m.s.wf.rows) != 9 {
		t.Fatalf("esc did not leave the re-root: %d rows", len(m.s.wf.rows))
	}
	if o.back {
		t.Fatal("esc went back while a re-root was open")
	}
}

func TestEscBackOrder(t *testing.T) {
	m, o := newModel(t, dispatchTrace(), 80, 24)
	m = press(t, m, o, "x", "z", "d", "/", "r", "e", "enter")
	if m.s.box.query != "re" || m.s.pane.kind != paneDetail || len(m.s.wf.stack) != 1 || !m.s.wf.errorsOnly {
		t.Fatalf("setup: query %q pane %d stack %d errors %v", m.s.box.query, m.s.pane.kind, len(m.s.wf.stack), m.s.wf.errorsOnly)
	}
	steps := []func() bool{
		func() bool { return m.s.box.query == "" && m.s.pane.kind == paneDetail },
		func() bool { return m.s.pane.kind == paneNone && len(m.s.wf.stack) == 1 },
		func() bool { return len(m.s.wf.stack) == 0 && m.s.wf.errorsOnly },
		func() bool { return !m.s.wf.errorsOnly && !o.back },
		func() bool { return o.back },
	}
	for k, ok := range steps {
		m = press(t, m, o, "esc")
		if !ok() {
			t.Fatalf("esc %d closed the wrong thing", k+1)
		}
	}
}

func TestSearchKeys(t *testing.T) {
	m, o := newModel(t, dispatchTrace(), 80, 24)
	m = press(t, m, o, "/")
	if !m.Capturing() {
		t.Fatal("/ did not focus the input")
	}
	// q is text while typing, not quit.
	m = press(t, m, o, "r", "e", "d", "i", "s")
	if m.s.box.query != "redis" || m.s.box.res == nil || len(m.s.box.res.order) != 2 {
		t.Fatalf("search %q: %+v", m.s.box.query, m.s.box.res)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "/redis") {
		t.Fatalf("input not shown:\n%s", v)
	}
	m = press(t, m, o, "enter")
	if m.Capturing() {
		t.Fatal("enter did not leave the input")
	}
	if m.s.wf.win.Cursor != 4 {
		t.Fatalf("enter moved to row %d, want the first match (4)", m.s.wf.win.Cursor)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "/redis 1/2") {
		t.Fatalf("footer lacks match count:\n%s", v)
	}
	m = press(t, m, o, "n")
	if m.s.wf.win.Cursor != 5 {
		t.Fatalf("n moved to %d, want 5", m.s.wf.win.Cursor)
	}
	m = press(t, m, o, "n")
	if m.s.wf.win.Cursor != 4 {
		t.Fatalf("n did not wrap: %d", m.s.wf.win.Cursor)
	}
	m = press(t, m, o, "N")
	if m.s.wf.win.Cursor != 5 {
		t.Fatalf("N did not wrap backwards: %d", m.s.wf.win.Cursor)
	}
	m = press(t, m, o, "esc")
	if m.s.box.query != "" || m.s.box.res != nil {
		t.Fatal("esc did not clear the search")
	}
	if o.back {
		t.Fatal("esc with a search open went back")
	}
}

func TestSearchEscWhileTyping(t *testing.T) {
	m, o := newModel(t, dispatchTrace(), 80, 24)
	m = press(t, m, o, "/", "q", "esc")
	if m.Capturing() || m.s.box.query != "" || o.back {
		t.Fatalf("esc while typing: capturing %v query %q back %v", m.Capturing(), m.s.box.query, o.back)
	}
}

func TestSearchRevealsFoldedMatch(t *testing.T) {
	m, o := newModel(t, dispatchTrace(), 80, 24)
	m = press(t, m, o, "1", "/", "g", "e", "o", "enter")
	if got := selectedName(m); got != "geo Lookup" {
		t.Fatalf("selected %q, want the folded match revealed", got)
	}
	if m.s.wf.rowOf[m.Selected()] < 0 {
		t.Fatal("match is not visible")
	}
}

func TestSearchSyntax(t *testing.T) {
	tests := []struct {
		query string
		want  int
	}{
		{"redis", 2},
		{"is:error", 3},
		{"is:error redis", 1},
		{">25ms", 5},
		{"<10ms", 2}, // geo 10ms counts (at most), redis 8ms
		{"svc:redis", 2},
		{"op:find", 2},
		{"sql.query=select", 1},
		{"customer", 2},         // op; service, query and baggage of one span
		{"0000000000000004", 1}, // span ID
		{"4", 0},                // span IDs match whole, not in part
		{"nothing-matches-this", 0},
		{"is:critical", -1}, // depends on the path; checked below
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			m, _ := newModel(t, dispatchTrace(), 80, 24)
			res := runSearch(m.s.rd.td, m.s.rd.an, tc.query)
			if res.err != "" {
				t.Fatalf("error %q", res.err)
			}
			if tc.want >= 0 && len(res.order) != tc.want {
				names := []string{}
				for _, i := range res.order {
					names = append(names, m.s.rd.trace.Spans[i].Operation)
				}
				t.Fatalf("%d matches %q, want %d", len(res.order), names, tc.want)
			}
			for _, i := range res.order {
				if tc.query == "is:critical" && m.s.rd.an.critical.SpanTime[i] <= 0 {
					t.Fatalf("span %d matched is:critical without critical time", i)
				}
			}
		})
	}
	m, _ := newModel(t, dispatchTrace(), 80, 24)
	if res := runSearch(m.s.rd.td, m.s.rd.an, ">abc"); res.err == "" {
		t.Fatal("a bad duration was accepted")
	}
}

func TestStaleSearchDropped(t *testing.T) {
	m, o := newModel(t, dispatchTrace(), 80, 24)
	var first tea.Cmd
	m, _ = m.Update(keyMsg("/"))
	for _, k := range []string{"g", "e", "o"} {
		var cmd tea.Cmd
		m, cmd = m.Update(keyMsg(k))
		if k == "g" {
			first = cmd
		} else {
			m = run(t, m, cmd, o)
		}
	}
	if m.s.box.res == nil || len(m.s.box.res.order) != 1 {
		t.Fatalf("search for geo: %+v", m.s.box.res)
	}
	// The search for "g" finishes last: it must not replace "geo"'s.
	m = run(t, m, first, o)
	if len(m.s.box.res.order) != 1 {
		t.Fatalf("a stale search result replaced the current one: %d matches", len(m.s.box.res.order))
	}
}

func TestStaleAnalysisDropped(t *testing.T) {
	tr := dispatchTrace()
	a := New(Config{Keys: keymap.DefaultTrace()}, tr)
	b := New(Config{Keys: keymap.DefaultTrace()}, tr)
	msg := b.Init()()
	a, _ = a.Update(msg)
	if a.s.rd.td != nil {
		t.Fatal("model took another model's tree")
	}
	a, cmd := a.Update(a.Init()())
	if a.s.rd.td == nil || cmd == nil {
		t.Fatal("own tree not taken")
	}
	// Another model's analysis is dropped too.
	_, bcmd := b.Update(msg)
	a, _ = a.Update(bcmd())
	if a.s.rd.an != nil {
		t.Fatal("model took another model's analysis")
	}
}

func TestWaterfallBeforeAnalysis(t *testing.T) {
	m := New(Config{Keys: keymap.DefaultTrace(), Now: func() time.Time { return now }, Location: time.UTC}, dispatchTrace())
	m.SetSize(80, 24)
	checkView(t, m.View(), 80, 24) // before even the tree
	m, cmd := m.Update(m.Init()())
	if cmd == nil {
		t.Fatal("tree did not start the analysis")
	}
	o := &outcome{}
	m = press(t, m, o, "j", "j")
	if m.s.wf.win.Cursor != 2 {
		t.Fatal("cannot move before the analysis")
	}
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "analysing…") || !strings.Contains(v, "customer SQL SELECT") {
		t.Fatalf("waterfall before analysis:\n%s", v)
	}
	checkView(t, m.View(), 80, 24)
	m = press(t, m, o, "e")
	if o.lastStatus() != "analysing…" {
		t.Fatalf("e before analysis said %q", o.lastStatus())
	}
	m = press(t, m, o, "c")
	if v := ansi.Strip(m.View()); !strings.Contains(v, "Critical path") || !strings.Contains(v, "analysing…") {
		t.Fatalf("critical pane before analysis:\n%s", v)
	}
	m = run(t, m, cmd, o)
	if v := ansi.Strip(m.View()); !strings.Contains(v, "sections") {
		t.Fatalf("critical pane did not fill in:\n%s", v)
	}
}

// multiErrorTrace has three independent error origins.
func multiErrorTrace() *backend.Trace {
	return buildTrace("77", []spanSpec{
		{id: "1", service: "api", op: "root", start: 0, dur: 100, err: true},
		{id: "2", parent: "1", service: "a", op: "first", start: 10, dur: 10, err: true},
		{id: "3", parent: "1", service: "b", op: "second", start: 30, dur: 10},
		{id: "4", parent: "3", service: "b", op: "second-inner", start: 31, dur: 5, err: true},
		{id: "5", parent: "1", service: "c", op: "third", start: 50, dur: 10, err: true},
	})
}

func TestErrorOriginKeys(t *testing.T) {
	m, o := newModel(t, multiErrorTrace(), 80, 24)
	m = press(t, m, o, "1") // origins are folded away: e must reveal them
	// The status names the span: deep rows cut names in the waterfall.
	want := []struct{ name, status string }{
		{"a first", "error origin 1/3: a first"},
		{"b second-inner", "error origin 2/3: b second-inner"},
		{"c third", "error origin 3/3: c third"},
		{"a first", "error origin 1/3: a first"},
	}
	for _, w := range want {
		m = press(t, m, o, "e")
		if got := selectedName(m); got != w.name || o.lastStatus() != w.status {
			t.Fatalf("e: selected %q status %q, want %q %q", got, o.lastStatus(), w.name, w.status)
		}
		if m.s.wf.rowOf[m.Selected()] < 0 {
			t.Fatal("origin not visible")
		}
	}
	m = press(t, m, o, "E")
	if got := selectedName(m); got != "c third" || o.lastStatus() != "error origin 3/3: c third" {
		t.Fatalf("E: %q %q", got, o.lastStatus())
	}
	m2, o2 := newModel(t, buildTrace("1", []spanSpec{{id: "1", service: "a", op: "ok", dur: 1}}), 80, 24)
	press(t, m2, o2, "e")
	if o2.lastStatus() != "no errors in this trace" {
		t.Fatalf("e without errors said %q", o2.lastStatus())
	}
}

func TestCriticalNavigation(t *testing.T) {
	m, o := newModel(t, dispatchTrace(), 80, 24)
	cp := m.s.rd.an.critical
	if len(cp.Spans) < 3 {
		t.Fatalf("critical path too short for the test: %v", cp.Spans)
	}
	m = press(t, m, o, "j") // frontend HTTP GET /customer
	start := int32(m.Selected())
	r := m.s.rd.an.cpRank[start]
	if r < 0 {
		t.Fatal("the sequential call is expected on the critical path")
	}
	m = press(t, m, o, "]")
	if int32(m.Selected()) != cp.Spans[(int(r)+1)%len(cp.Spans)] {
		t.Fatalf("] selected %q", selectedName(m))
	}
	if want := "critical span " + itoa(int(r)+2) + "/" + itoa(len(cp.Spans)) + ": " + selectedName(m); o.lastStatus() != want {
		t.Fatalf("status %q, want %q", o.lastStatus(), want)
	}
	m = press(t, m, o, "[")
	if int32(m.Selected()) != start {
		t.Fatalf("[ did not go back: %q", selectedName(m))
	}
	// From a span off the path, ] goes to the path's first span. Every
	// span of dispatchTrace is on its path (its calls are sequential): a
	// trace with a call that runs beside a longer one has one off it.
	m, o = newModel(t, buildTrace("0000000000000000000000000000c0de", []spanSpec{
		{id: "1", service: "api", op: "GET /", start: 0, dur: 100},
		{id: "2", parent: "1", service: "cache", op: "get", start: 1, dur: 10},
		{id: "3", parent: "1", service: "db", op: "query", start: 1, dur: 98},
	}), 80, 24)
	cp = m.s.rd.an.critical
	m = press(t, m, o, "j") // cache get, beside the longer query
	if selectedName(m) != "cache get" || m.s.rd.an.cpRank[m.Selected()] >= 0 {
		t.Fatalf("%q should be off the critical path", selectedName(m))
	}
	m = press(t, m, o, "]")
	if int32(m.Selected()) != cp.Spans[0] {
		t.Fatalf("] from off the path selected %q", selectedName(m))
	}
}

func TestFilterKeys(t *testing.T) {
	m, o := newModel(t, dispatchTrace(), 80, 24)
	m = press(t, m, o, "x")
	// Error spans plus their ancestors: root, driver, redis#2.
	want := []string{"frontend HTTP GET /dispatch", "driver FindNearest", "redis GetDriver"}
	if got := rowNames(m); !slices.Equal(got, want) {
		t.Fatalf("errors only: %q", got)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "errors only") {
		t.Fatalf("footer does not say errors only:\n%s", v)
	}
	m = press(t, m, o, "x")
	if len(m.s.wf.rows) != 9 {
		t.Fatalf("x again: %d rows", len(m.s.wf.rows))
	}
	m, o = newModel(t, parallelTrace(), 80, 24)
	m = press(t, m, o, "C")
	for _, i := range m.s.wf.rows {
		if m.s.rd.an.critical.SpanTime[i] <= 0 {
			t.Fatalf("critical only shows %q", m.s.rd.trace.Spans[i].Operation)
		}
	}
	if got := rowNames(m); !slices.Equal(got, []string{"api root", "a slow"}) {
		t.Fatalf("critical only shows %q", got)
	}
	m = press(t, m, o, "C")
	if len(m.s.wf.rows) != 3 {
		t.Fatal("C again did not clear")
	}
	m2, o2 := newModel(t, buildTrace("1", []spanSpec{{id: "1", service: "a", op: "ok", dur: 1}}), 80, 24)
	m2 = press(t, m2, o2, "x")
	if m2.s.wf.errorsOnly || o2.lastStatus() != "no errors in this trace" {
		t.Fatal("x on a trace without errors")
	}
}

// parallelTrace has a child off the critical path: b runs inside a's time.
func parallelTrace() *backend.Trace {
	return buildTrace("88", []spanSpec{
		{id: "1", service: "api", op: "root", start: 0, dur: 100},
		{id: "2", parent: "1", service: "a", op: "slow", start: 10, dur: 80},
		{id: "3", parent: "1", service: "b", op: "fast", start: 20, dur: 10},
	})
}

func TestCollapseShortKey(t *testing.T) {
	m, o := newModel(t, dispatchTrace(), 80, 24)
	// 1% of 100ms: nothing with children is that short.
	m = press(t, m, o, "m")
	if len(m.s.wf.rows) != 9 || !strings.Contains(o.lastStatus(), "folded 0 spans shorter than 1ms") {
		t.Fatalf("m: %d rows, %q", len(m.s.wf.rows), o.lastStatus())
	}
	m = press(t, m, o, "m", "m", "m") // 5%, 10%, then 25 ms: folds customer (29)? no: 29 ≥ 25
	if !strings.Contains(o.lastStatus(), "shorter than 25ms") {
		t.Fatalf("status %q", o.lastStatus())
	}
	m = press(t, m, o, "m") // wraps to 1%
	if !strings.Contains(o.lastStatus(), "shorter than 1ms") {
		t.Fatalf("status %q", o.lastStatus())
	}
	// A short parent folds.
	m3, o3 := newModel(t, buildTrace("5", []spanSpec{
		{id: "1", service: "a", op: "root", dur: 1000},
		{id: "2", parent: "1", service: "a", op: "short", start: 1, dur: 5},
		{id: "3", parent: "2", service: "a", op: "inner", start: 2, dur: 1},
	}), 80, 24)
	m3 = press(t, m3, o3, "m")
	if len(m3.s.wf.rows) != 2 || !m3.s.wf.collapsed[1] {
		t.Fatalf("short parent not folded: %q", rowNames(m3))
	}
}

func TestBigTraceOpensFolded(t *testing.T) {
	tr := genTrace(3000, 1)
	m, _ := newModel(t, tr, 80, 24)
	for _, i := range m.s.wf.rows {
		if m.s.rd.td.tree.Depth[i] > 2 {
			t.Fatalf("a span at depth %d is visible in a big trace", m.s.rd.td.tree.Depth[i])
		}
	}
	if len(m.s.wf.rows) >= 3000 {
		t.Fatal("big trace opened unfolded")
	}
	small, _ := newModel(t, genTrace(500, 1), 80, 24)
	if len(small.s.wf.rows) != 500 {
		t.Fatalf("small trace opened with %d of 500 rows", len(small.s.wf.rows))
	}
}

func TestSkewKey(t *testing.T) {
	m, o := newModel(t, dispatchTrace(), 100, 24)
	geo := int32(7)
	if m.s.rd.an.skewOf[geo] < 0 {
		t.Fatalf("geo Lookup starts before its parent on another host: expected skew, got %+v", m.s.rd.an.skews)
	}
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "~     └── geo Lookup") && !strings.Contains(v, " ~") {
		t.Fatalf("no skew marker:\n%s", v)
	}
	raw := m.s.rd.spanStart(geo)
	m = press(t, m, o, "a")
	if !m.s.rd.adjusted || !strings.HasPrefix(o.lastStatus(), "skew-adjusted") {
		t.Fatalf("a: adjusted %v status %q", m.s.rd.adjusted, o.lastStatus())
	}
	if adj := m.s.rd.spanStart(geo); adj == raw {
		t.Fatal("adjusted view did not move the skewed span")
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "skew-adjusted") {
		t.Fatal("footer does not say skew-adjusted")
	}
	m = press(t, m, o, "a")
	if m.s.rd.adjusted || o.lastStatus() != "raw times" {
		t.Fatal("a again did not go back to raw")
	}
}

func TestCopySpanID(t *testing.T) {
	m, o := newModel(t, dispatchTrace(), 80, 24)
	press(t, m, o, "j", "y")
	if len(o.clipboard) != 1 || o.clipboard[0] != "0000000000000002" {
		t.Fatalf("clipboard %q", o.clipboard)
	}
}

func TestBackWithNothingOpen(t *testing.T) {
	m, o := newModel(t, dispatchTrace(), 80, 24)
	_, cmd := m.Update(keyMsg("esc"))
	if cmd == nil {
		t.Fatal("esc returned no command")
	}
	if _, ok := cmd().(BackMsg); !ok {
		t.Fatal("esc did not yield BackMsg")
	}
	_ = o
}

func TestHelp(t *testing.T) {
	m, o := newModel(t, dispatchTrace(), 80, 24)
	if len(m.ShortHelp()) == 0 || len(m.FullHelp()) == 0 {
		t.Fatal("no help")
	}
	m = press(t, m, o, "/")
	for _, b := range m.ShortHelp() {
		if b.Help().Key == "/" {
			t.Fatal("short help while typing lists waterfall keys")
		}
	}
	var zero Model
	if zero.View() != "" || zero.Capturing() || zero.ShortHelp() != nil {
		t.Fatal("zero model")
	}
	zero, cmd := zero.Update(keyMsg("j"))
	if cmd != nil {
		t.Fatal("zero model returned a command")
	}
	zero.SetSize(10, 10)
}

func TestTinySizes(t *testing.T) {
	for _, sz := range [][2]int{{1, 1}, {10, 2}, {20, 5}, {40, 7}, {80, 3}, {0, 0}, {250, 70}} {
		for _, keys := range [][]string{nil, {"d"}, {"c"}, {"s"}, {"w"}, {"/", "x"}} {
			m, o := newModel(t, dispatchTrace(), sz[0], sz[1])
			m = press(t, m, o, keys...)
			v := m.View()
			if sz[1] == 0 {
				continue
			}
			checkView(t, v, sz[0], sz[1])
		}
	}
}

func TestEmptyTrace(t *testing.T) {
	m, o := newModel(t, &backend.Trace{ID: "00000000000000000000000000000001"}, 80, 24)
	for _, k := range []string{"j", "G", "space", "z", "R", "e", "]", "x", "C", "d", "c", "s", "w", "y", "/", "a", "enter", "esc", "esc"} {
		m = press(t, m, o, k)
		checkView(t, m.View(), 80, 24)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "no spans") {
		t.Fatalf("empty trace view:\n%s", v)
	}
}

func TestPasteIntoSearch(t *testing.T) {
	m, o := newModel(t, dispatchTrace(), 80, 24)
	m = press(t, m, o, "/")
	m, cmd := m.Update(tea.PasteMsg{Content: "geo"})
	m = run(t, m, cmd, o)
	if m.s.box.query != "geo" || m.s.box.res == nil || len(m.s.box.res.order) != 1 {
		t.Fatalf("paste: query %q result %+v", m.s.box.query, m.s.box.res)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "1 match") {
		t.Fatalf("typing footer lacks the count:\n%s", v)
	}
}

func TestSaturatingArithmetic(t *testing.T) {
	const maxI, minI = int64(1<<63 - 1), int64(-1 << 63)
	for _, c := range []struct{ a, b, sub, add int64 }{
		{5, 3, 2, 8},
		{maxI, -1, maxI, maxI - 1},
		{minI, 1, minI, minI + 1},
		{maxI, minI, maxI, -1},
		{minI, maxI, minI, -1},
		{-5, -3, -2, -8},
	} {
		if got := present.Sub(c.a, c.b); got != c.sub {
			t.Errorf("sub(%d, %d) = %d, want %d", c.a, c.b, got, c.sub)
		}
		if got := present.Add(c.a, c.b); got != c.add {
			t.Errorf("add(%d, %d) = %d, want %d", c.a, c.b, got, c.add)
		}
	}
}

// In the adjusted view everything on screen reads the adjusted trace: the
// bars, the axis and header, the critical path, the statistics and the
// error origins agree with an analysis of analysis.AdjustedTrace, and the
// header says so. Checked on Zipkin's skew fixture, where the server half of
// a call starts before its client half on another host.
func TestSkewAdjustedAnalysis(t *testing.T) {
	tr := skewFixture(t)
	rawTree := analysis.BuildTree(tr)
	rawA := analysis.AnalyzeRest(rawTree)
	if len(rawA.Skews) == 0 {
		t.Fatal("the skew fixture has no skew")
	}
	want := analysis.Analyze(analysis.AdjustedTrace(rawTree, rawA.Skews))
	if reflect.DeepEqual(want.Critical.Sections, rawA.Critical.Sections) {
		t.Fatal("adjusting does not change the critical path: the test would prove nothing")
	}

	m, o := newModel(t, tr, 100, 30)
	m = press(t, m, o, "a")
	if !m.s.rd.adjusted || !strings.HasPrefix(o.lastStatus(), "skew-adjusted") {
		t.Fatalf("a: adjusted %v status %q", m.s.rd.adjusted, o.lastStatus())
	}
	if !reflect.DeepEqual(m.s.rd.an.critical.Sections, want.Critical.Sections) {
		t.Errorf("critical path:\n got %+v\nwant %+v", m.s.rd.an.critical.Sections, want.Critical.Sections)
	}
	if !reflect.DeepEqual(m.s.rd.an.stats.Services, want.Stats.Services) {
		t.Errorf("service stats:\n got %+v\nwant %+v", m.s.rd.an.stats.Services, want.Stats.Services)
	}
	if !reflect.DeepEqual(m.s.rd.an.self, want.Self) {
		t.Errorf("self times differ from the adjusted analysis")
	}
	if m.s.rd.td.tree.Start != want.Tree.Start || m.s.rd.td.tree.End != want.Tree.End {
		t.Errorf("axis range %d..%d, want %d..%d", m.s.rd.td.tree.Start, m.s.rd.td.tree.End, want.Tree.Start, want.Tree.End)
	}
	v := ansi.Strip(m.View())
	header := strings.Split(v, "\n")[1]
	if !strings.Contains(header, "skew-adjusted") ||
		!strings.Contains(header, "duration "+format.Duration(want.Tree.End-want.Tree.Start)) {
		t.Errorf("header %q should say skew-adjusted and the adjusted duration", header)
	}
	// The marks still say which spans moved.
	for _, sk := range rawA.Skews {
		if m.s.rd.an.skewOf[sk.Span] < 0 {
			t.Errorf("span %d lost its skew mark in the adjusted view", sk.Span)
		}
	}
	if !strings.Contains(v, "~") {
		t.Errorf("no skew marker in the adjusted view:\n%s", v)
	}

	m = press(t, m, o, "a")
	if m.s.rd.adjusted || !reflect.DeepEqual(m.s.rd.an.critical.Sections, rawA.Critical.Sections) ||
		m.s.rd.td.tree.Start != rawTree.Start {
		t.Fatal("a again did not bring back the raw analysis")
	}
	if h := strings.Split(ansi.Strip(m.View()), "\n")[1]; strings.Contains(h, "adjusted") {
		t.Errorf("raw header still says adjusted: %q", h)
	}
}

// A zoom made in raw times follows its span into the adjusted view; a
// second press of a before the adjusted analysis arrives cancels it.
func TestSkewAdjustedZoomAndCancel(t *testing.T) {
	m, o := newModel(t, dispatchTrace(), 100, 24)
	geo := int32(7)
	for m.Selected() != int(geo) {
		m = press(t, m, o, "j")
	}
	m = press(t, m, o, "z", "a")
	top := m.s.wf.stack[len(m.s.wf.stack)-1]
	if top.lo != m.s.rd.spanStart(geo) || top.lo == dispatchTrace().Spans[geo].Start {
		t.Fatalf("zoom range %d..%d does not follow the adjusted span start %d", top.lo, top.hi, m.s.rd.spanStart(geo))
	}
	if m.Selected() != int(geo) {
		t.Fatalf("selection moved to %d", m.Selected())
	}

	m2, o2 := newModel(t, dispatchTrace(), 100, 24)
	m2, cmd := m2.Update(keyMsg("a")) // the adjusted analysis is not run yet
	m2 = press(t, m2, o2, "a")
	if o2.lastStatus() != "raw times" {
		t.Fatalf("second a while adjusting: status %q", o2.lastStatus())
	}
	m2 = run(t, m2, cmd, o2)
	if m2.s.rd.adjusted || m2.s.rd.pending {
		t.Fatal("a cancelled adjustment was shown when it arrived")
	}
	if m2.s.rd.adj == nil {
		t.Fatal("the finished adjusted analysis was not kept for the next press")
	}
}

// skewFixture is Zipkin's skew trace: the server half of a call starts
// before its client half, on another host.
func skewFixture(t *testing.T) *backend.Trace {
	t.Helper()
	f, err := os.Open("../../testdata/fixtures/zipkin/skew.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	traces, err := zipkin.Decode(f)
	if err != nil || len(traces) == 0 {
		t.Fatalf("decode: %v (%d traces)", err, len(traces))
	}
	return traces[0]
}

// TestLinkIntoAnotherTraceOpensIt: enter on a span's link into another
// trace (route FindRoute links to trace abcdef) asks to open that trace at
// the linked span; a link is never taken for a parent.
func TestLinkIntoAnotherTraceOpensIt(t *testing.T) {
	m, o := newModel(t, dispatchTrace(), 100, 30)
	for k := 0; selectedName(m) != "route FindRoute"; k++ {
		if k > 9 {
			t.Fatal("no route FindRoute row")
		}
		m = press(t, m, o, "j")
	}
	m = press(t, m, o, "d", "tab")
	for k := 0; ; k++ {
		if l, ok := m.s.pane.current(); ok && l.trace != "" {
			break
		}
		if k > 80 {
			t.Fatalf("no link row in the detail:\n%s", ansi.Strip(m.View()))
		}
		m = press(t, m, o, "j")
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "(enter opens it)") {
		t.Fatalf("the link row does not say enter opens it:\n%s", v)
	}
	m = press(t, m, o, "enter")
	want := OpenTraceMsg{Trace: backend.TraceIDFromWire("abcdef"), Span: backend.SpanIDFromWire("99")}
	if len(o.opened) != 1 || o.opened[0] != want {
		t.Fatalf("opened %+v, want %+v", o.opened, want)
	}
	checkView(t, m.View(), 100, 30)
}
