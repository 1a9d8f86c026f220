package tui

import (
	"slices"
	"strings"
	"testing"
)

// calledServices tells whether the backend was asked for its services.
func calledServices(calls []string) bool {
	return slices.ContainsFunc(calls, func(c string) bool { return strings.HasPrefix(c, "services") })
}

// TestOpenedByIDLeavesFormIdle: a trace opened at start does not make the
// search form load its services (a scan of every span of a file, issue
// 15) until the user goes back to the form.
func TestOpenedByIDLeavesFormIdle(t *testing.T) {
	b := shop()
	d := newDriver(t, Options{Backend: b, InitialTraceID: "4bf92f3577b34da6a3ce929d0e0e4736"}, 80, 24)
	if d.screen() != "trace view" {
		t.Fatalf("initial ID opened %s", d.screen())
	}
	if calledServices(b.Calls()) {
		t.Fatalf("services loaded behind the initial trace: %q", b.Calls())
	}
	d.press("esc")
	if d.screen() != "search" || !calledServices(b.Calls()) {
		t.Fatalf("back on %s, calls %q: the form did not load its services", d.screen(), b.Calls())
	}
	n := len(b.Calls())
	d.press("esc")
	if got := b.Calls()[n:]; calledServices(got) {
		t.Errorf("services loaded twice: %q", got)
	}
}

// TestFailedInitialLookupWakesForm: when the initial trace is not found,
// the form the user lands on has its services.
func TestFailedInitialLookupWakesForm(t *testing.T) {
	b := shop()
	d := newDriver(t, Options{Backend: b, InitialTraceID: "0123456789abcdef0123456789abcdef"}, 80, 24)
	if d.screen() != "search" {
		t.Fatalf("a missing initial trace left %s on screen", d.screen())
	}
	if !calledServices(b.Calls()) {
		t.Fatalf("the form has no services after a failed lookup: %q", b.Calls())
	}
}

// TestNoInitialTraceLoadsForm: without an initial trace the form loads at
// once, as before.
func TestNoInitialTraceLoadsForm(t *testing.T) {
	b := shop()
	newDriver(t, Options{Backend: b}, 80, 24)
	if !calledServices(b.Calls()) {
		t.Fatalf("the form did not load its services: %q", b.Calls())
	}
}
