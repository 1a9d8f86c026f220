package analysis

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/jaegerjson"
	"github.com/tracetui/tracetui/backend/otlp"
	"github.com/tracetui/tracetui/backend/zipkin"
)

const fixtures = "../testdata/fixtures/"

func decodeFixture(t *testing.T, path string) []*backend.Trace {
	t.Helper()
	f, err := os.Open(fixtures + path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var traces []*backend.Trace
	switch {
	case strings.HasPrefix(path, "zipkin/"):
		traces, err = zipkin.Decode(f)
	case strings.Contains(path, "otlp2jaeger-in") || strings.Contains(path, "multi-in") ||
		strings.HasPrefix(path, "otel-proto/") || strings.HasPrefix(path, "tempo/") ||
		strings.Contains(path, "api_v3/") || strings.Contains(path, "/v3_trace_") ||
		strings.HasSuffix(path, "otel_traces_01.json") || strings.HasSuffix(path, "example_trace.json"):
		traces, err = otlp.Decode(f)
	default:
		traces, err = jaegerjson.Decode(f)
	}
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	if len(traces) == 0 {
		t.Fatalf("%s: no traces", path)
	}
	return traces
}

// TestFixturesProperties analyzes every trace fixture and checks the
// invariants.
func TestFixturesProperties(t *testing.T) {
	paths := []string{
		"jaeger-ui/testTrace.json",
		"jaeger-ui/traceWithOverlappingChildrenLongerThanParent.json",
		"jaeger-ui/traceWithSingleChildLongerThanParentAndStartsAfterParent.json",
		"jaeger-ui/otlp2jaeger-in.json",
		"jaeger-ui/otlp2jaeger-out.json",
		"jaeger-ui/otlp2jaeger-multi-in-combined.json",
		"jaeger-ui/oltp2jaeger-multi-out.json",
		"jaeger/ui_01.json",
		"jaeger/otlp2jaeger-out.json",
		"jaeger/otel_traces_01.json",
		"jaeger/example_trace.json",
		"jaeger/api_v3/GetTrace.json",
		"jaeger/api_v3/FindTraces.json",
		"otel-proto/trace.json",
		"tempo/trace.json",
	}
	zipkins, _ := filepath.Glob(fixtures + "zipkin/*.json")
	captured, _ := filepath.Glob(fixtures + "captured/*/*trace_*.json")
	for _, p := range append(zipkins, captured...) {
		paths = append(paths, strings.TrimPrefix(p, fixtures))
	}
	if len(zipkins) < 6 || len(captured) < 6 {
		t.Fatalf("fixtures missing: %d zipkin, %d captured", len(zipkins), len(captured))
	}
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			for _, tr := range decodeFixture(t, p) {
				a := Analyze(tr)
				checkAnalysis(t, a)
				adj := Analyze(AdjustedTrace(a.Tree, a.Skews))
				checkAnalysis(t, adj)
			}
		})
	}
}

const us = int64(1000) // fixtures are in µs, the model in ns

func TestFixtureJaegerUIChildrenLongerThanParent(t *testing.T) {
	// Jaeger UI's tableValues tests expect service-one's self time to be
	// 0.03 ms and 0.04 ms on these two traces.
	tests := []struct {
		path     string
		selfUs   int64
		critical string
	}{
		{"jaeger-ui/traceWithOverlappingChildrenLongerThanParent.json", 30,
			"006c3cf93508f205[100,115] 4570ab68826f43f9[115,125] 006c3cf93508f205[125,140]"},
		{"jaeger-ui/traceWithSingleChildLongerThanParentAndStartsAfterParent.json", 40,
			"006c3cf93508f205[100,140]"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			a := Analyze(decodeFixture(t, tc.path)[0])
			var one *ServiceStat
			for k := range a.Stats.Services {
				if a.Stats.Services[k].Name == "service-one" {
					one = &a.Stats.Services[k]
				}
			}
			if one == nil || one.Self != tc.selfUs*us || one.Count != 1 {
				t.Fatalf("service-one = %+v, want self %d µs", one, tc.selfUs)
			}
			// Critical path, in µs from the epoch as in the file.
			var b strings.Builder
			for _, s := range a.Critical.Sections {
				b.WriteString(string(a.Tree.SpanIDs[s.Span]) + "[" + itoa(s.Start/us) + "," + itoa(s.End/us) + "] ")
			}
			if got := strings.TrimSpace(b.String()); got != tc.critical {
				t.Fatalf("critical path = %s, want %s", got, tc.critical)
			}
		})
	}
}

func itoa(v int64) string {
	if v == 0 {
		return "0"
	}
	neg := v < 0
	if neg {
		v = -v
	}
	var buf [20]byte
	i := len(buf)
	for v > 0 {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
	}
	if neg {
		i--
		buf[i] = '-'
	}
	return string(buf[i:])
}

func TestFixtureZipkinSkew(t *testing.T) {
	a := Analyze(decodeFixture(t, "zipkin/skew.json")[0])
	if len(a.Skews) != 1 {
		t.Fatalf("skews = %+v", a.Skews)
	}
	sk := a.Skews[0]
	srv := &a.Tree.Trace.Spans[sk.Span]
	if srv.Kind != backend.KindServer || srv.Service != "serviceb" {
		t.Fatalf("skewed span = %+v", srv)
	}
	// Jaeger's adjuster computes the same delta on this trace (captured
	// from Jaeger v1.76: "not applying calculated delta of 65.922ms").
	if sk.Delta != 65922*us {
		t.Fatalf("delta = %d, want 65.922ms", sk.Delta)
	}
	if !hasWarning(a.Warnings, "starts 65.441ms before its parent") || !hasWarning(a.Warnings, "+65.922ms with 1 same-host descendant") {
		t.Fatalf("warnings = %q", a.Warnings)
	}
	// Raw by default; adjusted on request puts the server inside its client
	// and moves its local child along.
	client := a.Tree.Parent[sk.Span]
	if srv.Start >= a.Tree.Trace.Spans[client].Start {
		t.Fatalf("raw view changed")
	}
	starts := AdjustedStarts(a.Tree, a.Skews)
	cl := &a.Tree.Trace.Spans[client]
	if starts[sk.Span] < cl.Start || starts[sk.Span]+srv.Duration > spanEnd(cl) {
		t.Fatalf("adjusted server [%d,+%d] not inside client [%d,%d]", starts[sk.Span], srv.Duration, cl.Start, spanEnd(cl))
	}
	for _, c := range a.Tree.Children(sk.Span) {
		if starts[c]-a.Tree.Trace.Spans[c].Start != sk.Delta {
			t.Fatalf("same-host child not shifted with its parent")
		}
	}
	adj := Analyze(AdjustedTrace(a.Tree, a.Skews))
	if len(adj.Skews) != 0 || !hasWarning(adj.Tree.Trace.Warnings, "2 span(s) shifted") {
		t.Fatalf("adjusted: skews %+v, warnings %q", adj.Skews, adj.Tree.Trace.Warnings)
	}
}

func TestFixtureJaegerCapturedSkew(t *testing.T) {
	// The same Zipkin trace stored in Jaeger and read back: Jaeger renamed
	// the server half and made it a child of the client half.
	for _, p := range []string{"captured/jaeger-v1.42.0/trace_skew_1e223ff1f80f1c69.json", "captured/jaeger-v1.76.0/trace_skew_1e223ff1f80f1c69.json"} {
		t.Run(p, func(t *testing.T) {
			a := Analyze(decodeFixture(t, p)[0])
			if len(a.Skews) != 1 || a.Skews[0].Delta != 65922*us {
				t.Fatalf("skews = %+v", a.Skews)
			}
		})
	}
}

func TestFixtureDuplicatesAndErrors(t *testing.T) {
	a := Analyze(decodeFixture(t, "jaeger/ui_01.json")[0])
	if !hasWarning(a.Warnings, "duplicate span ID") {
		t.Fatalf("ui_01 warnings = %q", a.Warnings)
	}
	k := Analyze(decodeFixture(t, "zipkin/messaging-kafka.json")[0])
	if len(k.Origins) == 0 {
		t.Fatalf("messaging-kafka: no error origin")
	}
	for _, o := range k.Origins {
		if !k.Tree.Trace.Spans[o.Span].Error {
			t.Fatalf("origin not an error")
		}
	}
	tt := Analyze(decodeFixture(t, "jaeger-ui/testTrace.json")[0])
	if len(tt.Origins) != 1 {
		t.Fatalf("testTrace: origins = %+v (one error=true span)", tt.Origins)
	}
}
