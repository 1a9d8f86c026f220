package jsonscan

import (
	"encoding/base64"
	"errors"
	"hash/maphash"
	"strings"
	"unicode/utf8"

	"github.com/tracetui/tracetui/backend"
)

// DecodeError wraps a scanner or read error as the typed backend error.
// Errors that already are *backend.Error (a size limit hit by the reader)
// pass through unchanged.
func DecodeError(op string, err error) error {
	if err == nil {
		return nil
	}
	var be *backend.Error
	if errors.As(err, &be) {
		return err
	}
	off := int64(-1)
	var se *SyntaxError
	if errors.As(err, &se) {
		off = se.Offset
	}
	return &backend.Error{Kind: backend.DecodeError, Op: op, Offset: off, Err: err}
}

// DecodeErrorAt is DecodeError for a problem found by a decoder rather than
// by the scanner.
func DecodeErrorAt(op string, off int64, msg string) error {
	return &backend.Error{Kind: backend.DecodeError, Op: op, Offset: off, Err: errors.New(msg)}
}

const zeros = "00000000000000000000000000000000"

// HexID normalizes 1..width hex digits in any case to width lowercase
// digits with one allocation; ok is false for anything else.
func HexID(b []byte, width int) (string, bool) {
	var tmp [32]byte
	if width > len(tmp) || !HexInto(tmp[:width], b) {
		return "", false
	}
	return string(tmp[:width]), true
}

// HexInto writes the 1..len(dst) hex digits of b, in any case, into dst as
// lowercase digits left-padded with zeros, allocating nothing (a decoder may
// keep the result in its own buffer); false for anything else.
func HexInto(dst, b []byte) bool {
	if len(b) == 0 || len(b) > len(dst) {
		return false
	}
	pad := len(dst) - len(b)
	copy(dst[:pad], zeros)
	// Every digit has the 0x20 bit; a byte that is none maps to 0 and
	// clears all of all. No branch per byte: every span has two IDs.
	all := byte(0xff)
	for i, c := range b {
		l := hexLower[c]
		dst[pad+i] = l
		all &= l
	}
	return all != 0
}

// hexLower maps each byte to its lowercase hex digit, or to 0 when it is
// not one.
const hexLower = "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x000123456789\x00\x00\x00\x00\x00\x00" +
	"\x00abcdef\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00abcdef\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"

// TraceID normalizes a trace ID from trace data: hex first, then base64,
// else kept as given, but valid UTF-8 (each invalid byte U+FFFD, as
// encoding/json reads it): an ID is compared, looked up and printed.
func TraceID(b []byte) backend.TraceID {
	if h, ok := HexID(b, 32); ok {
		return backend.TraceID(h)
	}
	return backend.TraceIDFromWire(validUTF8(b))
}

// SpanID normalizes a span ID like TraceID.
func SpanID(b []byte) backend.SpanID {
	if len(b) == 0 {
		return ""
	}
	if h, ok := HexID(b, 16); ok {
		return backend.SpanID(h)
	}
	return backend.SpanIDFromWire(validUTF8(b))
}

// IDs hands out normalized span IDs carved from shared chunks: every span
// has an ID and most a parent, and two 16-byte allocations per span were a
// tenth of a big decode's allocations. A strings.Builder only ever
// appends, so the strings it has handed out never change.
type IDs struct {
	b strings.Builder
	// size grows from small, so that a one-span trace does not pay for a
	// chunk meant for a million.
	size int
}

// Hex normalizes 1..16 hex digits in any case to 16 lowercase ones; false
// (and no ID) for anything else.
func (a *IDs) Hex(b []byte) (backend.SpanID, bool) {
	var tmp [16]byte
	if !HexInto(tmp[:], b) {
		return "", false
	}
	if a.b.Cap()-a.b.Len() < len(tmp) {
		a.size = min(max(2*a.size, 512), 64<<10)
		a.b = strings.Builder{}
		a.b.Grow(a.size)
	}
	start := a.b.Len()
	a.b.Write(tmp[:])
	return backend.SpanID(a.b.String()[start:]), true
}

// SpanID is the package's SpanID with hex IDs carved from the chunks.
func (a *IDs) SpanID(b []byte) backend.SpanID {
	if id, ok := a.Hex(b); ok {
		return id
	}
	return SpanID(b)
}

// validUTF8 is b as a string with each byte that is not part of valid
// UTF-8 replaced by U+FFFD, one for one, as encoding/json does.
func validUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	out := make([]byte, 0, len(b)+8)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 {
			out = utf8.AppendRune(out, utf8.RuneError)
		} else {
			out = append(out, b[:n]...)
		}
		b = b[n:]
	}
	return string(out)
}

// Base64ID decodes the base64 form of an ID of n bytes (OTLP from Tempo and
// older Jaeger api_v3) into lowercase hex; ok is false when b is not that.
func Base64ID(b []byte, n int) (string, bool) {
	var raw [24]byte
	if base64.StdEncoding.DecodedLen(len(b)) > len(raw) && base64.RawStdEncoding.DecodedLen(len(b)) > len(raw) {
		return "", false
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if enc.DecodedLen(len(b)) > len(raw) {
			continue
		}
		m, err := enc.Decode(raw[:], b)
		if err == nil && m == n {
			var out [32]byte
			for i := 0; i < m; i++ {
				out[2*i] = hexDigits[raw[i]>>4]
				out[2*i+1] = hexDigits[raw[i]&0xf]
			}
			return string(out[:2*m]), true
		}
	}
	return "", false
}

// IsZeroID reports an all-zero ID, which OTLP and Jaeger use for "no parent".
func IsZeroID(s backend.SpanID) bool {
	if len(s) == 0 {
		return true
	}
	for i := 0; i < len(s); i++ {
		if s[i] != '0' {
			return false
		}
	}
	return true
}

// Processes shares one *backend.Process among spans whose process is equal:
// OTLP from Jaeger's api_v3 repeats the resource for every span.
type Processes struct {
	m map[string][]*backend.Process
}

// Get returns a shared process equal to p (p itself when new).
func (ps *Processes) Get(p *backend.Process) *backend.Process {
	if ps.m == nil {
		ps.m = make(map[string][]*backend.Process)
	}
	for _, q := range ps.m[p.Service] {
		if equalTags(q.Tags, p.Tags) {
			return q
		}
	}
	ps.m[p.Service] = append(ps.m[p.Service], p)
	return p
}

func equalTags(a, b []backend.KeyValue) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Slab hands out small slices carved from big blocks, so that a span's tags
// cost no allocation of their own. Each slice has its capacity cut to its
// length: an append by a later reader copies instead of overwriting a
// neighbour.
type Slab[T any] struct {
	block []T
	// size grows from small, so that a one-span trace does not pay for a
	// block meant for a million.
	size int
}

// Copy returns a slab-backed copy of src (nil for empty).
func (s *Slab[T]) Copy(src []T) []T {
	n := len(src)
	if n == 0 {
		return nil
	}
	if n > 256 {
		out := make([]T, n)
		copy(out, src)
		return out
	}
	if len(s.block) < n {
		s.size = min(max(2*s.size, 64), 4096)
		s.block = make([]T, max(s.size, n))
	}
	out := s.block[:n:n]
	copy(out, src)
	s.block = s.block[n:]
	return out
}

// MicrosToNanos converts µs to ns, clamping instead of overflowing.
func MicrosToNanos(us int64) int64 {
	const lim = (1<<63 - 1) / 1000
	switch {
	case us > lim:
		return 1<<63 - 1
	case us < -lim:
		return -1 << 63
	}
	return us * 1000
}

// StrCache turns byte slices into strings, returning the same string for
// bytes seen before while they stay in the table. Unlike a map it never
// grows: a trace's unique values (request IDs, URLs) only evict each other,
// while the values that repeat (status codes, methods, hosts, tag keys) stay.
type StrCache struct {
	seed  maphash.Seed
	slots []string
}

const strCacheSlots = 4096

// Bytes returns a string equal to b, shared with earlier calls when possible.
func (c *StrCache) Bytes(b []byte) string {
	s, _ := c.Hashed(b)
	return s
}

// Hashed is Bytes that also returns the hash of b (0 for empty), which a
// decoder folds into the hash of the list that holds the string
// (KVLists.CopyHashed) instead of hashing the string a second time.
func (c *StrCache) Hashed(b []byte) (string, uint64) {
	if len(b) == 0 {
		return "", 0
	}
	h := c.Hash(b)
	i := h & (strCacheSlots - 1)
	if s := c.slots[i]; s == string(b) {
		return s, h
	}
	s := string(b)
	c.slots[i] = s
	return s, h
}

// Hash is the hash Hashed returns, for bytes kept without the cache.
func (c *StrCache) Hash(b []byte) uint64 {
	if c.slots == nil {
		c.seed = maphash.MakeSeed()
		c.slots = make([]string, strCacheSlots)
	}
	return maphash.Bytes(c.seed, b)
}

// Chunks collects values in blocks that never move, then hands them out as
// one exact-size slice: for a 100,000-span trace this costs the final slice
// plus one set of blocks instead of append's repeated doubling and copying.
type Chunks[T any] struct {
	blocks [][]T
	n      int
}

// Add appends v.
func (c *Chunks[T]) Add(v T) {
	if k := len(c.blocks); k == 0 || len(c.blocks[k-1]) == cap(c.blocks[k-1]) {
		// A JSON Lines batch of one span must not pay for sixteen.
		size := 2
		if k > 0 {
			size = min(2*cap(c.blocks[k-1]), 8192)
		}
		c.blocks = append(c.blocks, make([]T, 0, size))
	}
	k := len(c.blocks) - 1
	c.blocks[k] = append(c.blocks[k], v)
	c.n++
}

// Len is the number of values added.
func (c *Chunks[T]) Len() int { return c.n }

// At returns a pointer to the i-th value.
func (c *Chunks[T]) At(i int) *T {
	for _, b := range c.blocks {
		if i < len(b) {
			return &b[i]
		}
		i -= len(b)
	}
	return nil
}

// Drain calls f with each value in order, then resets c. Each block is let go
// as soon as f has seen it, so a caller that builds a bigger form of the
// values does not hold both in full while the collector can run.
func (c *Chunks[T]) Drain(f func(i int, v *T)) {
	i := 0
	for k := range c.blocks {
		b := c.blocks[k]
		c.blocks[k] = nil
		for j := range b {
			f(i, &b[j])
			i++
		}
	}
	c.blocks, c.n = nil, 0
}

// Slice returns all values in one slice of exactly Len elements and resets c.
func (c *Chunks[T]) Slice() []T {
	var out []T
	switch len(c.blocks) {
	case 0:
	case 1:
		b := c.blocks[0]
		out = b[:len(b):len(b)]
	default:
		out = make([]T, 0, c.n)
		for _, b := range c.blocks {
			out = append(out, b...)
		}
	}
	c.blocks, c.n = nil, 0
	return out
}

// Finish checks that a decoder consumed the whole input: the scanner's error
// if any, else an error for data after the one JSON value.
func Finish(s *Scanner, op string) error {
	if err := s.Err(); err != nil {
		return DecodeError(op, err)
	}
	if !s.AtEOF() {
		if err := s.Err(); err != nil {
			return DecodeError(op, err)
		}
		return DecodeErrorAt(op, s.Offset(), "unexpected data after the JSON value")
	}
	return nil
}

// Value turns value text into a string, interning short ones: status codes,
// methods, booleans-as-text and host names repeat across spans, while long
// values rarely do and would only evict them.
func (c *StrCache) Value(b []byte) string {
	s, _ := c.ValueHashed(b)
	return s
}

// ValueHashed is Value that also returns the hash of b, as Hashed does.
func (c *StrCache) ValueHashed(b []byte) (string, uint64) {
	if len(b) <= 64 {
		return c.Hashed(b)
	}
	return string(b), c.Hash(b)
}

// WarningTexts splits Jaeger's adjuster warnings tag (@jaeger@warnings): a
// JSON list of strings or one string.
func WarningTexts(kv backend.KeyValue) []string {
	if kv.Type == backend.TypeJSON {
		s := NewBytes([]byte(kv.Str))
		var out []string
		if s.Array() {
			for s.Next() {
				b, k := s.Scalar()
				if k != Invalid {
					out = append(out, string(b))
				}
			}
		}
		if s.Err() == nil {
			return out
		}
	}
	return []string{kv.Value()}
}

// IsInteger reports whether a JSON number is written without a fraction or
// exponent, so that it reads back as an integer.
func IsInteger(b []byte) bool {
	for _, c := range b {
		if c == '.' || c == 'e' || c == 'E' {
			return false
		}
	}
	return true
}

// AppendString appends s as a JSON string, like AppendQuoted. Converting s
// to []byte for AppendQuoted would allocate; the common case has nothing to
// escape and is copied as it is.
func AppendString(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' {
			return AppendQuoted(dst, []byte(s))
		}
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}

// LastTraceID remembers the previous trace ID as written and as parsed:
// every span of a trace repeats it, so most spans skip the parse.
type LastTraceID struct {
	raw []byte
	id  backend.TraceID
}

// Get returns the ID last Set for the same bytes.
func (l *LastTraceID) Get(b []byte) (backend.TraceID, bool) {
	if l.id != "" && string(b) == string(l.raw) {
		return l.id, true
	}
	return "", false
}

// Set remembers id as the parse of b and returns it.
func (l *LastTraceID) Set(b []byte, id backend.TraceID) backend.TraceID {
	l.raw = append(l.raw[:0], b...)
	l.id = id
	return id
}
