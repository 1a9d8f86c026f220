package tui

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"go.uber.org/goleak"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/testkit/jaegertest"
)

func TestMain(m *testing.M) {
	// teatest waits for SIGINT in a goroutine it never ends; that one is
	// the library's, not ours.
	// The shared Jaeger of jaeger_test.go stops before the check.
	goleak.VerifyTestMain(withJaeger{m}, goleak.IgnoreTopFunction("github.com/charmbracelet/x/exp/teatest/v2.NewTestModel.func2"))
}

type withJaeger struct{ m *testing.M }

func (w withJaeger) Run() int { return jaegertest.Main(w.m) }

// backendFailures are the failures of issue 5 as the HTTP clients report
// them, with what the status bar must say.
func backendFailures() []struct {
	name string
	err  *backend.Error
	want string
} {
	url := "http://localhost:16686/api/traces/4bf92f3577b34da6a3ce929d0e0e4736"
	return []struct {
		name string
		err  *backend.Error
		want string
	}{
		{"refused", &backend.Error{Kind: backend.Unreachable, Op: "get trace", URL: url, Err: errors.New("dial tcp 127.0.0.1:16686: connect: connection refused")}, "unreachable"},
		{"timeout", &backend.Error{Kind: backend.Timeout, Op: "get trace", URL: url, Err: errors.New("context deadline exceeded\n(after 3 attempts)")}, "timeout"},
		{"401", &backend.Error{Kind: backend.Unauthorized, Op: "get trace", URL: url, Status: 401}, "unauthorized (HTTP 401)"},
		{"403", &backend.Error{Kind: backend.Forbidden, Op: "get trace", URL: url, Status: 403}, "forbidden (HTTP 403)"},
		{"5xx html", &backend.Error{Kind: backend.BadResponse, Op: "get trace", URL: url, Status: 502, Excerpt: "<html><body>502 Bad Gateway</body></html>"}, "bad response (HTTP 502)"},
		{"truncated json", &backend.Error{Kind: backend.DecodeError, Op: "get trace", URL: url, Offset: 4096, Err: io.ErrUnexpectedEOF}, "decode error"},
		{"content type", &backend.Error{Kind: backend.BadResponse, Op: "get trace", URL: url, Status: 200, Offset: -1, Excerpt: "unexpected content type text/html: <html>login</html>"}, "bad response (HTTP 200): unexpected"},
		{"tls", &backend.Error{Kind: backend.TLSError, Op: "get trace", URL: url, Err: errors.New("x509: certificate signed by unknown authority")}, "TLS error"},
	}
}

// checkOneError asserts the status bar holds one error, with want in it,
// that stays through other messages and goes with the next key.
func checkOneError(t *testing.T, d *driver, want string) {
	t.Helper()
	status := statusText(d.view())
	if strings.Count(status, "✗") != 1 || !strings.Contains(status, want) {
		t.Fatalf("status bar %q, want one error with %q", status, want)
	}
	d.send(tea.WindowSizeMsg{Width: d.w, Height: d.h})
	if statusText(d.view()) != status {
		t.Errorf("the error changed without a key: %q", statusText(d.view()))
	}
	d.press("tab")
	if strings.Contains(statusText(d.view()), "✗") {
		t.Errorf("the error outlived the next key: %q", statusText(d.view()))
	}
}

func TestTraceLoadFailures(t *testing.T) {
	for _, c := range backendFailures() {
		t.Run(c.name, func(t *testing.T) {
			b := shop()
			b.Errs = map[string]error{"trace": c.err}
			d := newDriver(t, Options{Backend: b}, 80, 24)
			d.press("enter")
			d.press("enter")
			if d.screen() != "trace list" {
				t.Fatalf("a failed trace load should leave its screen: %s", d.screen())
			}
			checkOneError(t, d, "✗ trace 00000000000000a1: get trace: "+c.want)
			// Still usable: the backend recovers and the trace opens.
			b.Errs = nil
			d.press("enter")
			if d.screen() != "trace view" || !strings.Contains(d.view(), "GET /users") {
				t.Errorf("after the failure: %s\n%s", d.screen(), d.view())
			}
		})
	}
}

func TestSearchFailures(t *testing.T) {
	for _, c := range backendFailures() {
		t.Run(c.name, func(t *testing.T) {
			b := shop()
			e := *c.err
			e.Op = "search"
			b.Errs = map[string]error{"search": &e}
			d := newDriver(t, Options{Backend: b}, 80, 24)
			d.press("enter")
			if d.screen() != "trace list" || !strings.Contains(d.view(), "The search failed") {
				t.Fatalf("failed search: %s\n%s", d.screen(), d.view())
			}
			checkOneError(t, d, "✗ search failed: search: "+c.want)
			b.Errs = nil
			d.press("r")
			if !strings.Contains(d.view(), "3 shown") {
				t.Errorf("retry after the failure:\n%s", d.view())
			}
		})
	}
}

func TestServicesFailure(t *testing.T) {
	for _, c := range backendFailures() {
		t.Run(c.name, func(t *testing.T) {
			b := shop()
			e := *c.err
			e.Op = "services"
			b.Errs = map[string]error{"services": &e}
			d := newDriver(t, Options{Backend: b}, 80, 24)
			checkOneError(t, d, "✗ could not load services: services: "+c.want)
			// The form still searches (all services).
			b.Errs = nil
			d.press("enter")
			if d.screen() != "trace list" || !strings.Contains(d.view(), "3 shown") {
				t.Errorf("search after the failure: %s\n%s", d.screen(), d.view())
			}
		})
	}
}

// esc on a list whose search is still running cancels the request at once
// (its context ends; the backend never answered) and its late result is
// dropped.
func TestEscCancelsSearchAtOnce(t *testing.T) {
	b := shop()
	d := newDriver(t, Options{Backend: b}, 80, 24)
	b.Block = make(chan struct{})
	defer close(b.Block)
	b.Started = make(chan string, 1)
	model, cmd := d.m.Update(keyMsg("enter"))
	d.m = model.(Model)
	model, cmd = d.m.Update(cmd())
	d.m = model.(Model)
	if d.screen() != "trace list" || !strings.Contains(d.view(), "Searching…") {
		t.Fatalf("screen %s\n%s", d.screen(), d.view())
	}
	msgs := make(chan tea.Msg, 4)
	go func() {
		for _, c := range flatten(cmd) {
			msgs <- c()
		}
	}()
	<-b.Started
	d.press("esc")
	if d.screen() != "search" {
		t.Fatalf("esc while searching: %s", d.screen())
	}
	var late tea.Msg
	deadline := time.After(10 * time.Second)
	for late == nil {
		select {
		case m := <-msgs:
			if m != nil && reflect.TypeOf(m).String() == "list.loadedMsg" {
				late = m
			}
		case <-deadline:
			t.Fatal("the search was not cancelled")
		}
	}
	d.send(late)
	if d.screen() != "search" || strings.Contains(statusText(d.view()), "✗") {
		t.Errorf("a cancelled search had an effect: %s %q", d.screen(), statusText(d.view()))
	}
	if calls := b.Calls(); calls[len(calls)-1] != "search" {
		t.Errorf("calls %v", calls)
	}
}
