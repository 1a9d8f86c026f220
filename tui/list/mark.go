package list

import (
	tea "charm.land/bubbletea/v2"

	"github.com/tracetui/tracetui/backend"
)

// MarkGlyph is drawn beside the trace marked for a comparison.
const MarkGlyph = "◆"

// Marked returns the trace marked for a comparison, or "".
func (m Model) Marked() backend.TraceID { return m.marked }

// toggleMark marks the trace under the cursor, or unmarks it when it is the
// marked one (only one trace is marked: a comparison has two sides, and the
// cursor names the other).
func (m *Model) toggleMark() tea.Cmd {
	s, ok := m.Selected()
	if !ok {
		return nil
	}
	if m.marked == s.TraceID {
		m.marked = ""
		return statusCmd("unmarked "+s.TraceID.Short(), false)
	}
	m.marked = s.TraceID
	return statusCmd("marked "+s.TraceID.Short()+" as A: move to another trace and press "+
		helpKey(m.cfg.Keys.Compare)+" to compare", false)
}

// compare asks for the comparison of the marked trace (A) with the one
// under the cursor (B).
func (m *Model) compare() tea.Cmd {
	b, ok := m.Selected()
	if !ok {
		return nil
	}
	k := helpKey(m.cfg.Keys.Mark)
	switch {
	case m.marked == "":
		return statusCmd("mark a trace with "+k+" first, then press "+helpKey(m.cfg.Keys.Compare)+" on another", true)
	case m.marked == b.TraceID:
		return statusCmd("this is the marked trace: move to another one to compare", true)
	}
	a := backend.TraceSummary{TraceID: m.marked}
	for _, r := range m.rows {
		if r.sum.TraceID == m.marked {
			a = r.sum
			break
		}
	}
	return func() tea.Msg { return CompareMsg{A: a, B: b} }
}
