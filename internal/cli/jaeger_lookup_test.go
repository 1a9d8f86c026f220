package cli

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/testkit/jaegertest"
)

// TestJaegerPastedInput runs show against the real Jaeger with what people
// copy: a traceparent and a Jaeger UI URL naming a span, a log line whose
// trace ID does not exist but whose correlation ID does, and a number that
// is no trace ID but a request ID.
func TestJaegerPastedInput(t *testing.T) {
	j := jaegertest.Shared(t)
	id := string(jaegertest.CorrelationTraceID)
	const span = "a000000000000002" // the fixture's "charge" span

	for name, in := range map[string]string{
		"traceparent": "traceparent: 00-" + id + "-" + span + "-01",
		"jaeger url":  j.BaseURL + "/trace/" + id + "?uiFind=" + span,
	} {
		r := live(t, "", append(isolate(t), "show", "--jaeger", j.BaseURL, in, "-o", "json")...)
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", name, r.code, r.stderr)
		}
		st := decodeShow(t, r.stdout)
		checkShow(t, st)
		if st.TraceID != id || st.SpanID == nil || *st.SpanID != span {
			t.Errorf("%s: trace %s span %v", name, st.TraceID, st.SpanID)
		}
		if !strings.Contains(r.stderr, "→ trace "+id+", span "+span) {
			t.Errorf("%s: stderr %q", name, r.stderr)
		}
	}
	txt := live(t, "", append(isolate(t), "show", "--jaeger", j.BaseURL, "00-"+id+"-"+span+"-01", "--width", "80", "--color", "never")...)
	if txt.code != 0 || !strings.Contains(txt.stdout, "\nSpan "+span) || !strings.Contains(txt.stdout, "billing") {
		t.Errorf("text with span detail: %+v", txt)
	}

	// The log line's trace was not kept (sampled out, say); its
	// correlation ID finds the request's trace.
	line := `{"level":"error","traceId":"0123456789abcdef0123456789abcdef","correlationId":"` + jaegertest.CorrelationValue + `"}`
	r := live(t, "", append(isolate(t), "show", "--jaeger", j.BaseURL, line, "-o", "json")...)
	if r.code != 0 || decodeShow(t, r.stdout).TraceID != id {
		t.Fatalf("log line fallback: %+v", r)
	}
	if !strings.Contains(r.stderr, `no trace 0123456789abcdef0123456789abcdef; looking up "`+jaegertest.CorrelationValue+`" as a correlation ID`) {
		t.Errorf("log line fallback: stderr %q", r.stderr)
	}

	// A numeric request ID: tried as a hex and a decimal trace ID first.
	const numID backend.TraceID = "5e1ec7ed5e1ec7ed5e1ec7ed5e1ec7ed"
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	body := otlpTrace(string(numID), "lookup-test", time.Now().Add(-time.Minute), map[string]string{"request_id": "31337"})
	if err := j.PostOTLP(ctx, []byte(body)); err != nil {
		t.Fatal(err)
	}
	if err := j.WaitForTrace(ctx, numID); err != nil {
		t.Fatal(err)
	}
	r = live(t, "", append(isolate(t), "show", "--jaeger", j.BaseURL, "31337", "-o", "json")...)
	if r.code != 0 || decodeShow(t, r.stdout).TraceID != string(numID) {
		t.Fatalf("number as request ID: %+v", r)
	}
	if !strings.Contains(r.stderr, `no trace 0000000000031337 or 0000000000007a69; looking up "31337" as a correlation ID`) {
		t.Errorf("number: stderr %q", r.stderr)
	}

	// Nothing anywhere: one line naming both tries.
	r = live(t, "", append(isolate(t), "show", "--jaeger", j.BaseURL, "0ddba11c0ddba11c")...)
	if r.code != ExitRuntime || strings.Count(r.stderr, "\n") != 1 ||
		!strings.Contains(r.stderr, `trace 0ddba11c0ddba11c, or correlation ID "0ddba11c0ddba11c"`) || !strings.Contains(r.stderr, "not found") {
		t.Errorf("not found: %+v", r)
	}
}
