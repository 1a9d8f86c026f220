package widget

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/internal/present"
	"github.com/tracetui/tracetui/internal/style"
)

// ccTree is a tree that is not a trace: the kind of aggregated tree an
// analysis across traces draws (a calling context: nodes with a parent and
// a depth), to show the guides need nothing of a trace.
type ccTree struct {
	parent []int32
	depth  []int
	last   []bool
}

func (c ccTree) Parent(i int32) int32     { return c.parent[i] }
func (c ccTree) Depth(i int32) int        { return c.depth[i] }
func (c ccTree) LastVisible(i int32) bool { return c.last[i] }

func TestGuidesOnAnyTree(t *testing.T) {
	//	0 gateway
	//	├─1 orders
	//	│ └─2 db
	//	└─3 payment
	tr := ccTree{
		parent: []int32{-1, 0, 1, 0},
		depth:  []int{0, 1, 2, 1},
		last:   []bool{true, false, true, true},
	}
	var g GuideWalk
	want := []string{"", "├─", "│ └─", "└─"}
	for i, w := range want {
		got, width := g.Guides(tr, int32(i), 40)
		if got != w || width != ansi.StringWidth(w) {
			t.Errorf("node %d: %q (%d), want %q", i, got, width, w)
		}
	}
}

func TestBarsTicksAndNames(t *testing.T) {
	cells := make([]present.Cell, 20)
	ax := present.Axis{Lo: 0, Hi: 100, Width: 20}
	var b strings.Builder
	from, to := present.Bar(cells, ax, 25, 75)
	present.MarkCritical(cells, ax, from, to, 50, 75)
	PaintBar(&b, cells, style.Paint{}, style.Paint{})
	if got := b.String(); got != "     ▒▒▒▒▒█████     " {
		t.Errorf("bar %q", got)
	}
	if got := Ticks(40, 0, 1000, 0); ansi.StringWidth(got) != 40 || !strings.HasPrefix(got, "0") {
		t.Errorf("ticks %q", got)
	}
	a, aw, c, cw := FitPair("inventory-service", 17, "reserve", 7, 16)
	if aw+1+cw > 16 || a == "" || c == "" {
		t.Errorf("FitPair: %q %q", a, c)
	}
	if FoldMark(true, true, false) != present.FoldedMark || FoldMark(false, false, true) != present.RootLeafMark {
		t.Error("FoldMark")
	}
}
