package analysis

import (
	"strings"
	"testing"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/jaegerjson"
	"github.com/tracetui/tracetui/backend/otlp"
)

// A consumer that starts a trace of its own with a link to the producer's
// trace, in the forms the decoders read: OTLP links (plain, and as the
// OpenTracing shim writes FOLLOWS_FROM), and Jaeger JSON, where Jaeger
// shows an OTel link as a FOLLOWS_FROM reference into the other trace.
// The span is a root with a link, not a span whose parent is missing.
func TestLinksToAnotherTraceAreNotParents(t *testing.T) {
	const (
		other = "00000000000000000000000000000001"
		this  = "00000000000000000000000000000002"
	)
	otlpDoc := `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"worker"}}]},
	"scopeSpans":[{"spans":[
	 {"traceId":"` + this + `","spanId":"0000000000000001","name":"process","kind":5,"startTimeUnixNano":"1000","endTimeUnixNano":"9000",
	  "links":[{"traceId":"` + other + `","spanId":"000000000000000a"}]},
	 {"traceId":"` + this + `","spanId":"0000000000000002","name":"shim","startTimeUnixNano":"2000","endTimeUnixNano":"3000",
	  "links":[{"traceId":"` + other + `","spanId":"000000000000000b",
	   "attributes":[{"key":"opentracing.ref_type","value":{"stringValue":"follows_from"}}]}]},
	 {"traceId":"` + this + `","spanId":"0000000000000003","parentSpanId":"0000000000000001","name":"store",
	  "startTimeUnixNano":"4000","endTimeUnixNano":"5000","links":[{"traceId":"` + other + `","spanId":"000000000000000c"}]}
	]}]}]}`
	jaegerDoc := `{"data":[{"traceID":"2","processes":{"p1":{"serviceName":"worker"}},"spans":[
	 {"traceID":"2","spanID":"1","operationName":"process","startTime":1,"duration":8,"processID":"p1",
	  "references":[{"refType":"FOLLOWS_FROM","traceID":"1","spanID":"a"}]},
	 {"traceID":"2","spanID":"2","operationName":"shim","startTime":2,"duration":1,"processID":"p1",
	  "references":[{"refType":"FOLLOWS_FROM","traceID":"1","spanID":"b"}]},
	 {"traceID":"2","spanID":"3","operationName":"store","startTime":4,"duration":1,"processID":"p1",
	  "references":[{"refType":"CHILD_OF","traceID":"2","spanID":"1"},{"refType":"FOLLOWS_FROM","traceID":"1","spanID":"c"}]}
	]}]}`
	for name, decode := range map[string]func() ([]*backend.Trace, error){
		"otlp":   func() ([]*backend.Trace, error) { return otlp.Decode(strings.NewReader(otlpDoc)) },
		"jaeger": func() ([]*backend.Trace, error) { return jaegerjson.Decode(strings.NewReader(jaegerDoc)) },
	} {
		t.Run(name, func(t *testing.T) {
			traces, err := decode()
			if err != nil || len(traces) != 1 {
				t.Fatalf("%d traces, %v", len(traces), err)
			}
			tr := traces[0]
			want := map[string]backend.SpanID{"process": "", "shim": "", "store": "0000000000000001"}
			for i := range tr.Spans {
				s := &tr.Spans[i]
				if s.ParentID != want[s.Operation] {
					t.Errorf("%s: parent %q, want %q", s.Operation, s.ParentID, want[s.Operation])
				}
				linked := false
				for _, r := range s.References {
					linked = linked || r.TraceID == other
				}
				if !linked {
					t.Errorf("%s lost its link to the other trace: %+v", s.Operation, s.References)
				}
			}
			tree := BuildTree(tr)
			if len(tree.Warnings) != 0 || len(tree.Roots) != 2 {
				t.Errorf("roots %v, warnings %q", tree.Roots, tree.Warnings)
			}
		})
	}
}
