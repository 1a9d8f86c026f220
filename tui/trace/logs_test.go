package trace

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/logs"
	"github.com/tracetui/tracetui/internal/links"
	"github.com/tracetui/tracetui/internal/present"
	"github.com/tracetui/tracetui/internal/testkit/hostile"
	"github.com/tracetui/tracetui/keymap"
)

const dispatchID = "4bf92f3577b34da6a3ce929d0e0e4736"

// dispatchLog is an application log of dispatchTrace in both formats: lines
// of spans 1, 3 and 6 (an error line), one naming no span, one naming a
// span not in the trace, a line of another trace and one of neither format.
func dispatchLog() string {
	return strings.Join([]string{
		`{"time":"2026-03-14T15:09:26.001Z","level":"info","service":"frontend","trace_id":"` + dispatchID + `","span_id":"0000000000000001","msg":"GET /dispatch","customer":"123"}`,
		`{"time":"2026-03-14T15:09:26.003Z","level":"debug","service":"customer","trace_id":"` + dispatchID + `","span_id":"0000000000000003","msg":"SELECT customer by id"}`,
		`time=2026-03-14T15:09:26.045Z level=warn service=redis trace_id=` + dispatchID + ` span_id=0000000000000006 msg="retrying GetDriver" attempt=2`,
		`time=2026-03-14T15:09:26.058Z level=error service=redis trace_id=` + dispatchID + ` span_id=0000000000000006 msg="redis timeout after 18ms"`,
		`{"time":"2026-03-14T15:09:26.070Z","level":"info","service":"geo","trace_id":"` + dispatchID + `","span_id":"00000000000000ff","msg":"cache miss"}`,
		`{"time":"2026-03-14T15:09:26.099Z","level":"info","service":"frontend","trace_id":"` + dispatchID + `","msg":"request done status=500"}`,
		`{"time":"2026-03-14T15:09:26.050Z","level":"error","service":"frontend","trace_id":"0000000000000000000000000000abcd","span_id":"0000000000000001","msg":"another trace"}`,
		`this line is neither JSON nor logfmt`,
	}, "\n") + "\n"
}

func logSet(t testing.TB, text string) *logs.Set {
	t.Helper()
	path := filepath.Join(t.TempDir(), "app.log")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	set, err := logs.Open([]string{path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// logConfig is the test config with a log source and link templates.
func logConfig(src LogSource, hyper bool) Config {
	return Config{
		Keys: keymap.DefaultTrace(), Dark: true, Now: func() time.Time { return now }, Location: time.UTC,
		Logs: src, Hyperlinks: hyper,
		Links: []links.Template{
			{Type: links.ScopeSpan, Name: "Jaeger UI", URL: "http://jaeger.example/trace/{traceID}?uiFind={spanID}"},
			{Type: links.ScopeService, Name: "{service} logs", URL: "https://logs.example/search?q=service%3A{service}"},
			{Type: links.ScopeTrace, Name: "Jaeger UI", URL: "http://jaeger.example/trace/{traceID}"},
		},
	}
}

func newLogModel(t testing.TB, tr *backend.Trace, src LogSource, hyper bool, w, h int) (Model, *outcome) {
	t.Helper()
	m := New(logConfig(src, hyper), tr)
	m.SetSize(w, h)
	o := &outcome{}
	m = run(t, m, m.Init(), o)
	return m, o
}

// selectSpan moves the waterfall's selection to the span with this ID.
func selectSpan(t testing.TB, m Model, o *outcome, id string) Model {
	t.Helper()
	for range len(m.s.rd.trace.Spans) {
		if string(m.s.rd.trace.Spans[m.Selected()].SpanID) == id {
			return m
		}
		m = press(t, m, o, "j")
	}
	t.Fatalf("span %s not reached", id)
	return m
}

func TestLogsLookedUpWhenTheTraceOpens(t *testing.T) {
	m, o := newLogModel(t, dispatchTrace(), logSet(t, dispatchLog()), false, 80, 24)
	l := &m.s.logs
	if l.phase != logsDone || l.idx == nil {
		t.Fatalf("phase %d, want done", l.phase)
	}
	if got := len(l.idx.entries); got != 6 {
		t.Errorf("%d lines, want the trace's 6", got)
	}
	if l.idx.unattached != 2 || l.idx.errors != 1 {
		t.Errorf("unattached %d, errors %d; want 2 and 1", l.idx.unattached, l.idx.errors)
	}
	// Time order, and offsets from the trace's start.
	if e := l.idx.entries[0]; e.offset != "+1ms" || e.level != "INFO" || e.where != "frontend HTTP GET /dispatch" {
		t.Errorf("first line %+v", e)
	}
	if !strings.Contains(o.lastStatus(), "logs: 6 lines (1 error); 8 lines read in app.log, 1 not JSON or logfmt") {
		t.Errorf("status %q", o.lastStatus())
	}
	// Marks: spans 1, 3 and 6 (6 with its error line), nothing else.
	want := map[string]uint8{"0000000000000001": 1, "0000000000000003": 1, "0000000000000006": 2}
	for i, sp := range m.s.rd.trace.Spans {
		if got := m.s.wf.logMarks[i]; got != want[string(sp.SpanID)] {
			t.Errorf("span %s mark %d, want %d", sp.SpanID, got, want[string(sp.SpanID)])
		}
	}
	v := m.View()
	checkView(t, v, 80, 24)
	plain := ansi.Strip(v)
	if !strings.Contains(plain, "6 logs (L)") {
		t.Errorf("header does not count the lines:\n%s", plain)
	}
	rows := strings.Split(plain, "\n")
	if r := rows[3]; !strings.HasPrefix(r, ">✗ "+present.LogMark) {
		t.Errorf("root row %q lacks the log mark after the error mark", r)
	}
	if r := rows[4]; strings.Contains(r, present.LogMark) {
		t.Errorf("span 2 has no lines but is marked: %q", r)
	}
	// The error span's mark is in the error style.
	if !strings.Contains(v, m.s.st.P.Err.S(present.LogMark)) {
		t.Error("no log mark in the error style")
	}
}

func TestNoLogsNoColumn(t *testing.T) {
	plain, _ := newModel(t, dispatchTrace(), 80, 24)
	if strings.Contains(plain.View(), present.LogMark) {
		t.Error("log mark without --logs")
	}
	o := &outcome{}
	plain = press(t, plain, o, "L")
	if plain.s.pane.kind != paneNone || !strings.Contains(o.lastStatus(), "--logs") {
		t.Errorf("L without logs: pane %d, status %q", plain.s.pane.kind, o.lastStatus())
	}
}

func TestLogsPaneKeys(t *testing.T) {
	m, o := newLogModel(t, dispatchTrace(), logSet(t, dispatchLog()), false, 80, 24)
	m = press(t, m, o, "L")
	if m.s.pane.kind != paneLogs || !m.s.pane.focus {
		t.Fatalf("L opened pane %d (focus %v)", m.s.pane.kind, m.s.pane.focus)
	}
	// The cursor starts on the first line, the root's: enter selects the
	// root (already selected); move to span 3's line and jump there.
	m = press(t, m, o, "j", "enter")
	if got := string(m.s.rd.trace.Spans[m.Selected()].SpanID); got != "0000000000000003" {
		t.Errorf("enter jumped to span %s, want 0000000000000003", got)
	}
	m = press(t, m, o, "j", "j", "enter")
	if got := string(m.s.rd.trace.Spans[m.Selected()].SpanID); got != "0000000000000006" {
		t.Errorf("enter jumped to span %s, want 0000000000000006 (error line)", got)
	}
	// y copies the message.
	m = press(t, m, o, "y")
	if n := len(o.clipboard); n == 0 || o.clipboard[n-1] != "redis timeout after 18ms" {
		t.Errorf("clipboard %q", o.clipboard)
	}
	// The line naming a span not in the trace: enter says so.
	m = press(t, m, o, "j", "enter")
	if !strings.Contains(o.lastStatus(), "names no span of the trace") {
		t.Errorf("status %q", o.lastStatus())
	}
	if e := m.s.logs.idx.entries[4]; e.where != "geo (span 00000000000000ff not in trace)" || e.span != -1 {
		t.Errorf("line of a span not in the trace: %+v", e)
	}
	if e := m.s.logs.idx.entries[5]; e.where != "frontend (no span)" || e.span != -1 {
		t.Errorf("line naming no span: %+v", e)
	}

	// / filters as typed; enter keeps the filter; esc clears it first,
	// then closes the pane.
	m = press(t, m, o, "/")
	if !m.Capturing() {
		t.Fatal("/ did not open the filter")
	}
	m = press(t, m, o, "r", "e", "d", "i", "s")
	if !strings.Contains(ansi.Strip(m.View()), "filter logs: redis") {
		t.Errorf("footer does not show the filter:\n%s", ansi.Strip(m.View()))
	}
	m = press(t, m, o, "enter")
	if m.Capturing() {
		t.Fatal("enter did not leave the filter")
	}
	spans := map[int32]bool{}
	for _, l := range m.s.pane.lines {
		if l.copy != "" {
			spans[l.span] = true
		}
	}
	if len(spans) != 1 || !spans[5] {
		t.Errorf("filter redis kept lines of spans %v, want span index 5 only", spans)
	}
	if l, ok := m.s.pane.current(); !ok || l.copy != "retrying GetDriver" {
		t.Errorf("after filtering the cursor is on %+v, want the first line kept", l)
	}
	if title := m.s.paneTitle(); !strings.Contains(title, "2 of 6 match redis") {
		t.Errorf("title %q", title)
	}
	m = press(t, m, o, "esc")
	if m.s.pane.kind != paneLogs || len(m.s.logs.box.terms) != 0 {
		t.Errorf("esc: pane %d, terms %q; want the pane open and the filter cleared", m.s.pane.kind, m.s.logs.box.terms)
	}
	m = press(t, m, o, "esc")
	if m.s.pane.kind != paneNone {
		t.Error("second esc did not close the pane")
	}
	// L toggles.
	m = press(t, m, o, "L", "L")
	if m.s.pane.kind != paneNone {
		t.Error("L did not close the pane")
	}
}

func TestDetailListsTheSpansLines(t *testing.T) {
	m, o := newLogModel(t, dispatchTrace(), logSet(t, dispatchLog()), false, 80, 24)
	m = selectSpan(t, m, o, "0000000000000006")
	m = press(t, m, o, "d")
	var text []string
	for _, l := range m.s.pane.lines {
		text = append(text, ansi.Strip(l.text))
	}
	all := strings.Join(text, "\n")
	for _, want := range []string{
		"▾ Log lines (2)",
		"\n     +45ms WARN  retrying GetDriver  attempt=2",
		"\n✗    +58ms ERROR redis timeout after 18ms",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("detail lacks %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "GET /dispatch") {
		t.Error("detail shows another span's line")
	}
	// The error line's mark is in the error style.
	found := false
	for _, l := range m.s.pane.lines {
		if strings.HasPrefix(l.text, m.s.st.P.Err.S(present.ErrorMark)) {
			found = true
		}
	}
	if !found {
		t.Error("no ✗ in the error style")
	}
	// A span without lines has no section.
	m = press(t, m, o, "g")
	m = selectSpan(t, m, o, "0000000000000002")
	for _, l := range m.s.pane.lines {
		if l.heading && l.section == secLogLines {
			t.Error("span 2 has a Log lines section")
		}
	}
}

// TestLinksInDetail: the span's, its service's and the trace's links, as
// OSC 8 hyperlinks or as text, and y copies the URL.
func TestLinksInDetail(t *testing.T) {
	for _, hyper := range []bool{false, true} {
		m, o := newLogModel(t, dispatchTrace(), nil, hyper, 80, 24)
		m = press(t, m, o, "d")
		var rows []paneLine
		at := -1
		for k, l := range m.s.pane.lines {
			if l.section == secLinks && !l.heading {
				if at < 0 {
					at = k
				}
				rows = append(rows, l)
			}
		}
		if len(rows) != 3 {
			t.Fatalf("hyperlinks %v: %d link rows, want 3", hyper, len(rows))
		}
		wantURL := "http://jaeger.example/trace/4bf92f3577b34da6a3ce929d0e0e4736?uiFind=0000000000000001"
		if rows[0].copy != wantURL || rows[1].copy != "https://logs.example/search?q=service%3Afrontend" ||
			rows[2].copy != "http://jaeger.example/trace/4bf92f3577b34da6a3ce929d0e0e4736" {
			t.Errorf("copies %q %q %q", rows[0].copy, rows[1].copy, rows[2].copy)
		}
		osc := ansi.SetHyperlink(wantURL)
		if got := strings.Contains(rows[0].text, osc); got != hyper {
			t.Errorf("hyperlinks %v: OSC 8 in the row: %v (%q)", hyper, got, rows[0].text)
		}
		if plain := ansi.Strip(rows[1].text); !strings.Contains(plain, "service  frontend logs: https://logs.example/") {
			t.Errorf("row %q", plain)
		}
		for _, l := range rows {
			if w := ansi.StringWidth(l.text); w > 80 {
				t.Errorf("link row %d cells wide", w)
			}
		}
		// y on the link row copies the URL through the clipboard path.
		m = press(t, m, o, "tab")
		m.s.pane.move(at)
		m = press(t, m, o, "y")
		if n := len(o.clipboard); n == 0 || o.clipboard[n-1] != wantURL {
			t.Errorf("hyperlinks %v: y copied %q", hyper, o.clipboard)
		}
		v := m.View()
		checkView(t, v, 80, 24)
		hostile.AssertSafeStyled(t, stripOurLinks(t, v))
	}
}

// stripOurLinks removes the OSC 8 hyperlinks the view writes, checking
// that each targets a safe URL, so that the rest can be checked as any
// styled view.
func stripOurLinks(t testing.TB, v string) string {
	t.Helper()
	const open, st = "\x1b]8;;", "\x1b\\"
	var b strings.Builder
	for {
		i := strings.Index(v, open)
		if i < 0 {
			b.WriteString(v)
			return b.String()
		}
		b.WriteString(v[:i])
		v = v[i+len(open):]
		j := strings.Index(v, "\a")
		k := strings.Index(v, st)
		end, n := j, 1
		if j < 0 || (k >= 0 && k < j) {
			end, n = k, len(st)
		}
		if end < 0 {
			t.Fatalf("unterminated OSC 8 in the view")
		}
		if u := v[:end]; u != "" && !links.SafeURL(u) {
			t.Errorf("hyperlink to %q", u)
		}
		v = v[end+n:]
	}
}

// blockingSource reads until it is cancelled, reporting progress once.
type blockingSource struct{ started chan struct{} }

func (b blockingSource) Lookup(ctx context.Context, id backend.TraceID, opt logs.Options) (*logs.Result, error) {
	opt.Progress(logs.Progress{Path: "/var/log/big.log", File: 1, Files: 1, Read: 45 << 20, Size: 100 << 20})
	close(b.started)
	<-ctx.Done()
	return nil, ctx.Err()
}

// TestLogLookupStops: the lookup runs in a command with progress in the
// status (Busy); esc stops it (its context ends, its result is dropped);
// L reads again. The waterfall works meanwhile.
func TestLogLookupStops(t *testing.T) {
	src := blockingSource{started: make(chan struct{})}
	m := New(logConfig(src, false), dispatchTrace())
	m.SetSize(80, 24)
	m, cmd := m.Update(m.Init()())
	// cmd is the analysis and the lookup; run the lookup in the background
	// as Bubble Tea does.
	msgs := make(chan tea.Msg, 4)
	for _, c := range cmd().(tea.BatchMsg) {
		go func() { msgs <- c() }()
	}
	<-src.started
	if busy, label := m.Busy(); !busy || label != "reading logs: 45% of big.log… esc stops" {
		t.Errorf("Busy() = %v, %q", busy, label)
	}
	o := &outcome{}
	m = press(t, m, o, "j", "d")
	if m.Selected() != 1 || !strings.Contains(strings.Join(paneTexts(m, paneDetail), "\n"), "reading logs…") {
		t.Errorf("the waterfall or the detail waits for the logs:\n%s", ansi.Strip(m.View()))
	}
	m = press(t, m, o, "esc")
	if m.s.logs.phase != logsStopped || !strings.Contains(o.lastStatus(), "stopped reading logs") {
		t.Fatalf("esc: phase %d, status %q", m.s.logs.phase, o.lastStatus())
	}
	if m.s.pane.kind != paneDetail {
		t.Error("esc closed the pane instead of stopping the lookup")
	}
	if busy, _ := m.Busy(); busy {
		t.Error("still busy after esc")
	}
	// Both commands come back (the lookup with its context's error): the
	// lookup's result is stale and dropped.
	for range 2 {
		var next tea.Cmd
		m, next = m.Update(<-msgs)
		m = run(t, m, next, o)
	}
	if m.s.logs.phase != logsStopped || strings.Contains(o.lastStatus(), "canceled") {
		t.Errorf("stale result taken: phase %d, status %q", m.s.logs.phase, o.lastStatus())
	}
	// L reads again (a new request).
	old := m.s.logs.req
	m, cmd = m.Update(keyMsg("L"))
	if cmd == nil || m.s.logs.phase != logsReading || m.s.logs.req == old || m.s.pane.kind != paneLogs {
		t.Errorf("L after a stop: phase %d, req %d (was %d), pane %d", m.s.logs.phase, m.s.logs.req, old, m.s.pane.kind)
	}
	m.s.reqs.CancelAll()
}

// TestHostileLogLines: escape sequences, bidi controls and huge messages
// in the log file never reach the view or the clipboard raw.
func TestHostileLogLines(t *testing.T) {
	var b strings.Builder
	for k, p := range hostile.Payloads() {
		rec := map[string]string{
			"time": "2026-03-14T15:09:26.0" + string(rune('1'+k%9)) + "0Z", "level": "error" + p.Text, "service": "svc" + p.Text,
			"trace_id": dispatchID, "span_id": "000000000000000" + string("13456"[k%5]),
			"msg": "before " + p.Text + " after", p.Text + "key": p.Text + "value",
		}
		line, _ := json.Marshal(rec)
		b.Write(line)
		b.WriteByte('\n')
		if k == 0 {
			rec["msg"] = strings.Repeat("long message ", 100_000)
			line, _ := json.Marshal(rec)
			b.Write(line)
			b.WriteByte('\n')
		}
	}
	set := logSet(t, b.String())
	for _, sz := range [][2]int{{80, 24}, {133, 41}} {
		for _, keys := range [][]string{nil, {"L"}, {"L", "G"}, {"L", "j", "j", "enter"}, {"d"}, {"j", "j", "d", "tab", "G"}, {"L", "/", "a"}} {
			m, o := newLogModel(t, dispatchTrace(), set, false, sz[0], sz[1])
			m = press(t, m, o, keys...)
			m = press(t, m, o, "y")
			v := m.View()
			checkView(t, v, sz[0], sz[1])
			hostile.AssertSafeStyled(t, v)
			for _, s := range o.status {
				hostile.AssertSafe(t, s.Text())
			}
			for _, c := range o.clipboard {
				hostile.AssertClipboardSafe(t, c)
			}
			if t.Failed() {
				t.Fatalf("at %dx%d after %q:\n%s", sz[0], sz[1], keys, ansi.Strip(v))
			}
		}
	}
	m, _ := newLogModel(t, dispatchTrace(), set, false, 80, 24)
	if !strings.Contains(ansi.Strip(strings.Join(paneTexts(m, paneLogs), "\n")), "before") {
		t.Error("the text around the payloads is gone")
	}
}

// paneTexts opens a kind of pane (unless open) and returns its lines.
func paneTexts(m Model, k paneKind) []string {
	if m.s.pane.kind != k {
		m.s.openPane(k)
	}
	m.s.refreshPane()
	var out []string
	for _, l := range m.s.pane.lines {
		out = append(out, l.text)
	}
	return out
}

// Goldens of the detail with log lines and of the logs pane at 80x24
// (styles stripped), and the logs pane coloured.
func TestLogsGolden(t *testing.T) {
	set := logSet(t, dispatchLog())
	for _, sc := range []struct {
		name string
		keys []string
	}{
		{"detail-log-lines", []string{"G", "k", "k", "k", "d", "tab", "h"}},
		{"logs-pane", []string{"L"}},
		{"logs-pane-filtered", []string{"L", "/", "e", "r", "r", "o", "r", "enter"}},
	} {
		t.Run(sc.name, func(t *testing.T) {
			m, o := newLogModel(t, dispatchTrace(), set, false, 80, 24)
			m = press(t, m, o, sc.keys...)
			v := m.View()
			checkView(t, v, 80, 24)
			hostile.AssertSafeStyled(t, v)
			golden.RequireEqual(t, ansi.Strip(v))
		})
	}
	t.Run("logs-pane-colour", func(t *testing.T) {
		m, o := newLogModel(t, dispatchTrace(), set, false, 80, 24)
		m = press(t, m, o, "L", "j")
		v := m.View()
		checkView(t, v, 80, 24)
		hostile.AssertSafeStyled(t, v)
		golden.RequireEqual(t, v)
	})
}

// BenchmarkLogsFilterKey measures one key typed into the logs pane's filter
// (the pane's lines built again) over a trace's 20,000 log lines.
func BenchmarkLogsFilterKey(b *testing.B) {
	tr := dispatchTrace()
	res := &logs.Result{TraceID: tr.ID}
	for k := range 20_000 {
		sp := tr.Spans[k%len(tr.Spans)]
		res.Lines = append(res.Lines, logs.Line{
			Time: t0 + int64(k)*1000, Level: "info", Service: sp.Service, SpanID: sp.SpanID, TraceID: tr.ID,
			Message: "handled request " + itoa(k) + " for customer 123 in region eu-west-1",
			Fields:  []logs.Field{{Key: "user", Value: "u" + itoa(k%977)}},
		})
	}
	m, o := newLogModel(b, tr, nil, false, 120, 40)
	m.s.logs.phase, m.s.logs.idx = logsDone, buildLogIndex(res, tr, m.s.rd.td)
	m = press(b, m, o, "L", "/")
	b.ResetTimer()
	for k := range b.N {
		key := "1"
		if k%2 == 1 {
			key = "backspace"
		}
		m, _ = m.Update(keyMsg(key))
		_ = m.View()
	}
}
