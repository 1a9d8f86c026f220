// Package across is the TUI's analysis across traces (issue 11): the traces
// a list shows are fetched and analysed as they arrive (analysis.Across), a
// selection is chosen on their latency histogram with the keyboard, and the
// sections compare it with the baseline: where the time goes by operation,
// service and calling context, the attributes that set the selection apart,
// error origins and bottlenecks. Every row opens an example trace.
//
// Value or pointer: Model is a value holding a pointer to its state: the
// state is shared by identity with the commands that fetch and analyse
// (they hold the *loader), and the tables must not be copied at every key.
package across

import (
	"context"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/keymap"
	"github.com/tracetui/tracetui/tui/internal/shell"
	"github.com/tracetui/tracetui/tui/internal/widget"
)

// Config configures the analysis screen.
type Config struct {
	Keys    keymap.Across
	Styles  *style.Sheet
	Backend backend.Backend
	// Traces are the traces to analyse (the list's, in its order).
	Traces []backend.TraceSummary
	// Title says what was searched, e.g. "service=frontend · last 1h".
	Title string
	// Requests tracks this screen's requests; nil makes a private tracker.
	Requests *shell.Requests
	Ctx      context.Context
	Now      func() time.Time
	// Selection is the first selection; zero means the slowest 10%.
	Selection *analysis.Selection
	// Workers is how many traces are fetched at once; 0 means
	// backend.FetchWorkers.
	Workers int
}

// OpenMsg asks the root to open a row's example trace, with its span.
type OpenMsg struct {
	TraceID backend.TraceID
	SpanID  backend.SpanID
}

// MoreMsg asks the root to search again with a higher limit (the list's
// More) and analyse the traces that search returns.
type MoreMsg struct{}

// BackMsg asks the root to leave the analysis (its fetch is cancelled by
// Close).
type BackMsg struct{}

// Model is the analysis screen.
type Model struct{ s *state }

// tab is a section of the screen.
type tab int

const (
	tabOperations tab = iota
	tabServices
	tabContexts
	tabAttributes
	tabErrors
	tabBottlenecks
	numTabs
)

var tabNames = [numTabs]string{"operations", "services", "contexts", "attributes", "errors", "bottlenecks"}

func (t tab) String() string { return tabNames[t] }

// state is the screen's one model.
type state struct {
	cfg  Config
	keys keymap.Across
	st   *style.Sheet
	reqs *shell.Requests
	w, h int

	ld *loader
	// fetch is the fetch's request; fetching while it runs.
	fetch    shell.RequestID
	fetchCtx context.Context
	fetching bool
	progress progress

	sel analysis.Selection
	// percent is the slowest-N% to go back to after the other modes.
	percent float64
	// seq numbers the result requests: only the newest is shown.
	seq, pending int
	// dirty: traces arrived or the selection changed since the pending
	// result was asked for.
	dirty   bool
	res     *analysis.AcrossResult
	lat     analysis.Latency
	buckets int // the buckets lat was asked with

	tab    tab
	tables [numTabs]widget.Table
	// ids give rows a stable identity across results (Row.Data), so the
	// cursor stays on its row when the numbers change.
	ids map[string]int
	// examples per table row Data.
	examples map[int]analysis.Example
	tree     ctxTree
}

// New builds the screen; Init starts fetching.
func New(cfg Config) Model {
	shell.Defaults(&cfg.Now, &cfg.Ctx, &cfg.Styles, &cfg.Requests)
	reqs := cfg.Requests
	sel := analysis.DefaultSelection()
	if cfg.Selection != nil {
		sel = *cfg.Selection
	}
	s := &state{
		cfg: cfg, keys: cfg.Keys, st: cfg.Styles, reqs: reqs,
		ld: newLoader(), sel: sel, percent: 10,
		ids: map[string]int{}, examples: map[int]analysis.Example{},
		tree: newCtxTree(),
	}
	if sel.Kind == analysis.SelectSlowest {
		s.percent = sel.Percent
	}
	s.progress.total = len(cfg.Traces)
	s.initTables()
	s.resize(80, 24)
	return Model{s: s}
}

// Init starts fetching and analysing the traces.
func (m Model) Init() tea.Cmd {
	if m.s == nil {
		return nil
	}
	return m.s.start()
}

// Update handles keys and the screen's own results.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	if m.s == nil {
		return m, nil
	}
	return m, m.s.update(msg)
}

// SetSize sets the size the screen draws at.
func (m *Model) SetSize(w, h int) {
	if m.s != nil {
		m.s.resize(w, h)
	}
}

// SetStyles swaps the style sheet (background change).
func (m *Model) SetStyles(st *style.Sheet) {
	if m.s != nil && st != nil {
		m.s.st = st
		m.s.cfg.Styles = st
		m.s.rebuild()
	}
}

// Close cancels the fetch; the root calls it when the screen leaves.
func (m *Model) Close() {
	if m.s != nil {
		m.s.reqs.CancelAll()
		m.s.fetching = false
	}
}

// Busy reports the fetch in flight, with its progress.
func (m Model) Busy() (bool, string) {
	if m.s == nil || !m.s.fetching {
		return false, ""
	}
	return true, "analysing " + m.s.progress.text() + "…"
}

// Capturing is always false: the screen has no text field.
func (m Model) Capturing() bool { return false }

// Selection is the selection the screen shows now.
func (m Model) Selection() analysis.Selection {
	if m.s == nil {
		return analysis.Selection{}
	}
	return m.s.sel
}

// Result is the analysis shown now (nil before the first one).
func (m Model) Result() *analysis.AcrossResult {
	if m.s == nil {
		return nil
	}
	return m.s.res
}

// Loading reports whether traces are still being fetched, or a result is
// being computed.
func (m Model) Loading() bool { return m.s != nil && (m.s.fetching || m.s.pending != 0) }

// ShortHelp is the screen's help line.
func (m Model) ShortHelp() []key.Binding { return m.s.keys.ShortHelp() }

// FullHelp lists every binding of the screen.
func (m Model) FullHelp() [][]key.Binding { return m.s.keys.FullHelp() }
