package trace

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/testkit/keytest"
	"github.com/tracetui/tracetui/keymap"
	"github.com/tracetui/tracetui/tui/internal/shell"
)

// t0 is the start of the hand-built traces: a fixed time so goldens are
// stable; now is five minutes later.
var (
	t0  = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC).UnixNano()
	now = time.Unix(0, t0).Add(5 * time.Minute)
)

const ms = int64(time.Millisecond)

type spanSpec struct {
	id, parent   string
	service, op  string
	start, dur   int64 // ms from t0
	err          bool
	tags         []backend.KeyValue
	logs         []backend.Log
	kind         backend.SpanKind
	followsFrom  bool
	warnings     []string
	processTags  []backend.KeyValue
	extraRefs    []backend.Ref
	statusMsg    string
	durationNano int64 // overrides dur when set
}

// buildTrace makes a trace from specs; processes are shared per service,
// as decoders do.
func buildTrace(id string, specs []spanSpec) *backend.Trace {
	tid := backend.TraceIDFromWire(id)
	tr := &backend.Trace{ID: tid}
	procs := map[string]*backend.Process{}
	for _, sp := range specs {
		p := procs[sp.service]
		if p == nil {
			p = &backend.Process{Service: sp.service, Tags: append([]backend.KeyValue{
				backend.String("hostname", sp.service+"-host"),
			}, sp.processTags...)}
			procs[sp.service] = p
		}
		s := backend.Span{
			TraceID:   tid,
			SpanID:    backend.SpanIDFromWire(sp.id),
			Service:   sp.service,
			Operation: sp.op,
			Kind:      sp.kind,
			Start:     t0 + sp.start*ms,
			Duration:  sp.dur * ms,
			Tags:      sp.tags,
			Process:   p,
			Logs:      sp.logs,
			Warnings:  sp.warnings,
		}
		if sp.durationNano != 0 {
			s.Duration = sp.durationNano
		}
		if sp.parent != "" {
			rt := backend.RefChildOf
			if sp.followsFrom {
				rt = backend.RefFollowsFrom
			}
			s.References = append(s.References, backend.Ref{Type: rt, TraceID: tid, SpanID: backend.SpanIDFromWire(sp.parent)})
		}
		s.References = append(s.References, sp.extraRefs...)
		if sp.err {
			s.Tags = append(s.Tags, backend.Bool("error", true))
			s.Status = backend.Status{Code: backend.StatusError, Message: sp.statusMsg}
		}
		s.Finish()
		tr.Spans = append(tr.Spans, s)
	}
	return tr
}

// dispatchTrace is a small HotROD-like trace: a sequential call, a parallel
// pair with an error that starts deep, a span on another host that starts
// before its parent (clock skew), tags, logs, baggage and references.
func dispatchTrace() *backend.Trace {
	return buildTrace("4bf92f3577b34da6a3ce929d0e0e4736", []spanSpec{
		{id: "1", service: "frontend", op: "HTTP GET /dispatch", start: 0, dur: 100, kind: backend.KindServer,
			tags: []backend.KeyValue{backend.String("http.method", "GET"), backend.Int64("http.status_code", 500)},
			err:  true, statusMsg: "driver lookup failed"},
		{id: "2", parent: "1", service: "frontend", op: "HTTP GET /customer", start: 1, dur: 29, kind: backend.KindClient},
		{id: "3", parent: "2", service: "customer", op: "SQL SELECT", start: 2, dur: 26, kind: backend.KindServer,
			tags: []backend.KeyValue{
				backend.String("sql.query", "SELECT * FROM customer WHERE customer_id = 123 AND region = 'eu-west-1' ORDER BY created_at DESC"),
				backend.String("baggage.session", "abc123"),
			},
			logs: []backend.Log{
				{Time: t0 + 3*ms, Fields: []backend.KeyValue{backend.String("event", "baggage"), backend.String("key", "customer"), backend.String("value", "123")}},
				{Time: t0 + 27*ms, Fields: []backend.KeyValue{backend.String("event", "query done"), backend.Int64("rows", 1)}},
			}},
		{id: "4", parent: "1", service: "driver", op: "FindNearest", start: 31, dur: 29, kind: backend.KindServer, err: true},
		{id: "5", parent: "4", service: "redis", op: "GetDriver", start: 32, dur: 8, kind: backend.KindClient},
		{id: "6", parent: "4", service: "redis", op: "GetDriver", start: 41, dur: 18, kind: backend.KindClient, err: true,
			statusMsg: "redis timeout", warnings: []string{"span was retried"}},
		{id: "7", parent: "1", service: "route", op: "FindRoute", start: 61, dur: 38, kind: backend.KindServer,
			extraRefs: []backend.Ref{{Type: backend.RefLink, TraceID: backend.TraceIDFromWire("abcdef"), SpanID: backend.SpanIDFromWire("99")}}},
		// Another host whose clock runs 5 ms behind: starts before its
		// parent.
		{id: "8", parent: "7", service: "geo", op: "Lookup", start: 58, dur: 10, kind: backend.KindServer},
		{id: "9", parent: "7", service: "route", op: "compute", start: 75, dur: 20},
	})
}

// keyMsg builds a key press the way the terminal reports it.
func keyMsg(s string) tea.KeyPressMsg { return keytest.Press(s) }

// outcome collects what commands produced while a test drove the model.
type outcome struct {
	status    []shell.StatusMsg
	back      bool
	clipboard []string
	opened    []OpenTraceMsg
}

func (o *outcome) lastStatus() string {
	if len(o.status) == 0 {
		return ""
	}
	return o.status[len(o.status)-1].Text()
}

// run executes a command chain synchronously, feeding results back into the
// model like the Bubble Tea loop does, and records what is meant for the
// shell. The commands of a batch run concurrently in a terminal and may
// finish in any order, so run takes the worst one: the last listed first,
// with whatever its result leads to, before the others. A test that relies
// on a batch's order then fails every time, not only sometimes in a
// terminal. A sequence's commands run in order.
func run(t testing.TB, m Model, cmd tea.Cmd, o *outcome) Model {
	t.Helper()
	stack := []tea.Cmd{cmd}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if c == nil {
			continue
		}
		msg := c()
		if seq := sequenceCmds(msg); seq != nil {
			for k := len(seq) - 1; k >= 0; k-- {
				stack = append(stack, seq[k])
			}
			continue
		}
		switch msg := msg.(type) {
		case nil:
		case tea.BatchMsg:
			stack = append(stack, msg...)
		case shell.StatusMsg:
			o.status = append(o.status, msg)
		case BackMsg:
			o.back = true
		case OpenTraceMsg:
			o.opened = append(o.opened, msg)
		default:
			if s := clipboardText(msg); s != "" {
				o.clipboard = append(o.clipboard, s)
				continue
			}
			if isCursorMsg(msg) {
				continue
			}
			var next tea.Cmd
			m, next = m.Update(msg)
			stack = append(stack, next)
		}
	}
	return m
}

// sequenceCmds returns the commands of a tea.Sequence message, in order, or
// nil for any other message; the sequence type is not exported.
func sequenceCmds(msg tea.Msg) []tea.Cmd {
	if msg == nil {
		return nil
	}
	v := reflect.ValueOf(msg)
	if _, batch := msg.(tea.BatchMsg); batch || v.Kind() != reflect.Slice || v.Type().Elem() != reflect.TypeFor[tea.Cmd]() {
		return nil
	}
	out := make([]tea.Cmd, 0, v.Len())
	for i := range v.Len() {
		c, _ := v.Index(i).Interface().(tea.Cmd)
		out = append(out, c)
	}
	return out
}

// clipboardText recognises tea.SetClipboard's message, whose type is not
// exported, by comparing with one built for another text.
func clipboardText(msg tea.Msg) string {
	ref := tea.SetClipboard("x")()
	if reflect.TypeOf(msg) == reflect.TypeOf(ref) {
		return reflect.ValueOf(msg).String()
	}
	return ""
}

func typeName(msg tea.Msg) string { return reflect.TypeOf(msg).String() }

// isCursorMsg tells the text input's cursor blink messages apart; feeding
// them back would loop forever (they re-arm themselves).
func isCursorMsg(msg tea.Msg) bool {
	n := typeName(msg)
	return strings.Contains(n, "cursor.") || strings.Contains(n, "Blink")
}

// newModel builds a model on tr at w×h and runs the analysis to the end.
func newModel(t testing.TB, tr *backend.Trace, w, h int) (Model, *outcome) {
	t.Helper()
	m := New(Config{Keys: keymap.DefaultTrace(), Dark: true, Now: func() time.Time { return now }, Location: time.UTC}, tr)
	m.SetSize(w, h)
	o := &outcome{}
	m = run(t, m, m.Init(), o)
	return m, o
}

// press sends keys one by one, running what they return.
func press(t testing.TB, m Model, o *outcome, keys ...string) Model {
	t.Helper()
	for _, k := range keys {
		var cmd tea.Cmd
		m, cmd = m.Update(keyMsg(k))
		m = run(t, m, cmd, o)
	}
	return m
}

// checkView asserts the layout invariant every view must keep: exactly h
// lines, none wider than w, and no control byte other than the newline
// and the escape sequences of our own styles.
func checkView(t testing.TB, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Fatalf("view has %d lines, want %d", len(lines), h)
	}
	for k, l := range lines {
		if got := ansi.StringWidth(l); got > w {
			t.Fatalf("line %d is %d cells wide, want ≤ %d: %q", k, got, w, ansi.Strip(l))
		}
		plain := ansi.Strip(l)
		for _, r := range plain {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
				t.Fatalf("line %d holds control %U: %q", k, r, plain)
			}
		}
	}
}

// selectedOp reports the selected span's service and operation.
func selectedName(m Model) string {
	i := m.Selected()
	if i < 0 {
		return ""
	}
	sp := &m.s.rd.trace.Spans[i]
	return sp.Service + " " + sp.Operation
}

// rowNames lists the visible rows as "service op" (for order assertions).
func rowNames(m Model) []string {
	out := make([]string, 0, len(m.s.wf.rows))
	for _, i := range m.s.wf.rows {
		sp := &m.s.rd.trace.Spans[i]
		out = append(out, sp.Service+" "+sp.Operation)
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

func backendString(k, v string) backend.KeyValue { return backend.String(k, v) }
