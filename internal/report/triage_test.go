package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend"
)

// HotROD's failing redis call: OTel status ERROR with a message, no error
// tag, an exception event and an error-level log. show names the reason.
func TestShowTextErrorReason(t *testing.T) {
	const t0 = int64(1_700_000_000_000_000_000)
	root := backend.Span{TraceID: "t", SpanID: "1", Service: "frontend", Operation: "HTTP GET /dispatch", Start: t0, Duration: 700e6}
	redis := backend.Span{TraceID: "t", SpanID: "2", Service: "redis", Operation: "GetDriver", Start: t0 + 1e6, Duration: 30e6,
		References: []backend.Ref{{Type: backend.RefChildOf, SpanID: "1"}},
		Status:     backend.Status{Code: backend.StatusError, Message: "redis timeout"},
		Logs: []backend.Log{{Time: t0 + 2e6, Fields: []backend.KeyValue{backend.String("event", "exception"),
			backend.String("exception.message", "redis timeout")}}}}
	root.Finish()
	redis.Finish()
	var buf bytes.Buffer
	if err := ShowText(&buf, analysis.Analyze(&backend.Trace{ID: "t", Spans: []backend.Span{root, redis}}), TextOptions{Width: 100}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"Error started in redis GetDriver: redis timeout", "Error origin: redis GetDriver", "\n  redis timeout\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if strings.Contains(out, "the critical path covers") {
		t.Errorf("a complete path described:\n%s", out)
	}
}
