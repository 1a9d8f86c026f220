package compare

import (
	"github.com/tracetui/tracetui/tui/internal/widget"
)

// treeView is the rows of the merged tree on screen: tree order with folds,
// or every node by the largest critical-path increase (no folds: a sorted
// list has no subtrees to hide).
type treeView struct {
	sorted bool
	folded []bool
	rows   []int32
	// pos[n] is node n's row, -1 when hidden under a fold.
	pos []int32
	win widget.Window
}

func newTreeView(r *result) treeView {
	v := treeView{folded: make([]bool, len(r.c.Tree.Nodes)), pos: make([]int32, len(r.c.Tree.Nodes))}
	v.flatten(r)
	return v
}

// flatten lists the visible rows: tree order skipping folded subtrees, or
// the sorted order.
func (v *treeView) flatten(r *result) {
	for k := range v.pos {
		v.pos[k] = -1
	}
	v.rows = v.rows[:0]
	if v.sorted {
		v.rows = append(v.rows, r.byIncrease...)
	} else {
		nodes := r.c.Tree.Nodes
		for k := 0; k < len(r.preOrder); k++ {
			n := r.preOrder[k]
			v.rows = append(v.rows, n)
			if v.folded[n] {
				// Skip the subtree: in pre-order it is the run of deeper
				// nodes that follows.
				d := nodes[n].Depth
				for k+1 < len(r.preOrder) && nodes[r.preOrder[k+1]].Depth > d {
					k++
				}
			}
		}
	}
	for row, n := range v.rows {
		v.pos[n] = int32(row)
	}
}

// selected is the node under the cursor, or -1.
func (v *treeView) selected() int32 {
	if v.win.Cursor < 0 || v.win.Cursor >= len(v.rows) {
		return -1
	}
	return v.rows[v.win.Cursor]
}

// fix keeps the cursor on a row and on screen (after a resize or a new
// comparison).
func (v *treeView) fix(r *result, h int) {
	if r == nil {
		return
	}
	v.win.Fix(len(v.rows), h)
}

// selectNode puts the cursor on node n, unfolding its ancestors.
func (v *treeView) selectNode(r *result, n int32, h int) {
	if !v.sorted {
		changed := false
		for p := r.c.Tree.Nodes[n].Parent; p >= 0; p = r.c.Tree.Nodes[p].Parent {
			if v.folded[p] {
				v.folded[p], changed = false, true
			}
		}
		if changed {
			v.flatten(r)
		}
	}
	if row := v.pos[n]; row >= 0 {
		v.win.MoveTo(int(row), len(v.rows), h)
	}
}

// setFold folds or unfolds node n, keeping the cursor on the same node.
func (v *treeView) setFold(r *result, n int32, folded bool, h int) {
	cur := v.selected()
	v.folded[n] = folded
	v.flatten(r)
	if cur >= 0 && v.pos[cur] < 0 {
		cur = n
	}
	if cur >= 0 {
		v.win.MoveTo(int(v.pos[cur]), len(v.rows), h)
	}
}

// toggleSort switches between tree order and the sorted list, keeping the
// selected node.
func (v *treeView) toggleSort(r *result, h int) {
	cur := v.selected()
	v.sorted = !v.sorted
	v.flatten(r)
	if cur >= 0 {
		v.selectNode(r, cur, h)
	}
}
