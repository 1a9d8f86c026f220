package tui

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/internal/textsafe"
	"github.com/tracetui/tracetui/tui/internal/shell"
)

// loadScreen is the program's first screen when the backend is built
// inside it (Options.Load: a --file decoded here rather than before the
// terminal is taken, so that a 600 MB file shows its progress from the
// first frame). It shows the bytes read of the total, esc cancels the
// decode and quits; a failure stays on screen as one cleaned line. Once
// loaded, the root puts the search form (or the file's one trace) in its
// place.
type loadScreen struct {
	load  func(context.Context) (backend.Backend, error)
	label string
	reqs  *shell.Requests
	req   shell.RequestID
	ctx   context.Context
	now   func() time.Time
	st    *style.Sheet
	back  key.Binding
	spin  func() string

	prog         *backend.Progress
	started      time.Time
	elapsed      time.Duration
	bytes, total int64
	// failed is the load's error, cleaned, once it has failed.
	failed string
	w, h   int
}

type (
	// backendLoadedMsg is the load's answer, for the screen that asked.
	backendLoadedMsg struct {
		id  shell.RequestID
		b   backend.Backend
		err error
	}
	// backendReadyMsg asks the root to install the loaded backend.
	backendReadyMsg struct {
		screen *loadScreen
		b      backend.Backend
	}
	// loadPollMsg polls the load's progress until it ends.
	loadPollMsg struct{ screen *loadScreen }
)

func (r *root) newLoad() *loadScreen {
	label := r.opts.LoadLabel
	if label == "" {
		label = "the backend"
	}
	s := &loadScreen{
		load: r.opts.Load, label: label, reqs: shell.NewRequests(r.seq), ctx: r.ctx, now: r.now,
		st: r.styles, back: r.keys.Trace.Back, spin: r.spinView,
	}
	s.setSize(r.bodySize())
	return s
}

func (s *loadScreen) init() tea.Cmd {
	id, ctx := s.reqs.Start(s.ctx, "loading "+s.label+"…")
	s.prog = &backend.Progress{}
	ctx = backend.WithProgress(ctx, s.prog)
	s.req, s.started = id, s.now()
	load := s.load
	return tea.Batch(func() tea.Msg {
		b, err := load(ctx)
		return backendLoadedMsg{id: id, b: b, err: err}
	}, func() tea.Msg { return loadPollMsg{screen: s} })
}

func (s *loadScreen) poll() {
	s.elapsed = s.now().Sub(s.started)
	s.bytes, s.total = s.prog.Bytes(), s.prog.Total()
}

func (s *loadScreen) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case backendLoadedMsg:
		if !s.reqs.Finish(msg.id) {
			return nil
		}
		s.poll()
		if msg.err != nil {
			s.failed = shell.Label("cannot load " + s.label + ": " + describe(msg.err))
			text := s.failed
			return func() tea.Msg { return shell.Failure(text) }
		}
		b := msg.b
		return func() tea.Msg { return backendReadyMsg{screen: s, b: b} }
	case loadPollMsg:
		if msg.screen != s || s.failed != "" {
			return nil
		}
		if busy, _ := s.reqs.Busy(); !busy {
			return nil
		}
		s.poll()
		return tea.Tick(pollEvery, func(time.Time) tea.Msg { return loadPollMsg{screen: s} })
	case tea.KeyPressMsg:
		if key.Matches(msg, s.back) {
			// Nothing to show without the file: cancelling is leaving.
			s.reqs.CancelAll()
			return tea.Quit
		}
	}
	return nil
}

func (s *loadScreen) view() string {
	st := s.st
	lines := []string{st.Title.Render("Loading ") + textsafe.Clean(s.label), ""}
	if s.failed != "" {
		// One line, wrapped: the reason comes after the path.
		for _, l := range shell.Wrap(s.failed, max(s.w-2, 1)) {
			lines = append(lines, "  "+st.Error.Render(l))
		}
		lines = append(lines, "", "  "+st.Faint.Render(s.back.Help().Key+" quits"))
		return shell.Block(lines, s.w, s.h)
	}
	var parts []string
	switch {
	case s.bytes == 0:
		parts = append(parts, "opening")
	case s.total > 0:
		parts = append(parts, byteSize(s.bytes)+" of "+byteSize(s.total)+" ("+strconv.FormatInt(min(s.bytes*100/s.total, 100), 10)+"%)")
	default:
		parts = append(parts, byteSize(s.bytes)+" read")
	}
	parts = append(parts, elapsedText(s.elapsed))
	lines = append(lines, "  "+s.spin()+" Reading and decoding", "    "+strings.Join(parts, " · "))
	if s.total > 0 {
		lines = append(lines, "    "+st.Bar.Render(progressBar(s.bytes, s.total, min(s.w-4, 40))))
	}
	lines = append(lines, "", "  "+st.Faint.Render(s.back.Help().Key+" cancels and quits"))
	return shell.Block(lines, s.w, s.h)
}

func (s *loadScreen) setSize(w, h int)          { s.w, s.h = w, h }
func (s *loadScreen) setStyles(st *style.Sheet) { s.st = st }
func (s *loadScreen) shortHelp() []key.Binding {
	b := s.back
	if s.failed != "" {
		b.SetHelp(b.Help().Key, "quit")
	} else {
		b.SetHelp(b.Help().Key, "cancel")
	}
	return []key.Binding{b}
}
func (s *loadScreen) fullHelp() [][]key.Binding { return [][]key.Binding{s.shortHelp()} }
func (s *loadScreen) capturing() bool           { return false }
func (s *loadScreen) busy() (bool, string)      { return s.reqs.Busy() }
func (s *loadScreen) close()                    { s.reqs.CancelAll() }
func (s *loadScreen) name() string              { return "loading" }

// loadFailed is the load's error text once it has failed, for Run.
func (s *loadScreen) loadFailed() string { return s.failed }

// backendReady installs a loaded backend: a fresh search form over it in
// place of the loading screen, then what the command line asked to open
// (a pasted ID, or the file's only trace), else the form's services.
func (r *root) backendReady(msg backendReadyMsg) tea.Cmd {
	if !slices.Contains(r.stack, screen(msg.screen)) {
		return nil
	}
	r.opts.Backend = msg.b
	if r.opts.BackendLabel == "" {
		r.opts.BackendLabel = msg.b.Name()
	}
	r.closeAll()
	r.stack = []screen{r.newSearch()}
	o := &r.opts
	if o.Initial == nil && strings.TrimSpace(o.InitialTraceID) == "" && o.InitialTrace == nil {
		if f, ok := msg.b.(interface{ Traces() []*backend.Trace }); ok && len(f.Traces()) == 1 {
			t := f.Traces()[0]
			o.InitialTrace, o.InitialTraceID = t, string(t.ID)
		}
	}
	if o.InitialTrace != nil || o.Initial != nil || strings.TrimSpace(o.InitialTraceID) != "" {
		r.formIdle = true
		return r.initial()
	}
	r.formIdle = false
	return r.stack[0].init()
}

// loading reports whether the top screen is the loading screen, where the
// lookup box has no backend to ask yet.
func (r *root) loading() bool {
	_, ok := r.top().(*loadScreen)
	return ok
}

// loadError is the failed load's text, or "", for Run's return value.
func (r *root) loadError() string {
	for _, s := range r.stack {
		if l, ok := s.(*loadScreen); ok {
			return l.loadFailed()
		}
	}
	return ""
}
