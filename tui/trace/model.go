// Package trace is the trace view: a header, the waterfall of spans on a
// shared time axis, and panes for span detail, the critical path, per-service
// timing and warnings, with an in-trace search.
//
// The view is one model made of parts that each own their fields and draw
// themselves at a given size (crush's chat list and bubbles' viewport are
// the models): the readings of the trace with their analysis (readings.go),
// the waterfall (waterfall*.go), the open pane (pane*.go; pane.go says how
// to add a kind of pane) and the search box (searchbox.go). state, the one
// Bubble Tea-facing part, routes messages and keys to them (keys.go) and
// lays them out (view.go, layout.go).
//
// Value or pointer: Model is a value holding a pointer to its state, as
// Bubble Tea models are passed by value: a 100,000-span trace's per-span
// tables must not be copied at every key press. The parts are values
// inside state, changed through pointer receivers.
//
// Analysis runs in commands (tree first, so the waterfall draws at once;
// then critical path, statistics, error origins and skew); results carry
// the model's identity and stale ones are dropped.
package trace

import (
	"context"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/links"
	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/keymap"
	"github.com/tracetui/tracetui/tui/internal/shell"
)

// Config configures a trace view.
type Config struct {
	Keys keymap.Trace
	// Dark selects colours for a dark terminal background.
	Dark bool
	// Styles is the shell's style sheet for that background; nil builds
	// one.
	Styles *style.Sheet
	// Now gives the current time for "5m ago"; nil means time.Now.
	Now func() time.Time
	// Location shows absolute times; nil means time.Local.
	Location *time.Location
	// BigTrace is the span count above which the waterfall opens folded
	// below CollapseDepth; 0 means 2,000.
	BigTrace int
	// CollapseDepth is the number of levels shown when a big trace opens;
	// 0 means 3.
	CollapseDepth int
	// SidePaneWidth is the terminal width from which panes sit beside the
	// waterfall instead of below it; 0 means 120.
	SidePaneWidth int
	// Span is the span to select, with its detail pane open, once the tree
	// is built: the span a pasted traceparent or Jaeger URL named.
	Span backend.SpanID

	// Logs finds the trace's application log lines (--logs); nil: none.
	// The lookup starts when the span tree is built.
	Logs LogSource
	// Links are the link templates: the span detail expands them (as OSC 8
	// hyperlinks when Hyperlinks is set, else as plain text), and the first
	// trace link (the backend's own UI by default) is what the copy-link
	// key copies.
	Links      []links.Template
	Hyperlinks bool
	// Requests tracks the log lookup (the shell's, so that leaving the
	// screen cancels it); nil makes the view its own. Ctx is the lookup's
	// parent; nil means context.Background.
	Requests *shell.Requests
	Ctx      context.Context
}

// BackMsg asks the shell to leave the trace view: esc was pressed with
// nothing left to close.
type BackMsg struct{}

// OpenTraceMsg asks the root to open another trace, with Span selected: a
// reference or an OpenTelemetry link into it, chosen in the span detail.
type OpenTraceMsg struct {
	Trace backend.TraceID
	Span  backend.SpanID
}

// Messages carrying analysis results. token identifies the model that asked,
// so results for a model that was replaced are dropped.
type (
	treeMsg struct {
		token *int
		td    *treeData
	}
	analysisMsg struct {
		token *int
		an    *analysisData
	}
	// searchMsg carries one step of a search (searchrun.go).
	searchMsg struct {
		token *int
		seq   int
		job   *searchJob
		part  *searchPart
	}
	// adjustedMsg carries the clock-skew adjusted reading of the trace.
	adjustedMsg struct {
		token *int
		r     *reading
	}
)

// Model is the trace view. Create it with New; the zero Model draws blank.
type Model struct {
	s *state
}

// state is the trace view's one model: its parts, and what they share.
type state struct {
	cfg   Config
	keys  keymap.Trace
	st    *style.Sheet
	token *int
	w, h  int

	rd   readings
	wf   waterfall
	box  searchBox
	pane pane
	logs logState
	reqs *shell.Requests

	// originIdx is the error origin e last went to (-1: none); shortIdx
	// the share of the next "collapse short spans".
	originIdx int
	shortIdx  int
}

// New builds a trace view for t. Nothing heavy happens here: Init starts the
// analysis.
func New(cfg Config, t *backend.Trace) Model {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Location == nil {
		cfg.Location = time.Local
	}
	if cfg.BigTrace <= 0 {
		cfg.BigTrace = 2000
	}
	if cfg.CollapseDepth <= 0 {
		cfg.CollapseDepth = 3
	}
	if cfg.SidePaneWidth <= 0 {
		cfg.SidePaneWidth = 120
	}
	if cfg.Ctx == nil {
		cfg.Ctx = context.Background()
	}
	if cfg.Requests == nil {
		cfg.Requests = shell.NewRequests(nil)
	}
	if t == nil {
		t = &backend.Trace{}
	}
	st := cfg.Styles
	if st == nil || st.Dark != cfg.Dark {
		st = style.New(cfg.Dark)
	}
	s := &state{
		cfg:       cfg,
		keys:      cfg.Keys,
		st:        st,
		token:     new(int),
		rd:        newReadings(t),
		box:       newSearchBox(st),
		pane:      newPane(),
		reqs:      cfg.Requests,
		originIdx: -1,
	}
	s.logs = logState{box: newLogFilter(st)}
	if cfg.Logs != nil {
		s.logs.src, s.logs.phase = cfg.Logs, logsIdle
	}
	s.wf = newWaterfall(&s.rd)
	s.wf.logCol = cfg.Logs != nil
	s.resize(80, 24)
	return Model{s: s}
}

// Init starts building the span tree.
func (m Model) Init() tea.Cmd {
	if m.s == nil {
		return nil
	}
	t, token := m.s.rd.trace, m.s.token
	return func() tea.Msg {
		return treeMsg{token: token, td: buildTreeData(t)}
	}
}

// SetStyles restyles the view with the style sheet of the terminal's
// background, for when the terminal reports a new background while the
// view is open. Pane lines, which hold their styles, are rebuilt here, once;
// nothing else changes.
func (m *Model) SetStyles(st *style.Sheet) {
	if m.s == nil || st == nil {
		return
	}
	s := m.s
	s.cfg.Dark, s.cfg.Styles = st.Dark, st
	s.st = st
	s.box.input.SetStyles(shell.InputStyles(s.st))
	s.logs.box.input.SetStyles(shell.InputStyles(s.st))
	s.pane.restyle()
	s.refreshPane()
}

// SetSize sets the size the view fills exactly.
func (m *Model) SetSize(w, h int) {
	if m.s == nil {
		return
	}
	m.s.resize(w, h)
	m.s.refreshPane()
}

// Capturing reports whether the search input has focus, so that the shell
// passes every key here (q is a letter, not quit).
func (m Model) Capturing() bool { return m.s != nil && (m.s.box.capturing || m.s.logs.box.capturing) }

// ShortHelp is the one-line help for the current focus.
func (m Model) ShortHelp() []key.Binding {
	if m.s == nil {
		return nil
	}
	k := m.s.keys
	switch {
	case m.s.box.capturing, m.s.logs.box.capturing:
		return k.SearchHelp()
	case m.s.pane.focus && m.s.pane.kind != paneNone:
		return k.PaneShortHelp()
	}
	return k.ShortHelp()
}

// FullHelp lists every binding of the trace view.
func (m Model) FullHelp() [][]key.Binding {
	if m.s == nil {
		return nil
	}
	return m.s.keys.FullHelp()
}

// Selected returns the selected span's index in the trace's Spans, or -1.
func (m Model) Selected() int {
	if m.s == nil {
		return -1
	}
	return int(m.s.wf.sel)
}

// Analysis reports whether the critical path and statistics have arrived.
func (m Model) Analysis() bool { return m.s != nil && m.s.rd.an != nil }

// Update handles keys and analysis results.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	if m.s == nil {
		return m, nil
	}
	cmd := m.s.update(msg)
	// Whatever moved, the open pane follows (a cache key makes this free
	// when nothing it shows changed).
	m.s.refreshPane()
	return m, cmd
}

func (s *state) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case treeMsg:
		if msg.token != s.token || s.rd.td != nil {
			return nil
		}
		s.rd.setTree(msg.td)
		s.wf.setTree(s.cfg.BigTrace, s.cfg.CollapseDepth)
		td, token := msg.td, s.token
		return tea.Batch(s.selectGivenSpan(),
			func() tea.Msg { return analysisMsg{token: token, an: buildAnalysis(td)} }, s.startLogs())
	case analysisMsg:
		if msg.token != s.token || s.rd.td == nil {
			return nil
		}
		s.rd.setAnalysis(msg.an)
		if s.wf.criticalOnly {
			s.wf.applyFilters()
		}
		return nil
	case searchMsg:
		if msg.token != s.token || s.rd.td == nil {
			return nil
		}
		return s.box.receive(msg, len(s.rd.td.pos))
	case adjustedMsg:
		if msg.token != s.token || msg.r == nil {
			return nil
		}
		s.rd.adj = msg.r
		if !s.rd.pending {
			return nil
		}
		s.rd.pending = false
		return s.showReading(true)
	case logsMsg:
		return s.gotLogs(msg)
	case tea.KeyPressMsg:
		return s.key(msg)
	}
	if s.logs.box.capturing {
		cmd, changed := s.logs.box.edit(msg)
		if changed {
			s.filtered()
		}
		return cmd
	}
	if s.box.capturing {
		// Pastes and other input messages go to the search box.
		cmd, changed := s.box.edit(msg)
		if changed {
			return tea.Batch(cmd, s.box.start(s.rd.reading, s.token))
		}
		return cmd
	}
	return nil
}

// resize sets the view's size and gives each part its share.
func (s *state) resize(w, h int) {
	s.w, s.h = max(w, 0), max(h, 0)
	s.box.input.SetWidth(max(s.w-20, 10))
	s.relayout()
}

// relayout passes the layout's heights to the waterfall and the pane: after
// a resize, and when a pane opens or closes.
func (s *state) relayout() {
	l := s.layout()
	s.wf.setHeight(l.rowsH)
	s.pane.setHeight(l.paneH - 1)
}

// paneCtx is what the pane's content is built from now.
func (s *state) paneCtx() paneCtx {
	return paneCtx{st: s.st, rd: &s.rd, cfg: &s.cfg, sel: s.wf.sel, service: s.wf.service, logs: &s.logs}
}

// refreshPane rebuilds the open pane's lines if what they show changed.
func (s *state) refreshPane() {
	s.pane.refresh(s.paneCtx(), s.layout().paneW)
}

// paneTitle is the open pane's title.
func (s *state) paneTitle() string {
	if s.pane.kind == paneNone {
		return ""
	}
	return specOf(s.pane.kind).title(&s.pane, s.paneCtx())
}

// openPane opens a kind of pane (or closes it when it is open).
func (s *state) openPane(k paneKind) {
	s.pane.open(k)
	s.relayout()
}

func (s *state) closePane() {
	s.pane.close()
	s.relayout()
}

// statusCmd sends a notice or an error to the shell's status bar.
func statusCmd(text string, isErr bool) tea.Cmd { return shell.StatusCmd(text, isErr) }

func backCmd() tea.Msg { return BackMsg{} }
