// Package jsonscan is a streaming JSON pull scanner for the trace decoders.
//
// encoding/json into typed structs spends most of its time on reflection and
// on allocating every string; a trace file repeats the same few hundred
// strings millions of times. The scanner hands out byte slices into its own
// buffer (valid until the next call), so a decoder can intern them without a
// copy, and it reads from an io.Reader through a fixed window, so a big file
// never sits in memory whole.
//
// Errors are sticky: after the first syntax error every call returns a zero
// value and loops end, so decoders check Err once at the end. null is
// accepted wherever a value is read and yields the zero value, because real
// servers write null for empty lists and objects.
package jsonscan

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"strconv"
	"unicode/utf8"
)

// Kind is the type of the next value.
type Kind uint8

const (
	Invalid Kind = iota
	Object
	Array
	String
	Number
	Bool
	Null
	EOF
)

func (k Kind) String() string {
	switch k {
	case Object:
		return "object"
	case Array:
		return "array"
	case String:
		return "string"
	case Number:
		return "number"
	case Bool:
		return "bool"
	case Null:
		return "null"
	case EOF:
		return "end of input"
	}
	return "invalid"
}

// DefaultMaxDepth bounds nesting. Trace formats need fewer than 10 levels plus
// whatever nests inside OTLP array and kvlist values; 256 leaves room for those
// and keeps recursive helpers far from the stack limit.
const DefaultMaxDepth = 256

// MaxToken bounds a single string or number so that a hostile input cannot
// make the window grow without limit.
const MaxToken = 256 << 20

const defaultWindow = 64 << 10

// SyntaxError is a malformed or unexpected input at a byte offset.
type SyntaxError struct {
	Offset int64
	Msg    string
}

// Error gives the message only: backend.Error, which wraps it, prints the offset.
func (e *SyntaxError) Error() string { return e.Msg }

// ErrDepth is wrapped in the error for input nested deeper than the limit.
var ErrDepth = errors.New("JSON nested too deeply")

// Scanner reads one or more JSON values from a stream.
type Scanner struct {
	r        io.Reader
	buf      []byte
	pos, end int
	// base is the input offset of buf[0].
	base int64
	// mark is the start of a token being read, kept across refills; -1 when none.
	mark  int
	rerr  error
	err   error
	depth int
	// first is set by Object/Array so that the next NextKey/Next expects no comma.
	first    bool
	maxDepth int
	scratch  []byte
}

// New returns a scanner reading from r. Readers that know their size
// (bytes.Reader, strings.Reader) get a window no bigger than the input.
func New(r io.Reader) *Scanner {
	size := defaultWindow
	if l, ok := r.(interface{ Len() int }); ok && l.Len()+16 < size {
		size = l.Len() + 16
	}
	return &Scanner{r: r, buf: make([]byte, size), mark: -1, maxDepth: DefaultMaxDepth}
}

// NewBytes returns a scanner over b without copying it.
func NewBytes(b []byte) *Scanner {
	return &Scanner{buf: b, end: len(b), mark: -1, maxDepth: DefaultMaxDepth}
}

// SetMaxDepth changes the nesting limit.
func (s *Scanner) SetMaxDepth(n int) { s.maxDepth = n }

// Err returns the first error, a *SyntaxError or a read error.
func (s *Scanner) Err() error { return s.err }

// Offset is the input offset of the next unread byte.
func (s *Scanner) Offset() int64 { return s.base + int64(s.pos) }

// Depth is the current nesting depth.
func (s *Scanner) Depth() int { return s.depth }

// Fail records an error at the current offset (decoders use it for values of
// the wrong shape) unless one is already recorded.
func (s *Scanner) Fail(format string, args ...any) {
	if s.err == nil {
		s.err = &SyntaxError{Offset: s.Offset(), Msg: fmt.Sprintf(format, args...)}
	}
}

func (s *Scanner) failAt(off int64, msg string) {
	if s.err == nil {
		s.err = &SyntaxError{Offset: off, Msg: msg}
	}
}

// more reads more input, keeping bytes from min(pos, mark) on. It reports
// false at the end of input or on a read error.
func (s *Scanner) more() bool {
	if s.r == nil || s.rerr != nil || s.err != nil {
		return false
	}
	from := s.pos
	if s.mark >= 0 && s.mark < from {
		from = s.mark
	}
	if from > 0 {
		n := copy(s.buf, s.buf[from:s.end])
		s.base += int64(from)
		s.pos -= from
		if s.mark >= 0 {
			s.mark -= from
		}
		s.end = n
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= MaxToken {
			s.failAt(s.base+int64(s.end), "JSON token too long")
			return false
		}
		nb := make([]byte, 2*len(s.buf)+16)
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for tries := 0; ; tries++ {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.rerr = err
			if err != io.EOF {
				s.err = err
			}
		}
		if n > 0 {
			return true
		}
		if err != nil {
			return false
		}
		if tries > 100 {
			s.rerr = io.ErrNoProgress
			s.err = io.ErrNoProgress
			return false
		}
	}
}

// ws skips white space and returns the next byte without consuming it.
func (s *Scanner) ws() (byte, bool) {
	for {
		for s.pos < s.end {
			c := s.buf[s.pos]
			if c > ' ' {
				return c, true
			}
			if c != ' ' && c != '\n' && c != '\r' && c != '\t' {
				return c, true
			}
			s.pos++
		}
		if !s.more() {
			return 0, false
		}
	}
}

// Peek reports the kind of the next value without consuming it; EOF at the
// end of the input.
func (s *Scanner) Peek() Kind {
	if s.err != nil {
		return Invalid
	}
	c, ok := s.ws()
	if !ok {
		if s.err != nil {
			return Invalid
		}
		return EOF
	}
	switch c {
	case '{':
		return Object
	case '[':
		return Array
	case '"':
		return String
	case 't', 'f':
		return Bool
	case 'n':
		return Null
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return Number
	}
	return Invalid
}

// PeekBytes returns up to n upcoming bytes without consuming them, for
// format detection. The slice is valid until the next call.
func (s *Scanner) PeekBytes(n int) []byte {
	s.ws()
	for s.end-s.pos < n && s.more() {
	}
	return s.buf[s.pos:min(s.end, s.pos+n)]
}

// SkipBOM consumes a UTF-8 byte order mark at the current position (some
// Windows tools start files with one); anything else is left alone.
func (s *Scanner) SkipBOM() {
	for s.end-s.pos < 3 && s.more() {
	}
	if s.end-s.pos >= 3 && s.buf[s.pos] == 0xef && s.buf[s.pos+1] == 0xbb && s.buf[s.pos+2] == 0xbf {
		s.pos += 3
	}
}

// AtEOF reports whether only white space remains.
func (s *Scanner) AtEOF() bool {
	_, ok := s.ws()
	return !ok && s.err == nil
}

func (s *Scanner) unexpected(what string) {
	c, ok := s.ws()
	switch {
	case s.err != nil:
	case !ok:
		s.failAt(s.Offset(), "unexpected end of JSON input, expected "+what)
	default:
		s.failAt(s.Offset(), fmt.Sprintf("unexpected %s, expected %s", quoteByte(c), what))
	}
}

func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return strconv.QuoteRune(rune(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

// literal consumes the bytes of lit (true, false, null).
func (s *Scanner) literal(lit string) bool {
	start := s.Offset()
	for i := 0; i < len(lit); i++ {
		if s.pos >= s.end && !s.more() {
			s.failAt(start, "unexpected end of JSON input in literal")
			return false
		}
		if s.buf[s.pos] != lit[i] {
			s.failAt(s.Offset(), "invalid literal")
			return false
		}
		s.pos++
	}
	return true
}

// Null consumes a null if one is next.
func (s *Scanner) Null() bool {
	if s.err != nil {
		return false
	}
	c, ok := s.ws()
	if ok && c == 'n' {
		return s.literal("null")
	}
	return false
}

// Object starts reading an object; false (with no error) for null, false
// with an error for anything else.
func (s *Scanner) Object() bool { return s.open('{', "object") }

// Array starts reading an array, like Object.
func (s *Scanner) Array() bool { return s.open('[', "array") }

// open enters the container that starts with the byte opener; what names it
// in the error for anything else.
func (s *Scanner) open(opener byte, what string) bool {
	if s.err != nil {
		return false
	}
	c, ok := s.ws()
	if ok && c == opener {
		if s.depth >= s.maxDepth {
			s.err = &SyntaxError{Offset: s.Offset(), Msg: ErrDepth.Error()}
			return false
		}
		s.pos++
		s.depth++
		s.first = true
		return true
	}
	if ok && c == 'n' {
		s.literal("null")
		return false
	}
	s.unexpected(what)
	return false
}

// NextKey advances to the next member of the current object and returns its
// key (valid until the next call); false at the closing brace. The caller
// must then read or Skip the value.
func (s *Scanner) NextKey() ([]byte, bool) {
	if s.err != nil {
		return nil, false
	}
	c, ok := s.ws()
	if !ok {
		s.unexpected("'}'")
		return nil, false
	}
	if c == '}' {
		s.pos++
		s.depth--
		s.first = false
		return nil, false
	}
	if !s.first {
		if c != ',' {
			s.unexpected("',' or '}'")
			return nil, false
		}
		s.pos++
		c, ok = s.ws()
	}
	s.first = false
	if !ok || c != '"' {
		s.unexpected("object key")
		return nil, false
	}
	key, ok := s.str()
	if !ok {
		return nil, false
	}
	if s.pos < s.end && s.buf[s.pos] == ':' {
		// Compact JSON: the colon follows at once and nothing moves.
		s.pos++
		return key, true
	}
	// Reading up to the colon may refill the window and move the bytes of
	// an unescaped key: keep them marked and slice again afterwards. An
	// unescaped key ends just before the closing quote at pos-1.
	keyAt := s.pos - 1 - len(key)
	inBuf := len(key) == 0 || (keyAt >= 0 && &s.buf[keyAt] == &key[0])
	if inBuf {
		s.mark = keyAt
	}
	c, ok = s.ws()
	if inBuf {
		key = s.buf[s.mark : s.mark+len(key)]
		s.mark = -1
	}
	if !ok || c != ':' {
		s.unexpected("':'")
		return nil, false
	}
	s.pos++
	return key, true
}

// Next advances to the next element of the current array; false at the
// closing bracket. The caller must then read or Skip the element.
func (s *Scanner) Next() bool {
	if s.err != nil {
		return false
	}
	c, ok := s.ws()
	if !ok {
		s.unexpected("']'")
		return false
	}
	if c == ']' {
		s.pos++
		s.depth--
		s.first = false
		return false
	}
	if !s.first {
		if c != ',' {
			s.unexpected("',' or ']'")
			return false
		}
		s.pos++
	}
	s.first = false
	return true
}

// str reads a string token at pos (which holds '"') and returns its content,
// unescaped.
func (s *Scanner) str() ([]byte, bool) {
	start := s.Offset()
	s.pos++
	s.mark = s.pos
	i := s.pos
	for {
		for i < s.end {
			// Most of a trace is string bytes: skip eight at a time up to
			// the first that may end the string or need a closer look.
			if i+8 <= s.end {
				m := specialBytes(binary.LittleEndian.Uint64(s.buf[i : i+8]))
				if m == 0 {
					i += 8
					continue
				}
				i += bits.TrailingZeros64(m) >> 3
			}
			c := s.buf[i]
			if c == '"' {
				out := s.buf[s.mark:i]
				s.pos = i + 1
				s.mark = -1
				return out, true
			}
			if c == '\\' {
				s.pos = i
				return s.strEscaped(start)
			}
			if c < 0x20 {
				s.mark = -1
				s.failAt(s.base+int64(i), "control character in string")
				return nil, false
			}
			i++
		}
		off := i - s.mark
		if !s.more() {
			s.mark = -1
			s.failAt(start, "unterminated string")
			return nil, false
		}
		i = s.mark + off
		if i-s.mark > MaxToken {
			s.mark = -1
			s.failAt(start, "JSON token too long")
			return nil, false
		}
	}
}

const (
	lows  = 0x0101010101010101
	highs = 0x8080808080808080
)

// specialBytes flags (with its top bit) each of the eight bytes of x, in
// little-endian order, that is a quote, a backslash or a control byte; the
// lowest flag is exact, flags above it may be false (a borrow carries into
// the next byte), which is all str needs.
func specialBytes(x uint64) uint64 {
	q := x ^ (lows * '"')
	b := x ^ (lows * '\\')
	return ((q-lows)&^q | (b-lows)&^b | (x-lows*0x20)&^x) & highs
}

// strEscaped continues a string with escapes into scratch; mark is the
// content start, pos the first backslash.
func (s *Scanner) strEscaped(start int64) ([]byte, bool) {
	out := append(s.scratch[:0], s.buf[s.mark:s.pos]...)
	s.mark = -1
	defer func() { s.scratch = out[:0] }()
	for {
		if s.pos >= s.end && !s.more() {
			s.failAt(start, "unterminated string")
			return nil, false
		}
		c := s.buf[s.pos]
		switch {
		case c == '"':
			s.pos++
			return out, true
		case c < 0x20:
			s.failAt(s.Offset(), "control character in string")
			return nil, false
		case c != '\\':
			out = append(out, c)
			s.pos++
			if len(out) > MaxToken {
				s.failAt(start, "JSON token too long")
				return nil, false
			}
			continue
		}
		s.pos++
		if s.pos >= s.end && !s.more() {
			s.failAt(start, "unterminated string")
			return nil, false
		}
		e := s.buf[s.pos]
		s.pos++
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := s.hex4()
			if !ok {
				return nil, false
			}
			if utf16IsSurrogate(r) {
				r = s.lowSurrogate(r)
			}
			out = utf8.AppendRune(out, r)
		default:
			s.failAt(s.Offset()-1, "invalid escape in string")
			return nil, false
		}
	}
}

func utf16IsSurrogate(r rune) bool { return r >= 0xd800 && r < 0xe000 }

// lowSurrogate completes a UTF-16 surrogate pair if a \u low half follows;
// a lone half becomes U+FFFD, as encoding/json does.
func (s *Scanner) lowSurrogate(hi rune) rune {
	if hi >= 0xdc00 {
		return utf8.RuneError
	}
	for s.end-s.pos < 6 && s.more() {
	}
	if s.end-s.pos >= 6 && s.buf[s.pos] == '\\' && s.buf[s.pos+1] == 'u' {
		save := s.pos
		s.pos += 2
		lo, ok := s.hex4()
		if ok && lo >= 0xdc00 && lo < 0xe000 {
			return 0x10000 + (hi-0xd800)<<10 + (lo - 0xdc00)
		}
		if s.err != nil {
			return utf8.RuneError
		}
		s.pos = save
	}
	return utf8.RuneError
}

func (s *Scanner) hex4() (rune, bool) {
	for s.end-s.pos < 4 && s.more() {
	}
	if s.end-s.pos < 4 {
		s.failAt(s.Offset(), "unterminated \\u escape")
		return 0, false
	}
	var r rune
	for i := 0; i < 4; i++ {
		c := s.buf[s.pos+i]
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			s.failAt(s.Offset()+int64(i), "invalid \\u escape")
			return 0, false
		}
	}
	s.pos += 4
	return r, true
}

// number reads a number token and returns its bytes.
func (s *Scanner) number() ([]byte, bool) {
	s.mark = s.pos
	i := s.pos
	for {
		for i < s.end {
			c := s.buf[i]
			if (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
				i++
				continue
			}
			goto done
		}
		{
			off := i - s.mark
			if !s.more() {
				if s.err != nil {
					s.mark = -1
					return nil, false
				}
				i = s.mark + off
				goto done
			}
			i = s.mark + off
			if off > 4096 {
				s.mark = -1
				s.failAt(s.Offset(), "number too long")
				return nil, false
			}
		}
	}
done:
	out := s.buf[s.mark:i]
	s.pos = i
	s.mark = -1
	if !validNumber(out) {
		s.failAt(s.Offset()-int64(len(out)), "invalid number")
		return nil, false
	}
	return out, true
}

// validNumber checks the JSON number grammar.
func validNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	if i >= len(b) {
		return false
	}
	if b[i] == '0' {
		i++
	} else if b[i] >= '1' && b[i] <= '9' {
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	} else {
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		d := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		d := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			return false
		}
	}
	return i == len(b)
}

// Str reads a string value (valid until the next call); null gives nil.
// Any other kind is an error.
func (s *Scanner) Str() []byte {
	if s.err != nil {
		return nil
	}
	c, ok := s.ws()
	if ok && c == '"' {
		b, _ := s.str()
		return b
	}
	if ok && c == 'n' {
		s.literal("null")
		return nil
	}
	s.unexpected("string")
	return nil
}

// Scalar reads a string, number or bool as text (numbers as written, bools
// as true/false) and reports its kind; null gives (nil, Null). Objects and
// arrays are an error.
func (s *Scanner) Scalar() ([]byte, Kind) {
	if s.err != nil {
		return nil, Invalid
	}
	switch k := s.Peek(); k {
	case String:
		b, _ := s.str()
		return b, String
	case Number:
		b, _ := s.number()
		return b, Number
	case Bool:
		if s.buf[s.pos] == 't' {
			s.literal("true")
			return []byte("true"), Bool
		}
		s.literal("false")
		return []byte("false"), Bool
	case Null:
		s.literal("null")
		return nil, Null
	default:
		s.unexpected("string, number or bool")
		return nil, Invalid
	}
}

// Int reads an integer written as a number or as a quoted decimal string
// (OTLP JSON quotes 64-bit integers; Jaeger quotes int64 beyond 2^53).
// Fractions are truncated, values beyond int64 are clamped; null and "" give 0.
func (s *Scanner) Int() int64 {
	b, k := s.Scalar()
	switch k {
	case Number, String:
		v, ok := ParseInt(b)
		if !ok {
			s.failAt(s.Offset()-int64(len(b)), "invalid integer")
		}
		return v
	case Bool:
		if b[0] == 't' {
			return 1
		}
		return 0
	}
	return 0
}

// ParseInt parses a decimal integer (or a number with a fraction or
// exponent, truncated), clamping at the int64 limits. Empty input is 0.
func ParseInt(b []byte) (int64, bool) {
	if len(b) == 0 {
		return 0, true
	}
	neg := false
	i := 0
	if b[0] == '-' || b[0] == '+' {
		neg = b[0] == '-'
		i = 1
	}
	if i == len(b) {
		return 0, false
	}
	var u uint64
	over := false
	for ; i < len(b); i++ {
		c := b[i]
		if c < '0' || c > '9' {
			return parseIntSlow(b)
		}
		if u > (math.MaxUint64-9)/10 {
			over = true
		}
		u = u*10 + uint64(c-'0')
	}
	switch {
	case neg && (over || u > 1<<63):
		return math.MinInt64, true
	case neg:
		return -int64(u), true
	case over || u > math.MaxInt64:
		return math.MaxInt64, true
	}
	return int64(u), true
}

func parseIntSlow(b []byte) (int64, bool) {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, false
	}
	switch {
	case math.IsNaN(f):
		return 0, false
	case f >= math.MaxInt64:
		return math.MaxInt64, true
	case f <= math.MinInt64:
		return math.MinInt64, true
	}
	return int64(f), true
}

// Float reads a number, or a quoted number including "NaN", "Infinity" and
// "-Infinity" as OTLP JSON writes them; null gives 0.
func (s *Scanner) Float() float64 {
	b, k := s.Scalar()
	switch k {
	case Number, String:
		if len(b) == 0 {
			return 0
		}
		f, err := strconv.ParseFloat(string(b), 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			s.failAt(s.Offset()-int64(len(b)), "invalid number")
		}
		return f
	case Bool:
		if b[0] == 't' {
			return 1
		}
	}
	return 0
}

// Bool reads true or false (also quoted); null gives false.
func (s *Scanner) Bool() bool {
	b, k := s.Scalar()
	switch k {
	case Bool, String:
		return string(b) == "true"
	case Number:
		return string(b) != "0"
	}
	return false
}

// Skip consumes the next value whatever it is, without recursion.
func (s *Scanner) Skip() {
	if s.err != nil {
		return
	}
	start := s.depth
	switch s.Peek() {
	case Object:
		if s.Object() {
			s.skipMembers(start)
		}
	case Array:
		if s.Array() {
			s.skipElems(start)
		}
	case String:
		s.str()
	case Number:
		s.number()
	case Bool:
		if s.buf[s.pos] == 't' {
			s.literal("true")
		} else {
			s.literal("false")
		}
	case Null:
		s.literal("null")
	default:
		s.unexpected("value")
	}
}

// skipMembers and skipElems walk a container iteratively: nested containers
// are entered inline and the loop continues at the right level by looking at
// the depth.
func (s *Scanner) skipMembers(start int) { s.skipUntil(start, true) }
func (s *Scanner) skipElems(start int)   { s.skipUntil(start, false) }

// skipUntil consumes input until the depth returns to start. inObj tells
// whether the innermost open container is an object; a small stack remembers
// the kinds of the outer ones.
func (s *Scanner) skipUntil(start int, inObj bool) {
	var stack []bool
	for s.err == nil && s.depth > start {
		var more bool
		if inObj {
			_, more = s.NextKey()
		} else {
			more = s.Next()
		}
		if !more {
			if s.err != nil || len(stack) == 0 {
				return
			}
			inObj = stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			continue
		}
		switch s.Peek() {
		case Object:
			if s.Object() {
				stack = append(stack, inObj)
				inObj = true
			}
		case Array:
			if s.Array() {
				stack = append(stack, inObj)
				inObj = false
			}
		default:
			s.Skip()
		}
	}
}

// Raw appends the next value to dst as compact JSON (strings re-quoted), for
// values kept as text. Nesting is bounded by the depth limit.
func (s *Scanner) Raw(dst []byte) []byte {
	switch s.Peek() {
	case Object:
		if !s.Object() {
			return dst
		}
		dst = append(dst, '{')
		n := 0
		for {
			k, ok := s.NextKey()
			if !ok {
				break
			}
			if n > 0 {
				dst = append(dst, ',')
			}
			n++
			dst = AppendQuoted(dst, k)
			dst = append(dst, ':')
			dst = s.Raw(dst)
		}
		return append(dst, '}')
	case Array:
		if !s.Array() {
			return dst
		}
		dst = append(dst, '[')
		n := 0
		for s.Next() {
			if n > 0 {
				dst = append(dst, ',')
			}
			n++
			dst = s.Raw(dst)
		}
		return append(dst, ']')
	case String:
		b, _ := s.str()
		return AppendQuoted(dst, b)
	}
	b, k := s.Scalar()
	if k == Null {
		return append(dst, "null"...)
	}
	return append(dst, b...)
}

const hexDigits = "0123456789abcdef"

// AppendQuoted appends b as a JSON string. Invalid UTF-8 is kept byte for
// byte (the terminal sanitizer deals with it), controls are escaped.
func AppendQuoted(dst, b []byte) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, b[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	dst = append(dst, b[start:]...)
	return append(dst, '"')
}
