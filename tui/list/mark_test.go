package list

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/tui/internal/shell"
)

// space marks the trace under the cursor (a visible mark), again unmarks
// it; D asks to compare the marked trace (A) with the cursor's (B).
func TestMarkAndCompare(t *testing.T) {
	m := loaded(t, summaries())
	first, _ := m.Selected()

	m, out := press(t, m, "D")
	if len(out) != 1 || !out[0].(shell.StatusMsg).Err() || !strings.Contains(out[0].(shell.StatusMsg).Text(), "mark a trace") {
		t.Fatalf("D with nothing marked should say to mark one, got %v", out)
	}
	m, _ = press(t, m, "space")
	if m.Marked() != first.TraceID {
		t.Fatalf("marked %q, want %q", m.Marked(), first.TraceID)
	}
	if v := ansi.Strip(m.View()); strings.Count(v, MarkGlyph) != 1 {
		t.Errorf("the marked row should show %s once:\n%s", MarkGlyph, v)
	}
	m, out = press(t, m, "D")
	if len(out) != 1 || !out[0].(shell.StatusMsg).Err() {
		t.Fatalf("D on the marked trace itself should be refused, got %v", out)
	}
	m, _ = press(t, m, "j")
	second, _ := m.Selected()
	m, out = press(t, m, "D")
	if len(out) != 1 {
		t.Fatalf("D: got %v", out)
	}
	cm, ok := out[0].(CompareMsg)
	if !ok || cm.A.TraceID != first.TraceID || cm.B.TraceID != second.TraceID {
		t.Fatalf("D: got %#v, want A %s B %s", out[0], first.TraceID, second.TraceID)
	}
	if cm.A.RootOperation != first.RootOperation {
		t.Errorf("A should carry its summary, got %+v", cm.A)
	}
	// The mark stays while moving and sorting; space on it again unmarks.
	m, _ = press(t, m, "s", "k")
	m.win.Cursor = 0
	for i, s := range m.Traces() {
		if s.TraceID == first.TraceID {
			m.win.Cursor = i
		}
	}
	m, _ = press(t, m, "space")
	if m.Marked() != "" {
		t.Errorf("space on the marked trace should unmark it, still %q", m.Marked())
	}
	if v := ansi.Strip(m.View()); strings.Contains(v, MarkGlyph) {
		t.Errorf("no mark should be drawn after unmarking:\n%s", v)
	}
}
