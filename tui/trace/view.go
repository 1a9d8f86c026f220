package trace

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/internal/textsafe"
)

// Characters of the waterfall. Critical parts of a bar use a different
// glyph, not only a different colour, so they show with NO_COLOR too.
const (
	barChar      = "▒"
	critChar     = "█"
	beforeChar   = "◂"
	afterChar    = "▸"
	foldedChar   = "▸"
	openChar     = "▾"
	leafChar     = "─"
	rootLeafChar = "•"
	errMark      = "✗"
	skewMark     = "~"
	cursorMark   = ">"
)

// View draws the trace view: exactly the height given by SetSize, no line
// wider than the width.
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

	// Waterfall lines are exactly l.wfW wide by construction (rowLine adds
	// up measured parts), so the hot path measures nothing twice.
	wf := s.waterfallLines(l)
	blank := ""
	if l.side {
		blank = strings.Repeat(" ", l.wfW)
	}
	for len(wf) < l.axisH+l.rowsH {
		wf = append(wf, blank)
	}
	var pane []string
	if s.pane != paneNone {
		pane = s.paneView(l.paneW, l.paneH)
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

func padRight(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw >= w {
		if sw > w {
			return ansi.Truncate(s, w, "")
		}
		return s
	}
	return s + strings.Repeat(" ", w-sw)
}

// padDuration right-aligns a format.Duration text, whose characters are
// all one cell wide, without a grapheme walk.
func padDuration(d string, w int) string {
	n := utf8.RuneCountInString(d)
	if n >= w {
		return d
	}
	return strings.Repeat(" ", w-n) + d
}

func padLeft(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw >= w {
		return ansi.Truncate(s, w, "")
	}
	return strings.Repeat(" ", w-sw) + s
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

func (s *state) headerLines(n int) []string {
	if n == 0 {
		return nil
	}
	lines := make([]string, 0, n)
	t := s.trace
	title := "Trace " + textsafe.Clean(t.ID.Short())
	if s.td != nil && len(s.td.tree.Roots) > 0 {
		r := s.td.tree.Roots[0]
		title += "  " + s.td.services[s.td.svc[r]] + ": " + s.td.ops[r]
	}
	lines = append(lines, s.st.P.TraceTitle.S(ansi.Truncate(title, s.w, "…")))
	if n < 2 {
		return lines
	}
	if s.td == nil {
		return append(lines, s.st.P.Dim.S("building span tree…"))
	}
	tree := s.td.tree
	if len(t.Spans) == 0 {
		return append(lines, s.st.P.Dim.S(ansi.Truncate("empty trace: no spans", s.w, "…")))
	}
	start := time.Unix(0, tree.Start)
	stamp := format.Timestamp(tree.Start, s.cfg.Location)
	// Ranks say when an item gives way on a narrow screen, lowest first:
	// the counts that tell something is wrong (errors, warnings) and the
	// skew notice (every time shown is shifted: never silent) stay.
	const (
		dropAgo = iota + 1
		dropDepth
		shortenTime
		dropServices
		dropSpans
		dropTime
		dropDuration
	)
	items := []fitItem{
		{forms: []string{stamp + " (" + format.Ago(start, s.cfg.Now()) + ")", stamp,
			start.In(s.cfg.Location).Format("15:04:05.000")}, ranks: []int{dropAgo, shortenTime, dropTime}},
		{forms: []string{"duration " + format.Duration(sub(tree.End, tree.Start))}, ranks: []int{dropDuration}},
	}
	if s.adjusted {
		items = append(items, fitItem{forms: []string{s.st.P.Warning.S("skew-adjusted")}})
	}
	items = append(items, fitItem{forms: []string{plural(len(t.Spans), "span")}, ranks: []int{dropSpans}})
	if s.td.errCount > 0 {
		items = append(items, fitItem{forms: []string{s.st.P.Err.S(plural(s.td.errCount, "error"))}})
	}
	if nw := s.warningCount(); nw > 0 {
		items = append(items, fitItem{forms: []string{s.st.P.Warning.S(plural(nw, "warning") + " (w)")}})
	}
	items = append(items,
		fitItem{forms: []string{plural(len(s.td.services), "service")}, ranks: []int{dropServices}},
		fitItem{forms: []string{"depth " + strconv.Itoa(int(tree.MaxDepth)+1)}, ranks: []int{dropDepth}})
	return append(lines, fitByRank(items, " · ", s.w))
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

func (s *state) warningCount() int {
	if s.an != nil {
		return len(s.an.warnings)
	}
	if s.td != nil {
		return len(s.trace.Warnings) + len(s.td.tree.Warnings)
	}
	return len(s.trace.Warnings)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return groupThousands(n) + " " + word + "s"
}

// groupThousands writes 12345 as "12,345".
func groupThousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}

// minRowWidth is the narrowest waterfall whose rows fit by construction:
// markers, one name cell, a space and the duration column.
const minRowWidth = markW + 1 + 1 + 7

// waterfallLines draws the axis row and the visible rows, each padded to
// the waterfall width.
func (s *state) waterfallLines(l layout) []string {
	lines := make([]string, 0, l.axisH+l.rowsH)
	if s.td == nil {
		if l.axisH > 0 {
			lines = append(lines, strings.Repeat(" ", l.wfW))
		}
		if l.rowsH > 0 {
			lines = append(lines, s.st.P.Dim.S(padRight(" building span tree…", l.wfW)))
		}
		return lines
	}
	c := waterfallColumns(l.wfW)
	lo, hi := s.timeRange()
	if l.axisH > 0 {
		lines = append(lines, padRight(s.axisLine(c, lo, hi), l.wfW))
	}
	if len(s.rows) == 0 && l.rowsH > 0 {
		msg := " no spans"
		if s.filtering() {
			msg = " no span passes the filters (esc clears them)"
		}
		lines = append(lines, s.st.P.Dim.S(padRight(msg, l.wfW)))
	}
	cells := make([]uint8, c.barW)
	var g guideWalk
	end := min(s.offset+l.rowsH, len(s.rows))
	for r := s.offset; r < end; r++ {
		lines = append(lines, s.rowLine(&g, s.rows[r], r == s.cursor, c, lo, hi, cells))
	}
	if l.wfW < minRowWidth {
		// Below this the fixed columns alone overflow: cut (slow, rare).
		for k, line := range lines {
			lines[k] = padRight(line, l.wfW)
		}
	}
	return lines
}

// axisLine labels the name column and puts time ticks over the bar column;
// tick labels are offsets from the trace start.
func (s *state) axisLine(c columns, lo, hi int64) string {
	label := "service operation"
	if r := s.viewRoot(); r >= 0 {
		label = "root: " + s.td.services[s.td.svc[r]] + " " + s.td.ops[r]
	}
	if n := len(s.stack); n > 0 && !s.stack[n-1].reroot {
		ts := s.td.tree.Start
		label = "zoom " + format.Duration(sub(lo, ts)) + "–" + format.Duration(sub(hi, ts))
	}
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", markW))
	b.WriteString(padRight(ansi.Truncate(label, c.nameW, "…"), c.nameW))
	b.WriteString(" ")
	if c.barW > 0 {
		b.WriteString(s.ticks(c.barW, lo, hi))
		b.WriteString(" ")
	}
	b.WriteString(padLeft("dur", c.durW))
	return s.st.P.Dim.S(b.String())
}

func (s *state) ticks(w int, lo, hi int64) string {
	span := float64(hi) - float64(lo)
	if span <= 0 || w <= 0 {
		return strings.Repeat(" ", max(w, 0))
	}
	ts := s.td.tree.Start
	step := niceStep(int64(span / float64(max(1, w/10))))
	// First multiple of step at or after the left edge, as an offset from
	// the trace start (saturated: hostile times reach the int64 limits).
	first := sub(lo, ts)
	if r := first % step; r != 0 {
		first -= r
		if first < sub(lo, ts) {
			first = add(first, step)
		}
	}
	var b strings.Builder
	pos := 0
	for k, t := 0, first; k < w; k, t = k+1, add(t, step) {
		col := int((float64(t) - float64(sub(lo, ts))) / span * float64(w))
		if col >= w {
			break
		}
		lab := format.Duration(t)
		lw := ansi.StringWidth(lab)
		if col < pos {
			continue
		}
		if col+lw > w {
			break
		}
		b.WriteString(strings.Repeat(" ", col-pos))
		b.WriteString(lab)
		pos = col + lw + 1
		if pos <= w {
			b.WriteByte(' ')
		}
	}
	return padRight(b.String(), w)
}

// niceStep rounds up to 1, 2 or 5 times a power of ten.
func niceStep(raw int64) int64 {
	if raw < 1 {
		return 1
	}
	p := int64(1)
	for p <= raw/10 {
		p *= 10
	}
	for _, m := range []int64{1, 2, 5} {
		if m*p >= raw {
			return m * p
		}
	}
	if p > math.MaxInt64/10 {
		return raw
	}
	return 10 * p
}

// rowLine draws one span. cells is scratch space of the bar width.
func (s *state) rowLine(g *guideWalk, i int32, selected bool, c columns, lo, hi int64, cells []uint8) string {
	st := s.st
	sp := &s.trace.Spans[i]
	var b strings.Builder
	b.Grow(c.nameW + c.barW*3 + 64)

	if selected {
		b.WriteString(st.P.Selected.S(cursorMark))
	} else {
		b.WriteByte(' ')
	}
	if sp.Error {
		b.WriteString(st.P.Err.S(errMark))
	} else {
		b.WriteByte(' ')
	}
	if s.an != nil && s.an.skewOf[i] >= 0 {
		b.WriteString(st.P.Skew.S(skewMark))
	} else {
		b.WriteByte(' ')
	}

	s.writeName(&b, g, i, selected, c.nameW)
	b.WriteByte(' ')
	if c.barW > 0 {
		s.writeBar(&b, i, lo, hi, cells)
		b.WriteByte(' ')
	}
	b.WriteString(padDuration(format.Duration(sp.Duration), c.durW))
	return b.String()
}

// writeName draws tree guides, the fold marker, service, operation and the
// hidden-descendant count in exactly w cells. Name widths were measured
// when the tree was built; only names that do not fit are cut here.
func (s *state) writeName(b *strings.Builder, g *guideWalk, i int32, selected bool, w int) {
	st := s.st
	td := s.td
	guides, gw := g.guides(s, i, w)

	toggle := leafChar
	switch {
	case s.hasChildren(i) && s.collapsed[i]:
		toggle = foldedChar
	case s.hasChildren(i):
		toggle = openChar
	case s.relDepth(i) == 0:
		toggle = rootLeafChar
	}
	count := ""
	if s.collapsed[i] && s.hasChildren(i) {
		count = " +" + groupThousands(int(td.size[i]-1)) // ASCII: len is width
	}
	svc, op := td.services[td.svc[i]], td.ops[i]
	budget := w - gw - 2 - len(count)
	svc, sw, op, ow := fitPair(svc, td.svcW[td.svc[i]], op, int(td.opW[i]), budget)
	used := gw + 2 + sw + len(count)
	if op != "" {
		used += 1 + ow
	}
	if used > w {
		// Not even the guides fit: drop the names.
		svc, op, count = "", "", ""
		guides, gw = "", 0
		toggle = ""
		used = 0
	}

	hue := td.hue[td.svc[i]]
	svcP, opP, dimP, padP := st.P.Service(hue), style.Paint{}, st.P.Dim, style.Paint{}
	context := s.pass != nil && !s.pass[i]
	matched := s.search != nil && s.search.match != nil && s.search.match[i]
	if selected {
		svcP, opP, dimP, padP = st.P.ServiceSel(hue), st.P.Selected, st.P.DimSel, st.P.Selected
	}
	if context {
		svcP, opP = dimP, dimP
	}
	if matched {
		opP, svcP = st.P.Match, st.P.Match
		if selected {
			opP, svcP = st.P.MatchSel, st.P.MatchSel
		}
	}
	b.WriteString(dimP.S(guides))
	if toggle != "" {
		b.WriteString(padP.S(toggle + " "))
	}
	b.WriteString(svcP.S(svc))
	if op != "" {
		b.WriteString(padP.S(" "))
		b.WriteString(opP.S(op))
	}
	b.WriteString(dimP.S(count))
	if used < w {
		b.WriteString(padP.S(strings.Repeat(" ", w-used)))
	}
}

// fitPair cuts service and operation (of widths sw and ow) to fit w cells
// together with one space between, giving the operation at least a third
// when both are long. It returns the texts and their widths.
func fitPair(svc string, sw int, op string, ow int, w int) (string, int, string, int) {
	if w <= 0 {
		return "", 0, "", 0
	}
	if sw+1+ow <= w {
		return svc, sw, op, ow
	}
	if w <= 2 {
		svc = ansi.Truncate(svc, w, "")
		return svc, ansi.StringWidth(svc), "", 0
	}
	svcMax := max(min(sw, w/3), w-1-ow)
	svcMax = min(svcMax, sw, w-2)
	if svcMax < sw {
		svc = ansi.Truncate(svc, svcMax, "…")
		sw = ansi.StringWidth(svc)
	}
	opMax := w - 1 - sw
	if opMax < ow {
		op = ansi.Truncate(op, opMax, "…")
		ow = ansi.StringWidth(op)
	}
	return svc, sw, op, ow
}

// guideWalk draws the tree lines to the left of each row. Consecutive rows
// share their ancestors (the waterfall is a pre-order walk), so it keeps the
// ancestry of the previous row and touches only the new row's parent and
// flag: following parent pointers for every row costs a cache miss per
// level on big traces. Only the innermost levels that fit are drawn (a
// 100,000-deep chain costs the same as a shallow tree); a cut shows "⋯".
type guideWalk struct {
	base  int     // relative depth of chain[0]
	chain []int32 // spans at relative depths base, base+1, …
	last  []bool  // whether each is the last visible child of its parent
}

func (g *guideWalk) guides(s *state, i int32, nameW int) (string, int) {
	d := int(s.relDepth(i))
	if d <= 0 {
		g.base, g.chain, g.last = 0, append(g.chain[:0], i), append(g.last[:0], s.lastVis[i])
		return "", 0
	}
	maxLevels := max((nameW-10)/2, 1)
	cut := d > maxLevels
	levels := min(d, maxLevels)
	if cut {
		levels = max(maxLevels-1, 1)
	}
	need := d - levels + 1 // shallowest ancestor drawn
	par := s.td.tree.Parent[i]
	top := g.base + len(g.chain) - 1
	if len(g.chain) > 0 && g.base <= need && g.base <= d-1 && d-1 <= top && g.chain[d-1-g.base] == par {
		g.chain, g.last = g.chain[:d-g.base], g.last[:d-g.base]
	} else {
		// Start over from this row: walk up only as far as drawn.
		n := d - need
		g.base = need
		g.chain, g.last = g.chain[:0], g.last[:0]
		for range n {
			g.chain, g.last = append(g.chain, 0), append(g.last, false)
		}
		a := par
		for k := n - 1; k >= 0 && a >= 0; k-- {
			g.chain[k], g.last[k] = a, s.lastVis[a]
			a = s.td.tree.Parent[a]
		}
	}
	g.chain, g.last = append(g.chain, i), append(g.last, s.lastVis[i])

	var b strings.Builder
	b.Grow(levels*6 + 4)
	width := 2 * levels
	if cut {
		b.WriteString("⋯ ")
		width += 2
	}
	for dep := need; dep < d; dep++ {
		if g.last[dep-g.base] {
			b.WriteString("  ")
		} else {
			b.WriteString("│ ")
		}
	}
	if g.last[d-g.base] {
		b.WriteString("└─")
	} else {
		b.WriteString("├─")
	}
	return b.String(), width
}

// Cell kinds of a bar.
const (
	cellNone uint8 = iota
	cellBar
	cellCrit
	cellBefore
	cellAfter
)

// writeBar draws span i's bar on the [lo, hi) axis, with its critical-path
// part (for a folded span, that of its whole subtree) in the critical glyph.
func (s *state) writeBar(b *strings.Builder, i int32, lo, hi int64, cells []uint8) {
	w := len(cells)
	clear(cells)
	scale := float64(w) / (float64(hi) - float64(lo))
	col := func(t int64) float64 { return (float64(t) - float64(lo)) * scale }
	start, end := s.spanStart(i), s.spanEnd(i)
	x0, x1 := col(start), col(end)
	a, z := 0, 0
	switch {
	case x1 < 0 || (end <= lo && start < lo):
		cells[0] = cellBefore
	case x0 >= float64(w):
		cells[w-1] = cellAfter
	default:
		a = max(0, min(int(math.Floor(x0)), w-1))
		z = max(a+1, min(int(math.Ceil(x1)), w))
		for k := a; k < z; k++ {
			cells[k] = cellBar
		}
	}
	if z > a && s.an != nil {
		mark := func(ss, se int64) {
			if se <= ss {
				return
			}
			ca := max(a, int(math.Floor(col(ss))))
			cb := min(z, int(math.Ceil(col(se))))
			if cb <= ca && ca < z {
				cb = ca + 1
			}
			for k := ca; k < cb; k++ {
				cells[k] = cellCrit
			}
		}
		if s.collapsed[i] && s.hasChildren(i) {
			mark(s.an.subLo[i], s.an.subHi[i])
		} else {
			own := s.an.own[s.an.ownStart[i]:s.an.ownStart[i+1]]
			if len(own) <= 2*w {
				for _, sec := range own {
					mark(sec.Start, sec.End)
				}
			} else {
				// Many sections (a root with thousands of children): ask
				// per cell instead, by binary search on the sorted
				// sections.
				for k := a; k < z; k++ {
					cs := lo + int64(float64(k)/scale)
					ce := lo + int64(float64(k+1)/scale)
					j := sort.Search(len(own), func(j int) bool { return own[j].End > cs })
					if j < len(own) && own[j].Start < ce {
						cells[k] = cellCrit
					}
				}
			}
		}
	}
	p := s.st.P.Service(s.td.hue[s.td.svc[i]])
	for k := 0; k < w; {
		kind := cells[k]
		e := k + 1
		for e < w && cells[e] == kind {
			e++
		}
		n := e - k
		switch kind {
		case cellNone:
			b.WriteString(strings.Repeat(" ", n))
		case cellBar:
			b.WriteString(p.S(strings.Repeat(barChar, n)))
		case cellCrit:
			b.WriteString(p.S(strings.Repeat(critChar, n)))
		case cellBefore:
			b.WriteString(s.st.P.Dim.S(strings.Repeat(beforeChar, n)))
		case cellAfter:
			b.WriteString(s.st.P.Dim.S(strings.Repeat(afterChar, n)))
		}
		k = e
	}
}

// footer is the search input while typing, else a summary of position,
// search, filters and view state.
func (s *state) footer() string {
	if s.capturing {
		count := ""
		switch {
		case s.query == "":
		case s.search == nil:
			count = "  searching…"
		case s.search.err != "":
			count = "  " + s.search.err
		default:
			count = "  " + plural(len(s.search.order), "match")
			count = strings.Replace(count, "matchs", "matches", 1)
		}
		count = ansi.Truncate(count, max(s.w/2, 0), "…")
		return ansi.Truncate(s.input.View(), max(s.w-ansi.StringWidth(count), 0), "") + s.st.P.Dim.S(count)
	}
	var items []string
	if s.td != nil {
		if len(s.rows) > 0 {
			items = append(items, "row "+groupThousands(s.cursor+1)+"/"+groupThousands(len(s.rows)))
		}
	}
	if s.query != "" {
		q := "/" + ansi.Truncate(textsafe.Clean(s.query), 24, "…")
		switch {
		case s.search == nil:
			q += " searching…"
		case s.search.err != "":
			q += " " + s.search.err
		default:
			pos := "-"
			if k := s.matchIndex(); k >= 0 {
				pos = groupThousands(k + 1)
			}
			q += " " + pos + "/" + groupThousands(len(s.search.order))
		}
		items = append(items, q)
	}
	if s.errorsOnly {
		items = append(items, "errors only")
	}
	if s.criticalOnly {
		items = append(items, "critical path only")
	}
	if s.service >= 0 && s.td != nil {
		items = append(items, "service "+s.td.services[s.service])
	}
	switch {
	case s.adjPending:
		items = append(items, "adjusting for skew…")
	case s.adjusted:
		items = append(items, "skew-adjusted")
	}
	if s.td != nil && s.an == nil {
		items = append(items, "analysing…")
	}
	return s.st.P.Dim.S(joinFit(items, " · ", s.w))
}
