package widget

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func testTable() *Table {
	t := &Table{Columns: []Column{
		{Title: "service", MinWidth: 6, Sort: true, Text: true},
		{Title: "count", Width: 6, Right: true, Sort: true},
		{Title: "self", Width: 7, Right: true, Sort: true},
	}, SortBy: 2}
	t.SetRows([]Row{
		{Cells: []string{"api", "3", "5ms"}, Keys: []int64{0, 3, 5}, Text: "api", Data: 0},
		{Cells: []string{"payment-service", "1", "9ms"}, Keys: []int64{0, 1, 9}, Text: "payment-service", Data: 1},
		{Cells: []string{"db", "3", "5ms"}, Keys: []int64{0, 3, 5}, Text: "db", Data: 2},
	})
	return t
}

func order(t *Table) string {
	var out []string
	for _, r := range t.Rows() {
		out = append(out, r.Text)
	}
	return strings.Join(out, ",")
}

func TestTableSorts(t *testing.T) {
	tb := testTable()
	if got := order(tb); got != "payment-service,api,db" {
		t.Errorf("by self: %s", got)
	}
	tb.NextSort() // wraps to the text column
	if got := order(tb); tb.SortBy != 0 || got != "api,db,payment-service" {
		t.Errorf("by name: %d %s", tb.SortBy, got)
	}
	tb.NextSort()
	if got := order(tb); got != "api,db,payment-service" {
		t.Errorf("by count, ties by name: %s", got)
	}
}

func TestTableCursorFollowsItsRow(t *testing.T) {
	tb := testTable()
	tb.Move(2, 10)
	r, _ := tb.Selected()
	tb.SetRows(append([]Row(nil), tb.Rows()...))
	if r2, ok := tb.Selected(); !ok || r2.Data != r.Data {
		t.Errorf("cursor moved from %d to %d", r.Data, r2.Data)
	}
}

func TestTableLinesFit(t *testing.T) {
	tb := testTable()
	for _, w := range []int{80, 30, 20, 5} {
		lines := []string{tb.Header(w)}
		for k := range tb.Len() {
			lines = append(lines, tb.Line(k, "*", w))
		}
		for _, l := range lines {
			if ansi.StringWidth(l) > w {
				t.Errorf("%d wide: %q is %d", w, l, ansi.StringWidth(l))
			}
		}
	}
	if h := tb.Header(40); !strings.Contains(h, "self▼") {
		t.Errorf("header %q does not mark the sort column", h)
	}
	if l := tb.Line(0, "*", 40); !strings.HasPrefix(l, "*payment-service") || !strings.HasSuffix(l, "9ms") {
		t.Errorf("line %q", l)
	}
}

func TestTableCycle(t *testing.T) {
	tb := testTable()
	tb.Cycle = []int{2, 1, 0}
	tb.NextSort()
	if tb.SortBy != 1 {
		t.Errorf("after self: %d", tb.SortBy)
	}
	tb.NextSort()
	tb.NextSort()
	if tb.SortBy != 2 {
		t.Errorf("the cycle does not wrap: %d", tb.SortBy)
	}
}
