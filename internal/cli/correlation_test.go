package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// When some of a correlation lookup's searches fail, the user is told that
// a trace may be missing, with the first failure.
func TestCorrelationPartialFailureWarns(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/api/v3/services":
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"services":["checkout","payments"]}`))
		case r.URL.Path == "/api/v3/traces" && r.URL.Query().Get("query.service_name") == "payments":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			w.Write([]byte(`{"error":{"httpCode":500,"message":"storage is down"}}`))
		case r.URL.Path == "/api/v3/traces":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"error":{"httpCode":404,"message":"No traces found"}}`))
		default: // as Jaeger answers unknown routes: its UI page
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte("<!doctype html><title>Jaeger UI</title>"))
		}
	}))
	defer srv.Close()
	for _, args := range [][]string{
		{"search", "--jaeger", srv.URL, "--correlation-id", "req-42"},
		{"show", "--jaeger", srv.URL, "req-42"},
	} {
		r := run(t, nil, "", append(isolate(t), args...)...)
		if !strings.Contains(r.stderr, "of 12 correlation searches failed") || !strings.Contains(r.stderr, "storage is down") {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
}
