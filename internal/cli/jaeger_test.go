package cli

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tracetui/tracetui/internal/report"
	"github.com/tracetui/tracetui/internal/testkit/jaegertest"
)

// live runs a command at the real time: the harness moved the fixtures to
// just before now.
func live(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	return runAt(t, time.Now(), nil, stdin, args...)
}

func TestMain(m *testing.M) { os.Exit(jaegertest.Main(m)) }

// TestJaegerEndToEnd runs search and show against the real Jaeger of the
// integration tests, with fixtures loaded through its receivers.
func TestJaegerEndToEnd(t *testing.T) {
	j := jaegertest.Shared(t)

	// search: the correlation fixture's service finds its trace.
	r := live(t, "", append(isolate(t), "search", "--jaeger", j.BaseURL, "--service", "billing", "-o", "json")...)
	if r.code != 0 {
		t.Fatalf("search exit %d: %s", r.code, r.stderr)
	}
	var res report.SearchResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Traces) != 1 || res.Traces[0].TraceID != string(jaegertest.CorrelationTraceID) {
		t.Fatalf("search billing: %+v", res.Traces)
	}

	// search by tag and by correlation ID, both through the CLI.
	r = live(t, "", append(isolate(t), "search", "--jaeger", j.BaseURL, "--service", "checkout-api",
		"--tag", jaegertest.CorrelationKey+"="+jaegertest.CorrelationValue, "-o", "json")...)
	if r.code != 0 || !strings.Contains(r.stdout, string(jaegertest.CorrelationTraceID)) {
		t.Fatalf("tag search: %+v", r)
	}
	r = live(t, "", append(isolate(t), "search", "--jaeger", j.BaseURL, "--correlation-id", jaegertest.RequestIDValue)...)
	if r.code != 0 || !strings.Contains(r.stdout, string(jaegertest.CorrelationTraceID)) {
		t.Fatalf("correlation search: %+v", r)
	}

	// show by 128-bit ID, by 64-bit ID, and by correlation ID.
	for _, tr := range j.Traces {
		r := live(t, "", append(isolate(t), "show", "--jaeger", j.BaseURL, tr.ID.Short(), "-o", "json")...)
		if r.code != 0 {
			t.Fatalf("show %s (%s): exit %d: %s", tr.ID, tr.Source, r.code, r.stderr)
		}
		st := decodeShow(t, r.stdout)
		checkShow(t, st)
		if st.TraceID != string(tr.ID) {
			t.Errorf("show %s returned %s", tr.ID, st.TraceID)
		}
		if len(st.Services) != len(tr.Services) {
			t.Errorf("%s: %d services, fixture has %v", tr.Source, len(st.Services), tr.Services)
		}
	}
	r = live(t, "", append(isolate(t), "show", "--jaeger", j.BaseURL, jaegertest.CorrelationValue, "-o", "json")...)
	if r.code != 0 || decodeShow(t, r.stdout).TraceID != string(jaegertest.CorrelationTraceID) {
		t.Fatalf("show by correlation ID: %+v", r)
	}

	// text output of the skewed Zipkin trace, through Jaeger.
	r = live(t, "", append(isolate(t), "show", "--jaeger", j.BaseURL, "1e223ff1f80f1c69", "--width", "100", "--color", "never")...)
	if r.code != 0 || !strings.Contains(r.stdout, "Waterfall") {
		t.Fatalf("show text: %+v", r)
	}

	// not found: exit 1, one line.
	r = live(t, "", append(isolate(t), "show", "--jaeger", j.BaseURL, "00000000000000000000000000000bad")...)
	if r.code != ExitRuntime || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "not found") {
		t.Fatalf("not found: %+v", r)
	}
}
