package jaegerjson

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/testkit/synth"
)

const fixtures = "../../testdata/fixtures/"

func codec() synth.Codec { return synth.Codec{Format: "jaeger", Decode: Decode, Encode: Encode} }

func decodeFile(t *testing.T, name string) []*backend.Trace {
	t.Helper()
	return codec().DecodeFile(t, fixtures, name)
}

func one(t *testing.T, name string) *backend.Trace {
	t.Helper()
	traces := decodeFile(t, name)
	if len(traces) != 1 {
		t.Fatalf("%s: %d traces, want 1", name, len(traces))
	}
	return traces[0]
}

func tag(t *testing.T, sp *backend.Span, key string) backend.KeyValue {
	t.Helper()
	kv, ok := sp.Tag(key)
	if !ok {
		t.Fatalf("span %s: no tag %q in %v", sp.SpanID, key, sp.Tags)
	}
	return kv
}

// Expected values below were read from testdata/fixtures/jaeger/ui_01.json.
func TestUI01(t *testing.T) {
	tr := one(t, "jaeger/ui_01.json")
	if tr.ID != "00000000000000000000000000000001" {
		t.Errorf("trace ID %q", tr.ID)
	}
	if len(tr.Spans) != 5 {
		t.Fatalf("%d spans, want 5", len(tr.Spans))
	}
	if len(tr.Warnings) != 1 || tr.Warnings[0] != "some trace warning" {
		t.Errorf("trace warnings %q", tr.Warnings)
	}
	wantIDs := []backend.SpanID{"0000000000000002", "0000000000000002", "0000000000000003", "0000000000000004", "0000000000000005"}
	wantParents := []backend.SpanID{"", "", "0000000000000002", "0000000000000002", "0000000000000004"}
	wantSvc := []string{"service-x", "service-x", "service-y", "service-y", "service-y"}
	wantOps := []string{"test-general-conversion", "some-operation", "some-operation", "reference-test", "preserveParentID-test"}
	for i := range tr.Spans {
		sp := &tr.Spans[i]
		if sp.SpanID != wantIDs[i] || sp.ParentID != wantParents[i] || sp.Service != wantSvc[i] || sp.Operation != wantOps[i] {
			t.Errorf("span %d: id %s parent %s service %s op %s", i, sp.SpanID, sp.ParentID, sp.Service, sp.Operation)
		}
		if sp.TraceID != tr.ID {
			t.Errorf("span %d trace ID %s", i, sp.TraceID)
		}
		if sp.Start != 1485467191639875*1000 {
			t.Errorf("span %d start %d", i, sp.Start)
		}
	}
	if tr.Spans[0].Process != tr.Spans[1].Process || tr.Spans[2].Process != tr.Spans[4].Process {
		t.Error("spans of one process do not share it")
	}
	if tr.Spans[0].Duration != 5000 || tr.Spans[4].Duration != 4000 {
		t.Errorf("durations %d %d, want 5000 4000 ns", tr.Spans[0].Duration, tr.Spans[4].Duration)
	}

	s0 := &tr.Spans[0]
	if len(s0.Logs) != 2 || s0.Logs[0].Time != 1485467191639875000 {
		t.Fatalf("logs %+v", s0.Logs)
	}
	if f := s0.Logs[0].Fields; len(f) != 1 || f[0].Key != "event" || f[0].Str != "some-event" {
		t.Errorf("log 0 fields %+v", f)
	}
	if f := s0.Logs[1].Fields; len(f) != 1 || f[0].Key != "x" || f[0].Str != "y" {
		t.Errorf("log 1 fields %+v", f)
	}

	s1 := &tr.Spans[1]
	if kv := tag(t, s1, "peer.service"); kv.Type != backend.TypeString || kv.Str != "service-y" {
		t.Errorf("peer.service %+v", kv)
	}
	if kv := tag(t, s1, "peer.ipv4"); kv.Type != backend.TypeInt64 || kv.Num != 23456 {
		t.Errorf("peer.ipv4 %+v", kv)
	}
	if kv := tag(t, s1, "error"); kv.Type != backend.TypeBool || !kv.BoolValue() {
		t.Errorf("error %+v", kv)
	}
	if kv := tag(t, s1, "temperature"); kv.Type != backend.TypeFloat64 || kv.FloatValue() != 72.5 {
		t.Errorf("temperature %+v", kv)
	}
	// Beyond 2^53, written as a JSON string: the exact value must survive.
	if kv := tag(t, s1, "javascript_limit"); kv.Type != backend.TypeInt64 || kv.Num != 9223372036854775222 {
		t.Errorf("javascript_limit %+v", kv)
	}
	// "AAAwOQ==" is base64 of 00 00 30 39 (12345 big-endian).
	if kv := tag(t, s1, "blob"); kv.Type != backend.TypeBinary || kv.Str != "\x00\x00\x30\x39" || kv.Value() != "00003039" {
		t.Errorf("blob %+v", kv)
	}
	if !s1.Error || tr.Spans[0].Error {
		t.Errorf("error flags %v %v", s1.Error, tr.Spans[0].Error)
	}

	s3 := &tr.Spans[3]
	if len(s3.References) != 3 {
		t.Fatalf("refs %+v", s3.References)
	}
	r0 := s3.References[0]
	if r0.Type != backend.RefChildOf || r0.TraceID != "000000000000000000000000000000ff" || r0.SpanID != "00000000000000ff" {
		t.Errorf("ref into another trace %+v", r0)
	}
	if s3.References[2].Type != backend.RefFollowsFrom {
		t.Errorf("third ref %+v", s3.References[2])
	}
	if len(s3.Warnings) != 1 || s3.Warnings[0] != "some span warning" {
		t.Errorf("span warnings %q", s3.Warnings)
	}
}

func TestJaegerUIFixtures(t *testing.T) {
	cases := []struct {
		file                   string
		traces, spans, errSpan int
		services               []string
	}{
		// Counts read from the files.
		{"jaeger-ui/testTrace.json", 1, 11, 1, []string{"service1", "service2"}},
		{"jaeger-ui/traceWithOverlappingChildrenLongerThanParent.json", 1, 4, 0, nil},
		{"jaeger-ui/traceWithSingleChildLongerThanParentAndStartsAfterParent.json", 1, 2, 0, nil},
		{"jaeger-ui/otlp2jaeger-out.json", 1, 2, 0, []string{"telemetrygen"}},
		{"jaeger/otlp2jaeger-out.json", 1, 2, 0, []string{"telemetrygen"}},
		{"jaeger-ui/oltp2jaeger-multi-out.json", 1, 4, 0, []string{"example-trace"}},
		{"captured/jaeger-v1.76.0/trace_skew_1e223ff1f80f1c69.json", 1, 4, 0, []string{"servicea", "serviceb"}},
		{"captured/jaeger-v1.76.0/trace_skew_1e223ff1f80f1c69_raw.json", 1, 4, 0, []string{"servicea", "serviceb"}},
		{"captured/jaeger-v1.42.0/trace_skew_1e223ff1f80f1c69.json", 1, 4, 0, []string{"servicea", "serviceb"}},
		{"captured/jaeger-v1.76.0/search_serviceb.json", 1, 4, 0, []string{"servicea", "serviceb"}},
		{"captured/jaeger-v1.76.0/trace_yelp_a03ee8fff1dcd9b9.json", 1, 16, -1, []string{"mobile_api", "routing", "spectre", "unknown", "yelp-main", "yelp_main/api_proxy"}},
		{"captured/jaeger-v1.42.0/trace_yelp_a03ee8fff1dcd9b9.json", 1, -1, -1, nil},
		{"captured/jaeger-v1.76.0/trace_messaging-kafka_0562809467078eab.json", 1, 28, 3, nil},
		{"captured/jaeger-v1.76.0/trace_otel_traces_01_00000000000000010000000000000000.json", 1, 2, -1, []string{"service-x"}},
		{"captured/jaeger-v1.76.0/search_mobile_api_tags_minDuration.json", 1, -1, -1, nil},
		{"captured/jaeger-v1.42.0/search_mobile_api_tags_minDuration.json", 1, -1, -1, nil},
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			traces := decodeFile(t, c.file)
			if len(traces) != c.traces {
				t.Fatalf("%d traces, want %d", len(traces), c.traces)
			}
			tr := traces[0]
			if c.spans >= 0 && len(tr.Spans) != c.spans {
				t.Errorf("%d spans, want %d", len(tr.Spans), c.spans)
			}
			if len(tr.Spans) == 0 {
				t.Fatal("no spans")
			}
			errs := 0
			svc := map[string]bool{}
			for i := range tr.Spans {
				sp := &tr.Spans[i]
				if sp.Error {
					errs++
				}
				svc[sp.Service] = true
				if sp.Service == "" || sp.Process == nil {
					t.Errorf("span %s has no service", sp.SpanID)
				}
				if !sp.TraceID.Valid() && strings.Contains(c.file, "captured") {
					t.Errorf("span trace ID %q", sp.TraceID)
				}
			}
			if c.errSpan >= 0 && errs != c.errSpan {
				t.Errorf("%d error spans, want %d", errs, c.errSpan)
			}
			for _, s := range c.services {
				if !svc[s] {
					t.Errorf("service %q missing from %v", s, svc)
				}
			}
			if c.services != nil && len(svc) != len(c.services) {
				t.Errorf("services %v, want %v", svc, c.services)
			}
		})
	}
}

// testTrace.json uses IDs that are not hex ("span-2_1"): kept as given.
func TestNonHexIDs(t *testing.T) {
	tr := one(t, "jaeger-ui/testTrace.json")
	if tr.ID != "trace-123" {
		t.Errorf("trace ID %q", tr.ID)
	}
	byID := map[backend.SpanID]*backend.Span{}
	for i := range tr.Spans {
		byID[tr.Spans[i].SpanID] = &tr.Spans[i]
	}
	if sp := byID["span-2_1"]; sp == nil || sp.ParentID != "span-1" || sp.Kind != backend.KindClient {
		t.Errorf("span-2_1: %+v", sp)
	}
	if sp := byID["span-7"]; sp == nil || sp.ParentID != "span-6" || sp.Kind != backend.KindConsumer || sp.Service != "service2" {
		t.Errorf("span-7: %+v", sp)
	}
	if sp := byID["span-2"]; sp == nil || !sp.Error {
		t.Errorf("span-2 should carry error=true: %+v", sp)
	}
}

// The captured skew trace: Jaeger renamed the shared server half to
// 0000000000000001 and gave it a clock-skew warning.
func TestCapturedSkew(t *testing.T) {
	tr := one(t, "captured/jaeger-v1.76.0/trace_skew_1e223ff1f80f1c69.json")
	if tr.ID != "00000000000000001e223ff1f80f1c69" || tr.ID.Short() != "1e223ff1f80f1c69" {
		t.Errorf("trace ID %q", tr.ID)
	}
	var found bool
	for _, sp := range tr.Spans {
		if sp.SpanID == "0000000000000001" {
			found = true
			if sp.ParentID != "74280ae0c10d8062" || sp.Service != "serviceb" || sp.Kind != backend.KindServer {
				t.Errorf("renamed server half: %+v", sp)
			}
			if len(sp.Warnings) != 1 || !strings.Contains(sp.Warnings[0], "65.922ms") {
				t.Errorf("warnings %q", sp.Warnings)
			}
		}
	}
	if !found {
		t.Error("span 0000000000000001 missing")
	}
	raw := one(t, "captured/jaeger-v1.76.0/trace_skew_1e223ff1f80f1c69_raw.json")
	n := 0
	for _, sp := range raw.Spans {
		if sp.SpanID == "74280ae0c10d8062" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("raw trace: %d spans with the shared ID, want 2", n)
	}
}

func TestMultiGetMissing(t *testing.T) {
	for _, v := range []string{"jaeger-v1.42.0", "jaeger-v1.76.0"} {
		b, err := os.ReadFile(fixtures + "captured/" + v + "/search_multiget_one_missing.json")
		if err != nil {
			t.Fatal(err)
		}
		resp, err := DecodeResponse(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Traces) != 1 || len(resp.Errors) != 1 {
			t.Fatalf("%s: %d traces %d errors", v, len(resp.Traces), len(resp.Errors))
		}
		if e := resp.Errors[0]; e.TraceID != "00000000000000000000000000000bad" || e.Msg != "trace not found" {
			t.Errorf("%s: error %+v", v, e)
		}
		traces, err := Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		w := traces[0].Warnings
		if len(w) != 1 || !strings.Contains(w[0], "0000000000000bad") || !strings.Contains(w[0], "trace not found") {
			t.Errorf("%s: warnings %q", v, w)
		}
	}
}

func TestErrorEnvelopes(t *testing.T) {
	cases := map[string]backend.ErrorKind{
		"captured/jaeger-v1.76.0/error_404_trace.json":                 backend.NotFound,
		"captured/jaeger-v1.42.0/error_404_trace.json":                 backend.NotFound,
		"captured/jaeger-v1.76.0/error_400_tags.json":                  backend.BadResponse,
		"captured/jaeger-v1.76.0/error_400_operations_no_service.json": backend.BadResponse,
	}
	codec().WantErrorKinds(t, fixtures, cases)
	_, err := Decode(strings.NewReader(`{"data":null,"errors":[{"code":404,"msg":"trace not found"}]}`))
	if !errors.Is(err, backend.ErrNotFound) {
		t.Errorf("404 envelope: %v", err)
	}
	// An envelope with no data and no errors is simply empty.
	traces, err := Decode(strings.NewReader(`{"data":[],"total":0,"limit":0,"offset":0,"errors":null}`))
	if err != nil || len(traces) != 0 {
		t.Errorf("empty envelope: %v %v", traces, err)
	}
}

func TestShapes(t *testing.T) {
	span := `{"traceID":"AbC","spanID":"1","operationName":"op","references":[],"startTime":2,"duration":3,"tags":[],"logs":[],"processID":"p1","warnings":null}`
	procs := `"processes":{"p1":{"serviceName":"svc","tags":[{"key":"hostname","type":"string","value":"h"}]}}`
	bare := `{"traceID":"abc","spans":[` + span + `],` + procs + `}`
	inputs := map[string]string{
		"bare":     bare,
		"envelope": `{"data":[` + bare + `],"errors":null}`,
		"list":     `[` + bare + `]`,
		// processes before spans, and keys in another order
		"reordered": `{` + procs + `,"spans":[` + span + `],"traceID":"abc"}`,
		"embedded":  `{"spans":[{"traceID":"abc","spanID":"1","operationName":"op","startTime":2,"duration":3,"process":{"serviceName":"svc","tags":[{"key":"hostname","type":"string","value":"h"}]}}]}`,
	}
	for name, in := range inputs {
		traces, err := Decode(strings.NewReader(in))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(traces) != 1 || len(traces[0].Spans) != 1 {
			t.Fatalf("%s: %+v", name, traces)
		}
		tr := traces[0]
		sp := tr.Spans[0]
		if tr.ID != "00000000000000000000000000000abc" || sp.TraceID != tr.ID || sp.SpanID != "0000000000000001" {
			t.Errorf("%s: ids %s %s %s", name, tr.ID, sp.TraceID, sp.SpanID)
		}
		if sp.Service != "svc" || sp.Process == nil || len(sp.Process.Tags) != 1 || sp.Process.Tags[0].Str != "h" {
			t.Errorf("%s: process %+v", name, sp.Process)
		}
		if sp.Start != 2000 || sp.Duration != 3000 || sp.Operation != "op" {
			t.Errorf("%s: %+v", name, sp)
		}
	}
}

func TestParentSpanIDAndTagFolding(t *testing.T) {
	in := `{"traceID":"1","spans":[{"traceID":"1","spanID":"2","parentSpanID":"3","operationName":"op","startTime":1,"duration":1,
	"tags":[{"key":"span.kind","type":"string","value":"producer"},{"key":"otel.status_code","type":"string","value":"ERROR"},
	{"key":"otel.status_description","type":"string","value":"boom"},{"key":"@jaeger@warnings","type":"string","value":"w1"},
	{"key":"n","type":"int64","value":"-9223372036854775808"},{"value":1.5,"key":"f","type":"float64"},{"key":"untyped","value":7}],
	"processID":"p1"}],"processes":{"p1":{"serviceName":"s"}}}`
	tr := one2(t, in)
	sp := tr.Spans[0]
	if sp.ParentID != "0000000000000003" || len(sp.References) != 1 || sp.References[0].Type != backend.RefChildOf {
		t.Errorf("parentSpanID: %+v", sp.References)
	}
	if sp.Kind != backend.KindProducer || sp.Status.Code != backend.StatusError || sp.Status.Message != "boom" || !sp.Error {
		t.Errorf("folded: kind %v status %+v error %v", sp.Kind, sp.Status, sp.Error)
	}
	if len(sp.Warnings) != 1 || sp.Warnings[0] != "w1" {
		t.Errorf("warnings %q", sp.Warnings)
	}
	if _, ok := sp.Tag("@jaeger@warnings"); ok {
		t.Error("warnings tag kept")
	}
	if kv, _ := sp.Tag("n"); kv.Num != -9223372036854775808 {
		t.Errorf("min int64 %+v", kv)
	}
	if kv, _ := sp.Tag("f"); kv.Type != backend.TypeFloat64 || kv.FloatValue() != 1.5 {
		t.Errorf("float written before its type: %+v", kv)
	}
	if kv, _ := sp.Tag("untyped"); kv.Type != backend.TypeInt64 || kv.Num != 7 {
		t.Errorf("untyped number %+v", kv)
	}
}

func one2(t *testing.T, in string) *backend.Trace {
	t.Helper()
	traces, err := Decode(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(traces) != 1 {
		t.Fatalf("%d traces", len(traces))
	}
	return traces[0]
}

func TestMalformed(t *testing.T) {
	good, err := os.ReadFile(fixtures + "jaeger/ui_01.json")
	if err != nil {
		t.Fatal(err)
	}
	inputs := map[string]string{
		"empty":          "",
		"spaces":         "  \n ",
		"truncated":      string(good[:len(good)/2]),
		"cut in string":  `{"traceID":"ab`,
		"trailing":       `{"data":[]} x`,
		"wrong type":     `{"data":[{"spans":[{"spanID":"1","startTime":{}}]}]}`,
		"span not obj":   `{"data":[{"spans":[1]}]}`,
		"number":         `42`,
		"bad literal":    `{"data":nul}`,
		"deep":           strings.Repeat("[", 100000) + strings.Repeat("]", 100000),
		"deep in tags":   `{"spans":[{"tags":[{"key":"a","value":` + strings.Repeat(`{"a":`, 5000) + `1` + strings.Repeat(`}`, 5000) + `}]}]}`,
		"missing colon":  `{"data" []}`,
		"missing comma":  `{"data":[] "errors":null}`,
		"trailing comma": `{"data":[],}`,
		"bad escape":     `{"traceID":"\x"}`,
		"control char":   "{\"traceID\":\"a\x01\"}",
		"bad number":     `{"data":[{"spans":[{"startTime":-}]}]}`,
	}
	for name, in := range inputs {
		_, err := Decode(strings.NewReader(in))
		synth.WantDecodeError(t, name, in, err)
	}
}

func TestErrorOffset(t *testing.T) {
	in := `{"data":[{"spans":[{"spanID":"1","startTime":true x`
	_, err := Decode(strings.NewReader(in))
	var be *backend.Error
	if !errors.As(err, &be) {
		t.Fatal(err)
	}
	if want := int64(strings.Index(in, "x")); be.Offset != want {
		t.Errorf("offset %d, want %d (%v)", be.Offset, want, err)
	}
}
