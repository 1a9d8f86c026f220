package file

import (
	"context"
	"strings"
	"testing"

	"github.com/tracetui/tracetui/backend"
)

// Jaeger stores a Zipkin fragment without a timestamp at 0; a file of such
// a trace (split over two JSON Lines documents) opens with the span at its
// parent's start and a warning, not on a 17,865-day axis.
func TestOpenPlacesUntimedSpans(t *testing.T) {
	in := `{"data":[{"traceID":"7","processes":{"p1":{"serviceName":"a"}},"spans":[
	 {"traceID":"7","spanID":"1","operationName":"root","startTime":1700000000000000,"duration":50,"processID":"p1"}]}]}
{"data":[{"traceID":"7","processes":{"p1":{"serviceName":"b"}},"spans":[
	 {"traceID":"7","spanID":"2","operationName":"fragment","startTime":0,"duration":0,"processID":"p1",
	  "references":[{"refType":"CHILD_OF","traceID":"7","spanID":"1"}]}]}]}
`
	b, err := Open([]string{"-"}, strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := b.Trace(context.Background(), "7", backend.TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	frag := tr.Spans[1]
	if len(tr.Spans) != 2 || frag.Start != 1700000000000000000 || len(frag.Warnings) != 1 || len(tr.Warnings) != 1 {
		t.Errorf("fragment %+v, warnings %q", frag, tr.Warnings)
	}
	sums, err := b.Search(context.Background(), backend.Query{})
	if err != nil || len(sums) != 1 || sums[0].Duration != 50000 {
		t.Errorf("summary %+v %v", sums, err)
	}
}
