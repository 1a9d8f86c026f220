package compare

import (
	"context"
	"fmt"
	"slices"
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

func findSpan(t *testing.T, tr *backend.Trace, service, op string) int {
	t.Helper()
	for i := range tr.Spans {
		if tr.Spans[i].Service == service && tr.Spans[i].Operation == op {
			return i
		}
	}
	t.Fatalf("no span %s %s", service, op)
	return -1
}

func ancestors(tr *backend.Trace, i int) map[int]bool {
	byID := map[backend.SpanID]int{}
	for k := range tr.Spans {
		byID[tr.Spans[k].SpanID] = k
	}
	out := map[int]bool{}
	for p, ok := byID[tr.Spans[i].ParentID]; ok && !out[p]; p, ok = byID[tr.Spans[p].ParentID] {
		out[p] = true
	}
	return out
}

// slowDown makes span i take extra ns longer: its ancestors end later by
// as much and everything that started after it ended moves along.
func slowDown(tr *backend.Trace, i int, extra int64) *backend.Trace {
	c := &backend.Trace{ID: "b0" + tr.ID[2:], Spans: slices.Clone(tr.Spans)}
	end := tr.Spans[i].End()
	anc := ancestors(tr, i)
	for k := range c.Spans {
		s := &c.Spans[k]
		switch {
		case k == i || anc[k]:
			s.Duration += extra
		case s.Start >= end:
			s.Start += extra
		}
	}
	return c
}

// withRetry makes span i fail and repeats its subtree right after it.
func withRetry(tr *backend.Trace, i int) *backend.Trace {
	d, end := tr.Spans[i].Duration, tr.Spans[i].End()
	c := slowDown(tr, i, 0)
	c.ID = "c0" + tr.ID[2:]
	anc := ancestors(tr, i)
	for k := range c.Spans {
		s := &c.Spans[k]
		switch {
		case anc[k]:
			s.Duration += d
		case s.Start >= end:
			s.Start += d
		}
	}
	in := map[backend.SpanID]bool{tr.Spans[i].SpanID: true}
	for changed := true; changed; {
		changed = false
		for k := range tr.Spans {
			s := &tr.Spans[k]
			if !in[s.SpanID] && in[s.ParentID] {
				in[s.SpanID], changed = true, true
			}
		}
	}
	newID := map[backend.SpanID]backend.SpanID{}
	for k := range tr.Spans {
		if in[tr.Spans[k].SpanID] {
			newID[tr.Spans[k].SpanID] = backend.SpanID(fmt.Sprintf("%016x", 0xabc000+k))
		}
	}
	for k := range tr.Spans {
		s := tr.Spans[k]
		if !in[s.SpanID] {
			continue
		}
		s.SpanID = newID[s.SpanID]
		if p, ok := newID[s.ParentID]; ok {
			s.ParentID = p
		}
		s.References = []backend.Ref{{Type: backend.RefChildOf, TraceID: s.TraceID, SpanID: s.ParentID}}
		s.Start += d
		c.Spans = append(c.Spans, s)
	}
	c.Spans[i].Error = true
	return c
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
