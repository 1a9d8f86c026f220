package list

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestCountsAreNeverCut: a count too wide for its column is shown compact,
// not cut to look like another number (issue 14: 200,001 spans showed as
// "2000…").
func TestCountsAreNeverCut(t *testing.T) {
	s := summaries()[:1]
	s[0].SpanCount, s[0].ErrorCount = 200_001, 12_345
	m := newTestList(t, staticLoad(s))
	m, _ = run(t, m, m.Init())
	row := ""
	for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
		if strings.Contains(l, "GET /checkout") {
			row = l
		}
	}
	if row == "" {
		t.Fatal("no row for the trace")
	}
	if !strings.Contains(row, " 200k ") || !strings.Contains(row, " 12k") {
		t.Errorf("row %q: want the counts compact (200k, 12k)", row)
	}
	if strings.Contains(row, "…") {
		t.Errorf("row %q: a count was cut", row)
	}
}
