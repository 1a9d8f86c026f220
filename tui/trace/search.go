package trace

import (
	"sort"
	"strings"
	"time"

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

// query is a parsed search: the view's filter terms, and the rest as text
// for the analysis engine's search (Jaeger UI semantics: any text term
// matches).
type query struct {
	errors, critical bool
	services, ops    []string
	minDur, maxDur   time.Duration
	text             []string
}

// parseQuery reads the in-trace search syntax: "is:error", "is:critical"
// (or "is:cp"), "svc:NAME"/"service:NAME", "op:NAME" (substrings, any
// case), ">10ms" or "dur>10ms", "<1s" or "dur<1s". Everything else is text
// for analysis.Search: matched against service, operation, tag, process tag
// and log field keys and values ("key=value" too), status, kind and span ID;
// "quoted words" are one term, "-key" ignores keys containing it.
func parseQuery(s string) (query, string) {
	var q query
	for _, f := range strings.Fields(s) {
		lf := strings.ToLower(f)
		switch {
		case lf == "is:error" || lf == "is:err":
			q.errors = true
		case lf == "is:critical" || lf == "is:cp":
			q.critical = true
		case strings.HasPrefix(lf, "svc:") || strings.HasPrefix(lf, "service:"):
			q.services = append(q.services, lf[strings.IndexByte(lf, ':')+1:])
		case strings.HasPrefix(lf, "op:"):
			q.ops = append(q.ops, lf[3:])
		case strings.HasPrefix(lf, ">") || strings.HasPrefix(lf, "dur>"):
			d, err := time.ParseDuration(strings.TrimPrefix(strings.TrimPrefix(lf, "dur"), ">"))
			if err != nil {
				return q, "bad duration " + f
			}
			q.minDur = d
		case strings.HasPrefix(lf, "<") || strings.HasPrefix(lf, "dur<"):
			d, err := time.ParseDuration(strings.TrimPrefix(strings.TrimPrefix(lf, "dur"), "<"))
			if err != nil {
				return q, "bad duration " + f
			}
			q.maxDur = d
		default:
			q.text = append(q.text, f)
		}
	}
	return q, ""
}

// runSearch marks the matching spans; it runs in a command. The engine's
// Filter applies the text, errors, minimum duration and critical-path
// conditions; service, operation and maximum duration are checked here.
func runSearch(td *treeData, an *analysisData, raw string) *searchResult {
	q, bad := parseQuery(raw)
	res := &searchResult{err: bad}
	if bad != "" {
		return res
	}
	if q.critical && an == nil {
		res.err = "is:critical: analysis still running"
		return res
	}
	a := &analysis.Analysis{Tree: td.tree}
	if an != nil {
		a.Critical = an.critical
	}
	opts := analysis.FilterOptions{
		Query:        strings.Join(q.text, " "),
		ErrorsOnly:   q.errors,
		MinDuration:  int64(q.minDur),
		CriticalOnly: q.critical,
	}
	spans := td.tree.Trace.Spans
	if !opts.Active() && len(q.services) == 0 && len(q.ops) == 0 && q.maxDur == 0 {
		res.match = make([]bool, len(spans))
		return res
	}
	res.match = analysis.Filter(a, opts)
	for _, i := range td.tree.Order {
		if !res.match[i] {
			continue
		}
		sp := &spans[i]
		ok := q.maxDur <= 0 || sp.Duration <= int64(q.maxDur)
		for _, x := range q.services {
			ok = ok && containsFold(sp.Service, x)
		}
		for _, x := range q.ops {
			ok = ok && containsFold(sp.Operation, x)
		}
		res.match[i] = ok
		if ok {
			res.order = append(res.order, i)
		}
	}
	return res
}

// containsFold is a case-insensitive substring test; sub is lower case.
func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), sub)
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
