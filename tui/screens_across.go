package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/tui/across"
	"github.com/tracetui/tracetui/tui/internal/shell"
	"github.com/tracetui/tracetui/tui/list"
)

// --- analysis across traces ---

type acrossScreen struct{ m across.Model }

func (r *root) newAcross(msg list.AnalyzeMsg) *acrossScreen {
	m := across.New(across.Config{
		Keys: r.keys.Across, Styles: r.styles, Backend: r.opts.Backend, Traces: msg.Traces, Title: msg.Title,
		Requests: shell.NewRequests(r.seq), Ctx: r.ctx, Now: r.now,
	})
	s := &acrossScreen{m: m}
	s.setSize(r.bodySize())
	return s
}

func (s *acrossScreen) init() tea.Cmd { return s.m.Init() }
func (s *acrossScreen) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	s.m, cmd = s.m.Update(msg)
	return cmd
}
func (s *acrossScreen) view() string              { return s.m.View() }
func (s *acrossScreen) setSize(w, h int)          { s.m.SetSize(w, h) }
func (s *acrossScreen) setStyles(st *style.Sheet) { s.m.SetStyles(st) }
func (s *acrossScreen) shortHelp() []key.Binding  { return s.m.ShortHelp() }
func (s *acrossScreen) fullHelp() [][]key.Binding { return s.m.FullHelp() }
func (s *acrossScreen) capturing() bool           { return false }
func (s *acrossScreen) busy() (bool, string)      { return s.m.Busy() }
func (s *acrossScreen) close()                    { s.m.Close() }
func (s *acrossScreen) name() string              { return "analysis" }

// moreAcross is "search more traces" on the analysis: the list below it
// searches again with a doubled limit and, when the traces are back, opens
// their analysis in place of this one. A list that cannot raise its limit
// says why, and the analysis stays.
func (r *root) moreAcross() tea.Cmd {
	n := len(r.stack)
	if n < 2 {
		return nil
	}
	if _, ok := r.stack[n-1].(*acrossScreen); !ok {
		return nil
	}
	ls, ok := r.stack[n-2].(*listScreen)
	if !ok {
		return nil
	}
	cmd, ok := ls.m.MoreThenAnalyze()
	if ok {
		r.pop()
	}
	return cmd
}
