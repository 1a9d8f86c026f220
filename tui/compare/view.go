package compare

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/internal/present"
	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/internal/textsafe"
	"github.com/tracetui/tracetui/tui/internal/shell"
	"github.com/tracetui/tracetui/tui/internal/widget"
)

// The bar of a node shows both sides' total duration on one scale, in one
// row: the upper half of a cell is A's time, the lower half B's. Where both
// cover a cell it is full; B's extra time (slower) is the lower half in red,
// A's extra time (B faster) the upper half in green.
const (
	glyphBoth = "█"
	glyphA    = "▀"
	glyphB    = "▄"
)

// Change marks, as in `tracetui diff`.
func changeMark(c analysis.Change) string {
	switch c {
	case analysis.Slower:
		return "▲"
	case analysis.Faster:
		return "▼"
	case analysis.OnlyA:
		return "-"
	case analysis.OnlyB:
		return "+"
	}
	return " "
}

// View draws the screen at exactly its size.
func (m Model) View() string {
	if m.s == nil || m.s.w <= 0 || m.s.h <= 0 {
		return ""
	}
	s := m.s
	if s.res == nil {
		return shell.Block(s.waitLines(), s.w, s.h)
	}
	lines := make([]string, 0, s.h)
	lines = append(lines, s.headerLines()...)
	cols := newColumns(s.w)
	lines = append(lines, s.columnHeader(cols))
	h := s.rowsHeight()
	lo, hi := s.view.win.Visible(len(s.view.rows), h)
	var g widget.GuideWalk
	t := treeOf{s.res}
	for row := lo; row < hi; row++ {
		lines = append(lines, s.rowLine(cols, &g, t, s.view.rows[row], row == s.view.win.Cursor))
	}
	for len(lines) < s.h-1 {
		lines = append(lines, "")
	}
	lines = append(lines, s.footer())
	return shell.Block(lines, s.w, s.h)
}

// waitLines is the screen before a comparison: the box, the loads in
// flight, or the error of a failed load.
func (s *state) waitLines() []string {
	st := s.st
	lines := []string{st.Title.Render("Compare traces")}
	if s.cfg.Note != "" {
		lines = append(lines, "", "  "+st.Subtle.Render(textsafe.Clean(s.cfg.Note)))
	}
	lines = append(lines, "")
	for k := range s.side {
		sd := &s.side[k]
		id := "?"
		switch {
		case sd.id != "":
			id = textsafe.Clean(sd.id.Short())
		case sd.lookup != nil && sd.lookup.Correlation != "":
			id = "correlation ID " + strconv.Quote(textsafe.Truncate(textsafe.Clean(sd.lookup.Correlation), 40))
		}
		state := ""
		switch {
		case sd.t != nil:
			state = st.Faint.Render("loaded, " + format.Count(len(sd.t.Spans)) + " spans")
		case sd.loading:
			state = s.spinner() + " loading…"
		}
		lines = append(lines, "  "+st.Bold.Render(sideName(k))+" "+id+"  "+state)
	}
	lines = append(lines, "")
	switch {
	case s.boxOpen:
		lines = append(lines, "  "+s.box.View())
		if s.boxErr != "" {
			lines = append(lines, "  "+st.Error.Render(present.ErrorMark+" "+s.boxErr))
		}
		lines = append(lines, "", "  "+st.Faint.Render(s.keys.Submit.Help().Key+" compares · "+s.keys.Cancel.Help().Key+" cancels"))
	case s.phase == failed:
		lines = append(lines, "  "+st.Error.Render(present.ErrorMark+" ")+textsafe.Clean(s.failure), "",
			"  "+st.Faint.Render(s.keys.Other.Help().Key+" compares with another trace A · "+s.keys.Back.Help().Key+" goes back"))
	case s.phase == analysing:
		lines = append(lines, "  "+s.spinner()+" comparing…", "", "  "+st.Faint.Render(s.keys.Back.Help().Key+" cancels"))
	default:
		lines = append(lines, "  "+st.Faint.Render(s.keys.Back.Help().Key+" cancels"))
	}
	return lines
}

// headerLines: the title (the root operation, where A came from), one line
// per trace (ID, duration, critical path, spans, errors; B's with the
// differences) and the counts of changes.
func (s *state) headerLines() []string {
	st, r := s.st, s.res
	a, b := &r.c.Side[analysis.SideA], &r.c.Side[analysis.SideB]
	root := func(x *analysis.CompareSide) string {
		return textsafe.Clean(x.RootService) + " " + textsafe.Clean(x.RootOperation)
	}
	title := st.Title.Render("Compare") + " " + st.Accent.Render(root(a))
	if root(a) != root(b) {
		title += st.Subtle.Render(" with ") + st.Accent.Render(root(b))
	}
	if s.cfg.Note != "" {
		title += "  " + st.Faint.Render(textsafe.Clean(s.cfg.Note))
	}
	p := &st.P
	// Each trace's line, as long as the width allows: the full ID and
	// words first, then a shortened ID and "crit".
	side := func(k int, x *analysis.CompareSide) string {
		var out string
		for _, short := range []bool{false, true} {
			id, crit := textsafe.Clean(x.ID.Short()), " · critical path "
			if short {
				if len(id) > 16 {
					id = id[:8] + "…" + id[len(id)-4:]
				}
				crit = " · crit "
			}
			l := st.Bold.Render(sideName(k)) + " " + id + "  " + format.Duration(x.Duration)
			if k == analysis.SideB {
				l += " (" + paintDelta(p, x.Duration-a.Duration) + ")"
			}
			l += crit + format.Duration(x.Critical)
			if k == analysis.SideB {
				l += " (" + paintDelta(p, x.Critical-a.Critical) + ")"
			}
			l += " · " + format.Count(x.Spans) + " spans"
			if x.ErrorSpans > 0 {
				noun := " errors"
				if x.ErrorSpans == 1 {
					noun = " error"
				}
				l += " · " + p.Err.S(present.ErrorMark+" "+format.Count(x.ErrorSpans)+noun)
			}
			out = l
			if ansi.StringWidth(l) <= s.w {
				break
			}
		}
		return out
	}
	summary := ""
	switch {
	case s.boxErr != "":
		summary = st.Error.Render(present.ErrorMark + " " + s.boxErr)
	case r.counts[analysis.Slower]+r.counts[analysis.Faster]+r.counts[analysis.OnlyA]+r.counts[analysis.OnlyB] == 0:
		summary = format.Count(len(r.c.Tree.Nodes)) + " calling contexts: no difference (every one within " +
			strconv.Itoa(analysis.ChangeTolerancePercent) + "%)"
	default:
		summary = format.Count(len(r.c.Tree.Nodes)) + " contexts " +
			p.Err.S("▲"+strconv.Itoa(r.counts[analysis.Slower])+" slower") + " " +
			p.OK.S("▼"+strconv.Itoa(r.counts[analysis.Faster])+" faster") + " " +
			"+" + strconv.Itoa(r.counts[analysis.OnlyB]) + " only in B " +
			"-" + strconv.Itoa(r.counts[analysis.OnlyA]) + " only in A"
	}
	order := "tree"
	if s.view.sorted {
		order = "by Δcrit"
	}
	right := st.Subtle.Render(order + " · " + glyphA + "A " + glyphB + "B")
	if rw := ansi.StringWidth(right); ansi.StringWidth(summary)+2+rw <= s.w {
		summary = shell.Fit(summary, s.w-rw) + right
	}
	return []string{title, side(analysis.SideA, a), side(analysis.SideB, b), summary}
}

// paintDelta is a signed difference, red when B takes longer, green when
// shorter.
func paintDelta(p *style.Paints, d int64) string {
	switch {
	case d > 0:
		return p.Err.S(signed(d))
	case d < 0:
		return p.OK.S(signed(d))
	}
	return signed(d)
}

// columns of a row: mark, name, bar, durations, critical-path times (wide
// screens), the critical-path difference.
type columns struct {
	name, bar int
	crit      bool
}

const (
	numW   = 7 // a duration: "999.9ms"
	deltaW = 8 // a signed one: "+999.9ms"
	// maxName keeps a wide screen's width for the bars.
	maxName = 70
)

func newColumns(w int) columns {
	c := columns{crit: w >= 120}
	nums := 1 + numW + 1 + numW + 1 + deltaW
	if c.crit {
		nums += 2 * (1 + numW)
	}
	rest := max(w-2-1-nums, 2)
	c.bar = min(max(rest/3, 4), 60)
	c.name = min(rest-c.bar, maxName)
	c.bar = rest - c.name
	return c
}

func (s *state) columnHeader(c columns) string {
	h := "  " + widget.PadRight("calling context", c.name) + " " +
		widget.Ticks(c.bar, 0, s.res.maxDur, 0) + " " + widget.PadLeft("dur A", numW) + " " + widget.PadLeft("dur B", numW)
	if c.crit {
		h += " " + widget.PadLeft("crit A", numW) + " " + widget.PadLeft("crit B", numW)
	}
	h += " " + widget.PadLeft("Δcrit", deltaW)
	return s.st.Header.Render(shell.Fit(h, s.w))
}

// treeOf is the merged tree as the guides see it.
type treeOf struct{ r *result }

func (t treeOf) Parent(i int32) int32     { return t.r.c.Tree.Nodes[i].Parent }
func (t treeOf) Depth(i int32) int        { return int(t.r.c.Tree.Nodes[i].Depth) }
func (t treeOf) LastVisible(i int32) bool { return t.r.last[i] }

// rowLine draws node n: change mark, guides, fold mark, service and
// operation with each side's errors, the two bars, the numbers.
func (s *state) rowLine(c columns, g *widget.GuideWalk, t treeOf, n int32, selected bool) string {
	r, p := s.res, &s.st.P
	nd := &r.c.Tree.Nodes[n]
	sa, sb := &nd.Side[analysis.SideA], &nd.Side[analysis.SideB]
	paint := func(pt style.Paint, text string) string {
		if selected {
			return text
		}
		return pt.S(text)
	}
	ch := r.c.Change(n)
	var b strings.Builder
	switch ch {
	case analysis.Slower, analysis.OnlyB:
		b.WriteString(paint(p.Err, changeMark(ch)))
	case analysis.Faster, analysis.OnlyA:
		b.WriteString(paint(p.OK, changeMark(ch)))
	default:
		b.WriteString(" ")
	}
	b.WriteByte(' ')

	// The name cell: guides (tree order only), fold mark, names, errors.
	used := 0
	if !s.view.sorted {
		guides, gw := g.Guides(t, n, c.name)
		b.WriteString(paint(p.Dim, guides))
		used += gw
		b.WriteString(widget.FoldMark(len(nd.Children) > 0, s.view.folded[n], nd.Parent < 0) + " ")
		used += 2
	}
	errs := ""
	switch {
	case sa.Errors > 0 && sb.Errors > 0:
		errs = " " + present.ErrorMark + "A" + strconv.Itoa(sa.Errors) + " " + present.ErrorMark + "B" + strconv.Itoa(sb.Errors)
	case sa.Errors > 0:
		errs = " " + present.ErrorMark + "A" + strconv.Itoa(sa.Errors)
	case sb.Errors > 0:
		errs = " " + present.ErrorMark + "B" + strconv.Itoa(sb.Errors)
	}
	room := max(c.name-used, 0)
	ew := ansi.StringWidth(errs)
	if ew > room/2 {
		errs, ew = "", 0
	}
	svc, sw, op, ow := widget.FitPair(r.svc[n], r.svcW[n], r.op[n], r.opW[n], room-ew)
	b.WriteString(paint(p.Service(r.hue[n]), svc))
	used += sw
	if op != "" {
		b.WriteString(" " + op)
		used += 1 + ow
	}
	if errs != "" {
		b.WriteString(paint(p.Err, errs))
		used += ew
	}
	b.WriteString(strings.Repeat(" ", max(c.name-used, 0)))
	b.WriteByte(' ')

	s.writeBars(&b, c.bar, sa, sb, selected)

	b.WriteString(" " + widget.PadLeft(durOrDash(sa.Duration, sa.Spans), numW))
	b.WriteString(" " + widget.PadLeft(durOrDash(sb.Duration, sb.Spans), numW))
	if c.crit {
		b.WriteString(" " + widget.PadLeft(durOrDash(sa.Critical, sa.Spans), numW))
		b.WriteString(" " + widget.PadLeft(durOrDash(sb.Critical, sb.Spans), numW))
	}
	d := r.c.CriticalDelta(n)
	cell := widget.PadLeft(signed(d), deltaW)
	switch {
	case d > 0:
		cell = paint(p.Err, cell)
	case d < 0:
		cell = paint(p.OK, cell)
	}
	b.WriteString(" " + cell)
	line := b.String()
	if selected {
		return s.st.Selected.Render(shell.Fit(line, s.w))
	}
	return line
}

// writeBars draws both sides' durations in w cells (see glyphBoth).
func (s *state) writeBars(b *strings.Builder, w int, sa, sb *analysis.ContextStats, selected bool) {
	ax := present.Axis{Lo: 0, Hi: s.res.maxDur, Width: w}
	ca, cb := make([]present.Cell, w), make([]present.Cell, w)
	if sa.Spans > 0 {
		present.Bar(ca, ax, 0, sa.Duration)
	}
	if sb.Spans > 0 {
		present.Bar(cb, ax, 0, sb.Duration)
	}
	p := &s.st.P
	run, runGlyph := 0, ""
	flush := func() {
		if run == 0 {
			return
		}
		text := strings.Repeat(runGlyph, run)
		switch {
		case selected || runGlyph == glyphBoth || runGlyph == " ":
			b.WriteString(text)
		case runGlyph == glyphA:
			b.WriteString(p.OK.S(text))
		default:
			b.WriteString(p.Err.S(text))
		}
		run = 0
	}
	for k := range w {
		inA, inB := ca[k] == present.CellBar, cb[k] == present.CellBar
		gl := " "
		switch {
		case inA && inB:
			gl = glyphBoth
		case inA:
			gl = glyphA
		case inB:
			gl = glyphB
		}
		if gl != runGlyph {
			flush()
			runGlyph = gl
		}
		run++
	}
	flush()
}

func durOrDash(d int64, spans int) string {
	if spans == 0 {
		return "-"
	}
	return format.Duration(d)
}

// footer describes the selected node on each side, or shows the box.
func (s *state) footer() string {
	if s.boxOpen {
		return shell.Fit(s.box.View(), s.w)
	}
	r := s.res
	n := s.view.selected()
	if n < 0 {
		return ""
	}
	nd := &r.c.Tree.Nodes[n]
	side := func(k int, self bool) string {
		x := &nd.Side[k]
		if x.Spans == 0 {
			return sideName(k) + ": none (only in " + sideName(1-k) + ")"
		}
		t := sideName(k) + ": " + format.Count(x.Spans) + "× " + format.Duration(x.Duration)
		if self {
			t += ", self " + format.Duration(x.Self)
		}
		t += ", crit " + format.Duration(x.Critical)
		if x.Errors > 0 {
			t += ", " + strconv.Itoa(x.Errors) + " " + present.ErrorMark
		}
		return t
	}
	// Both sides' numbers matter more than the name (the row shows it):
	// self times go first, then the name is cut.
	var line string
	for _, self := range []bool{true, false} {
		line = side(analysis.SideA, self) + " · " + side(analysis.SideB, self) + " · " + r.svc[n] + " " + r.op[n]
		if ansi.StringWidth(line) <= s.w {
			break
		}
	}
	return s.st.Subtle.Render(shell.Fit(line, s.w))
}
