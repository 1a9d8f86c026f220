package trace

import (
	"github.com/tracetui/tracetui/tui/internal/widget"
)

// waterfall is the span tree as rows: which spans are visible (folds,
// filters, the view root), in what order, which one is selected, and the
// zoom and re-root stack that sets the time axis. It reads the trace and
// its analysis from the readings it is given and owns everything else it
// uses. flatten runs only when folding, filters or the root change
// (O(spans)); moving the selection is O(1), and drawing (waterfall_view.go)
// costs the rows on screen.
type waterfall struct {
	rd *readings
	// h is the number of rows on screen, set by the trace view's layout.
	h int

	// rows are the visible spans in order. rowOf[i] is span i's row or -1;
	// lastVis[i] tells whether span i is the last visible child of its
	// parent (for tree guides). stamp/gen avoid clearing per-span tables
	// on every change.
	collapsed []bool
	rows      []int32
	rowOf     []int32
	lastVis   []bool
	stamp     []uint32
	gen       uint32
	sel       int32
	win       widget.Window

	stack []zoom

	// View filters; keep is nil when none is on. pass[i] tells whether span
	// i itself passes (ancestors are kept for context, drawn dim).
	errorsOnly   bool
	criticalOnly bool
	service      int32
	keep, pass   []bool

	// logCol adds a column for the log mark (with --logs only, so that the
	// waterfall without logs keeps its width); logMarks are the spans'
	// marks (logIndex.marks), nil until the lookup is back.
	logCol   bool
	logMarks []uint8
}

// zoom is one entry of the zoom/re-root stack.
type zoom struct {
	reroot bool
	span   int32
	lo, hi int64
}

func newWaterfall(rd *readings) waterfall {
	return waterfall{rd: rd, sel: -1, service: -1}
}

// setTree sizes the per-span tables for a new tree and opens big traces
// folded below collapseDepth.
func (w *waterfall) setTree(bigTrace, collapseDepth int) {
	n := len(w.rd.td.tree.Parent)
	w.collapsed = make([]bool, n)
	w.rowOf = make([]int32, n)
	for i := range w.rowOf {
		w.rowOf[i] = -1
	}
	w.lastVis = make([]bool, n)
	w.stamp = make([]uint32, n)
	if n > bigTrace {
		w.collapseBelow(collapseDepth)
	}
	w.flatten()
	if len(w.rows) > 0 {
		w.selectRow(0)
	}
}

// setHeight sets the rows on screen and keeps the cursor on screen.
func (w *waterfall) setHeight(h int) {
	w.h = h
	w.fixScroll()
}

// flatten rebuilds the visible rows from the tree, the folded spans, the
// filters and the view root, and keeps the selection on the same span (or
// its nearest visible ancestor).
func (w *waterfall) flatten() {
	td := w.rd.td
	if td == nil {
		return
	}
	tree := td.tree
	for _, i := range w.rows {
		w.rowOf[i] = -1
	}
	w.rows = w.rows[:0]
	lo, hi := w.subtreeRange()
	for p := lo; p < hi; {
		i := tree.Order[p]
		if w.keep != nil && !w.keep[i] {
			p += td.size[i]
			continue
		}
		w.rowOf[i] = int32(len(w.rows))
		w.rows = append(w.rows, i)
		if w.collapsed[i] {
			p += td.size[i]
		} else {
			p++
		}
	}
	// Walking backwards, the first row met for a parent is its last
	// visible child; stamps mark parents already met without clearing.
	w.gen++
	if w.gen == 0 {
		clear(w.stamp)
		w.gen = 1
	}
	for k := len(w.rows) - 1; k >= 0; k-- {
		i := w.rows[k]
		par := tree.Parent[i]
		if par < 0 {
			w.lastVis[i] = true
			continue
		}
		w.lastVis[i] = w.stamp[par] != w.gen
		w.stamp[par] = w.gen
	}
	w.reselect()
}

// reselect puts the cursor back on the selected span after the rows changed.
func (w *waterfall) reselect() {
	if len(w.rows) == 0 {
		w.win = widget.Window{}
		return
	}
	for i := w.sel; i >= 0; i = w.rd.td.tree.Parent[i] {
		if r := w.rowOf[i]; r >= 0 {
			w.win.Cursor = int(r)
			w.sel = i
			w.fixScroll()
			return
		}
	}
	w.selectRow(min(w.win.Cursor, len(w.rows)-1))
}

func (w *waterfall) selectRow(r int) {
	if len(w.rows) == 0 {
		return
	}
	w.win.MoveTo(r, len(w.rows), w.h)
	w.sel = w.rows[w.win.Cursor]
}

// fixScroll keeps the cursor on screen.
func (w *waterfall) fixScroll() { w.win.Fix(len(w.rows), w.h) }

// hasChildren tells whether span i has children in the tree.
func (w *waterfall) hasChildren(i int32) bool { return w.rd.td.size[i] > 1 }

// viewRoot is the span the view is re-rooted at, or -1.
func (w *waterfall) viewRoot() int32 {
	for k := len(w.stack) - 1; k >= 0; k-- {
		if w.stack[k].reroot {
			return w.stack[k].span
		}
	}
	return -1
}

// relDepth is span i's depth below the view root.
func (w *waterfall) relDepth(i int32) int32 {
	tree := w.rd.td.tree
	d := tree.Depth[i]
	if r := w.viewRoot(); r >= 0 {
		d -= tree.Depth[r]
	}
	return d
}

// subtreeRange is the part of tree.Order the view shows.
func (w *waterfall) subtreeRange() (lo, hi int32) {
	td := w.rd.td
	lo, hi = 0, int32(len(td.tree.Order))
	if r := w.viewRoot(); r >= 0 {
		lo, hi = td.pos[r], td.pos[r]+td.size[r]
	}
	return lo, hi
}

// inView tells whether span i lies in the re-rooted subtree (always true
// when the view is not re-rooted).
func (w *waterfall) inView(i int32) bool {
	r := w.viewRoot()
	if r < 0 {
		return true
	}
	td := w.rd.td
	p := td.pos[i]
	return p >= td.pos[r] && p < td.pos[r]+td.size[r]
}

// timeRange is the time shown on the axis: the top of the zoom/re-root
// stack, else the whole trace.
func (w *waterfall) timeRange() (lo, hi int64) {
	if n := len(w.stack); n > 0 {
		lo, hi = w.stack[n-1].lo, w.stack[n-1].hi
	} else if w.rd.td != nil {
		lo, hi = w.rd.td.tree.Start, w.rd.td.tree.End
	}
	if hi <= lo {
		hi = lo + 1
	}
	return lo, hi
}

// rereadStack re-reads the zoom ranges from their spans after the reading
// changed (raw and adjusted times differ).
func (w *waterfall) rereadStack() {
	for k := range w.stack {
		e := &w.stack[k]
		e.lo, e.hi = w.rd.spanStart(e.span), w.rd.spanEnd(e.span)
		if e.hi <= e.lo {
			e.hi = e.lo + 1
		}
	}
}
