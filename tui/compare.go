package tui

import (
	"cmp"
	"fmt"
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/tui/compare"
	"github.com/tracetui/tracetui/tui/internal/shell"
	"github.com/tracetui/tracetui/tui/list"
)

// The comparison of two traces (issue 12): pushed by D on the list (the
// marked trace against the one under the cursor) and in the trace view
// (the trace against a typical one of its root operation); its enter and b
// open a span of either trace in a trace view above it.

type compareScreen struct{ m compare.Model }

func (r *root) newCompare(a, b compare.Side, note string) *compareScreen {
	now := r.now()
	window := backend.Query{Start: now.Add(-correlationWindow), End: now}
	if r.opts.AllTime {
		window = backend.Query{}
	}
	m := compare.New(compare.Config{
		Keys: r.keys.Compare, Styles: r.styles, Backend: r.opts.Backend, Requests: shell.NewRequests(r.seq),
		Ctx: r.ctx, Now: r.now, Spinner: r.spinView, A: a, B: b, Note: note,
		CorrelationKeys: r.opts.CorrelationKeys, Window: window,
	})
	s := &compareScreen{m: m}
	s.setSize(r.bodySize())
	return s
}

func (s *compareScreen) init() tea.Cmd { return s.m.Init() }
func (s *compareScreen) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	s.m, cmd = s.m.Update(msg)
	return cmd
}
func (s *compareScreen) view() string              { return s.m.View() }
func (s *compareScreen) setSize(w, h int)          { s.m.SetSize(w, h) }
func (s *compareScreen) setStyles(st *style.Sheet) { s.m.SetStyles(st) }
func (s *compareScreen) shortHelp() []key.Binding  { return s.m.ShortHelp() }
func (s *compareScreen) fullHelp() [][]key.Binding { return s.m.FullHelp() }
func (s *compareScreen) capturing() bool           { return s.m.Capturing() }
func (s *compareScreen) busy() (bool, string)      { return s.m.Busy() }
func (s *compareScreen) close()                    { s.m.Close() }
func (s *compareScreen) name() string              { return "comparison" }

// compareMsg handles the messages that open and leave a comparison, and
// open a span from it; ok is false for any other message.
func (r *root) compareMsg(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case list.CompareMsg:
		return r.push(r.newCompare(compare.Side{ID: msg.A.TraceID}, compare.Side{ID: msg.B.TraceID}, "")), true
	case compare.BackMsg:
		if _, ok := r.top().(*compareScreen); ok {
			r.pop()
		}
		return nil, true
	case compare.OpenMsg:
		if msg.Trace == nil {
			return nil, true
		}
		s := r.newTrace(msg.Trace.ID)
		// Opened as the front door opens a trace it already has (a --file's
		// only trace): no fetch, the span selected with its detail.
		s.preloaded = msg.Trace
		if msg.Span >= 0 && int(msg.Span) < len(msg.Trace.Spans) {
			s.span = msg.Trace.Spans[msg.Span].SpanID
		}
		return r.push(s), true
	}
	return nil, false
}

// compareKey is D in a trace view: compare the trace (B) with a typical
// trace of its root operation (A), or ask for A in a box when the search
// result has none.
func (r *root) compareKey(top screen, k tea.KeyPressMsg) (tea.Cmd, bool) {
	ts, ok := top.(*traceScreen)
	if !ok || ts.phase != ready || ts.capturing() || ts.t == nil || !key.Matches(k, r.keys.Trace.Compare) {
		return nil, false
	}
	a, note := r.typical(ts.id, ts.t)
	return r.push(r.newCompare(a, compare.Side{ID: ts.id, Trace: ts.t}, note)), true
}

// typical picks the median-duration trace of the nearest list below the
// top with the same root service and operation as trace id, not itself;
// without one it returns no ID and says why.
func (r *root) typical(id backend.TraceID, t *backend.Trace) (compare.Side, string) {
	var sums []backend.TraceSummary
	for i := len(r.stack) - 1; i >= 0; i-- {
		if ls, ok := r.stack[i].(*listScreen); ok {
			sums = ls.m.Traces()
			break
		}
	}
	svc, op, found := "", "", false
	for _, s := range sums {
		if s.TraceID == id {
			svc, op, found = s.RootService, s.RootOperation, true
			break
		}
	}
	if !found {
		svc, op = rootOf(t)
	}
	what := svc + " " + op
	if len(sums) == 0 {
		return compare.Side{}, "no search result to pick a typical " + what + " trace from: give trace A"
	}
	var same []backend.TraceSummary
	for _, s := range sums {
		if s.TraceID != id && s.RootService == svc && s.RootOperation == op {
			same = append(same, s)
		}
	}
	if len(same) == 0 {
		return compare.Side{}, "no other " + what + " trace in the search result: give trace A"
	}
	slices.SortFunc(same, func(x, y backend.TraceSummary) int {
		if c := cmp.Compare(x.Duration, y.Duration); c != 0 {
			return c
		}
		return cmp.Compare(x.TraceID, y.TraceID)
	})
	med := same[(len(same)-1)/2]
	// The title names the root operation already: the note stays short
	// enough for 80 columns.
	return compare.Side{ID: med.TraceID}, fmt.Sprintf("A = the median of %d in the search (%s)",
		len(same), format.Duration(med.Duration))
}

// rootOf names the trace's root span (the first span without a parent,
// else its first span), for a trace not opened from a list. A plain scan:
// no table of IDs is built in Update for a trace of a million spans.
func rootOf(t *backend.Trace) (string, string) {
	if t == nil || len(t.Spans) == 0 {
		return "", ""
	}
	for i := range t.Spans {
		if s := &t.Spans[i]; s.ParentID == "" {
			return s.Service, s.Operation
		}
	}
	return t.Spans[0].Service, t.Spans[0].Operation
}
