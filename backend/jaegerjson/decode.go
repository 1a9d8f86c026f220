// Package jaegerjson reads and writes the JSON of Jaeger's query API and UI
// (the `/api/traces` model, also what "Download JSON" in Jaeger UI saves).
package jaegerjson

import (
	"encoding/base64"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/internal/jsonscan"
)

const op = "decode Jaeger JSON"

// WarningsTag is the span tag (and OTLP attribute) under which Jaeger stores
// adjuster warnings; decoders move it into Span.Warnings.
const WarningsTag = "@jaeger@warnings"

// EnvelopeError is one entry of the envelope's "errors" list.
type EnvelopeError struct {
	Code    int
	Msg     string
	TraceID backend.TraceID // set for a multi-get "trace not found"
}

// Response is a decoded document with the envelope errors kept apart.
type Response struct {
	Traces []*backend.Trace
	Errors []EnvelopeError
}

// Decode reads Jaeger UI JSON: the envelope {"data":[...],"errors":...}, a
// bare trace object, or a list of traces. Envelope errors that name a
// decoded trace become its warnings; the others (a multi-get's missing IDs)
// become warnings of the first trace. With no trace and some errors, the
// result is an error of kind NotFound (every error a 404 or "not found") or
// BadResponse.
func Decode(r io.Reader) ([]*backend.Trace, error) {
	resp, err := DecodeResponse(r)
	if err != nil {
		return nil, err
	}
	return resp.Traces, resp.Fold()
}

// Fold moves the envelope errors into trace warnings as Decode describes and
// returns the error for a response that has errors and no traces.
func (resp *Response) Fold() error {
	if len(resp.Errors) == 0 {
		return nil
	}
	if len(resp.Traces) == 0 {
		kind := backend.NotFound
		var msgs []string
		for _, e := range resp.Errors {
			if e.Code != 404 && !strings.Contains(strings.ToLower(e.Msg), "not found") {
				kind = backend.BadResponse
			}
			msgs = append(msgs, e.message())
		}
		return &backend.Error{Kind: kind, Op: "Jaeger response", Offset: -1,
			Excerpt: backend.Excerpt([]byte(strings.Join(msgs, "; ")), 200)}
	}
	byID := make(map[backend.TraceID]*backend.Trace, len(resp.Traces))
	for _, t := range resp.Traces {
		byID[t.ID] = t
	}
	for _, e := range resp.Errors {
		if t := byID[e.TraceID]; t != nil && e.TraceID != "" {
			t.Warnings = append(t.Warnings, "server: "+e.Msg)
			continue
		}
		resp.Traces[0].Warnings = append(resp.Traces[0].Warnings, "server: "+e.message())
	}
	resp.Errors = nil
	return nil
}

func (e EnvelopeError) message() string {
	var b strings.Builder
	if e.TraceID != "" {
		b.WriteString("trace ")
		b.WriteString(e.TraceID.Short())
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Code != 0 {
		b.WriteString(" (code ")
		b.WriteString(strconv.Itoa(e.Code))
		b.WriteString(")")
	}
	return b.String()
}

// DecodeResponse is Decode without folding the envelope errors, for callers
// that report missing traces themselves.
func DecodeResponse(r io.Reader) (*Response, error) {
	d := newDecoder(jsonscan.New(r))
	d.document()
	if err := jsonscan.Finish(d.s, op); err != nil {
		return nil, err
	}
	return &Response{Traces: d.traces, Errors: d.errs}, nil
}

// Stream decodes the documents of one input in turn (JSON Lines, or JSON
// values one after another) from a scanner they share. Its caches of
// strings, tag lists and processes carry over from one document to the
// next, so that a small document costs little more than its bytes.
type Stream struct{ d *decoder }

// NewStream returns a Stream with empty caches.
func NewStream() *Stream { return &Stream{d: newDecoder(nil)} }

// Next decodes the JSON value at s's position, leaving s just after it;
// what follows the value is the caller's. Envelope errors are folded as
// Decode folds them. Error offsets are s's.
func (st *Stream) Next(s *jsonscan.Scanner) ([]*backend.Trace, error) {
	d := st.d
	d.s, d.traces, d.errs = s, nil, nil
	d.document()
	if err := s.Err(); err != nil {
		return nil, jsonscan.DecodeError(op, err)
	}
	resp := &Response{Traces: d.traces, Errors: d.errs}
	d.s, d.traces, d.errs = nil, nil, nil
	return resp.Traces, resp.Fold()
}

type decoder struct {
	s      *jsonscan.Scanner
	in     *backend.Interner
	sc     jsonscan.StrCache
	procs  jsonscan.Processes
	last   jsonscan.LastTraceID
	traces []*backend.Trace
	errs   []EnvelopeError

	tags  jsonscan.KVLists
	ids   jsonscan.IDs
	refs  jsonscan.Slab[backend.Ref]
	logs  jsonscan.Slab[backend.Log]
	kvBuf []backend.KeyValue
	val   []byte
}

func newDecoder(s *jsonscan.Scanner) *decoder {
	return &decoder{s: s, in: backend.NewInterner()}
}

func (d *decoder) document() {
	s := d.s
	switch s.Peek() {
	case jsonscan.Object:
		d.topObject()
	case jsonscan.Array:
		s.Array()
		for s.Next() {
			d.traceObject(nil)
		}
	case jsonscan.EOF:
		s.Fail("empty input")
	default:
		s.Fail("expected a JSON object or array")
	}
}

// topObject reads an envelope or a bare trace; both are one object, told
// apart by their keys.
func (d *decoder) topObject() {
	s := d.s
	s.Object()
	var bare traceState
	for {
		key, ok := s.NextKey()
		if !ok {
			break
		}
		switch string(key) {
		case "data":
			switch s.Peek() {
			case jsonscan.Object:
				d.traceObject(nil)
			default:
				if s.Array() {
					for s.Next() {
						d.traceObject(nil)
					}
				}
			}
		case "errors":
			d.envelopeErrors()
		default:
			if !d.traceField(&bare, key) {
				s.Skip()
			}
		}
	}
	if bare.seen {
		d.finishTrace(&bare)
	}
}

func (d *decoder) envelopeErrors() {
	s := d.s
	if !s.Array() {
		return
	}
	for s.Next() {
		var e EnvelopeError
		if !s.Object() {
			continue
		}
		for {
			key, ok := s.NextKey()
			if !ok {
				break
			}
			switch string(key) {
			case "code":
				e.Code = int(max(min(s.Int(), math.MaxInt32), math.MinInt32))
			case "msg", "message":
				e.Msg = string(s.Str())
			case "traceID":
				if b := s.Str(); len(b) > 0 {
					e.TraceID = jsonscan.TraceID(b)
				}
			default:
				s.Skip()
			}
		}
		d.errs = append(d.errs, e)
	}
}

// traceState collects one trace object; spans refer to processes that may
// only come later in the object.
type traceState struct {
	seen      bool
	id        backend.TraceID
	spans     jsonscan.Chunks[pending]
	processes map[string]*backend.Process
	warnings  []string

	// pids and traceIDs hold the distinct values that pending spans index;
	// a trace has a few processes and, nearly always, one trace ID.
	pids     []string
	pidIndex map[string]int32
	traceIDs []backend.TraceID
	extras   []extra
}

// pending is a span as read, before its trace object is complete (the
// processes may come last). It is about half a backend.Span: the spans are
// copied into one slice at the end, and that copy is a big trace's largest
// allocation, so what it copies from should be small. Rare fields wait in
// traceState.extras.
type pending struct {
	spanID    backend.SpanID
	operation string
	refs      []backend.Ref
	tags      []backend.KeyValue
	logs      []backend.Log
	start     int64
	duration  int64
	pid       int32 // index in traceState.pids
	traceID   int32 // index in traceState.traceIDs
	extra     int32 // 1 + index in traceState.extras; 0 for none
	kind      backend.SpanKind
	status    backend.StatusCode
}

type extra struct {
	warnings []string
	message  string
	process  *backend.Process
}

func (st *traceState) pidOf(pid string) int32 {
	if i, ok := st.pidIndex[pid]; ok {
		return i
	}
	if st.pidIndex == nil {
		st.pidIndex = make(map[string]int32)
	}
	i := int32(len(st.pids))
	st.pids = append(st.pids, pid)
	st.pidIndex[pid] = i
	return i
}

func (st *traceState) traceIDOf(id backend.TraceID) int32 {
	if n := len(st.traceIDs); n > 0 && st.traceIDs[n-1] == id {
		return int32(n - 1)
	}
	for i, v := range st.traceIDs {
		if v == id {
			return int32(i)
		}
	}
	st.traceIDs = append(st.traceIDs, id)
	return int32(len(st.traceIDs) - 1)
}

func (st *traceState) add(sp *backend.Span, pid string, embedded *backend.Process) {
	p := pending{
		spanID:    sp.SpanID,
		operation: sp.Operation,
		refs:      sp.References,
		tags:      sp.Tags,
		logs:      sp.Logs,
		start:     sp.Start,
		duration:  sp.Duration,
		pid:       st.pidOf(pid),
		traceID:   st.traceIDOf(sp.TraceID),
		kind:      sp.Kind,
		status:    sp.Status.Code,
	}
	if len(sp.Warnings) > 0 || sp.Status.Message != "" || embedded != nil {
		st.extras = append(st.extras, extra{warnings: sp.Warnings, message: sp.Status.Message, process: embedded})
		p.extra = int32(len(st.extras))
	}
	st.spans.Add(p)
}

func (d *decoder) traceObject(st *traceState) {
	s := d.s
	if st == nil {
		st = &traceState{}
	}
	if !s.Object() {
		return
	}
	for {
		key, ok := s.NextKey()
		if !ok {
			break
		}
		if !d.traceField(st, key) {
			s.Skip()
		}
	}
	if !st.seen {
		// An operations list ({"name","spanKind"}) or anything else that is
		// not a trace: say so rather than invent an empty trace.
		s.Fail("object is not a Jaeger trace (no traceID, spans or processes)")
		return
	}
	d.finishTrace(st)
}

// traceField reads one member of a trace object; false for keys it does not
// know (the caller skips them).
func (d *decoder) traceField(st *traceState, key []byte) bool {
	s := d.s
	switch string(key) {
	case "traceID":
		st.seen = true
		if b := s.Str(); len(b) > 0 {
			st.id = d.traceID(b)
		}
	case "spans":
		st.seen = true
		if s.Array() {
			for s.Next() {
				d.span(st)
			}
		}
	case "processes":
		st.seen = true
		if s.Object() {
			if st.processes == nil {
				st.processes = make(map[string]*backend.Process)
			}
			for {
				k, ok := s.NextKey()
				if !ok {
					break
				}
				name := d.in.Bytes(k)
				if p := d.process(); p != nil {
					st.processes[name] = p
				}
			}
		}
	case "warnings":
		st.seen = true
		st.warnings = d.strings(st.warnings)
	default:
		return false
	}
	return true
}

func (d *decoder) strings(dst []string) []string {
	s := d.s
	if s.Peek() == jsonscan.String {
		return append(dst, string(s.Str()))
	}
	if s.Array() {
		for s.Next() {
			if s.Peek() == jsonscan.String {
				dst = append(dst, string(s.Str()))
			} else {
				s.Skip()
			}
		}
	}
	return dst
}

func (d *decoder) process() *backend.Process {
	s := d.s
	if !s.Object() {
		return nil
	}
	p := &backend.Process{}
	for {
		key, ok := s.NextKey()
		if !ok {
			break
		}
		switch string(key) {
		case "serviceName":
			p.Service = d.sc.Bytes(s.Str())
		case "tags":
			p.Tags = d.keyValues()
		default:
			s.Skip()
		}
	}
	return d.procs.Get(p)
}

// keyValues reads a list of typed Jaeger key-values into slab storage.
func (d *decoder) keyValues() []backend.KeyValue {
	s := d.s
	if !s.Array() {
		return nil
	}
	start := len(d.kvBuf)
	var h uint64
	for s.Next() {
		if kv, kh, vh, ok := d.keyValue(); ok {
			d.kvBuf = append(d.kvBuf, kv)
			h = jsonscan.MixKV(h, kh, vh, &d.kvBuf[len(d.kvBuf)-1])
		}
	}
	out := d.tags.CopyHashed(d.kvBuf[start:], h)
	d.kvBuf = d.kvBuf[:start]
	return out
}

// keyValue reads {"key","type","value"} in any member order: the value is
// kept as text until the type is known. It also returns the StrCache hashes
// of the key and of the string value, for the list's hash.
func (d *decoder) keyValue() (kv backend.KeyValue, keyHash, strHash uint64, ok bool) {
	s := d.s
	if !s.Object() {
		return kv, 0, 0, false
	}
	var (
		typ     string
		valKind jsonscan.Kind
	)
	d.val = d.val[:0]
	for {
		key, ok := s.NextKey()
		if !ok {
			break
		}
		switch string(key) {
		case "key":
			kv.Key, keyHash = d.sc.Hashed(s.Str())
		case "type":
			typ = valueType(s.Str())
		case "value", "vStr", "vBool", "vInt64", "vFloat64", "vBinary":
			switch k := s.Peek(); k {
			case jsonscan.Object, jsonscan.Array:
				d.val = s.Raw(d.val[:0])
				valKind = k
			default:
				b, k := s.Scalar()
				d.val = append(d.val[:0], b...)
				valKind = k
			}
		default:
			s.Skip()
		}
	}
	if s.Err() != nil {
		return kv, 0, 0, false
	}
	strHash = d.setValue(&kv, typ, valKind)
	return kv, keyHash, strHash, true
}

// valueType is a key-value's declared type in lower case; the usual
// spellings cost no allocation.
func valueType(b []byte) string {
	switch string(b) {
	case "string", "STRING":
		return "string"
	case "int64", "INT64":
		return "int64"
	case "bool", "BOOL":
		return "bool"
	case "float64", "FLOAT64":
		return "float64"
	case "binary", "BINARY":
		return "binary"
	case "":
		return ""
	}
	return strings.ToLower(string(b))
}

// setValue interprets the value text by the declared type, or by the JSON
// kind when the type is missing or does not fit the value. It returns the
// hash of the string value (0 for a number or bool).
func (d *decoder) setValue(kv *backend.KeyValue, typ string, k jsonscan.Kind) uint64 {
	v := d.val
	var h uint64
	switch typ {
	case "bool":
		if k == jsonscan.Bool || k == jsonscan.String {
			*kv = backend.Bool(kv.Key, string(v) == "true" || string(v) == "True" || string(v) == "1")
			return 0
		}
	case "int64", "int", "long":
		if n, ok := jsonscan.ParseInt(v); ok && (k == jsonscan.Number || k == jsonscan.String) {
			*kv = backend.Int64(kv.Key, n)
			return 0
		}
	case "float64", "float", "double":
		if f, err := strconv.ParseFloat(string(v), 64); err == nil || k == jsonscan.Number {
			*kv = backend.Float64(kv.Key, f)
			return 0
		}
	case "binary":
		if k == jsonscan.String {
			if b, err := base64.StdEncoding.DecodeString(string(v)); err == nil {
				*kv = backend.Binary(kv.Key, b)
				return d.sc.Hash(b)
			}
		}
	case "string", "":
		if k == jsonscan.String || k == jsonscan.Null {
			kv.Type = backend.TypeString
			kv.Str, h = d.sc.ValueHashed(v)
			return h
		}
	}
	// No usable type: go by what the JSON holds.
	switch k {
	case jsonscan.Bool:
		*kv = backend.Bool(kv.Key, string(v) == "true")
	case jsonscan.Number:
		if n, ok := jsonscan.ParseInt(v); ok && jsonscan.IsInteger(v) {
			*kv = backend.Int64(kv.Key, n)
		} else {
			f, _ := strconv.ParseFloat(string(v), 64)
			*kv = backend.Float64(kv.Key, f)
		}
	case jsonscan.Object, jsonscan.Array:
		kv.Type = backend.TypeJSON
		kv.Str = string(v)
		h = d.sc.Hash(v)
	default:
		kv.Type = backend.TypeString
		kv.Str, h = d.sc.ValueHashed(v)
	}
	return h
}

// traceID normalizes and interns a trace ID.
func (d *decoder) traceID(b []byte) backend.TraceID {
	if id, ok := d.last.Get(b); ok {
		return id
	}
	return d.last.Set(b, backend.TraceID(d.in.String(string(jsonscan.TraceID(b)))))
}

func (d *decoder) span(st *traceState) {
	s := d.s
	if !s.Object() {
		if s.Err() == nil {
			s.Fail("span is not an object")
		}
		return
	}
	var (
		sp       backend.Span
		pid      string
		parent   backend.SpanID
		embedded *backend.Process
	)
	for {
		key, ok := s.NextKey()
		if !ok {
			break
		}
		switch string(key) {
		case "traceID":
			if b := s.Str(); len(b) > 0 {
				sp.TraceID = d.traceID(b)
			}
		case "spanID":
			sp.SpanID = d.ids.SpanID(s.Str())
		case "parentSpanID":
			parent = d.ids.SpanID(s.Str())
		case "operationName":
			sp.Operation = d.sc.Bytes(s.Str())
		case "references":
			sp.References = d.references()
		case "startTime":
			sp.Start = jsonscan.MicrosToNanos(s.Int())
		case "duration":
			sp.Duration = jsonscan.MicrosToNanos(s.Int())
		case "tags":
			sp.Tags = d.keyValues()
		case "logs":
			sp.Logs = d.readLogs()
		case "processID":
			pid = d.sc.Bytes(s.Str())
		case "process":
			embedded = d.process()
		case "warnings":
			sp.Warnings = d.strings(nil)
		default:
			s.Skip()
		}
	}
	if s.Err() != nil {
		return
	}
	if sp.TraceID == "" {
		sp.TraceID = st.id
	}
	if parent != "" && !jsonscan.IsZeroID(parent) && !hasRef(sp.References, parent) {
		// The deprecated parentSpanID field means CHILD_OF, as Jaeger reads it.
		refs := make([]backend.Ref, 0, len(sp.References)+1)
		refs = append(refs, backend.Ref{Type: backend.RefChildOf, TraceID: sp.TraceID, SpanID: parent})
		sp.References = append(refs, sp.References...)
	}
	for i := range sp.References {
		if sp.References[i].TraceID == "" {
			sp.References[i].TraceID = sp.TraceID
		}
	}
	fromTags(&sp)
	st.add(&sp, pid, embedded)
}

func hasRef(refs []backend.Ref, id backend.SpanID) bool {
	for _, r := range refs {
		if r.SpanID == id && r.Type == backend.RefChildOf {
			return true
		}
	}
	return false
}

// fromTags folds the tags Jaeger uses for OTel fields into the model: kind,
// status, and the adjuster warnings tag (moved out of the tags).
func fromTags(sp *backend.Span) {
	moved := false
	for _, kv := range sp.Tags {
		switch kv.Key {
		case "span.kind":
			sp.Kind = backend.ParseSpanKind(kv.Str)
		case "otel.status_code":
			switch strings.ToUpper(kv.Value()) {
			case "ERROR", "STATUS_CODE_ERROR", "2":
				sp.Status.Code = backend.StatusError
			case "OK", "STATUS_CODE_OK", "1":
				sp.Status.Code = backend.StatusOK
			}
		case "otel.status_description":
			sp.Status.Message = kv.Str
		case WarningsTag:
			moved = true
		}
	}
	if !moved {
		return
	}
	tags := make([]backend.KeyValue, 0, len(sp.Tags)-1)
	for _, kv := range sp.Tags {
		if kv.Key != WarningsTag {
			tags = append(tags, kv)
			continue
		}
		sp.Warnings = append(sp.Warnings, jsonscan.WarningTexts(kv)...)
	}
	sp.Tags = tags
}

func (d *decoder) references() []backend.Ref {
	s := d.s
	if !s.Array() {
		return nil
	}
	var buf [4]backend.Ref
	refs := buf[:0]
	for s.Next() {
		if !s.Object() {
			continue
		}
		var r backend.Ref
		for {
			key, ok := s.NextKey()
			if !ok {
				break
			}
			switch string(key) {
			case "refType":
				r.Type = refType(s.Str())
			case "traceID":
				if b := s.Str(); len(b) > 0 {
					r.TraceID = d.traceID(b)
				}
			case "spanID":
				r.SpanID = d.ids.SpanID(s.Str())
			default:
				s.Skip()
			}
		}
		if r.SpanID != "" {
			refs = append(refs, r)
		}
	}
	return d.refs.Copy(refs)
}

// refType reads a reference type in any case.
func refType(b []byte) backend.RefType {
	switch {
	case string(b) == "CHILD_OF" || strings.EqualFold(string(b), "CHILD_OF"):
		return backend.RefChildOf
	case string(b) == "FOLLOWS_FROM" || strings.EqualFold(string(b), "FOLLOWS_FROM"):
		return backend.RefFollowsFrom
	}
	return backend.RefLink
}

func (d *decoder) readLogs() []backend.Log {
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
		var l backend.Log
		for {
			key, ok := s.NextKey()
			if !ok {
				break
			}
			switch string(key) {
			case "timestamp":
				l.Time = jsonscan.MicrosToNanos(s.Int())
			case "fields":
				l.Fields = d.keyValues()
			default:
				s.Skip()
			}
		}
		logs = append(logs, l)
	}
	return d.logs.Copy(logs)
}

func (d *decoder) finishTrace(st *traceState) {
	t := &backend.Trace{ID: st.id, Warnings: st.warnings}
	var spans []backend.Span
	if n := st.spans.Len(); n > 0 {
		spans = make([]backend.Span, n)
	}
	if t.ID == "" && len(spans) > 0 {
		t.ID = st.traceIDs[st.spans.At(0).traceID]
	}
	// Each process ID is looked up once, not once per span.
	procs := make([]*backend.Process, len(st.pids))
	for k, pid := range st.pids {
		procs[k] = st.processes[pid]
	}
	var missing map[string]bool
	st.spans.Drain(func(i int, p *pending) {
		sp := &spans[i]
		*sp = backend.Span{
			TraceID:    st.traceIDs[p.traceID],
			SpanID:     p.spanID,
			References: p.refs,
			Operation:  p.operation,
			Kind:       p.kind,
			Start:      p.start,
			Duration:   p.duration,
			Tags:       p.tags,
			Logs:       p.logs,
			Status:     backend.Status{Code: p.status},
		}
		if p.extra > 0 {
			x := &st.extras[p.extra-1]
			sp.Warnings = x.warnings
			sp.Status.Message = x.message
			if x.process != nil {
				sp.Process = x.process
				sp.Service = x.process.Service
			}
		}
		if sp.TraceID == "" {
			sp.TraceID = t.ID
		}
		if sp.Process == nil {
			if proc := procs[p.pid]; proc != nil {
				sp.Process = proc
				sp.Service = proc.Service
			} else if pid := st.pids[p.pid]; !missing[pid] {
				if missing == nil {
					missing = make(map[string]bool)
				}
				missing[pid] = true
				if pid == "" {
					t.Warnings = append(t.Warnings, "span without a process")
				} else {
					t.Warnings = append(t.Warnings, "unknown processID "+strconv.Quote(pid))
				}
			}
		}
		sp.Finish()
	})
	st.extras = nil
	t.Spans = spans
	d.traces = append(d.traces, t)
}
