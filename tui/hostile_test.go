package tui

import (
	"context"
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/testkit/hostile"
)

// clipboardOf returns the texts of the clipboard requests among msgs;
// tea.SetClipboard's message type is not exported.
func clipboardOf(msgs []tea.Msg) []string {
	ref := reflect.TypeOf(tea.SetClipboard("x")())
	var out []string
	for _, m := range msgs {
		if reflect.TypeOf(m) == ref {
			out = append(out, reflect.ValueOf(m).String())
		}
	}
	return out
}

// TestBusyLabelsAreSanitized: "loading trace …" and "analysing trace …"
// name a trace ID that a hostile server chose (a search result's ID is not
// hex, so nothing normalizes it); the status bar draws them cleaned
// (issue 14: an OSC 8 link and SGR styling reached the terminal).
func TestBusyLabelsAreSanitized(t *testing.T) {
	for _, id := range hostile.TraceIDs() {
		d := newDriver(t, Options{Backend: shop()}, 80, 24)
		s := d.m.newTrace(id)
		d.m.push(s) // its load is never run: the label stays on screen
		v := d.m.View().Content
		hostile.AssertSafeStyled(t, v)
		if !strings.Contains(ansi.Strip(v), "loading trace 5afe") {
			t.Fatalf("no loading label:\n%s", ansi.Strip(v))
		}
		s.phase = analysing
		v = d.m.View().Content
		hostile.AssertSafeStyled(t, v)
		if !strings.Contains(ansi.Strip(v), "analysing trace 5afe") {
			t.Fatalf("no analysing label:\n%s", ansi.Strip(v))
		}
	}
}

// TestCopiedTraceIDIsClean: y on the trace list copies a trace ID through
// the one clipboard path (issue 14: a bracketed-paste terminator and a line
// break in it ran a command when pasted into a shell).
func TestCopiedTraceIDIsClean(t *testing.T) {
	for _, id := range hostile.TraceIDs() {
		d := newDriver(t, Options{Backend: shop()}, 80, 24)
		load := func(context.Context) ([]backend.TraceSummary, error) {
			return []backend.TraceSummary{{TraceID: id, RootService: "svc", RootOperation: "op", SpanCount: 1}}, nil
		}
		d.run(d.m.push(d.m.listScreen("hostile", load, false)))
		d.out = nil
		d.press("y")
		copied := clipboardOf(d.out)
		if len(copied) != 1 {
			t.Fatalf("y copied %d texts", len(copied))
		}
		hostile.AssertClipboardSafe(t, copied[0])
		if !strings.HasPrefix(copied[0], "5afe") {
			t.Errorf("copied %q: the ID's start was lost", copied[0])
		}
		hostile.AssertSafeStyled(t, d.m.View().Content)
	}
}

// TestPastesAreClean: text pasted into the lookup box or the service
// filter loses its bidi controls, escape sequences and line breaks, and so
// does text typed as keys by a terminal without bracketed paste (issue 14:
// U+202E was echoed).
func TestPastesAreClean(t *testing.T) {
	for _, p := range hostile.ClipboardPayloads() {
		t.Run(p.Name, func(t *testing.T) {
			d := newDriver(t, Options{Backend: shop()}, 80, 24)
			// The search form opens on the service filter.
			d.send(tea.PasteMsg{Content: "pay" + p.Text})
			hostile.AssertSafeStyled(t, d.m.View().Content)
			d.press("ctrl+t")
			d.send(tea.PasteMsg{Content: "abc" + p.Text})
			d.send(tea.KeyPressMsg{Text: p.Text, Code: []rune(p.Text + " ")[0]})
			hostile.AssertClipboardSafe(t, d.m.lookup.input.Value())
			hostile.AssertSafeStyled(t, d.m.View().Content)
		})
	}
}

// TestLookupsOfHostileTextAreClean: whatever is looked up (a correlation
// value, a log line with a hostile trace field) reaches the status bar,
// the loading screen and the list's title only cleaned.
func TestLookupsOfHostileTextAreClean(t *testing.T) {
	for _, p := range hostile.Payloads() {
		t.Run(p.Name, func(t *testing.T) {
			for _, text := range []string{"req-" + p.Text, `{"trace_id":"4bf9` + p.Text + `","request_id":"r` + p.Text + `"}`} {
				d := newDriver(t, Options{Backend: shop()}, 80, 24)
				d.press("ctrl+t")
				d.send(tea.PasteMsg{Content: text})
				hostile.AssertSafeStyled(t, d.m.View().Content)
				d.press("enter")
				hostile.AssertSafeStyled(t, d.m.View().Content)
				hostile.AssertSafe(t, d.m.status.Text())
			}
		})
	}
}
