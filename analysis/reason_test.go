package analysis

import (
	"testing"

	"github.com/tracetui/tracetui/backend"
)

func TestErrorReason(t *testing.T) {
	ev := func(kvs ...backend.KeyValue) backend.Log { return backend.Log{Fields: kvs} }
	cases := []struct {
		name string
		span backend.Span
		want string
	}{
		{"status", backend.Span{Status: backend.Status{Code: backend.StatusError, Message: "deadline"},
			Tags: []backend.KeyValue{backend.String("error.message", "tag")}}, "deadline"},
		{"tag", backend.Span{Tags: []backend.KeyValue{backend.Bool("error", true), backend.String("exception.message", "boom")}}, "boom"},
		{"event field", backend.Span{Logs: []backend.Log{ev(backend.String("event", "error"), backend.String("message", "lock timeout"))}}, "lock timeout"},
		// HotROD (OpenTracing error events): level=error, error="redis timeout".
		{"opentracing event", backend.Span{Tags: []backend.KeyValue{backend.Bool("error", true)},
			Logs: []backend.Log{ev(backend.String("event", "redis timeout"), backend.String("level", "error"), backend.String("error", "redis timeout"))}}, "redis timeout"},
		// Zipkin puts the message in its error tag.
		{"zipkin error tag", backend.Span{Tags: []backend.KeyValue{backend.String("error", "connection reset")}}, "connection reset"},
		{"error=true says nothing", backend.Span{Tags: []backend.KeyValue{backend.String("error", "true")}}, ""},
		{"nothing", backend.Span{Error: true}, ""},
		// A message field wins over a later plain error field.
		{"order", backend.Span{Logs: []backend.Log{ev(backend.String("error", "first")), ev(backend.String("message", "second"))}}, "second"},
	}
	for _, c := range cases {
		if got := errorReason(&c.span); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
