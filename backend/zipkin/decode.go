// Package zipkin reads and writes Zipkin API v2 JSON and queries a Zipkin
// server. Zipkin servers return raw spans: the client and server halves of an
// RPC may share one span ID, a span may arrive in several fragments, and IDs
// may be unpadded. Decode normalizes all of that the way Zipkin Lens and
// Jaeger do, so that the rest of tracetui sees one span per ID.
package zipkin

import (
	"bytes"
	"cmp"
	"errors"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/internal/jsonscan"
)

const decodeOp = "decode Zipkin JSON"

// Decode reads Zipkin v2 JSON, either a list of spans (`[span, ...]`, one or
// more traces) or a list of traces (`[[span, ...], ...]`, what /api/v2/traces
// returns), and returns normalized traces in the order they first appear.
// Errors are *backend.Error of kind DecodeError with the byte offset.
//
// Every scalar is read leniently: the format says strings and integers, but
// files from the wild carry numbers as strings, floats and nulls, and none of
// that should cost the whole trace.
func Decode(r io.Reader) ([]*backend.Trace, error) {
	s := jsonscan.New(r)
	d := &decoder{s: s, n: newNormalizer()}
	traces := d.document()
	if err := s.Err(); err != nil {
		return nil, decodeErr(s, err)
	}
	if d.err != nil {
		return nil, d.err
	}
	return traces, nil
}

// Stream decodes the documents of one input in turn (JSON Lines, or JSON
// values one after another) from a scanner they share. Its caches of
// strings and endpoints carry over from one document to the next, so that a
// small document costs little more than its bytes.
type Stream struct{ d *decoder }

// NewStream returns a Stream with empty caches.
func NewStream() *Stream { return &Stream{d: &decoder{n: newNormalizer(), stream: true}} }

// Next decodes the JSON value at s's position, leaving s just after it;
// what follows the value is the caller's. Error offsets are s's.
func (st *Stream) Next(s *jsonscan.Scanner) ([]*backend.Trace, error) {
	d := st.d
	d.s, d.err = s, nil
	defer func() { d.s, d.err = nil, nil }()
	traces := d.document()
	if err := s.Err(); err != nil {
		return nil, decodeErr(s, err)
	}
	if d.err != nil {
		return nil, d.err
	}
	return traces, nil
}

func decodeErr(s *jsonscan.Scanner, err error) error {
	var be *backend.Error
	if errors.As(err, &be) {
		return err // a size limit from the caller's reader: already typed
	}
	off := s.Offset()
	var se *jsonscan.SyntaxError
	if errors.As(err, &se) {
		off = se.Offset
	}
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return &backend.Error{Kind: backend.DecodeError, Op: decodeOp, Offset: max(off, 0), Err: err}
}

// decoder reads wire spans straight into zspans: no reflection, and every
// string that repeats (names, services, addresses, tag keys, short values)
// goes through the interner without a temporary copy.
type decoder struct {
	s   *jsonscan.Scanner
	n   *normalizer
	err error // a problem the scanner cannot see
	// stream is set for a Stream's documents: what follows one is not its
	// business.
	stream bool

	// zspans are carved from blocks; the normalizer links them by pointer.
	blk  []zspan
	seq  int32
	anns jsonscan.Slab[annotation]
	tags jsonscan.Slab[tag]

	// Scratch reused from span to span.
	annBuf []annotation
	tagBuf []tag
	raw    []byte
	group  []*zspan

	// Spans of one trace arrive together: the last trace ID is normalized
	// once, not once per span.
	last jsonscan.LastTraceID
	ids  jsonscan.IDs
}

func (d *decoder) document() []*backend.Trace {
	s := d.s
	switch s.Peek() {
	case jsonscan.Array:
	case jsonscan.EOF:
		s.Fail("empty input")
		return nil
	default:
		s.Fail("not Zipkin v2 JSON: expected a list of spans or a list of traces")
		return nil
	}
	s.Array()
	var traces []*backend.Trace
	var flat spanList
	ok := s.Next()
	// The first element tells the two shapes apart.
	nested := ok && s.Peek() == jsonscan.Array
	for ; ok; ok = s.Next() {
		if !nested {
			if z := d.span(); z != nil {
				flat.add(z)
			}
			continue
		}
		if s.Peek() != jsonscan.Array {
			s.Fail(`expected "["`)
			return nil
		}
		s.Array()
		group := spanList{zs: d.group[:0]}
		for s.Next() {
			if z := d.span(); z != nil {
				group.add(z)
			}
		}
		if s.Err() != nil {
			return nil
		}
		traces = append(traces, d.n.tracesOf(group.zs, group.mixed)...)
		clear(group.zs)
		d.group = group.zs
	}
	if s.Err() != nil {
		return nil
	}
	// Trailing data means the input is not what it seems; the error points
	// just past the list, where the stray data begins.
	end := s.Offset()
	if !d.stream && !s.AtEOF() && s.Err() == nil {
		d.err = &backend.Error{Kind: backend.DecodeError, Op: decodeOp, Offset: end,
			Err: errors.New("unexpected data after the list")}
		return nil
	}
	if !nested {
		traces = d.n.tracesOf(flat.zs, flat.mixed)
	}
	return traces
}

// spanList collects spans and notes, while each is fresh in the cache,
// whether they are of more than one trace ID.
type spanList struct {
	zs    []*zspan
	mixed bool
}

func (l *spanList) add(z *zspan) {
	if len(l.zs) > 0 && z.traceID != l.zs[0].traceID {
		l.mixed = true
	}
	l.zs = append(l.zs, z)
}

func (d *decoder) alloc() *zspan {
	if len(d.blk) == 0 {
		d.blk = make([]zspan, min(max(2*cap(d.blk), 16), 1024))
	}
	z := &d.blk[0]
	d.blk = d.blk[1:]
	d.seq++
	z.seq = d.seq
	return z
}

// Wire field names; encoding/json, which this decoder replaces, matched
// them case-insensitively, so files that relied on that still decode.
const (
	fUnknown = iota
	fTraceID
	fID
	fParentID
	fName
	fKind
	fTimestamp
	fDuration
	fLocalEndpoint
	fRemoteEndpoint
	fAnnotations
	fTags
	fDebug
	fShared
	fServiceName
	fIPv4
	fIPv6
	fPort
	fValue
)

func fieldName(f int) string {
	switch f {
	case fTraceID:
		return "traceId"
	case fID:
		return "id"
	case fParentID:
		return "parentId"
	case fName:
		return "name"
	case fKind:
		return "kind"
	case fTimestamp:
		return "timestamp"
	case fDuration:
		return "duration"
	case fLocalEndpoint:
		return "localEndpoint"
	case fRemoteEndpoint:
		return "remoteEndpoint"
	case fAnnotations:
		return "annotations"
	case fTags:
		return "tags"
	case fDebug:
		return "debug"
	case fShared:
		return "shared"
	case fServiceName:
		return "serviceName"
	case fIPv4:
		return "ipv4"
	case fIPv6:
		return "ipv6"
	case fPort:
		return "port"
	case fValue:
		return "value"
	}
	return ""
}

// field maps a key to one of the given fields: exact match first (the
// common case, a switch on the bytes without allocation), else a
// case-insensitive one.
func field(key []byte, fields ...int) int {
	for _, f := range fields {
		if string(key) == fieldName(f) {
			return f
		}
	}
	for _, f := range fields {
		if bytes.EqualFold(key, []byte(fieldName(f))) {
			return f
		}
	}
	return fUnknown
}

func spanField(key []byte) int {
	switch string(key) {
	case "traceId":
		return fTraceID
	case "id":
		return fID
	case "parentId":
		return fParentID
	case "name":
		return fName
	case "kind":
		return fKind
	case "timestamp":
		return fTimestamp
	case "duration":
		return fDuration
	case "localEndpoint":
		return fLocalEndpoint
	case "remoteEndpoint":
		return fRemoteEndpoint
	case "annotations":
		return fAnnotations
	case "tags":
		return fTags
	case "debug":
		return fDebug
	case "shared":
		return fShared
	}
	return field(key, fTraceID, fID, fParentID, fName, fKind, fTimestamp, fDuration, fLocalEndpoint,
		fRemoteEndpoint, fAnnotations, fTags, fDebug, fShared)
}

// span reads one span object, nil for null or on error.
func (d *decoder) span() *zspan {
	s := d.s
	if !s.Object() {
		return nil
	}
	z := d.alloc()
	d.annBuf, d.tagBuf = d.annBuf[:0], d.tagBuf[:0]
	var shared bool
	var local endpoint
	for {
		key, ok := s.NextKey()
		if !ok {
			break
		}
		switch spanField(key) {
		case fTraceID:
			z.traceID = d.traceID(d.str())
		case fID:
			z.id = d.ids.SpanID(d.str())
		case fParentID:
			z.parent = d.ids.SpanID(d.str())
		case fName:
			z.name = d.n.in.Bytes(d.str())
		case fKind:
			z.kind = d.kind(d.str())
		case fTimestamp:
			z.ts, _ = d.int()
		case fDuration:
			z.dur, z.hasDur = d.int()
		case fLocalEndpoint:
			d.endpoint(&local)
		case fRemoteEndpoint:
			var e endpoint
			if z.remote != nil {
				e = *z.remote
			}
			d.endpoint(&e)
			z.remote = d.n.remote(e)
		case fAnnotations:
			d.annotations()
		case fTags:
			d.tagMap()
		case fDebug:
			z.debug = d.bool()
		case fShared:
			shared = d.bool()
		default:
			s.Skip()
		}
	}
	if s.Err() != nil {
		return nil
	}
	// An all-zero parent is how some tracers say "root"; Jaeger reads it so.
	if z.parent == z.id || z.parent == zeroSpanID {
		z.parent = ""
	}
	// Following Zipkin Lens's span cleaner, `shared` counts only on
	// non-client spans.
	z.shared = shared && z.kind != "CLIENT"
	z.local = d.n.local(local)
	z.anns = d.anns.Copy(sortAnnotations(d.annBuf))
	z.tags = d.tags.Copy(sortTags(d.tagBuf))
	return z
}

// str reads a lenient string: a JSON string as is, null as empty, and any
// other value as its JSON text. The bytes are valid until the next read.
func (d *decoder) str() []byte {
	s := d.s
	switch s.Peek() {
	case jsonscan.Object, jsonscan.Array:
		d.raw = s.Raw(d.raw[:0])
		return d.raw
	}
	b, _ := s.Scalar()
	return b
}

// int reads a lenient integer: a number or a numeric string, fractions
// truncated, out-of-range values clamped; anything else counts as absent.
func (d *decoder) int() (int64, bool) {
	s := d.s
	switch s.Peek() {
	case jsonscan.Object, jsonscan.Array:
		s.Skip()
		return 0, false
	}
	b, k := s.Scalar()
	switch k {
	case jsonscan.Number: // never empty, never spaced
	case jsonscan.String:
		if b = bytes.TrimSpace(b); len(b) == 0 {
			return 0, false
		}
	default:
		return 0, false
	}
	v, ok := jsonscan.ParseInt(b)
	if !ok {
		return 0, false
	}
	return v, true
}

// bool reads a lenient bool: true for JSON true or the string "true".
func (d *decoder) bool() bool {
	s := d.s
	switch s.Peek() {
	case jsonscan.Object, jsonscan.Array:
		s.Skip()
		return false
	}
	b, k := s.Scalar()
	switch k {
	case jsonscan.Bool:
		return b[0] == 't'
	case jsonscan.String:
		switch string(b) {
		case "true", "TRUE", "True":
			return true
		}
	}
	return false
}

func (d *decoder) traceID(b []byte) backend.TraceID {
	if id, ok := d.last.Get(b); ok {
		return id
	}
	return d.last.Set(b, jsonscan.TraceID(b))
}

// kind upper-cases and interns the span kind; the common ASCII case needs no
// allocation.
func (d *decoder) kind(b []byte) string {
	var buf [16]byte
	if len(b) > len(buf) {
		return d.n.in.String(strings.ToUpper(string(b)))
	}
	for i, c := range b {
		if c >= utf8.RuneSelf {
			return d.n.in.String(strings.ToUpper(string(b)))
		}
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		buf[i] = c
	}
	return d.n.in.Bytes(buf[:len(b)])
}

// endpoint reads into e: a repeated key adds to the earlier object and null
// clears it, as encoding/json does with a pointer field.
func (d *decoder) endpoint(e *endpoint) {
	s := d.s
	if !s.Object() {
		*e = endpoint{}
		return
	}
	for {
		key, ok := s.NextKey()
		if !ok {
			return
		}
		switch field(key, fServiceName, fIPv4, fIPv6, fPort) {
		case fServiceName:
			e.service = d.n.in.Bytes(d.str())
		case fIPv4:
			e.ipv4 = d.n.in.Bytes(d.str())
		case fIPv6:
			e.ipv6 = d.n.in.Bytes(d.str())
		case fPort:
			v, ok := d.int()
			e.port = 0
			if ok && v > 0 {
				e.port = v
			}
		default:
			s.Skip()
		}
	}
}

// annotations reads the list into annBuf; a repeated key replaces it, and
// a null element is a zero annotation.
func (d *decoder) annotations() {
	s := d.s
	d.annBuf = d.annBuf[:0]
	if !s.Array() {
		return
	}
	for s.Next() {
		var a annotation
		if s.Object() {
			for {
				key, ok := s.NextKey()
				if !ok {
					break
				}
				switch field(key, fTimestamp, fValue) {
				case fTimestamp:
					a.ts, _ = d.int()
				case fValue:
					a.value = d.n.in.Bytes(d.str())
				default:
					s.Skip()
				}
			}
		}
		if s.Err() != nil {
			return
		}
		d.annBuf = append(d.annBuf, a)
	}
}

// tagMap reads the tags into tagBuf; a repeated key adds to the earlier
// map and null clears it.
func (d *decoder) tagMap() {
	s := d.s
	if !s.Object() {
		d.tagBuf = d.tagBuf[:0]
		return
	}
	for {
		key, ok := s.NextKey()
		if !ok {
			return
		}
		k := d.n.in.Bytes(key)
		v := d.str()
		var val string
		if len(v) <= maxInternedValue {
			val = d.n.in.Bytes(v)
		} else {
			val = string(v)
		}
		d.tagBuf = append(d.tagBuf, tag{k, val})
	}
}

// Tag values up to this length are interned: status codes, methods, hosts
// and flags repeat; long values (URLs, SQL, messages) mostly do not.
const maxInternedValue = 32

// sortTags orders tags by key and keeps the last of each key, as a JSON
// object read into a map does.
func sortTags(t []tag) []tag {
	if len(t) < 2 {
		return t
	}
	slices.SortStableFunc(t, func(a, b tag) int { return strings.Compare(a.k, b.k) })
	out := t[:0]
	for i := range t {
		if i+1 < len(t) && t[i+1].k == t[i].k {
			continue
		}
		out = append(out, t[i])
	}
	return out
}

// mergeTags merges two sorted tag lists; r wins on equal keys.
func mergeTags(l, r []tag) []tag {
	out := make([]tag, 0, len(l)+len(r))
	i, j := 0, 0
	for i < len(l) && j < len(r) {
		switch c := cmp.Compare(l[i].k, r[j].k); {
		case c < 0:
			out = append(out, l[i])
			i++
		case c > 0:
			out = append(out, r[j])
			j++
		default:
			out = append(out, r[j])
			i++
			j++
		}
	}
	out = append(out, l[i:]...)
	return append(out, r[j:]...)
}
