package jaegerjson

import (
	"encoding/base64"
	"io"
	"math"
	"strconv"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/internal/jsonscan"
)

// maxSafeInt is the largest integer a JSON reader using float64 (a browser)
// keeps exact; Jaeger writes int64 values beyond it as strings.
const maxSafeInt = 1<<53 - 1

// Encode writes traces as the envelope {"data":[...],"total":0,"limit":0,
// "offset":0,"errors":null}, as Jaeger's /api/traces does. Times are
// truncated to µs. Strings are written byte for byte (invalid UTF-8 stays
// invalid), so that hostile test data survives a round trip.
func Encode(w io.Writer, traces []*backend.Trace) error {
	e := encoder{out: jsonscan.NewSink(w)}
	e.raw(`{"data":[`)
	for i, t := range traces {
		if i > 0 {
			e.raw(",")
		}
		e.trace(t)
	}
	e.raw(`],"total":0,"limit":0,"offset":0,"errors":null}` + "\n")
	return e.out.Close()
}

type encoder struct {
	out jsonscan.Sink
	buf []byte
}

func (e *encoder) raw(s string) { e.out.WriteString(s) }

func (e *encoder) flush() {
	e.out.Write(e.buf)
	e.buf = e.buf[:0]
}

func (e *encoder) str(s string) {
	e.buf = jsonscan.AppendString(e.buf, s)
}

func (e *encoder) trace(t *backend.Trace) {
	pids := map[*backend.Process]string{}
	var procs []*backend.Process
	for i := range t.Spans {
		p := t.Spans[i].Process
		if _, ok := pids[p]; !ok {
			pids[p] = "p" + strconv.Itoa(len(procs)+1)
			procs = append(procs, p)
		}
	}
	e.buf = append(e.buf, `{"traceID":`...)
	e.str(t.ID.Short())
	e.buf = append(e.buf, `,"spans":[`...)
	for i := range t.Spans {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.span(&t.Spans[i], pids)
		if len(e.buf) > 32<<10 {
			e.flush()
		}
	}
	e.buf = append(e.buf, `],"processes":{`...)
	for i, p := range procs {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.str(pids[p])
		e.buf = append(e.buf, `:{"serviceName":`...)
		if p == nil {
			e.buf = append(e.buf, `"","tags":[]}`...)
			continue
		}
		e.str(p.Service)
		e.buf = append(e.buf, `,"tags":`...)
		e.kvs(p.Tags)
		e.buf = append(e.buf, '}')
	}
	e.buf = append(e.buf, `},"warnings":`...)
	e.strs(t.Warnings)
	e.buf = append(e.buf, '}')
	e.flush()
}

func shortSpanID(id backend.SpanID) string { return string(id) }

func (e *encoder) span(sp *backend.Span, pids map[*backend.Process]string) {
	e.buf = append(e.buf, `{"traceID":`...)
	e.str(sp.TraceID.Short())
	e.buf = append(e.buf, `,"spanID":`...)
	e.str(shortSpanID(sp.SpanID))
	e.buf = append(e.buf, `,"operationName":`...)
	e.str(sp.Operation)
	e.buf = append(e.buf, `,"references":[`...)
	refs := sp.References
	for i, r := range refs {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = append(e.buf, `{"refType":`...)
		if r.Type == backend.RefChildOf {
			e.buf = append(e.buf, `"CHILD_OF"`...)
		} else {
			e.buf = append(e.buf, `"FOLLOWS_FROM"`...)
		}
		e.buf = append(e.buf, `,"traceID":`...)
		tid := r.TraceID
		if tid == "" {
			tid = sp.TraceID
		}
		e.str(tid.Short())
		e.buf = append(e.buf, `,"spanID":`...)
		e.str(string(r.SpanID))
		e.buf = append(e.buf, '}')
	}
	e.buf = append(e.buf, `],"startTime":`...)
	e.buf = strconv.AppendInt(e.buf, sp.Start/1000, 10)
	e.buf = append(e.buf, `,"duration":`...)
	e.buf = strconv.AppendInt(e.buf, sp.Duration/1000, 10)
	e.buf = append(e.buf, `,"tags":`...)
	tags := sp.Tags
	if kind := sp.Kind.String(); kind != "" && kind != "internal" {
		if _, ok := sp.Tag("span.kind"); !ok {
			tags = append(tags[:len(tags):len(tags)], backend.String("span.kind", kind))
		}
	}
	if sp.Status.Code == backend.StatusError {
		if _, ok := sp.Tag("otel.status_code"); !ok {
			tags = append(tags[:len(tags):len(tags)], backend.String("otel.status_code", "ERROR"))
			if sp.Status.Message != "" {
				tags = append(tags, backend.String("otel.status_description", sp.Status.Message))
			}
		}
	}
	e.kvs(tags)
	e.buf = append(e.buf, `,"logs":[`...)
	for i, l := range sp.Logs {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = append(e.buf, `{"timestamp":`...)
		e.buf = strconv.AppendInt(e.buf, l.Time/1000, 10)
		e.buf = append(e.buf, `,"fields":`...)
		e.kvs(l.Fields)
		e.buf = append(e.buf, '}')
	}
	e.buf = append(e.buf, `],"processID":`...)
	e.str(pids[sp.Process])
	e.buf = append(e.buf, `,"warnings":`...)
	e.strs(sp.Warnings)
	e.buf = append(e.buf, '}')
}

func (e *encoder) strs(ss []string) {
	if len(ss) == 0 {
		e.buf = append(e.buf, "null"...)
		return
	}
	e.buf = append(e.buf, '[')
	for i, s := range ss {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.str(s)
	}
	e.buf = append(e.buf, ']')
}

func (e *encoder) kvs(kvs []backend.KeyValue) {
	e.buf = append(e.buf, '[')
	for i, kv := range kvs {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = append(e.buf, `{"key":`...)
		e.str(kv.Key)
		e.buf = append(e.buf, `,"type":"`...)
		switch kv.Type {
		case backend.TypeBool:
			e.buf = append(e.buf, `bool","value":`...)
			e.buf = strconv.AppendBool(e.buf, kv.BoolValue())
		case backend.TypeInt64:
			e.buf = append(e.buf, `int64","value":`...)
			if kv.Num > maxSafeInt || kv.Num < -maxSafeInt {
				e.buf = append(e.buf, '"')
				e.buf = strconv.AppendInt(e.buf, kv.Num, 10)
				e.buf = append(e.buf, '"')
			} else {
				e.buf = strconv.AppendInt(e.buf, kv.Num, 10)
			}
		case backend.TypeFloat64:
			e.buf = append(e.buf, `float64","value":`...)
			f := kv.FloatValue()
			if math.IsNaN(f) || math.IsInf(f, 0) {
				// JSON has no such numbers; Jaeger's encoder would fail, a
				// string keeps the value readable.
				e.str(strconv.FormatFloat(f, 'g', -1, 64))
			} else {
				e.buf = strconv.AppendFloat(e.buf, f, 'g', -1, 64)
			}
		case backend.TypeBinary:
			e.buf = append(e.buf, `binary","value":"`...)
			e.buf = base64.StdEncoding.AppendEncode(e.buf, []byte(kv.Str))
			e.buf = append(e.buf, '"')
		default:
			// JSON values (OTLP arrays and maps) travel as their text, as
			// Jaeger's OTLP translator does.
			e.buf = append(e.buf, `string","value":`...)
			e.str(kv.Str)
		}
		e.buf = append(e.buf, '}')
	}
	e.buf = append(e.buf, ']')
}
