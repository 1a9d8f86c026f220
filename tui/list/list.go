// Package list is the trace list: search results, one row per trace, with
// sort orders, a quick filter, refresh, and states for loading, empty
// results and errors.
//
// Value or pointer: Model is a value, like a Bubble Tea model: Update
// returns the changed copy. Its rows are slices (shared, not copied, with
// the copy), and its requests are tracked by a *shell.Requests shared with
// the root.
package list

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/internal/present"
	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/internal/textsafe"
	"github.com/tracetui/tracetui/keymap"
	"github.com/tracetui/tracetui/tui/internal/shell"
	"github.com/tracetui/tracetui/tui/internal/widget"
)

// Incomplete, returned by a Loader with its traces, says that the list may
// miss some (a correlation lookup whose searches partly failed): the traces
// are listed and Text goes to the status bar as a warning.
type Incomplete struct{ Text string }

func (e *Incomplete) Error() string { return e.Text }

// Loader fetches the traces to list; it is called in a command, with a
// context that leaving the screen cancels, at every load and refresh.
type Loader func(ctx context.Context) ([]backend.TraceSummary, error)

// Config configures a list.
type Config struct {
	Keys   keymap.List
	Styles *style.Sheet
	// Title says what was searched, e.g. "service=orders · last 1h".
	Title string
	Load  Loader
	// Requests tracks this screen's requests; nil makes a private tracker.
	Requests *shell.Requests
	// Ctx is the parent of every request context.
	Ctx context.Context
	Now func() time.Time
	// OpenSingle opens the trace at once when the first load finds exactly
	// one (a correlation ID usually names one request).
	OpenSingle bool
	// Spinner draws the one spinner of the program (the root's, which ticks
	// while any request is in flight); nil draws a still frame.
	Spinner func() string
	// Find, when set, loads instead of Load: a search through backend.Find
	// with a limit, whose result says whether the limit was reached and
	// what tracetui checked itself (the header's Headline, the status's
	// Notes). Limit is the first search's limit (0: the default, 20); the
	// More key doubles it.
	Find  Finder
	Limit int
	// NotFound, when set, makes an empty result an error: the status bar
	// shows it and the list explains it in place of the usual hints (a
	// lookup that finds nothing failed, and should say where it looked).
	NotFound string
}

// OpenMsg asks the root to open a trace.
type OpenMsg struct {
	TraceID backend.TraceID
}

// BackMsg asks the root to leave the list.
type BackMsg struct{}

// CompareMsg asks the root to compare two traces: A, the one marked with
// Mark, and B, the one under the cursor.
type CompareMsg struct {
	A, B backend.TraceSummary
}

// AnalyzeMsg asks the root to open the analysis across the listed traces
// (those the quick filter leaves, in the list's order).
type AnalyzeMsg struct {
	Traces []backend.TraceSummary
	Title  string
}

// loadedMsg carries a load's result back to the list that asked for it.
type loadedMsg struct {
	id     shell.RequestID
	traces []backend.TraceSummary
	err    error
	// res is Find's whole answer, when the list searches with Find.
	res *backend.SearchResult
}

// Order is a sort order of the list.
type Order int

const (
	MostRecent Order = iota
	Longest
	Shortest
	MostSpans
	MostErrors
	numOrders
)

func (o Order) String() string {
	switch o {
	case Longest:
		return "longest"
	case Shortest:
		return "shortest"
	case MostSpans:
		return "most spans"
	case MostErrors:
		return "most errors"
	}
	return "most recent"
}

// row is a trace summary with its untrusted text cleaned once.
type row struct {
	sum       backend.TraceSummary
	id        string // short form, for display
	service   string
	operation string
	services  string // "gateway, orders, …"
	// svcCounts is the footer's list: "gateway 1 ✗1 · orders 2".
	svcCounts string
	rootW     int    // cells of service + " " + operation
	haystack  string // lower-case text the quick filter searches
}

// Model is the trace list.
type Model struct {
	cfg     Config
	reqs    *shell.Requests
	pending shell.RequestID

	rows    []row
	visible []int // indices into rows, sorted and filtered
	// Over the visible rows, kept by applyView so that View costs the
	// rows it draws: the longest duration, the widest root span and the
	// start times' range (whether they all fall on today).
	maxDur         int64
	rootW          int
	oldest, newest int64
	loaded         bool
	err            error

	order Order
	// win scrolls the visible rows; its cursor indexes visible.
	win       widget.Window
	filter    textinput.Model
	filtering bool
	// marked is the trace marked for a comparison (list_mark.go).
	marked backend.TraceID

	// find: the last search's result and limit, and the errors-only
	// filter (find.go).
	find findState

	width, height int
}

// New builds a list; Init starts the first load.
func New(cfg Config) Model {
	shell.Defaults(&cfg.Now, &cfg.Ctx, &cfg.Styles, &cfg.Requests)
	reqs := cfg.Requests
	fi := textinput.New()
	fi.Prompt = "/"
	fi.Placeholder = "service, operation or trace ID"
	fi.SetStyles(shell.InputStyles(cfg.Styles))
	fi.CharLimit = 200
	return Model{
		cfg:    cfg,
		reqs:   reqs,
		filter: fi,
		find:   findState{limit: backend.Query{Limit: cfg.Limit}.EffectiveLimit()},
	}
}

// Init starts loading.
func (m *Model) Init() tea.Cmd { return m.load() }

func (m *Model) load() tea.Cmd {
	if m.cfg.Load == nil && m.cfg.Find == nil {
		m.loaded = true
		return nil
	}
	m.reqs.Cancel(m.pending)
	id, ctx := m.reqs.Start(m.cfg.Ctx, "searching…")
	m.pending = id
	if find, limit := m.cfg.Find, m.find.limit; find != nil {
		return func() tea.Msg {
			res, err := find(ctx, limit)
			return loadedMsg{id: id, traces: res.Traces, err: err, res: &res}
		}
	}
	load := m.cfg.Load
	cmd := func() tea.Msg {
		traces, err := load(ctx)
		return loadedMsg{id: id, traces: traces, err: err}
	}
	return cmd
}

// spinner is the program's spinner frame.
func (m Model) spinner() string {
	if m.cfg.Spinner == nil {
		return "⋯"
	}
	return m.cfg.Spinner()
}

// Loading reports whether a load is in flight.
func (m Model) Loading() bool {
	busy, _ := m.reqs.Busy()
	return busy
}

// Loader returns the list's loader; SetLoader replaces it, for the loads
// that follow.
func (m Model) Loader() Loader { return m.cfg.Load }

// SetLoader sets Config.Load.
func (m *Model) SetLoader(l Loader) { m.cfg.Load = l }

// SetNotFound sets Config.NotFound.
func (m *Model) SetNotFound(text string) { m.cfg.NotFound = text }

// Close cancels the list's requests; the root calls it when the list leaves
// the stack.
func (m *Model) Close() { m.reqs.CancelAll() }

// Capturing reports whether the quick filter has the keyboard.
func (m Model) Capturing() bool { return m.filtering }

// SetSize sets the size the list draws at.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(w, 0), max(h, 0)
	m.filter.SetWidth(max(m.width/3, 10))
	m.clampCursor()
}

// SetStyles swaps the style sheet (background change).
func (m *Model) SetStyles(s *style.Sheet) {
	m.cfg.Styles = s
	m.filter.SetStyles(shell.InputStyles(s))
}

// Traces returns the listed summaries in display order.
func (m Model) Traces() []backend.TraceSummary {
	out := make([]backend.TraceSummary, len(m.visible))
	for i, v := range m.visible {
		out[i] = m.rows[v].sum
	}
	return out
}

// Selected returns the summary under the cursor.
func (m Model) Selected() (backend.TraceSummary, bool) {
	if m.win.Cursor < 0 || m.win.Cursor >= len(m.visible) {
		return backend.TraceSummary{}, false
	}
	return m.rows[m.visible[m.win.Cursor]].sum, true
}

// Order returns the current sort order.
func (m Model) Order() Order { return m.order }

// Err returns the error of the last load.
func (m Model) Err() error { return m.err }

// Update handles keys (when the list is on top) and its own results.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case loadedMsg:
		if !m.reqs.Finish(msg.id) {
			return m, nil
		}
		m.loaded = true
		var partial *Incomplete
		if errors.As(msg.err, &partial) {
			msg.err = nil
		}
		if msg.err != nil {
			m.err = msg.err
			m.find.analyzeNext, m.find.raised = false, false
			return m, statusCmd(describeErr("search", msg.err), true)
		}
		m.err = nil
		first := m.rows == nil
		m.find.res = msg.res
		m.setRows(msg.traces)
		var warn tea.Cmd
		if partial != nil {
			warn = statusCmd(partial.Text, true)
		} else if note := m.loadNote(); note != "" {
			warn = statusCmd(note, false)
		} else if m.find.raised {
			// The "searching again" notice must not outlive the search.
			warn = statusCmd(strconv.Itoa(len(msg.traces))+" traces with the limit at "+strconv.Itoa(m.find.limit), false)
		}
		m.find.raised = false
		if m.find.analyzeNext {
			m.find.analyzeNext = false
			if len(m.visible) > 0 {
				am := AnalyzeMsg{Traces: m.Traces(), Title: m.cfg.Title}
				return m, tea.Batch(warn, func() tea.Msg { return am })
			}
		}
		if first && m.cfg.OpenSingle && len(msg.traces) == 1 && partial == nil {
			id := msg.traces[0].TraceID
			return m, func() tea.Msg { return OpenMsg{TraceID: id} }
		}
		if len(msg.traces) == 0 && m.cfg.NotFound != "" {
			text := m.cfg.NotFound
			if partial != nil {
				text += "; " + partial.Text
			}
			return m, statusCmd(text, true)
		}
		return m, warn
	case tea.PasteMsg:
		if m.filtering {
			return m.updateFilter(msg)
		}
	case tea.KeyPressMsg:
		if m.filtering {
			return m.updateFilter(msg)
		}
		return m.updateKeys(msg)
	}
	return m, nil
}

func (m Model) updateFilter(msg tea.Msg) (Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, m.cfg.Keys.FilterAccept):
			m.filtering = false
			m.filter.Blur()
			return m, nil
		case key.Matches(k, m.cfg.Keys.FilterCancel):
			m.filtering = false
			m.filter.Blur()
			m.filter.SetValue("")
			m.applyView(true)
			return m, nil
		}
	}
	before := m.filter.Value()
	var cmd tea.Cmd
	m.filter, cmd = m.filter.Update(msg)
	if m.filter.Value() != before {
		m.applyView(true)
	}
	return m, cmd
}

func (m Model) updateKeys(k tea.KeyPressMsg) (Model, tea.Cmd) {
	keys := m.cfg.Keys
	page := widget.Page(m.listHeight())
	switch {
	case key.Matches(k, keys.Up):
		m.move(-1)
	case key.Matches(k, keys.Down):
		m.move(1)
	case key.Matches(k, keys.PageUp):
		m.move(-page)
	case key.Matches(k, keys.PageDown):
		m.move(page)
	case key.Matches(k, keys.Top):
		m.win.Cursor = 0
		m.clampCursor()
	case key.Matches(k, keys.Bottom):
		m.win.Cursor = len(m.visible) - 1
		m.clampCursor()
	case key.Matches(k, keys.Open):
		if s, ok := m.Selected(); ok {
			id := s.TraceID
			return m, func() tea.Msg { return OpenMsg{TraceID: id} }
		}
	case key.Matches(k, keys.Sort):
		m.order = (m.order + 1) % numOrders
		m.applyView(false)
		return m, statusCmd("sorted by "+m.order.String(), false)
	case key.Matches(k, keys.SortBack):
		m.order = (m.order + numOrders - 1) % numOrders
		m.applyView(false)
		return m, statusCmd("sorted by "+m.order.String(), false)
	case key.Matches(k, keys.Filter):
		m.filtering = true
		return m, m.filter.Focus()
	case key.Matches(k, keys.Refresh):
		return m, m.load()
	case key.Matches(k, keys.More):
		return m, m.more()
	case key.Matches(k, keys.ErrorsOnly):
		return m, m.toggleErrors()
	case key.Matches(k, keys.Copy):
		if s, ok := m.Selected(); ok {
			return m, shell.Copy(string(s.TraceID), "trace ID")
		}
	case key.Matches(k, keys.Mark):
		return m, m.toggleMark()
	case key.Matches(k, keys.Compare):
		return m, m.compare()
	case key.Matches(k, keys.Analyze):
		if len(m.visible) == 0 {
			return m, statusCmd("no traces to analyse", true)
		}
		msg := AnalyzeMsg{Traces: m.Traces(), Title: m.cfg.Title}
		return m, func() tea.Msg { return msg }
	case key.Matches(k, keys.Back):
		if m.filter.Value() != "" {
			m.filter.SetValue("")
			m.applyView(true)
			return m, nil
		}
		return m, func() tea.Msg { return BackMsg{} }
	}
	return m, nil
}

func statusCmd(text string, isErr bool) tea.Cmd { return shell.StatusCmd(text, isErr) }

func (m *Model) move(d int) {
	m.win.Move(d, len(m.visible), m.listHeight())
}

// clampCursor keeps the cursor on a visible row and on screen.
func (m *Model) clampCursor() { m.win.Fix(len(m.visible), m.listHeight()) }

func (m *Model) setRows(traces []backend.TraceSummary) {
	var keep backend.TraceID
	if s, ok := m.Selected(); ok {
		keep = s.TraceID
	}
	m.rows = make([]row, len(traces)) // non-nil even when empty: the list has loaded
	for i, t := range traces {
		r := row{
			sum:       t,
			id:        textsafe.Clean(t.TraceID.Short()),
			service:   textsafe.Clean(t.RootService),
			operation: textsafe.Clean(t.RootOperation),
		}
		names := make([]string, 0, len(t.Services))
		counts := make([]string, 0, len(t.Services))
		for _, s := range t.Services {
			name := textsafe.Clean(s.Name)
			names = append(names, name)
			c := name + " " + format.Count(s.SpanCount)
			if s.ErrorCount > 0 {
				c += " " + present.ErrorMark + format.Count(s.ErrorCount)
			}
			counts = append(counts, c)
		}
		r.services = strings.Join(names, ", ")
		r.svcCounts = strings.Join(counts, " · ")
		r.rootW = ansi.StringWidth(r.service + " " + r.operation)
		r.haystack = strings.ToLower(r.service + " " + r.operation + " " + textsafe.Clean(string(t.TraceID)) + " " + r.services)
		m.rows[i] = r
	}
	m.applyView(false)
	if keep != "" {
		for i, v := range m.visible {
			if m.rows[v].sum.TraceID == keep {
				m.win.Cursor = i
			}
		}
	}
	m.clampCursor()
}

// applyView sorts and filters the rows; a new filter puts the cursor on the
// first match.
func (m *Model) applyView(resetCursor bool) {
	var keep backend.TraceID
	if s, ok := m.Selected(); ok && !resetCursor {
		keep = s.TraceID
	}
	terms := strings.Fields(strings.ToLower(m.filter.Value()))
	m.visible = m.visible[:0]
	for i, r := range m.rows {
		if matches(r.haystack, terms) && (!m.find.errorsOnly || r.sum.ErrorCount > 0) {
			m.visible = append(m.visible, i)
		}
	}
	order := m.order
	slices.SortStableFunc(m.visible, func(a, b int) int {
		return compare(order, m.rows[a].sum, m.rows[b].sum)
	})
	m.maxDur, m.rootW = 1, 0
	for i, v := range m.visible {
		r := &m.rows[v]
		m.maxDur = max(m.maxDur, r.sum.Duration)
		m.rootW = max(m.rootW, r.rootW)
		if i == 0 {
			m.oldest, m.newest = r.sum.Start, r.sum.Start
		}
		m.oldest, m.newest = min(m.oldest, r.sum.Start), max(m.newest, r.sum.Start)
	}
	m.win.Cursor = 0
	for i, v := range m.visible {
		if keep != "" && m.rows[v].sum.TraceID == keep {
			m.win.Cursor = i
		}
	}
	m.clampCursor()
}

func matches(haystack string, terms []string) bool {
	for _, t := range terms {
		if !strings.Contains(haystack, t) {
			return false
		}
	}
	return true
}

// compare orders two summaries; ties go to the newer trace, then by ID, so
// that the order is total and stable across refreshes.
func compare(o Order, a, b backend.TraceSummary) int {
	var c int
	switch o {
	case Longest:
		c = cmp.Compare(b.Duration, a.Duration)
	case Shortest:
		c = cmp.Compare(a.Duration, b.Duration)
	case MostSpans:
		c = cmp.Compare(b.SpanCount, a.SpanCount)
	case MostErrors:
		c = cmp.Compare(b.ErrorCount, a.ErrorCount)
	}
	if c != 0 {
		return c
	}
	if c = cmp.Compare(b.Start, a.Start); c != 0 {
		return c
	}
	return cmp.Compare(a.TraceID, b.TraceID)
}

// Layout: title, column header, rows, one line about the selected trace.
func (m Model) listHeight() int { return m.height - 3 - m.limitLines() }

// View draws the list at exactly its size.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	lines := make([]string, 0, m.height)
	lines = append(lines, m.titleLine())
	body := m.listHeight()
	if body < 1 {
		return shell.Block(lines, m.width, m.height)
	}
	if msg := m.stateMessage(); msg != nil {
		lines = append(lines, "")
		lines = append(lines, msg...)
		return shell.Block(lines, m.width, m.height)
	}
	now := m.cfg.Now()
	cols := m.columns(now)
	lines = append(lines, m.header(cols))
	lo, hi := m.win.Visible(len(m.visible), body)
	for i := lo; i < hi; i++ {
		lines = append(lines, m.rowLine(cols, m.rows[m.visible[i]], i == m.win.Cursor, m.maxDur, now))
	}
	for len(lines) < m.height-1-m.limitLines() {
		lines = append(lines, "")
	}
	if m.limitLines() > 0 {
		lines = append(lines, m.limitLine())
	}
	lines = append(lines, m.footer(now))
	return shell.Block(lines, m.width, m.height)
}

func (m Model) titleLine() string {
	st := m.cfg.Styles
	title := st.Title.Render("Traces")
	if m.cfg.Title != "" {
		title += " " + st.Subtle.Render(textsafe.Clean(m.cfg.Title))
	}
	var right []string
	if m.Loading() {
		right = append(right, m.spinner()+" loading")
	} else if c := m.findCount(); c != "" && m.loaded && (m.err == nil || len(m.rows) > 0) {
		right = append(right, c)
	} else if m.loaded && (m.err == nil || len(m.rows) > 0) {
		n := strconv.Itoa(len(m.visible))
		if len(m.visible) != len(m.rows) {
			n += " of " + strconv.Itoa(len(m.rows))
		}
		noun := " traces"
		if len(m.rows) == 1 {
			noun = " trace"
		}
		right = append(right, n+noun)
	}
	right = append(right, "by "+m.order.String())
	r := st.Subtle.Render(strings.Join(right, " · "))
	var filter string
	if m.filtering {
		filter = m.filter.View()
	} else if v := m.filter.Value(); v != "" {
		filter = st.Accent.Render("/" + textsafe.Clean(v))
	}
	if filter != "" {
		r = filter + "  " + r
	}
	avail := m.width - ansi.StringWidth(r) - 1
	if avail < 10 {
		// The counts say what the list holds: they stay, the search's
		// description gives way.
		return shell.Fit(st.Title.Render("Traces")+" "+r, m.width)
	}
	return shell.Fit(title, avail) + " " + r
}

// stateMessage explains an empty list, a failed search or a load in
// progress, and says what to do.
func (m Model) stateMessage() []string {
	st := m.cfg.Styles
	k := m.cfg.Keys
	switch {
	case !m.loaded:
		return []string{"  " + m.spinner() + " Searching… " + st.Faint.Render("("+helpKey(k.Back)+" cancels)")}
	case m.err != nil && len(m.rows) == 0:
		out := []string{"  " + st.Error.Render("The search failed: ") + textsafe.Clean(m.err.Error())}
		for _, h := range hints(m.err) {
			out = append(out, "  "+h)
		}
		return append(out, "", "  "+st.Faint.Render(helpKey(k.Refresh)+" retries · "+helpKey(k.Back)+" changes the search"))
	case len(m.rows) == 0 && m.cfg.NotFound != "":
		var out []string
		for _, l := range textsafe.WrapWords(textsafe.Clean(m.cfg.NotFound), max(m.width-4, 10)) {
			out = append(out, "  "+l)
		}
		return append(out, "",
			"  "+st.Faint.Render("It may be older, or not indexed yet: widen the lookback on the form."),
			"  "+st.Faint.Render(helpKey(k.Refresh)+" searches again · "+helpKey(k.Back)+" goes back"))
	case len(m.rows) == 0:
		return []string{
			"  No traces matched.",
			"",
			"  " + st.Faint.Render("Try a longer lookback, fewer tags, a lower min duration or another service."),
			"  " + st.Faint.Render(helpKey(k.Refresh)+" searches again · "+helpKey(k.Back)+" changes the search"),
		}
	case len(m.visible) == 0 && m.find.errorsOnly && m.filter.Value() == "":
		return []string{
			"  None of the " + strconv.Itoa(len(m.rows)) + " traces loaded has an error.",
			"",
			"  " + st.Faint.Render(helpKey(k.ErrorsOnly)+" shows them all"),
		}
	case len(m.visible) == 0:
		return []string{
			"  No trace matches the filter " + strconv.Quote(textsafe.Clean(m.filter.Value())) + ".",
			"",
			"  " + st.Faint.Render(helpKey(k.FilterCancel)+" clears the filter"),
		}
	}
	return nil
}

func helpKey(b key.Binding) string {
	if h := b.Help().Key; h != "" {
		return h
	}
	if ks := b.Keys(); len(ks) > 0 {
		return ks[0]
	}
	return "?"
}

// hints says what a user can do about a failed search.
func hints(err error) []string {
	switch {
	case errors.Is(err, backend.ErrUnauthorized), errors.Is(err, backend.ErrForbidden):
		return []string{"Check the token (TRACETUI_TOKEN) or the --header given for this backend."}
	case errors.Is(err, backend.ErrUnreachable):
		return []string{"Is the backend running, and is the URL right?"}
	case errors.Is(err, backend.ErrTimeout):
		return []string{"The backend is slow: narrow the search or raise --timeout."}
	case errors.Is(err, backend.ErrTLS):
		return []string{"Give the server's CA with --ca-cert (or, at your own risk, --insecure-skip-verify)."}
	case errors.Is(err, backend.ErrCanceled), errors.Is(err, context.Canceled):
		return []string{"The search was cancelled."}
	}
	return nil
}

// describeErr is the status-bar line for an error.
func describeErr(what string, err error) string {
	if errors.Is(err, context.Canceled) {
		return what + " cancelled"
	}
	return what + " failed: " + shell.DescribeError(err)
}

type columns struct {
	root, start, abs, dur, bar, spans, errs int
	// svcs is the width of the services column, or 0 when the screen is
	// too narrow for it (the footer lists the selected trace's services).
	svcs int
}

// Widths that shape the table.
const (
	// minRoot is the root span's width beside a services column: room for
	// "api-gateway POST /api/checkout" and its like.
	minRoot = 36
	// minSvcs is the narrowest services column worth drawing.
	minSvcs = 20
	// maxRoot stops the root span from taking a wide screen from the
	// services.
	maxRoot = 80
)

// columns sizes the table to the width: fixed numeric columns and a bar
// that grows with the width; the root span takes the rest on narrow screens
// and, once a services column fits beside it, as much as its longest name
// needs.
func (m Model) columns(now time.Time) columns {
	c := columns{start: 8, abs: 8, dur: 8, spans: 5, errs: 3}
	if len(m.visible) > 0 {
		loc := now.Location()
		if !sameDay(time.Unix(0, m.oldest).In(loc), now) || !sameDay(time.Unix(0, m.newest).In(loc), now) {
			c.abs = 11
		}
	}
	c.bar = min(max(4+(m.width-80)/6, 4), 24)
	fixed := 2 + 1 + c.start + 1 + c.abs + 1 + c.dur + 1 + 1 + c.spans + 1 + c.errs
	rest := m.width - fixed - c.bar
	if rest < 24 {
		shrink := min(24-rest, c.bar)
		c.bar -= shrink
		rest += shrink
	}
	rest = max(rest, 0)
	if rest >= minRoot+1+minSvcs {
		c.root = min(max(m.rootW, minRoot), rest-1-minSvcs, maxRoot)
		c.svcs = rest - c.root - 1
		return c
	}
	c.root = rest
	return c
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

func (m Model) header(c columns) string {
	h := "  " + pad("ROOT SPAN", c.root) + " " + padLeft("START", c.start+1+c.abs) + " " +
		padLeft("DURATION", c.dur) + " " + strings.Repeat(" ", c.bar) + " " + padLeft("SPANS", c.spans) + " " +
		padLeft("ERR", c.errs)
	if c.svcs > 0 {
		h += " " + pad("SERVICES", c.svcs)
	}
	return m.cfg.Styles.Header.Render(h)
}

func (m Model) rowLine(c columns, r row, selected bool, maxDur int64, now time.Time) string {
	st := m.cfg.Styles
	t := time.Unix(0, r.sum.Start).In(now.Location())
	abs := t.Format("15:04:05")
	if c.abs > 8 {
		abs = t.Format("01-02 15:04")
	}
	marker := "  "
	if selected {
		marker = "▸ "
	}
	if r.sum.TraceID == m.marked && m.marked != "" {
		marker = marker[:len(marker)-1] + MarkGlyph
	}
	rootText := r.service + " " + r.operation
	rootCell := textsafe.Fit(rootText, c.root)
	errCell := padLeft(format.CountFit(r.sum.ErrorCount, c.errs), c.errs)
	if r.sum.Unknown.Has(backend.SummaryErrorCount) {
		errCell = padLeft("?", c.errs)
	}
	bar := durationBar(r.sum.Duration, maxDur, c.bar)
	barStyle := st.Bar
	if r.sum.ErrorCount > 0 {
		barStyle = st.ErrorBar
	}
	if !selected {
		// Style the service part of the root cell and the error count; a
		// selected row is drawn in reverse video as a whole instead.
		svcW := ansi.StringWidth(r.service)
		if svcW < ansi.StringWidth(rootCell) {
			rootCell = st.Accent.Render(ansi.Cut(rootCell, 0, svcW)) + ansi.Cut(rootCell, svcW, c.root)
		}
		if r.sum.ErrorCount > 0 {
			errCell = st.Error.Render(errCell)
		} else {
			errCell = st.Faint.Render(errCell)
		}
		bar = barStyle.Render(bar)
	}
	ago, dur, spans := format.Ago(t, now), format.Duration(r.sum.Duration), format.CountFit(r.sum.SpanCount, c.spans)
	// Impossible numbers from the source are unknown, not values (a NaN
	// span count printed as -9223372036854775808).
	u := r.sum.Unknown
	if u.Has(backend.SummaryStart) {
		ago, abs = "?", "?"
	}
	if u.Has(backend.SummaryDuration) {
		dur = "?"
	}
	if u.Has(backend.SummarySpanCount) {
		spans = "?"
	}
	line := marker + rootCell + " " + padLeft(ago, c.start) + " " + pad(abs, c.abs) + " " +
		padLeft(dur, c.dur) + " " + bar + " " +
		padLeft(spans, c.spans) + " " + errCell
	if c.svcs > 0 {
		line += " " + textsafe.Fit(r.services, c.svcs)
	}
	if selected {
		return st.Selected.Render(shell.Fit(line, m.width))
	}
	return line
}

// footer describes the selected trace: its full ID, exact start and each
// service's span and error count. When that does not fit, the start goes
// first (the row shows it), then the counts, so that the services stay.
func (m Model) footer(now time.Time) string {
	s, ok := m.Selected()
	if !ok {
		return ""
	}
	r := m.rows[m.visible[m.win.Cursor]]
	ts := format.Timestamp(s.Start, now.Location())
	var line string
	for _, parts := range [][]string{{r.id, ts, r.svcCounts}, {r.id, r.svcCounts}, {r.id, r.services}} {
		line = strings.Join(parts, " · ")
		if ansi.StringWidth(line) <= m.width {
			break
		}
	}
	return m.cfg.Styles.Subtle.Render(shell.Fit(line, m.width))
}

// durationBar draws d as a share of max in width cells, with eighth blocks
// for the fraction so that short traces still show.
func durationBar(d, maxDur int64, width int) string {
	if width <= 0 {
		return ""
	}
	const eighths = " ▏▎▍▌▋▊▉"
	blocks := []rune(eighths)
	var n int64
	if maxDur > 0 && d > 0 {
		n = int64(float64(d) / float64(maxDur) * float64(width*8))
		n = max(n, 1)
	}
	n = min(n, int64(width*8))
	full := int(n / 8)
	var b strings.Builder
	b.WriteString(strings.Repeat("█", full))
	if rem := n % 8; rem > 0 {
		b.WriteRune(blocks[rem])
		full++
	}
	b.WriteString(strings.Repeat(" ", width-full))
	return b.String()
}

func pad(s string, w int) string {
	return textsafe.Fit(s, w)
}

func padLeft(s string, w int) string {
	s = textsafe.Truncate(s, w)
	if sw := ansi.StringWidth(s); sw < w {
		return strings.Repeat(" ", w-sw) + s
	}
	return s
}

// ShortHelp is the list's help line.
func (m Model) ShortHelp() []key.Binding {
	if m.filtering {
		return m.cfg.Keys.FilterHelp()
	}
	return m.cfg.Keys.ShortHelp()
}

// FullHelp lists every list binding.
func (m Model) FullHelp() [][]key.Binding { return m.cfg.Keys.FullHelp() }
