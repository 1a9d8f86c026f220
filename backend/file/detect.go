package file

import (
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
