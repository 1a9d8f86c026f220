// Package compare is the comparison of two traces (issue 12): both laid onto
// one calling-context tree (analysis.Compare, the computation `tracetui
// diff` prints), drawn as a tree with both durations as bars on one time
// scale, the critical-path difference coloured, contexts only in one trace
// marked, errors on each side. It fetches what it was not given, analyses
// in a command, and can ask for the baseline trace in a box (anything the
// lookup box takes: a trace ID, a traceparent, a trace URL, a log line).
//
// Trace A is the baseline, trace B the one under investigation: "slower"
// means B took longer than A.
//
// Value or pointer: Model is a value holding a pointer to its state, as in
// the trace view: the merged tree's per-node tables must not be copied at
// every key press.
package compare

import (
	"context"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/keymap"
	"github.com/tracetui/tracetui/tui/internal/shell"
)

// Side is one trace of the comparison: its ID, and the trace itself when
// the caller has it already (the trace view's own trace); nil is fetched.
type Side struct {
	ID    backend.TraceID
	Trace *backend.Trace
}

// Config configures a comparison.
type Config struct {
	Keys    keymap.Compare
	Styles  *style.Sheet
	Backend backend.Backend
	// Requests tracks this screen's requests; nil makes a private tracker.
	Requests *shell.Requests
	// Ctx is the parent of every request context.
	Ctx context.Context
	Now func() time.Time
	// Spinner draws the program's one spinner; nil draws a still frame.
	Spinner func() string
	// A is the baseline, B the trace under investigation. An A without an
	// ID opens the box that asks for it.
	A, B Side
	// Note says where A came from ("the median of 12 … traces of the
	// search"), or why the box asks for it.
	Note string
	// CorrelationKeys and Window are what a correlation value typed into
	// the box is looked up with (as in the lookup box).
	CorrelationKeys []string
	Window          backend.Query
}

// OpenMsg asks the root to open a span of one of the compared traces in a
// trace view; leaving that view comes back to the comparison.
type OpenMsg struct {
	Trace *backend.Trace
	// Span is the span's index in Trace.Spans.
	Span int32
}

// BackMsg asks the root to leave the comparison.
type BackMsg struct{}

type (
	// loadedMsg carries one side's trace.
	loadedMsg struct {
		id    shell.RequestID
		side  int
		trace *backend.Trace
		notes []string
		err   error
	}
	// comparedMsg carries the comparison of the two traces.
	comparedMsg struct {
		id  shell.RequestID
		res *result
	}
)

type phase int

const (
	// asking: the box asks for trace A and nothing is compared yet.
	asking phase = iota
	loading
	analysing
	ready
	// failed: a side could not be fetched; the error stays on the screen.
	failed
)

// Model is the comparison screen.
type Model struct{ s *state }

type state struct {
	cfg  Config
	keys keymap.Compare
	st   *style.Sheet
	reqs *shell.Requests
	w, h int

	phase phase
	side  [2]sideState
	anReq shell.RequestID
	// failure is the error of a failed load, shown in place of the tree.
	failure string

	box     textinput.Model
	boxOpen bool
	boxErr  string
	// nextNote replaces the note once the trace A of the box is compared.
	nextNote string

	// res is the comparison shown, and view its rows; a new trace A
	// typed into the box replaces both when it is compared.
	res  *result
	view treeView
}

type sideState struct {
	id backend.TraceID
	t  *backend.Trace
	// lookup is what the box asked for; nil fetches id.
	lookup  *backend.Lookup
	req     shell.RequestID
	loading bool
}

// New builds a comparison; Init starts fetching what is missing.
func New(cfg Config) Model {
	shell.Defaults(&cfg.Now, &cfg.Ctx, &cfg.Styles, &cfg.Requests)
	in := textinput.New()
	in.Prompt = "Trace A: "
	in.Placeholder = "trace ID, traceparent, trace URL or log line"
	in.CharLimit = 4096
	in.SetStyles(shell.InputStyles(cfg.Styles))
	s := &state{cfg: cfg, keys: cfg.Keys, st: cfg.Styles, reqs: cfg.Requests, box: in}
	s.side[analysis.SideA] = sideState{id: cfg.A.ID, t: cfg.A.Trace}
	s.side[analysis.SideB] = sideState{id: cfg.B.ID, t: cfg.B.Trace}
	s.resize(80, 24)
	return Model{s: s}
}

// Init fetches the sides not given, or opens the box for trace A.
func (m Model) Init() tea.Cmd {
	if m.s == nil {
		return nil
	}
	s := m.s
	if s.side[analysis.SideA].id == "" && s.side[analysis.SideA].t == nil {
		s.phase = asking
		return s.openBox()
	}
	return s.start()
}

// start fetches each side that has no trace yet, or compares at once.
func (s *state) start() tea.Cmd {
	s.phase, s.failure = loading, ""
	var cmds []tea.Cmd
	for k := range s.side {
		if s.side[k].t == nil {
			cmds = append(cmds, s.fetch(k))
		}
	}
	if len(cmds) == 0 {
		return s.analyse()
	}
	return tea.Batch(cmds...)
}

// SetSize sets the size the screen fills exactly.
func (m *Model) SetSize(w, h int) {
	if m.s != nil {
		m.s.resize(w, h)
	}
}

func (s *state) resize(w, h int) {
	s.w, s.h = max(w, 0), max(h, 0)
	s.box.SetWidth(max(s.w-12, 10))
	s.view.fix(s.res, s.rowsHeight())
}

// SetStyles restyles the screen (the terminal's background changed).
func (m *Model) SetStyles(st *style.Sheet) {
	if m.s == nil || st == nil {
		return
	}
	m.s.st, m.s.cfg.Styles = st, st
	m.s.box.SetStyles(shell.InputStyles(st))
}

// Capturing reports whether the box has the keyboard.
func (m Model) Capturing() bool { return m.s != nil && m.s.boxOpen }

// Busy reports the request in flight, for the status bar.
func (m Model) Busy() (bool, string) {
	if m.s == nil {
		return false, ""
	}
	if m.s.phase == analysing {
		return true, "comparing…"
	}
	return m.s.reqs.Busy()
}

// Close cancels the screen's requests.
func (m *Model) Close() {
	if m.s != nil {
		m.s.reqs.CancelAll()
	}
}

// Ready reports whether a comparison is shown.
func (m Model) Ready() bool { return m.s != nil && m.s.res != nil }

// Comparison returns the comparison shown, or nil.
func (m Model) Comparison() *analysis.Comparison {
	if m.s == nil || m.s.res == nil {
		return nil
	}
	return m.s.res.c
}

// Selected returns the calling-context node under the cursor, or -1.
func (m Model) Selected() int32 {
	if m.s == nil || m.s.res == nil {
		return -1
	}
	return m.s.view.selected()
}

// ShortHelp is the help line for the current state.
func (m Model) ShortHelp() []key.Binding {
	if m.s == nil {
		return nil
	}
	k := m.s.keys
	switch {
	case m.s.boxOpen:
		return k.BoxHelp()
	case m.s.res == nil:
		b := k.Back
		if m.s.phase == loading || m.s.phase == analysing {
			b.SetHelp(b.Help().Key, "cancel")
		}
		return []key.Binding{short(k.Other, "other trace A"), b}
	}
	return k.ShortHelp()
}

// FullHelp lists every binding of the comparison.
func (m Model) FullHelp() [][]key.Binding {
	if m.s == nil {
		return nil
	}
	return m.s.keys.FullHelp()
}

func short(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}

// spinner is the program's spinner frame.
func (s *state) spinner() string {
	if s.cfg.Spinner == nil {
		return "⋯"
	}
	return s.cfg.Spinner()
}

// rowsHeight is the rows of the tree on screen: the body less the header
// (title, A, B, summary, column header) and the footer.
func (s *state) rowsHeight() int { return max(s.h-headerLines-1, 1) }

const headerLines = 5
