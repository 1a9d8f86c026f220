// Package otlp reads and writes OpenTelemetry trace data in its JSON form
// (OTLP/JSON), including the wrappers of Jaeger's api_v3 and Grafana Tempo
// and the variants older servers write (base64 IDs, enum names,
// instrumentationLibrarySpans).
package otlp

import (
	"encoding/base64"
	"io"
	"strconv"
	"strings"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/internal/jsonscan"
)

const op = "decode OTLP JSON"

// NoServiceName is the service of spans whose resource has no service.name;
// Jaeger shows the same name for such data.
const NoServiceName = "OTLPResourceNoServiceName"

// WarningsAttribute is where Jaeger's api_v3 puts adjuster warnings.
const WarningsAttribute = "@jaeger@warnings"

// Decode reads OTLP JSON: {"resourceSpans":[...]}, Tempo's {"batches":[...]}
// and {"trace":{...}}, and Jaeger api_v3's {"result":{...}}. Spans are
// grouped into traces by trace ID in first-seen order. An api_v3 error body
// ({"error":{...}}) gives an error of kind NotFound or BadResponse.
func Decode(r io.Reader) ([]*backend.Trace, error) {
	d := &decoder{s: jsonscan.New(r)}
	d.document()
	if err := jsonscan.Finish(d.s, op); err != nil {
		return nil, err
	}
	return d.result()
}

// Stream decodes the documents of one input in turn (JSON Lines, as the
// collector's file exporter writes them) from a scanner they share. Its
// caches of strings, attribute lists and resources carry over from one
// document to the next, so that a small document costs little more than
// its bytes.
type Stream struct{ d decoder }

// NewStream returns a Stream with empty caches.
func NewStream() *Stream { return &Stream{} }

// Next decodes the JSON value at s's position, leaving s just after it;
// what follows the value is the caller's. Error offsets are s's.
func (st *Stream) Next(s *jsonscan.Scanner) ([]*backend.Trace, error) {
	d := &st.d
	d.s = s
	defer d.reset()
	d.document()
	if err := s.Err(); err != nil {
		return nil, jsonscan.DecodeError(op, err)
	}
	return d.result()
}

// reset forgets one document, keeping the caches and scratch space.
func (d *decoder) reset() {
	d.s, d.traces, d.apiErr, d.noService = nil, nil, nil, false
	clear(d.byID)
}

func (d *decoder) document() {
	switch d.s.Peek() {
	case jsonscan.Object:
		d.top()
	case jsonscan.EOF:
		d.s.Fail("empty input")
	default:
		d.s.Fail("expected a JSON object")
	}
}

// result turns the groups of a decoded document into traces.
func (d *decoder) result() ([]*backend.Trace, error) {
	if d.apiErr != nil && len(d.traces) == 0 {
		return nil, d.apiErr
	}
	traces := make([]*backend.Trace, len(d.traces))
	for i, g := range d.traces {
		t := g.t
		t.Spans = g.spans.Slice()
		traces[i] = t
		if d.noService {
			t.Warnings = append(t.Warnings, "a resource has no service.name; its spans are shown as "+NoServiceName)
		}
	}
	return traces, nil
}

// group gathers the spans of one trace ID.
type group struct {
	t     *backend.Trace
	spans jsonscan.Chunks[backend.Span]
}

type decoder struct {
	s      *jsonscan.Scanner
	in     *backend.Interner
	procs  jsonscan.Processes
	sc     jsonscan.StrCache
	traces []*group
	byID   map[backend.TraceID]*group
	apiErr error
	last   jsonscan.LastTraceID

	noService bool
	// pending holds the spans of the resource being read: its attributes
	// (and so the service) may come after its spans.
	pending []backend.Span

	tags  jsonscan.KVLists
	ids   jsonscan.IDs
	refs  jsonscan.Slab[backend.Ref]
	logs  jsonscan.Slab[backend.Log]
	kvBuf []backend.KeyValue
	raw   []byte
}

func (d *decoder) top() {
	s := d.s
	if !s.Object() {
		return
	}
	for {
		key, ok := s.NextKey()
		if !ok {
			return
		}
		switch string(key) {
		case "resourceSpans", "batches":
			if s.Array() {
				for s.Next() {
					d.resourceSpans()
				}
			}
		case "result", "trace":
			if s.Peek() == jsonscan.Object {
				d.top()
			} else {
				s.Skip()
			}
		case "error":
			d.apiError()
		default:
			s.Skip()
		}
	}
}

// apiError reads api_v3's {"error":{"httpCode":404,"message":"..."}}.
func (d *decoder) apiError() {
	s := d.s
	if !s.Object() {
		return
	}
	code := int64(0)
	msg := ""
	for {
		key, ok := s.NextKey()
		if !ok {
			break
		}
		switch string(key) {
		case "httpCode", "code":
			code = s.Int()
		case "message", "msg":
			msg = string(s.Str())
		default:
			s.Skip()
		}
	}
	kind := backend.BadResponse
	if code == 404 || strings.Contains(strings.ToLower(msg), "not found") {
		kind = backend.NotFound
	}
	d.apiErr = &backend.Error{Kind: kind, Op: "OTLP response", Offset: -1, Excerpt: backend.Excerpt([]byte(msg), 200)}
}

func (d *decoder) resourceSpans() {
	s := d.s
	if !s.Object() {
		if s.Err() == nil {
			s.Fail("resourceSpans entry is not an object")
		}
		return
	}
	d.pending = d.pending[:0]
	proc := &backend.Process{}
	hasService := false
	for {
		key, ok := s.NextKey()
		if !ok {
			break
		}
		switch string(key) {
		case "resource":
			if !s.Object() {
				continue
			}
			for {
				k, ok := s.NextKey()
				if !ok {
					break
				}
				if string(k) != "attributes" {
					s.Skip()
					continue
				}
				tags := d.attributes(nil)
				out := tags[:0:0]
				for _, kv := range tags {
					if kv.Key == "service.name" && kv.Type == backend.TypeString {
						proc.Service = kv.Str
						hasService = true
						continue
					}
					out = append(out, kv)
				}
				proc.Tags = d.tags.Copy(out)
			}
		case "scopeSpans", "instrumentationLibrarySpans":
			if s.Array() {
				for s.Next() {
					d.scopeSpans()
				}
			}
		default:
			s.Skip()
		}
	}
	if s.Err() != nil {
		return
	}
	if !hasService && len(d.pending) > 0 {
		proc.Service = NoServiceName
		d.noService = true
	}
	proc = d.procs.Get(proc)
	for i := range d.pending {
		sp := &d.pending[i]
		sp.Process = proc
		sp.Service = proc.Service
		sp.Finish()
		g := d.byID[sp.TraceID]
		if g == nil {
			g = &group{t: &backend.Trace{ID: sp.TraceID}}
			if d.byID == nil {
				d.byID = map[backend.TraceID]*group{}
			}
			d.byID[sp.TraceID] = g
			d.traces = append(d.traces, g)
		}
		g.spans.Add(*sp)
	}
	clear(d.pending)
	d.pending = d.pending[:0]
}

func (d *decoder) scopeSpans() {
	s := d.s
	if !s.Object() {
		return
	}
	first := len(d.pending)
	var scope []backend.KeyValue
	scopeRead := false
	for {
		key, ok := s.NextKey()
		if !ok {
			break
		}
		switch string(key) {
		case "scope", "instrumentationLibrary":
			scope = d.scope()
			scopeRead = true
		case "spans":
			if s.Array() {
				for s.Next() {
					d.span(scope)
				}
			}
		default:
			s.Skip()
		}
	}
	// A scope written after its spans is added to their tags at the end
	// rather than the front.
	if scopeRead && len(scope) > 0 {
		for i := first; i < len(d.pending); i++ {
			sp := &d.pending[i]
			if len(sp.Tags) >= len(scope) && sp.Tags[0] == scope[0] {
				continue
			}
			sp.Tags = append(sp.Tags[:len(sp.Tags):len(sp.Tags)], scope...)
		}
	}
}

// scope turns the instrumentation scope into the tags Jaeger shows for it.
func (d *decoder) scope() []backend.KeyValue {
	s := d.s
	if !s.Object() {
		return nil
	}
	var name, version string
	for {
		key, ok := s.NextKey()
		if !ok {
			break
		}
		switch string(key) {
		case "name":
			name = d.sc.Bytes(s.Str())
		case "version":
			version = d.sc.Bytes(s.Str())
		default:
			s.Skip()
		}
	}
	var out []backend.KeyValue
	if name != "" {
		out = append(out, backend.String("otel.scope.name", name))
	}
	if version != "" {
		out = append(out, backend.String("otel.scope.version", version))
	}
	return out
}

// traceID reads an OTLP trace ID: 32 hex, else base64 of 16 bytes, else
// whatever the generic parser makes of it.
func (d *decoder) traceID(b []byte) backend.TraceID {
	if id, ok := d.last.Get(b); ok {
		return id
	}
	return d.last.Set(b, d.parseTraceID(b))
}

// intern shares one copy of each trace ID among spans and documents.
func (d *decoder) intern(id string) string {
	if d.in == nil {
		d.in = backend.NewInterner()
	}
	return d.in.String(id)
}

func (d *decoder) parseTraceID(b []byte) backend.TraceID {
	if len(b) == 32 {
		if h, ok := jsonscan.HexID(b, 32); ok {
			return backend.TraceID(d.intern(h))
		}
	}
	if h, ok := jsonscan.Base64ID(b, 16); ok {
		return backend.TraceID(d.intern(h))
	}
	if h, ok := jsonscan.Base64ID(b, 8); ok && len(b) != 16 {
		return backend.TraceID(d.intern(string(jsonscan.TraceID([]byte(h)))))
	}
	return backend.TraceID(d.intern(string(jsonscan.TraceID(b))))
}

func (d *decoder) spanID(b []byte) backend.SpanID {
	if len(b) == 0 {
		return ""
	}
	if len(b) == 16 {
		if id, ok := d.ids.Hex(b); ok {
			return id
		}
	}
	if h, ok := jsonscan.Base64ID(b, 8); ok {
		return backend.SpanID(h)
	}
	return jsonscan.SpanID(b)
}
func (d *decoder) span(scope []backend.KeyValue) {
	s := d.s
	if !s.Object() {
		if s.Err() == nil {
			s.Fail("span is not an object")
		}
		return
	}
	var (
		sp         backend.Span
		end        int64
		parent     backend.SpanID
		links      []backend.Ref
		traceState string
	)
	d.kvBuf = append(d.kvBuf[:0], scope...)
	for {
		key, ok := s.NextKey()
		if !ok {
			break
		}
		switch string(key) {
		case "traceId":
			sp.TraceID = d.traceID(s.Str())
		case "spanId":
			sp.SpanID = d.spanID(s.Str())
		case "parentSpanId":
			parent = d.spanID(s.Str())
		case "name":
			sp.Operation = d.sc.Bytes(s.Str())
		case "kind":
			sp.Kind = d.kind()
		case "startTimeUnixNano":
			sp.Start = s.Int()
		case "endTimeUnixNano":
			end = s.Int()
		case "attributes":
			d.kvBuf = d.attributes(d.kvBuf)
		case "events":
			sp.Logs = d.events()
		case "links":
			links = d.links()
		case "status":
			sp.Status = d.status()
		case "traceState":
			traceState = string(s.Str())
		default:
			s.Skip()
		}
	}
	if s.Err() != nil {
		return
	}
	if traceState != "" {
		d.kvBuf = append(d.kvBuf, backend.String("w3c.tracestate", traceState))
	}
	// Adjuster warnings travel as an attribute; they belong in Warnings.
	tags := d.kvBuf
	for i := 0; i < len(tags); i++ {
		if tags[i].Key == WarningsAttribute {
			sp.Warnings = append(sp.Warnings, jsonscan.WarningTexts(tags[i])...)
			tags = append(tags[:i], tags[i+1:]...)
			i--
		}
	}
	sp.Tags = d.tags.Copy(tags)
	d.kvBuf = tags[:0]
	if end >= sp.Start {
		sp.Duration = end - sp.Start
	} else if end != 0 {
		sp.Warnings = append(sp.Warnings, "end time before start time")
	}
	nrefs := len(links)
	if parent != "" && !jsonscan.IsZeroID(parent) {
		nrefs++
	}
	if nrefs > 0 {
		refs := make([]backend.Ref, 0, nrefs)
		if parent != "" && !jsonscan.IsZeroID(parent) {
			refs = append(refs, backend.Ref{Type: backend.RefChildOf, TraceID: sp.TraceID, SpanID: parent})
		}
		refs = append(refs, links...)
		sp.References = d.refs.Copy(refs)
	}
	d.pending = append(d.pending, sp)
}

func (d *decoder) kind() backend.SpanKind {
	b, k := d.s.Scalar()
	if k == jsonscan.String {
		if n, ok := jsonscan.ParseInt(b); !ok || len(b) == 0 {
			return backend.ParseSpanKind(string(b))
		} else {
			return kindFromInt(n)
		}
	}
	if k == jsonscan.Number {
		n, _ := jsonscan.ParseInt(b)
		return kindFromInt(n)
	}
	return backend.KindUnspecified
}

func kindFromInt(n int64) backend.SpanKind {
	if n >= 1 && n <= 5 {
		// OTLP's enum: 1 internal, 2 server, 3 client, 4 producer, 5 consumer,
		// the order of backend.SpanKind.
		return backend.SpanKind(n)
	}
	return backend.KindUnspecified
}

func (d *decoder) status() backend.Status {
	s := d.s
	var st backend.Status
	if !s.Object() {
		return st
	}
	for {
		key, ok := s.NextKey()
		if !ok {
			break
		}
		switch string(key) {
		case "code":
			b, k := s.Scalar()
			n, isNum := jsonscan.ParseInt(b)
			switch {
			case k == jsonscan.Number || (k == jsonscan.String && isNum && len(b) > 0):
				if n == 1 || n == 2 {
					st.Code = backend.StatusCode(n)
				}
			case k == jsonscan.String:
				switch strings.ToUpper(strings.TrimPrefix(strings.ToUpper(string(b)), "STATUS_CODE_")) {
				case "OK":
					st.Code = backend.StatusOK
				case "ERROR":
					st.Code = backend.StatusError
				}
			}
		case "message":
			st.Message = string(s.Str())
		default:
			s.Skip()
		}
	}
	return st
}

func (d *decoder) events() []backend.Log {
	s := d.s
	if !s.Array() {
		return nil
	}
	var buf [8]backend.Log
	logs := buf[:0]
	for s.Next() {
		if !s.Object() {
			continue
		}
		var (
			l     backend.Log
			name  string
			attrs []backend.KeyValue
		)
		for {
			key, ok := s.NextKey()
			if !ok {
				break
			}
			switch string(key) {
			case "timeUnixNano":
				l.Time = s.Int()
			case "name":
				name = d.sc.Bytes(s.Str())
			case "attributes":
				attrs = d.attributes(attrs)
			default:
				s.Skip()
			}
		}
		fields := make([]backend.KeyValue, 0, len(attrs)+1)
		if name != "" {
			fields = append(fields, backend.String("event", name))
		}
		fields = append(fields, attrs...)
		l.Fields = d.tags.Copy(fields)
		logs = append(logs, l)
	}
	return d.logs.Copy(logs)
}

func (d *decoder) links() []backend.Ref {
	s := d.s
	if !s.Array() {
		return nil
	}
	var refs []backend.Ref
	for s.Next() {
		if !s.Object() {
			continue
		}
		r := backend.Ref{Type: backend.RefLink}
		var attrs []backend.KeyValue
		for {
			key, ok := s.NextKey()
			if !ok {
				break
			}
			switch string(key) {
			case "traceId":
				r.TraceID = d.traceID(s.Str())
			case "spanId":
				r.SpanID = d.spanID(s.Str())
			case "attributes":
				attrs = d.attributes(attrs)
			case "traceState":
				if ts := s.Str(); len(ts) > 0 {
					attrs = append(attrs, backend.String("w3c.tracestate", string(ts)))
				}
			default:
				s.Skip()
			}
		}
		for _, kv := range attrs {
			// Links made by the OpenTracing shim say what they were; Jaeger
			// turns them back into references the same way.
			if kv.Key == "opentracing.ref_type" {
				switch kv.Str {
				case "child_of":
					r.Type = backend.RefChildOf
				case "follows_from":
					r.Type = backend.RefFollowsFrom
				}
			}
		}
		if len(attrs) > 0 {
			r.Attributes = d.tags.Copy(attrs)
		}
		if r.SpanID != "" {
			refs = append(refs, r)
		}
	}
	return refs
}

// attributes appends [{key, value: AnyValue}] to dst.
func (d *decoder) attributes(dst []backend.KeyValue) []backend.KeyValue {
	s := d.s
	if !s.Array() {
		return dst
	}
	for s.Next() {
		if !s.Object() {
			continue
		}
		var kv backend.KeyValue
		for {
			key, ok := s.NextKey()
			if !ok {
				break
			}
			switch string(key) {
			case "key":
				kv.Key = d.sc.Bytes(s.Str())
			case "value":
				d.anyValue(&kv)
			default:
				s.Skip()
			}
		}
		dst = append(dst, kv)
	}
	return dst
}

// anyValue reads an AnyValue into kv's type and value. Arrays and key-value
// lists become JSON text.
func (d *decoder) anyValue(kv *backend.KeyValue) {
	s := d.s
	kv.Type = backend.TypeString
	if !s.Object() {
		return
	}
	for {
		key, ok := s.NextKey()
		if !ok {
			break
		}
		switch string(key) {
		case "stringValue":
			kv.Type = backend.TypeString
			kv.Str = d.sc.Value(s.Str())
		case "boolValue":
			*kv = backend.Bool(kv.Key, s.Bool())
		case "intValue":
			*kv = backend.Int64(kv.Key, s.Int())
		case "doubleValue":
			*kv = backend.Float64(kv.Key, s.Float())
		case "bytesValue":
			b := s.Str()
			raw, err := base64.StdEncoding.AppendDecode(nil, b)
			if err != nil {
				kv.Type = backend.TypeString
				kv.Str = string(b)
			} else {
				*kv = backend.Binary(kv.Key, raw)
			}
		case "arrayValue", "kvlistValue":
			d.raw = d.composite(d.raw[:0], string(key) == "kvlistValue")
			kv.Type = backend.TypeJSON
			kv.Str = string(d.raw)
		default:
			s.Skip()
		}
	}
}

// composite renders {"values":[AnyValue...]} as a JSON array, or, for a
// kvlist, {"values":[{key,value}...]} as a JSON object. Recursion is bounded
// by the scanner's depth limit.
func (d *decoder) composite(dst []byte, kvlist bool) []byte {
	s := d.s
	open, close := byte('['), byte(']')
	if kvlist {
		open, close = '{', '}'
	}
	dst = append(dst, open)
	if !s.Object() {
		return append(dst, close)
	}
	n := 0
	for {
		key, ok := s.NextKey()
		if !ok {
			break
		}
		if string(key) != "values" || !s.Array() {
			s.Skip()
			continue
		}
		for s.Next() {
			if n > 0 {
				dst = append(dst, ',')
			}
			n++
			if kvlist {
				dst = d.kvEntry(dst)
			} else {
				dst = d.anyJSON(dst)
			}
		}
	}
	return append(dst, close)
}

// kvEntry renders {key, value} as "key":value.
func (d *decoder) kvEntry(dst []byte) []byte {
	s := d.s
	if !s.Object() {
		return append(dst, `"":null`...)
	}
	var key []byte
	var val []byte
	for {
		k, ok := s.NextKey()
		if !ok {
			break
		}
		switch string(k) {
		case "key":
			key = append(key[:0], s.Str()...)
		case "value":
			val = d.anyJSON(val[:0])
		default:
			s.Skip()
		}
	}
	if val == nil {
		val = []byte("null")
	}
	dst = jsonscan.AppendQuoted(dst, key)
	dst = append(dst, ':')
	return append(dst, val...)
}

// anyJSON renders one AnyValue as a plain JSON value.
func (d *decoder) anyJSON(dst []byte) []byte {
	s := d.s
	if !s.Object() {
		return append(dst, "null"...)
	}
	wrote := false
	for {
		key, ok := s.NextKey()
		if !ok {
			break
		}
		if wrote {
			// Two values in one AnyValue: keep the output valid JSON.
			s.Skip()
			continue
		}
		switch string(key) {
		case "stringValue", "bytesValue":
			dst = jsonscan.AppendQuoted(dst, s.Str())
		case "boolValue":
			if s.Bool() {
				dst = append(dst, "true"...)
			} else {
				dst = append(dst, "false"...)
			}
		case "intValue":
			b, _ := s.Scalar()
			if n, ok := jsonscan.ParseInt(b); ok {
				dst = strconv.AppendInt(dst, n, 10)
			} else {
				dst = append(dst, '0')
			}
		case "doubleValue":
			b, k := s.Scalar()
			if k == jsonscan.Number {
				dst = append(dst, b...)
			} else {
				dst = jsonscan.AppendQuoted(dst, b)
			}
		case "arrayValue":
			dst = d.composite(dst, false)
		case "kvlistValue":
			dst = d.composite(dst, true)
		default:
			s.Skip()
			continue
		}
		wrote = true
	}
	if !wrote {
		dst = append(dst, "null"...)
	}
	return dst
}
