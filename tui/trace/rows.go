package trace

// Waterfall rows: which spans are visible, in what order, and which one is
// selected. flatten runs only when folding, filters or the root change
// (O(spans)); moving the selection is O(1).

// flatten rebuilds the visible rows from the tree, the folded spans, the
// filters and the view root, and keeps the selection on the same span (or
// its nearest visible ancestor).
func (s *state) flatten() {
	if s.td == nil {
		return
	}
	tree := s.td.tree
	for _, i := range s.rows {
		s.rowOf[i] = -1
	}
	s.rows = s.rows[:0]
	lo, hi := int32(0), int32(len(tree.Order))
	if r := s.viewRoot(); r >= 0 {
		lo, hi = s.td.pos[r], s.td.pos[r]+s.td.size[r]
	}
	for p := lo; p < hi; {
		i := tree.Order[p]
		if s.keep != nil && !s.keep[i] {
			p += s.td.size[i]
			continue
		}
		s.rowOf[i] = int32(len(s.rows))
		s.rows = append(s.rows, i)
		if s.collapsed[i] {
			p += s.td.size[i]
		} else {
			p++
		}
	}
	// Walking backwards, the first row met for a parent is its last
	// visible child; stamps mark parents already met without clearing.
	s.gen++
	if s.gen == 0 {
		clear(s.stamp)
		s.gen = 1
	}
	for k := len(s.rows) - 1; k >= 0; k-- {
		i := s.rows[k]
		par := tree.Parent[i]
		if par < 0 {
			s.lastVis[i] = true
			continue
		}
		s.lastVis[i] = s.stamp[par] != s.gen
		s.stamp[par] = s.gen
	}
	s.reselect()
}

// reselect puts the cursor back on the selected span after the rows changed.
func (s *state) reselect() {
	if len(s.rows) == 0 {
		s.cursor, s.offset = 0, 0
		return
	}
	for i := s.sel; i >= 0; i = s.td.tree.Parent[i] {
		if r := s.rowOf[i]; r >= 0 {
			s.cursor = int(r)
			s.sel = i
			s.fixScroll()
			return
		}
	}
	s.selectRow(min(s.cursor, len(s.rows)-1))
}

func (s *state) selectRow(r int) {
	if len(s.rows) == 0 {
		return
	}
	r = max(0, min(r, len(s.rows)-1))
	s.cursor = r
	s.sel = s.rows[r]
	s.fixScroll()
	s.refreshPane()
}

// bodyHeight is the number of waterfall rows on screen.
func (s *state) bodyHeight() int {
	l := s.layout()
	return l.rowsH
}

// fixScroll keeps the cursor on screen.
func (s *state) fixScroll() {
	vh := max(s.bodyHeight(), 1)
	if s.cursor < s.offset {
		s.offset = s.cursor
	}
	if s.cursor >= s.offset+vh {
		s.offset = s.cursor - vh + 1
	}
	s.offset = max(0, min(s.offset, len(s.rows)-vh))
}

// hasChildren tells whether span i has children in the tree.
func (s *state) hasChildren(i int32) bool {
	return s.td.size[i] > 1
}

// relDepth is span i's depth below the view root.
func (s *state) relDepth(i int32) int32 {
	d := s.td.tree.Depth[i]
	if r := s.viewRoot(); r >= 0 {
		d -= s.td.tree.Depth[r]
	}
	return d
}

// subtreeRange is the part of tree.Order the view shows.
func (s *state) subtreeRange() (lo, hi int32) {
	lo, hi = 0, int32(len(s.td.tree.Order))
	if r := s.viewRoot(); r >= 0 {
		lo, hi = s.td.pos[r], s.td.pos[r]+s.td.size[r]
	}
	return lo, hi
}

// collapseBelow folds every span with children at relative depth >= d-1,
// so that d levels stay visible (1 shows only the roots).
func (s *state) collapseBelow(d int) {
	lo, hi := s.subtreeRange()
	for p := lo; p < hi; p++ {
		i := s.td.tree.Order[p]
		s.collapsed[i] = s.hasChildren(i) && int(s.relDepth(i)) >= d-1
	}
}

func (s *state) expandAll() {
	lo, hi := s.subtreeRange()
	for p := lo; p < hi; p++ {
		s.collapsed[s.td.tree.Order[p]] = false
	}
}

// expandLevel opens the shallowest folded visible spans; collapseLevel
// folds the deepest open visible spans with children. Both look only at the
// visible rows.
func (s *state) expandLevel() bool {
	best := int32(-1)
	for _, i := range s.rows {
		if s.collapsed[i] && s.hasChildren(i) && (best < 0 || s.td.tree.Depth[i] < best) {
			best = s.td.tree.Depth[i]
		}
	}
	if best < 0 {
		return false
	}
	for _, i := range s.rows {
		if s.collapsed[i] && s.td.tree.Depth[i] == best {
			s.collapsed[i] = false
		}
	}
	return true
}

func (s *state) collapseLevel() bool {
	best := int32(-1)
	for _, i := range s.rows {
		if !s.collapsed[i] && s.hasChildren(i) && s.td.tree.Depth[i] > best {
			best = s.td.tree.Depth[i]
		}
	}
	if best < 0 {
		return false
	}
	for _, i := range s.rows {
		if !s.collapsed[i] && s.hasChildren(i) && s.td.tree.Depth[i] == best {
			s.collapsed[i] = true
		}
	}
	return true
}

// collapseShorter folds spans with children that are shorter than limit ns.
func (s *state) collapseShorter(limit int64) int {
	lo, hi := s.subtreeRange()
	n := 0
	for p := lo; p < hi; p++ {
		i := s.td.tree.Order[p]
		if s.hasChildren(i) && s.trace.Spans[i].Duration < limit && !s.collapsed[i] {
			s.collapsed[i] = true
			n++
		}
	}
	return n
}

// inView tells whether span i lies in the re-rooted subtree (always true
// when the view is not re-rooted).
func (s *state) inView(i int32) bool {
	r := s.viewRoot()
	if r < 0 {
		return true
	}
	p := s.td.pos[i]
	return p >= s.td.pos[r] && p < s.td.pos[r]+s.td.size[r]
}

// reveal makes span i visible and selects it: leaves re-roots that hide it,
// drops filters that hide it, and unfolds its ancestors. It returns a
// notice when it had to drop something.
func (s *state) reveal(i int32) string {
	if s.td == nil || i < 0 || int(i) >= len(s.td.pos) {
		return ""
	}
	note := ""
	for !s.inView(i) {
		k := len(s.stack) - 1
		for k >= 0 && !s.stack[k].reroot {
			k--
		}
		if k < 0 {
			break
		}
		s.stack = s.stack[:k]
		note = "left the re-rooted view"
	}
	if s.keep != nil && !s.keep[i] {
		s.errorsOnly, s.criticalOnly, s.service = false, false, -1
		s.keep, s.pass = nil, nil
		note = "filters cleared"
	}
	for p := s.td.tree.Parent[i]; p >= 0; p = s.td.tree.Parent[p] {
		s.collapsed[p] = false
	}
	s.sel = i
	s.flatten()
	if r := s.rowOf[i]; r >= 0 {
		s.selectRow(int(r))
	}
	return note
}

// filtering tells whether any view filter is on.
func (s *state) filtering() bool {
	return s.errorsOnly || s.criticalOnly || s.service >= 0
}

// applyFilters recomputes which spans pass the view filters, keeps their
// ancestors for context and unfolds the way to every passing span.
func (s *state) applyFilters() {
	if s.td == nil {
		return
	}
	if !s.filtering() {
		s.keep, s.pass = nil, nil
		s.flatten()
		return
	}
	n := len(s.td.pos)
	if len(s.pass) != n {
		s.pass = make([]bool, n)
		s.keep = make([]bool, n)
	}
	for i := range n {
		sp := &s.trace.Spans[i]
		ok := true
		if s.errorsOnly && !sp.Error {
			ok = false
		}
		if s.criticalOnly && (s.an == nil || s.an.critical == nil || s.an.critical.SpanTime[i] <= 0) {
			ok = false
		}
		if s.service >= 0 && s.td.svc[i] != s.service {
			ok = false
		}
		s.pass[i] = ok
		s.keep[i] = ok
	}
	order := s.td.tree.Order
	for p := len(order) - 1; p >= 0; p-- {
		i := order[p]
		if par := s.td.tree.Parent[i]; par >= 0 && s.keep[i] {
			s.keep[par] = true
			s.collapsed[par] = false
		}
	}
	s.flatten()
}
