package tui

import (
	"context"
	"errors"
	"strconv"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/internal/textsafe"
	"github.com/tracetui/tracetui/tui/internal/shell"
	"github.com/tracetui/tracetui/tui/list"
	"github.com/tracetui/tracetui/tui/search"
	"github.com/tracetui/tracetui/tui/styles"
	"github.com/tracetui/tracetui/tui/trace"
)

// screen is one entry of the stack. Screens are pointers: the stack and the
// messages they send back refer to them by identity.
type screen interface {
	init() tea.Cmd
	update(msg tea.Msg) tea.Cmd
	// view draws exactly the size last given to setSize.
	view() string
	setSize(w, h int)
	setStyles(s *styles.Styles)
	shortHelp() []key.Binding
	fullHelp() [][]key.Binding
	// capturing reports that a text field has the keyboard.
	capturing() bool
	busy() (bool, string)
	// close cancels the screen's requests; it is called once, when the
	// screen leaves the stack or the program ends.
	close()
	name() string
}

// cancelledMsg and failedMsg ask the root to take a screen off the stack
// with a notice or an error.
type (
	cancelledMsg struct {
		screen screen
		text   string
	}
	failedMsg struct {
		screen screen
		text   string
	}
)

// --- search form ---

type searchScreen struct{ m search.Model }

func (r *root) newSearch() *searchScreen {
	notice := ""
	if r.opts.Demo {
		notice = "Demo data: no backend configured (see --jaeger, --zipkin, --file)."
	}
	m := search.New(search.Config{
		Keys: r.keys.Search, Styles: r.styles, Backend: r.opts.Backend,
		Requests: shell.NewRequests(r.seq), Ctx: r.ctx, Now: r.now, Notice: notice,
	})
	s := &searchScreen{m: m}
	s.setSize(r.bodySize())
	return s
}

func (s *searchScreen) init() tea.Cmd { return s.m.Init() }
func (s *searchScreen) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	s.m, cmd = s.m.Update(msg)
	return cmd
}
func (s *searchScreen) view() string                { return s.m.View() }
func (s *searchScreen) setSize(w, h int)            { s.m.SetSize(w, h) }
func (s *searchScreen) setStyles(st *styles.Styles) { s.m.SetStyles(st) }
func (s *searchScreen) shortHelp() []key.Binding    { return s.m.ShortHelp() }
func (s *searchScreen) fullHelp() [][]key.Binding   { return s.m.FullHelp() }
func (s *searchScreen) capturing() bool             { return s.m.Capturing() }
func (s *searchScreen) busy() (bool, string)        { return s.m.Busy() }
func (s *searchScreen) close()                      { s.m.Close() }
func (s *searchScreen) name() string                { return "search" }

// --- trace list ---

type listScreen struct {
	m    list.Model
	reqs *shell.Requests
}

func (r *root) newList(spec search.Spec) *listScreen {
	b, now := r.opts.Backend, r.now
	load := func(ctx context.Context) ([]backend.TraceSummary, error) {
		if b == nil {
			return nil, errNoBackend
		}
		return b.Search(ctx, spec.Query(now()))
	}
	return r.listScreen(spec.Describe(), load, false)
}

var errNoBackend = errors.New("no backend configured")

// newCorrelationList searches every service for the correlation ID, in the
// search form's time window (or the last hour when the form is invalid);
// a single match opens at once.
func (r *root) newCorrelationList(value string) *listScreen {
	b, now, keys := r.opts.Backend, r.now, r.opts.CorrelationKeys
	spec := search.Spec{Lookback: backend.DefaultLookback}
	if ss, ok := r.stack[0].(*searchScreen); ok {
		if s, err := ss.m.Spec(); err == nil {
			spec = search.Spec{Lookback: s.Lookback, Start: s.Start, End: s.End, Limit: s.Limit}
		}
	}
	load := func(ctx context.Context) ([]backend.TraceSummary, error) {
		if b == nil {
			return nil, errNoBackend
		}
		return backend.FindByCorrelation(ctx, b, keys, value, spec.Query(now()))
	}
	window := "last " + search.LookbackLabel(spec.Lookback)
	if spec.Lookback == 0 {
		window = spec.Describe()
	}
	return r.listScreen("correlation ID "+strconv.Quote(value)+" · "+window, load, true)
}

func (r *root) listScreen(title string, load list.Loader, openSingle bool) *listScreen {
	reqs := shell.NewRequests(r.seq)
	m := list.New(list.Config{
		Keys: r.keys.List, Styles: r.styles, Title: title, Load: load,
		Requests: reqs, Ctx: r.ctx, Now: r.now, OpenSingle: openSingle,
	})
	s := &listScreen{m: m, reqs: reqs}
	s.setSize(r.bodySize())
	return s
}

func (s *listScreen) init() tea.Cmd { return s.m.Init() }
func (s *listScreen) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	s.m, cmd = s.m.Update(msg)
	return cmd
}
func (s *listScreen) view() string                { return s.m.View() }
func (s *listScreen) setSize(w, h int)            { s.m.SetSize(w, h) }
func (s *listScreen) setStyles(st *styles.Styles) { s.m.SetStyles(st) }
func (s *listScreen) shortHelp() []key.Binding    { return s.m.ShortHelp() }
func (s *listScreen) fullHelp() [][]key.Binding   { return s.m.FullHelp() }
func (s *listScreen) capturing() bool             { return s.m.Capturing() }
func (s *listScreen) busy() (bool, string)        { return s.reqs.Busy() }
func (s *listScreen) close()                      { s.m.Close() }
func (s *listScreen) name() string                { return "trace list" }

// --- trace view ---

// traceScreen fetches a trace, shows progress while it loads (esc cancels
// the request at once), then hands over to the trace view.
type traceScreen struct {
	id      backend.TraceID
	b       backend.Backend
	label   string
	reqs    *shell.Requests
	req     shell.RequestID
	ctx     context.Context
	started time.Time
	now     func() time.Time
	cfg     trace.Config
	st      *styles.Styles
	spin    spinner.Model
	ticking bool
	back    key.Binding

	loaded bool
	m      trace.Model
	w, h   int
}

type traceLoadedMsg struct {
	id    shell.RequestID
	trace *backend.Trace
	err   error
}

func (r *root) newTrace(id backend.TraceID) *traceScreen {
	s := &traceScreen{
		id: id, b: r.opts.Backend, label: r.opts.BackendLabel,
		reqs: shell.NewRequests(r.seq), ctx: r.ctx, now: r.now, st: r.styles,
		cfg:  trace.Config{Keys: r.keys.Trace, Dark: r.dark, Now: r.now, Location: r.now().Location()},
		spin: spinner.New(spinner.WithSpinner(spinner.MiniDot)),
		back: r.keys.Trace.Back,
	}
	s.setSize(r.bodySize())
	return s
}

func (s *traceScreen) init() tea.Cmd {
	if s.b == nil {
		return func() tea.Msg { return failedMsg{screen: s, text: "cannot open a trace: " + errNoBackend.Error()} }
	}
	id, ctx := s.reqs.Start(s.ctx, "loading trace "+s.id.Short()+"…")
	s.req, s.started = id, s.now()
	b, tid := s.b, s.id
	load := func() tea.Msg {
		t, err := b.Trace(ctx, tid, backend.TraceOptions{})
		return traceLoadedMsg{id: id, trace: t, err: err}
	}
	s.ticking = true
	return tea.Batch(load, s.spin.Tick)
}

func (s *traceScreen) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case traceLoadedMsg:
		if !s.reqs.Finish(msg.id) {
			return nil
		}
		if msg.err != nil {
			return func() tea.Msg {
				return failedMsg{screen: s, text: "trace " + s.id.Short() + ": " + describe(msg.err)}
			}
		}
		t := msg.trace
		if t == nil {
			t = &backend.Trace{ID: s.id}
		}
		s.m = trace.New(s.cfg, t)
		s.m.SetSize(s.w, s.h)
		s.loaded = true
		return s.m.Init()
	case spinner.TickMsg:
		if msg.ID != s.spin.ID() {
			break
		}
		if s.loaded || !s.loading() {
			s.ticking = false
			return nil
		}
		var cmd tea.Cmd
		s.spin, cmd = s.spin.Update(msg)
		return cmd
	case tea.KeyPressMsg:
		if !s.loaded {
			if key.Matches(msg, s.back) {
				s.reqs.CancelAll()
				text := "cancelled loading trace " + s.id.Short()
				return func() tea.Msg { return cancelledMsg{screen: s, text: text} }
			}
			return nil
		}
	}
	if !s.loaded {
		return nil
	}
	var cmd tea.Cmd
	s.m, cmd = s.m.Update(msg)
	return cmd
}

func (s *traceScreen) loading() bool {
	b, _ := s.reqs.Busy()
	return b
}

func (s *traceScreen) view() string {
	if s.loaded {
		return s.m.View()
	}
	st := s.st
	elapsed := s.now().Sub(s.started)
	lines := []string{
		st.Title.Render("Trace ") + textsafe.Clean(s.id.Short()),
		"",
		"  " + s.spin.View() + " Loading trace " + textsafe.Clean(s.id.Short()) + " from " + textsafe.Clean(s.label) +
			" · " + format.Duration(int64(elapsed.Truncate(100*time.Millisecond))),
		"",
		"  " + st.Faint.Render(s.back.Help().Key+" cancels"),
	}
	return shell.Block(lines, s.w, s.h)
}

func (s *traceScreen) setSize(w, h int) {
	s.w, s.h = w, h
	if s.loaded {
		s.m.SetSize(w, h)
	}
}

func (s *traceScreen) setStyles(st *styles.Styles) { s.st = st }

func (s *traceScreen) shortHelp() []key.Binding {
	if !s.loaded {
		b := s.back
		b.SetHelp(b.Help().Key, "cancel")
		return []key.Binding{b}
	}
	return s.m.ShortHelp()
}

func (s *traceScreen) fullHelp() [][]key.Binding {
	if !s.loaded {
		return [][]key.Binding{s.shortHelp()}
	}
	return s.m.FullHelp()
}

func (s *traceScreen) capturing() bool { return s.loaded && s.m.Capturing() }

func (s *traceScreen) busy() (bool, string) { return s.reqs.Busy() }
func (s *traceScreen) close()               { s.reqs.CancelAll() }
func (s *traceScreen) name() string         { return "trace view" }

// describe is an error for the status bar: one line, cleaned.
func describe(err error) string {
	switch {
	case errors.Is(err, backend.ErrNotFound):
		return "not found (wrong ID, or past the backend's retention?)"
	case errors.Is(err, context.Canceled), errors.Is(err, backend.ErrCanceled):
		return "cancelled"
	}
	return oneLine(textsafe.Clean(err.Error()))
}
