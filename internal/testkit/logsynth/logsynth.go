// Package logsynth writes application log lines for the spans of traces, in
// JSON Lines and logfmt and in every trace-ID spelling backend/logs reads,
// with lines of other traces and garbage mixed in: for the logs tests,
// benchmarks, and (through cmd genlogs) for trying the TUI on a fixture.
package logsynth

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/tracetui/tracetui/backend"
)

// Spelling writes one line naming a trace and span in one of the ways
// loggers do.
type Spelling struct {
	Name string
	// JSON tells JSON Lines from logfmt.
	JSON bool
	line func(b []byte, r Rec) []byte
}

// Rec is what a line says.
type Rec struct {
	Time    int64 // ns since the epoch
	Level   string
	Service string
	Message string
	TraceID backend.TraceID
	SpanID  backend.SpanID
	// Extra is one more field, key=value, to show fields are kept.
	ExtraKey, ExtraValue string
}

// Spellings are every way of naming a trace that backend/logs reads, JSON
// first, then logfmt.
var spellings = []Spelling{
	{"seed logger (traceId)", true, func(b []byte, r Rec) []byte {
		return fmt.Appendf(b, `{"timestamp":%q,"level":%q,"service":%q,"correlationId":"c-%s","traceId":%q,"spanId":%q,"message":%q,%q:%q}`,
			rfc(r.Time), r.Level, r.Service, r.SpanID, r.TraceID, r.SpanID, r.Message, r.ExtraKey, r.ExtraValue)
	}},
	{"OpenTelemetry (trace_id)", true, func(b []byte, r Rec) []byte {
		return fmt.Appendf(b, `{"time":%q,"severity_text":%q,"service.name":%q,"body":%q,"trace_id":%q,"span_id":%q,%q:%q}`,
			rfc(r.Time), r.Level, r.Service, r.Message, r.TraceID, r.SpanID, r.ExtraKey, r.ExtraValue)
	}},
	{"zap (traceID, epoch seconds)", true, func(b []byte, r Rec) []byte {
		return fmt.Appendf(b, `{"level":%q,"ts":%s,"logger":%q,"msg":%q,"traceID":%q,"spanID":%q,%q:%q}`,
			r.Level, strconv.FormatFloat(float64(r.Time)/1e9, 'f', 6, 64), r.Service, r.Message, r.TraceID, r.SpanID, r.ExtraKey, r.ExtraValue)
	}},
	{"Elastic ECS (nested trace.id)", true, func(b []byte, r Rec) []byte {
		return fmt.Appendf(b, `{"@timestamp":%q,"log":{"level":%q},"service":{"name":%q},"trace":{"id":%q},"span":{"id":%q},"message":%q,%q:%q}`,
			rfc(r.Time), r.Level, r.Service, r.TraceID, r.SpanID, r.Message, r.ExtraKey, r.ExtraValue)
	}},
	{"Datadog (dd.trace_id decimal)", true, func(b []byte, r Rec) []byte {
		tid, _ := strconv.ParseUint(string(r.TraceID[16:]), 16, 64)
		sid, _ := strconv.ParseUint(string(r.SpanID), 16, 64)
		return fmt.Appendf(b, `{"date":%q,"status":%q,"level":%q,"dd":{"service":%q,"trace_id":"%d","span_id":"%d"},"message":%q,%q:%q}`,
			rfc(r.Time), r.Level, r.Level, r.Service, tid, sid, r.Message, r.ExtraKey, r.ExtraValue)
	}},
	{"Google Cloud (logging.googleapis.com/trace)", true, func(b []byte, r Rec) []byte {
		return fmt.Appendf(b, `{"timestamp":%q,"severity":%q,"logging.googleapis.com/trace":"projects/shop/traces/%s","logging.googleapis.com/spanId":%q,"serviceContext":{"service":%q},"app":%q,"message":%q,%q:%q}`,
			rfc(r.Time), r.Level, r.TraceID, r.SpanID, r.Service, r.Service, r.Message, r.ExtraKey, r.ExtraValue)
	}},
	{"Java agent MDC (otelTraceID)", true, func(b []byte, r Rec) []byte {
		return fmt.Appendf(b, `{"@timestamp":%q,"level":%q,"application":%q,"otelTraceID":%q,"otelSpanID":%q,"message":%q,%q:%q}`,
			rfc(r.Time), r.Level, r.Service, r.TraceID, r.SpanID, r.Message, r.ExtraKey, r.ExtraValue)
	}},
	{"logfmt (trace_id)", false, func(b []byte, r Rec) []byte {
		return fmt.Appendf(b, `time=%s level=%s service=%s trace_id=%s span_id=%s msg=%q %s=%q`,
			rfc(r.Time), r.Level, r.Service, r.TraceID, r.SpanID, r.Message, r.ExtraKey, r.ExtraValue)
	}},
	{"logfmt (traceparent)", false, func(b []byte, r Rec) []byte {
		return fmt.Appendf(b, `ts=%s lvl=%s app=%s traceparent=00-%s-%s-01 msg=%q %s=%q`,
			rfc(r.Time), r.Level, r.Service, r.TraceID, r.SpanID, r.Message, r.ExtraKey, r.ExtraValue)
	}},
	{"text with MDC (Java pattern layout)", false, func(b []byte, r Rec) []byte {
		lvl := []byte(r.Level)
		for i, c := range lvl {
			if c >= 'a' && c <= 'z' {
				lvl[i] = c - 'a' + 'A'
			}
		}
		t := time.Unix(0, r.Time).UTC()
		return fmt.Appendf(b, `%s %s [%s] %s [trace_id=%s span_id=%s] %s=%s`,
			t.Format("2006-01-02 15:04:05.000"), lvl, r.Service, r.Message, r.TraceID, r.SpanID, r.ExtraKey, strconv.Quote(r.ExtraValue))
	}},
}

// Spellings lists every spelling.
func Spellings() []Spelling { return slices.Clone(spellings) }

// Format picks spellings: "json", "logfmt" or "mixed" (all of them).
func pick(format string) ([]Spelling, error) {
	var out []Spelling
	for _, s := range spellings {
		if format == "mixed" || (format == "json") == s.JSON && (format == "json" || format == "logfmt") {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("format %q: want json, logfmt or mixed", format)
	}
	return out, nil
}

// Line writes one line of r in spelling s, with its newline.
func (s Spelling) Line(b []byte, r Rec) []byte { return append(s.line(b, r), '\n') }

func rfc(ns int64) string { return time.Unix(0, ns).UTC().Format(time.RFC3339Nano) }

// Options shape ForTraces.
type Options struct {
	// Format is "json", "logfmt" or "mixed".
	Format string
	// PerSpan is the number of lines per span (default 2).
	PerSpan int
	// Noise is the number of lines of other traces mixed in; Garbage the
	// number of lines of neither format.
	Noise, Garbage int
	Seed           uint64
}

// Counts says what ForTraces wrote.
type Counts struct {
	// Lines per trace ID, and the error lines among them.
	Lines, Errors  map[backend.TraceID]int
	Noise, Garbage int
}

// ForTraces writes PerSpan lines for every span of the traces, at times
// inside the span, in time order, with noise and garbage lines spread
// among them. An error span's last line is at level error. Spellings
// rotate by span (mixed: every spelling is used on a trace of ten spans).
func ForTraces(w io.Writer, traces []*backend.Trace, o Options) (Counts, error) {
	sp, err := pick(o.Format)
	if err != nil {
		return Counts{}, err
	}
	if o.PerSpan <= 0 {
		o.PerSpan = 2
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x106))
	type out struct {
		at   int64
		text []byte
	}
	var lines []out
	c := Counts{Lines: map[backend.TraceID]int{}, Errors: map[backend.TraceID]int{}}
	var lo, hi int64
	n := 0
	for _, t := range traces {
		for i := range t.Spans {
			s := &t.Spans[i]
			if lo == 0 || s.Start < lo {
				lo = s.Start
			}
			hi = max(hi, s.End())
			spelling := sp[n%len(sp)]
			n++
			for k := 0; k < o.PerSpan; k++ {
				r := Rec{
					Time:    s.Start + s.Duration*int64(k+1)/int64(o.PerSpan+1),
					Level:   []string{"info", "debug", "info", "warn"}[rng.IntN(4)],
					Service: s.Service,
					Message: fmt.Sprintf("%s: step %d of %d", s.Operation, k+1, o.PerSpan),
					TraceID: t.ID, SpanID: s.SpanID,
					ExtraKey: "user", ExtraValue: fmt.Sprintf("u%d", rng.IntN(1000)),
				}
				r.Time -= r.Time % 1000 // µs, as loggers write
				if s.Error && k == o.PerSpan-1 {
					r.Level, r.Message = "error", s.Operation+" failed"
					c.Errors[t.ID]++
				}
				lines = append(lines, out{r.Time, spelling.Line(nil, r)})
				c.Lines[t.ID]++
			}
		}
	}
	if hi <= lo {
		hi = lo + int64(time.Second)
	}
	for i := 0; i < o.Noise; i++ {
		at := lo + rng.Int64N(hi-lo)
		r := Rec{
			Time: at - at%1000, Level: "info", Service: "noise", Message: "another request",
			TraceID: backend.TraceIDFromUint64(rng.Uint64(), rng.Uint64()), SpanID: backend.SpanIDFromUint64(rng.Uint64() | 1),
			ExtraKey: "user", ExtraValue: "u0",
		}
		lines = append(lines, out{r.Time, sp[i%len(sp)].Line(nil, r)})
		c.Noise++
	}
	for i := 0; i < o.Garbage; i++ {
		at := lo + rng.Int64N(hi-lo)
		lines = append(lines, out{at, []byte(garbage[i%len(garbage)] + "\n")})
		c.Garbage++
	}
	slices.SortStableFunc(lines, func(a, b out) int { return int(min(max(a.at-b.at, -1), 1)) })
	bw := bufio.NewWriter(w)
	for _, l := range lines {
		bw.Write(l.text)
	}
	return c, bw.Flush()
}

// garbage lines are neither JSON nor logfmt.
var garbage = []string{
	"Exception in thread \"main\" java.lang.IllegalStateException: boom",
	"\tat com.example.Pay.charge(Pay.java:42)",
	"panic: runtime error: index out of range [3] with length 3",
	"",
	"----- restart -----",
}

// Big writes about size bytes of log lines of many traces, ten lines a
// trace, rotating through the spellings of format; it returns one trace ID
// it wrote, with its line count. For benchmarks: the file is written as it
// goes, never held.
func Big(w io.Writer, size int64, format string, seed uint64) (backend.TraceID, int, error) {
	sp, err := pick(format)
	if err != nil {
		return "", 0, err
	}
	rng := rand.New(rand.NewPCG(seed, 0xb16))
	bw := bufio.NewWriterSize(w, 1<<20)
	services := []string{"api-gateway", "orders", "inventory", "payment", "notification"}
	ops := []string{"GET /api/orders", "SELECT orders", "charge card", "reserve stock", "send email"}
	at := time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC).UnixNano()
	var written int64
	var buf []byte
	var want backend.TraceID
	wantLines := 0
	for t := 0; written < size; t++ {
		id := backend.TraceIDFromUint64(rng.Uint64(), rng.Uint64())
		if t == 0 {
			want = id
		}
		for k := 0; k < 10; k++ {
			at += int64(rng.IntN(200)) * 1000
			r := Rec{
				Time: at, Level: []string{"info", "info", "debug", "warn", "error"}[rng.IntN(5)],
				Service: services[rng.IntN(len(services))],
				Message: ops[rng.IntN(len(ops))] + " handled in " + strconv.Itoa(rng.IntN(900)) + "ms",
				TraceID: id, SpanID: backend.SpanIDFromUint64(rng.Uint64() | 1),
				ExtraKey: "user", ExtraValue: "u" + strconv.Itoa(rng.IntN(10000)),
			}
			buf = sp[(t+k)%len(sp)].Line(buf[:0], r)
			n, err := bw.Write(buf)
			if err != nil {
				return "", 0, err
			}
			written += int64(n)
			if id == want {
				wantLines++
			}
		}
	}
	return want, wantLines, bw.Flush()
}
