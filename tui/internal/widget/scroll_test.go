package widget

import "testing"

func TestWindowKeepsTheCursorOnScreen(t *testing.T) {
	var w Window
	const n, h = 60, 10
	for r := range n {
		w.MoveTo(r, n, h)
		lo, hi := w.Visible(n, h)
		if w.Cursor != r || r < lo || r >= hi || hi-lo != h {
			t.Fatalf("row %d: cursor %d, visible [%d,%d)", r, w.Cursor, lo, hi)
		}
	}
	// Going back up, the window stays until the cursor reaches its top.
	w.Move(-5, n, h)
	if lo, _ := w.Visible(n, h); w.Cursor != 54 || lo != 50 {
		t.Errorf("after moving up 5: cursor %d, window from %d", w.Cursor, lo)
	}
	w.MoveTo(-3, n, h)
	if w.Cursor != 0 || w.Offset != 0 {
		t.Errorf("clamp at the top: %+v", w)
	}
	w.MoveTo(999, n, h)
	if w.Cursor != n-1 || w.Offset != n-h {
		t.Errorf("clamp at the bottom: %+v", w)
	}
	// Fewer rows (a filter): the cursor and the window follow.
	w.Fix(5, h)
	if w.Cursor != 4 || w.Offset != 0 {
		t.Errorf("after shrinking: %+v", w)
	}
	w.Fix(0, h)
	if w.Cursor != 0 || w.Offset != 0 {
		t.Errorf("empty: %+v", w)
	}
}

func TestWindowVisibleDoesNotWrite(t *testing.T) {
	w := Window{Cursor: 13, Offset: 40}
	lo, hi := w.Visible(20, 10)
	if lo != 10 || hi != 20 || w.Offset != 40 {
		t.Errorf("Visible: [%d,%d), offset %d", lo, hi, w.Offset)
	}
	if lo, hi := w.Visible(0, 10); lo != 0 || hi != 0 {
		t.Errorf("no rows: [%d,%d)", lo, hi)
	}
	// A cursor moved without a Fix (new items) is drawn on screen.
	if lo, hi := (Window{Cursor: 30}).Visible(60, 10); lo != 21 || hi != 31 {
		t.Errorf("stale window: [%d,%d)", lo, hi)
	}
}

func TestWindowScroll(t *testing.T) {
	var w Window
	w.Scroll(5, 12, 10)
	if w.Offset != 2 {
		t.Errorf("scroll past the end: offset %d", w.Offset)
	}
	w.Scroll(-9, 12, 10)
	if w.Offset != 0 {
		t.Errorf("scroll past the top: offset %d", w.Offset)
	}
	if above, below := (Window{Cursor: 2, Offset: 2}).More(12, 10); !above || below {
		t.Errorf("More: %v %v", above, below)
	}
}
