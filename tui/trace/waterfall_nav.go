package trace

// Moves, folds, zoom and filters of the waterfall: what its keys do.

// setFold folds or unfolds span i.
func (w *waterfall) setFold(i int32, folded bool) {
	w.collapsed[i] = folded
	w.flatten()
}

func (w *waterfall) selectParent() {
	if w.sel < 0 || w.relDepth(w.sel) == 0 {
		return
	}
	if p := w.rd.td.tree.Parent[w.sel]; p >= 0 && w.rowOf[p] >= 0 {
		w.selectRow(int(w.rowOf[p]))
	}
}

// selectSibling moves to the next or previous visible sibling.
func (w *waterfall) selectSibling(dir int) {
	if w.sel < 0 {
		return
	}
	tree := w.rd.td.tree
	var sibs []int32
	if p := tree.Parent[w.sel]; p >= 0 && w.relDepth(w.sel) > 0 {
		sibs = tree.Children(p)
	} else {
		// Roots (or the re-root) are siblings of each other.
		sibs = tree.Roots
	}
	at := -1
	for k, x := range sibs {
		if x == w.sel {
			at = k
			break
		}
	}
	for k := at + dir; at >= 0 && k >= 0 && k < len(sibs); k += dir {
		if r := w.rowOf[sibs[k]]; r >= 0 {
			w.selectRow(int(r))
			return
		}
	}
}

// collapse folds the selected span, or selects its parent when it is
// folded already or has no children.
func (w *waterfall) collapse() {
	if w.sel >= 0 && w.hasChildren(w.sel) && !w.collapsed[w.sel] {
		w.setFold(w.sel, true)
	} else {
		w.selectParent()
	}
}

// expand unfolds the selected span, or moves to its first child when it is
// open already.
func (w *waterfall) expand() {
	if w.sel < 0 || !w.hasChildren(w.sel) {
		return
	}
	if w.collapsed[w.sel] {
		w.setFold(w.sel, false)
	} else {
		w.selectRow(w.win.Cursor + 1)
	}
}

// toggle folds or unfolds the selected span.
func (w *waterfall) toggle() {
	if w.sel >= 0 && w.hasChildren(w.sel) {
		w.setFold(w.sel, !w.collapsed[w.sel])
	}
}

// collapseBelow folds every span with children at relative depth >= d-1,
// so that d levels stay visible (1 shows only the roots).
func (w *waterfall) collapseBelow(d int) {
	lo, hi := w.subtreeRange()
	for p := lo; p < hi; p++ {
		i := w.rd.td.tree.Order[p]
		w.collapsed[i] = w.hasChildren(i) && int(w.relDepth(i)) >= d-1
	}
}

func (w *waterfall) expandAll() {
	lo, hi := w.subtreeRange()
	for p := lo; p < hi; p++ {
		w.collapsed[w.rd.td.tree.Order[p]] = false
	}
}

// expandLevel opens the shallowest folded visible spans; collapseLevel
// folds the deepest open visible spans with children. Both look only at the
// visible rows.
func (w *waterfall) expandLevel() bool {
	depth := w.rd.td.tree.Depth
	best := int32(-1)
	for _, i := range w.rows {
		if w.collapsed[i] && w.hasChildren(i) && (best < 0 || depth[i] < best) {
			best = depth[i]
		}
	}
	if best < 0 {
		return false
	}
	for _, i := range w.rows {
		if w.collapsed[i] && depth[i] == best {
			w.collapsed[i] = false
		}
	}
	return true
}

func (w *waterfall) collapseLevel() bool {
	depth := w.rd.td.tree.Depth
	best := int32(-1)
	for _, i := range w.rows {
		if !w.collapsed[i] && w.hasChildren(i) && depth[i] > best {
			best = depth[i]
		}
	}
	if best < 0 {
		return false
	}
	for _, i := range w.rows {
		if !w.collapsed[i] && w.hasChildren(i) && depth[i] == best {
			w.collapsed[i] = true
		}
	}
	return true
}

// collapseShorter folds spans with children that are shorter than limit ns.
func (w *waterfall) collapseShorter(limit int64) int {
	lo, hi := w.subtreeRange()
	n := 0
	for p := lo; p < hi; p++ {
		i := w.rd.td.tree.Order[p]
		if w.hasChildren(i) && w.rd.trace.Spans[i].Duration < limit && !w.collapsed[i] {
			w.collapsed[i] = true
			n++
		}
	}
	return n
}

// zoomIn narrows the axis to the selected span.
func (w *waterfall) zoomIn() {
	if w.sel < 0 {
		return
	}
	lo, hi := w.rd.spanStart(w.sel), w.rd.spanEnd(w.sel)
	w.stack = append(w.stack, zoom{span: w.sel, lo: lo, hi: max(hi, lo+1)})
}

// zoomOut drops the innermost zoom; false when not zoomed.
func (w *waterfall) zoomOut() bool {
	for k := len(w.stack) - 1; k >= 0; k-- {
		if !w.stack[k].reroot {
			w.stack = append(w.stack[:k], w.stack[k+1:]...)
			return true
		}
	}
	return false
}

// reroot shows only the selected span's subtree; on the current root it
// goes back to the previous view.
func (w *waterfall) reroot() {
	if w.sel < 0 {
		return
	}
	if w.sel == w.viewRoot() {
		for k := len(w.stack) - 1; k >= 0; k-- {
			if w.stack[k].reroot {
				w.stack = w.stack[:k]
				break
			}
		}
		w.flatten()
		return
	}
	lo, hi := w.rd.spanStart(w.sel), w.rd.spanEnd(w.sel)
	w.stack = append(w.stack, zoom{reroot: true, span: w.sel, lo: lo, hi: max(hi, lo+1)})
	w.flatten()
}

// pop leaves the innermost zoom or re-root; false when there is none.
func (w *waterfall) pop() bool {
	if len(w.stack) == 0 {
		return false
	}
	top := w.stack[len(w.stack)-1]
	w.stack = w.stack[:len(w.stack)-1]
	if top.reroot {
		w.flatten()
	}
	return true
}

// reveal makes span i visible and selects it: leaves re-roots that hide it,
// drops filters that hide it, and unfolds its ancestors. It returns a
// notice when it had to drop something.
func (w *waterfall) reveal(i int32) string {
	td := w.rd.td
	if td == nil || i < 0 || int(i) >= len(td.pos) {
		return ""
	}
	note := ""
	for !w.inView(i) {
		k := len(w.stack) - 1
		for k >= 0 && !w.stack[k].reroot {
			k--
		}
		if k < 0 {
			break
		}
		w.stack = w.stack[:k]
		note = "left the re-rooted view"
	}
	if w.keep != nil && !w.keep[i] {
		w.errorsOnly, w.criticalOnly, w.service = false, false, -1
		w.keep, w.pass = nil, nil
		note = "filters cleared"
	}
	for p := td.tree.Parent[i]; p >= 0; p = td.tree.Parent[p] {
		w.collapsed[p] = false
	}
	w.sel = i
	w.flatten()
	if r := w.rowOf[i]; r >= 0 {
		w.selectRow(int(r))
	}
	return note
}

// firstOfService is the service's first span in waterfall order, or -1.
func (w *waterfall) firstOfService(svc int32) int32 {
	td := w.rd.td
	first := int32(-1)
	for i, v := range td.svc {
		if v == svc && (first < 0 || td.pos[i] < td.pos[first]) {
			first = int32(i)
		}
	}
	return first
}

// filtering tells whether any view filter is on.
func (w *waterfall) filtering() bool {
	return w.errorsOnly || w.criticalOnly || w.service >= 0
}

// clearFilters turns every view filter off.
func (w *waterfall) clearFilters() {
	w.errorsOnly, w.criticalOnly, w.service = false, false, -1
	w.applyFilters()
}

// applyFilters recomputes which spans pass the view filters, keeps their
// ancestors for context and unfolds the way to every passing span.
func (w *waterfall) applyFilters() {
	td, an := w.rd.td, w.rd.an
	if td == nil {
		return
	}
	if !w.filtering() {
		w.keep, w.pass = nil, nil
		w.flatten()
		return
	}
	n := len(td.pos)
	if len(w.pass) != n {
		w.pass = make([]bool, n)
		w.keep = make([]bool, n)
	}
	spans := w.rd.trace.Spans
	for i := range n {
		ok := true
		if w.errorsOnly && !spans[i].Error {
			ok = false
		}
		if w.criticalOnly && (an == nil || an.critical == nil || an.critical.SpanTime[i] <= 0) {
			ok = false
		}
		if w.service >= 0 && td.svc[i] != w.service {
			ok = false
		}
		w.pass[i] = ok
		w.keep[i] = ok
	}
	order := td.tree.Order
	for p := len(order) - 1; p >= 0; p-- {
		i := order[p]
		if par := td.tree.Parent[i]; par >= 0 && w.keep[i] {
			w.keep[par] = true
			w.collapsed[par] = false
		}
	}
	w.flatten()
}
