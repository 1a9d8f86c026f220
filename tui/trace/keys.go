package trace

import (
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/tui/internal/shell"
)

// shortShares are the "collapse spans shorter than" steps, as a share of
// the shown time range, cycled by the CollapseShort key.
func shortShares() []float64 { return []float64{0.01, 0.05, 0.10, 0.25} }

func (s *state) key(msg tea.KeyPressMsg) tea.Cmd {
	k := s.keys
	if s.capturing {
		switch {
		case key.Matches(msg, k.SearchCancel):
			s.clearSearch()
			return nil
		case key.Matches(msg, k.SearchAccept):
			s.input.Blur()
			s.capturing = false
			// A query that did not parse has no matches to go to: its
			// error stays in the box's place.
			if s.search != nil && s.search.match != nil && s.sel >= 0 && !s.search.match[s.sel] {
				return s.nextMatch(1)
			}
			return nil
		}
		before := s.input.Value()
		var cmd tea.Cmd
		s.input, cmd = s.input.Update(msg)
		if s.input.Value() != before {
			return tea.Batch(cmd, s.startSearch())
		}
		return cmd
	}
	if s.td == nil {
		if key.Matches(msg, k.Back) {
			return backCmd
		}
		return nil
	}
	if s.paneFocus && s.pane != paneNone {
		if cmd, ok := s.paneKeyPress(msg); ok {
			return cmd
		}
	}
	return s.waterfallKey(msg)
}

// waterfallKey handles a key with the waterfall focused (or a key the
// focused pane passed on).
func (s *state) waterfallKey(msg tea.KeyPressMsg) tea.Cmd {
	k := s.keys
	vh := max(s.bodyHeight(), 1)
	switch {
	case key.Matches(msg, k.Up):
		s.selectRow(s.cursor - 1)
	case key.Matches(msg, k.Down):
		s.selectRow(s.cursor + 1)
	case key.Matches(msg, k.PageUp):
		s.selectRow(s.cursor - max(vh-1, 1))
	case key.Matches(msg, k.PageDown):
		s.selectRow(s.cursor + max(vh-1, 1))
	case key.Matches(msg, k.Top):
		s.selectRow(0)
	case key.Matches(msg, k.Bottom):
		s.selectRow(len(s.rows) - 1)
	case key.Matches(msg, k.Parent):
		s.selectParent()
	case key.Matches(msg, k.NextSibling):
		s.selectSibling(1)
	case key.Matches(msg, k.PrevSibling):
		s.selectSibling(-1)
	case key.Matches(msg, k.Collapse):
		if s.sel >= 0 && s.hasChildren(s.sel) && !s.collapsed[s.sel] {
			s.setFold(s.sel, true)
		} else {
			s.selectParent()
		}
	case key.Matches(msg, k.Expand):
		if s.sel >= 0 && s.hasChildren(s.sel) {
			if s.collapsed[s.sel] {
				s.setFold(s.sel, false)
			} else {
				s.selectRow(s.cursor + 1)
			}
		}
	case key.Matches(msg, k.Toggle):
		if s.sel >= 0 && s.hasChildren(s.sel) {
			s.setFold(s.sel, !s.collapsed[s.sel])
		}
	case key.Matches(msg, k.ExpandLevel):
		if s.expandLevel() {
			s.flatten()
		}
	case key.Matches(msg, k.CollapseLevel):
		if s.collapseLevel() {
			s.flatten()
		}
	case key.Matches(msg, k.Depth):
		d, _ := strconv.Atoi(msg.String())
		s.collapseBelow(d)
		s.flatten()
		return statusCmd("showing "+plural(d, "level"), false)
	case key.Matches(msg, k.ExpandAll):
		s.expandAll()
		s.flatten()
	case key.Matches(msg, k.CollapseShort):
		return s.collapseShort()
	case key.Matches(msg, k.ZoomIn):
		return s.zoomIn()
	case key.Matches(msg, k.ZoomOut):
		return s.zoomOut()
	case key.Matches(msg, k.Reroot):
		return s.reroot()
	case key.Matches(msg, k.Search):
		s.capturing = true
		s.input.SetValue(s.query)
		s.input.CursorEnd()
		return s.input.Focus()
	case key.Matches(msg, k.NextMatch):
		return s.nextMatch(1)
	case key.Matches(msg, k.PrevMatch):
		return s.nextMatch(-1)
	case key.Matches(msg, k.ErrorsOnly):
		s.errorsOnly = !s.errorsOnly
		if s.errorsOnly && s.td.errCount == 0 {
			s.errorsOnly = false
			return statusCmd("no errors in this trace", false)
		}
		s.applyFilters()
	case key.Matches(msg, k.CriticalOnly):
		if s.an == nil {
			return statusCmd("analysing…", false)
		}
		if !s.criticalOnly && (s.an.critical == nil || len(s.an.critical.Spans) == 0) {
			return statusCmd("no critical path", false)
		}
		s.criticalOnly = !s.criticalOnly
		s.applyFilters()
	case key.Matches(msg, k.Detail):
		s.openPane(paneDetail, false)
	case key.Matches(msg, k.CriticalPane):
		s.openPane(paneCritical, true)
	case key.Matches(msg, k.ServicePane):
		s.openPane(paneServices, true)
	case key.Matches(msg, k.WarningsPane):
		s.openPane(paneWarnings, true)
	case key.Matches(msg, k.FocusPane):
		if s.pane != paneNone {
			s.paneFocus = !s.paneFocus
		}
	case key.Matches(msg, k.ErrorOrigin):
		return s.errorOrigin(1)
	case key.Matches(msg, k.PrevErrorOrigin):
		return s.errorOrigin(-1)
	case key.Matches(msg, k.NextCritical):
		return s.critical(1)
	case key.Matches(msg, k.PrevCritical):
		return s.critical(-1)
	case key.Matches(msg, k.Skew):
		return s.toggleSkew()
	case key.Matches(msg, k.Copy):
		if s.sel < 0 {
			return nil
		}
		return copyCmd(s.td.spanIDs[s.sel], "span ID")
	case key.Matches(msg, k.Back):
		return s.back()
	}
	return nil
}

// back closes the innermost open thing: search, pane, zoom or re-root,
// filters; with nothing open it asks the shell to go back.
func (s *state) back() tea.Cmd {
	switch {
	case s.query != "":
		s.clearSearch()
	case s.pane != paneNone:
		s.closePane()
	case len(s.stack) > 0:
		top := s.stack[len(s.stack)-1]
		s.stack = s.stack[:len(s.stack)-1]
		if top.reroot {
			s.flatten()
		}
	case s.filtering():
		s.errorsOnly, s.criticalOnly, s.service = false, false, -1
		s.applyFilters()
	default:
		return backCmd
	}
	return nil
}

func (s *state) setFold(i int32, folded bool) {
	s.collapsed[i] = folded
	s.flatten()
}

func (s *state) selectParent() {
	if s.sel < 0 || s.relDepth(s.sel) == 0 {
		return
	}
	if p := s.td.tree.Parent[s.sel]; p >= 0 && s.rowOf[p] >= 0 {
		s.selectRow(int(s.rowOf[p]))
	}
}

// selectSibling moves to the next or previous visible sibling.
func (s *state) selectSibling(dir int) {
	if s.sel < 0 {
		return
	}
	tree := s.td.tree
	var sibs []int32
	if p := tree.Parent[s.sel]; p >= 0 && s.relDepth(s.sel) > 0 {
		sibs = tree.Children(p)
	} else {
		// Roots (or the re-root) are siblings of each other.
		sibs = tree.Roots
	}
	at := -1
	for k, x := range sibs {
		if x == s.sel {
			at = k
			break
		}
	}
	for k := at + dir; at >= 0 && k >= 0 && k < len(sibs); k += dir {
		if r := s.rowOf[sibs[k]]; r >= 0 {
			s.selectRow(int(r))
			return
		}
	}
}

func (s *state) collapseShort() tea.Cmd {
	shares := shortShares()
	share := shares[s.shortIdx%len(shares)]
	s.shortIdx++
	lo, hi := s.timeRange()
	limit := int64(float64(sub(hi, lo)) * share)
	n := s.collapseShorter(limit)
	s.flatten()
	return statusCmd("folded "+plural(n, "span")+" shorter than "+format.Duration(limit)+
		" ("+strconv.Itoa(int(share*100))+"%); 0 unfolds all", false)
}

func (s *state) zoomIn() tea.Cmd {
	if s.sel < 0 {
		return nil
	}
	lo, hi := s.spanStart(s.sel), s.spanEnd(s.sel)
	if hi <= lo {
		hi = lo + 1
	}
	s.stack = append(s.stack, view{span: s.sel, lo: lo, hi: hi})
	return nil
}

func (s *state) zoomOut() tea.Cmd {
	for k := len(s.stack) - 1; k >= 0; k-- {
		if !s.stack[k].reroot {
			s.stack = append(s.stack[:k], s.stack[k+1:]...)
			return nil
		}
	}
	return statusCmd("not zoomed", false)
}

// reroot shows only the selected span's subtree; on the current root it
// goes back to the previous view.
func (s *state) reroot() tea.Cmd {
	if s.sel < 0 {
		return nil
	}
	if s.sel == s.viewRoot() {
		for k := len(s.stack) - 1; k >= 0; k-- {
			if s.stack[k].reroot {
				s.stack = s.stack[:k]
				break
			}
		}
		s.flatten()
		return nil
	}
	lo, hi := s.spanStart(s.sel), s.spanEnd(s.sel)
	if hi <= lo {
		hi = lo + 1
	}
	s.stack = append(s.stack, view{reroot: true, span: s.sel, lo: lo, hi: hi})
	s.flatten()
	return nil
}

func (s *state) errorOrigin(dir int) tea.Cmd {
	if s.an == nil {
		return statusCmd("analysing…", false)
	}
	n := len(s.an.origins)
	if n == 0 {
		return statusCmd("no errors in this trace", false)
	}
	switch {
	case s.originIdx < 0 && dir > 0:
		s.originIdx = 0
	case s.originIdx < 0:
		s.originIdx = n - 1
	default:
		s.originIdx = ((s.originIdx+dir)%n + n) % n
	}
	i := s.an.origins[s.originIdx].Span
	note := s.reveal(i)
	text := "error origin " + strconv.Itoa(s.originIdx+1) + "/" + strconv.Itoa(n) + ": " + s.spanName(i)
	if note != "" {
		text += " (" + note + ")"
	}
	return statusCmd(text, false)
}

// critical moves to the next or previous span on the critical path, in
// the path's time order.
func (s *state) critical(dir int) tea.Cmd {
	if s.an == nil || s.an.critical == nil {
		return statusCmd("analysing…", false)
	}
	spans := s.an.critical.Spans
	if len(spans) == 0 {
		return statusCmd("no critical path", false)
	}
	r := -1
	if s.sel >= 0 {
		r = int(s.an.cpRank[s.sel])
	}
	switch {
	case r < 0 && dir > 0:
		r = 0
	case r < 0:
		r = len(spans) - 1
	default:
		r = ((r+dir)%len(spans) + len(spans)) % len(spans)
	}
	note := s.reveal(spans[r])
	text := "critical span " + strconv.Itoa(r+1) + "/" + strconv.Itoa(len(spans)) + ": " + s.spanName(spans[r])
	if note != "" {
		text += " (" + note + ")"
	}
	return statusCmd(text, false)
}

func (s *state) toggleSkew() tea.Cmd {
	if s.an == nil {
		return statusCmd("analysing…", false)
	}
	switch {
	case s.adjPending:
		s.adjPending = false
		return statusCmd("raw times", false)
	case s.adjusted:
		return s.showVariant(false)
	case len(s.raw.an.skews) == 0:
		// Nothing moves: no copy and no second analysis needed.
		s.adjusted = true
		s.refreshPane()
		return statusCmd("skew-adjusted times (no skew found: nothing moves)", false)
	case s.adj != nil:
		return s.showVariant(true)
	}
	s.adjPending = true
	raw, token := s.raw, s.token
	// In sequence, not in a batch: on a small trace the result can beat a
	// batched notice, which then stays on screen after the work is done.
	return tea.Sequence(statusCmd("adjusting for clock skew…", false), func() tea.Msg {
		return adjustedMsg{token: token, v: buildAdjusted(raw)}
	})
}

// showVariant switches between the raw and the adjusted reading of the
// trace, keeping the selection, folds, filters, zoom and re-root (their
// time ranges re-read from their spans) and searching again.
func (s *state) showVariant(adjusted bool) tea.Cmd {
	v := s.raw
	if adjusted {
		if s.adj == nil {
			return nil
		}
		v = *s.adj
	}
	s.adjusted = adjusted
	s.trace, s.td, s.an = v.trace, v.td, v.an
	for k := range s.stack {
		e := &s.stack[k]
		e.lo, e.hi = s.spanStart(e.span), s.spanEnd(e.span)
		if e.hi <= e.lo {
			e.hi = e.lo + 1
		}
	}
	if s.originIdx >= len(s.an.origins) {
		s.originIdx = -1
	}
	s.applyFilters()
	s.refreshPane()
	var search tea.Cmd
	if s.query != "" {
		search = s.startSearch()
	}
	if !adjusted {
		return tea.Batch(search, statusCmd("raw times", false))
	}
	text := "skew-adjusted times: " + plural(len(s.an.skews), "skewed span") + " shifted; analysis redone"
	return tea.Batch(search, statusCmd(text, false))
}

// spanName is span i's service and operation, sanitized: deep rows cut
// them in the waterfall, so jumps name the span they landed on.
func (s *state) spanName(i int32) string {
	if i < 0 || int(i) >= len(s.td.ops) {
		return ""
	}
	return s.td.services[s.td.svc[i]] + " " + s.td.ops[i]
}

// copyCmd copies text through the one clipboard path and says so.
func copyCmd(text, what string) tea.Cmd { return shell.Copy(text, what) }

// paneKeyPress handles keys for the focused pane; ok is false for keys it
// leaves to the waterfall.
func (s *state) paneKeyPress(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := s.keys
	vh := s.paneBodyH()
	move := func(to int) {
		s.paneCursor = max(0, min(to, len(s.paneLines)-1))
		s.fixPaneScroll()
	}
	switch {
	case key.Matches(msg, k.Up):
		move(s.paneCursor - 1)
	case key.Matches(msg, k.Down):
		move(s.paneCursor + 1)
	case key.Matches(msg, k.PageUp):
		move(s.paneCursor - max(vh-1, 1))
	case key.Matches(msg, k.PageDown):
		move(s.paneCursor + max(vh-1, 1))
	case key.Matches(msg, k.Top):
		move(0)
	case key.Matches(msg, k.Bottom):
		move(len(s.paneLines) - 1)
	case key.Matches(msg, k.Select), key.Matches(msg, k.Toggle):
		return s.paneSelect(), true
	case key.Matches(msg, k.Collapse), key.Matches(msg, k.Expand):
		if s.pane != paneDetail || len(s.paneLines) == 0 {
			return nil, true
		}
		sec := s.paneLines[s.paneCursor].section
		want := key.Matches(msg, k.Collapse)
		if sec != "" && s.folded[sec] != want {
			s.toggleSection(sec)
		}
	case key.Matches(msg, k.Copy):
		if len(s.paneLines) == 0 {
			return nil, true
		}
		return copyCmd(s.paneLines[s.paneCursor].copy, "value"), true
	case key.Matches(msg, k.SortColumn):
		switch s.pane {
		case paneServices:
			s.svcSort = (s.svcSort + 1) % sortModes
			s.refreshPane()
		case paneCritical:
			s.switchCriticalOrder()
		}
	case key.Matches(msg, k.FocusPane):
		s.paneFocus = false
	case key.Matches(msg, k.Back):
		s.closePane()
	default:
		return nil, false
	}
	return nil, true
}

func (s *state) toggleSection(sec string) {
	s.folded[sec] = !s.folded[sec]
	s.foldVer++
	s.refreshPane()
	// Keep the cursor on the section's heading.
	for k, l := range s.paneLines {
		if l.heading && l.section == sec {
			s.paneCursor = k
			break
		}
	}
	s.fixPaneScroll()
}

// paneSelect acts on the pane line under the cursor: fold a section, jump
// to a span, or filter by a service.
func (s *state) paneSelect() tea.Cmd {
	if len(s.paneLines) == 0 {
		return nil
	}
	l := s.paneLines[s.paneCursor]
	switch {
	case l.heading && s.pane == paneDetail:
		s.toggleSection(l.section)
	case l.span >= 0:
		if note := s.reveal(l.span); note != "" {
			return statusCmd(note, false)
		}
	case l.service >= 0:
		if s.service == l.service {
			s.service = -1
		} else {
			s.service = l.service
		}
		s.applyFilters()
		if s.service >= 0 {
			// On the service's own first span: the ancestors the filter
			// keeps are context, and the selection stayed on one of them.
			if i := s.firstOfService(s.service); i >= 0 {
				s.reveal(i)
			}
		}
		s.refreshPane()
		if s.service >= 0 {
			return statusCmd("waterfall: service "+s.td.services[s.service]+" (enter again clears)", false)
		}
	}
	return nil
}

// firstOfService is the service's first span in waterfall order, or -1.
func (s *state) firstOfService(svc int32) int32 {
	first := int32(-1)
	for i, v := range s.td.svc {
		if v == svc && (first < 0 || s.td.pos[i] < s.td.pos[first]) {
			first = int32(i)
		}
	}
	return first
}

// switchCriticalOrder flips the critical-path pane between time order and
// by span. The cursor goes back to the top: the point of by span is the
// spans there, and the cursor's span (the root's first section when the pane
// opens) is often far down in the other order.
func (s *state) switchCriticalOrder() {
	s.critSort = (s.critSort + 1) % critModes
	s.paneKey = paneCacheKey{}
	s.refreshPane()
}
