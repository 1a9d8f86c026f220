package present

import (
	"math"
	"sort"

	"github.com/tracetui/tracetui/analysis"
)

// Cell is what one cell of a bar shows.
type Cell uint8

// Cells of a bar.
const (
	CellNone   Cell = iota // blank
	CellBar                // the span's time (BarGlyph)
	CellCrit               // its time on the critical path (CriticalGlyph)
	CellBefore             // the span lies left of the axis (BeforeGlyph)
	CellAfter              // the span lies right of the axis (AfterGlyph)
)

// Glyph is the text of a cell.
func (c Cell) Glyph() string {
	switch c {
	case CellBar:
		return BarGlyph
	case CellCrit:
		return CriticalGlyph
	case CellBefore:
		return BeforeGlyph
	case CellAfter:
		return AfterGlyph
	}
	return " "
}

// Axis maps times to the cells of a bar: [Lo, Hi) spread over Width cells.
type Axis struct {
	Lo, Hi int64
	Width  int
}

// scale is cells per nanosecond.
func (a Axis) scale() float64 {
	span := float64(a.Hi) - float64(a.Lo)
	if span <= 0 {
		span = 1
	}
	return float64(a.Width) / span
}

// Col is the fractional cell of time t.
func (a Axis) Col(t int64) float64 { return (float64(t) - float64(a.Lo)) * a.scale() }

// Bar fills cells (len(cells) == a.Width) with the interval [start, end)
// on the axis and returns the cells it covers, [from, to). An interval off
// the axis leaves a Before or After mark at the edge and covers nothing; an
// interval on it covers at least one cell.
func Bar(cells []Cell, a Axis, start, end int64) (from, to int) {
	w := len(cells)
	clear(cells)
	if w == 0 {
		return 0, 0
	}
	x0, x1 := a.Col(start), a.Col(end)
	switch {
	case x1 < 0 || (end <= a.Lo && start < a.Lo):
		cells[0] = CellBefore
		return 0, 0
	case x0 >= float64(w):
		cells[w-1] = CellAfter
		return 0, 0
	}
	from = max(0, min(int(math.Floor(x0)), w-1))
	to = max(from+1, min(int(math.Ceil(x1)), w))
	for k := from; k < to; k++ {
		cells[k] = CellBar
	}
	return from, to
}

// MarkCritical draws [ss, se) as critical within the covered cells
// [from, to) of a bar: at least one cell when it overlaps them.
func MarkCritical(cells []Cell, a Axis, from, to int, ss, se int64) {
	if se <= ss || to <= from {
		return
	}
	ca := max(from, int(math.Floor(a.Col(ss))))
	cb := min(to, int(math.Ceil(a.Col(se))))
	if cb <= ca && ca < to {
		cb = ca + 1
	}
	for k := ca; k < cb; k++ {
		cells[k] = CellCrit
	}
}

// MarkSections draws a span's critical sections (sorted by start, as
// CriticalPath.Sections are) within its covered cells. With many more
// sections than cells (a root with thousands of children) it asks per cell
// instead, by binary search, so that the cost follows the bar's width.
func MarkSections(cells []Cell, a Axis, from, to int, own []analysis.Section) {
	if len(own) <= 2*len(cells) {
		for _, s := range own {
			MarkCritical(cells, a, from, to, s.Start, s.End)
		}
		return
	}
	scale := a.scale()
	for k := from; k < to; k++ {
		cs := a.Lo + int64(float64(k)/scale)
		ce := a.Lo + int64(float64(k+1)/scale)
		j := sort.Search(len(own), func(j int) bool { return own[j].End > cs })
		if j < len(own) && own[j].Start < ce {
			cells[k] = CellCrit
		}
	}
}

// Runs calls fn for each run of equal cells, left to right: painting a run
// at a time keeps a bar to a few escape sequences.
func Runs(cells []Cell, fn func(c Cell, n int)) {
	for k := 0; k < len(cells); {
		e := k + 1
		for e < len(cells) && cells[e] == cells[k] {
			e++
		}
		fn(cells[k], e-k)
		k = e
	}
}
