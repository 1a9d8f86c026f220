package search

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/internal/testkit/fakebackend"
	"github.com/tracetui/tracetui/keymap"
)

// TestPickerScrollKeepsItsWindow: with 60 services, going down past the
// panel's bottom and then back up moves the cursor up the screen while the
// window stays (issue 9: View scrolled a copy of the picker, so the window
// was recomputed from the top at every frame and the cursor stuck to the
// bottom row).
func TestPickerScrollKeepsItsWindow(t *testing.T) {
	b := fakebackend.Shop(testNow)
	b.ServiceList = nil
	for i := range 60 {
		b.ServiceList = append(b.ServiceList, fmt.Sprintf("svc-%02d", i))
	}
	m := newForm(t, b)
	keys := make([]string, 0, 40)
	for range 40 {
		keys = append(keys, "down")
	}
	m, _ = press(t, m, keys...)
	before := cursorLine(t, m.View())
	m, _ = press(t, m, "up", "up", "up")
	after := cursorLine(t, m.View())
	if after != before-3 {
		t.Errorf("after 3 ups the cursor is on screen line %d, want %d (it was on %d)", after, before-3, before)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "▸ svc-36") {
		t.Errorf("cursor not on svc-36:\n%s", v)
	}
}

// cursorLine is the screen line of the picker's cursor (the panel's "▸ ").
func cursorLine(t *testing.T, view string) int {
	t.Helper()
	for k, l := range strings.Split(ansi.Strip(view), "\n") {
		if i := strings.Index(l, "▸ svc-"); i >= 0 {
			return k
		}
	}
	t.Fatalf("no picker cursor in:\n%s", ansi.Strip(view))
	return -1
}

// TestRetryHintFollowsTheKeymap: the hint under a load error names the
// reload key the user has, not a fixed ctrl+r.
func TestRetryHintFollowsTheKeymap(t *testing.T) {
	b := fakebackend.Shop(testNow)
	b.Errs = map[string]error{"services": errors.New("connection refused")}
	keys := keymap.DefaultSearch()
	keys.Reload = key.NewBinding(key.WithKeys("f5"), key.WithHelp("f5", "reload services"))
	st := style.New(true)
	m := New(Config{Keys: keys, Styles: st, Backend: b, Now: func() time.Time { return testNow }})
	m.SetSize(80, 21)
	m, _ = run(t, m, m.Init())
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "f5 retries") || strings.Contains(v, "ctrl+r") {
		t.Errorf("hint does not name f5:\n%s", v)
	}
}
