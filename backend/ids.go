package backend

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
)

// ErrBadID is returned by the ID parsers for input that is neither hex nor base64.
var ErrBadID = errors.New("not a trace or span ID")

const zeros32 = "00000000000000000000000000000000"

// ParseTraceID accepts 1–32 hex digits in any case (shorter IDs are
// left-padded, as Jaeger does) or the base64 form of 8 or 16 bytes (older
// api_v3 and Tempo), and returns the 32-hex form.
func ParseTraceID(s string) (TraceID, error) {
	s = strings.TrimSpace(s)
	if h, ok := normHex(s, 32); ok {
		return TraceID(h), nil
	}
	if b, ok := decodeBase64ID(s); ok && (len(b) == 8 || len(b) == 16) {
		return TraceID(zeros32[:32-2*len(b)] + hex.EncodeToString(b)), nil
	}
	return "", ErrBadID
}

// ParseSpanID accepts 1–16 hex digits in any case or the base64 form of 8
// bytes, and returns the 16-hex form.
func ParseSpanID(s string) (SpanID, error) {
	s = strings.TrimSpace(s)
	if h, ok := normHex(s, 16); ok {
		return SpanID(h), nil
	}
	if b, ok := decodeBase64ID(s); ok && len(b) == 8 {
		return SpanID(hex.EncodeToString(b)), nil
	}
	return "", ErrBadID
}

// TraceIDFromWire normalizes a trace ID found in trace data: hex or base64
// when possible, otherwise the input as given (never dropped, never fatal).
func TraceIDFromWire(s string) TraceID {
	if id, err := ParseTraceID(s); err == nil {
		return id
	}
	return TraceID(s)
}

// SpanIDFromWire normalizes a span ID found in trace data, like TraceIDFromWire.
func SpanIDFromWire(s string) SpanID {
	if s == "" {
		return ""
	}
	if id, err := ParseSpanID(s); err == nil {
		return id
	}
	return SpanID(s)
}

// TraceIDFromUint64 builds an ID from its high and low halves.
func TraceIDFromUint64(high, low uint64) TraceID {
	var b [16]byte
	for i := 0; i < 8; i++ {
		b[i] = byte(high >> (56 - 8*i))
		b[8+i] = byte(low >> (56 - 8*i))
	}
	return TraceID(hex.EncodeToString(b[:]))
}

// SpanIDFromUint64 builds a span ID from its value.
func SpanIDFromUint64(v uint64) SpanID {
	var b [8]byte
	for i := 0; i < 8; i++ {
		b[i] = byte(v >> (56 - 8*i))
	}
	return SpanID(hex.EncodeToString(b[:]))
}

// Valid reports whether the ID is 32 hex digits.
func (t TraceID) Valid() bool {
	_, ok := normHex(string(t), 32)
	return ok && len(t) == 32
}

// Short returns 16 hex digits when the high half is zero, as Jaeger shows
// 64-bit IDs; otherwise the full ID.
func (t TraceID) Short() string {
	if len(t) == 32 && string(t[:16]) == zeros32[:16] {
		return string(t[16:])
	}
	return string(t)
}

func (t TraceID) String() string { return string(t) }
func (s SpanID) String() string  { return string(s) }

// LooksLikeTraceID reports whether a user's input is a trace ID: 1–32 hex
// digits, or the padded base64 of 8 or 16 bytes. Anything else (unpadded
// base64 included, which reads like many request IDs) is treated as a
// correlation ID.
func LooksLikeTraceID(s string) bool {
	s = strings.TrimSpace(s)
	if _, ok := normHex(s, 32); ok {
		return true
	}
	if (len(s) == 12 || len(s) == 24) && strings.HasSuffix(s, "=") {
		_, err := ParseTraceID(s)
		return err == nil
	}
	return false
}

// normHex lowercases and left-pads 1..width hex digits.
func normHex(s string, width int) (string, bool) {
	if len(s) == 0 || len(s) > width {
		return "", false
	}
	lower := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f':
		case c >= 'A' && c <= 'F':
			lower = false
		default:
			return "", false
		}
	}
	if !lower {
		s = strings.ToLower(s)
	}
	if len(s) < width {
		s = zeros32[:width-len(s)] + s
	}
	return s, true
}

func decodeBase64ID(s string) ([]byte, bool) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) > 0 {
			return b, true
		}
	}
	return nil, false
}
