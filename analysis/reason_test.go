package analysis

import (
	"testing"

	"github.com/tracetui/tracetui/backend"
)

func TestErrorReason(t *testing.T) {
	ev := func(fields ...backend.KeyValue) backend.Log { return backend.Log{Time: 1, Fields: fields} }
	str := backend.String
	cases := []struct {
		name string
		span backend.Span
		want string
	}{
		{"status message first", backend.Span{Status: backend.Status{Code: backend.StatusError, Message: "redis timeout"},
			Logs: []backend.Log{ev(str("event", "exception"), str("exception.message", "other"))}}, "redis timeout"},
		// OTel's RecordError: an event named exception.
		{"exception event", backend.Span{Logs: []backend.Log{
			ev(str("event", "cache miss")),
			ev(str("event", "exception"), str("exception.type", "*errors.errorString"), str("exception.message", "redis timeout")),
		}}, "redis timeout"},
		{"exception type alone", backend.Span{Logs: []backend.Log{ev(str("event", "exception"), str("exception.type", "TimeoutError"))}}, "TimeoutError"},
		// HotROD's logger: the message is the event name, level=error.
		{"error-level log event", backend.Span{Logs: []backend.Log{
			ev(str("event", "Searching for nearby drivers"), str("level", "info")),
			ev(str("event", "redis timeout"), str("level", "error"), str("driver_id", "T7")),
		}}, "redis timeout"},
		// HotROD's frontend: the error field ends in a newline.
		{"error field of an error log", backend.Span{Logs: []backend.Log{
			ev(str("event", "request failed"), str("level", "error"), str("error", "invalid customer ID\n"))}}, "invalid customer ID"},
		{"error log with a message field", backend.Span{Logs: []backend.Log{ev(str("event", "error"), str("message", "connection refused"))}}, "connection refused"},
		// Jaeger's OpenTracing clients: log error.object.
		{"error.object", backend.Span{Logs: []backend.Log{ev(str("event", "error"), str("error.object", "EOF"))}}, "EOF"},
		{"info events are no reason", backend.Span{Logs: []backend.Log{ev(str("event", "retrying"), str("level", "info"))},
			Tags: []backend.KeyValue{backend.Bool("error", true)}}, ""},
		{"error.message tag", backend.Span{Tags: []backend.KeyValue{backend.Bool("error", true), str("error.message", "disk full")}}, "disk full"},
		{"textual error tag", backend.Span{Tags: []backend.KeyValue{str("error", "upstream reset")}}, "upstream reset"},
		{"error=true says nothing", backend.Span{Tags: []backend.KeyValue{str("error", "true")}}, ""},
		{"error.type", backend.Span{Tags: []backend.KeyValue{str("error.type", "timeout"), backend.Int64("http.response.status_code", 504)}}, "timeout"},
		{"http status", backend.Span{Tags: []backend.KeyValue{backend.Bool("error", true), backend.Int64("http.status_code", 503)}}, "HTTP 503"},
		{"http status as text", backend.Span{Tags: []backend.KeyValue{str("http.response.status_code", "502")}}, "HTTP 502"},
		{"http 200 is no reason", backend.Span{Tags: []backend.KeyValue{backend.Int64("http.status_code", 200)}}, ""},
		{"grpc status", backend.Span{Tags: []backend.KeyValue{backend.Int64("rpc.grpc.status_code", 14)}}, "gRPC status 14"},
		{"nothing", backend.Span{}, ""},
		// HotROD (OpenTracing error events): level=error, error="redis timeout".
		{"opentracing event", backend.Span{Tags: []backend.KeyValue{backend.Bool("error", true)},
			Logs: []backend.Log{ev(str("event", "redis timeout"), str("level", "error"), str("error", "redis timeout"))}}, "redis timeout"},
		// Zipkin puts the message in its error tag.
		{"zipkin error tag", backend.Span{Tags: []backend.KeyValue{str("error", "connection reset")}}, "connection reset"},
		{"error flag alone", backend.Span{Error: true}, ""},
		{"blank status message", backend.Span{Status: backend.Status{Message: "  "}, Tags: []backend.KeyValue{str("error", "boom")}}, "boom"},
	}
	for _, c := range cases {
		if got := ErrorReason(&c.span); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
