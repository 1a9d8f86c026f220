package trace

import (
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/internal/present"
	"github.com/tracetui/tracetui/tui/internal/shell"
	"github.com/tracetui/tracetui/tui/internal/widget"
)

// Keys: the search box while it is typed, else the focused pane, else the
// waterfall. Actions that span parts (jumps, the skew toggle, copying) are
// here; each part does its own moves.

// shortShares are the "collapse spans shorter than" steps, as a share of
// the shown time range, cycled by the CollapseShort key.
func shortShares() []float64 { return []float64{0.01, 0.05, 0.10, 0.25} }

func (s *state) key(msg tea.KeyPressMsg) tea.Cmd {
	k := s.keys
	if s.logs.box.capturing {
		return s.logFilterKey(msg)
	}
	if s.box.capturing {
		switch {
		case key.Matches(msg, k.SearchCancel):
			s.box.clear()
			return nil
		case key.Matches(msg, k.SearchAccept):
			s.box.accept()
			// A query that did not parse has no matches to go to: its
			// error stays in the box's place.
			if m := s.box.matches(); m != nil && s.wf.sel >= 0 && !m[s.wf.sel] {
				return s.nextMatch(1)
			}
			return nil
		}
		cmd, changed := s.box.edit(msg)
		if changed {
			return tea.Batch(cmd, s.box.start(s.rd.reading, s.token))
		}
		return cmd
	}
	if s.rd.td == nil {
		if key.Matches(msg, k.Back) {
			return backCmd
		}
		return nil
	}
	if key.Matches(msg, k.Back) && s.stopLogs() {
		// esc stops the long work first, whatever has the focus.
		return statusCmd("stopped reading logs (L reads them again)", false)
	}
	if s.pane.focus && s.pane.kind != paneNone {
		if cmd, ok := s.paneKey(msg); ok {
			return cmd
		}
	}
	if cmd, ok := s.moveKey(msg); ok {
		return cmd
	}
	return s.actionKey(msg)
}

// moveKey handles the waterfall's moves and folds; ok is false for other
// keys.
func (s *state) moveKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k, w := s.keys, &s.wf
	page := widget.Page(w.h)
	switch {
	case key.Matches(msg, k.Up):
		w.selectRow(w.win.Cursor - 1)
	case key.Matches(msg, k.Down):
		w.selectRow(w.win.Cursor + 1)
	case key.Matches(msg, k.PageUp):
		w.selectRow(w.win.Cursor - page)
	case key.Matches(msg, k.PageDown):
		w.selectRow(w.win.Cursor + page)
	case key.Matches(msg, k.Top):
		w.selectRow(0)
	case key.Matches(msg, k.Bottom):
		w.selectRow(len(w.rows) - 1)
	case key.Matches(msg, k.Parent):
		w.selectParent()
	case key.Matches(msg, k.NextSibling):
		w.selectSibling(1)
	case key.Matches(msg, k.PrevSibling):
		w.selectSibling(-1)
	case key.Matches(msg, k.Collapse):
		w.collapse()
	case key.Matches(msg, k.Expand):
		w.expand()
	case key.Matches(msg, k.Toggle):
		w.toggle()
	case key.Matches(msg, k.ExpandLevel):
		if w.expandLevel() {
			w.flatten()
		}
	case key.Matches(msg, k.CollapseLevel):
		if w.collapseLevel() {
			w.flatten()
		}
	case key.Matches(msg, k.Depth):
		d, _ := strconv.Atoi(msg.String())
		w.collapseBelow(d)
		w.flatten()
		return statusCmd("showing "+plural(d, "level"), false), true
	case key.Matches(msg, k.ExpandAll):
		w.expandAll()
		w.flatten()
	case key.Matches(msg, k.CollapseShort):
		return s.collapseShort(), true
	case key.Matches(msg, k.ZoomIn):
		w.zoomIn()
	case key.Matches(msg, k.ZoomOut):
		if !w.zoomOut() {
			return statusCmd("not zoomed", false), true
		}
	case key.Matches(msg, k.Reroot):
		w.reroot()
	default:
		return nil, false
	}
	return nil, true
}

// actionKey handles the waterfall's other keys: search, filters, panes,
// jumps, skew, copy and back.
func (s *state) actionKey(msg tea.KeyPressMsg) tea.Cmd {
	k, w := s.keys, &s.wf
	switch {
	case key.Matches(msg, k.Search):
		return tea.Batch(s.box.open(), s.warmSearch())
	case key.Matches(msg, k.NextMatch):
		return s.nextMatch(1)
	case key.Matches(msg, k.PrevMatch):
		return s.nextMatch(-1)
	case key.Matches(msg, k.ErrorsOnly):
		if !w.errorsOnly && s.rd.td.errCount == 0 {
			return statusCmd("no errors in this trace", false)
		}
		w.errorsOnly = !w.errorsOnly
		w.applyFilters()
	case key.Matches(msg, k.CriticalOnly):
		if s.rd.an == nil {
			return statusCmd("analysing…", false)
		}
		if !w.criticalOnly && !s.rd.hasCritical() {
			return statusCmd("no critical path", false)
		}
		w.criticalOnly = !w.criticalOnly
		w.applyFilters()
	case key.Matches(msg, k.Detail):
		s.openPane(paneDetail)
	case key.Matches(msg, k.CriticalPane):
		s.openPane(paneCritical)
	case key.Matches(msg, k.ServicePane):
		s.openPane(paneServices)
	case key.Matches(msg, k.WarningsPane):
		s.openPane(paneWarnings)
	case key.Matches(msg, k.LogsPane):
		return s.logsKey()
	case key.Matches(msg, k.FocusPane):
		if s.pane.kind != paneNone {
			s.pane.focus = !s.pane.focus
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
		if w.sel < 0 {
			return nil
		}
		return shell.Copy(s.rd.td.spanIDs[w.sel], "span ID")
	case key.Matches(msg, k.CopyTraceID):
		return shell.Copy(string(s.rd.trace.ID), "trace ID")
	case key.Matches(msg, k.CopyLink):
		return s.copyLink()
	case key.Matches(msg, k.Back):
		return s.back()
	}
	return nil
}

// back closes the innermost open thing: search, pane, zoom or re-root,
// filters; with nothing open it asks the shell to go back.
func (s *state) back() tea.Cmd {
	switch {
	case s.box.query != "":
		s.box.clear()
	case s.pane.kind != paneNone:
		s.closePane()
	case s.wf.pop():
	case s.wf.filtering():
		s.wf.clearFilters()
	default:
		return backCmd
	}
	return nil
}

func (s *state) collapseShort() tea.Cmd {
	shares := shortShares()
	share := shares[s.shortIdx%len(shares)]
	s.shortIdx++
	lo, hi := s.wf.timeRange()
	limit := int64(float64(present.Sub(hi, lo)) * share)
	n := s.wf.collapseShorter(limit)
	s.wf.flatten()
	return statusCmd("folded "+plural(n, "span")+" shorter than "+format.Duration(limit)+
		" ("+strconv.Itoa(int(share*100))+"%); 0 unfolds all", false)
}

// jumpTo reveals span i and says where the jump landed: "what k/n: name".
func (s *state) jumpTo(i int32, what string, k, n int) tea.Cmd {
	return s.jumpToWhy(i, what, k, n, false)
}

// jumpToWhy is jumpTo, adding why the span failed when why is set.
func (s *state) jumpToWhy(i int32, what string, k, n int, why bool) tea.Cmd {
	note := s.wf.reveal(i)
	text := what + " " + strconv.Itoa(k) + "/" + strconv.Itoa(n) + ": " + s.rd.spanName(i)
	if r := s.errorReason(i); why && r != "" {
		text += ": " + r
	}
	if note != "" {
		text += " (" + note + ")"
	}
	return statusCmd(text, false)
}

func (s *state) errorOrigin(dir int) tea.Cmd {
	if s.rd.an == nil {
		return statusCmd("analysing…", false)
	}
	n := len(s.rd.an.origins)
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
	// The status says why it failed, not only where.
	return s.jumpToWhy(s.rd.an.origins[s.originIdx].Span, "error origin", s.originIdx+1, n, true)
}

// critical moves to the next or previous span on the critical path, in
// the path's time order.
func (s *state) critical(dir int) tea.Cmd {
	if s.rd.an == nil || s.rd.an.critical == nil {
		return statusCmd("analysing…", false)
	}
	spans := s.rd.an.critical.Spans
	if len(spans) == 0 {
		return statusCmd("no critical path", false)
	}
	r := -1
	if s.wf.sel >= 0 {
		r = int(s.rd.an.cpRank[s.wf.sel])
	}
	switch {
	case r < 0 && dir > 0:
		r = 0
	case r < 0:
		r = len(spans) - 1
	default:
		r = ((r+dir)%len(spans) + len(spans)) % len(spans)
	}
	return s.jumpTo(spans[r], "critical span", r+1, len(spans))
}

func (s *state) toggleSkew() tea.Cmd {
	rd := &s.rd
	if rd.an == nil {
		return statusCmd("analysing…", false)
	}
	switch {
	case rd.pending:
		rd.pending = false
		return statusCmd("raw times", false)
	case rd.adjusted:
		return s.showReading(false)
	case len(rd.raw.an.skews) == 0:
		// Nothing moves: no copy and no second analysis needed.
		rd.adjusted = true
		return statusCmd("skew-adjusted times (no skew found: nothing moves)", false)
	case rd.adj != nil:
		return s.showReading(true)
	}
	rd.pending = true
	raw, token := rd.raw, s.token
	// In sequence, not in a batch: on a small trace the result can beat a
	// batched notice, which then stays on screen after the work is done.
	return tea.Sequence(statusCmd("adjusting for clock skew…", false), func() tea.Msg {
		return adjustedMsg{token: token, r: buildAdjusted(raw)}
	})
}

// showReading switches between the raw and the adjusted reading of the
// trace, keeping the selection, folds, filters, zoom and re-root (their
// time ranges re-read from their spans) and searching again.
func (s *state) showReading(adjusted bool) tea.Cmd {
	if !s.rd.show(adjusted) {
		return nil
	}
	s.wf.rereadStack()
	if s.originIdx >= len(s.rd.an.origins) {
		s.originIdx = -1
	}
	s.wf.applyFilters()
	var search tea.Cmd
	if s.box.query != "" {
		search = s.box.start(s.rd.reading, s.token)
	}
	if !adjusted {
		return tea.Batch(search, statusCmd("raw times", false))
	}
	text := "skew-adjusted times: " + plural(len(s.rd.an.skews), "skewed span") + " shifted; analysis redone"
	return tea.Batch(search, statusCmd(text, false))
}

// nextMatch selects the next (or previous) match after the selection in
// waterfall order, wrapping, and unfolds what hides it.
func (s *state) nextMatch(dir int) tea.Cmd {
	b, w := &s.box, &s.wf
	switch {
	case b.query == "":
		return statusCmd("no search: press / to search", false)
	case b.res == nil:
		return statusCmd("searching…", false)
	case b.res.err != "":
		return statusCmd(b.res.err, true)
	case len(b.res.order) == 0:
		return statusCmd("no match for "+b.query, false)
	}
	order := b.res.order
	// Prefer matches the current filters and re-root show; only when none
	// is visible does n leave them.
	var shown []int32
	for _, i := range order {
		if (w.keep == nil || w.keep[i]) && w.inView(i) {
			shown = append(shown, i)
		}
	}
	if len(shown) > 0 {
		order = shown
	}
	pos := s.rd.td.pos
	p := int32(-1)
	if w.sel >= 0 {
		p = pos[w.sel]
	}
	k := 0
	if dir > 0 {
		k = searchPos(order, pos, func(q int32) bool { return q > p })
		if k == len(order) {
			k = 0
		}
	} else {
		k = searchPos(order, pos, func(q int32) bool { return q >= p }) - 1
		if k < 0 {
			k = len(order) - 1
		}
	}
	if note := w.reveal(order[k]); note != "" {
		return statusCmd(note, false)
	}
	return nil
}

// searchPos is the first index in order (spans in waterfall order) whose
// position satisfies ok.
func searchPos(order []int32, pos []int32, ok func(int32) bool) int {
	lo, hi := 0, len(order)
	for lo < hi {
		m := (lo + hi) / 2
		if ok(pos[order[m]]) {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// paneKey handles keys for the focused pane; ok is false for keys it
// leaves to the waterfall.
func (s *state) paneKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k, p := s.keys, &s.pane
	page := widget.Page(p.h)
	if p.kind == paneLogs {
		if cmd, ok := s.logsPaneKey(msg); ok {
			return cmd, true
		}
	}
	switch {
	case key.Matches(msg, k.Up):
		p.move(p.win.Cursor - 1)
	case key.Matches(msg, k.Down):
		p.move(p.win.Cursor + 1)
	case key.Matches(msg, k.PageUp):
		p.move(p.win.Cursor - page)
	case key.Matches(msg, k.PageDown):
		p.move(p.win.Cursor + page)
	case key.Matches(msg, k.Top):
		p.move(0)
	case key.Matches(msg, k.Bottom):
		p.move(len(p.lines) - 1)
	case key.Matches(msg, k.Select), key.Matches(msg, k.Toggle):
		return s.paneSelect(), true
	case key.Matches(msg, k.Collapse), key.Matches(msg, k.Expand):
		l, ok := p.current()
		if p.kind != paneDetail || !ok {
			return nil, true
		}
		if want := key.Matches(msg, k.Collapse); l.section != "" && p.folded[l.section] != want {
			s.toggleSection(l.section)
		}
	case key.Matches(msg, k.Copy):
		if l, ok := p.current(); ok {
			return shell.Copy(l.copy, "value"), true
		}
	case key.Matches(msg, k.SortColumn):
		p.sort()
	case key.Matches(msg, k.FocusPane):
		p.focus = false
	case key.Matches(msg, k.Back):
		s.closePane()
	default:
		return nil, false
	}
	return nil, true
}

// toggleSection folds or unfolds a detail section, keeping the cursor on
// its heading.
func (s *state) toggleSection(sec string) {
	s.pane.toggleSection(sec)
	s.refreshPane()
	s.pane.cursorToHeading(sec)
}

// paneSelect acts on the pane line under the cursor: fold a section, jump
// to a span, or filter by a service.
func (s *state) paneSelect() tea.Cmd {
	l, ok := s.pane.current()
	if !ok {
		return nil
	}
	w := &s.wf
	switch {
	case l.heading && s.pane.kind == paneDetail:
		s.toggleSection(l.section)
	case l.trace != "":
		msg := OpenTraceMsg{Trace: l.trace, Span: l.traceSpan}
		return func() tea.Msg { return msg }
	case l.span >= 0:
		if note := w.reveal(l.span); note != "" {
			return statusCmd(note, false)
		}
	case l.service >= 0:
		if w.service == l.service {
			w.service = -1
		} else {
			w.service = l.service
		}
		w.applyFilters()
		if w.service < 0 {
			return nil
		}
		// On the service's own first span: the ancestors the filter keeps
		// are context, and the selection stayed on one of them.
		if i := w.firstOfService(w.service); i >= 0 {
			w.reveal(i)
		}
		return statusCmd("waterfall: service "+s.rd.td.services[w.service]+" (enter again clears)", false)
	}
	return nil
}
