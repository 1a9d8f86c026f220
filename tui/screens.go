package tui

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/internal/textsafe"
	"github.com/tracetui/tracetui/tui/internal/shell"
	"github.com/tracetui/tracetui/tui/list"
	"github.com/tracetui/tracetui/tui/search"
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
	setStyles(s *style.Sheet)
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
		AllTime: r.opts.AllTime,
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
func (s *searchScreen) view() string              { return s.m.View() }
func (s *searchScreen) setSize(w, h int)          { s.m.SetSize(w, h) }
func (s *searchScreen) setStyles(st *style.Sheet) { s.m.SetStyles(st) }
func (s *searchScreen) shortHelp() []key.Binding  { return s.m.ShortHelp() }
func (s *searchScreen) fullHelp() [][]key.Binding { return s.m.FullHelp() }
func (s *searchScreen) capturing() bool           { return s.m.Capturing() }
func (s *searchScreen) busy() (bool, string)      { return s.m.Busy() }
func (s *searchScreen) close()                    { s.m.Close() }
func (s *searchScreen) name() string              { return "search" }

// --- trace list ---

type listScreen struct {
	m    list.Model
	reqs *shell.Requests
}

func (r *root) newList(spec search.Spec) *listScreen {
	b, now := r.opts.Backend, r.now
	// backend.Find says whether the limit was reached and what tracetui
	// checked itself (error=true where the server cannot), and searches
	// each service when the server needs one.
	find := func(ctx context.Context, limit int) (backend.SearchResult, error) {
		if b == nil {
			return backend.SearchResult{}, errNoBackend
		}
		q := spec.Query(now())
		q.Limit = limit
		return backend.Find(ctx, b, q)
	}
	s := r.listScreen(spec.Describe(), nil, false)
	s.m.SetFind(find, spec.Limit)
	return s
}

var errNoBackend = errors.New("no backend configured")

// correlationWindow is the shortest window a correlation lookup searches:
// the ID usually comes from a log line that may be hours old, so the search
// form's lookback (an hour by default) is too short.
const correlationWindow = 24 * time.Hour

// windowLabel is a search's window in words: "the last 24h", "all time"
// (never "the last all time"), or its start and end.
func windowLabel(spec search.Spec) string {
	switch {
	case spec.Lookback == search.AllTime:
		return "all time"
	case spec.Lookback <= 0:
		return spec.Start.Format("01-02 15:04") + "–" + spec.End.Format("01-02 15:04")
	}
	return "the last " + search.LookbackLabel(spec.Lookback)
}

// correlationSpec is the window of a correlation lookup: the last 24 hours,
// or the search form's window when it is longer.
func correlationSpec(form search.Spec, formOK bool) search.Spec {
	spec := search.Spec{Lookback: correlationWindow}
	if !formOK {
		return spec
	}
	spec.Limit = form.Limit
	switch {
	case form.Lookback > correlationWindow:
		spec.Lookback = form.Lookback
	case form.Lookback <= 0 && !form.Start.IsZero() && form.End.Sub(form.Start) > correlationWindow:
		spec.Lookback, spec.Start, spec.End = 0, form.Start, form.End
	}
	return spec
}

// newCorrelationList searches every service for the correlation ID under
// each correlation key (see correlationSpec for the window); a single match
// opens at once, none is an error that says where it looked.
func (r *root) newCorrelationList(value string) *listScreen {
	b, now := r.opts.Backend, r.now
	keys := r.opts.CorrelationKeys
	if len(keys) == 0 {
		keys = backend.DefaultCorrelationKeys()
	}
	var form search.Spec
	formOK := false
	if ss, ok := r.stack[0].(*searchScreen); ok {
		s, err := ss.m.Spec()
		form, formOK = s, err == nil
	}
	spec := correlationSpec(form, formOK)
	load := func(ctx context.Context) ([]backend.TraceSummary, error) {
		if b == nil {
			return nil, errNoBackend
		}
		res, err := backend.LookUpCorrelation(ctx, b, keys, value, spec.Query(now()))
		if warn := res.Incomplete(); err == nil && warn != "" {
			return res.Traces, &list.Incomplete{Text: warn + ": " + describe(res.FirstError)}
		}
		return res.Traces, err
	}
	window := windowLabel(spec)
	s := r.listScreen("correlation ID "+strconv.Quote(value)+" · "+strings.TrimPrefix(window, "the "), load, true)
	s.m.SetNotFound("no trace with correlation ID " + strconv.Quote(value) + " in " + window +
		" (keys: " + strings.Join(keys, ", ") + ")")
	return s
}

func (r *root) listScreen(title string, load list.Loader, openSingle bool) *listScreen {
	reqs := shell.NewRequests(r.seq)
	m := list.New(list.Config{
		Keys: r.keys.List, Styles: r.styles, Title: title, Load: load,
		Requests: reqs, Ctx: r.ctx, Now: r.now, OpenSingle: openSingle, Spinner: r.spinView,
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
func (s *listScreen) view() string              { return s.m.View() }
func (s *listScreen) setSize(w, h int)          { s.m.SetSize(w, h) }
func (s *listScreen) setStyles(st *style.Sheet) { s.m.SetStyles(st) }
func (s *listScreen) shortHelp() []key.Binding  { return s.m.ShortHelp() }
func (s *listScreen) fullHelp() [][]key.Binding { return s.m.FullHelp() }
func (s *listScreen) capturing() bool           { return s.m.Capturing() }
func (s *listScreen) busy() (bool, string)      { return s.reqs.Busy() }
func (s *listScreen) close()                    { s.m.Close() }
func (s *listScreen) name() string              { return "trace list" }

// --- trace view ---

// traceScreen fetches a trace and shows its progress (bytes loaded, of how
// many when the size is known, elapsed time), then "analysing…" until the
// trace view has its span tree; esc cancels at once in both phases. Then it
// hands over to the trace view.
type traceScreen struct {
	id    backend.TraceID
	b     backend.Backend
	label string
	reqs  *shell.Requests
	req   shell.RequestID
	ctx   context.Context
	now   func() time.Time
	cfg   trace.Config
	st    *style.Sheet
	back  key.Binding

	phase tracePhase
	// prog counts the response bytes; loadTickMsg polls it into bytes and
	// total while the screen loads, so that View reads plain fields.
	prog         *backend.Progress
	started      time.Time
	elapsed      time.Duration
	bytes, total int64
	// spin draws the program's one spinner.
	spin func() string

	m    trace.Model
	w, h int

	// t is the trace shown (for a comparison, compare.go).
	t *backend.Trace
	// The front door (lookup.go): lookup, when set, is what to look up
	// instead of fetching id (trace IDs, then a correlation value);
	// summary says what was recognised in the paste; span is the span to
	// select; preloaded is a trace already read (a --file's only trace).
	lookup    *backend.Lookup
	summary   string
	window    string
	span      backend.SpanID
	preloaded *backend.Trace
}

type tracePhase int

const (
	fetching tracePhase = iota
	analysing
	ready
)

// pollEvery is how often the loading screen reads the byte counter: often
// enough to look alive, rarely enough to cost nothing over SSH.
const pollEvery = 200 * time.Millisecond

type (
	traceLoadedMsg struct {
		id    shell.RequestID
		trace *backend.Trace
		err   error
	}
	// loadTickMsg polls a loading screen's progress; it stops once the
	// trace view has drawn (or the screen left the stack).
	loadTickMsg struct{ screen *traceScreen }
	// treeReadyMsg carries the result of the trace view's first command
	// (the span tree): with it the trace view can draw its first frame.
	treeReadyMsg struct {
		screen *traceScreen
		msg    tea.Msg
	}
)

func (r *root) newTrace(id backend.TraceID) *traceScreen {
	s := &traceScreen{
		id: id, b: r.opts.Backend, label: r.opts.BackendLabel,
		reqs: shell.NewRequests(r.seq), ctx: r.ctx, now: r.now, st: r.styles,
		cfg: trace.Config{Keys: r.keys.Trace, Dark: r.dark, Styles: r.styles, Now: r.now,
			Location: r.now().Location(), Links: r.opts.Links},
		back: r.keys.Trace.Back, spin: r.spinView,
	}
	// The log lookup is one of the screen's requests: leaving cancels it.
	s.cfg.Logs, s.cfg.Links, s.cfg.Hyperlinks = r.opts.Logs, r.opts.Links, r.opts.Hyperlinks
	s.cfg.Requests, s.cfg.Ctx = s.reqs, r.ctx
	s.setSize(r.bodySize())
	return s
}

func (s *traceScreen) init() tea.Cmd {
	if s.b == nil {
		return func() tea.Msg { return failedMsg{screen: s, text: "cannot open a trace: " + errNoBackend.Error()} }
	}
	if t := s.preloaded; t != nil {
		return func() tea.Msg { return traceLoadedMsg{trace: t} }
	}
	label := "loading trace " + s.id.Short() + "…"
	if s.lookup != nil {
		label = "looking up " + s.summary + "…"
	}
	id, ctx := s.reqs.Start(s.ctx, label)
	s.prog = &backend.Progress{}
	ctx = backend.WithProgress(ctx, s.prog)
	s.req, s.started = id, s.now()
	b, tid := s.b, s.id
	load := func() tea.Msg {
		t, err := b.Trace(ctx, tid, backend.TraceOptions{})
		return traceLoadedMsg{id: id, trace: t, err: err}
	}
	if l := s.lookup; l != nil {
		load = func() tea.Msg {
			res, err := backend.LookUp(ctx, b, *l)
			return lookedUpMsg{id: id, res: res, err: err}
		}
	}
	// The first poll comes at once (a command, not a timer), the next ones
	// every pollEvery.
	return tea.Batch(load, func() tea.Msg { return loadTickMsg{screen: s} })
}

// loaded builds the trace view on t and starts its analysis.
func (s *traceScreen) loaded(t *backend.Trace) tea.Cmd {
	s.poll()
	if t == nil {
		t = &backend.Trace{ID: s.id}
	}
	s.t = t
	s.cfg.Span = s.span
	s.m = trace.New(s.cfg, t)
	s.m.SetSize(s.w, s.h)
	s.phase = analysing
	first := s.m.Init()
	if first == nil {
		s.phase = ready
		return nil
	}
	return func() tea.Msg { return treeReadyMsg{screen: s, msg: first()} }
}

func (s *traceScreen) poll() {
	s.elapsed = s.now().Sub(s.started)
	if s.prog != nil {
		s.bytes, s.total = s.prog.Bytes(), s.prog.Total()
	}
}

func (s *traceScreen) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case traceLoadedMsg:
		if s.preloaded != nil && s.phase == fetching && msg.trace == s.preloaded {
			s.preloaded = nil
			return s.loaded(msg.trace)
		}
		if !s.reqs.Finish(msg.id) {
			return nil
		}
		if msg.err != nil {
			return func() tea.Msg {
				return failedMsg{screen: s, text: "trace " + s.id.Short() + ": " + describe(msg.err)}
			}
		}
		return s.loaded(msg.trace)
	case lookedUpMsg:
		if !s.reqs.Finish(msg.id) {
			return nil
		}
		return s.lookedUp(msg)
	case treeReadyMsg:
		if msg.screen != s || s.phase != analysing {
			return nil
		}
		s.phase = ready
		if b, ok := msg.msg.(tea.BatchMsg); ok {
			return tea.Batch(b...)
		}
		var cmd tea.Cmd
		s.m, cmd = s.m.Update(msg.msg)
		return cmd
	case loadTickMsg:
		if msg.screen != s || s.phase == ready {
			return nil
		}
		s.poll()
		return tea.Tick(pollEvery, func(time.Time) tea.Msg { return loadTickMsg{screen: s} })
	case tea.KeyPressMsg:
		if s.phase != ready {
			if key.Matches(msg, s.back) {
				s.reqs.CancelAll()
				text := "cancelled loading trace " + s.id.Short()
				return func() tea.Msg { return cancelledMsg{screen: s, text: text} }
			}
			return nil
		}
	}
	if s.phase != ready {
		return nil
	}
	var cmd tea.Cmd
	s.m, cmd = s.m.Update(msg)
	return cmd
}

func (s *traceScreen) view() string {
	if s.phase == ready {
		return s.m.View()
	}
	st := s.st
	spin := s.spin()
	lines := []string{st.Title.Render("Trace ") + textsafe.Clean(s.id.Short()), "", "  " + spin + " Loading trace " + textsafe.Clean(s.id.Short())}
	if s.lookup != nil {
		lines = append(lines, "    "+textsafe.Clean(s.summary))
	}
	if s.label != "" {
		lines = append(lines, "    from "+textsafe.Clean(s.label))
	}
	var parts []string
	switch {
	case s.phase == analysing:
		if s.bytes > 0 {
			parts = append(parts, byteSize(s.bytes)+" loaded")
		}
		parts = append(parts, "analysing…")
	case s.bytes == 0:
		parts = append(parts, "waiting for the backend")
	case s.total > 0:
		parts = append(parts, byteSize(s.bytes)+" of "+byteSize(s.total)+" ("+strconv.FormatInt(min(s.bytes*100/s.total, 100), 10)+"%)")
	default:
		parts = append(parts, byteSize(s.bytes))
	}
	parts = append(parts, elapsedText(s.elapsed))
	lines = append(lines, "    "+strings.Join(parts, " · "))
	if s.phase == fetching && s.total > 0 {
		lines = append(lines, "    "+st.Bar.Render(progressBar(s.bytes, s.total, min(s.w-4, 40))))
	}
	lines = append(lines, "", "  "+st.Faint.Render(s.back.Help().Key+" cancels"))
	return shell.Block(lines, s.w, s.h)
}

// byteSize writes n bytes with a binary unit: "812 B", "12.3 MiB".
func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	v, exp := float64(n)/unit, 0
	for v >= unit && exp < 4 {
		v /= unit
		exp++
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + " " + [...]string{"KiB", "MiB", "GiB", "TiB", "PiB"}[exp]
}

// elapsedText writes a wait to the tenth of a second, then in minutes.
func elapsedText(d time.Duration) string {
	if d < time.Minute {
		return strconv.FormatFloat(max(d, 0).Truncate(100*time.Millisecond).Seconds(), 'f', 1, 64) + "s"
	}
	return format.Duration(int64(d.Truncate(time.Second)))
}

// progressBar draws done of total in width cells.
func progressBar(done, total int64, width int) string {
	if width <= 0 || total <= 0 {
		return ""
	}
	full := int(min(max(done, 0), total) * int64(width) / total)
	return strings.Repeat("█", full) + strings.Repeat("░", width-full)
}

func (s *traceScreen) setSize(w, h int) {
	s.w, s.h = w, h
	if s.phase != fetching {
		s.m.SetSize(w, h)
	}
}

// setStyles follows a background change: a trace still loading (tracetui
// TRACE_ID starts one before the terminal has said its background) is built
// with the new colours, an open one restyles itself.
func (s *traceScreen) setStyles(st *style.Sheet) {
	s.st = st
	s.cfg.Dark, s.cfg.Styles = st.Dark, st
	if s.phase != fetching {
		s.m.SetStyles(st)
	}
}

func (s *traceScreen) shortHelp() []key.Binding {
	if s.phase != ready {
		b := s.back
		b.SetHelp(b.Help().Key, "cancel")
		return []key.Binding{b}
	}
	return s.m.ShortHelp()
}

func (s *traceScreen) fullHelp() [][]key.Binding {
	if s.phase != ready {
		return [][]key.Binding{s.shortHelp()}
	}
	return s.m.FullHelp()
}

func (s *traceScreen) capturing() bool { return s.phase == ready && s.m.Capturing() }

// busy reports the fetch, then the analysis, so that the status bar says
// what the wait is for.
func (s *traceScreen) busy() (bool, string) {
	if s.phase == analysing {
		return true, "analysing trace " + s.id.Short() + "…"
	}
	if s.phase == ready {
		if b, label := s.m.Busy(); b {
			return b, label
		}
	}
	return s.reqs.Busy()
}
func (s *traceScreen) close()       { s.reqs.CancelAll() }
func (s *traceScreen) name() string { return "trace view" }

// describe is an error for the status bar: one line, cleaned.
func describe(err error) string {
	switch {
	case errors.Is(err, backend.ErrNotFound):
		return "not found (wrong ID, or past the backend's retention?)"
	case errors.Is(err, context.Canceled), errors.Is(err, backend.ErrCanceled):
		return "cancelled"
	}
	return shell.DescribeError(err)
}
