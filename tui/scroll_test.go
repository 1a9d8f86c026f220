package tui

import (
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"

	"github.com/tracetui/tracetui/tui/search"
)

// TestHelpViewDoesNotWriteState: scrolling past the end of the help
// overlay stops at its end in Update, and View only reads the window (it
// used to clamp helpOffset while drawing); one key up then scrolls up at
// once, however far down was pressed.
func TestHelpViewDoesNotWriteState(t *testing.T) {
	d := newDriver(t, Options{Backend: shop()}, 80, 24)
	d.press("enter", "enter", "?")
	for range 100 {
		d.press("j")
	}
	win := d.m.helpWin
	bottom := d.view()
	if d.m.helpWin != win {
		t.Fatalf("View changed the window: %+v then %+v", win, d.m.helpWin)
	}
	d.press("k")
	if d.view() == bottom {
		t.Error("one key up after scrolling past the end did not scroll")
	}
	if d.m.helpWin.Offset != win.Offset-1 {
		t.Errorf("offset %d after one up from %d", d.m.helpWin.Offset, win.Offset)
	}
}

// TestOneSpinnerWhileAListLoads: opening a list starts one spinner, the
// root's (the list ticked one of its own beside it).
func TestOneSpinnerWhileAListLoads(t *testing.T) {
	d := newDriver(t, Options{Backend: shop()}, 80, 24)
	d.m.ticking = false
	_, cmd := d.m.Update(search.SubmitMsg{Spec: search.Spec{Lookback: time.Hour}})
	ticks := 0
	for _, c := range flatten(cmd) {
		if _, ok := c().(spinner.TickMsg); ok {
			ticks++
		}
	}
	if ticks != 1 {
		t.Errorf("%d spinners tick while the list loads, want 1", ticks)
	}
}
