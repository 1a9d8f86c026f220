package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/tracetui/tracetui/backend"
)

// openBlocked opens a trace through the lookup box while the backend
// blocks: the commands run in a goroutine and their messages come back on
// the returned channel, for the test to deliver.
func openBlocked(t *testing.T, d *driver, id string) <-chan tea.Msg {
	t.Helper()
	d.press("ctrl+t")
	d.typeText(id)
	model, cmd := d.m.Update(keyMsg("enter"))
	d.m = model.(Model)
	if d.screen() != "trace view" {
		t.Fatalf("lookup opened %s", d.screen())
	}
	out := make(chan tea.Msg, 8)
	go func() {
		for _, c := range flatten(cmd) {
			out <- c()
		}
	}()
	return out
}

// await reads messages until one of type T arrives.
func await[T tea.Msg](t *testing.T, msgs <-chan tea.Msg) T {
	t.Helper()
	for {
		select {
		case m := <-msgs:
			if v, ok := m.(T); ok {
				return v
			}
		case <-time.After(10 * time.Second):
			var zero T
			t.Fatalf("no %T arrived", zero)
			return zero
		}
	}
}

func TestTraceLoadShowsProgressThenAnalysing(t *testing.T) {
	now := testNow
	b := shop()
	b.Progress = func(method string, p *backend.Progress) {
		if method == "trace" {
			p.SetTotal(60 << 20)
			p.Add(12 << 20)
		}
	}
	d := newDriver(t, Options{Backend: b, BackendLabel: "jaeger http://localhost:16686", Now: func() time.Time { return now }}, 80, 24)
	b.Block = make(chan struct{})
	b.Started = make(chan string, 1)
	msgs := openBlocked(t, d, "4bf92f3577b34da6a3ce929d0e0e4736")
	s := d.m.top().(*traceScreen)
	if v := d.view(); !strings.Contains(v, "waiting for the backend · 0.0s") || !strings.Contains(v, "esc cancels") {
		t.Errorf("before any byte:\n%s", v)
	}
	<-b.Started // the fake has counted its bytes
	now = now.Add(2500 * time.Millisecond)
	model, tick := d.m.Update(loadTickMsg{screen: s})
	d.m = model.(Model)
	if tick == nil {
		t.Error("the poll did not re-arm while loading")
	}
	v := d.view()
	for _, want := range []string{"Loading trace 4bf92f3577b34da6a3ce929d0e0e4736", "from jaeger http://localhost:16686", "12.0 MiB of 60.0 MiB (20%) · 2.5s", "████████░░░░"} {
		if !strings.Contains(v, want) {
			t.Errorf("loading view lacks %q:\n%s", want, v)
		}
	}
	// A tick for another screen changes nothing.
	other := &traceScreen{}
	if _, cmd := d.m.Update(loadTickMsg{screen: other}); cmd != nil {
		t.Error("a tick for another screen re-armed")
	}

	close(b.Block)
	loaded := await[lookedUpMsg](t, msgs)
	model, first := d.m.Update(loaded)
	d.m = model.(Model)
	if d.screen() != "trace view" || s.phase != analysing {
		t.Fatalf("after the bytes: screen %s, phase %d", d.screen(), s.phase)
	}
	v = d.view()
	if !strings.Contains(v, "12.0 MiB loaded · analysing… · 2.5s") {
		t.Errorf("analysing view:\n%s", v)
	}
	if busy, label := d.m.busy(); !busy || !strings.Contains(label, "analysing trace") {
		t.Errorf("status bar during analysis: %v %q", busy, label)
	}
	if _, cmd := d.m.Update(loadTickMsg{screen: s}); cmd == nil {
		t.Error("the poll stopped before the first frame")
	}
	// The tree arrives: the trace view draws, and polling stops.
	var tree tea.Msg
	for _, c := range flatten(first) {
		if m, ok := c().(treeReadyMsg); ok {
			tree = m
		}
	}
	if tree == nil {
		t.Fatal("no tree came from the trace view's first command")
	}
	d.send(tree)
	if s.phase != ready {
		t.Fatalf("phase %d after the tree", s.phase)
	}
	if v := d.view(); strings.Contains(v, "analysing") || !strings.Contains(v, "duration 1.24s") {
		t.Errorf("first frame of the trace view:\n%s", v)
	}
	if _, cmd := d.m.Update(loadTickMsg{screen: s}); cmd != nil {
		t.Error("the poll went on after the trace view drew")
	}
}

func TestEscCancelsWhileAnalysing(t *testing.T) {
	b := shop()
	d := newDriver(t, Options{Backend: b}, 80, 24)
	d.press("ctrl+t")
	d.typeText("4bf92f3577b34da6a3ce929d0e0e4736")
	model, cmd := d.m.Update(keyMsg("enter"))
	d.m = model.(Model)
	s := d.m.top().(*traceScreen)
	var loaded tea.Msg
	for _, c := range flatten(cmd) {
		if m, ok := c().(lookedUpMsg); ok {
			loaded = m
		}
	}
	model, first := d.m.Update(loaded)
	d.m = model.(Model)
	if s.phase != analysing {
		t.Fatalf("phase %d", s.phase)
	}
	d.press("esc")
	if d.screen() != "search" || !strings.Contains(statusText(d.view()), "cancelled loading trace") {
		t.Fatalf("esc while analysing: %s %q", d.screen(), statusText(d.view()))
	}
	// The tree arriving late changes nothing.
	for _, c := range flatten(first) {
		d.send(c())
	}
	if d.screen() != "search" {
		t.Errorf("a late tree reopened the trace: %s", d.screen())
	}
}

func TestByteSizeAndElapsed(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 12 << 20: "12.0 MiB", 3 << 30: "3.0 GiB"} {
		if got := byteSize(n); got != want {
			t.Errorf("byteSize(%d) = %q, want %q", n, got, want)
		}
	}
	for d, want := range map[time.Duration]string{0: "0.0s", 2549 * time.Millisecond: "2.5s", -time.Second: "0.0s", 90 * time.Second: "1m30s"} {
		if got := elapsedText(d); got != want {
			t.Errorf("elapsedText(%v) = %q, want %q", d, got, want)
		}
	}
	if got := progressBar(30, 20, 4); got != "████" {
		t.Errorf("overfull bar %q", got)
	}
}

// tracetui TRACE_ID starts loading before the terminal reports its
// background: the trace view must still be built for that background.
func TestTraceLoadingFollowsBackground(t *testing.T) {
	b := shop()
	d := newDriver(t, Options{Backend: b}, 80, 24)
	b.Block = make(chan struct{})
	b.Started = make(chan string, 1)
	msgs := openBlocked(t, d, "4bf92f3577b34da6a3ce929d0e0e4736")
	s := d.m.top().(*traceScreen)
	d.send(tea.BackgroundColorMsg{Color: whiteColor{}})
	if s.cfg.Dark {
		t.Error("a loading trace kept the dark background")
	}
	close(b.Block)
	await[lookedUpMsg](t, msgs)
}
