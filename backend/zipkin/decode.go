// Package zipkin reads and writes Zipkin API v2 JSON and queries a Zipkin
// server. Zipkin servers return raw spans: the client and server halves of an
// RPC may share one span ID, a span may arrive in several fragments, and IDs
// may be unpadded. Decode normalizes all of that the way Zipkin Lens and
// Jaeger do, so that the rest of tracetui sees one span per ID.
package zipkin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tracetui/tracetui/backend"
)

// wireEndpoint is a Zipkin v2 endpoint.
type wireEndpoint struct {
	ServiceName lenientString `json:"serviceName"`
	IPv4        lenientString `json:"ipv4"`
	IPv6        lenientString `json:"ipv6"`
	Port        lenientInt    `json:"port"`
}

type wireAnnotation struct {
	Timestamp lenientInt    `json:"timestamp"`
	Value     lenientString `json:"value"`
}

// wireSpan is a Zipkin v2 span as sent. Every scalar is lenient: the format
// says strings and integers, but files from the wild carry numbers as
// strings, floats and nulls, and none of that should cost the whole trace.
type wireSpan struct {
	TraceID        lenientString            `json:"traceId"`
	ID             lenientString            `json:"id"`
	ParentID       lenientString            `json:"parentId"`
	Name           lenientString            `json:"name"`
	Kind           lenientString            `json:"kind"`
	Timestamp      lenientInt               `json:"timestamp"`
	Duration       lenientInt               `json:"duration"`
	LocalEndpoint  *wireEndpoint            `json:"localEndpoint"`
	RemoteEndpoint *wireEndpoint            `json:"remoteEndpoint"`
	Annotations    []wireAnnotation         `json:"annotations"`
	Tags           map[string]lenientString `json:"tags"`
	Debug          lenientBool              `json:"debug"`
	Shared         lenientBool              `json:"shared"`
}

// lenientString takes a JSON string as is and any other value as its JSON
// text (numbers, booleans, objects); null is empty.
type lenientString string

func (s *lenientString) UnmarshalJSON(b []byte) error {
	if len(b) >= 2 && b[0] == '"' {
		// Most strings have no escapes: skip the second parse.
		if bytes.IndexByte(b, '\\') < 0 && utf8.Valid(b) {
			*s = lenientString(b[1 : len(b)-1])
			return nil
		}
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = lenientString(v)
		return nil
	}
	if string(b) == "null" {
		*s = ""
		return nil
	}
	*s = lenientString(b)
	return nil
}

// lenientInt takes an integer, a float (truncated), or either in a string.
// Values that do not fit are clamped; anything else counts as absent.
type lenientInt struct {
	V  int64
	OK bool
}

func (n *lenientInt) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		b = []byte(s)
	}
	*n = parseLenientInt(b)
	return nil
}

func parseLenientInt(b []byte) lenientInt {
	s := string(bytes.TrimSpace(b))
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return lenientInt{V: v, OK: true}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return lenientInt{}
	}
	switch {
	case math.IsNaN(f):
		return lenientInt{}
	case f >= math.MaxInt64:
		return lenientInt{V: math.MaxInt64, OK: true}
	case f <= math.MinInt64:
		return lenientInt{V: math.MinInt64, OK: true}
	}
	return lenientInt{V: int64(f), OK: true}
}

// lenientBool is true for JSON true or the string "true".
type lenientBool bool

func (v *lenientBool) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case "true", `"true"`, `"TRUE"`, `"True"`:
		*v = true
	default:
		*v = false
	}
	return nil
}

// Decode reads Zipkin v2 JSON, either a list of spans (`[span, ...]`, one or
// more traces) or a list of traces (`[[span, ...], ...]`, what /api/v2/traces
// returns), and returns normalized traces in the order they first appear.
// Errors are *backend.Error of kind DecodeError with the byte offset.
func Decode(r io.Reader) ([]*backend.Trace, error) {
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '['); err != nil {
		return nil, err
	}
	n := newNormalizer()
	var traces []*backend.Trace
	if !dec.More() {
		return nil, finish(dec)
	}
	// The first element tells the two shapes apart; it is small either way
	// (one span or one trace), so it is read whole.
	base := dec.InputOffset()
	var first json.RawMessage
	if err := dec.Decode(&first); err != nil {
		return nil, jsonErr(dec, base, err)
	}
	first = bytes.TrimSpace(first)
	if len(first) > 0 && first[0] == '[' {
		var group []*wireSpan
		if err := json.Unmarshal(first, &group); err != nil {
			return nil, jsonErr(dec, base, err)
		}
		traces = append(traces, n.traces(group)...)
		for dec.More() {
			group = nil
			if err := expectDelim(dec, '['); err != nil {
				return nil, err
			}
			for dec.More() {
				s, err := decodeSpan(dec)
				if err != nil {
					return nil, err
				}
				group = append(group, s)
			}
			if _, err := dec.Token(); err != nil {
				return nil, jsonErr(dec, dec.InputOffset(), err)
			}
			traces = append(traces, n.traces(group)...)
		}
		return traces, finish(dec)
	}
	var s0 *wireSpan
	if err := json.Unmarshal(first, &s0); err != nil {
		return nil, jsonErr(dec, base, err)
	}
	flat := []*wireSpan{s0}
	for dec.More() {
		s, err := decodeSpan(dec)
		if err != nil {
			return nil, err
		}
		flat = append(flat, s)
	}
	if err := finish(dec); err != nil {
		return nil, err
	}
	return n.traces(flat), nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	base := dec.InputOffset()
	tok, err := dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) && base == 0 {
			return decodeErr(0, errors.New("empty input"))
		}
		return jsonErr(dec, base, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		if _, isDelim := tok.(json.Delim); isDelim {
			base = dec.InputOffset() - 1
		}
		if want == '[' && base == 0 {
			return decodeErr(base, errors.New("not Zipkin v2 JSON: expected a list of spans or a list of traces"))
		}
		return decodeErr(base, fmt.Errorf("expected %q", string(want)))
	}
	return nil
}

// finish reads the closing bracket and makes sure nothing follows it:
// trailing data means the input is not what it seems.
func finish(dec *json.Decoder) error {
	if _, err := dec.Token(); err != nil {
		return jsonErr(dec, dec.InputOffset(), err)
	}
	off := dec.InputOffset()
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return decodeErr(off, errors.New("unexpected data after the list"))
	}
	return nil
}

func decodeSpan(dec *json.Decoder) (*wireSpan, error) {
	base := dec.InputOffset()
	var s *wireSpan
	if err := dec.Decode(&s); err != nil {
		return nil, jsonErr(dec, base, err)
	}
	return s, nil
}

// jsonErr turns an encoding/json error into a DecodeError. encoding/json
// reports offsets inside a value relative to where the value began, but the
// decoder's own "expected comma/colon" errors absolutely; the result is
// clamped to what was read.
func jsonErr(dec *json.Decoder, base int64, err error) *backend.Error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	off := base
	switch {
	case errors.As(err, &se):
		if strings.HasPrefix(se.Error(), "expected ") {
			off = se.Offset
		} else {
			// Offset counts the bytes read, the bad one included.
			off += max(se.Offset-1, 0)
		}
	case errors.As(err, &te):
		off += te.Offset
		field := te.Field
		if field == "" {
			field = "span"
		}
		err = fmt.Errorf("%s: expected %s, found %s", field, te.Type, te.Value)
	}
	read := dec.InputOffset()
	if b, ok := dec.Buffered().(interface{ Len() int }); ok {
		read += int64(b.Len())
	}
	return decodeErr(max(min(off, read), 0), err)
}

func decodeErr(off int64, err error) *backend.Error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return &backend.Error{Kind: backend.DecodeError, Op: "decode Zipkin JSON", Offset: off, Err: err}
}
