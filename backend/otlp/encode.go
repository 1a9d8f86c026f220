package otlp

import (
	"encoding/base64"
	"io"
	"math"
	"strconv"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/internal/jsonscan"
)

// Encode writes traces as one OTLP JSON document {"resourceSpans":[...]},
// in the form Jaeger's api_v3 writes (hex IDs, integer enums, times as
// decimal strings): one resourceSpans per process of each trace. Kind,
// status, logs (as events), references (the parent as parentSpanId, the
// rest as links) and warnings (as @jaeger@warnings) are kept.
func Encode(w io.Writer, traces []*backend.Trace) error {
	e := encoder{out: jsonscan.NewSink(w)}
	e.buf = append(e.buf, `{"resourceSpans":[`...)
	n := 0
	for _, t := range traces {
		var procs []*backend.Process
		groups := map[*backend.Process][]int{}
		for i := range t.Spans {
			p := t.Spans[i].Process
			if _, ok := groups[p]; !ok {
				procs = append(procs, p)
			}
			groups[p] = append(groups[p], i)
		}
		for _, p := range procs {
			if n > 0 {
				e.buf = append(e.buf, ',')
			}
			n++
			e.resource(t, p, groups[p])
		}
	}
	e.buf = append(e.buf, "]}\n"...)
	e.flush()
	return e.out.Close()
}

type encoder struct {
	out jsonscan.Sink
	buf []byte
}

func (e *encoder) flush() {
	e.out.Write(e.buf)
	e.buf = e.buf[:0]
}

func (e *encoder) str(s string) {
	e.buf = jsonscan.AppendString(e.buf, s)
}

func (e *encoder) resource(t *backend.Trace, p *backend.Process, spans []int) {
	e.buf = append(e.buf, `{"resource":{"attributes":[`...)
	if p != nil {
		e.buf = append(e.buf, `{"key":"service.name","value":{"stringValue":`...)
		e.str(p.Service)
		e.buf = append(e.buf, `}}`...)
		for _, kv := range p.Tags {
			e.buf = append(e.buf, ',')
			e.attr(kv)
		}
	}
	e.buf = append(e.buf, `]},"scopeSpans":[{"scope":{},"spans":[`...)
	for i, idx := range spans {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.span(&t.Spans[idx])
		if len(e.buf) > 32<<10 {
			e.flush()
		}
	}
	e.buf = append(e.buf, `]}]}`...)
}

// span writes one span as OTLP JSON. Long by the fields of OTLP's span,
// written in order.
func (e *encoder) span(sp *backend.Span) {
	e.buf = append(e.buf, `{"traceId":`...)
	e.str(string(sp.TraceID))
	e.buf = append(e.buf, `,"spanId":`...)
	e.str(string(sp.SpanID))
	parentRef := -1
	if sp.ParentID != "" {
		for i, r := range sp.References {
			if r.SpanID == sp.ParentID && (r.TraceID == "" || r.TraceID == sp.TraceID) {
				parentRef = i
				break
			}
		}
		e.buf = append(e.buf, `,"parentSpanId":`...)
		e.str(string(sp.ParentID))
	}
	e.buf = append(e.buf, `,"name":`...)
	e.str(sp.Operation)
	if sp.Kind != backend.KindUnspecified {
		e.buf = append(e.buf, `,"kind":`...)
		e.buf = strconv.AppendInt(e.buf, int64(sp.Kind), 10)
	}
	e.buf = append(e.buf, `,"startTimeUnixNano":"`...)
	e.buf = strconv.AppendInt(e.buf, sp.Start, 10)
	e.buf = append(e.buf, `","endTimeUnixNano":"`...)
	e.buf = strconv.AppendInt(e.buf, sp.Start+sp.Duration, 10)
	e.buf = append(e.buf, `","attributes":[`...)
	n := 0
	for _, kv := range sp.Tags {
		if n > 0 {
			e.buf = append(e.buf, ',')
		}
		n++
		e.attr(kv)
	}
	if len(sp.Warnings) > 0 {
		if n > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = append(e.buf, `{"key":"@jaeger@warnings","value":{"arrayValue":{"values":[`...)
		for i, w := range sp.Warnings {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			e.buf = append(e.buf, `{"stringValue":`...)
			e.str(w)
			e.buf = append(e.buf, '}')
		}
		e.buf = append(e.buf, `]}}}`...)
	}
	e.buf = append(e.buf, ']')
	if len(sp.Logs) > 0 {
		e.buf = append(e.buf, `,"events":[`...)
		for i, l := range sp.Logs {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			e.buf = append(e.buf, `{"timeUnixNano":"`...)
			e.buf = strconv.AppendInt(e.buf, l.Time, 10)
			e.buf = append(e.buf, '"')
			name, named := "", false
			for _, f := range l.Fields {
				if f.Key == "event" && f.Type == backend.TypeString && !named {
					name, named = f.Str, true
				}
			}
			if named {
				e.buf = append(e.buf, `,"name":`...)
				e.str(name)
			}
			e.buf = append(e.buf, `,"attributes":[`...)
			m := 0
			skipped := false
			for _, f := range l.Fields {
				if named && !skipped && f.Key == "event" && f.Type == backend.TypeString {
					skipped = true
					continue
				}
				if m > 0 {
					e.buf = append(e.buf, ',')
				}
				m++
				e.attr(f)
			}
			e.buf = append(e.buf, `]}`...)
		}
		e.buf = append(e.buf, ']')
	}
	links := 0
	for i, r := range sp.References {
		if i == parentRef {
			continue
		}
		if links == 0 {
			e.buf = append(e.buf, `,"links":[`...)
		} else {
			e.buf = append(e.buf, ',')
		}
		links++
		tid := r.TraceID
		if tid == "" {
			tid = sp.TraceID
		}
		e.buf = append(e.buf, `{"traceId":`...)
		e.str(string(tid))
		e.buf = append(e.buf, `,"spanId":`...)
		e.str(string(r.SpanID))
		e.buf = append(e.buf, `,"attributes":[`...)
		m := 0
		hasRefType := false
		for _, kv := range r.Attributes {
			if kv.Key == "opentracing.ref_type" {
				hasRefType = true
			}
			if m > 0 {
				e.buf = append(e.buf, ',')
			}
			m++
			e.attr(kv)
		}
		if !hasRefType && r.Type != backend.RefLink {
			if m > 0 {
				e.buf = append(e.buf, ',')
			}
			typ := "follows_from"
			if r.Type == backend.RefChildOf {
				typ = "child_of"
			}
			e.attr(backend.String("opentracing.ref_type", typ))
		}
		e.buf = append(e.buf, `]}`...)
	}
	if links > 0 {
		e.buf = append(e.buf, ']')
	}
	if sp.Status.Code != backend.StatusUnset || sp.Status.Message != "" {
		e.buf = append(e.buf, `,"status":{"code":`...)
		e.buf = strconv.AppendInt(e.buf, int64(sp.Status.Code), 10)
		if sp.Status.Message != "" {
			e.buf = append(e.buf, `,"message":`...)
			e.str(sp.Status.Message)
		}
		e.buf = append(e.buf, '}')
	}
	e.buf = append(e.buf, '}')
}

func (e *encoder) attr(kv backend.KeyValue) {
	e.buf = append(e.buf, `{"key":`...)
	e.str(kv.Key)
	e.buf = append(e.buf, `,"value":`...)
	e.value(kv)
	e.buf = append(e.buf, '}')
}

func (e *encoder) value(kv backend.KeyValue) {
	switch kv.Type {
	case backend.TypeBool:
		if kv.BoolValue() {
			e.buf = append(e.buf, `{"boolValue":true}`...)
		} else {
			e.buf = append(e.buf, `{"boolValue":false}`...)
		}
	case backend.TypeInt64:
		e.buf = append(e.buf, `{"intValue":"`...)
		e.buf = strconv.AppendInt(e.buf, kv.Num, 10)
		e.buf = append(e.buf, `"}`...)
	case backend.TypeFloat64:
		e.buf = append(e.buf, `{"doubleValue":`...)
		f := kv.FloatValue()
		switch {
		case math.IsNaN(f):
			e.buf = append(e.buf, `"NaN"`...)
		case math.IsInf(f, 1):
			e.buf = append(e.buf, `"Infinity"`...)
		case math.IsInf(f, -1):
			e.buf = append(e.buf, `"-Infinity"`...)
		default:
			e.buf = strconv.AppendFloat(e.buf, f, 'g', -1, 64)
		}
		e.buf = append(e.buf, '}')
	case backend.TypeBinary:
		e.buf = append(e.buf, `{"bytesValue":"`...)
		e.buf = base64.StdEncoding.AppendEncode(e.buf, []byte(kv.Str))
		e.buf = append(e.buf, `"}`...)
	case backend.TypeJSON:
		s := jsonscan.NewBytes([]byte(kv.Str))
		mark := len(e.buf)
		e.buf = appendAnyValue(e.buf, s)
		if s.Err() != nil || !s.AtEOF() {
			e.buf = e.buf[:mark]
			e.buf = append(e.buf, `{"stringValue":`...)
			e.str(kv.Str)
			e.buf = append(e.buf, '}')
		}
	default:
		e.buf = append(e.buf, `{"stringValue":`...)
		e.str(kv.Str)
		e.buf = append(e.buf, '}')
	}
}

// appendAnyValue turns a plain JSON value back into an OTLP AnyValue.
func appendAnyValue(dst []byte, s *jsonscan.Scanner) []byte {
	switch s.Peek() {
	case jsonscan.Array:
		dst = append(dst, `{"arrayValue":{"values":[`...)
		n := 0
		if s.Array() {
			for s.Next() {
				if n > 0 {
					dst = append(dst, ',')
				}
				n++
				dst = appendAnyValue(dst, s)
			}
		}
		return append(dst, `]}}`...)
	case jsonscan.Object:
		dst = append(dst, `{"kvlistValue":{"values":[`...)
		n := 0
		if s.Object() {
			for {
				k, ok := s.NextKey()
				if !ok {
					break
				}
				if n > 0 {
					dst = append(dst, ',')
				}
				n++
				dst = append(dst, `{"key":`...)
				dst = jsonscan.AppendQuoted(dst, k)
				dst = append(dst, `,"value":`...)
				dst = appendAnyValue(dst, s)
				dst = append(dst, '}')
			}
		}
		return append(dst, `]}}`...)
	}
	b, k := s.Scalar()
	switch k {
	case jsonscan.String:
		dst = append(dst, `{"stringValue":`...)
		return append(jsonscan.AppendQuoted(dst, b), '}')
	case jsonscan.Bool:
		dst = append(dst, `{"boolValue":`...)
		return append(append(dst, b...), '}')
	case jsonscan.Number:
		if _, ok := jsonscan.ParseInt(b); ok && jsonscan.IsInteger(b) {
			dst = append(dst, `{"intValue":"`...)
			return append(append(dst, b...), `"}`...)
		}
		dst = append(dst, `{"doubleValue":`...)
		return append(append(dst, b...), '}')
	}
	return append(dst, `{}`...)
}
