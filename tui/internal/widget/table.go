package widget

import (
	"cmp"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Column is a column of a Table.
type Column struct {
	Title string
	// Width is the column's width in cells; 0 makes it flexible: it takes
	// what the fixed columns leave (at least MinWidth).
	Width, MinWidth int
	// Right aligns the column to the right (numbers).
	Right bool
	// Sort makes the column a sort key: numbers largest first by the rows'
	// Keys, text A to Z by the rows' Text.
	Sort bool
	// Text marks the text column: sorting by it is by Row.Text.
	Text bool
}

// Row is a row of a Table: its cells (cleaned text; they may hold the
// caller's styles), one sort key per column for the number columns, the
// text it sorts by (and ties break on), and a payload for the caller
// (what enter acts on: a service, a span, an operation).
type Row struct {
	Cells []string
	Keys  []int64
	Text  string
	Data  int
}

// Table is a sortable table pane: a header, rows sorted by the sort
// column, a cursor and a scroll window. The caller routes keys to it (Move,
// NextSort) and asks for the row under the cursor on enter (Selected);
// Lines draws it at a width. It does not know what its rows are.
type Table struct {
	Columns []Column
	// SortBy is the column the rows are sorted by.
	SortBy int
	// Cycle lists the sort columns in the order NextSort visits them; nil
	// visits the sortable columns left to right.
	Cycle []int
	rows  []Row
	Win   Window
}

// SetRows replaces the rows and sorts them; the cursor stays on the row
// with the same Data when there is one.
func (t *Table) SetRows(rows []Row) {
	keep, had := t.Selected()
	t.rows = rows
	t.sort()
	if had {
		for k, r := range t.rows {
			if r.Data == keep.Data {
				t.Win.Cursor = k
			}
		}
	}
}

// Len is the number of rows.
func (t *Table) Len() int { return len(t.rows) }

// Rows returns the rows in display order.
func (t *Table) Rows() []Row { return t.rows }

// NextSort sorts by the next sortable column, cycling, and puts the cursor
// on the first row.
func (t *Table) NextSort() {
	if len(t.Cycle) > 0 {
		at := 0
		for k, c := range t.Cycle {
			if c == t.SortBy {
				at = k
			}
		}
		t.SortBy = t.Cycle[(at+1)%len(t.Cycle)]
		t.sort()
		t.Win = Window{}
		return
	}
	for k := 1; k <= len(t.Columns); k++ {
		c := (t.SortBy + k) % len(t.Columns)
		if t.Columns[c].Sort {
			t.SortBy = c
			break
		}
	}
	t.sort()
	t.Win = Window{}
}

// sort orders the rows by the sort column: numbers largest first, text A
// to Z; ties by Text, so that the order is total.
func (t *Table) sort() {
	if t.SortBy < 0 || t.SortBy >= len(t.Columns) {
		return
	}
	col, text := t.SortBy, t.Columns[t.SortBy].Text
	slices.SortStableFunc(t.rows, func(a, b Row) int {
		c := 0
		if !text && col < len(a.Keys) && col < len(b.Keys) {
			c = cmp.Compare(b.Keys[col], a.Keys[col])
		}
		if c == 0 {
			c = strings.Compare(a.Text, b.Text)
		}
		return c
	})
}

// Selected is the row under the cursor.
func (t *Table) Selected() (Row, bool) {
	if t.Win.Cursor < 0 || t.Win.Cursor >= len(t.rows) {
		return Row{}, false
	}
	return t.rows[t.Win.Cursor], true
}

// Move moves the cursor by d rows in a window of h rows.
func (t *Table) Move(d, h int) { t.Win.Move(d, len(t.rows), h) }

// widths sizes the columns for a width: fixed columns as asked, the
// flexible one the rest; one space between columns.
func (t Table) widths(width int) []int {
	ws := make([]int, len(t.Columns))
	flex, used := -1, 0
	for k, c := range t.Columns {
		if c.Width == 0 && flex < 0 {
			flex = k
			continue
		}
		ws[k] = c.Width
		used += c.Width + 1
	}
	if flex >= 0 {
		ws[flex] = max(width-used-1, t.Columns[flex].MinWidth, 1)
	}
	return ws
}

// Header is the header line at a width: titles aligned as their columns,
// the sort column marked (▼ largest first, ▲ A to Z).
func (t Table) Header(width int) string {
	ws := t.widths(width)
	cells := make([]string, len(t.Columns))
	for k, c := range t.Columns {
		title := c.Title
		if k == t.SortBy {
			if c.Text {
				title += "▲"
			} else {
				title += "▼"
			}
		}
		cells[k] = align(title, ws[k], c.Right)
	}
	return ansi.Truncate(" "+strings.Join(cells, " "), width, "")
}

// Line is row k at a width, each cell cut or padded to its column; mark
// (one cell) leads the line, for a caller's flag such as "*".
func (t Table) Line(k int, mark string, width int) string {
	ws := t.widths(width)
	r := t.rows[k]
	cells := make([]string, len(t.Columns))
	for c, col := range t.Columns {
		text := ""
		if c < len(r.Cells) {
			text = r.Cells[c]
		}
		cells[c] = align(text, ws[c], col.Right)
	}
	if mark == "" {
		mark = " "
	}
	return ansi.Truncate(mark+strings.Join(cells, " "), width, "")
}

// align cuts text (with an ellipsis) or pads it to w cells.
func align(text string, w int, right bool) string {
	if ansi.StringWidth(text) > w {
		text = ansi.Truncate(text, w, "…")
	}
	if right {
		return PadLeft(text, w)
	}
	return PadRight(text, w)
}
