package compare

import (
	"context"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/demo"
	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/internal/testkit/keytest"
	"github.com/tracetui/tracetui/keymap"
)

// The generated pairs of the tests: the demo's checkout, and the same
// request with a slow database call or with a retried call (as in the
// analysis tests of Compare).

var demoNow = time.Unix(1_800_000_000, 0)

func demoBackend() *demo.Backend { return demo.New(demoNow) }

func demoTrace(t *testing.T, id backend.TraceID) *backend.Trace {
	t.Helper()
	tr, err := demoBackend().Trace(context.Background(), id, backend.TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// newModel builds a comparison of a and b (given, not fetched) at w×h.
func newModel(t *testing.T, a, b *backend.Trace, w, h int) Model {
	t.Helper()
	cfg := Config{Keys: keymap.DefaultCompare(), Styles: style.New(true), Backend: demoBackend(),
		Now: func() time.Time { return demoNow }}
	if a != nil {
		cfg.A = Side{ID: a.ID, Trace: a}
	}
	if b != nil {
		cfg.B = Side{ID: b.ID, Trace: b}
	}
	m := New(cfg)
	m.SetSize(w, h)
	m, _ = run(t, m, m.Init())
	return m
}

// run executes cmd and feeds the screen's own messages back, as the
// program would; it returns the messages meant for the root.
func run(t *testing.T, m Model, cmd tea.Cmd) (Model, []tea.Msg) {
	t.Helper()
	var out []tea.Msg
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case loadedMsg, comparedMsg:
			var next tea.Cmd
			m, next = m.Update(msg)
			queue = append(queue, next)
		case nil:
		default:
			out = append(out, msg)
		}
	}
	return m, out
}

func press(t *testing.T, m Model, keys ...string) (Model, []tea.Msg) {
	t.Helper()
	var all []tea.Msg
	for _, k := range keys {
		var cmd tea.Cmd
		m, cmd = m.Update(keytest.Press(k))
		var out []tea.Msg
		m, out = run(t, m, cmd)
		all = append(all, out...)
	}
	return m, all
}
