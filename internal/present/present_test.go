package present

import (
	"math"
	"strings"
	"testing"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend"
)

func TestPercent(t *testing.T) {
	for _, c := range []struct {
		part, whole int64
		want        string
	}{{1, 4, "25.0%"}, {0, 10, "0.0%"}, {5, 0, "-"}, {5, -1, "-"}, {247, 261, "94.6%"}} {
		if got := Percent(c.part, c.whole); got != c.want {
			t.Errorf("Percent(%d, %d) = %q, want %q", c.part, c.whole, got, c.want)
		}
	}
	if got := Share(0.95); got != "95.0%" {
		t.Errorf("Share(0.95) = %q", got)
	}
}

func TestSaturated(t *testing.T) {
	if Add(math.MaxInt64, 1) != math.MaxInt64 || Add(math.MinInt64, -1) != math.MinInt64 || Add(2, 3) != 5 {
		t.Error("Add does not saturate")
	}
	if Sub(math.MinInt64, 1) != math.MinInt64 || Sub(math.MaxInt64, -1) != math.MaxInt64 || Sub(5, 3) != 2 {
		t.Error("Sub does not saturate")
	}
	if SpanEnd(math.MaxInt64-5, 10) != math.MaxInt64 || SpanEnd(10, -3) != 10 {
		t.Error("SpanEnd")
	}
}

func TestPaletteIndexFollowsTheName(t *testing.T) {
	a, b := PaletteIndex(Hue("payment-service"), 10), PaletteIndex(Hue("payment-service"), 10)
	if a != b || a < 0 || a >= 10 {
		t.Errorf("index %d then %d", a, b)
	}
	if PaletteIndex(Hue("x"), 0) != 0 {
		t.Error("an empty palette")
	}
}

func TestBar(t *testing.T) {
	cells := make([]Cell, 10)
	a := Axis{Lo: 0, Hi: 100, Width: 10}
	from, to := Bar(cells, a, 20, 50)
	if from != 2 || to != 5 {
		t.Errorf("covered [%d,%d)", from, to)
	}
	MarkSections(cells, a, from, to, []analysis.Section{{Start: 30, End: 40}})
	var b strings.Builder
	Runs(cells, func(c Cell, n int) { b.WriteString(strings.Repeat(c.Glyph(), n)) })
	if got := b.String(); got != "  ▒█▒     " {
		t.Errorf("bar %q", got)
	}
	// A zero-length span still shows; spans off the axis leave a mark.
	if from, to := Bar(cells, a, 55, 55); to-from != 1 {
		t.Errorf("zero-length span covers %d cells", to-from)
	}
	Bar(cells, a, -50, -10)
	if cells[0] != CellBefore {
		t.Errorf("before the axis: %v", cells)
	}
	Bar(cells, a, 200, 300)
	if cells[9] != CellAfter {
		t.Errorf("after the axis: %v", cells)
	}
}

// TestManySections: with far more sections than cells, marking per cell
// gives the same bar as marking each section.
func TestManySections(t *testing.T) {
	a := Axis{Lo: 0, Hi: 1000, Width: 10}
	var own []analysis.Section
	for s := int64(0); s < 1000; s += 40 {
		own = append(own, analysis.Section{Start: s, End: s + 10})
	}
	few, many := make([]Cell, 10), make([]Cell, 10)
	f, z := Bar(few, a, 0, 1000)
	for _, s := range own {
		MarkCritical(few, a, f, z, s.Start, s.End)
	}
	Bar(many, a, 0, 1000)
	MarkSections(many, a, f, z, own)
	for k := range few {
		if few[k] != many[k] {
			t.Fatalf("cell %d: %v by section, %v per cell", k, few[k], many[k])
		}
	}
}

func TestCriticalBySpan(t *testing.T) {
	cp := &analysis.CriticalPath{
		Sections: []analysis.Section{{Span: 0, Start: 0, End: 1}, {Span: 1, Start: 1, End: 5}, {Span: 0, Start: 5, End: 6}, {Span: 2, Start: 6, End: 8}},
		SpanTime: []int64{2, 4, 2},
		Spans:    []int32{0, 1, 2},
	}
	got := CriticalBySpan(cp)
	want := []CriticalSpan{{1, 4, 1}, {0, 2, 2}, {2, 2, 1}}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	var sum int64
	for k := range want {
		if got[k] != want[k] {
			t.Errorf("row %d: %+v, want %+v", k, got[k], want[k])
		}
		sum += got[k].Time
	}
	if sum != 8 {
		t.Errorf("the rows add up to %d, the path is 8", sum)
	}
}

func TestServiceRows(t *testing.T) {
	st := []analysis.ServiceStat{{Name: "b", Count: 1, Self: 5, Total: 9}, {Name: "a", Count: 3, Self: 5, Total: 1, Errors: 2}}
	if got := ServiceRows(st, BySelf); got[0].Name != "a" {
		t.Errorf("by self, ties by name: %v", got)
	}
	if got := ServiceRows(st, ByTotal); got[0].Name != "b" {
		t.Errorf("by total: %v", got)
	}
	if got := ServiceRows(st, ByErrors); got[0].Name != "a" {
		t.Errorf("by errors: %v", got)
	}
	if SelfTotal(st) != 10 || ByName.Next() != BySelf {
		t.Error("SelfTotal or Next")
	}
}

func TestOperationRows(t *testing.T) {
	ops := []analysis.OperationStat{
		{Service: "b", Name: "x", Self: 5, Count: 1}, {Service: "a", Name: "y", Self: 5, Count: 2}, {Service: "a", Name: "x", Self: 1, Count: 9},
	}
	got := OperationRows(ops, BySelf)
	if got[0].Service != "a" || got[0].Name != "y" || got[2].Name != "x" || got[2].Service != "a" {
		t.Errorf("by self: %+v", got)
	}
	if got := OperationRows(ops, ByName); got[0].Service != "a" || got[0].Name != "x" || got[2].Service != "b" {
		t.Errorf("by name: %+v", got)
	}
	if got := OperationRows(ops, ByCount); got[0].Count != 9 {
		t.Errorf("by count: %+v", got)
	}
}

func TestSpanStatus(t *testing.T) {
	cases := []struct {
		name string
		span backend.Span
		want string
	}{
		{"nothing", backend.Span{}, ""},
		{"ok", backend.Span{Status: backend.Status{Code: backend.StatusOK}}, "ok"},
		{"status error", backend.Span{Error: true, Status: backend.Status{Code: backend.StatusError, Message: "redis timeout"}}, "error: redis timeout"},
		// A span failed by its error tag alone says why, as `show` does.
		{"error tag", backend.Span{Error: true, Tags: []backend.KeyValue{backend.String("error", "payment declined")}}, "error (tag): payment declined"},
		{"error flag only", backend.Span{Error: true}, "error (tag)"},
	}
	for _, c := range cases {
		if got := SpanStatus(&c.span); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
