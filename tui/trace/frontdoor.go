package trace

import (
	tea "charm.land/bubbletea/v2"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/links"
	"github.com/tracetui/tracetui/internal/textsafe"
	"github.com/tracetui/tracetui/tui/internal/shell"
)

// selectGivenSpan selects Config.Span and opens its detail, once the tree
// is built; a span that is not in the trace is said, not ignored (the
// trace is still the right one).
func (s *state) selectGivenSpan() tea.Cmd {
	want := s.cfg.Span
	if want == "" || s.rd.td == nil {
		return nil
	}
	i := s.spanIndex(want)
	if i < 0 {
		return statusCmd("span "+textsafe.Clean(string(want))+" is not in this trace", true)
	}
	s.wf.reveal(i)
	if s.pane.kind != paneDetail {
		s.openPane(paneDetail)
	}
	return nil
}

// spanIndex finds a span by ID: the tree's unique IDs first, then the IDs
// as the trace gave them (a Zipkin shared span's halves share one).
func (s *state) spanIndex(id backend.SpanID) int32 {
	tree := s.rd.td.tree
	for i, sid := range tree.SpanIDs {
		if sid == id {
			return int32(i)
		}
	}
	for i := range s.rd.trace.Spans {
		if s.rd.trace.Spans[i].SpanID == id {
			return int32(i)
		}
	}
	return -1
}

// copyLink copies the trace's link in the backend's own UI (or the first
// trace link of the config file); files and the demo have none.
func (s *state) copyLink() tea.Cmd {
	t := s.rd.trace
	lt := links.Trace{ID: t.ID}
	if td := s.rd.td; td != nil {
		lt.Start, lt.End = td.tree.Start, td.tree.End
		if len(td.tree.Roots) > 0 {
			lt.Root = &t.Spans[td.tree.Roots[0]]
		}
	}
	for _, l := range links.ForTrace(s.cfg.Links, lt) {
		if links.SafeURL(l.URL) {
			return shell.Copy(l.URL, "link to the trace in "+textsafe.Clean(l.Name))
		}
	}
	return statusCmd("no link: no web UI for this backend (see links: in the config file)", false)
}

// errorReason is why span i failed (analysis.ErrorReason), cleaned, on one
// line; "" when the span says nothing.
func (s *state) errorReason(i int32) string {
	if i < 0 || int(i) >= len(s.rd.trace.Spans) {
		return ""
	}
	return shell.Label(analysis.ErrorReason(&s.rd.trace.Spans[i]))
}

// originHeadline is the header's "error started in redis GetDriver: redis
// timeout", once the analysis has found the origin; "" before, or with no
// error.
func (s *state) originHeadline() string {
	if s.rd.an == nil || len(s.rd.an.origins) == 0 {
		return ""
	}
	i := s.rd.an.origins[0].Span
	text := "error started in " + s.rd.spanName(i)
	if why := s.errorReason(i); why != "" {
		text += ": " + why
	}
	return text
}

// coverageLines say what the critical path covers when it is not the whole
// trace (several roots, or work that outlasts the root): a "100%" of a path
// that covers 1.43ms of a 1m40s trace would mislead.
func coverageLines(c paneCtx, w int) []paneLine {
	an := c.rd.an
	if an == nil || an.all == nil || an.all.Coverage.Complete() {
		return nil
	}
	var out []paneLine
	for _, l := range shell.Wrap(an.all.Coverage.Describe(), max(w-1, 1)) {
		out = append(out, plainLine(" "+l, c.st.P.Warning, "", w))
	}
	return out
}

// Trace is the trace shown (as received), or nil.
func (m Model) Trace() *backend.Trace {
	if m.s == nil {
		return nil
	}
	return m.s.rd.trace
}
