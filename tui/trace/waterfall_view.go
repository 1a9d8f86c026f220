package trace

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/internal/present"
	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/tui/internal/widget"
)

// Drawing the waterfall: only reads it. Rows are exactly the width by
// construction (each adds up measured parts), so the hot path measures
// nothing twice.

// columns splits a waterfall line: cursor, error and skew markers, the
// name column, the bar and the duration.
type columns struct {
	markW, nameW, barW, durW int
}

const markW = 3 // cursor, error, skew (and log lines, with --logs)

// minRowWidth is the narrowest waterfall whose rows fit by construction:
// markers, one name cell, a space and the duration column.
const minRowWidth = markW + 1 + 1 + 7

func waterfallColumns(w int, logCol bool) columns {
	c := columns{durW: 7, markW: markW}
	if logCol {
		c.markW++
	}
	c.nameW = max(12, min(w*2/5, 60))
	c.barW = w - c.markW - c.nameW - 1 - 1 - c.durW
	if c.barW < 6 {
		// Too narrow for a useful bar: give the room to the names.
		c.barW = 0
		c.nameW = max(w-c.markW-1-c.durW, 1)
	}
	return c
}

// guideTree shows the waterfall's visible rows to the guide walker.
type guideTree struct{ w *waterfall }

func (g guideTree) Parent(i int32) int32     { return g.w.rd.td.tree.Parent[i] }
func (g guideTree) Depth(i int32) int        { return int(g.w.relDepth(i)) }
func (g guideTree) LastVisible(i int32) bool { return g.w.lastVis[i] }

// rowStyle is what a row's drawing needs besides the waterfall: the style
// sheet and the search matches (nil when there is no search).
type rowStyle struct {
	st    *style.Sheet
	match []bool
}

// lines draws the axis row (when axisH is 1) and the rows on screen, each
// exactly width cells.
func (w *waterfall) lines(rs rowStyle, width, axisH, rowsH int) []string {
	st := rs.st
	lines := make([]string, 0, axisH+rowsH)
	if w.rd.td == nil {
		if axisH > 0 {
			lines = append(lines, strings.Repeat(" ", width))
		}
		if rowsH > 0 {
			lines = append(lines, st.P.Dim.S(widget.PadRight(" building span tree…", width)))
		}
		return lines
	}
	c := waterfallColumns(width, w.logCol)
	lo, hi := w.timeRange()
	if axisH > 0 {
		lines = append(lines, widget.PadRight(w.axisLine(st, c, lo, hi), width))
	}
	if len(w.rows) == 0 && rowsH > 0 {
		msg := " no spans"
		if w.filtering() {
			msg = " no span passes the filters (esc clears them)"
		}
		lines = append(lines, st.P.Dim.S(widget.PadRight(msg, width)))
	}
	cells := make([]present.Cell, c.barW)
	ax := present.Axis{Lo: lo, Hi: hi, Width: c.barW}
	var g widget.GuideWalk
	from, to := w.win.Visible(len(w.rows), rowsH)
	for r := from; r < to; r++ {
		lines = append(lines, w.rowLine(rs, &g, w.rows[r], r == w.win.Cursor, c, ax, cells))
	}
	if width < minRowWidth+c.markW-markW {
		// Below this the fixed columns alone overflow: cut (slow, rare).
		for k, line := range lines {
			lines[k] = widget.PadRight(line, width)
		}
	}
	return lines
}

// axisLine labels the name column and puts time ticks over the bar column;
// tick labels are offsets from the trace start.
func (w *waterfall) axisLine(st *style.Sheet, c columns, lo, hi int64) string {
	td := w.rd.td
	label := "service operation"
	if r := w.viewRoot(); r >= 0 {
		label = "root: " + td.services[td.svc[r]] + " " + td.ops[r]
	}
	if n := len(w.stack); n > 0 && !w.stack[n-1].reroot {
		ts := td.tree.Start
		label = "zoom " + format.Duration(present.Sub(lo, ts)) + "–" + format.Duration(present.Sub(hi, ts))
	}
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", c.markW))
	b.WriteString(widget.PadRight(ansi.Truncate(label, c.nameW, "…"), c.nameW))
	b.WriteString(" ")
	if c.barW > 0 {
		b.WriteString(widget.Ticks(c.barW, lo, hi, td.tree.Start))
		b.WriteString(" ")
	}
	b.WriteString(widget.PadLeft("dur", c.durW))
	return st.P.Dim.S(b.String())
}

// rowLine draws one span. cells is scratch space of the bar width.
func (w *waterfall) rowLine(rs rowStyle, g *widget.GuideWalk, i int32, selected bool, c columns, ax present.Axis, cells []present.Cell) string {
	p := &rs.st.P
	sp := &w.rd.trace.Spans[i]
	var b strings.Builder
	b.Grow(c.nameW + c.barW*3 + 64)

	if selected {
		b.WriteString(p.Selected.S(">"))
	} else {
		b.WriteByte(' ')
	}
	if sp.Error {
		b.WriteString(p.Err.S(present.ErrorMark))
	} else {
		b.WriteByte(' ')
	}
	if an := w.rd.an; an != nil && an.skewOf[i] >= 0 {
		b.WriteString(p.Skew.S(present.SkewMark))
	} else {
		b.WriteByte(' ')
	}
	if w.logCol {
		switch {
		case w.logMarks == nil || w.logMarks[i] == 0:
			b.WriteByte(' ')
		case w.logMarks[i] == 2:
			b.WriteString(p.Err.S(present.LogMark))
		default:
			b.WriteString(present.LogMark)
		}
	}

	w.writeName(&b, rs, g, i, selected, c.nameW)
	b.WriteByte(' ')
	if c.barW > 0 {
		w.writeBar(&b, p, i, ax, cells)
		b.WriteByte(' ')
	}
	b.WriteString(padDuration(format.Duration(sp.Duration), c.durW))
	return b.String()
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

// writeName draws tree guides, the fold marker, service, operation and the
// hidden-descendant count in exactly width cells. Name widths were
// measured when the tree was built; only names that do not fit are cut.
func (w *waterfall) writeName(b *strings.Builder, rs rowStyle, g *widget.GuideWalk, i int32, selected bool, width int) {
	p := &rs.st.P
	td := w.rd.td
	guides, gw := g.Guides(guideTree{w}, i, width)

	folded := w.collapsed[i] && w.hasChildren(i)
	toggle := widget.FoldMark(w.hasChildren(i), w.collapsed[i], w.relDepth(i) == 0)
	count, hidden := "", ""
	if folded {
		count = " +" + format.Count(int(td.size[i]-1)) // ASCII: len is width
		if n := td.subErr[i]; n > 0 {
			// The fold hides failed spans: say how many, with the error
			// mark, so that collapsing never hides where it failed.
			hidden = " " + format.Count(int(n))
		}
	}
	countW := len(count)
	if hidden != "" {
		countW += len(hidden) + 1 // the mark is one cell
	}
	svc, op := td.services[td.svc[i]], td.ops[i]
	budget := width - gw - 2 - countW
	svc, sw, op, ow := widget.FitPair(svc, td.svcW[td.svc[i]], op, int(td.opW[i]), budget)
	used := gw + 2 + sw + countW
	if op != "" {
		used += 1 + ow
	}
	if used > width {
		// Not even the guides fit: drop the names.
		svc, op, count, hidden = "", "", "", ""
		guides = ""
		toggle = ""
		used = 0
	}

	hue := td.hue[td.svc[i]]
	svcP, opP, dimP, padP := p.Service(hue), style.Paint{}, p.Dim, style.Paint{}
	context := w.pass != nil && !w.pass[i]
	matched := rs.match != nil && rs.match[i]
	if selected {
		svcP, opP, dimP, padP = p.ServiceSel(hue), p.Selected, p.DimSel, p.Selected
	}
	if context {
		svcP, opP = dimP, dimP
	}
	if matched {
		opP, svcP = p.Match, p.Match
		if selected {
			opP, svcP = p.MatchSel, p.MatchSel
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
	if hidden != "" {
		errP := p.Err
		if selected {
			errP = p.ErrSel
		}
		b.WriteString(errP.S(hidden + present.ErrorMark))
	}
	if used < width {
		b.WriteString(padP.S(strings.Repeat(" ", width-used)))
	}
}

// writeBar draws span i's bar on the axis, with its critical-path part
// (for a folded span, that of its whole subtree) in the critical glyph.
func (w *waterfall) writeBar(b *strings.Builder, p *style.Paints, i int32, ax present.Axis, cells []present.Cell) {
	from, to := present.Bar(cells, ax, w.rd.spanStart(i), w.rd.spanEnd(i))
	if an := w.rd.an; to > from && an != nil {
		if w.collapsed[i] && w.hasChildren(i) {
			present.MarkCritical(cells, ax, from, to, an.subLo[i], an.subHi[i])
		} else {
			present.MarkSections(cells, ax, from, to, an.own[an.ownStart[i]:an.ownStart[i+1]])
		}
	}
	widget.PaintBar(b, cells, p.Service(w.rd.td.hue[w.rd.td.svc[i]]), p.Dim)
}
