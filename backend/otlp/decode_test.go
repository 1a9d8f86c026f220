package otlp

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/jaegerjson"
	"github.com/tracetui/tracetui/internal/testkit/synth"
)

const fixtures = "../../testdata/fixtures/"

func codec() synth.Codec { return synth.Codec{Format: "otlp", Decode: Decode, Encode: Encode} }

func decodeFile(t *testing.T, name string) []*backend.Trace {
	t.Helper()
	return codec().DecodeFile(t, fixtures, name)
}

func findSpan(t *testing.T, tr *backend.Trace, id backend.SpanID) *backend.Span {
	t.Helper()
	for i := range tr.Spans {
		if tr.Spans[i].SpanID == id {
			return &tr.Spans[i]
		}
	}
	t.Fatalf("no span %s in trace %s", id, tr.ID)
	return nil
}

// Values read from testdata/fixtures/jaeger/otel_traces_01.json.
func TestOtelTraces01(t *testing.T) {
	traces := decodeFile(t, "jaeger/otel_traces_01.json")
	if len(traces) != 2 {
		t.Fatalf("%d traces, want 2", len(traces))
	}
	// First-seen order: span 2 of trace ...0001... comes first.
	if traces[0].ID != "00000000000000010000000000000000" || traces[1].ID != "00000000000000020000000000000000" {
		t.Errorf("trace order %s %s", traces[0].ID, traces[1].ID)
	}
	sp := findSpan(t, traces[0], "0000000000000002")
	if sp.ParentID != "0000000000000003" || sp.Kind != backend.KindServer || sp.Service != "service-x" || sp.Operation != "test-general-conversion-2" {
		t.Errorf("span 2: %+v", sp)
	}
	if sp.Start != 1485467191639875000 || sp.Duration != 5000 {
		t.Errorf("times %d %d", sp.Start, sp.Duration)
	}
	if sp.Status.Code != backend.StatusError || !sp.Error {
		t.Errorf("status %+v error %v", sp.Status, sp.Error)
	}
	want := map[string]backend.KeyValue{
		"peer.service":       backend.String("peer.service", "service-y"),
		"peer.ipv4":          backend.Int64("peer.ipv4", 23456),
		"blob":               backend.Binary("blob", []byte{0, 0, 0x30, 0x39}),
		"temperature":        backend.Float64("temperature", 72.5),
		"otel.scope.name":    backend.String("otel.scope.name", "testing-library-2"),
		"otel.scope.version": backend.String("otel.scope.version", "1.1.1"),
		"w3c.tracestate":     backend.String("w3c.tracestate", "state.2"),
	}
	for k, w := range want {
		got, ok := sp.Tag(k)
		if !ok || got != w {
			t.Errorf("tag %s = %+v, want %+v", k, got, w)
		}
	}
	if len(sp.Logs) != 2 {
		t.Fatalf("logs %+v", sp.Logs)
	}
	if l := sp.Logs[0]; l.Time != 1485467191639875000 || len(l.Fields) != 2 || l.Fields[0] != backend.String("event", "testing-event") || l.Fields[1] != backend.String("event-x", "event-y") {
		t.Errorf("event 0 %+v", l)
	}
	if l := sp.Logs[1]; len(l.Fields) != 1 || l.Fields[0] != backend.String("x", "y") {
		t.Errorf("unnamed event %+v", l)
	}
	// parentSpanId, then the two links; their opentracing.ref_type decides the type.
	refs := sp.References
	if len(refs) != 3 {
		t.Fatalf("refs %+v", refs)
	}
	if refs[0].Type != backend.RefChildOf || refs[0].SpanID != "0000000000000003" || refs[0].TraceID != traces[0].ID {
		t.Errorf("parent ref %+v", refs[0])
	}
	if refs[1].Type != backend.RefFollowsFrom || refs[1].SpanID != "0000000000000004" || len(refs[1].Attributes) != 1 {
		t.Errorf("link 1 %+v", refs[1])
	}
	if refs[2].Type != backend.RefChildOf || refs[2].TraceID != "00000000000000ff0000000000000000" || refs[2].SpanID != "00000000000000ff" {
		t.Errorf("link 2 %+v", refs[2])
	}
	s3 := findSpan(t, traces[1], "0000000000000003")
	if s3.Kind != backend.KindClient || s3.ParentID != "0000000000000010" {
		t.Errorf("span 3 %+v", s3)
	}
	if findSpan(t, traces[0], "0000000000000004").Kind != backend.KindProducer || findSpan(t, traces[1], "0000000000000005").Kind != backend.KindConsumer {
		t.Error("producer/consumer kinds")
	}
}

func TestExampleTrace(t *testing.T) {
	traces := decodeFile(t, "jaeger/example_trace.json")
	if len(traces) != 1 || len(traces[0].Spans) != 5 {
		t.Fatalf("%+v", traces)
	}
	tr := traces[0]
	svc := map[backend.SpanID]string{"0000000000000004": "example-service-2", "0000000000000005": "example-service-3", "0000000000000003": "example-service-1", "0000000000000006": "example-service-1", "0000000000000007": "example-service-1"}
	for id, s := range svc {
		if got := findSpan(t, tr, id).Service; got != s {
			t.Errorf("span %s service %q want %q", id, got, s)
		}
	}
	if findSpan(t, tr, "0000000000000006").Process != findSpan(t, tr, "0000000000000007").Process {
		t.Error("spans of one resource do not share the process")
	}
	if k := findSpan(t, tr, "0000000000000007").Kind; k != backend.KindClient {
		t.Errorf("kind %v", k)
	}
}

// The OTLP spec example: UPPERCASE hex and the scope; Tempo's copy wraps the
// same data in "batches".
func TestSpecExampleAndTempo(t *testing.T) {
	for _, f := range []string{"otel-proto/trace.json", "tempo/trace.json"} {
		traces := decodeFile(t, f)
		if len(traces) != 1 || len(traces[0].Spans) != 1 {
			t.Fatalf("%s: %+v", f, traces)
		}
		sp := traces[0].Spans[0]
		if sp.TraceID != "5b8efff798038103d269b633813fc60c" || sp.SpanID != "eee19b7ec3c1b174" || sp.ParentID != "eee19b7ec3c1b173" {
			t.Errorf("%s: ids %s %s %s", f, sp.TraceID, sp.SpanID, sp.ParentID)
		}
		if sp.Service != "my.service" || sp.Operation != "I'm a server span" || sp.Kind != backend.KindServer {
			t.Errorf("%s: %+v", f, sp)
		}
		if sp.Start != 1544712660000000000 || sp.Duration != 1e9 {
			t.Errorf("%s: times %d %d", f, sp.Start, sp.Duration)
		}
		if kv, _ := sp.Tag("my.span.attr"); kv.Str != "some value" {
			t.Errorf("%s: attr %+v", f, kv)
		}
	}
}

func TestAPIv3(t *testing.T) {
	for _, f := range []string{"jaeger/api_v3/GetTrace.json", "jaeger/api_v3/FindTraces.json"} {
		traces := decodeFile(t, f)
		if len(traces) != 1 || len(traces[0].Spans) != 1 {
			t.Fatalf("%s: %+v", f, traces)
		}
		sp := traces[0].Spans[0]
		if sp.TraceID != "00000000000000000000000000000001" || sp.SpanID != "0000000000000002" || sp.Kind != backend.KindServer || sp.Status.Code != backend.StatusError || !sp.Error || sp.Operation != "foobar" {
			t.Errorf("%s: %+v", f, sp)
		}
	}
	// v1.42 (grpc-gateway): base64 IDs, enum names, instrumentationLibrarySpans.
	// v1.76: hex IDs, integer enums, the warnings attribute. Same trace.
	old := decodeFile(t, "captured/jaeger-v1.42.0/v3_trace_skew_1e223ff1f80f1c69.json")
	cur := decodeFile(t, "captured/jaeger-v1.76.0/v3_trace_skew_1e223ff1f80f1c69.json")
	for _, traces := range [][]*backend.Trace{old, cur} {
		if len(traces) != 1 || len(traces[0].Spans) != 4 || traces[0].ID != "00000000000000001e223ff1f80f1c69" {
			t.Fatalf("%+v", traces)
		}
		tr := traces[0]
		if sp := findSpan(t, tr, "bf396325699c84bf"); sp.ParentID != "" || sp.Service != "servicea" || sp.Kind != backend.KindServer || sp.Operation != "get" {
			t.Errorf("root %+v", sp)
		}
		if sp := findSpan(t, tr, "0000000000000001"); sp.ParentID != "74280ae0c10d8062" || sp.Service != "serviceb" {
			t.Errorf("renamed server half %+v", sp)
		}
		if sp := findSpan(t, tr, "74280ae0c10d8062"); sp.Kind != backend.KindClient || sp.Start != 1470150004074202000 || sp.Duration != 94539000 {
			t.Errorf("client %+v", sp)
		}
	}
	if sp := findSpan(t, old[0], "bf396325699c84bf"); sp.Process == nil || len(sp.Process.Tags) != 1 || sp.Process.Tags[0] != backend.Int64("ip", 2130706432) {
		t.Errorf("resource attributes %+v", sp.Process)
	}
	if sp := findSpan(t, old[0], "43210ae0c10d1234"); sp.Kind != backend.KindInternal {
		t.Errorf("SPAN_KIND_INTERNAL gave %v", sp.Kind)
	}
	w := findSpan(t, cur[0], "0000000000000001").Warnings
	if len(w) != 1 || w[0] != "clock skew adjustment disabled; not applying calculated delta of 65.922ms" {
		t.Errorf("warnings %q", w)
	}
	if _, ok := findSpan(t, cur[0], "0000000000000001").Tag(WarningsAttribute); ok {
		t.Error("warnings attribute kept as a tag")
	}
}

func TestAPIv3Errors(t *testing.T) {
	cases := map[string]backend.ErrorKind{
		"captured/jaeger-v1.76.0/v3_error_404_not_found.json":    backend.NotFound,
		"captured/jaeger-v1.76.0/v3_error_404_empty_search.json": backend.NotFound,
		"captured/jaeger-v1.42.0/v3_error_500_not_found.json":    backend.NotFound,
		"captured/jaeger-v1.76.0/v3_error_400_no_time.json":      backend.BadResponse,
		"captured/jaeger-v1.42.0/v3_error_500_no_time.json":      backend.BadResponse,
	}
	codec().WantErrorKinds(t, fixtures, cases)
}

type flat struct {
	trace, span, parent backend.SpanID
	service, op         string
	start, dur          int64
}

func flatten(traces []*backend.Trace) []flat {
	var out []flat
	for _, t := range traces {
		for _, s := range t.Spans {
			// Jaeger JSON has µs precision.
			out = append(out, flat{backend.SpanID(s.TraceID), s.SpanID, s.ParentID, s.Service, s.Operation, s.Start / 1000, s.Duration / 1000})
		}
	}
	slices.SortFunc(out, func(a, b flat) int {
		return strings.Compare(string(a.span)+a.op+string(a.parent), string(b.span)+b.op+string(b.parent))
	})
	return out
}

func decodeJaeger(t *testing.T, name string) []*backend.Trace {
	t.Helper()
	return synth.Codec{Format: "jaeger", Decode: jaegerjson.Decode, Encode: jaegerjson.Encode}.DecodeFile(t, fixtures, name)
}

// The same traces written by Jaeger in its own JSON and in OTLP give the
// same spans.
func TestSameAsJaegerJSON(t *testing.T) {
	pairs := [][2]string{
		{"jaeger-ui/otlp2jaeger-in.json", "jaeger-ui/otlp2jaeger-out.json"},
		{"jaeger-ui/otlp2jaeger-in.json", "jaeger/otlp2jaeger-out.json"},
		{"jaeger-ui/otlp2jaeger-multi-in-combined.json", "jaeger-ui/oltp2jaeger-multi-out.json"},
		{"jaeger/otel_traces_01.json", "captured/jaeger-v1.76.0/trace_otel_traces_01_00000000000000010000000000000000.json"},
		{"captured/jaeger-v1.76.0/v3_trace_otel_traces_01_00000000000000010000000000000000.json", "captured/jaeger-v1.76.0/trace_otel_traces_01_00000000000000010000000000000000.json"},
		{"captured/jaeger-v1.76.0/v3_trace_skew_1e223ff1f80f1c69.json", "captured/jaeger-v1.76.0/trace_skew_1e223ff1f80f1c69.json"},
		{"captured/jaeger-v1.42.0/v3_trace_skew_1e223ff1f80f1c69.json", "captured/jaeger-v1.42.0/trace_skew_1e223ff1f80f1c69.json"},
	}
	for _, p := range pairs {
		o := decodeFile(t, p[0])
		j := decodeJaeger(t, p[1])
		if p[0] == "jaeger/otel_traces_01.json" {
			o = o[:1] // the capture is of the first trace only
		}
		fo, fj := flatten(o), flatten(j)
		if len(fo) == 0 || !slices.Equal(fo, fj) {
			t.Errorf("%s vs %s:\n otlp   %+v\n jaeger %+v", p[0], p[1], fo, fj)
		}
		for i := range o {
			for k := range o[i].Spans {
				so := &o[i].Spans[k]
				for _, sj := range j[i].Spans {
					if sj.SpanID == so.SpanID && sj.Operation == so.Operation && (sameKind(sj.Kind) != sameKind(so.Kind) || sj.Error != so.Error) {
						t.Errorf("%s span %s: kind %v/%v error %v/%v", p[0], so.SpanID, so.Kind, sj.Kind, so.Error, sj.Error)
					}
				}
			}
		}
	}
}

// sameKind folds internal into unspecified: Jaeger writes no span.kind tag
// for internal spans.
func sameKind(k backend.SpanKind) backend.SpanKind {
	if k == backend.KindInternal {
		return backend.KindUnspecified
	}
	return k
}

// otlp2jaeger-in-error.json is well-formed JSON whose resource lacks
// service.name; Jaeger UI's test uses it for a transform failure. It decodes,
// and the trace says what is missing.
func TestNoServiceName(t *testing.T) {
	traces := decodeFile(t, "jaeger-ui/otlp2jaeger-in-error.json")
	if len(traces) != 1 || len(traces[0].Spans) != 1 {
		t.Fatalf("%+v", traces)
	}
	if s := traces[0].Spans[0].Service; s != NoServiceName {
		t.Errorf("service %q", s)
	}
	if len(traces[0].Warnings) != 1 || !strings.Contains(traces[0].Warnings[0], "service.name") {
		t.Errorf("warnings %q", traces[0].Warnings)
	}
}

func TestVariants(t *testing.T) {
	in := `{"trace":{"resourceSpans":[{"scopeSpans":[{"spans":[
	{"traceId":"W47/95gDgQPSabYzgT/HAA==","spanId":"AAAAAAAAAAE=","parentSpanId":"AAAAAAAAAAA=","kind":"SPAN_KIND_CONSUMER",
	 "startTimeUnixNano":1000,"endTimeUnixNano":"3000","status":{"code":"STATUS_CODE_OK","message":"fine"},
	 "attributes":[{"key":"arr","value":{"arrayValue":{"values":[{"stringValue":"a"},{"intValue":"7"},{"boolValue":true},{"doubleValue":"NaN"}]}}},
	   {"key":"map","value":{"kvlistValue":{"values":[{"key":"k","value":{"arrayValue":{}}},{"key":"q\"","value":{}}]}}},
	   {"key":"big","value":{"intValue":"9223372036854775807"}},{"key":"neg","value":{"intValue":-5}},
	   {"key":"@jaeger@warnings","value":{"arrayValue":{"values":[{"stringValue":"w1"},{"stringValue":"w2"}]}}}]},
	{"spanId":"aaaaaaaaaaaaaaab","traceId":"5B8EFFF798038103D269B633813FC60C","kind":"3","status":{"code":"2"}}
	]}],"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"late"}}]}}]},"status":"PARTIAL"}`
	traces, err := Decode(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(traces) != 2 || len(traces[0].Spans) != 1 || len(traces[1].Spans) != 1 {
		t.Fatalf("want two traces of one span: %+v", traces)
	}
	a, b := traces[0].Spans[0], traces[1].Spans[0]
	// W47/95gDgQPSabYzgT/HAA== is 5b8efff7 98038103 d269b633 813fc700 in hex.
	if a.TraceID != "5b8efff798038103d269b633813fc700" || a.SpanID != "0000000000000001" || a.ParentID != "" {
		t.Errorf("base64 ids %s %s %q", a.TraceID, a.SpanID, a.ParentID)
	}
	if a.Kind != backend.KindConsumer || a.Status != (backend.Status{Code: backend.StatusOK, Message: "fine"}) || a.Start != 1000 || a.Duration != 2000 {
		t.Errorf("span a %+v", a)
	}
	if a.Service != "late" || b.Service != "late" {
		t.Errorf("resource after spans: %q %q", a.Service, b.Service)
	}
	if kv, _ := a.Tag("arr"); kv.Type != backend.TypeJSON || kv.Str != `["a",7,true,"NaN"]` {
		t.Errorf("array %+v", kv)
	}
	if kv, _ := a.Tag("map"); kv.Type != backend.TypeJSON || kv.Str != `{"k":[],"q\"":null}` {
		t.Errorf("kvlist %+v", kv)
	}
	if kv, _ := a.Tag("big"); kv.Num != 9223372036854775807 {
		t.Errorf("big %+v", kv)
	}
	if kv, _ := a.Tag("neg"); kv.Num != -5 {
		t.Errorf("neg %+v", kv)
	}
	if !slices.Equal(a.Warnings, []string{"w1", "w2"}) {
		t.Errorf("warnings %q", a.Warnings)
	}
	if b.TraceID != "5b8efff798038103d269b633813fc60c" || traces[1].ID != b.TraceID {
		t.Errorf("b trace %s", b.TraceID)
	}
	if b.Kind != backend.KindClient || b.Status.Code != backend.StatusError || !b.Error || b.SpanID != "aaaaaaaaaaaaaaab" {
		t.Errorf("span b %+v", b)
	}
}

func TestMalformed(t *testing.T) {
	good, err := os.ReadFile(fixtures + "jaeger/otel_traces_01.json")
	if err != nil {
		t.Fatal(err)
	}
	inputs := map[string]string{
		"empty":       "",
		"truncated":   string(good[:len(good)*2/3]),
		"array":       `[]`,
		"trailing":    `{"resourceSpans":[]}{}`,
		"wrong type":  `{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":[1]}]}]}]}`,
		"span number": `{"resourceSpans":[{"scopeSpans":[{"spans":[5]}]}]}`,
		"rs string":   `{"resourceSpans":["x"]}`,
		"deep":        `{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"a","value":` + strings.Repeat(`{"arrayValue":{"values":[`, 2000) + strings.Repeat(`]}}`, 2000) + `}]}]}]}]}`,
		"deep skip":   `{"x":` + strings.Repeat("[", 1e5) + strings.Repeat("]", 1e5) + `}`,
		"bad int":     `{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"12x"}]}]}]}`,
	}
	for name, in := range inputs {
		_, err := Decode(strings.NewReader(in))
		synth.WantDecodeError(t, name, in, err)
	}
}
