package across

import (
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/internal/present"
	"github.com/tracetui/tracetui/internal/textsafe"
	"github.com/tracetui/tracetui/tui/internal/shell"
)

func cleanName(s string) string { return textsafe.Clean(s) }

// Layout: title, selection, the histogram (bars, axis with error marks,
// markers, percentiles), the section tabs, the section's header and rows,
// the row's example.
const fixedLines = 2 + 3 + 1 + 1 + 1

// histH is the histogram's height in rows of bars.
func (s *state) histH() int { return min(max((s.h-14)/2, 2), 10) }

// rowsH is the rows a section shows.
func (s *state) rowsH() int { return max(s.h-fixedLines-s.histH(), 1) }

// histBuckets is the histogram's bucket count at this width: two cells
// each at 80 columns, wider cells (not more buckets) on wide terminals.
func (s *state) histBuckets() int { return max(min((s.w-6)/2, 40), 1) }

func (s *state) resize(w, h int) {
	s.w, s.h = max(w, 0), max(h, 0)
	rows := s.rowsH()
	for t := range s.tables {
		s.tables[t].Win.Fix(s.tables[t].Len(), rows)
	}
	s.tree.win.Fix(len(s.tree.rows), rows)
}

// View draws the screen at exactly its size.
func (m Model) View() string {
	if m.s == nil {
		return ""
	}
	return m.s.view()
}

func (s *state) view() string {
	if s.w <= 0 || s.h <= 0 {
		return ""
	}
	st := s.st
	lines := []string{s.titleLine(), s.selectionLine()}
	if s.res == nil || s.res.Traces == 0 {
		switch {
		case s.fetching || s.pending != 0:
			lines = append(lines, "", "  Fetching and analysing the listed traces: "+s.progress.text(),
				"", "  "+st.Faint.Render(s.keys.Back.Help().Key+" cancels"))
		case s.progress.total == 0:
			lines = append(lines, "", "  No traces to analyse: the list is empty.")
		default:
			lines = append(lines, "", "  None of the "+strconv.Itoa(s.progress.total)+" traces could be fetched: "+s.progress.firstErr)
		}
		return shell.Block(lines, s.w, s.h)
	}
	lines = append(lines, s.histogram()...)
	lines = append(lines, s.tabLine())
	rows := s.rowsH()
	if s.tab == tabContexts {
		lines = append(lines, s.tree.lines(s.res, st, s.w, rows, s.delta)...)
	} else {
		lines = append(lines, s.tableLines(rows)...)
	}
	for len(lines) < s.h-1 {
		lines = append(lines, "")
	}
	lines = append(lines[:s.h-1], s.footer())
	return shell.Block(lines, s.w, s.h)
}

func (s *state) titleLine() string {
	st := s.st
	left := st.Title.Render("Analysis across traces")
	if s.cfg.Title != "" {
		left += " " + st.Subtle.Render("· "+textsafe.Clean(s.cfg.Title))
	}
	p := s.progress
	right := strconv.Itoa(p.total) + " traces"
	if s.fetching {
		right = "fetching " + p.text()
	}
	if p.failed > 0 {
		right += " · " + st.Error.Render(present.ErrorMark+strconv.Itoa(p.failed)+" not fetched")
	}
	return fitLR(left, right, s.w)
}

// fitLR puts left and right on one line of w cells; right gives way.
func fitLR(left, right string, w int) string {
	lw, rw := ansi.StringWidth(left), ansi.StringWidth(right)
	if lw+rw+1 > w {
		if rw+12 <= w {
			return shell.Fit(left, w-rw-1) + " " + right
		}
		return shell.Fit(left, w)
	}
	return left + strings.Repeat(" ", w-lw-rw) + right
}

// describe is the selection in words.
func describe(sel analysis.Selection) string {
	switch sel.Kind {
	case analysis.SelectOver:
		return "over " + format.Duration(sel.Min)
	case analysis.SelectErrors:
		return "with errors"
	case analysis.SelectRange:
		return format.Duration(sel.Min) + " to " + format.Duration(sel.Max)
	}
	return "slowest " + strconv.FormatFloat(sel.Percent, 'f', -1, 64) + "%"
}

func (s *state) selectionLine() string {
	st := s.st
	r := s.res
	text := st.Bold.Render("Selected: "+describe(s.sel)) + " " + st.Faint.Render("("+s.keys.Mode.Help().Key+" cycles, "+
		s.keys.Left.Help().Key+" "+s.keys.Right.Help().Key+" move)")
	if r == nil {
		return shell.Fit(text, s.w)
	}
	nSel, nBase := len(r.Selected), len(r.Baseline)
	text = st.Bold.Render("Selected: "+describe(s.sel)) + " · " + strconv.Itoa(nSel) + " traces"
	if nSel > 0 {
		text += " " + format.Duration(r.Selected[nSel-1].Duration) + "–" + format.Duration(r.Selected[0].Duration)
	}
	if r.ErrorTraces[sel] > 0 {
		text += " " + st.Error.Render(present.ErrorMark+strconv.Itoa(r.ErrorTraces[sel]))
	}
	text += " · baseline " + strconv.Itoa(nBase)
	if r.ErrorTraces[base] > 0 {
		text += " " + st.Error.Render(present.ErrorMark+strconv.Itoa(r.ErrorTraces[base]))
	}
	if e := r.EmptySide(); e != "" {
		// Every difference below is against nothing: say so first.
		text = st.Warning.Render(e+" ("+s.keys.Mode.Help().Key+" changes it)") + " · " + text
	}
	return shell.Fit(text, s.w)
}

// histogram draws the latency distribution: one column per log-scale
// bucket, the selected traces █ and the baseline ▒ stacked, an axis with
// ✗ under buckets holding traces with errors, and labels: the shortest and
// longest durations and p50, p90, p99 where they fall.
func (s *state) histogram() []string {
	st := s.st
	l := s.lat
	n := len(l.Buckets)
	hH := s.histH()
	out := make([]string, 0, hH+2)
	if n == 0 {
		for range hH + 2 {
			out = append(out, "")
		}
		return out
	}
	cellW := max((s.w-2)/n, 1)
	barW := max(cellW-1, 1)
	most := 1
	for _, b := range l.Buckets {
		most = max(most, b.Count)
	}
	// Cells of each bucket's column, rounded up so a single trace shows.
	tall := func(c int) int { return (c*hH + most - 1) / most }
	for row := hH; row >= 1; row-- {
		var b strings.Builder
		b.WriteString(" ")
		for _, k := range l.Buckets {
			all, selN := tall(k.Count), min(tall(k.Selected), tall(k.Count))
			glyph := " "
			switch {
			case row <= selN:
				glyph = st.P.Warning.S(strings.Repeat("█", barW))
			case row <= all:
				glyph = st.P.Dim.S(strings.Repeat("▒", barW))
			default:
				glyph = strings.Repeat(" ", barW)
			}
			b.WriteString(glyph)
			b.WriteString(strings.Repeat(" ", cellW-barW))
		}
		if row == hH {
			fits(&b, " "+strconv.Itoa(most), s.w, st.Faint.Render)
		}
		out = append(out, shell.Fit(b.String(), s.w))
	}
	var axis strings.Builder
	axis.WriteString(" ")
	for _, k := range l.Buckets {
		if k.ErrorCount > 0 {
			axis.WriteString(st.P.Err.S(present.ErrorMark))
			axis.WriteString(st.P.Dim.S(strings.Repeat("─", cellW-1)))
		} else {
			axis.WriteString(st.P.Dim.S(strings.Repeat("─", cellW)))
		}
	}
	out = append(out, shell.Fit(axis.String(), s.w))
	out = append(out, s.labels(cellW))
	// The percentiles by name and value: their markers above may be too
	// close to carry the values.
	var pl strings.Builder
	pl.WriteString(" p50 " + format.Duration(l.P50) + " · p90 " + format.Duration(l.P90) + " · p99 " +
		format.Duration(l.P99) + " · max " + format.Duration(l.Max))
	fits(&pl, "   █ selected ▒ baseline "+present.ErrorMark+" with errors", s.w, st.Faint.Render)
	out = append(out, shell.Fit(pl.String(), s.w))
	return out
}

// fits appends text (painted) when it fits whole in w cells.
func fits(b *strings.Builder, text string, w int, paint func(...string) string) {
	if ansi.StringWidth(b.String())+ansi.StringWidth(text) <= w {
		b.WriteString(paint(text))
	}
}

// labels marks the percentiles under their buckets (↑p90, or ↑90 where
// crowded), and the shortest and longest durations at the ends, skipping
// what would overlap.
func (s *state) labels(cellW int) string {
	l := s.lat
	width := s.w
	cells := make([]rune, width)
	for i := range cells {
		cells[i] = ' '
	}
	used := make([]bool, width)
	put := func(col int, text string) bool {
		rs := []rune(text)
		if col < 0 || col+len(rs) > width {
			return false
		}
		for k := col; k < col+len(rs); k++ {
			if used[k] || (k > 0 && used[k-1] && k == col) {
				return false
			}
		}
		for k, r := range rs {
			cells[col+k], used[col+k] = r, true
		}
		// One blank after each label.
		if end := col + len(rs); end < width {
			used[end] = true
		}
		return true
	}
	col := func(d int64) int {
		k := bucketOf(l.Buckets, d)
		return 1 + k*cellW
	}
	for _, p := range []struct {
		name string
		d    int64
	}{{"p50", l.P50}, {"p90", l.P90}, {"p99", l.P99}} {
		if !put(col(p.d), "↑"+p.name) {
			put(col(p.d), "↑"+strings.TrimPrefix(p.name, "p"))
		}
	}
	put(1, format.Duration(l.Min))
	maxText := format.Duration(l.Max)
	put(1+len(l.Buckets)*cellW-len([]rune(maxText)), maxText)
	return s.st.Faint.Render(strings.TrimRight(string(cells), " "))
}

// bucketOf is the bucket holding duration d.
func bucketOf(bs []analysis.LatencyBucket, d int64) int {
	k, _ := slices.BinarySearchFunc(bs, d, func(b analysis.LatencyBucket, d int64) int {
		switch {
		case d < b.From:
			return 1
		case d >= b.To:
			return -1
		}
		return 0
	})
	return min(max(k, 0), len(bs)-1)
}

func (s *state) tabLine() string {
	st := s.st
	var b strings.Builder
	for t := range numTabs {
		label := strconv.Itoa(int(t)+1) + " " + t.String()
		if t == s.tab {
			b.WriteString(st.Selected.Render(" " + label + " "))
		} else {
			b.WriteString(" " + st.Subtle.Render(label) + " ")
		}
	}
	return shell.Fit(b.String(), s.w)
}

func (s *state) tableLines(rows int) []string {
	st := s.st
	t := &s.tables[s.tab]
	out := []string{st.Header.Render(t.Header(s.w))}
	if t.Len() == 0 {
		empty := map[tab]string{
			tabErrors:      "(no error spans)",
			tabBottlenecks: "(no span took over twice its trace's average)",
			tabAttributes:  "(no attributes)",
		}[s.tab]
		if empty == "" {
			empty = "(nothing yet)"
		}
		return append(out, st.Faint.Render(" "+empty))
	}
	lo, hi := t.Win.Visible(t.Len(), rows)
	for k := lo; k < hi; k++ {
		line := t.Line(k, " ", s.w)
		if k == t.Win.Cursor {
			line = st.Selected.Render(shell.Fit(ansi.Strip(line), s.w))
		}
		out = append(out, line)
	}
	return out
}

// footer names the example the row under the cursor opens (enter), and
// for an error origin its most common message.
func (s *state) footer() string {
	st := s.st
	ex, ok := s.example()
	if !ok {
		return ""
	}
	text := "e.g. trace " + textsafe.Clean(ex.Trace.Short())
	if ex.Span != "" {
		text += " span " + textsafe.Clean(string(ex.Span))
	}
	if s.tab == tabErrors {
		if r, ok := s.tables[tabErrors].Selected(); ok && len(r.Cells) > 4 && r.Cells[4] != "" {
			text += " · " + r.Cells[4]
		}
	}
	return st.Faint.Render(shell.Fit(" "+text, s.w))
}
