package file

import (
	"bufio"
	"bytes"
	"io"

	"github.com/tracetui/tracetui/backend/internal/jsonscan"
)

// Format is a trace file format.
type Format int

const (
	Unknown Format = iota
	// JaegerJSON is Jaeger's query API / UI JSON.
	JaegerJSON
	// ZipkinJSON is Zipkin API v2 JSON: [span] or [[span]].
	ZipkinJSON
	// OTLPJSON is OpenTelemetry's OTLP/JSON and its Jaeger api_v3 and Tempo wrappers.
	OTLPJSON
	// Empty is a JSON list with nothing in it, which any format may write.
	Empty
)

func (f Format) String() string {
	switch f {
	case JaegerJSON:
		return "Jaeger JSON"
	case ZipkinJSON:
		return "Zipkin JSON"
	case OTLPJSON:
		return "OTLP JSON"
	case Empty:
		return "empty list"
	}
	return "unknown"
}

// Detect tells the format of one JSON document from its first bytes (a
// prefix is enough: it stops at the first key that decides). Keys, not file
// names, decide, because saved traces are often named trace.json whatever
// they hold.
func Detect(prefix []byte) Format {
	s := jsonscan.NewBytes(prefix)
	switch s.Peek() {
	case jsonscan.Object:
		s.Object()
		return objectFormat(s, true)
	case jsonscan.Array:
		s.Array()
		if !s.Next() {
			if s.Err() == nil {
				return Empty
			}
			return Unknown
		}
		switch s.Peek() {
		case jsonscan.Array:
			// [[span...]...] is Zipkin's list of traces.
			return ZipkinJSON
		case jsonscan.Object:
			s.Object()
			return objectFormat(s, false)
		}
	}
	return Unknown
}

// objectFormat reads keys of an object until one decides; top tells whether
// the object is the document itself or the first element of a list.
func objectFormat(s *jsonscan.Scanner, top bool) Format {
	for {
		key, ok := s.NextKey()
		if !ok {
			return Unknown
		}
		switch string(key) {
		case "traceID", "spans", "processes":
			return JaegerJSON
		case "data", "errors", "total", "limit", "offset":
			if top {
				return JaegerJSON
			}
		case "resourceSpans", "batches", "result", "trace", "error":
			if top {
				return OTLPJSON
			}
		case "traceId", "id", "parentId", "localEndpoint", "remoteEndpoint", "annotations", "shared", "debug":
			if !top {
				return ZipkinJSON
			}
		}
		s.Skip()
	}
}

// valueReader yields exactly one JSON object or array from a buffered
// stream and then io.EOF, so that a decoder made for one document can read
// each document of a JSON Lines (or concatenated JSON) file in turn. It only
// tracks strings and brackets; the decoder does the real checking.
type valueReader struct {
	br      *bufio.Reader
	depth   int
	inStr   bool
	esc     bool
	started bool
	done    bool
	n       int64
}

func (v *valueReader) Read(p []byte) (int, error) {
	if v.done {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	if v.br.Buffered() == 0 {
		if _, err := v.br.Peek(1); err != nil {
			return 0, err
		}
	}
	buf, _ := v.br.Peek(min(len(p), v.br.Buffered()))
	n := v.scan(buf)
	copy(p, buf[:n])
	v.br.Discard(n)
	v.n += int64(n)
	return n, nil
}

// scan returns how many bytes of buf belong to the value.
func (v *valueReader) scan(buf []byte) int {
	// Most of a trace's bytes are inside strings: jump from one quote or
	// backslash to the next instead of looking at every byte. The next of
	// each is remembered (a stack trace is full of backslashes; looking
	// for the quote again after each would be quadratic).
	quote, slash := -1, -1 // next at or after i; len(buf) when none is left
	next := func(c byte, from int) int {
		if j := bytes.IndexByte(buf[from:], c); j >= 0 {
			return from + j
		}
		return len(buf)
	}
	for i := 0; i < len(buf); i++ {
		if v.inStr {
			if v.esc {
				v.esc = false
				continue
			}
			if quote < i {
				quote = next('"', i)
			}
			if slash < i {
				slash = next('\\', i)
			}
			i = min(quote, slash)
			if i == len(buf) {
				return len(buf)
			}
			if buf[i] == '\\' {
				v.esc = true
			} else {
				v.inStr = false
			}
			continue
		}
		switch c := buf[i]; {
		case c == '"':
			v.inStr = true
		case c == '{' || c == '[':
			v.depth++
			v.started = true
		case c == '}' || c == ']':
			v.depth--
			if v.started && v.depth <= 0 {
				v.done = true
				return i + 1
			}
		case !v.started && c > ' ':
			// Not an object or array: hand over one byte so that the
			// decoder reports it where it is.
			v.done = true
			return i + 1
		}
	}
	return len(buf)
}
