package logs

import (
	"strings"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
)

// The W3C trace-context example IDs; Datadog writes the low 64 bits of the
// trace ID and the span ID in decimal.
const (
	tid     = "4bf92f3577b34da6a3ce929d0e0e4736"
	sid     = "00f067aa0ba902b7"
	tidDec  = "11803532876627986230"
	sidDec  = "67667974448284343"
	tidLow  = "0000000000000000a3ce929d0e0e4736"
	tsText  = "2026-11-25T03:00:01.234567Z"
	tsNanos = int64(1795575601234567000)
)

type parsed struct {
	trace   backend.TraceID
	span    backend.SpanID
	time    int64
	level   string
	isErr   bool
	service string
	message string
	format  Format
}

func parseOne(t *testing.T, line string) (Line, bool) {
	t.Helper()
	return newParser(time.UTC).parse([]byte(line))
}

func TestParseIDSpellings(t *testing.T) {
	cases := []struct {
		name, line string
		trace      backend.TraceID
		span       backend.SpanID
	}{
		{"traceId/spanId", `{"traceId":"` + tid + `","spanId":"` + sid + `"}`, tid, sid},
		{"trace_id/span_id", `{"trace_id":"` + tid + `","span_id":"` + sid + `"}`, tid, sid},
		{"traceID/spanID", `{"traceID":"` + tid + `","spanID":"` + sid + `"}`, tid, sid},
		{"trace.id/span.id", `{"trace.id":"` + tid + `","span.id":"` + sid + `"}`, tid, sid},
		{"nested trace.id", `{"trace":{"id":"` + tid + `"},"span":{"id":"` + sid + `"}}`, tid, sid},
		{"dd decimal", `{"dd.trace_id":"` + tidDec + `","dd.span_id":"` + sidDec + `"}`, tidLow, sid},
		{"dd decimal numbers", `{"dd.trace_id":` + tidDec + `,"dd.span_id":` + sidDec + `}`, tidLow, sid},
		{"dd nested", `{"dd":{"trace_id":"` + tidDec + `","span_id":"` + sidDec + `"}}`, tidLow, sid},
		{"google cloud", `{"logging.googleapis.com/trace":"projects/my-proj/traces/` + tid + `","logging.googleapis.com/spanId":"` + sid + `"}`, tid, sid},
		{"otelTraceID", `{"otelTraceID":"` + tid + `","otelSpanID":"` + sid + `"}`, tid, sid},
		{"uppercase hex", `{"trace_id":"` + strings.ToUpper(tid) + `","span_id":"` + strings.ToUpper(sid) + `"}`, tid, sid},
		{"64-bit short", `{"traceId":"a3ce929d0e0e4736"}`, tidLow, ""},
		{"traceparent", `{"traceparent":"00-` + tid + `-` + sid + `-01"}`, tid, sid},
		{"X-B3", `{"X-B3-TraceId":"` + tid + `","X-B3-SpanId":"` + sid + `"}`, tid, sid},
		{"xray", `{"trace_id":"1-4bf92f35-77b34da6a3ce929d0e0e4736"}`, tid, ""},
		{"logfmt", `level=info trace_id=` + tid + ` span_id=` + sid + ` msg="payment failed"`, tid, sid},
		{"logfmt dotted", `trace.id=` + tid + ` span.id=` + sid, tid, sid},
		{"logfmt dd", `dd.trace_id=` + tidDec + ` dd.span_id=` + sidDec, tidLow, sid},
		{"text with MDC", `2026-11-25 03:00:01.234 ERROR [main] c.e.Pay - payment failed [trace_id=` + tid + ` span_id=` + sid + `]`, tid, sid},
		{"trace field wins over dd", `{"dd.trace_id":"1","trace_id":"` + tid + `"}`, tid, ""},
		{"all-zero is no ID", `{"trace_id":"00000000000000000000000000000000","span_id":"0000000000000000","msg":"x"}`, "", ""},
		{"non-hex is no ID", `{"trace_id":"not-a-trace","msg":"x"}`, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, ok := parseOne(t, c.line)
			if !ok {
				t.Fatalf("not parsed: %s", c.line)
			}
			if l.TraceID != c.trace || l.SpanID != c.span {
				t.Errorf("IDs = %q/%q, want %q/%q", l.TraceID, l.SpanID, c.trace, c.span)
			}
			if c.trace != "" && !l.matches(tid) {
				t.Errorf("line does not match trace %s", tid)
			}
		})
	}
}

// A line naming another 128-bit trace with the same low half does not match;
// a 64-bit ID (or Datadog's decimal) matches on the low half alone.
func TestMatches(t *testing.T) {
	other := backend.TraceID("1111111111111111" + tid[16:])
	full, _ := parseOne(t, `{"trace_id":"`+tid+`"}`)
	if full.matches(other) {
		t.Error("a 128-bit ID matched another trace with the same low half")
	}
	dd, _ := parseOne(t, `{"dd.trace_id":"`+tidDec+`"}`)
	if !dd.matches(tid) || !dd.matches(other) {
		t.Error("Datadog's low 64 bits should match both traces")
	}
	short, _ := parseOne(t, `{"traceId":"a3ce929d0e0e4736"}`)
	if !short.matches(tid) {
		t.Error("a 16-hex ID should match on the low half")
	}
	if short.matches("0000000000000000" + "1111111111111111") {
		t.Error("matched a different low half")
	}
}

func TestParseFields(t *testing.T) {
	cases := []struct {
		name, line string
		want       parsed
		fields     []Field
	}{
		{
			"seed's correlated logger",
			`{"timestamp":"` + tsText + `","level":"error","service":"payment","correlationId":"abc-123","traceId":"` + tid + `","spanId":"` + sid + `","message":"card declined","amount":12.5}`,
			parsed{tid, sid, tsNanos, LevelError, true, "payment", "card declined", FormatJSON},
			[]Field{{"correlationId", "abc-123"}, {"amount", "12.5"}},
		},
		{
			"zap",
			`{"level":"warn","ts":1795575601.234567,"caller":"pay/pay.go:42","msg":"slow","trace_id":"` + tid + `"}`,
			parsed{tid, "", tsNanos, LevelWarn, false, "", "slow", FormatJSON},
			[]Field{{"caller", "pay/pay.go:42"}},
		},
		{
			"pino numeric level, epoch millis",
			`{"level":50,"time":1795575601234,"msg":"boom","traceId":"` + tid + `","app":"checkout"}`,
			parsed{tid, "", 1795575601234000000, LevelError, true, "checkout", "boom", FormatJSON},
			nil,
		},
		{
			"ECS nested",
			`{"@timestamp":"` + tsText + `","log":{"level":"ERROR","logger":"pay"},"service":{"name":"payment"},"trace":{"id":"` + tid + `"},"message":"m","error":{"stack_trace":["a","b"]}}`,
			parsed{tid, "", tsNanos, LevelError, true, "payment", "m", FormatJSON},
			[]Field{{"log.logger", "pay"}, {"error.stack_trace", `["a","b"]`}},
		},
		{
			"journald priority and realtime",
			`{"__REALTIME_TIMESTAMP":"1795575601234567","PRIORITY":"3","SYSLOG_IDENTIFIER":"payd","MESSAGE":"declined trace_id=` + tid + `"}`,
			parsed{tid, "", tsNanos, LevelError, true, "payd", "declined", FormatJSON},
			nil,
		},
		{
			"docker json-file wrapping JSON",
			`{"log":"{\"level\":\"info\",\"msg\":\"inner\",\"trace_id\":\"` + tid + `\"}\n","stream":"stdout","time":"` + tsText + `"}`,
			parsed{tid, "", tsNanos, LevelInfo, false, "", "inner", FormatJSON},
			[]Field{{"stream", "stdout"}},
		},
		{
			"OTel severity",
			`{"severity_text":"","severity_number":17,"body":"db down","trace_id":"` + tid + `","service.name":"orders"}`,
			parsed{tid, "", 0, LevelError, true, "orders", "db down", FormatJSON},
			[]Field{{"severity_text", ""}},
		},
		{
			"message wins over msg and event",
			`{"event":"e","msg":"m","message":"M","trace_id":"` + tid + `"}`,
			parsed{tid, "", 0, "", false, "", "M", FormatJSON},
			[]Field{{"event", "e"}, {"msg", "m"}},
		},
		{
			"logfmt",
			`time=2026-11-25T03:00:01.234567Z level=ERROR service=payment trace_id=` + tid + ` span_id=` + sid + ` msg="payment failed: \"card\"" retries=3`,
			parsed{tid, sid, tsNanos, LevelError, true, "payment", `payment failed: "card"`, FormatLogfmt},
			[]Field{{"retries", "3"}},
		},
		{
			"text with date, time, level and MDC",
			`2026-11-25 03:00:01,234567 ERROR [main] c.e.Pay - payment failed trace_id=` + tid + `, span_id=` + sid,
			parsed{tid, sid, 1795575601234567000, LevelError, true, "", "[main] c.e.Pay - payment failed", FormatLogfmt},
			nil,
		},
		{
			"kubectl --timestamps before JSON",
			`2026-11-25T03:00:01.234567Z stdout F {"level":"info","msg":"hi","trace_id":"` + tid + `"}`,
			parsed{tid, "", tsNanos, LevelInfo, false, "", "hi", FormatJSON},
			nil,
		},
		{
			"offset zone",
			`{"time":"2026-11-25T04:00:01.234567+01:00","trace_id":"` + tid + `"}`,
			parsed{tid, "", tsNanos, "", false, "", "", FormatJSON},
			nil,
		},
		{
			"unknown level kept as written",
			`{"level":"Notable","trace_id":"` + tid + `"}`,
			parsed{tid, "", 0, "Notable", false, "", "", FormatJSON},
			nil,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, ok := parseOne(t, c.line)
			if !ok {
				t.Fatalf("not parsed: %s", c.line)
			}
			got := parsed{l.TraceID, l.SpanID, l.Time, l.Level, l.Error, l.Service, l.Message, l.Format}
			if got != c.want {
				t.Errorf("got  %+v\nwant %+v", got, c.want)
			}
			for _, f := range c.fields {
				if !hasField(l.Fields, f) {
					t.Errorf("field %q=%q missing from %q", f.Key, f.Value, l.Fields)
				}
			}
			for _, f := range l.Fields {
				switch f.Key {
				case "traceId", "trace_id", "spanId", "span_id", "message", "level", "timestamp", "service":
					if f.Value == c.want.message || f.Value == string(c.want.trace) {
						t.Errorf("picked field %q also kept as a field", f.Key)
					}
				}
			}
		})
	}
}

func hasField(fs []Field, f Field) bool {
	for _, g := range fs {
		if g == f {
			return true
		}
	}
	return false
}

func TestParseRejects(t *testing.T) {
	for _, line := range []string{
		"",
		"   ",
		"plain text with no pairs",
		`{"trace_id":"` + tid + `"`, // unterminated object
		`{"trace_id":"` + tid + `"} trailing`,
		`[1,2,3]`,
		"\x1b[31mred\x1b[0m",
	} {
		if l, ok := parseOne(t, line); ok {
			t.Errorf("%q parsed as %+v", line, l)
		}
	}
}

func TestParseTime(t *testing.T) {
	utc := time.UTC
	plus2 := time.FixedZone("", 2*3600)
	cases := []struct {
		in   string
		loc  *time.Location
		want int64
	}{
		{"2026-11-25T03:00:01Z", utc, 1795575601000000000},
		{"2026-11-25T03:00:01.5Z", utc, 1795575601500000000},
		{"2026-11-25 03:00:01,250", utc, 1795575601250000000},
		{"2026-11-25 03:00:01", plus2, 1795575601000000000 - 2*3600*1e9},
		{"2026-11-25T05:00:01+0200", utc, 1795575601000000000},
		{"2026-11-25T01:00:01-02:00", utc, 1795575601000000000},
		{"2026-11-25T03:00:01.123456789123Z", utc, 1795575601123456789},
		{"1795575601", utc, 1795575601000000000},
		{"1795575601.25", utc, 1795575601250000000},
		{"1795575601250", utc, 1795575601250000000},
		{"1795575601250000", utc, 1795575601250000000},
		{"1795575601250000123", utc, 1795575601250000123},
		{"2026-13-25T03:00:01Z", utc, 0},
		{"2026-11-25T03:00:01 garbage", utc, 0},
		{"yesterday", utc, 0},
		{"-5", utc, 0},
		{"99999999999999999999999", utc, 0},
		{"99999999999", utc, 0},   // seconds past 2262
		{"9999999999999", utc, 0}, // milliseconds past 2262
		{"9223372036854775807", utc, 9223372036854775807},
		{"0001-01-01T00:00:00Z", utc, 0}, // before 1678
		{"9999-12-31T23:59:59Z", utc, 0}, // after 2262
		{"1677-09-21T00:12:43Z", utc, 0},
		{"1677-09-21T00:12:45Z", utc, -9223372035000000000},
		{"2262-04-11T23:47:16.854775807Z", utc, 9223372036854775807},
		{"2262-04-11T23:47:17Z", utc, 0},
		{"2261-12-31T23:59:59Z", utc, 9214646399000000000},
	}
	for _, c := range cases {
		if got := parseTime(c.in, c.loc); got != c.want {
			t.Errorf("parseTime(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}

func TestNormLevel(t *testing.T) {
	cases := []struct {
		in    string
		r     role
		want  string
		isErr bool
	}{
		{"INFO", roleLevel, LevelInfo, false},
		{"Warning", roleLevel, LevelWarn, false},
		{"err", roleLevel, LevelError, true},
		{"CRITICAL", roleLevel, LevelFatal, true},
		{"panic", roleLevel, LevelFatal, true},
		{"30", roleLevel, LevelInfo, false},
		{"60", roleLevel, LevelFatal, true},
		{"3", roleLevelSyslog, LevelError, true},
		{"6", roleLevelSyslog, LevelInfo, false},
		{"9", roleLevelOTel, LevelInfo, false},
		{"21", roleLevelOTel, LevelFatal, true},
		{"5", roleLevel, "5", false},
		{"a-very-long-level-name-indeed", roleLevel, "a-very-long-level-name-indeed", false},
	}
	for _, c := range cases {
		got, isErr := normLevel(c.in, c.r)
		if got != c.want || isErr != c.isErr {
			t.Errorf("normLevel(%q) = %q, %v; want %q, %v", c.in, got, isErr, c.want, c.isErr)
		}
	}
}

// Hostile text is kept as the file has it (the display cleans it), and
// nothing in it crashes the parser or escapes its line.
func TestParseHostileText(t *testing.T) {
	evil := `\u001b]52;c;aGk=\u0007\u001b[2J\u202e\u0000`
	line := `{"trace_id":"` + tid + `","msg":"` + evil + `","` + evil + `":"` + evil + `"}`
	l, ok := parseOne(t, line)
	if !ok {
		t.Fatal("not parsed")
	}
	if !strings.Contains(l.Message, "\x1b]52;") || !strings.Contains(l.Message, "\u202e") {
		t.Errorf("message not decoded as written: %q", l.Message)
	}
	if len(l.Fields) != 1 || !strings.Contains(l.Fields[0].Key, "\x1b") {
		t.Errorf("fields = %q", l.Fields)
	}
	raw := "level=error trace_id=" + tid + " msg=\"\x1b]0;pwned\x07\" \xff\xfe"
	l, ok = parseOne(t, raw)
	if !ok || l.TraceID != tid || !strings.Contains(l.Message, "\x1b]0;pwned") {
		t.Errorf("logfmt with controls: %+v, %v", l, ok)
	}
}

// Keys and values a JSON line escapes are unescaped; a deep nest stays one
// field of JSON text.
func TestParseEscapesAndDepth(t *testing.T) {
	line := `{"trace\u005fid":"` + tid + `","a":{"b":{"c":{"d":{"e":1}}}},"msg":"tab\there"}`
	l, ok := parseOne(t, line)
	if !ok || l.TraceID != tid {
		t.Fatalf("escaped key not read: %+v %v", l, ok)
	}
	if l.Message != "tab\there" {
		t.Errorf("message %q", l.Message)
	}
	if !hasField(l.Fields, Field{"a.b.c.d", `{"e":1}`}) {
		t.Errorf("deep value: %q", l.Fields)
	}
	deep := `{"trace_id":"` + tid + `","x":` + strings.Repeat(`{"a":`, 100) + "1" + strings.Repeat("}", 100) + "}"
	if l, ok := parseOne(t, deep); ok {
		t.Errorf("a line nested beyond the depth limit parsed: %+v", l.Fields)
	}
}

// The civil-date arithmetic agrees with the time package over four
// centuries, leap years and offsets included.
func TestParseDateTimeMatchesTime(t *testing.T) {
	zones := []*time.Location{time.UTC, time.FixedZone("", 5*3600+30*60), time.FixedZone("", -8*3600)}
	for i := 0; i < 20000; i++ {
		ts := time.Unix(int64(i)*450139+(-2_000_000_000), int64(i*7919)%1e9).In(zones[i%3])
		in := ts.Format("2006-01-02T15:04:05.999999999Z07:00")
		if got := parseTime(in, time.UTC); got != ts.UnixNano() {
			t.Fatalf("parseTime(%q) = %d, want %d", in, got, ts.UnixNano())
		}
	}
	// No zone: the given location's offset at that time.
	ny, err := time.LoadLocation("America/New_York")
	if err == nil {
		want := time.Date(2026, 7, 1, 12, 0, 0, 0, ny).UnixNano()
		if got := parseTime("2026-07-01 12:00:00", ny); got != want {
			t.Errorf("local time: %d, want %d", got, want)
		}
	}
}

func TestSortLines(t *testing.T) {
	lines := []Line{
		{Time: 0, Source: 0, Number: 1},
		{Time: 30, Source: 0, Number: 2},
		{Time: 10, Source: 1, Number: 5},
		{Time: 10, Source: 0, Number: 9},
		{Time: 0, Source: 0, Number: 0},
		{Time: 20, Source: 0, Number: 3},
	}
	var st lineStore
	for _, l := range lines {
		st.add(l)
	}
	got := st.sorted()
	want := [][3]int64{{10, 0, 9}, {10, 1, 5}, {20, 0, 3}, {30, 0, 2}, {0, 0, 0}, {0, 0, 1}}
	for i, l := range got {
		if [3]int64{l.Time, int64(l.Source), l.Number} != want[i] {
			t.Fatalf("order %d: %+v", i, got)
		}
	}
}
