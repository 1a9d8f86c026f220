package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/tracetui/tracetui/internal/report"
	"github.com/tracetui/tracetui/internal/testkit/jaegertest"
)

// A search that returns as many traces as its limit says so in text and
// JSON; one that returns fewer says it did not.
func TestSearchLimitReached(t *testing.T) {
	base := append(isolate(t), "search", "--demo", "--lookback", "2h")
	r := run(t, nil, "", append(base, "--limit", "2")...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 4 || lines[3] != "2 shown · limit reached (raise --limit to see more)" {
		t.Errorf("text output ends with %q", lines[len(lines)-1])
	}
	for limit, want := range map[string]bool{"2": true, "1000": false} {
		r = run(t, nil, "", append(base, "--limit", limit, "-o", "json")...)
		var raw map[string]json.RawMessage
		if err := json.Unmarshal([]byte(r.stdout), &raw); err != nil {
			t.Fatal(err)
		}
		if got := string(raw["limitReached"]); got != map[bool]string{true: "true", false: "false"}[want] {
			t.Errorf("--limit %s: limitReached %s", limit, got)
		}
		if string(raw["limit"]) != limit || string(raw["checkedHere"]) != "[]" || string(raw["notes"]) != "[]" {
			t.Errorf("--limit %s: %s %s %s", limit, raw["limit"], raw["checkedHere"], raw["notes"])
		}
	}
	r = run(t, nil, "", append(base, "--limit", "1000")...)
	if !strings.HasSuffix(r.stdout, " shown\n") || strings.Contains(r.stdout, "limit reached") {
		t.Errorf("below the limit: %q", r.stdout[max(0, len(r.stdout)-80):])
	}
}

// A tag search without a service on a Jaeger whose search needs one runs
// once per service: never the server's raw 400.
func TestSearchWithoutServiceNoRaw400(t *testing.T) {
	var (
		mu       sync.Mutex
		searched []string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/services":
			w.Write([]byte(`{"data":["a","b"],"errors":null}`))
		case "/api/traces":
			svc := r.URL.Query().Get("service")
			if svc == "" {
				w.WriteHeader(400)
				w.Write([]byte(`{"data":null,"errors":[{"code":400,"msg":"parameter 'service' is required"}]}`))
				return
			}
			mu.Lock()
			searched = append(searched, svc)
			mu.Unlock()
			id := svc + "1"
			w.Write([]byte(`{"data":[{"traceID":"` + id + `","spans":[{"traceID":"` + id +
				`","spanID":"1","operationName":"op","startTime":1764000000000000,"duration":5,"processID":"p1"}],` +
				`"processes":{"p1":{"serviceName":"` + svc + `"}}}],"errors":null}`))
		default:
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html></html>"))
		}
	}))
	defer srv.Close()
	r := run(t, nil, "", append(isolate(t), "search", "--jaeger", srv.URL, "--tag", "request_id=x")...)
	if r.code != 0 || strings.Contains(r.stdout+r.stderr, "400") {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "00000000000000a1") || !strings.Contains(r.stdout, "00000000000000b1") ||
		!strings.Contains(r.stdout, "2 shown") || len(searched) != 2 {
		t.Errorf("per-service search: searched %v\n%s", searched, r.stdout)
	}
	if !strings.Contains(r.stderr, "each of its 2 services was searched") {
		t.Errorf("stderr %q", r.stderr)
	}
}

// On the real Jaeger, whose search cannot find an OTel status error by
// error=true, `search --tag error=true` finds the failed trace, says in
// text how many traces it looked at, and in JSON what it checked itself.
func TestSearchErrorsOnRealJaeger(t *testing.T) {
	j := jaegertest.Shared(t)
	r := live(t, "", append(isolate(t), "search", "--jaeger", j.BaseURL, "--tag", "error=true", "-o", "json")...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var res report.SearchResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, tr := range res.Traces {
		found = found || tr.TraceID == string(jaegertest.CorrelationTraceID)
		if tr.ErrorCount == 0 {
			t.Errorf("trace %s without errors", tr.TraceID)
		}
	}
	if !found || len(res.CheckedHere) != 1 || res.CheckedHere[0] != "error=true" || res.Scanned < len(j.Traces) || len(res.Notes) == 0 {
		t.Errorf("search --tag error=true: %+v", res)
	}
	if !strings.Contains(r.stderr, "tracetui: note: error=true checked by tracetui") {
		t.Errorf("stderr %q", r.stderr)
	}
	r = live(t, "", append(isolate(t), "search", "--jaeger", j.BaseURL, "--service", "billing", "--tag", "error=true")...)
	if r.code != 0 || !strings.Contains(r.stdout, "looked at for error=true") || !strings.Contains(r.stdout, jaegertest.CorrelationTraceID.String()) {
		t.Errorf("text output:\n%s\n%s", r.stdout, r.stderr)
	}
}
