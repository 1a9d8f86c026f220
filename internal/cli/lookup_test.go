package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/demo"
	"github.com/tracetui/tracetui/backend/paste"
	"github.com/tracetui/tracetui/internal/config"
	"github.com/tracetui/tracetui/internal/testkit/hostile"
)

// otlpTrace is a two-span OTLP JSON trace (service svc) whose child span
// carries the given string attributes, starting at start.
func otlpTrace(traceID, service string, start time.Time, attrs map[string]string) string {
	var kv []string
	for k, v := range attrs {
		kv = append(kv, fmt.Sprintf(`{"key":%q,"value":{"stringValue":%q}}`, k, v))
	}
	ns := start.UnixNano()
	return fmt.Sprintf(`{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":%q}}]},
"scopeSpans":[{"scope":{},"spans":[
{"traceId":%q,"spanId":"00000000000000a1","name":"GET /orders","kind":2,"startTimeUnixNano":"%d","endTimeUnixNano":"%d"},
{"traceId":%q,"spanId":"00000000000000b2","parentSpanId":"00000000000000a1","name":"SELECT orders","kind":3,"startTimeUnixNano":"%d","endTimeUnixNano":"%d","attributes":[%s],"status":{"code":2,"message":"deadlock"}}
]}]}]}`, service, traceID, ns, ns+int64(5*time.Millisecond), traceID, ns+int64(time.Millisecond), ns+int64(4*time.Millisecond), strings.Join(kv, ","))
}

func writeTemp(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestShowPastedInput: what people copy goes straight into show; stderr
// says what was recognised; a named span is marked, detailed and in JSON.
func TestShowPastedInput(t *testing.T) {
	base := run(t, nil, "", append(isolate(t), "show", "--demo", string(demo.ErrorTraceID), "-o", "json")...)
	origin := decodeShow(t, base.stdout).ErrorOrigin
	if base.code != 0 || origin == nil {
		t.Fatalf("demo error trace: %+v", base)
	}
	span := *origin
	id := string(demo.ErrorTraceID)
	for _, c := range []struct{ name, in, stderr string }{
		{"traceparent header", "traceparent: 00-" + id + "-" + span + "-01", "tracetui: traceparent → trace " + id + ", span " + span},
		{"jaeger url", "https://ops.example.com/jaeger/trace/" + id + "?uiFind=" + span, "tracetui: Jaeger UI URL → trace " + id + ", span " + span},
		{"json log line", `{"level":"error","traceId":"` + id + `","spanId":"` + span + `","message":"declined"}`, "tracetui: JSON log line (traceId) → trace " + id},
		{"logfmt line", `level=error trace_id=` + id + ` span_id=` + span + ` msg="declined"`, "tracetui: logfmt line (trace_id) → trace " + id},
		{"b3 multi-header", "X-B3-TraceId: " + id + "\nX-B3-SpanId: " + span + "\nX-B3-Sampled: 1", "tracetui: B3 headers → trace " + id},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := run(t, nil, "", append(isolate(t), "show", "--demo", c.in, "-o", "json")...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			if !strings.HasPrefix(r.stderr, c.stderr) {
				t.Errorf("stderr %q, want it to start %q", r.stderr, c.stderr)
			}
			st := decodeShow(t, r.stdout)
			checkShow(t, st)
			if st.TraceID != id || st.SpanID == nil || *st.SpanID != span {
				t.Errorf("trace %s span %v, want %s %s", st.TraceID, st.SpanID, id, span)
			}
		})
	}

	// Text: the span's row is marked, its detail follows, every line fits.
	for _, width := range []int{40, 80, 160} {
		r := run(t, nil, "", append(isolate(t), "show", "--demo", "00-"+id+"-"+span+"-01", "--width", itoa(width), "--color", "never")...)
		if r.code != 0 {
			t.Fatalf("text exit %d: %s", r.code, r.stderr)
		}
		hostile.AssertSafe(t, r.stdout)
		hostile.AssertWidth(t, r.stdout, width)
		// The marker stands between the row's name and its bar, and once
		// more in the detail's heading.
		var marked []string
		for _, l := range strings.Split(r.stdout, "\n") {
			if _, bar, ok := strings.Cut(l, "▶"); ok && !strings.HasPrefix(l, "Span ") {
				marked = append(marked, l)
				if !strings.Contains(bar, "█") || strings.Contains(bar, "▶") {
					t.Errorf("width %d: the marker is not before the bar: %q", width, l)
				}
			}
		}
		if len(marked) != 1 || strings.Count(r.stdout, "▶") != 2 {
			t.Errorf("width %d: marked rows %q, want one (and the heading)", width, marked)
		}
		_, detail, ok := strings.Cut(r.stdout, "\nSpan "+span)
		if !ok {
			t.Fatalf("width %d: no span detail:\n%s", width, r.stdout)
		}
		for _, want := range []string{"payment-service", "POST /v1/charges", "span ID", "kind", "client", "start", "duration", "self time", "Tags (", "http.status", "402"} {
			if !strings.Contains(detail, want) {
				t.Errorf("width %d: span detail lacks %q:\n%s", width, want, detail)
			}
		}
	}
	colored := run(t, nil, "", append(isolate(t), "show", "--demo", "00-"+id+"-"+span+"-01", "--color", "always")...)
	hostile.AssertSafeStyled(t, colored.stdout)

	// A span that is not in the trace: said, and left out of the JSON.
	r := run(t, nil, "", append(isolate(t), "show", "--demo", "00-"+id+"-0123456789abcdef-01", "-o", "json")...)
	if r.code != 0 || !strings.Contains(r.stderr, "span 0123456789abcdef is not in trace") || decodeShow(t, r.stdout).SpanID != nil {
		t.Errorf("span not in trace: %+v", r)
	}
	if strings.Contains(r.stdout, "spanID\": null") || decodeShow(t, base.stdout).SpanID != nil {
		t.Error(`"spanID" is present only when the input named a span of the trace`)
	}
	// A plain ID says nothing more on stderr.
	if base.stderr != "" {
		t.Errorf("plain ID: stderr %q", base.stderr)
	}
}

// TestShowRejectsWhatNamesNothing: an invalid ID is a usage error with the
// reason, not a correlation lookup that ends in "not found".
func TestShowRejectsWhatNamesNothing(t *testing.T) {
	for in, reason := range map[string]string{
		"00000000000000000000000000000000":                                     "all zeros",
		"traceparent: 00-00000000000000000000000000000000-00f067aa0ba902b7-01": "all zeros",
		"b3: 1":                              "sampling decision",
		"https://ops.example.com/dashboards": "names no trace",
		"payment failed again":               "no trace ID",
	} {
		r := run(t, nil, "", append(isolate(t), "show", "--demo", in)...)
		if r.code != ExitUsage || !strings.Contains(r.stderr, reason) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", in, r.code, r.stderr, reason)
		}
	}
}

// TestShowTriesBothWays: a number that is not a trace ID is looked up as a
// correlation ID, saying so; a correlation value found under a configured
// key (profile, then --correlation-key) needs no trace ID.
func TestShowTriesBothWays(t *testing.T) {
	const traceID = "5e1ec7ed5e1ec7ed5e1ec7ed5e1ec7ed"
	now := time.Now()
	f := writeTemp(t, "t.json", otlpTrace(traceID, "orders", now.Add(-time.Minute), map[string]string{"request_id": "90210", "order_ref": "ord-77"}))

	r := run(t, nil, "", append(isolate(t), "show", "--file", f, "90210", "-o", "json")...)
	if r.code != 0 || decodeShow(t, r.stdout).TraceID != traceID {
		t.Fatalf("number as correlation ID: %+v", r)
	}
	for _, want := range []string{
		`number → trace 0000000000090210, else trace 0000000000016062 (decimal); else correlation ID "90210"`,
		`no trace 0000000000090210 or 0000000000016062; looking up "90210" as a correlation ID`,
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}

	// A log line whose trace ID does not exist falls back to its request ID.
	line := `{"traceId":"0123456789abcdef0123456789abcdef","request_id":"90210"}`
	r = run(t, nil, "", append(isolate(t), "show", "--file", f, line, "-o", "json")...)
	if r.code != 0 || decodeShow(t, r.stdout).TraceID != traceID || !strings.Contains(r.stderr, `looking up "90210" as a correlation ID`) {
		t.Errorf("log line fallback: %+v", r)
	}

	// order_ref is no default key: not found, then found with the flag.
	r = run(t, nil, "", append(isolate(t), "show", "--file", f, "ord-77")...)
	if r.code != ExitRuntime || !strings.Contains(r.stderr, "not found") || !strings.Contains(r.stderr, "all time") {
		t.Errorf("unknown key: %+v", r)
	}
	r = run(t, nil, "", append(isolate(t), "show", "--file", f, "--correlation-key", "order_ref", "ord-77", "-o", "json")...)
	if r.code != 0 || decodeShow(t, r.stdout).TraceID != traceID {
		t.Errorf("--correlation-key: %+v", r)
	}

	// The default profile's keys stay when --file names the backend.
	cfg := writeTemp(t, "c.yaml", "default: p\nprofiles:\n  p:\n    jaeger: http://127.0.0.1:1\n    token: x\n    correlation_keys: [order_ref]\n")
	r = run(t, nil, "", "--config", cfg, "show", "--file", f, "ord-77", "-o", "json")
	if r.code != 0 || decodeShow(t, r.stdout).TraceID != traceID {
		t.Errorf("default profile's keys under --file: %+v", r)
	}
}

// TestTUIOptions: the TUI gets the parsed argument, and a file holding a
// single trace opens at once when no ID is given.
func TestTUIOptions(t *testing.T) {
	now := time.Now()
	one := writeTemp(t, "one.json", otlpTrace("5e1ec7ed5e1ec7ed5e1ec7ed5e1ec7ed", "orders", now, nil))
	two := writeTemp(t, "two.json", otlpTrace("5e1ec7ed5e1ec7ed5e1ec7ed5e1ec7ed", "orders", now, nil)+"\n"+
		otlpTrace("0ddba11c0ddba11c0ddba11c0ddba11c", "orders", now, nil))
	open := func(files ...string) (*config.Resolved, backend.Backend) {
		r, err := config.Resolve(config.Flags{Files: files, Timeout: time.Second}, nil, func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		b, err := openBackend(context.Background(), Env{}, r)
		if err != nil {
			t.Fatal(err)
		}
		return r, b
	}
	var stderr strings.Builder
	env := Env{Stderr: &stderr}

	r, b := open(one)
	opts, err := tuiOptions(env, r, b, nil)
	if err != nil || opts.InitialTrace == nil || opts.InitialTrace.ID != "5e1ec7ed5e1ec7ed5e1ec7ed5e1ec7ed" || opts.InitialTraceID != "5e1ec7ed5e1ec7ed5e1ec7ed5e1ec7ed" {
		t.Errorf("single-trace file: %+v, %v", opts, err)
	}
	// show prints that same first trace with no ID.
	res := run(t, nil, "", append(isolate(t), "show", "--file", one, "-o", "json")...)
	if res.code != 0 || decodeShow(t, res.stdout).TraceID != "5e1ec7ed5e1ec7ed5e1ec7ed5e1ec7ed" {
		t.Errorf("show of a single-trace file: %+v", res)
	}

	r, b = open(two)
	if opts, err := tuiOptions(env, r, b, nil); err != nil || opts.InitialTrace != nil || opts.InitialTraceID != "" {
		t.Errorf("two traces open the search: %+v, %v", opts, err)
	}
	opts, err = tuiOptions(env, r, b, []string{"http://localhost:16686/trace/0ddba11c0ddba11c0ddba11c0ddba11c?uiFind=00000000000000b2"})
	if err != nil || opts.Initial == nil || opts.Initial.Span != "00000000000000b2" || opts.InitialTraceID != "0ddba11c0ddba11c0ddba11c0ddba11c" ||
		opts.Initial.Source != paste.SourceJaegerURL {
		t.Errorf("URL argument: %+v, %v", opts, err)
	}
	if !strings.Contains(stderr.String(), "Jaeger UI URL → trace 0ddba11c0ddba11c0ddba11c0ddba11c, span 00000000000000b2") {
		t.Errorf("stderr %q", stderr.String())
	}
	opts, err = tuiOptions(env, r, b, []string{"corr-1"})
	if err != nil || opts.InitialTraceID != "corr-1" || opts.Initial.Correlation != "corr-1" {
		t.Errorf("correlation argument: %+v, %v", opts, err)
	}
	if _, err := tuiOptions(env, r, b, []string{"0"}); err == nil {
		t.Error("an all-zero ID must be refused before the TUI starts")
	}

	// The trace view's copy-link key copies the backend's own UI: none for
	// a file, Jaeger UI's trace page for Jaeger.
	if len(opts.Links) != 0 {
		t.Errorf("a file has links: %+v", opts.Links)
	}
	rj, err := config.Resolve(config.Flags{Jaeger: "http://127.0.0.1:16686/", Timeout: time.Second}, nil, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	opts, err = tuiOptions(env, rj, b, nil)
	if err != nil || len(opts.Links) == 0 || opts.Links[0].URL != "http://127.0.0.1:16686/trace/{traceID}" {
		t.Errorf("jaeger links: %+v, %v", opts.Links, err)
	}
}
