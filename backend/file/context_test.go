package file

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// endlessSpans is a Jaeger document whose span list never ends.
type endlessSpans struct {
	head   *strings.Reader
	reads  int
	cancel func()
}

func (e *endlessSpans) Read(p []byte) (int, error) {
	if e.head.Len() > 0 {
		return e.head.Read(p)
	}
	e.reads++
	if e.reads == 5 {
		e.cancel() // a signal, halfway through decoding
	}
	span := `{"traceID":"1","spanID":"2","operationName":"op","startTime":1,"duration":1,"processID":"p1"},`
	n := 0
	for n+len(span) <= len(p) {
		n += copy(p[n:], span)
	}
	return n, nil
}

// TestOpenContextStopsDecoding: an input that never ends stops being read,
// and decoded, once the context ends.
func TestOpenContextStopsDecoding(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	in := &endlessSpans{head: strings.NewReader(`{"data":[{"traceID":"1","processes":{"p1":{"serviceName":"s"}},"spans":[`), cancel: cancel}
	_, err := OpenContext(ctx, []string{"-"}, in)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want the context's end", err)
	}
	if in.reads > 10 {
		t.Errorf("%d reads after the context ended at read 5", in.reads-5)
	}
}
