// Package trace is the trace view: a header, the waterfall of spans on a
// shared time axis, and panes for span detail, the critical path, per-service
// timing and warnings, with an in-trace search.
//
// The model keeps its large per-span tables behind a pointer: a 100,000-span
// trace must not be copied at every key press. Analysis runs in commands
// (tree first, so the waterfall draws at once; then critical path, statistics,
// error origins and skew); results carry the model's identity and stale ones
// are dropped.
package trace

import (
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/keymap"
	"github.com/tracetui/tracetui/tui/internal/shell"
)

// Config configures a trace view.
type Config struct {
	Keys keymap.Trace
	// Dark selects colours for a dark terminal background.
	Dark bool
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
}

// BackMsg asks the shell to leave the trace view: esc was pressed with
// nothing left to close.
type BackMsg struct{}

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
	searchMsg struct {
		token *int
		seq   int
		res   *searchResult
	}
	// adjustedMsg carries the clock-skew adjusted reading of the trace.
	adjustedMsg struct {
		token *int
		v     *variant
	}
)

// variant is one reading of the trace with its tree and analysis: the raw
// times, or the times adjusted for clock skew. Everything drawn (bars, axis,
// header, critical path, statistics, error origins) comes from the variant
// shown, so that they agree with each other.
type variant struct {
	trace *backend.Trace
	td    *treeData
	an    *analysisData
}

type paneKind int

const (
	paneNone paneKind = iota
	paneDetail
	paneCritical
	paneServices
	paneWarnings
)

// view is one entry of the zoom/re-root stack.
type view struct {
	reroot bool
	span   int32
	lo, hi int64
}

// Model is the trace view. Create it with New; the zero Model draws blank.
type Model struct {
	s *state
}

type state struct {
	cfg   Config
	keys  keymap.Trace
	st    *style.Sheet
	trace *backend.Trace
	token *int
	w, h  int

	td *treeData
	an *analysisData

	// Waterfall rows: the visible spans in order. rowOf[i] is span i's row
	// or -1; lastVis[i] tells whether span i is the last visible child of
	// its parent (for tree guides). stamp/gen avoid clearing per-span
	// tables on every change.
	collapsed []bool
	rows      []int32
	rowOf     []int32
	lastVis   []bool
	stamp     []uint32
	gen       uint32
	sel       int32
	cursor    int
	offset    int

	stack []view
	// raw is the trace as received (its analysis once done); adj is the
	// skew-adjusted variant once computed. adjusted tells which one
	// trace/td/an show; adjPending that a press of the skew key waits for
	// adj.
	raw        variant
	adj        *variant
	adjusted   bool
	adjPending bool

	// View filters; keep is nil when none is on. pass[i] tells whether span
	// i itself passes (ancestors are kept for context, drawn dim).
	errorsOnly   bool
	criticalOnly bool
	service      int32
	keep, pass   []bool

	input     textinput.Model
	capturing bool
	query     string
	searchSeq int
	search    *searchResult

	pane       paneKind
	paneFocus  bool
	paneLines  []paneLine
	paneCursor int
	paneOffset int
	paneKey    paneCacheKey
	folded     map[string]bool
	foldVer    int
	svcSort    int
	critSort   int

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
	if t == nil {
		t = &backend.Trace{}
	}
	sheet := style.New(cfg.Dark)
	in := textinput.New()
	in.SetStyles(shell.InputStyles(sheet))
	in.Prompt = "/"
	in.Placeholder = "text, is:error is:critical svc:NAME op:NAME >10ms <1s"
	in.CharLimit = 256
	s := &state{
		cfg:       cfg,
		keys:      cfg.Keys,
		st:        sheet,
		trace:     t,
		token:     new(int),
		input:     in,
		sel:       -1,
		service:   -1,
		originIdx: -1,
		folded:    map[string]bool{},
		w:         80,
		h:         24,
	}
	return Model{s: s}
}

// Init starts building the span tree.
func (m Model) Init() tea.Cmd {
	if m.s == nil {
		return nil
	}
	t, token := m.s.trace, m.s.token
	return func() tea.Msg {
		return treeMsg{token: token, td: buildTreeData(t)}
	}
}

// SetDark restyles the view for a dark (true) or light terminal background,
// for when the terminal reports a new background while the view is open.
// Styles are rebuilt here, once, not per row; nothing else changes.
func (m *Model) SetDark(dark bool) {
	if m.s == nil {
		return
	}
	s := m.s
	s.cfg.Dark = dark
	s.st = style.New(dark)
	s.input.SetStyles(shell.InputStyles(s.st))
	// Pane lines hold their styles; drop them so they are rebuilt. The
	// cache key is unchanged, so the pane keeps its cursor and scroll.
	s.paneLines = nil
	s.refreshPane()
}

// SetSize sets the size the view fills exactly.
func (m *Model) SetSize(w, h int) {
	if m.s == nil {
		return
	}
	m.s.w, m.s.h = max(w, 0), max(h, 0)
	m.s.input.SetWidth(max(m.s.w-20, 10))
	m.s.fixScroll()
	m.s.refreshPane()
}

// Capturing reports whether the search input has focus, so that the shell
// passes every key here (q is a letter, not quit).
func (m Model) Capturing() bool { return m.s != nil && m.s.capturing }

// ShortHelp is the one-line help for the current focus.
func (m Model) ShortHelp() []key.Binding {
	if m.s == nil {
		return nil
	}
	k := m.s.keys
	switch {
	case m.s.capturing:
		return k.SearchHelp()
	case m.s.paneFocus && m.s.pane != paneNone:
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
	return int(m.s.sel)
}

// Analysis reports whether the critical path and statistics have arrived.
func (m Model) Analysis() bool { return m.s != nil && m.s.an != nil }

// Update handles keys and analysis results.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	if m.s == nil {
		return m, nil
	}
	return m, m.s.update(msg)
}

func (s *state) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case treeMsg:
		if msg.token != s.token || s.td != nil {
			return nil
		}
		s.setTree(msg.td)
		td, token := msg.td, s.token
		return func() tea.Msg { return analysisMsg{token: token, an: buildAnalysis(td)} }
	case analysisMsg:
		if msg.token != s.token || s.td == nil {
			return nil
		}
		s.an = msg.an
		s.raw = variant{trace: s.trace, td: s.td, an: s.an}
		if s.criticalOnly {
			s.applyFilters()
		}
		s.refreshPane()
		return nil
	case searchMsg:
		if msg.token != s.token || msg.seq != s.searchSeq {
			return nil
		}
		s.search = msg.res
		return nil
	case adjustedMsg:
		if msg.token != s.token || msg.v == nil {
			return nil
		}
		s.adj = msg.v
		if !s.adjPending {
			return nil
		}
		s.adjPending = false
		return s.showVariant(true)
	case tea.KeyPressMsg:
		return s.key(msg)
	}
	if s.capturing {
		// Pastes and other input messages go to the search box.
		before := s.input.Value()
		var cmd tea.Cmd
		s.input, cmd = s.input.Update(msg)
		if s.input.Value() != before {
			return tea.Batch(cmd, s.startSearch())
		}
		return cmd
	}
	return nil
}

// setTree installs the tree and opens big traces folded.
func (s *state) setTree(td *treeData) {
	s.td = td
	n := len(td.tree.Parent)
	s.collapsed = make([]bool, n)
	s.rowOf = make([]int32, n)
	for i := range s.rowOf {
		s.rowOf[i] = -1
	}
	s.lastVis = make([]bool, n)
	s.stamp = make([]uint32, n)
	if n > s.cfg.BigTrace {
		s.collapseBelow(s.cfg.CollapseDepth)
	}
	s.flatten()
	if len(s.rows) > 0 {
		s.selectRow(0)
	}
}

// statusCmd sends a notice or an error to the shell's status bar.
func statusCmd(text string, isErr bool) tea.Cmd { return shell.StatusCmd(text, isErr) }

func backCmd() tea.Msg { return BackMsg{} }

// spanStart is span i's start in the variant shown (raw or adjusted).
func (s *state) spanStart(i int32) int64 {
	return s.trace.Spans[i].Start
}

// spanEnd is span i's end in the current skew mode; a negative duration
// counts as zero.
func (s *state) spanEnd(i int32) int64 {
	st := s.spanStart(i)
	d := max(s.trace.Spans[i].Duration, 0)
	if st > 0 && d > (1<<63-1)-st {
		return 1<<63 - 1
	}
	return st + d
}

// viewRoot is the span the view is re-rooted at, or -1.
func (s *state) viewRoot() int32 {
	for k := len(s.stack) - 1; k >= 0; k-- {
		if s.stack[k].reroot {
			return s.stack[k].span
		}
	}
	return -1
}

// timeRange is the time shown on the axis: the top of the zoom/re-root
// stack, else the whole trace.
func (s *state) timeRange() (lo, hi int64) {
	if n := len(s.stack); n > 0 {
		lo, hi = s.stack[n-1].lo, s.stack[n-1].hi
	} else if s.td != nil {
		lo, hi = s.td.tree.Start, s.td.tree.End
	}
	if hi <= lo {
		hi = lo + 1
	}
	return lo, hi
}
