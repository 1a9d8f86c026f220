package trace

import (
	"sort"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/tracetui/tracetui/analysis"
)

// searchResult is what a search command returns: which spans match and the
// matches in waterfall (pre-)order for n/N.
type searchResult struct {
	match []bool
	order []int32
	err   string
}

// runSearch marks the matching spans; it runs in a command. The syntax
// and its errors are analysis.ParseSpanQuery's: the box shows the error.
func runSearch(td *treeData, an *analysisData, raw string) *searchResult {
	q, err := analysis.ParseSpanQuery(raw)
	if err != nil {
		return &searchResult{err: err.Error()}
	}
	res := &searchResult{}
	if q.Critical && an == nil {
		res.err = "is:critical: analysis still running"
		return res
	}
	spans := td.tree.Trace.Spans
	if !q.Active() {
		res.match = make([]bool, len(spans))
		return res
	}
	a := &analysis.Analysis{Tree: td.tree}
	if an != nil {
		a.Critical = an.critical
	}
	res.match = q.Match(a)
	for _, i := range td.tree.Order {
		if res.match[i] {
			res.order = append(res.order, i)
		}
	}
	return res
}

// startSearch launches a search for the input's text; results carry a
// sequence number so that a slower, older search never overwrites a newer
// one.
func (s *state) startSearch() tea.Cmd {
	s.searchSeq++
	s.query = strings.TrimSpace(s.input.Value())
	s.search = nil
	if s.query == "" || s.td == nil {
		return nil
	}
	td, an, raw, seq, token := s.td, s.an, s.query, s.searchSeq, s.token
	return func() tea.Msg {
		return searchMsg{token: token, seq: seq, res: runSearch(td, an, raw)}
	}
}

func (s *state) clearSearch() {
	s.searchSeq++
	s.query = ""
	s.search = nil
	s.input.SetValue("")
	s.input.Blur()
	s.capturing = false
}

// matchIndex is the selected span's index among the matches, or -1.
func (s *state) matchIndex() int {
	if s.search == nil || s.search.match == nil || s.sel < 0 || !s.search.match[s.sel] {
		return -1
	}
	p := s.td.pos[s.sel]
	return sort.Search(len(s.search.order), func(k int) bool { return s.td.pos[s.search.order[k]] >= p })
}

// nextMatch selects the next (or previous) match after the selection in
// waterfall order, wrapping, and unfolds what hides it.
func (s *state) nextMatch(dir int) tea.Cmd {
	if s.query == "" {
		return statusCmd("no search: press / to search", false)
	}
	if s.search == nil {
		return statusCmd("searching…", false)
	}
	if s.search.err != "" {
		return statusCmd(s.search.err, true)
	}
	order := s.search.order
	if len(order) == 0 {
		return statusCmd("no match for "+s.query, false)
	}
	// Prefer matches the current filters and re-root show; only when none
	// is visible does n leave them.
	var shown []int32
	for _, i := range order {
		if (s.keep == nil || s.keep[i]) && s.inView(i) {
			shown = append(shown, i)
		}
	}
	if len(shown) > 0 {
		order = shown
	}
	p := int32(-1)
	if s.sel >= 0 {
		p = s.td.pos[s.sel]
	}
	var k int
	if dir > 0 {
		k = sort.Search(len(order), func(k int) bool { return s.td.pos[order[k]] > p })
		if k == len(order) {
			k = 0
		}
	} else {
		k = sort.Search(len(order), func(k int) bool { return s.td.pos[order[k]] >= p }) - 1
		if k < 0 {
			k = len(order) - 1
		}
	}
	if note := s.reveal(order[k]); note != "" {
		return statusCmd(note, false)
	}
	return nil
}
