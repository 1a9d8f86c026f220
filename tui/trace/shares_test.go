package trace

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// twoRootsTrace outlasts its roots: a child on a skewed host ends 50 ms
// after its parent, and an orphan (a second root) comes later. The trace
// is 260 ms long; the critical path 100 + 60 = 160 ms.
func twoRootsTrace() []spanSpec {
	return []spanSpec{
		{id: "1", service: "frontend", op: "GET /", start: 0, dur: 100},
		{id: "2", parent: "1", service: "backend", op: "work", start: 10, dur: 140},
		{id: "3", parent: "99", service: "worker", op: "late", start: 200, dur: 60},
	}
}

// paneShares parses the percentage in field k (negative: from the end) of
// each pane line from the first; "-" and lines without one are skipped.
func paneShares(t *testing.T, lines []string, k int) []float64 {
	t.Helper()
	var out []float64
	for _, l := range lines {
		f := strings.Fields(l)
		i := k
		if i < 0 {
			i += len(f)
		}
		if i < 0 || i >= len(f) || !strings.HasSuffix(f[i], "%") {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSuffix(f[i], "%"), 64)
		if err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		out = append(out, v)
	}
	return out
}

func sumTo100(t *testing.T, what string, shares []float64, lines []string) {
	t.Helper()
	sum := 0.0
	for _, v := range shares {
		if v < 0 || v > 100 {
			t.Fatalf("%s: share %v%%\n%s", what, v, strings.Join(lines, "\n"))
		}
		sum += v
	}
	if len(shares) == 0 || math.Abs(sum-100) > 0.05*float64(len(shares))+1e-6 {
		t.Fatalf("%s: %d shares sum to %v%%\n%s", what, len(shares), sum, strings.Join(lines, "\n"))
	}
}

// TestPaneSharesAddUp: the critical-path pane divides by the path's length
// (which its summary line names) and the services pane by all spans' self
// time (10 + 140 + 60 ms), so that each pane's shares add up to 100% on a trace that outlasts
// its roots, where dividing by the trace's duration gave about 62%.
func TestPaneSharesAddUp(t *testing.T) {
	m, o := newModel(t, buildTrace("00000000000000000000000000000a11", twoRootsTrace()), 120, 40)
	m = press(t, m, o, "c")
	lines := paneText(m)
	if !strings.Contains(lines[0], "160ms = 100%") {
		t.Fatalf("summary does not name the path's length as 100%%: %q", lines[0])
	}
	sumTo100(t, "critical by time", paneShares(t, lines[1:], 1), lines)
	m = press(t, m, o, "o")
	lines = paneText(m)
	sumTo100(t, "critical by span", paneShares(t, lines[1:], 1), lines)

	m = press(t, m, o, "s")
	lines = paneText(m)
	sumTo100(t, "services self%", paneShares(t, lines[1:], -1), lines)
	if title := m.s.paneTitle(); !strings.Contains(title, "self% of 210ms self time") {
		t.Fatalf("services title %q does not name the denominator", title)
	}

	// The detail pane's critical share has the same denominator.
	var crit string
	for _, l := range detailLines(&m.s.pane, m.s.paneCtx(), 2, 100) {
		if strings.Contains(l.text, "critical path") {
			crit = l.text
		}
	}
	if !strings.Contains(crit, "60ms (37.5% of critical path)") {
		t.Fatalf("detail critical row %q, want 60ms of 160ms", crit)
	}
}
