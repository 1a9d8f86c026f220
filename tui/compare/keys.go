package compare

import (
	"sort"
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/tui/internal/shell"
	"github.com/tracetui/tracetui/tui/internal/widget"
)

// Update handles keys, pastes into the box and the screen's own results.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	if m.s == nil {
		return m, nil
	}
	return m, m.s.update(msg)
}

func (s *state) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case loadedMsg:
		return s.loaded(msg)
	case comparedMsg:
		return s.compared(msg)
	case tea.KeyPressMsg:
		if s.boxOpen {
			return s.boxKey(msg)
		}
		return s.key(msg)
	case tea.PasteMsg:
		if s.boxOpen {
			var cmd tea.Cmd
			s.box, cmd = s.box.Update(msg)
			s.boxErr = ""
			return cmd
		}
	}
	return nil
}

func (s *state) boxKey(msg tea.KeyPressMsg) tea.Cmd {
	k := s.keys
	switch {
	case key.Matches(msg, k.Submit):
		return s.submitBox()
	case key.Matches(msg, k.Cancel):
		s.closeBox()
		if s.res == nil && s.phase == asking {
			return func() tea.Msg { return BackMsg{} }
		}
		return nil
	}
	var cmd tea.Cmd
	s.box, cmd = s.box.Update(msg)
	s.boxErr = ""
	return cmd
}

func (s *state) key(msg tea.KeyPressMsg) tea.Cmd {
	k := s.keys
	busy := s.phase == loading || s.phase == analysing
	switch {
	case key.Matches(msg, k.Back):
		if busy {
			return s.cancel()
		}
		return func() tea.Msg { return BackMsg{} }
	case key.Matches(msg, k.Other):
		if busy {
			s.reqs.CancelAll()
			s.phase = asking
			if s.res != nil {
				s.phase = ready
			}
		}
		return s.openBox()
	}
	if s.res == nil {
		return nil
	}
	// While a new trace A loads, the comparison shown still moves.
	return s.treeKey(msg)
}

// treeKey moves, folds and opens in the comparison shown.
func (s *state) treeKey(msg tea.KeyPressMsg) tea.Cmd {
	k, v, r, h := s.keys, &s.view, s.res, s.rowsHeight()
	n := len(v.rows)
	switch {
	case key.Matches(msg, k.Up):
		v.win.Move(-1, n, h)
	case key.Matches(msg, k.Down):
		v.win.Move(1, n, h)
	case key.Matches(msg, k.PageUp):
		v.win.Move(-widget.Page(h), n, h)
	case key.Matches(msg, k.PageDown):
		v.win.Move(widget.Page(h), n, h)
	case key.Matches(msg, k.Top):
		v.win.MoveTo(0, n, h)
	case key.Matches(msg, k.Bottom):
		v.win.MoveTo(n-1, n, h)
	case key.Matches(msg, k.Collapse), key.Matches(msg, k.Expand), key.Matches(msg, k.Toggle):
		return s.fold(msg)
	case key.Matches(msg, k.NextSlower):
		return s.walkSlower(1)
	case key.Matches(msg, k.PrevSlower):
		return s.walkSlower(-1)
	case key.Matches(msg, k.Sort):
		v.toggleSort(r, h)
		if v.sorted {
			return shell.NoticeCmd("sorted by the largest critical-path increase")
		}
		return shell.NoticeCmd("tree order")
	case key.Matches(msg, k.OpenA):
		return s.open(analysis.SideA)
	case key.Matches(msg, k.OpenB):
		return s.open(analysis.SideB)
	case key.Matches(msg, k.Copy):
		a, b := r.c.Side[analysis.SideA].ID, r.c.Side[analysis.SideB].ID
		return shell.Copy(string(a)+" "+string(b), "trace IDs A and B")
	}
	return nil
}

// fold acts as in the waterfall: collapse folds, or goes to the parent;
// expand unfolds, or goes to the first child; toggle flips.
func (s *state) fold(msg tea.KeyPressMsg) tea.Cmd {
	k, v, r, h := s.keys, &s.view, s.res, s.rowsHeight()
	if v.sorted {
		return shell.NoticeCmd("folds work in tree order (" + k.Sort.Help().Key + ")")
	}
	cur := v.selected()
	if cur < 0 {
		return nil
	}
	nd := &r.c.Tree.Nodes[cur]
	hasKids := len(nd.Children) > 0
	switch {
	case key.Matches(msg, k.Toggle):
		if hasKids {
			v.setFold(r, cur, !v.folded[cur], h)
		}
	case key.Matches(msg, k.Collapse):
		if hasKids && !v.folded[cur] {
			v.setFold(r, cur, true, h)
		} else if nd.Parent >= 0 {
			v.selectNode(r, nd.Parent, h)
		}
	case key.Matches(msg, k.Expand):
		if hasKids && v.folded[cur] {
			v.setFold(r, cur, false, h)
		} else if hasKids {
			v.selectNode(r, nd.Children[0], h)
		}
	}
	return nil
}

// walkSlower goes to the next (dir 1) or previous (-1) node that got
// slower, in the order shown, wrapping around, and says which of how many.
func (s *state) walkSlower(dir int) tea.Cmd {
	v, r := &s.view, s.res
	o := 0
	if v.sorted {
		o = 1
	}
	slower, place := r.slower[o], r.place[o]
	if len(slower) == 0 {
		// Say the rule: a Δcrit of a few ms on screen is jitter below it.
		return shell.NoticeCmd("no calling context got slower by over " +
			strconv.Itoa(analysis.ChangeTolerancePercent) + "% of its duration")
	}
	curAt := int32(-1)
	if cur := v.selected(); cur >= 0 {
		curAt = place[cur]
	}
	// The first slower node past the cursor in the walk's direction
	// (slower is in the order shown), wrapping around.
	var at int
	if dir > 0 {
		at = sort.Search(len(slower), func(j int) bool { return place[slower[j]] > curAt })
		if at == len(slower) {
			at = 0
		}
	} else {
		at = sort.Search(len(slower), func(j int) bool { return place[slower[j]] >= curAt }) - 1
		if at < 0 {
			at = len(slower) - 1
		}
	}
	n := slower[at]
	v.selectNode(r, n, s.rowsHeight())
	d := r.c.CriticalDelta(n)
	sa, sb := r.c.Tree.Nodes[n].Side[analysis.SideA], r.c.Tree.Nodes[n].Side[analysis.SideB]
	return shell.NoticeCmd("slower " + strconv.Itoa(at+1) + "/" + strconv.Itoa(len(slower)) + ": " +
		r.svc[n] + " " + r.op[n] + " " + format.Duration(sa.Duration) + " → " + format.Duration(sb.Duration) +
		", critical path " + signed(d))
}

// open asks the root to open the selected node's span in trace A or B.
func (s *state) open(side int) tea.Cmd {
	r := s.res
	n := s.view.selected()
	if n < 0 {
		return nil
	}
	i := r.c.Span(side, n)
	if i < 0 {
		return shell.FailureCmd(r.svc[n] + " " + r.op[n] + " is not in trace " + sideName(side) +
			" (only in " + sideName(1-side) + ")")
	}
	t := r.t[side]
	return func() tea.Msg { return OpenMsg{Trace: t, Span: i} }
}

// signed is a difference with its sign: "+12ms", "-3ms", "0".
func signed(d int64) string {
	switch {
	case d > 0:
		return "+" + format.Duration(d)
	case d < 0:
		return "-" + format.Duration(-d)
	}
	return "0"
}
