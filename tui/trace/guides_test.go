package trace

import (
	"strings"
	"testing"

	"github.com/tracetui/tracetui/tui/internal/widget"
)

// naiveGuides is the obvious definition: walk up the parents of every row.
func naiveGuides(s *waterfall, i int32, nameW int) string {
	d := int(s.relDepth(i))
	if d <= 0 {
		return ""
	}
	maxLevels := max((nameW-10)/2, 1)
	cut := d > maxLevels
	levels := min(d, maxLevels)
	if cut {
		levels = max(maxLevels-1, 1)
	}
	parts := []string{"├─"}
	if s.lastVis[i] {
		parts[0] = "└─"
	}
	a := s.rd.td.tree.Parent[i]
	for k := 1; k < levels; k++ {
		if s.lastVis[a] {
			parts = append(parts, "  ")
		} else {
			parts = append(parts, "│ ")
		}
		a = s.rd.td.tree.Parent[a]
	}
	var b strings.Builder
	if cut {
		b.WriteString("⋯ ")
	}
	for k := len(parts) - 1; k >= 0; k-- {
		b.WriteString(parts[k])
	}
	return b.String()
}

// TestGuideWalkMatchesNaive draws windows of rows starting anywhere, in
// trees folded, filtered and re-rooted, at several name widths.
func TestGuideWalkMatchesNaive(t *testing.T) {
	m, o := newModel(t, genTrace(1500, 3), 120, 40)
	states := [][]string{nil, {"-"}, {"x"}, {"G", "p", "p", "R"}, {"4"}}
	for _, keys := range states {
		mm := press(t, m, o, keys...)
		s := &mm.s.wf
		for _, nameW := range []int{12, 16, 30, 60} {
			for start := 0; start < len(s.rows); start += 97 {
				var g widget.GuideWalk
				for r := start; r < min(start+60, len(s.rows)); r++ {
					i := s.rows[r]
					got, w := g.Guides(guideTree{s}, i, nameW)
					if want := naiveGuides(s, i, nameW); got != want {
						t.Fatalf("keys %q width %d row %d: %q, want %q", keys, nameW, r, got, want)
					}
					if w != len([]rune(got)) {
						t.Fatalf("width %d for %q", w, got)
					}
				}
			}
		}
		press(t, mm, o, "esc", "esc", "esc", "0")
	}
}
