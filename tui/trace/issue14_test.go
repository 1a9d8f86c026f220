package trace

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/internal/present"
)

// TestServiceCountsAreNeverCut: a million spans of one service is shown
// whole or compact in the services pane, never cut to "1,000," (issue 14).
func TestServiceCountsAreNeverCut(t *testing.T) {
	m, o := newModel(t, dispatchTrace(), 80, 24)
	stats := m.s.rd.an.stats.Services
	for k := range stats {
		if stats[k].Name == "frontend" {
			stats[k].Count, stats[k].Errors = 1_000_000, 123_456
		}
	}
	m = press(t, m, o, "s")
	var row string
	for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
		if strings.Contains(l, "frontend") {
			row = l
		}
	}
	if !strings.Contains(row, " 1.0M ") || !strings.Contains(row, " 123k ") {
		t.Errorf("services row %q: want 1.0M spans and 123k errors", row)
	}
	if strings.Contains(row, "1,000,") {
		t.Errorf("services row %q: the count was cut", row)
	}
}

// TestBadFilterIsAnErrorInTheBox: a filter that does not parse, then
// enter, leaves an error message in the search box's place and no panic
// (issue 14: an index into an empty match list).
func TestBadFilterIsAnErrorInTheBox(t *testing.T) {
	for _, bad := range []string{">", ">10", "<"} {
		m, o := newModel(t, dispatchTrace(), 80, 24)
		keys := []string{"/"}
		for _, r := range bad {
			keys = append(keys, string(r))
		}
		m = press(t, m, o, keys...)
		lines := strings.Split(ansi.Strip(m.View()), "\n")
		if foot := lines[len(lines)-1]; !strings.Contains(foot, "bad duration") {
			t.Errorf("%q while typing: footer %q", bad, foot)
		}
		m = press(t, m, o, "enter")
		lines = strings.Split(ansi.Strip(m.View()), "\n")
		if foot := lines[len(lines)-1]; !strings.Contains(foot, "bad duration") {
			t.Errorf("%q after enter: footer %q", bad, foot)
		}
		press(t, m, o, "n")
		if got := o.lastStatus(); !strings.Contains(got, "bad duration") {
			t.Errorf("%q then n: status %q", bad, got)
		}
	}
}

// TestServiceTableOrdersAsShow: the services pane sorts with the generic
// widget.Table; for every column it orders the services as
// present.ServiceRows does for show, so the two cannot drift apart.
func TestServiceTableOrdersAsShow(t *testing.T) {
	m, o := newModel(t, dispatchTrace(), 120, 40)
	m = press(t, m, o, "s")
	by := map[int]present.ServiceSort{
		svcColSelf: present.BySelf, svcColTotal: present.ByTotal, svcColCount: present.ByCount,
		svcColErrors: present.ByErrors, svcColName: present.ByName,
	}
	for range 5 {
		col := m.s.pane.services.SortBy
		want := present.ServiceRows(m.s.rd.an.stats.Services, by[col])
		got := m.s.pane.services.Rows()
		if len(got) != len(want) {
			t.Fatalf("column %d: %d rows, want %d", col, len(got), len(want))
		}
		for k := range want {
			if got[k].Text != want[k].Name {
				t.Errorf("column %d row %d: %q, show has %q", col, k, got[k].Text, want[k].Name)
			}
		}
		m = press(t, m, o, "o")
	}
}
