package across

import (
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/tui/internal/shell"
	"github.com/tracetui/tracetui/tui/internal/widget"
)

func (s *state) update(msg tea.Msg) tea.Cmd {
	cmd := s.route(msg)
	// After a resize the histogram wants another bucket count.
	if s.res != nil && s.pending == 0 && s.buckets != s.histBuckets() {
		cmd = tea.Batch(cmd, s.askResult())
	}
	return cmd
}

func (s *state) route(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case fetchedMsg:
		return s.onFetched(msg)
	case resultMsg:
		return s.onResult(msg)
	case tea.KeyPressMsg:
		return s.key(msg)
	}
	return nil
}

func (s *state) key(k tea.KeyPressMsg) tea.Cmd {
	ks := s.keys
	rows := s.rowsH()
	switch {
	case key.Matches(k, ks.Back):
		s.reqs.CancelAll()
		s.fetching = false
		return func() tea.Msg { return BackMsg{} }
	case key.Matches(k, ks.NextTab):
		s.tab = (s.tab + 1) % numTabs
	case key.Matches(k, ks.PrevTab):
		s.tab = (s.tab + numTabs - 1) % numTabs
	case key.Matches(k, ks.Tab):
		if n, err := strconv.Atoi(k.String()); err == nil && n >= 1 && n <= int(numTabs) {
			s.tab = tab(n - 1)
		}
	case key.Matches(k, ks.Mode):
		if s.sel.Kind == analysis.SelectSlowest {
			s.percent = s.sel.Percent
		}
		return s.setSelection(s.nextMode(s.sel))
	case key.Matches(k, ks.Left):
		return s.setSelection(s.moveStart(s.sel, -1))
	case key.Matches(k, ks.Right):
		return s.setSelection(s.moveStart(s.sel, 1))
	case key.Matches(k, ks.EndLeft):
		return s.setSelection(s.moveEnd(s.sel, -1))
	case key.Matches(k, ks.EndRight):
		return s.setSelection(s.moveEnd(s.sel, 1))
	case key.Matches(k, ks.Up):
		s.move(-1, rows)
	case key.Matches(k, ks.Down):
		s.move(1, rows)
	case key.Matches(k, ks.PageUp):
		s.move(-widget.Page(rows), rows)
	case key.Matches(k, ks.PageDown):
		s.move(widget.Page(rows), rows)
	case key.Matches(k, ks.Top):
		s.move(-1<<30, rows)
	case key.Matches(k, ks.Bottom):
		s.move(1<<30, rows)
	case key.Matches(k, ks.Sort):
		if s.tab != tabContexts {
			s.tables[s.tab].NextSort()
		}
	case s.tab == tabContexts && key.Matches(k, ks.Collapse):
		s.tree.collapse(s.res, rows)
	case s.tab == tabContexts && key.Matches(k, ks.Expand):
		s.tree.expand(s.res, rows)
	case s.tab == tabContexts && key.Matches(k, ks.Toggle):
		s.tree.toggle(s.res, rows)
	case key.Matches(k, ks.Open):
		if ex, ok := s.example(); ok {
			return func() tea.Msg { return OpenMsg{TraceID: ex.Trace, SpanID: ex.Span} }
		}
	case key.Matches(k, ks.More):
		return func() tea.Msg { return MoreMsg{} }
	case key.Matches(k, ks.Copy):
		if ex, ok := s.example(); ok {
			return shell.Copy(string(ex.Trace), "trace ID")
		}
	}
	return nil
}

// setSelection recomputes the split (from what is already fetched) when
// the selection changed.
func (s *state) setSelection(sel analysis.Selection) tea.Cmd {
	if sel == s.sel {
		return nil
	}
	s.sel = sel
	return tea.Batch(s.askResult(), shell.StatusCmd("selection: "+sel.String(), false))
}

// move moves the cursor of the open section.
func (s *state) move(d, rows int) {
	if s.tab == tabContexts {
		s.tree.win.Move(d, len(s.tree.rows), rows)
		return
	}
	s.tables[s.tab].Move(d, rows)
}

// example is the example of the row under the cursor.
func (s *state) example() (analysis.Example, bool) {
	if s.tab == tabContexts {
		return s.tree.example(s.res)
	}
	r, ok := s.tables[s.tab].Selected()
	if !ok {
		return analysis.Example{}, false
	}
	ex, ok := s.examples[r.Data]
	return ex, ok && ex.Trace != ""
}
