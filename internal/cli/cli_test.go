package cli

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/demo"
	"github.com/tracetui/tracetui/internal/report"
	"github.com/tracetui/tracetui/internal/testkit/hostile"
)

// testNow keeps the demo's catalogue and relative times stable.
var testNow = time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC)

type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	return runAt(t, testNow, env, stdin, args...)
}

func runAt(t *testing.T, now time.Time, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, Env{
		Stdin:  strings.NewReader(stdin),
		Stdout: &out,
		Stderr: &errb,
		Getenv: func(k string) string { return env[k] },
		Now:    func() time.Time { return now },
	})
	return result{code, out.String(), errb.String()}
}

// isolate points the config file at an empty folder so that a developer's
// own config does not leak into the tests.
func isolate(t *testing.T) []string {
	p := filepath.Join(t.TempDir(), "empty.yaml")
	if err := os.WriteFile(p, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	return []string{"--config", p}
}

func fixture(parts ...string) string {
	return filepath.Join(append([]string{"..", "..", "testdata", "fixtures"}, parts...)...)
}

func decodeShow(t *testing.T, s string) report.ShowTrace {
	t.Helper()
	var st report.ShowTrace
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		t.Fatalf("show JSON: %v\n%s", err, s)
	}
	return st
}

// checkShow verifies the properties every show object must have.
func checkShow(t *testing.T, st report.ShowTrace) {
	t.Helper()
	if backend.LooksLikeTraceID(st.TraceID) && len(st.TraceID) != 32 {
		t.Errorf("traceID %q is not 32 hex", st.TraceID)
	}
	n := 0
	for _, s := range st.Services {
		n += s.SpanCount
		if s.SelfMicros > s.TotalMicros || s.SelfMicros < 0 {
			t.Errorf("service %s: self %d outside [0, total %d]", s.Name, s.SelfMicros, s.TotalMicros)
		}
	}
	if n != st.SpanCount {
		t.Errorf("services count %d spans, trace has %d", n, st.SpanCount)
	}
	if st.ServiceCount != len(st.Services) {
		t.Errorf("serviceCount %d, %d services", st.ServiceCount, len(st.Services))
	}
	for i, c := range st.CriticalPath {
		if c.EndMicros < c.StartMicros || c.StartMicros < 0 || c.EndMicros > st.DurationMicros {
			t.Errorf("section %d [%d,%d] outside [0,%d]", i, c.StartMicros, c.EndMicros, st.DurationMicros)
		}
		if i > 0 && c.StartMicros < st.CriticalPath[i-1].StartMicros {
			t.Errorf("sections not in time order at %d", i)
		}
	}
	if st.ErrorOrigin != nil {
		found := false
		for _, id := range st.ErrorSpanIDs {
			found = found || id == *st.ErrorOrigin
		}
		if !found {
			t.Errorf("error origin %s is not an error span %v", *st.ErrorOrigin, st.ErrorSpanIDs)
		}
	}
}

func TestVersion(t *testing.T) {
	r := run(t, nil, "", "version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "tracetui ") {
		t.Fatalf("%+v", r)
	}
}

func TestShowDemoJSON(t *testing.T) {
	r := run(t, nil, "", append(isolate(t), "show", "--demo", string(demo.CheckoutTraceID), "--output", "json")...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	st := decodeShow(t, r.stdout)
	checkShow(t, st)
	if st.TraceID != string(demo.CheckoutTraceID) || st.SpanCount != 43 || st.ErrorOrigin != nil {
		t.Fatalf("checkout: id %s spans %d origin %v", st.TraceID, st.SpanCount, st.ErrorOrigin)
	}
	// A single-root trace's critical path tiles the root, which starts the
	// trace (asynchronous consumers may end after it).
	cp := st.CriticalPath
	if len(st.RootSpanIDs) != 1 || len(cp) == 0 || cp[0].StartMicros != 0 ||
		cp[0].SpanID != st.RootSpanIDs[0] || cp[len(cp)-1].SpanID != st.RootSpanIDs[0] {
		t.Fatalf("critical path does not start and end at the root %v: %+v", st.RootSpanIDs, cp)
	}
	for i := 1; i < len(cp); i++ {
		if cp[i].StartMicros != cp[i-1].EndMicros {
			t.Fatalf("gap or overlap between sections %d and %d: %+v %+v", i-1, i, cp[i-1], cp[i])
		}
	}
}

func TestShowErrorTraceAndCorrelation(t *testing.T) {
	byID := run(t, nil, "", append(isolate(t), "show", "--demo", string(demo.ErrorTraceID), "-o", "json")...)
	byCorr := run(t, nil, "", append(isolate(t), "show", "--demo", demo.ErrorCorrelationID, "-o", "json")...)
	if byID.code != 0 || byCorr.code != 0 {
		t.Fatalf("exit %d/%d: %s %s", byID.code, byCorr.code, byID.stderr, byCorr.stderr)
	}
	a, b := decodeShow(t, byID.stdout), decodeShow(t, byCorr.stdout)
	checkShow(t, a)
	if a.ErrorOrigin == nil || len(a.ErrorSpanIDs) < 3 {
		t.Fatalf("error trace: origin %v errors %v", a.ErrorOrigin, a.ErrorSpanIDs)
	}
	if b.TraceID != a.TraceID {
		t.Fatalf("correlation ID found %s, want %s", b.TraceID, a.TraceID)
	}
	// A 64-bit ID typed short finds the trace too.
	short := run(t, nil, "", append(isolate(t), "show", "--demo", "4832c3d33453af8a", "-o", "json")...)
	if short.code != 0 || decodeShow(t, short.stdout).TraceID != string(demo.LoginTraceID) {
		t.Fatalf("short ID: %+v", short)
	}
}

func TestShowText(t *testing.T) {
	for _, width := range []int{40, 80, 200} {
		r := run(t, nil, "", append(isolate(t), "show", "--demo", string(demo.ErrorTraceID), "--width", itoa(width), "--color", "never")...)
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		hostile.AssertSafe(t, r.stdout)
		hostile.AssertWidth(t, r.stdout, width)
		for _, want := range []string{"Trace fa743c1b7bcbdfa101c1954446e05900", "Waterfall", "Critical path", "Service", "Error origin: payment-service"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("width %d: output lacks %q:\n%s", width, want, r.stdout)
			}
		}
	}
	colored := run(t, nil, "", append(isolate(t), "show", "--demo", string(demo.ErrorTraceID), "--color", "always")...)
	if !strings.Contains(colored.stdout, "\x1b[") {
		t.Fatal("--color always wrote no colour")
	}
	hostile.AssertSafeStyled(t, colored.stdout)
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestShowFixtures(t *testing.T) {
	files := []string{
		fixture("zipkin", "skew.json"), fixture("zipkin", "yelp.json"), fixture("zipkin", "messaging-kafka.json"),
		fixture("jaeger", "ui_01.json"), fixture("jaeger", "otel_traces_01.json"), fixture("jaeger", "example_trace.json"),
		fixture("jaeger-ui", "testTrace.json"), fixture("jaeger-ui", "otlp2jaeger-in.json"),
		fixture("otel-proto", "trace.json"), fixture("tempo", "trace.json"),
		fixture("captured", "jaeger-v1.76.0", "trace_yelp_a03ee8fff1dcd9b9.json"),
	}
	for _, f := range files {
		t.Run(filepath.Base(filepath.Dir(f))+"/"+filepath.Base(f), func(t *testing.T) {
			r := run(t, nil, "", append(isolate(t), "show", "--file", f, "-o", "json")...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			checkShow(t, decodeShow(t, r.stdout))
			txt := run(t, nil, "", append(isolate(t), "show", "--file", f, "--width", "100", "--color", "never")...)
			if txt.code != 0 {
				t.Fatalf("text exit %d: %s", txt.code, txt.stderr)
			}
			hostile.AssertSafe(t, txt.stdout)
			hostile.AssertWidth(t, txt.stdout, 100)
		})
	}
}

func TestShowSkewAdjusted(t *testing.T) {
	f := fixture("zipkin", "skew.json")
	raw := decodeShow(t, run(t, nil, "", append(isolate(t), "show", "--file", f, "-o", "json")...).stdout)
	adj := decodeShow(t, run(t, nil, "", append(isolate(t), "show", "--file", f, "-o", "json", "--skew", "adjusted")...).stdout)
	if !anyContains(raw.Warnings, "skew") {
		t.Fatalf("raw view must warn about skew: %v", raw.Warnings)
	}
	if !anyContains(adj.Warnings, "adjust") {
		t.Fatalf("adjusted view must say what it shifted: %v", adj.Warnings)
	}
	if adj.DurationMicros >= raw.DurationMicros {
		t.Fatalf("adjusting the skewed server span should shorten the trace: raw %d adjusted %d", raw.DurationMicros, adj.DurationMicros)
	}
}

func anyContains(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(strings.ToLower(s), sub) {
			return true
		}
	}
	return false
}

func TestShowStdin(t *testing.T) {
	data, err := os.ReadFile(fixture("zipkin", "messaging.json"))
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, nil, string(data), append(isolate(t), "show", "--file", "-", "-o", "json")...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	st := decodeShow(t, r.stdout)
	if st.SpanCount != 4 || len(st.TraceID) != 32 || strings.HasPrefix(st.TraceID, "0000000000000000") {
		t.Fatalf("messaging.json via stdin: %+v", st)
	}
}

func TestSearchDemo(t *testing.T) {
	r := run(t, nil, "", append(isolate(t), "search", "--demo", "--service", "payment-service", "--tag", "error=true", "-o", "json", "--lookback", "2h")...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var res report.SearchResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Traces) == 0 {
		t.Fatal("no failing payment traces found in the demo")
	}
	found := false
	for _, tr := range res.Traces {
		found = found || tr.TraceID == string(demo.ErrorTraceID)
		if tr.ErrorCount == 0 {
			t.Errorf("trace %s matched error=true with no error", tr.TraceID)
		}
	}
	if !found {
		t.Errorf("the error trace is not among %d results", len(res.Traces))
	}
	corr := run(t, nil, "", append(isolate(t), "search", "--demo", "--correlation-id", demo.CheckoutCorrelationID, "--lookback", "2h")...)
	if corr.code != 0 || !strings.Contains(corr.stdout, string(demo.CheckoutTraceID)) {
		t.Fatalf("correlation search: %+v", corr)
	}
	none := run(t, nil, "", append(isolate(t), "search", "--demo", "--service", "nope")...)
	if none.code != 0 || !strings.Contains(none.stdout, "No traces found") {
		t.Fatalf("empty search: %+v", none)
	}
}

func TestUsageErrors(t *testing.T) {
	for name, args := range map[string][]string{
		"unknown flag":      {"show", "--nope"},
		"bad output":        {"show", "--demo", "abc", "-o", "xml"},
		"bad color":         {"show", "--demo", "abc", "--color", "rainbow"},
		"bad skew":          {"show", "--demo", "abc", "--skew", "sideways"},
		"two backends":      {"search", "--jaeger", "http://127.0.0.1:1", "--zipkin", "http://127.0.0.1:2"},
		"show without id":   {"show", "--demo"},
		"bad tag":           {"search", "--demo", "--tag", "novalue"},
		"bad limit":         {"search", "--demo", "--limit", "0"},
		"extra args":        {"search", "--demo", "x"},
		"bad url":           {"search", "--jaeger", "localhost:16686"},
		"unknown command":   {"frobnicate", "a", "b"},
		"bad duration flag": {"search", "--demo", "--lookback", "yesterday"},
	} {
		r := run(t, nil, "", append(isolate(t), args...)...)
		if r.code != ExitUsage {
			t.Errorf("%s: exit %d, want 2 (%s)", name, r.code, r.stderr)
		}
		if !strings.HasPrefix(r.stderr, "tracetui: ") {
			t.Errorf("%s: stderr %q", name, r.stderr)
		}
	}
}

// TestRuntimeErrors checks that each failure ends in exit 1 and one clear
// line, with no secret and no stack trace.
func TestRuntimeErrors(t *testing.T) {
	const token = "tok-SECRET-123"
	const headerSecret = "hdr-SECRET-456"
	srv := func(h http.HandlerFunc) string {
		s := httptest.NewServer(h)
		t.Cleanup(s.Close)
		return s.URL
	}
	cases := map[string]struct {
		url  string
		want string
	}{
		"refused": {"http://127.0.0.1:1", "unreachable"},
		"401": {srv(func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "no", http.StatusUnauthorized)
		}), "unauthorized"},
		"403": {srv(func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "no", http.StatusForbidden)
		}), "forbidden"},
		"500 html": {srv(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(500)
			w.Write([]byte("<html><body><h1>Internal \x1b]0;pwned\x07Server Error</h1></body></html>"))
		}), "500"},
		"truncated json": {srv(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"data":[{"traceID":"abc","spans":[{"spanID":`))
		}), "decode"},
		"timeout": {srv(func(w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done()
		}), "timeout"},
		"wrong content type": {srv(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html>the UI page</html>"))
		}), "bad response"},
		"not found": {srv(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(404)
			w.Write([]byte(`{"data":null,"errors":[{"code":404,"msg":"trace not found"}]}`))
		}), "not found"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			r := run(t, map[string]string{"TRACETUI_TOKEN": token}, "",
				append(isolate(t), "show", "--jaeger", c.url, "--header", "X-Api-Key: "+headerSecret, "--timeout", "1s", "0123456789abcdef")...)
			if r.code != ExitRuntime {
				t.Fatalf("exit %d, want 1: %s", r.code, r.stderr)
			}
			lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
			if len(lines) != 1 {
				t.Fatalf("want one line, got %d:\n%s", len(lines), r.stderr)
			}
			if !strings.Contains(strings.ToLower(r.stderr), c.want) {
				t.Errorf("stderr %q lacks %q", r.stderr, c.want)
			}
			for _, secret := range []string{token, headerSecret, "goroutine ", "panic"} {
				if strings.Contains(r.stderr, secret) {
					t.Errorf("stderr leaks %q: %s", secret, r.stderr)
				}
			}
			hostile.AssertSafe(t, r.stderr)
		})
	}
}

// TestShowHostile runs show over the hostile corpus in every format: no
// panic, no control byte, every line within the width, valid JSON.
func TestShowHostile(t *testing.T) {
	for _, f := range hostile.Corpus(t, !testing.Short()) {
		t.Run(f.Case+"/"+f.Format, func(t *testing.T) {
			txt := run(t, nil, "", append(isolate(t), "show", "--file", f.Path, "--width", "80", "--color", "never")...)
			if txt.code == ExitOK {
				hostile.AssertSafe(t, txt.stdout)
				hostile.AssertWidth(t, txt.stdout, 80)
			} else if txt.code != ExitRuntime || strings.Count(txt.stderr, "\n") != 1 {
				t.Fatalf("exit %d: %q", txt.code, txt.stderr)
			}
			hostile.AssertSafe(t, txt.stderr)
			js := run(t, nil, "", append(isolate(t), "show", "--file", f.Path, "-o", "json")...)
			if js.code == ExitOK && !json.Valid([]byte(js.stdout)) {
				t.Fatal("invalid JSON")
			}
			hostile.AssertSafe(t, js.stdout)
		})
	}
}

// TestHelpHasNoSecret: --help names the environment variables, never their
// values.
func TestHelpHasNoSecret(t *testing.T) {
	env := map[string]string{"TRACETUI_TOKEN": "tok-SECRET-789", "TRACETUI_JAEGER_URL": "http://user:pw-SECRET@127.0.0.1:1"}
	for _, args := range [][]string{{"--help"}, {"show", "--help"}, {"search", "--help"}} {
		r := run(t, env, "", args...)
		if r.code != 0 || !strings.Contains(r.stdout, "--jaeger") {
			t.Fatalf("%v: exit %d %q", args, r.code, r.stdout)
		}
		if strings.Contains(r.stdout+r.stderr, "SECRET") {
			t.Fatalf("%v leaks a secret:\n%s", args, r.stdout)
		}
	}
}

// TestFileSearchIgnoresDefaultLookback: fixtures are years old; a file is
// searched whatever its age unless --lookback is given.
func TestFileSearchIgnoresDefaultLookback(t *testing.T) {
	f := fixture("zipkin", "yelp.json")
	r := run(t, nil, "", append(isolate(t), "search", "--file", f, "-o", "json")...)
	var res report.SearchResult
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &res) != nil || len(res.Traces) != 1 {
		t.Fatalf("default window: %+v", r)
	}
	r = run(t, nil, "", append(isolate(t), "search", "--file", f, "-o", "json", "--lookback", "1h")...)
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &res) != nil || len(res.Traces) != 0 {
		t.Fatalf("explicit 1h window must exclude a 2019 trace: %+v", r)
	}
}
