package list

import (
	"context"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/tui/internal/shell"
)

// Finder searches with a limit through backend.Find; it is called in a
// command, with a context that leaving the screen cancels.
type Finder func(ctx context.Context, limit int) (backend.SearchResult, error)

// MaxLimit is the highest limit the More key raises a search to, as the
// search form allows.
const MaxLimit = 1000

// findState is what the list knows of its search: the last result (nil
// until one arrives, and for lists that do not search with Find), the
// limit of the next search, and the errors-only filter.
type findState struct {
	res        *backend.SearchResult
	limit      int
	errorsOnly bool
	// analyzeNext opens the analysis of the next search's traces (the
	// analysis screen's "search more traces").
	analyzeNext bool
	// raised says the next load is a raised limit's, whose "searching
	// again" status its answer replaces.
	raised bool
}

// SetFind makes the list search with find, limit (0: the default) first.
func (m *Model) SetFind(find Finder, limit int) {
	m.cfg.Find, m.cfg.Limit = find, limit
	m.find.limit = backend.Query{Limit: limit}.EffectiveLimit()
}

// Limit is the limit of the next search.
func (m Model) Limit() int { return m.find.limit }

// ErrorsOnly reports whether only traces with errors are shown.
func (m Model) ErrorsOnly() bool { return m.find.errorsOnly }

// Result is the last search's result, or nil.
func (m Model) Result() *backend.SearchResult { return m.find.res }

// MoreThenAnalyze raises the limit as More does and, when the search is
// back, asks to analyse its traces; ok is false (with the reason in cmd)
// when the limit cannot be raised.
func (m *Model) MoreThenAnalyze() (cmd tea.Cmd, ok bool) {
	if m.cfg.Find == nil || m.find.limit >= MaxLimit {
		return m.more(), false
	}
	m.find.analyzeNext = true
	return m.more(), true
}

// more doubles the limit, up to MaxLimit, and searches again: a list cut
// at its limit shows the newest traces only, so "sort by longest" shows
// the longest of those.
func (m *Model) more() tea.Cmd {
	switch {
	case m.cfg.Find == nil:
		return statusCmd("this list is not a search with a limit", false)
	case m.find.limit >= MaxLimit:
		return statusCmd("the limit is at its highest ("+strconv.Itoa(MaxLimit)+"); narrow the search instead", false)
	}
	m.find.limit = min(m.find.limit*2, MaxLimit)
	m.find.raised = true
	return tea.Batch(m.load(), statusCmd("searching again for up to "+strconv.Itoa(m.find.limit)+" traces", false))
}

// toggleErrors shows only the loaded traces with errors, or all again.
func (m *Model) toggleErrors() tea.Cmd {
	m.find.errorsOnly = !m.find.errorsOnly
	m.applyView(false)
	if m.find.errorsOnly {
		return statusCmd("showing only traces with errors, of those loaded", false)
	}
	return statusCmd("showing all loaded traces", false)
}

// findCount is the title's count for a Find search: the result's Headline
// ("20 shown · limit reached"), with how many of them the filters leave;
// "" for other lists.
func (m Model) findCount() string {
	res := m.find.res
	if res == nil {
		return ""
	}
	h := res.Headline()
	if len(m.visible) != len(m.rows) {
		h = strconv.Itoa(len(m.visible)) + " of " + h
	}
	if m.find.errorsOnly {
		h = "errors only: " + h
	}
	return h
}

// limitLines is 1 when the list says its search reached its limit.
func (m Model) limitLines() int {
	if m.find.res != nil && m.find.res.LimitReached && len(m.rows) > 0 && m.height >= 6 {
		return 1
	}
	return 0
}

// limitLine says that more traces may match than are shown, and how to
// see them.
func (m Model) limitLine() string {
	st := m.cfg.Styles
	text := "limit of " + strconv.Itoa(m.find.res.Limit) + " reached: more traces may match"
	if m.find.limit < MaxLimit {
		text += " · " + helpKey(m.cfg.Keys.More) + " searches for up to " + strconv.Itoa(min(m.find.limit*2, MaxLimit))
	}
	return st.Warning.Render(shell.Fit(text, m.width))
}

// loadNote is the status line after a load: what tracetui checked on its
// side, searches that failed, summaries with impossible numbers. One line,
// cleaned (the status bar cleans it).
func (m Model) loadNote() string {
	var parts []string
	if res := m.find.res; res != nil {
		parts = append(parts, res.Notes()...)
		if res.FirstError != nil {
			parts = append(parts, "first failure: "+shell.DescribeError(res.FirstError))
		}
	}
	bad, first := 0, ""
	for _, r := range m.rows {
		if len(r.sum.Warnings) > 0 {
			if bad == 0 {
				first = r.sum.Warnings[0]
			}
			bad++
		}
	}
	if bad > 0 {
		parts = append(parts, strconv.Itoa(bad)+" of the summaries hold impossible numbers, shown as ?: "+first)
	}
	return shell.OneLine(strings.Join(parts, "; "))
}
