package jaeger

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
)

// TestEndpointFallbacksShareOneDeadline: each endpoint answers "not here"
// (the UI page) after 60% of the timeout, so that every request alone is in
// time but the fallbacks together are not. A Trace or Search waits one
// timeout in all, not one per endpoint (3 s became 5.1 s and 7.7 s).
func TestEndpointFallbacksShareOneDeadline(t *testing.T) {
	const timeout = 500 * time.Millisecond
	srv := newSlowUIServer(t, timeout*6/10)
	c, err := New(backend.HTTPOptions{URL: srv, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	_, err = c.Trace(context.Background(), "4bf92f3577b34da6a3ce929d0e0e4736", backend.TraceOptions{})
	if backend.KindOf(err) != backend.Timeout {
		t.Errorf("Trace through two slow endpoints: %v, want a timeout", err)
	}
	_, err = c.Search(context.Background(), backend.Query{Service: "s"})
	if backend.KindOf(err) != backend.Timeout {
		t.Errorf("Search through slow endpoints: %v, want a timeout", err)
	}
	if c.Timeout() != timeout {
		t.Errorf("Timeout() = %s", c.Timeout())
	}
}

// newSlowUIServer answers every path with Jaeger's UI page after delay.
func newSlowUIServer(t *testing.T, delay time.Duration) string {
	f, srv := newFake(t)
	for _, p := range []string{"/api/traces", "/api/v3/traces", "/api/v3/trace-summaries"} {
		f.handle(p, slowPage(delay))
	}
	f.handle("/api/traces/4bf92f3577b34da6a3ce929d0e0e4736", slowPage(delay))
	f.handle("/api/v3/traces/4bf92f3577b34da6a3ce929d0e0e4736", slowPage(delay))
	return srv.URL
}

func slowPage(delay time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(strings.Repeat("<html></html>", 3)))
	}
}
