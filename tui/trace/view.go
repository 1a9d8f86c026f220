package trace

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/internal/present"
	"github.com/tracetui/tracetui/internal/textsafe"
)

// View draws the trace view: exactly the height given by SetSize, no line
// wider than the width. It only reads the model.
func (m Model) View() string {
	if m.s == nil {
		return ""
	}
	return m.s.view()
}

func (s *state) view() string {
	if s.w <= 0 || s.h <= 0 {
		return strings.Repeat("\n", max(s.h-1, 0))
	}
	l := s.layout()
	out := make([]string, 0, s.h)
	out = append(out, s.headerLines(l.headerH)...)

	wf := s.wf.lines(rowStyle{st: s.st, match: s.box.matches()}, l.wfW, l.axisH, l.rowsH)
	blank := ""
	if l.side {
		blank = strings.Repeat(" ", l.wfW)
	}
	for len(wf) < l.axisH+l.rowsH {
		wf = append(wf, blank)
	}
	var pane []string
	if s.pane.kind != paneNone {
		pane = s.pane.view(s.paneCtx(), l.paneW, l.paneH)
	}
	if l.side {
		sep := s.st.P.Dim.S("│")
		for k := range max(len(wf), len(pane)) {
			left, right := blank, ""
			if k < len(wf) {
				left = wf[k]
			}
			if k < len(pane) {
				right = pane[k]
			}
			out = append(out, left+sep+right)
		}
	} else {
		out = append(out, wf...)
		out = append(out, pane...)
	}
	if l.footerH > 0 {
		out = append(out, s.footer())
	}
	for len(out) < s.h {
		out = append(out, "")
	}
	return strings.Join(out[:s.h], "\n")
}

func (s *state) headerLines(n int) []string {
	if n == 0 {
		return nil
	}
	lines := make([]string, 0, n)
	t, td := s.rd.trace, s.rd.td
	title := "Trace " + textsafe.Clean(t.ID.Short())
	if td != nil && len(td.tree.Roots) > 0 {
		r := td.tree.Roots[0]
		title += "  " + td.services[td.svc[r]] + ": " + td.ops[r]
	}
	lines = append(lines, s.st.P.TraceTitle.S(ansi.Truncate(title, s.w, "…")))
	if n < 2 {
		return lines
	}
	if td == nil {
		return append(lines, s.st.P.Dim.S("building span tree…"))
	}
	if len(t.Spans) == 0 {
		return append(lines, s.st.P.Dim.S(ansi.Truncate("empty trace: no spans", s.w, "…")))
	}
	return append(lines, fitByRank(s.facts(), " · ", s.w))
}

// facts are the header's second line: when, how long, how big, what is
// wrong; each with the step at which it gives way on a narrow screen.
func (s *state) facts() []fitItem {
	t, td := s.rd.trace, s.rd.td
	tree := td.tree
	start := time.Unix(0, tree.Start)
	stamp := format.Timestamp(tree.Start, s.cfg.Location)
	// Ranks say when an item gives way on a narrow screen, lowest first:
	// the counts that tell something is wrong (errors, warnings) and the
	// skew notice (every time shown is shifted: never silent) stay.
	const (
		dropOrigin = iota + 1
		dropAgo
		dropDepth
		shortenTime
		dropServices
		dropLogs
		dropSpans
		dropTime
		dropDuration
	)
	items := []fitItem{
		{forms: []string{stamp + " (" + format.Ago(start, s.cfg.Now()) + ")", stamp,
			start.In(s.cfg.Location).Format("15:04:05.000")}, ranks: []int{dropAgo, shortenTime, dropTime}},
		{forms: []string{"duration " + format.Duration(present.Sub(tree.End, tree.Start))}, ranks: []int{dropDuration}},
	}
	if s.rd.adjusted {
		items = append(items, fitItem{forms: []string{s.st.P.Warning.S("skew-adjusted")}})
	}
	items = append(items, fitItem{forms: []string{plural(len(t.Spans), "span")}, ranks: []int{dropSpans}})
	if td.errCount > 0 {
		errs := fitItem{forms: []string{s.st.P.Err.S(plural(td.errCount, "error"))}}
		if h := s.originHeadline(); h != "" {
			// Where and why the error started, while there is room.
			errs = fitItem{forms: []string{s.st.P.Err.S(plural(td.errCount, "error") + ": " + h), errs.forms[0]},
				ranks: []int{dropOrigin}}
		}
		items = append(items, errs)
	}
	if nw := s.rd.warningCount(); nw > 0 {
		items = append(items, fitItem{forms: []string{s.st.P.Warning.S(plural(nw, "warning") + " (w)")}})
	}
	if s.logs.phase == logsDone {
		n := len(s.logs.idx.entries)
		items = append(items, fitItem{forms: []string{plural(n, "log line") + " (L)", plural(n, "log") + " (L)"},
			ranks: []int{dropDepth, dropLogs}})
	}
	return append(items,
		fitItem{forms: []string{plural(len(td.services), "service")}, ranks: []int{dropServices}},
		fitItem{forms: []string{"depth " + strconv.Itoa(int(tree.MaxDepth)+1)}, ranks: []int{dropDepth}})
}

// fitItem is one item of a line that gives way on a narrow screen: forms
// are its texts, longest first; ranks[k] is the step at which forms[k] is
// given up for the next form, or for nothing after the last. An item with
// no ranks always stays.
type fitItem struct {
	forms []string
	ranks []int
}

// fitByRank joins items with sep, giving up forms step by step (lowest
// rank first) until the line fits in w; if the items that always stay
// do not fit either, the line is cut. Unlike skipping what overflows, a
// short item further right never outlasts a more important one.
func fitByRank(items []fitItem, sep string, w int) string {
	at := make([]int, len(items)) // the form each item shows; len(forms) = dropped
	maxRank := 0
	for _, it := range items {
		for _, r := range it.ranks {
			maxRank = max(maxRank, r)
		}
	}
	join := func() string {
		var b strings.Builder
		for k, it := range items {
			if at[k] >= len(it.forms) {
				continue
			}
			if b.Len() > 0 {
				b.WriteString(sep)
			}
			b.WriteString(it.forms[at[k]])
		}
		return b.String()
	}
	line := join()
	for step := 1; step <= maxRank && ansi.StringWidth(line) > w; step++ {
		for k, it := range items {
			if at[k] < len(it.ranks) && it.ranks[at[k]] == step {
				at[k]++
			}
		}
		line = join()
	}
	if ansi.StringWidth(line) > w {
		return ansi.Truncate(line, w, "…")
	}
	return line
}

// plural is "1 span", "12,345 spans".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return format.Count(n) + " " + word + "s"
}

// joinFit joins items with sep, skipping any that would overflow w.
func joinFit(items []string, sep string, w int) string {
	var b strings.Builder
	used := 0
	sepW := ansi.StringWidth(sep)
	for _, it := range items {
		iw := ansi.StringWidth(it)
		extra := iw
		if used > 0 {
			extra += sepW
		}
		if used+extra > w {
			continue
		}
		if used > 0 {
			b.WriteString(sep)
		}
		b.WriteString(it)
		used += extra
	}
	return b.String()
}

// footer is the search box while typing, else a summary of position,
// search, filters and view state.
func (s *state) footer() string {
	if s.box.capturing {
		return s.box.line(s.st, s.w)
	}
	if s.logs.box.capturing {
		return s.logs.box.line(s.w)
	}
	w := &s.wf
	var items []string
	if s.rd.td != nil && len(w.rows) > 0 {
		items = append(items, "row "+format.Count(w.win.Cursor+1)+"/"+format.Count(len(w.rows)))
	}
	if s.box.query != "" && s.rd.td != nil {
		items = append(items, s.box.summary(w.sel, s.rd.td.pos))
	}
	if w.errorsOnly {
		items = append(items, "errors only")
	}
	if w.criticalOnly {
		items = append(items, "critical path only")
	}
	if w.service >= 0 && s.rd.td != nil {
		items = append(items, "service "+s.rd.td.services[w.service])
	}
	switch {
	case s.rd.pending:
		items = append(items, "adjusting for skew…")
	case s.rd.adjusted:
		items = append(items, "skew-adjusted")
	}
	if s.rd.td != nil && s.rd.an == nil {
		items = append(items, "analysing…")
	}
	return s.st.P.Dim.S(joinFit(items, " · ", s.w))
}
