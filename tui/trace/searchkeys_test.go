package trace

import (
	"testing"
	"time"

	"charm.land/bubbles/v2/key"

	"github.com/tracetui/tracetui/keymap"
)

// TestSearchBoxKeysFollowTheKeymap: the search box's accept and cancel
// keys are the keymap's (they were enter and esc whatever the config said).
func TestSearchBoxKeysFollowTheKeymap(t *testing.T) {
	keys := keymap.DefaultTrace()
	keys.SearchAccept = key.NewBinding(key.WithKeys("ctrl+j"), key.WithHelp("ctrl+j", "done"))
	keys.SearchCancel = key.NewBinding(key.WithKeys("ctrl+g"), key.WithHelp("ctrl+g", "clear"))
	m := New(Config{Keys: keys, Dark: true, Now: func() time.Time { return now }, Location: time.UTC}, dispatchTrace())
	m.SetSize(80, 24)
	o := &outcome{}
	m = run(t, m, m.Init(), o)
	m = press(t, m, o, "/", "r", "e", "d", "i", "s", "ctrl+j")
	if m.Capturing() || m.s.box.query != "redis" {
		t.Fatalf("ctrl+j: capturing %v, query %q", m.Capturing(), m.s.box.query)
	}
	m = press(t, m, o, "/", "x", "ctrl+g")
	if m.Capturing() || m.s.box.query != "" {
		t.Fatalf("ctrl+g: capturing %v, query %q", m.Capturing(), m.s.box.query)
	}
	m = press(t, m, o, "/")
	if h := m.ShortHelp(); len(h) != 2 || h[0].Help().Key != "ctrl+j" || h[1].Help().Key != "ctrl+g" {
		t.Errorf("help while typing: %+v", h)
	}
}
