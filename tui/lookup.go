package tui

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	tea "charm.land/bubbletea/v2"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/paste"
	"github.com/tracetui/tracetui/tui/internal/shell"
	"github.com/tracetui/tracetui/tui/search"
)

// The front door: whatever was pasted (a trace ID, a traceparent, a Jaeger
// URL, a log line, a correlation ID) is read by paste.Parse, the one parser
// the command line uses too, and looked up with backend.LookUp in a
// command: trace IDs first, then the correlation value, each falling back
// to the other and saying so.

// parsePaste reads the lookup box's or the form's text.
func (r *root) parsePaste(text string) (paste.Result, error) {
	return paste.Parse(text, paste.Options{CorrelationKeys: r.opts.CorrelationKeys})
}

// lookUpText parses text and looks it up; text that names nothing is an
// error that says why.
func (r *root) lookUpText(text string) tea.Cmd {
	res, err := r.parsePaste(text)
	if err != nil {
		r.status = shell.Failure("cannot look up: " + err.Error())
		return nil
	}
	return r.lookUpResult(res)
}

// lookUpResult opens what a parsed paste names: a trace (fetched, with the
// correlation value as the fallback), or the traces that carry a
// correlation value.
func (r *root) lookUpResult(res paste.Result) tea.Cmd {
	if res.Trace == "" {
		r.status = shell.Notice(res.Summary())
		return r.push(r.newCorrelationList(res.Correlation))
	}
	s := r.newTrace(res.Trace)
	s.span, s.summary = res.Span, res.Summary()
	q, window := r.correlationQuery()
	s.lookup = &backend.Lookup{
		TraceIDs: res.TraceIDs(), Correlation: res.Correlation, Keys: r.correlationKeys(), Window: q,
	}
	s.window = window
	return r.push(s)
}

func (r *root) correlationKeys() []string {
	if len(r.opts.CorrelationKeys) > 0 {
		return r.opts.CorrelationKeys
	}
	return backend.DefaultCorrelationKeys()
}

// correlationQuery is the window and limit of a correlation search, from
// the search form as newCorrelationList takes them, and the window in words
// ("the last 24h").
func (r *root) correlationQuery() (backend.Query, string) {
	var form search.Spec
	formOK := false
	if ss, ok := r.stack[0].(*searchScreen); ok {
		s, err := ss.m.Spec()
		form, formOK = s, err == nil
	}
	spec := correlationSpec(form, formOK)
	return spec.Query(r.now()), windowLabel(spec)
}

// initial opens what the command line named: a trace read from a file
// (no fetch), a parsed TRACE_ID argument, or a bare ID.
func (r *root) initial() tea.Cmd {
	switch {
	case r.opts.InitialTrace != nil:
		t := r.opts.InitialTrace
		s := r.newTrace(t.ID)
		s.preloaded = t
		if r.opts.Initial != nil {
			s.span = r.opts.Initial.Span
		}
		return r.push(s)
	case r.opts.Initial != nil:
		return r.lookUpResult(*r.opts.Initial)
	}
	if id := strings.TrimSpace(r.opts.InitialTraceID); id != "" {
		return r.lookUp(id)
	}
	return nil
}

// lookedUpMsg carries backend.LookUp's answer to the screen that asked.
type lookedUpMsg struct {
	id  shell.RequestID
	res backend.LookupResult
	err error
}

// replaceMsg asks the root to put a new screen in the place of one that
// has done its part: a lookup that found several traces becomes their
// list, one that found a single correlated trace becomes its view.
type replaceMsg struct {
	old  screen
	next func(r *root) screen
	note string
}

// replace swaps old for the screen next builds, with note in the status.
func (r *root) replace(msg replaceMsg) tea.Cmd {
	if !slices.Contains(r.stack, msg.old) {
		// Left (esc) after its answer was on its way: nothing to replace.
		return nil
	}
	r.remove(msg.old)
	if msg.note != "" {
		r.status = shell.Notice(msg.note)
	}
	return r.push(msg.next(r))
}

// lookedUp handles the answer on the trace screen: a trace found by ID
// opens here; correlated traces replace this screen (one: its view;
// several: their list); nothing is an error that says what was tried.
func (s *traceScreen) lookedUp(msg lookedUpMsg) tea.Cmd {
	note := strings.Join(msg.res.Notes, "; ")
	if msg.err != nil {
		text := s.summary + ": " + describe(msg.err)
		if note != "" {
			text = note + "; " + describe(msg.err)
		}
		return func() tea.Msg { return failedMsg{screen: s, text: text} }
	}
	if t := msg.res.Trace; t != nil {
		s.id = t.ID
		cmd := s.loaded(t)
		if note != "" {
			cmd = tea.Batch(cmd, shell.NoticeCmd(note))
		}
		return cmd
	}
	traces := msg.res.Correlation.Traces
	value := s.lookup.Correlation
	switch len(traces) {
	case 0:
		ids := make([]string, len(s.lookup.TraceIDs))
		for i, id := range s.lookup.TraceIDs {
			ids[i] = id.Short()
		}
		text := "not found: no trace " + strings.Join(ids, " or ") + ", and no trace with correlation ID " +
			strconv.Quote(value) + " in " + s.window + " (keys: " + strings.Join(s.lookup.Keys, ", ") + ")"
		if w := msg.res.Correlation.Incomplete(); w != "" {
			text += "; " + w
		}
		return func() tea.Msg { return failedMsg{screen: s, text: text} }
	case 1:
		id := traces[0].TraceID
		note += "; found trace " + id.Short() + " by correlation ID"
		return func() tea.Msg {
			return replaceMsg{old: s, note: note, next: func(r *root) screen { return r.newTrace(id) }}
		}
	}
	found := &atomic.Pointer[[]backend.TraceSummary]{}
	found.Store(&traces)
	return func() tea.Msg {
		return replaceMsg{old: s, note: note, next: func(r *root) screen {
			ls := r.newCorrelationList(value)
			// The first load shows what the lookup found; refresh searches
			// again.
			again := ls.m.Loader()
			ls.m.SetLoader(func(ctx context.Context) ([]backend.TraceSummary, error) {
				if p := found.Swap(nil); p != nil {
					return *p, nil
				}
				return again(ctx)
			})
			return ls
		}}
	}
}

// emptyField reports that the top screen is the search form with its
// focused field empty: there ":" opens the lookup box as on every other
// screen (no field starts with a colon), and types a colon after text
// (a tag value such as http.url=http://…).
func emptyField(top screen) bool {
	ss, ok := top.(*searchScreen)
	return ok && ss.m.FocusedEmpty()
}
