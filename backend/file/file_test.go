package file

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/jaegerjson"
	"github.com/tracetui/tracetui/backend/otlp"
	"github.com/tracetui/tracetui/backend/zipkin"
	"github.com/tracetui/tracetui/internal/testkit/synth"
)

const fixtures = "../../testdata/fixtures/"

func TestDetect(t *testing.T) {
	cases := map[string]Format{
		`{"data":[]}`:                          JaegerJSON,
		`{"traceID":"1","spans":[]}`:           JaegerJSON,
		` [{"traceID":"1","spans":[]}]`:        JaegerJSON,
		`[{"spans":[],"traceID":"1"}]`:         JaegerJSON,
		`[{"traceId":"1","id":"2"}]`:           ZipkinJSON,
		`[{"name":"x","id":"2"}]`:              ZipkinJSON,
		`[[{"traceId":"1","id":"2"}]]`:         ZipkinJSON,
		`{"resourceSpans":[]}`:                 OTLPJSON,
		`{"batches":[]}`:                       OTLPJSON,
		`{"result":{"resourceSpans":[]}}`:      OTLPJSON,
		`{"trace":{},"status":"PARTIAL"}`:      OTLPJSON,
		`{"unknown":1,"resourceSpans":[]}`:     OTLPJSON,
		`[]`:                                   Empty,
		`[ ]`:                                  Empty,
		`{}`:                                   Unknown,
		`"x"`:                                  Unknown,
		`<html>`:                               Unknown,
		``:                                     Unknown,
		`[1]`:                                  Unknown,
		`{"services":["a"]}`:                   Unknown,
		`{"x":"` + strings.Repeat("a", 100000): Unknown,
	}
	for in, want := range cases {
		if got := Detect([]byte(in)); got != want {
			t.Errorf("Detect(%.40q) = %v, want %v", in, got, want)
		}
	}
}

func open(t *testing.T, paths ...string) *Backend {
	t.Helper()
	b, err := Open(paths, nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEveryFixtureLoads(t *testing.T) {
	var files []string
	for _, dir := range []string{"jaeger", "jaeger/api_v3", "jaeger-ui", "otel-proto", "tempo", "zipkin", "captured/jaeger-v1.42.0", "captured/jaeger-v1.76.0"} {
		m, _ := filepath.Glob(fixtures + dir + "/*.json")
		files = append(files, m...)
	}
	if len(files) < 40 {
		t.Fatalf("only %d fixtures found", len(files))
	}
	loaded := 0
	for _, f := range files {
		base := filepath.Base(f)
		b, err := Open([]string{f}, nil)
		// Bodies that are not traces: service and operation lists, summaries,
		// dependency links and error envelopes.
		notTrace := strings.Contains(base, "services") || strings.Contains(base, "operations") || strings.Contains(base, "Operations") ||
			strings.Contains(base, "Services") || strings.Contains(base, "Summaries") || strings.Contains(base, "dependencies") ||
			base == "small.json" || strings.Contains(base, "error")
		if base == "otlp2jaeger-in-error.json" {
			notTrace = false
		}
		if notTrace {
			if err == nil && len(b.Traces()) > 0 {
				t.Errorf("%s: %d traces from a body that holds none", f, len(b.Traces()))
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if len(b.Traces()) == 0 || len(b.Traces()[0].Spans) == 0 {
			t.Errorf("%s: no spans", f)
		}
		loaded++
	}
	if loaded < 30 {
		t.Errorf("only %d trace fixtures loaded", loaded)
	}
}

func TestFormats(t *testing.T) {
	cases := []struct {
		file     string
		spans    int
		services []string
	}{
		{"jaeger/ui_01.json", 5, []string{"service-x", "service-y"}},
		{"jaeger-ui/otlp2jaeger-out.json", 2, []string{"telemetrygen"}},
		{"jaeger/otel_traces_01.json", 2, []string{"service-x"}},
		{"tempo/trace.json", 1, []string{"my.service"}},
		{"jaeger/api_v3/GetTrace.json", 1, []string{otlp.NoServiceName}},
		{"zipkin/messaging.json", 4, nil},
	}
	for _, c := range cases {
		b := open(t, fixtures+c.file)
		tr := b.Traces()[0]
		if len(tr.Spans) != c.spans {
			t.Errorf("%s: %d spans, want %d", c.file, len(tr.Spans), c.spans)
		}
		if c.services != nil {
			got, _ := b.Services(context.Background())
			if !slices.Equal(got, c.services) && c.file != "jaeger/otel_traces_01.json" {
				t.Errorf("%s: services %q, want %q", c.file, got, c.services)
			}
		}
	}
	// Zipkin: the 128-bit trace ID of messaging.json and its services.
	b := open(t, fixtures+"zipkin/messaging.json")
	if id := b.Traces()[0].ID; len(id) != 32 || id.Short() != string(id) {
		t.Errorf("zipkin 128-bit id %q", id)
	}
}

func TestJSONLinesAndMerge(t *testing.T) {
	// One OTLP document per line, as the collector's file exporter writes;
	// the two halves of trace 1 are in different lines.
	lines := []string{
		`{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"a"}}]},"scopeSpans":[{"spans":[{"traceId":"00000000000000000000000000000001","spanId":"0000000000000001","name":"root","startTimeUnixNano":"1000","endTimeUnixNano":"9000"}]}]}]}`,
		`{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"b"}}]},"scopeSpans":[{"spans":[{"traceId":"00000000000000000000000000000001","spanId":"0000000000000002","parentSpanId":"0000000000000001","name":"child","startTimeUnixNano":"2000","endTimeUnixNano":"3000"}]}]}]}`,
		``,
		`{"data":[{"traceID":"2","spans":[{"traceID":"2","spanID":"5","operationName":"j","startTime":5,"duration":1,"processID":"p1"}],"processes":{"p1":{"serviceName":"c"}}}]}`,
		`[{"traceId":"3","id":"7","name":"z","timestamp":7,"duration":1,"localEndpoint":{"serviceName":"d"}}]`,
	}
	in := strings.Join(lines, "\n") + "\n"
	b, err := Open([]string{"-"}, strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if b.Name() != "file stdin" {
		t.Errorf("name %q", b.Name())
	}
	traces := b.Traces()
	if len(traces) != 3 {
		t.Fatalf("%d traces, want 3", len(traces))
	}
	if tr := traces[0]; tr.ID != "00000000000000000000000000000001" || len(tr.Spans) != 2 || tr.Spans[1].ParentID != "0000000000000001" {
		t.Errorf("merged trace %+v", tr)
	}
	svc, _ := b.Services(context.Background())
	if !slices.Equal(svc, []string{"a", "b", "c", "d"}) {
		t.Errorf("services %q", svc)
	}

	// The same trace split across two files merges too.
	dir := t.TempDir()
	p1, p2 := filepath.Join(dir, "one.json"), filepath.Join(dir, "two.jsonl")
	os.WriteFile(p1, []byte(lines[0]), 0o600)
	os.WriteFile(p2, []byte(lines[1]+"\n"+lines[3]), 0o600)
	b = open(t, p1, p2)
	if len(b.Traces()) != 2 || len(b.Traces()[0].Spans) != 2 {
		t.Errorf("merge across files: %d traces", len(b.Traces()))
	}
	if !strings.Contains(b.Name(), "one.json") || !strings.Contains(b.Name(), "two.jsonl") {
		t.Errorf("name %q", b.Name())
	}
}

func TestGzipAndBOM(t *testing.T) {
	raw, err := os.ReadFile(fixtures + "jaeger/ui_01.json")
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(raw)
	zw.Close()
	for name, in := range map[string][]byte{"gzip": gz.Bytes(), "bom": append([]byte{0xef, 0xbb, 0xbf}, raw...)} {
		traces, err := Decode(bytes.NewReader(in))
		if err != nil || len(traces) != 1 || len(traces[0].Spans) != 5 {
			t.Errorf("%s: %v %v", name, traces, err)
		}
	}
}

func TestSearchAndTrace(t *testing.T) {
	ctx := context.Background()
	b := open(t, fixtures+"captured/jaeger-v1.76.0/trace_skew_1e223ff1f80f1c69.json",
		fixtures+"captured/jaeger-v1.76.0/trace_yelp_a03ee8fff1dcd9b9.json",
		fixtures+"jaeger/ui_01.json")
	all, err := b.Search(ctx, backend.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 {
		t.Fatalf("%d results for the empty query, want 3", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i-1].Start < all[i].Start {
			t.Errorf("not newest first: %v", all)
		}
	}
	// The skew trace's root is servicea "get" (bf396325699c84bf has no parent).
	res, _ := b.Search(ctx, backend.Query{Service: "serviceb"})
	if len(res) != 1 || res[0].TraceID != "00000000000000001e223ff1f80f1c69" || res[0].RootService != "servicea" || res[0].RootOperation != "get" || res[0].SpanCount != 4 {
		t.Errorf("service search %+v", res)
	}
	res, _ = b.Search(ctx, backend.Query{Tags: []backend.Tag{{Key: "peer.ipv4", Value: "23456"}}})
	if len(res) != 1 || res[0].TraceID != "00000000000000000000000000000001" {
		t.Errorf("tag search %+v", res)
	}
	res, _ = b.Search(ctx, backend.Query{Service: "serviceb", Operation: "async", MinDuration: 60 * time.Millisecond, MaxDuration: 70 * time.Millisecond})
	if len(res) != 1 {
		t.Errorf("duration search %+v", res)
	}
	res, _ = b.Search(ctx, backend.Query{Service: "serviceb", Operation: "async", MinDuration: 66 * time.Millisecond})
	if len(res) != 0 {
		t.Errorf("min duration not applied: %+v", res)
	}
	// Window: the skew trace is from 2016-08-02.
	res, _ = b.Search(ctx, backend.Query{Start: time.Date(2016, 8, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2016, 8, 3, 0, 0, 0, 0, time.UTC)})
	if len(res) != 1 || res[0].TraceID != "00000000000000001e223ff1f80f1c69" {
		t.Errorf("window search %+v", res)
	}
	res, _ = b.Search(ctx, backend.Query{Limit: 2})
	if len(res) != 2 {
		t.Errorf("limit: %d", len(res))
	}
	ops, _ := b.Operations(ctx, "serviceb")
	if !slices.ContainsFunc(ops, func(o backend.Operation) bool { return o.Name == "post" && o.Kind == "server" }) {
		t.Errorf("operations %+v", ops)
	}

	tr, err := b.Trace(ctx, "00000000000000001e223ff1f80f1c69", backend.TraceOptions{})
	if err != nil || len(tr.Spans) != 4 {
		t.Errorf("trace: %v", err)
	}
	if tr2, err := b.Trace(ctx, "1E223FF1F80F1C69", backend.TraceOptions{}); err != nil || tr2 != tr {
		t.Errorf("short upper-case id: %v", err)
	}
	_, err = b.Trace(ctx, "00000000000000000000000000000bad", backend.TraceOptions{})
	if !errors.Is(err, backend.ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := b.Search(cctx, backend.Query{}); !errors.Is(err, backend.ErrCanceled) {
		t.Errorf("canceled search: %v", err)
	}
	var _ backend.Backend = b
}

func TestErrors(t *testing.T) {
	_, err := Open([]string{"/nonexistent/trace.json"}, nil)
	if !errors.Is(err, backend.ErrNotFound) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := Open(nil, nil); err == nil {
		t.Error("no paths accepted")
	}
	inputs := map[string]string{
		"empty":            "",
		"spaces":           "\n\n",
		"html":             "<html></html>",
		"unknown object":   `{"hello":1}`,
		"truncated jaeger": `{"data":[{"traceID":"1","spans":[{"spanID":`,
		"bad second line":  `{"resourceSpans":[]}` + "\n" + `{"resourceSpans":[{"scopeSpans":[{"spans":[1]}]}]}`,
		"garbage after":    `{"data":[]} xyz`,
	}
	for name, in := range inputs {
		_, err := Open([]string{"-"}, strings.NewReader(in))
		var be *backend.Error
		if !errors.As(err, &be) || be.Kind != backend.DecodeError {
			t.Errorf("%s: %v, want a decode error", name, err)
			continue
		}
		if be.Offset < 0 || be.Offset > int64(len(in)) {
			t.Errorf("%s: offset %d", name, be.Offset)
		}
		if !strings.Contains(be.Error(), "stdin") {
			t.Errorf("%s: error does not name the input: %v", name, be)
		}
	}
	// The offset of an error in the second document counts from the file start.
	in := `{"resourceSpans":[]}` + "\n" + `{"resourceSpans":[x]}`
	_, err = Open([]string{"-"}, strings.NewReader(in))
	var be *backend.Error
	if !errors.As(err, &be) || be.Offset != int64(strings.Index(in, "x")) {
		t.Errorf("offset in second document: %v", err)
	}
}

func TestAllEncodersReadBack(t *testing.T) {
	tr := synth.Trace(50, 7)
	var j, o, z bytes.Buffer
	if err := jaegerjson.Encode(&j, []*backend.Trace{tr}); err != nil {
		t.Fatal(err)
	}
	if err := otlp.Encode(&o, []*backend.Trace{tr}); err != nil {
		t.Fatal(err)
	}
	if err := zipkin.Encode(&z, tr); err != nil {
		t.Fatal(err)
	}
	for name, buf := range map[string]*bytes.Buffer{"jaeger": &j, "otlp": &o, "zipkin": &z} {
		traces, err := Decode(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(traces) != 1 || traces[0].ID != tr.ID || len(traces[0].Spans) < 50 {
			t.Errorf("%s: %d traces", name, len(traces))
		}
	}
}
