package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A URL that misses the server (a wrong path prefix) answers 404 to every
// request: search must fail with the URL in the message, not print "No
// traces found" and exit 0.
func TestSearchWrongURLFails(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	for _, kind := range []string{"--jaeger", "--zipkin"} {
		for _, extra := range [][]string{nil, {"--tag", "a=b"}, {"--correlation-id", "abc"}} {
			args := append(isolate(t), "search", kind, srv.URL+"/wrong-prefix", "--service", "frontend")
			r := run(t, nil, "", append(args, extra...)...)
			if r.code != 1 || !strings.Contains(r.stderr, "404") || strings.Contains(r.stdout, "No traces") {
				t.Errorf("%s %v: exit %d\nstdout %q\nstderr %q", kind, extra, r.code, r.stdout, r.stderr)
			}
		}
	}
}
