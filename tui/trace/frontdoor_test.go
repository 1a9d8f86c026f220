package trace

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/links"
	"github.com/tracetui/tracetui/keymap"
)

// newModelWith is newModel with a config changed by fn.
func newModelWith(t *testing.T, tr *backend.Trace, w, h int, fn func(*Config)) (Model, *outcome) {
	t.Helper()
	cfg := Config{Keys: keymap.DefaultTrace(), Dark: true, Now: func() time.Time { return now }, Location: time.UTC}
	fn(&cfg)
	m := New(cfg, tr)
	m.SetSize(w, h)
	o := &outcome{}
	m = run(t, m, m.Init(), o)
	return m, o
}

func TestGivenSpanIsSelectedWithItsDetail(t *testing.T) {
	m, o := newModelWith(t, dispatchTrace(), 80, 24, func(c *Config) { c.Span = backend.SpanIDFromWire("6") })
	if got := selectedName(m); got != "redis GetDriver" || m.s.wf.sel != 5 {
		t.Fatalf("selected %q (%d), want the second redis GetDriver", got, m.s.wf.sel)
	}
	if m.s.pane.kind != paneDetail {
		t.Fatalf("pane %v, want the span detail", m.s.pane.kind)
	}
	if len(o.status) != 0 {
		t.Fatalf("status %q", o.lastStatus())
	}
	v := ansi.Strip(m.View())
	checkView(t, m.View(), 80, 24)
	if !strings.Contains(v, "status    error: redis timeout") || !strings.Contains(v, "Span detail") {
		t.Fatalf("the detail does not show span 6:\n%s", v)
	}
}

func TestGivenSpanNotInTheTraceIsSaid(t *testing.T) {
	m, o := newModelWith(t, dispatchTrace(), 80, 24, func(c *Config) { c.Span = "00000000000000ff" })
	if m.s.pane.kind != paneNone {
		t.Fatal("a pane opened for a span that is not there")
	}
	if s := o.lastStatus(); !strings.Contains(s, "00000000000000ff is not in this trace") || !o.status[len(o.status)-1].Err() {
		t.Fatalf("status %q", s)
	}
}

func TestCopyTraceID(t *testing.T) {
	m, o := newModel(t, dispatchTrace(), 80, 24)
	press(t, m, o, "j", "Y")
	if len(o.clipboard) != 1 || o.clipboard[0] != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Fatalf("clipboard %q", o.clipboard)
	}
	if s := o.lastStatus(); !strings.Contains(s, "copied trace ID") {
		t.Fatalf("status %q", s)
	}
}

func TestCopyTraceIDIsCleaned(t *testing.T) {
	tr := dispatchTrace()
	tr.ID = "4bf9\x1b[201~\nrm -rf /"
	m, o := newModel(t, tr, 80, 24)
	press(t, m, o, "Y")
	if len(o.clipboard) != 1 || strings.ContainsAny(o.clipboard[0], "\x1b\n") {
		t.Fatalf("clipboard %q", o.clipboard)
	}
}

func TestCopyLink(t *testing.T) {
	tpls := links.Defaults("jaeger", "http://user:pw@jaeger.example:16686/")
	m, o := newModelWith(t, dispatchTrace(), 80, 24, func(c *Config) { c.Links = tpls })
	press(t, m, o, "ctrl+y")
	want := "http://jaeger.example:16686/trace/4bf92f3577b34da6a3ce929d0e0e4736"
	if len(o.clipboard) != 1 || o.clipboard[0] != want {
		t.Fatalf("clipboard %q, want %q", o.clipboard, want)
	}
	if s := o.lastStatus(); !strings.Contains(s, "Jaeger UI") {
		t.Fatalf("status %q", s)
	}

	// A file or the demo has no UI: say so, copy nothing.
	m, o = newModel(t, dispatchTrace(), 80, 24)
	press(t, m, o, "ctrl+y")
	if len(o.clipboard) != 0 || !strings.HasPrefix(o.lastStatus(), "no link") {
		t.Fatalf("clipboard %q, status %q", o.clipboard, o.lastStatus())
	}
}

func TestErrorOriginSaysWhy(t *testing.T) {
	m, o := newModel(t, dispatchTrace(), 200, 30)
	press(t, m, o, "e")
	want := "error origin 1/1: redis GetDriver: redis timeout"
	if s := o.lastStatus(); s != want {
		t.Fatalf("status %q, want %q", s, want)
	}
	// The header says it while there is room, and gives it up first.
	if v := ansi.Strip(m.View()); !strings.Contains(v, "3 errors: error started in redis GetDriver: redis timeout") {
		t.Fatalf("header lacks the origin:\n%s", v)
	}
	m.SetSize(80, 24)
	if v := ansi.Strip(m.View()); strings.Contains(v, "error started") || !strings.Contains(v, "3 errors") {
		t.Fatalf("80-wide header:\n%s", v)
	}
}

func TestCriticalPaneSaysWhatItCovers(t *testing.T) {
	m, o := newModel(t, buildTrace("00000000000000000000000000000a11", twoRootsTrace()), 120, 40)
	if m.s.rd.an.all.Coverage.Complete() {
		t.Fatal("fixture: two roots should not be complete")
	}
	m = press(t, m, o, "c")
	v := ansi.Strip(m.View())
	checkView(t, m.View(), 120, 40)
	if !strings.Contains(v, "the critical path covers 2 roots") {
		t.Fatalf("pane lacks the coverage:\n%s", v)
	}
	// A one-root trace whose path is the whole story says nothing more.
	m, o = newModel(t, dispatchTrace(), 120, 40)
	m = press(t, m, o, "c")
	if v := ansi.Strip(m.View()); strings.Contains(v, "critical path covers") {
		t.Fatalf("complete path described:\n%s", v)
	}
}
