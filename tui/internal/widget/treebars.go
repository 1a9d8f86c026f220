package widget

import (
	"math"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/internal/present"
	"github.com/tracetui/tracetui/internal/style"
)

// The tree with bars: the parts of a row of a tree drawn over a time axis
// (the waterfall; next, the calling-context tree of an analysis across
// traces and the merged tree of a comparison). A row is
//
//	guides · fold mark · label · bar(s) · value
//
// Nodes are int32 indices into the caller's tables, whatever they are
// (spans of one trace, nodes of an aggregated tree): the renderer asks the
// caller about them through Tree, and never holds the tree itself.

// Tree is what the guides need to know about the visible rows of a tree.
type Tree interface {
	// Parent is the node's parent, or -1 for a root.
	Parent(i int32) int32
	// Depth is the node's depth below the tree's top row (0 for a root,
	// or for the node a view is re-rooted at).
	Depth(i int32) int
	// LastVisible tells whether the node is the last visible child of its
	// parent (a root: the last root).
	LastVisible(i int32) bool
}

// GuideWalk draws the tree lines to the left of each row. Consecutive rows
// share their ancestors (rows are a pre-order walk), so it keeps the
// ancestry of the previous row and touches only the new row's parent and
// flag: following parent pointers for every row costs a cache miss per
// level on big trees. Only the innermost levels that fit are drawn (a
// 100,000-deep chain costs the same as a shallow tree); a cut shows "⋯".
// Use one GuideWalk per frame, rows in order.
type GuideWalk struct {
	base  int     // relative depth of chain[0]
	chain []int32 // nodes at relative depths base, base+1, …
	last  []bool  // whether each is the last visible child of its parent
}

// Guides returns the guides of node i for a name column of nameW cells,
// and their width.
func (g *GuideWalk) Guides(t Tree, i int32, nameW int) (string, int) {
	d := t.Depth(i)
	if d <= 0 {
		g.base, g.chain, g.last = 0, append(g.chain[:0], i), append(g.last[:0], t.LastVisible(i))
		return "", 0
	}
	maxLevels := max((nameW-10)/2, 1)
	cut := d > maxLevels
	levels := min(d, maxLevels)
	if cut {
		levels = max(maxLevels-1, 1)
	}
	need := d - levels + 1 // shallowest ancestor drawn
	par := t.Parent(i)
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
			g.chain[k], g.last[k] = a, t.LastVisible(a)
			a = t.Parent(a)
		}
	}
	g.chain, g.last = append(g.chain, i), append(g.last, t.LastVisible(i))

	var b strings.Builder
	b.Grow(levels*6 + 4)
	width := 2 * levels
	if cut {
		b.WriteString("⋯ ")
		width += 2
	}
	for dep := need; dep < d; dep++ {
		if g.last[dep-g.base] {
			b.WriteString(present.GuideBlank)
		} else {
			b.WriteString(present.GuideLine)
		}
	}
	if g.last[d-g.base] {
		b.WriteString(present.GuideLast)
	} else {
		b.WriteString(present.GuideBranch)
	}
	return b.String(), width
}

// FoldMark is the mark before a row's label: folded, open, a leaf, or a
// root without children.
func FoldMark(hasChildren, folded, top bool) string {
	switch {
	case hasChildren && folded:
		return present.FoldedMark
	case hasChildren:
		return present.OpenMark
	case top:
		return present.RootLeafMark
	}
	return present.LeafMark
}

// FitPair cuts two names (of widths aw and bw) to fit w cells together
// with one space between, giving the second at least a third when both
// are long (a service and its operation). It returns the texts and their
// widths; the second is "" when there is no room for it.
func FitPair(a string, aw int, b string, bw int, w int) (string, int, string, int) {
	if w <= 0 {
		return "", 0, "", 0
	}
	if aw+1+bw <= w {
		return a, aw, b, bw
	}
	if w <= 2 {
		a = ansi.Truncate(a, w, "")
		return a, ansi.StringWidth(a), "", 0
	}
	aMax := max(min(aw, w/3), w-1-bw)
	aMax = min(aMax, aw, w-2)
	if aMax < aw {
		a = ansi.Truncate(a, aMax, "…")
		aw = ansi.StringWidth(a)
	}
	bMax := w - 1 - aw
	if bMax < bw {
		b = ansi.Truncate(b, bMax, "…")
		bw = ansi.StringWidth(b)
	}
	return a, aw, b, bw
}

// PaintBar writes a bar's cells as runs: the span's time in bar, the marks
// for a span off the axis in dim. The text is exactly len(cells) cells.
func PaintBar(b *strings.Builder, cells []present.Cell, bar, dim style.Paint) {
	present.Runs(cells, func(c present.Cell, n int) {
		switch c {
		case present.CellNone:
			b.WriteString(strings.Repeat(" ", n))
		case present.CellBar, present.CellCrit:
			b.WriteString(bar.S(strings.Repeat(c.Glyph(), n)))
		default:
			b.WriteString(dim.S(strings.Repeat(c.Glyph(), n)))
		}
	})
}

// Ticks labels an axis of w cells over [lo, hi) with times as offsets from
// origin, at round steps, in exactly w cells.
func Ticks(w int, lo, hi, origin int64) string {
	span := float64(hi) - float64(lo)
	if span <= 0 || w <= 0 {
		return strings.Repeat(" ", max(w, 0))
	}
	step := NiceStep(int64(span / float64(max(1, w/10))))
	// First multiple of step at or after the left edge, as an offset from
	// the origin (saturated: hostile times reach the int64 limits).
	left := present.Sub(lo, origin)
	first := left
	if r := first % step; r != 0 {
		first -= r
		if first < left {
			first = present.Add(first, step)
		}
	}
	var b strings.Builder
	pos := 0
	for k, t := 0, first; k < w; k, t = k+1, present.Add(t, step) {
		col := int((float64(t) - float64(left)) / span * float64(w))
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
	return PadRight(b.String(), w)
}

// NiceStep rounds up to 1, 2 or 5 times a power of ten.
func NiceStep(raw int64) int64 {
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

// PadRight cuts or pads s to exactly w cells.
func PadRight(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw >= w {
		if sw > w {
			return ansi.Truncate(s, w, "")
		}
		return s
	}
	return s + strings.Repeat(" ", w-sw)
}

// PadLeft right-aligns s in w cells, cutting it when wider.
func PadLeft(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw >= w {
		return ansi.Truncate(s, w, "")
	}
	return strings.Repeat(" ", w-sw) + s
}
