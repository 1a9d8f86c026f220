package paste

import (
	"slices"
	"strings"
	"testing"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/textsafe"
)

const (
	w3cTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
	w3cSpan  = "00f067aa0ba902b7"
	b3Trace  = "80f198ee56343ba864fe8b2a57d3eff7"
	b3Span   = "e457b5a2e4d86bd1"
	xrayID   = "5759e988bd862e3fe1be46a994272793"
	short    = "463ac35c9f6413ad"
	short32  = "0000000000000000" + short
)

// want is what a case expects; empty fields must be empty.
type want struct {
	source      string
	trace       string
	alts        []string
	span        string
	other       string
	correlation string
	// err, when set, is a substring of the rejection's reason.
	err string
	// note, when set, is a substring of one of the notes.
	note string
}

type pasteCase struct {
	name, in string
	want     want
}

func cases() []pasteCase {
	return []pasteCase{
		// Bare IDs.
		{"hex 32", w3cTrace, want{source: SourceTraceID, trace: w3cTrace, correlation: w3cTrace}},
		{"hex 32 upper", strings.ToUpper(w3cTrace), want{source: SourceTraceID, trace: w3cTrace, correlation: strings.ToUpper(w3cTrace)}},
		{"hex 16", short, want{source: SourceTraceID, trace: short32, correlation: short}},
		{"hex short padded", "abc", want{source: SourceTraceID, trace: strings.Repeat("0", 29) + "abc", correlation: "abc"}},
		{"base64 16 bytes", "S/kvNXezTaajzpKdDg5HNg==", want{source: SourceBase64, trace: w3cTrace, correlation: "S/kvNXezTaajzpKdDg5HNg=="}},
		{"base64 8 bytes", "RjrDXJ9kE60=", want{source: SourceBase64, trace: short32, correlation: "RjrDXJ9kE60="}},
		{"all-zero hex", "00000000000000000000000000000000", want{err: "all zeros"}},
		{"single zero", "0", want{err: "all zeros"}},
		{"hex too long", strings.Repeat("ab", 20), want{source: SourceText, correlation: strings.Repeat("ab", 20), note: "40 hex digits"}},
		// A number is a hex ID, a Datadog decimal ID and a correlation value.
		{"number", "567", want{source: SourceNumber, trace: strings.Repeat("0", 29) + "567", alts: []string{strings.Repeat("0", 29) + "237"}, correlation: "567"}},
		{"long decimal first", "5208512171318403364", want{source: SourceNumber,
			trace: "0000000000000000" + "48485a3953bb6124", alts: []string{"0000000000000" + "5208512171318403364"}, correlation: "5208512171318403364"}},
		{"decimal beyond uint64", "99999999999999999999", want{source: SourceNumber, trace: "000000000000" + "99999999999999999999", correlation: "99999999999999999999"}},

		// Copy noise.
		{"quoted comma", `"` + w3cTrace + `",`, want{source: SourceTraceID, trace: w3cTrace, correlation: w3cTrace}},
		{"single quotes", `'` + w3cTrace + `'`, want{source: SourceTraceID, trace: w3cTrace, correlation: w3cTrace}},
		{"angle brackets", "<" + w3cTrace + ">", want{source: SourceTraceID, trace: w3cTrace, correlation: w3cTrace}},
		{"trailing period", w3cTrace + ".", want{source: SourceTraceID, trace: w3cTrace, correlation: w3cTrace}},
		{"whitespace and newlines", "\n\t  " + w3cTrace + " \r\n\n", want{source: SourceTraceID, trace: w3cTrace, correlation: w3cTrace}},
		{"smart quotes", "“" + w3cTrace + "”", want{source: SourceTraceID, trace: w3cTrace, correlation: w3cTrace}},
		{"backticks", "`" + w3cTrace + "`", want{source: SourceTraceID, trace: w3cTrace, correlation: w3cTrace}},
		{"zero width and nbsp", "\u200b\u00a0" + w3cTrace + "\ufeff", want{source: SourceTraceID, trace: w3cTrace, correlation: w3cTrace}},
		{"ansi colour", "\x1b[32m" + w3cTrace + "\x1b[0m", want{source: SourceTraceID, trace: w3cTrace, correlation: w3cTrace}},

		// W3C traceparent.
		{"traceparent value", "00-" + w3cTrace + "-" + w3cSpan + "-01", want{source: SourceTraceparent, trace: w3cTrace, span: w3cSpan}},
		{"traceparent header", "traceparent: 00-" + w3cTrace + "-" + w3cSpan + "-01", want{source: SourceTraceparent, trace: w3cTrace, span: w3cSpan}},
		{"traceparent header any case", "Traceparent:00-" + w3cTrace + "-" + w3cSpan + "-00", want{source: SourceTraceparent, trace: w3cTrace, span: w3cSpan}},
		{"traceparent quoted", `"traceparent": "00-` + w3cTrace + "-" + w3cSpan + `-01",`, want{source: SourceTraceparent, trace: w3cTrace, span: w3cSpan}},
		{"traceparent curl -v", "> GET /api HTTP/1.1\n> Host: x\n> traceparent: 00-" + w3cTrace + "-" + w3cSpan + "-01\n>", want{source: SourceTraceparent, trace: w3cTrace, span: w3cSpan}},
		{"traceparent curl -H", "-H 'traceparent: 00-" + w3cTrace + "-" + w3cSpan + "-01'", want{source: SourceTraceparent, trace: w3cTrace, span: w3cSpan}},
		{"traceparent with tracestate", "traceparent: 00-" + w3cTrace + "-" + w3cSpan + "-01\ntracestate: congo=t61rcWkgMzE", want{source: SourceTraceparent, trace: w3cTrace, span: w3cSpan}},
		{"traceparent future version", "cc-" + w3cTrace + "-" + w3cSpan + "-01-what-the-future-holds", want{source: SourceTraceparent, trace: w3cTrace, span: w3cSpan}},
		{"traceparent zero trace", "00-00000000000000000000000000000000-" + w3cSpan + "-01", want{err: "all zeros"}},
		{"traceparent zero span", "00-" + w3cTrace + "-0000000000000000-01", want{source: SourceTraceparent, trace: w3cTrace, note: "parent span ID is all zeros"}},
		{"traceparent version ff", "ff-" + w3cTrace + "-" + w3cSpan + "-01", want{err: "version ff"}},
		{"traceparent short trace", "traceparent: 00-" + w3cTrace[:30] + "-" + w3cSpan + "-01", want{err: "traceparent"}},
		{"tracestate alone", "tracestate: rojo=00f067aa0ba902b7", want{err: "tracestate"}},

		// B3.
		{"b3 multi", "X-B3-TraceId: " + b3Trace + "\nX-B3-SpanId: " + b3Span + "\nX-B3-ParentSpanId: 05e3ac9a4f6e3b90\nX-B3-Sampled: 1",
			want{source: SourceB3Multi, trace: b3Trace, span: b3Span}},
		{"b3 multi lowercase 64-bit", "x-b3-traceid: " + short + "\r\nx-b3-spanid: " + b3Span, want{source: SourceB3Multi, trace: short32, span: b3Span}},
		{"b3 multi trace only", "X-B3-TraceId: " + b3Trace, want{source: SourceB3Multi, trace: b3Trace}},
		{"b3 single", "b3: " + b3Trace + "-" + b3Span + "-1-05e3ac9a4f6e3b90", want{source: SourceB3, trace: b3Trace, span: b3Span}},
		{"b3 single value", b3Trace + "-" + b3Span, want{source: SourceB3, trace: b3Trace, span: b3Span}},
		{"b3 single 64-bit value", short + "-" + b3Span + "-d", want{source: SourceB3, trace: short32, span: b3Span}},
		{"b3 sampling only", "b3: 0", want{err: "sampling"}},
		{"b3 zero trace", "b3: 0000000000000000-" + b3Span, want{err: "all zeros"}},

		// Jaeger uber-trace-id.
		{"uber header", "uber-trace-id: " + w3cTrace + ":" + w3cSpan + ":0:1", want{source: SourceUber, trace: w3cTrace, span: w3cSpan}},
		{"uber value", short + ":" + w3cSpan + ":" + b3Span + ":1", want{source: SourceUber, trace: short32, span: w3cSpan}},
		{"uber url-encoded", "uber-trace-id: " + w3cTrace + "%3A" + w3cSpan + "%3A0%3A1", want{source: SourceUber, trace: w3cTrace, span: w3cSpan}},
		{"uber url-encoded value", w3cTrace + "%3a" + w3cSpan + "%3a0%3a1", want{source: SourceUber, trace: w3cTrace, span: w3cSpan}},
		{"uber leading zeros dropped", "uber-trace-id: 3ac35c9f6413ad:7b:0:1", want{source: SourceUber, trace: "000000000000000000" + "3ac35c9f6413ad", span: "000000000000007b"}},
		{"uber zero trace", "uber-trace-id: 0:7b:0:1", want{err: "all zeros"}},

		// AWS X-Ray.
		{"xray header", "X-Amzn-Trace-Id: Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
			want{source: SourceXRay, trace: xrayID, span: "53995c3f42cd8ad8"}},
		{"xray value", "Root=1-5759e988-bd862e3fe1be46a994272793", want{source: SourceXRay, trace: xrayID}},
		{"xray self first", "X-Amzn-Trace-Id: Self=1-67891234-12456789abcdef012345678;Root=1-5759e988-bd862e3fe1be46a994272793", want{source: SourceXRay, trace: xrayID}},
		{"xray bad root", "X-Amzn-Trace-Id: Root=1-5759e988-bd86", want{err: "Root"}},

		// URLs.
		{"jaeger ui", "http://localhost:16686/trace/" + w3cTrace, want{source: SourceJaegerURL, trace: w3cTrace}},
		{"jaeger ui prefix uiFind", "https://ops.example.com/jaeger/trace/" + short + "?uiFind=" + w3cSpan, want{source: SourceJaegerURL, trace: short32, span: w3cSpan}},
		{"jaeger ui uiFind not a span", "https://ops.example.com/jaeger/trace/" + short + "?uiFind=redis", want{source: SourceJaegerURL, trace: short32, note: "uiFind"}},
		{"jaeger ui compare", "http://localhost:16686/trace/" + w3cTrace + "..." + b3Trace + "?cohort=" + w3cTrace + "&cohort=" + b3Trace,
			want{source: SourceJaegerCompare, trace: w3cTrace, other: b3Trace}},
		{"jaeger ui noise", "<http://localhost:16686/trace/" + w3cTrace + ">.", want{source: SourceJaegerURL, trace: w3cTrace}},
		{"jaeger ui no scheme", "localhost:16686/trace/" + w3cTrace, want{source: SourceJaegerURL, trace: w3cTrace}},
		{"jaeger ui bad id", "http://localhost:16686/trace/not-an-id", want{err: "not a trace ID"}},
		{"jaeger search traceID params", "http://localhost:16686/search?traceID=" + w3cTrace + "&traceID=" + b3Trace, want{source: "URL (traceID)", trace: w3cTrace, other: b3Trace}},
		{"zipkin lens", "http://localhost:9411/zipkin/traces/" + b3Trace, want{source: SourceZipkinURL, trace: b3Trace}},
		{"zipkin classic", "https://zipkin.example.com/traces/" + short, want{source: SourceZipkinURL, trace: short32}},
		{"zipkin api", "http://localhost:9411/api/v2/trace/" + short, want{source: SourceAPIURL, trace: short32}},
		{"tempo api", "http://tempo:3200/api/traces/" + w3cTrace + "?start=1&end=2", want{source: SourceAPIURL, trace: w3cTrace}},
		{"tempo api v2", "http://tempo:3200/api/v2/traces/" + w3cTrace, want{source: SourceAPIURL, trace: w3cTrace}},
		{"grafana panes", `https://grafana.example.com/explore?schemaVersion=1&panes=%7B%22x1y%22%3A%7B%22datasource%22%3A%22tempo%22%2C%22queries%22%3A%5B%7B%22refId%22%3A%22A%22%2C%22datasource%22%3A%7B%22type%22%3A%22tempo%22%2C%22uid%22%3A%22tempo%22%7D%2C%22queryType%22%3A%22traceql%22%2C%22limit%22%3A20%2C%22query%22%3A%22` + w3cTrace + `%22%7D%5D%2C%22range%22%3A%7B%22from%22%3A%22now-1h%22%2C%22to%22%3A%22now%22%7D%7D%7D&orgId=1`,
			want{source: SourceGrafanaURL, trace: w3cTrace}},
		{"grafana left object", `https://grafana.example.com/explore?orgId=1&left=%7B%22datasource%22:%22Jaeger%22,%22queries%22:%5B%7B%22refId%22:%22A%22,%22query%22:%22` + short + `%22%7D%5D,%22range%22:%7B%22from%22:%22now-1h%22,%22to%22:%22now%22%7D%7D`,
			want{source: SourceGrafanaURL, trace: short32}},
		{"grafana left array", `https://grafana.example.com/explore?left=%5B%22now-1h%22,%22now%22,%22Tempo%22,%7B%22query%22:%22` + w3cTrace + `%22%7D%5D`,
			want{source: SourceGrafanaURL, trace: w3cTrace}},
		{"grafana query not an id", `https://grafana.example.com/explore?left=%7B%22queries%22:%5B%7B%22query%22:%22%7Bstatus%3Derror%7D%22%7D%5D%7D`,
			want{err: "Grafana"}},
		{"url without trace", "https://example.com/status", want{err: "URL"}},
		{"url inside text", "see https://jaeger.example.com/trace/" + w3cTrace + " for details", want{source: SourceJaegerURL, trace: w3cTrace}},

		// JSON log lines.
		{"json seed logger", `{"timestamp":"2026-11-25T13:10:27Z","level":"error","service":"payment","correlationId":"corr-7a5c04ce0349","traceId":"` + w3cTrace + `","spanId":"` + w3cSpan + `","message":"declined"}`,
			want{source: "JSON log line (traceId)", trace: w3cTrace, span: w3cSpan, correlation: "corr-7a5c04ce0349"}},
		{"json otel", `{"trace_id":"` + w3cTrace + `","span_id":"` + w3cSpan + `","body":"x"}`, want{source: "JSON log line (trace_id)", trace: w3cTrace, span: w3cSpan}},
		{"json traceID", `{"traceID":"` + short + `","spanID":"` + w3cSpan + `"}`, want{source: "JSON log line (traceID)", trace: short32, span: w3cSpan}},
		{"json ecs dotted", `{"@timestamp":"x","trace.id":"` + w3cTrace + `","span.id":"` + w3cSpan + `","transaction.id":"abc"}`, want{source: "JSON log line (trace.id)", trace: w3cTrace, span: w3cSpan}},
		{"json ecs nested", `{"trace":{"id":"` + w3cTrace + `"},"span":{"id":"` + w3cSpan + `"},"message":"m"}`, want{source: "JSON log line (trace.id)", trace: w3cTrace, span: w3cSpan}},
		{"json datadog", `{"dd.trace_id":"5208512171318403364","dd.span_id":"6368044617617451211","message":"x"}`,
			want{source: "JSON log line (dd.trace_id)", trace: "0000000000000000" + "48485a3953bb6124", span: "585fd6d722ed28cb", note: "decimal"}},
		{"json datadog nested numbers", `{"dd":{"trace_id":5208512171318403364,"span_id":6368044617617451211}}`,
			want{source: "JSON log line (dd.trace_id)", trace: "0000000000000000" + "48485a3953bb6124", span: "585fd6d722ed28cb", note: "decimal"}},
		{"json datadog 128-bit hex", `{"dd.trace_id":"` + w3cTrace + `"}`, want{source: "JSON log line (dd.trace_id)", trace: w3cTrace}},
		{"json gcp", `{"logging.googleapis.com/trace":"projects/my-proj/traces/` + w3cTrace + `","logging.googleapis.com/spanId":"` + w3cSpan + `"}`,
			want{source: "JSON log line (logging.googleapis.com/trace)", trace: w3cTrace, span: w3cSpan}},
		{"json otel java mdc", `{"otelTraceID":"` + w3cTrace + `","otelSpanID":"` + w3cSpan + `"}`, want{source: "JSON log line (otelTraceID)", trace: w3cTrace, span: w3cSpan}},
		{"json zero trace falls back to correlation", `{"traceId":"00000000000000000000000000000000","spanId":"0000000000000000","request_id":"req-2a22283a-60ab"}`,
			want{source: "JSON log line (request_id)", correlation: "req-2a22283a-60ab", note: "all zeros"}},
		{"json empty trace falls back to correlation", `{"traceId":"","x-request-id":"9f1c"}`, want{source: "JSON log line (x-request-id)", correlation: "9f1c"}},
		{"json correlation only", `{"level":"info","correlationId":"corr-51a2399988d9","msg":"ok"}`, want{source: "JSON log line (correlationId)", correlation: "corr-51a2399988d9"}},
		{"json configured key", `{"level":"info","order_ref":"ord-77","msg":"ok"}`, want{source: "JSON log line (order_ref)", correlation: "ord-77"}},
		{"json headers", `{"msg":"incoming","headers":{"traceparent":"00-` + w3cTrace + `-` + w3cSpan + `-01"}}`, want{source: "JSON log line (traceparent)", trace: w3cTrace, span: w3cSpan}},
		{"json with prefix", `2026-11-25T13:10:27.123Z stdout F {"traceId":"` + w3cTrace + `","msg":"x"}`, want{source: "JSON log line (traceId)", trace: w3cTrace}},
		{"json truncated", `{"level":"error","traceId":"` + w3cTrace + `","spanId":"` + w3cSpan + `","message":"payment fa`, want{source: "JSON log line (traceId)", trace: w3cTrace, span: w3cSpan}},
		{"json nothing", `{"level":"info","msg":"hello world"}`, want{err: "no trace ID"}},

		// logfmt and text.
		{"logfmt", `ts=2026-11-25T13:10:27Z level=error trace_id=` + w3cTrace + ` span_id=` + w3cSpan + ` msg="payment failed"`,
			want{source: "logfmt line (trace_id)", trace: w3cTrace, span: w3cSpan}},
		{"logfmt quoted msg with key", `msg="retry trace_id=` + b3Trace + `" trace_id=` + w3cTrace, want{source: "logfmt line (trace_id)", trace: w3cTrace}},
		{"logfmt request id", `level=warn request_id=req-2a22283a-60ab msg="slow"`, want{source: "logfmt line (request_id)", correlation: "req-2a22283a-60ab"}},
		{"logfmt single pair", `trace_id=` + w3cTrace, want{source: "logfmt line (trace_id)", trace: w3cTrace}},
		{"text brackets", `2026-11-25 13:10:27 ERROR [payment,` + "x" + `] [trace_id=` + w3cTrace + `] charge failed`, want{source: "log text (trace_id)", trace: w3cTrace}},
		{"text colon", `ERROR payment failed traceId: ` + w3cTrace + `, spanId: ` + w3cSpan, want{source: "log text (traceId)", trace: w3cTrace, span: w3cSpan}},
		{"python dict", `{'trace_id': '` + w3cTrace + `', 'msg': 'x'`, want{source: "log text (trace_id)", trace: w3cTrace}},
		{"spoken key", "Trace ID: " + short + ", span ID: " + w3cSpan, want{source: "log text (Trace ID)", trace: short32, span: w3cSpan}},
		{"bare id in text", "could not load trace " + w3cTrace + " from the store", want{source: SourceTextID, trace: w3cTrace}},

		// Correlation values.
		{"correlation", "corr-7a5c04ce0349", want{source: SourceText, correlation: "corr-7a5c04ce0349"}},
		{"correlation noise", ` "req-2a22283a-60ab", `, want{source: SourceText, correlation: "req-2a22283a-60ab"}},
		{"uuid", "7b3bf470-9456-11e8-9eb6-529269fb1459", want{source: SourceText, correlation: "7b3bf470-9456-11e8-9eb6-529269fb1459"}},
		{"unpadded base64 is correlation", "S/kvNXezTaajzpKdDg5HNg", want{source: SourceText, correlation: "S/kvNXezTaajzpKdDg5HNg"}},
		{"correlation with bidi", "corr-\u202e1234", want{source: SourceText, correlation: "corr-1234"}},
		{"words", "payment failed for the third time", want{err: "no trace ID"}},
		{"empty", "  \n\t ", want{err: "nothing"}},
		{"too long", strings.Repeat("x", MaxLen+1), want{err: "longer"}},
	}
}

func checkResult(t *testing.T, name string, got Result, err error, w want) {
	t.Helper()
	if w.err != "" {
		if err == nil {
			t.Errorf("%s: want an error with %q, got %+v", name, w.err, got)
			return
		}
		if !strings.Contains(err.Error(), w.err) {
			t.Errorf("%s: error %q does not say %q", name, err, w.err)
		}
		if !textsafe.IsClean(err.Error()) {
			t.Errorf("%s: error %q is not clean", name, err)
		}
		return
	}
	if err != nil {
		t.Errorf("%s: unexpected error %v", name, err)
		return
	}
	var alts []string
	for _, a := range got.AltTraces {
		alts = append(alts, string(a))
	}
	if got.Source != w.source || string(got.Trace) != w.trace || !slices.Equal(alts, w.alts) ||
		string(got.Span) != w.span || string(got.Other) != w.other || got.Correlation != w.correlation {
		t.Errorf("%s:\n got source=%q trace=%q alts=%q span=%q other=%q correlation=%q\nwant source=%q trace=%q alts=%q span=%q other=%q correlation=%q",
			name, got.Source, got.Trace, alts, got.Span, got.Other, got.Correlation,
			w.source, w.trace, w.alts, w.span, w.other, w.correlation)
	}
	if w.note != "" && !slices.ContainsFunc(got.Notes, func(n string) bool { return strings.Contains(n, w.note) }) {
		t.Errorf("%s: notes %q do not say %q", name, got.Notes, w.note)
	}
	checkInvariants(t, name, got)
}

// checkInvariants holds for every result, whatever the input.
func checkInvariants(t *testing.T, name string, got Result) {
	t.Helper()
	for _, id := range got.TraceIDs() {
		if !id.Valid() || id == zeroTrace {
			t.Errorf("%s: trace ID %q is not 32 hex digits or is zero", name, id)
		}
	}
	if got.Other != "" && (!got.Other.Valid() || got.Trace == "") {
		t.Errorf("%s: other trace %q without a valid first", name, got.Other)
	}
	if got.Span != "" {
		if _, err := backend.ParseSpanID(string(got.Span)); err != nil || len(got.Span) != 16 || got.Span == zeroSpan {
			t.Errorf("%s: span ID %q is not 16 hex digits or is zero", name, got.Span)
		}
		if got.Trace == "" {
			t.Errorf("%s: span %q without a trace", name, got.Span)
		}
	}
	if got.Trace == "" && got.Correlation == "" {
		t.Errorf("%s: nothing to look up and no error", name)
	}
	for _, s := range append([]string{got.Source, got.Correlation, got.Summary()}, got.Notes...) {
		if !textsafe.IsClean(s) {
			t.Errorf("%s: %q is not clean", name, s)
		}
	}
	if strings.ContainsAny(got.Correlation, " \t\n") && got.Source == SourceText {
		t.Errorf("%s: a correlation value from bare text holds whitespace: %q", name, got.Correlation)
	}
}

func TestParse(t *testing.T) {
	opts := Options{CorrelationKeys: []string{"order_ref", "correlation_id"}}
	for _, c := range cases() {
		got, err := Parse(c.in, opts)
		checkResult(t, c.name, got, err, c.want)
	}
}

// TestParseNoise wraps every accepted single-line case in the copy noise a
// terminal, a chat or a spreadsheet adds: the answer must not change.
func TestParseNoise(t *testing.T) {
	opts := Options{CorrelationKeys: []string{"order_ref"}}
	wraps := []struct{ pre, post string }{
		{" ", "\n"}, {`"`, `",`}, {"'", "'."}, {"<", ">"}, {"\n\n  ", "  \r\n"}, {"`", "`"}, {"(", ")"}, {"\u200b", "\u00a0"},
	}
	for _, c := range cases() {
		if c.want.err != "" || strings.ContainsAny(strings.TrimSpace(c.in), "\n\"'`<>{}") {
			continue
		}
		for _, w := range wraps {
			got, err := Parse(w.pre+c.in+w.post, opts)
			checkResult(t, c.name+" wrapped in "+w.pre+"…"+w.post, got, err, c.want)
		}
	}
}

func TestSummary(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"traceparent: 00-" + w3cTrace + "-" + w3cSpan + "-01", "traceparent → trace " + w3cTrace + ", span " + w3cSpan},
		{w3cTrace, "trace ID → trace " + w3cTrace + "; else correlation ID \"" + w3cTrace + "\""},
		{"567", "number → trace 0000000000000567, else trace 0000000000000237 (decimal); else correlation ID \"567\""},
		{"corr-7a5c04ce0349", "correlation ID \"corr-7a5c04ce0349\""},
		{"http://h/trace/" + w3cTrace + "..." + b3Trace, "Jaeger UI comparison URL → trace " + w3cTrace + ", compared with trace " + b3Trace},
		{`{"traceId":"0","correlationId":"c-1"}`, "JSON log line (correlationId) → correlation ID \"c-1\" (traceId is all zeros, which is not a valid ID)"},
	} {
		r, err := Parse(c.in, Options{})
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if got := r.Summary(); got != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

// TestConfident: a header, URL, log field or full-length ID is a trace
// reference for sure; a word that happens to be hex (a service named
// "cafe") or a number is not.
func TestConfident(t *testing.T) {
	for in, want := range map[string]bool{
		w3cTrace:                                 true,
		short:                                    true,
		"00-" + w3cTrace + "-" + w3cSpan + "-01": true,
		"http://h/trace/" + short:                true,
		`{"traceId":"` + w3cTrace + `"}`:         true,
		"cafe":                                   false,
		"567":                                    false,
		"corr-1":                                 false,
		"S/kvNXezTaajzpKdDg5HNg==":               true,
	} {
		r, err := Parse(in, Options{})
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if r.Confident() != want {
			t.Errorf("%q: Confident() = %v, want %v", in, r.Confident(), want)
		}
	}
}

// TestHostile: escape sequences and bidi controls around or inside a paste
// never reach any output string.
func TestHostile(t *testing.T) {
	payloads := []string{"\x1b]0;pwned\x07", "\x1b[2J", "\u202e", "\x9b31m", "\x1bP$qm\x1b\\", "\xff\xfe", "\x00", "\u2066"}
	for _, p := range payloads {
		for _, in := range []string{
			p + w3cTrace,
			"corr-" + p + "abc",
			`{"traceId":"` + p + w3cTrace + `","correlationId":"x` + p + `y"}`,
			"http://h/trace/" + w3cTrace + "?uiFind=" + p,
			"level=info request_id=" + p + "r1",
			"traceparent: " + p + "00-" + w3cTrace + "-" + w3cSpan + "-01",
		} {
			r, err := Parse(in, Options{})
			if err != nil {
				if !textsafe.IsClean(err.Error()) {
					t.Errorf("%q: error %q is not clean", in, err)
				}
				continue
			}
			checkInvariants(t, in, r)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, c := range cases() {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		r, err := Parse(in, Options{CorrelationKeys: []string{"order_ref"}})
		if err != nil {
			if !textsafe.IsClean(err.Error()) {
				t.Errorf("error %q is not clean", err)
			}
			return
		}
		checkInvariants(t, "fuzz", r)
	})
}

func BenchmarkParse(b *testing.B) {
	line := `{"timestamp":"2026-11-25T13:10:27Z","level":"error","service":"payment","correlationId":"corr-7a5c04ce0349","traceId":"` + w3cTrace + `","spanId":"` + w3cSpan + `","message":"declined"}`
	for b.Loop() {
		if _, err := Parse(line, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseWorst runs the largest inputs shaped to make a scanner
// quadratic ("a=a=a=…" once took 1.6 s); each should take milliseconds.
func BenchmarkParseWorst(b *testing.B) {
	for _, unit := range []string{"a=", "a:", "traceId=", `{"a":`, "x ", "-", "%3A"} {
		s := strings.Repeat(unit, MaxLen/len(unit))
		b.Run(strings.Trim(unit, `{"`), func(b *testing.B) {
			for b.Loop() {
				_, _ = Parse(s, Options{})
			}
		})
	}
}
