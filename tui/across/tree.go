package across

import (
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/internal/present"
	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/tui/internal/widget"
)

// ctxTree is the calling-context section: the result's context tree with
// folds, its visible rows (pre-order, folded subtrees and contexts with no
// critical-path time left out, as `analyze` prints it) and their window.
// Nodes keep their index across results (the analysis numbers contexts as
// they first appear), so folds and the cursor survive new traces.
type ctxTree struct {
	folded map[int32]bool
	rows   []int32
	// last marks the rows that are the last shown child of their parent.
	last map[int32]bool
	win  widget.Window
	// per is each node's critical-path time per trace, with callees, per
	// side; max is the largest of the shown rows', for the bars.
	per map[int32][2]int64
	max int64
}

func newCtxTree() ctxTree { return ctxTree{folded: map[int32]bool{}} }

func perTrace(v int64, n int) int64 {
	if n == 0 {
		return 0
	}
	return v / int64(n)
}

// shown reports whether a node has critical-path time on either side.
func (t *ctxTree) shown(n int32) bool {
	p := t.per[n]
	return p[sel] != 0 || p[base] != 0
}

// setResult recomputes the visible rows, keeping the cursor on its node.
func (t *ctxTree) setResult(r *analysis.AcrossResult, h int) {
	if r == nil {
		return
	}
	var keep int32 = -1
	// The cursor follows its node once the user moved it; until then it
	// stays on the top row while traces arrive and the order changes.
	if t.win.Cursor > 0 && t.win.Cursor < len(t.rows) {
		keep = t.rows[t.win.Cursor]
	}
	tr := &r.Tree
	t.per = make(map[int32][2]int64, len(tr.Nodes))
	t.max = 1
	for k := range tr.Nodes {
		nd := &tr.Nodes[k]
		p := [2]int64{perTrace(nd.Side[sel].CriticalSubtree, len(r.Selected)), perTrace(nd.Side[base].CriticalSubtree, len(r.Baseline))}
		t.per[int32(k)] = p
		t.max = max(t.max, p[sel], p[base])
	}
	t.rows = t.rows[:0]
	t.last = map[int32]bool{}
	var walk func(ns []int32)
	walk = func(ns []int32) {
		var lastShown int32 = -1
		for _, n := range ns {
			if t.shown(n) {
				lastShown = n
			}
		}
		for _, n := range ns {
			if !t.shown(n) {
				continue
			}
			t.last[n] = n == lastShown
			t.rows = append(t.rows, n)
			if !t.folded[n] {
				walk(tr.Nodes[n].Children)
			}
		}
	}
	walk(tr.Roots)
	if keep >= 0 {
		if k := slices.Index(t.rows, keep); k >= 0 {
			t.win.Cursor = k
		}
	}
	t.win.Fix(len(t.rows), h)
}

// hasChildren reports whether a node has a shown child.
func (t *ctxTree) hasChildren(r *analysis.AcrossResult, n int32) bool {
	for _, c := range r.Tree.Nodes[n].Children {
		if t.shown(c) {
			return true
		}
	}
	return false
}

func (t *ctxTree) cursor() int32 {
	if t.win.Cursor < 0 || t.win.Cursor >= len(t.rows) {
		return -1
	}
	return t.rows[t.win.Cursor]
}

// collapse folds the node under the cursor, or goes to its parent when it
// is folded or a leaf (the waterfall's habit).
func (t *ctxTree) collapse(r *analysis.AcrossResult, h int) {
	n := t.cursor()
	if n < 0 || r == nil {
		return
	}
	if t.hasChildren(r, n) && !t.folded[n] {
		t.folded[n] = true
		t.setResult(r, h)
		return
	}
	if p := r.Tree.Nodes[n].Parent; p >= 0 {
		if k := slices.Index(t.rows, p); k >= 0 {
			t.win.MoveTo(k, len(t.rows), h)
		}
	}
}

// expand unfolds the node under the cursor, or goes to its first child
// when it is open.
func (t *ctxTree) expand(r *analysis.AcrossResult, h int) {
	n := t.cursor()
	if n < 0 || r == nil || !t.hasChildren(r, n) {
		return
	}
	if t.folded[n] {
		delete(t.folded, n)
		t.setResult(r, h)
		return
	}
	t.win.Move(1, len(t.rows), h)
}

func (t *ctxTree) toggle(r *analysis.AcrossResult, h int) {
	n := t.cursor()
	if n < 0 || r == nil || !t.hasChildren(r, n) {
		return
	}
	if t.folded[n] {
		delete(t.folded, n)
	} else {
		t.folded[n] = true
	}
	t.setResult(r, h)
}

// example is the node's example span: in the slowest selected trace that
// has it, else the slowest baseline trace.
func (t *ctxTree) example(r *analysis.AcrossResult) (analysis.Example, bool) {
	n := t.cursor()
	if n < 0 || r == nil {
		return analysis.Example{}, false
	}
	ex := r.Tree.Nodes[n].Example
	if ex[sel].Trace != "" {
		return ex[sel], true
	}
	return ex[base], ex[base].Trace != ""
}

// treeView answers widget.Tree for the guides.
type treeView struct {
	t  *ctxTree
	tr *analysis.ContextTree
}

func (v treeView) Parent(i int32) int32     { return v.tr.Nodes[i].Parent }
func (v treeView) Depth(i int32) int        { return int(v.tr.Nodes[i].Depth) }
func (v treeView) LastVisible(i int32) bool { return v.t.last[i] }

// lines draws the visible rows: guides, fold mark, the context, a bar of
// the selection's time per trace (█) over the baseline's (▒), the two
// times and Δ.
func (t *ctxTree) lines(r *analysis.AcrossResult, st *style.Sheet, w, h int, delta func(a, b int64) string) []string {
	const numW = 8
	head := " " + widget.PadRight("calling context · critical path per trace", max(w-1-3*(numW+1)-1, 1)) +
		" " + widget.PadLeft("selected", numW) + " " + widget.PadLeft("baseline", numW) + " " + widget.PadLeft("Δ", numW)
	out := []string{st.Header.Render(ansi.Truncate(head, w, ""))}
	if r == nil || len(t.rows) == 0 {
		return append(out, st.Faint.Render(" (no critical-path time yet)"))
	}
	nameW := max(w-1-3*(numW+1), 10)
	barW := min(max(nameW/4, 0), 20)
	if nameW-barW < 16 {
		barW = 0
	}
	labelW := nameW - barW
	lo, hi := t.win.Visible(len(t.rows), h)
	var g widget.GuideWalk
	tv := treeView{t: t, tr: &r.Tree}
	for k := lo; k < hi; k++ {
		n := t.rows[k]
		nd := &r.Tree.Nodes[n]
		guides, gw := g.Guides(tv, n, labelW)
		mark := widget.FoldMark(t.hasChildren(r, n), t.folded[n], nd.Depth == 0)
		svc, op := cleanName(nd.Service), cleanName(nd.Operation)
		room := max(labelW-gw-3, 1)
		a, aw, b, bw := widget.FitPair(svc, ansi.StringWidth(svc), op, ansi.StringWidth(op), room)
		hue := present.Hue(nd.Service)
		label := guides + mark + " " + st.P.Service(hue).S(a)
		used := gw + 2 + aw
		if b != "" {
			label += " " + b
			used += 1 + bw
		}
		var sb strings.Builder
		sb.WriteString(" ")
		sb.WriteString(label)
		sb.WriteString(strings.Repeat(" ", max(labelW-used, 0)))
		if barW > 0 {
			p := t.per[n]
			cs := int(p[sel] * int64(barW) / t.max)
			cb := int(p[base] * int64(barW) / t.max)
			bar := ""
			for c := range barW {
				switch {
				case c < cs:
					bar += "█"
				case c < cb:
					bar += "▒"
				default:
					bar += " "
				}
			}
			sb.WriteString(st.P.Warning.S(bar))
		}
		p := t.per[n]
		sb.WriteString(" " + widget.PadLeft(format.Duration(p[sel]), numW) + " " + widget.PadLeft(format.Duration(p[base]), numW) +
			" " + widget.PadLeft(delta(p[sel], p[base]), numW))
		line := ansi.Truncate(sb.String(), w, "")
		if k == t.win.Cursor {
			line = st.Selected.Render(ansi.Strip(line))
		}
		out = append(out, line)
	}
	return out
}
