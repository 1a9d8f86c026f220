package cli

import (
	"bytes"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tracetui/tracetui/internal/testkit/hostile"
	"github.com/tracetui/tracetui/internal/testkit/hostile/hostilehttp"
)

// TestLibraryLogsNeverReachTheTerminal: net/http logs an unsolicited
// response on an idle connection through the standard logger, quoting the
// server's bytes; none of it may reach stderr (or the TUI's screen).
func TestLibraryLogsNeverReachTheTerminal(t *testing.T) {
	var logged bytes.Buffer
	prev, prevFlags := log.Writer(), log.Flags()
	log.SetOutput(&logged)
	t.Cleanup(func() { log.SetOutput(prev); log.SetFlags(prevFlags) })

	const marker = "MARKER-\x1b]0;pwned\x07-tok-SECRET"
	trace, err := os.ReadFile(fixture("jaeger", "example_trace.json"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(hostilehttp.Unsolicited(string(trace), marker))
	defer srv.Close()
	r := run(t, nil, "", append(isolate(t), "show", "--jaeger", srv.URL, "--timeout", "5s", "-o", "json",
		"0123456789abcdef0123456789abcdef")...)
	// The client sees the unsolicited bytes once its connection is idle,
	// after the command is done.
	time.Sleep(300 * time.Millisecond)
	// The failed lookup is then tried as a correlation ID, and that request
	// may fail on the hostile bytes: net/http quotes them in its error, which
	// is allowed; its logger's line is not, nor is a raw escape.
	if strings.Contains(logged.String(), "MARKER") || strings.Contains(r.stderr, "Unsolicited") ||
		strings.ContainsRune(r.stderr, 0x1b) {
		t.Errorf("a library log reached the terminal: %q %q", logged.String(), r.stderr)
	}
}

// TestWidthIsBounded: --width 1e9 wrote 15 GB; now it is a usage error, in
// every command that takes it (analyze --width 2e9 grew to 24 GB).
func TestWidthIsBounded(t *testing.T) {
	for _, cmd := range [][]string{{"show", "x"}, {"analyze"}, {"diff", "x", "y"}} {
		for _, w := range []string{"1001", "1000000000"} {
			args := append(append(append(isolate(t), cmd[0], "--demo"), cmd[1:]...), "--width", w)
			r := run(t, nil, "", args...)
			if r.code != ExitUsage || !strings.Contains(r.stderr, "--width must be between 1 and 1000") {
				t.Errorf("%s --width %s: exit %d %q", cmd[0], w, r.code, r.stderr)
			}
		}
	}
	demoID := run(t, nil, "", append(isolate(t), "search", "--demo", "--limit", "1", "-o", "json")...)
	id := between(demoID.stdout, `"traceID": "`, `"`)
	if id == "" {
		t.Fatalf("no demo trace: %q", demoID.stdout)
	}
	r := run(t, nil, "", append(isolate(t), "show", "--demo", id, "--width", "1000", "--color", "never")...)
	if r.code != ExitOK {
		t.Fatalf("--width 1000: exit %d %q", r.code, r.stderr)
	}
	hostile.AssertWidth(t, r.stdout, 1000)
}

func between(s, from, to string) string {
	_, after, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(after, to)
	return v
}

// TestSearchReportsImpossibleNumbers: a summary whose numbers cannot be
// earns a warning on stderr, and no value such as -9223372036854775808 or
// a year like 1677 is printed.
func TestSearchReportsImpossibleNumbers(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v3/trace-summaries" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(hostile.ImpossibleSummaries))
	}))
	defer srv.Close()
	r := run(t, nil, "", append(isolate(t), "search", "--jaeger", srv.URL, "--service", "s")...)
	if r.code != ExitOK {
		t.Fatalf("exit %d: %q", r.code, r.stderr)
	}
	for _, bad := range []string{"-9223372036854775808", "1677", "-5 "} {
		if strings.Contains(r.stdout, bad) {
			t.Errorf("%q printed:\n%s", bad, r.stdout)
		}
	}
	for _, w := range []string{`spanCount "NaN" is not a count`, `minStartTimeUnixNano "1e30" is not a time`} {
		if !strings.Contains(r.stderr, "tracetui: warning: ") || !strings.Contains(r.stderr, w) {
			t.Errorf("no warning %q in %q", w, r.stderr)
		}
	}
	hostile.AssertSafe(t, r.stderr)
}

// TestTimeoutBoundsTheWholeCommand: a correlation search over 30 services,
// whose every search hangs, ends at --timeout with the searches that were
// under way, instead of running 180 searches of --timeout each (60 s for
// 120 searches of 2 s).
func TestTimeoutBoundsTheWholeCommand(t *testing.T) {
	var searches atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v3/services":
			w.Header().Set("Content-Type", "application/json")
			var names []string
			for i := range 30 {
				names = append(names, fmt.Sprintf(`"svc-%02d"`, i))
			}
			fmt.Fprintf(w, `{"services":[%s]}`, strings.Join(names, ","))
		default:
			searches.Add(1)
			<-r.Context().Done()
		}
	}))
	defer srv.Close()
	r := run(t, nil, "", append(isolate(t), "search", "--jaeger", srv.URL, "--correlation-id", "abc", "--timeout", "400ms")...)
	if r.code != ExitRuntime || !strings.Contains(r.stderr, "timeout") {
		t.Errorf("exit %d: %q", r.code, r.stderr)
	}
	// Four at once until the one deadline: a few more may start as it
	// passes, never all 180.
	if n := searches.Load(); n > 12 {
		t.Errorf("%d searches reached the server after one --timeout", n)
	}
}

// TestFileCorrelationMissSaysAllTime: a file's traces are searched whatever
// their age, and the error says so instead of "last 24h".
func TestFileCorrelationMissSaysAllTime(t *testing.T) {
	r := run(t, nil, "", append(isolate(t), "show", "--file", fixture("jaeger", "example_trace.json"), "no-such-correlation-id")...)
	if r.code != ExitRuntime || !strings.Contains(r.stderr, "all time") || strings.Contains(r.stderr, "last ") {
		t.Errorf("exit %d: %q", r.code, r.stderr)
	}
}
