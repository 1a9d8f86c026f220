// Package widget holds the parts every screen of the TUI is built from:
// the scroll window of every list (Window), a sortable table pane (Table),
// and a tree with bars on a time axis (the tree guides, fold marks, bar
// cells and axis ticks in treebars.go). They are plain values with methods,
// not Bubble Tea models: the screen that owns one routes keys to it and
// asks it to draw itself at a size (crush's list and bubbles' viewport
// are the models). None does I/O; none imports a backend.
//
// Value or pointer: a widget is a value inside its screen's state and is
// changed through a pointer receiver; methods that only draw take a value
// receiver and never change it (a View must not write state).
package widget

// Window is the scroll state of a list of rows shown some at a time: the
// cursor row and the first row on screen. Every list of the TUI (the trace
// list, the waterfall, the panes, the pickers, the help overlay) scrolls
// with it, so that they all keep the cursor on screen the same way.
//
// The mutating methods (Move, MoveTo, Fix, Scroll) run in Update, with the
// number of rows n and the rows on screen h; Visible is for View: it clamps
// what it draws without writing anything back.
type Window struct {
	Cursor int // the selected row, in [0, n)
	Offset int // the first row on screen
}

// MoveTo puts the cursor on row r (clamped to the rows) and scrolls as
// little as needed to keep it on screen.
func (w *Window) MoveTo(r, n, h int) {
	w.Cursor = r
	w.Fix(n, h)
}

// Move moves the cursor by d rows.
func (w *Window) Move(d, n, h int) { w.MoveTo(w.Cursor+d, n, h) }

// Page is the step of a page up or down: a screen less one row of context.
func Page(h int) int { return max(h-1, 1) }

// Fix clamps the cursor to the rows and scrolls so that it is on screen:
// after the rows or the height changed.
func (w *Window) Fix(n, h int) {
	h = max(h, 1)
	w.Cursor = max(0, min(w.Cursor, n-1))
	if w.Cursor < w.Offset {
		w.Offset = w.Cursor
	}
	if w.Cursor >= w.Offset+h {
		w.Offset = w.Cursor - h + 1
	}
	w.Offset = max(0, min(w.Offset, n-h))
}

// Scroll moves the window by d rows without a cursor (the help overlay),
// keeping it within the rows; the cursor follows the window's top row.
func (w *Window) Scroll(d, n, h int) {
	w.Offset = max(0, min(w.Offset+d, n-max(h, 1)))
	w.Cursor = w.Offset
}

// Visible returns the rows [lo, hi) to draw, h at most: the window as Fix
// would leave it (cursor on screen, offset within the rows), computed on a
// copy. The Window itself is not changed, so a View may call it after the
// rows or the height changed and before the next Update fixes the window.
func (w Window) Visible(n, h int) (lo, hi int) {
	if h <= 0 || n <= 0 {
		return 0, 0
	}
	w.Fix(n, h)
	return w.Offset, min(w.Offset+h, n)
}

// More reports whether rows are hidden above or below the window.
func (w Window) More(n, h int) (above, below bool) {
	lo, hi := w.Visible(n, h)
	return lo > 0, hi < n
}
