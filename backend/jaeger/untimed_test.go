package jaeger

import (
	"context"
	"testing"

	"github.com/tracetui/tracetui/backend"
)

// A Zipkin fragment Jaeger stored without a timestamp (startTime 0) is
// placed at its parent's start, in a whole trace and in a search's summary.
func TestUntimedSpanPlaced(t *testing.T) {
	body := []byte(`{"data":[{"traceID":"7","processes":{"p1":{"serviceName":"a"}},"spans":[
	 {"traceID":"7","spanID":"1","operationName":"root","startTime":1700000000000000,"duration":50,"processID":"p1"},
	 {"traceID":"7","spanID":"2","operationName":"fragment","startTime":0,"duration":0,"processID":"p1",
	  "references":[{"refType":"CHILD_OF","traceID":"7","spanID":"1"}]}]}],"errors":null}`)
	f, srv := newFake(t)
	f.handle("/api/traces/0000000000000007", jsonBody(body))
	f.handle("/api/traces", jsonBody(body))
	for _, raw := range []bool{false, true} {
		tr, err := newClient(t, srv.URL, APIv1).Trace(context.Background(), "7", backend.TraceOptions{Raw: raw})
		if err != nil {
			t.Fatal(err)
		}
		if s := tr.Spans[1]; s.Start != 1700000000000000000 || len(s.Warnings) != 1 || len(tr.Warnings) != 1 {
			t.Errorf("raw=%v: fragment %+v, trace warnings %q", raw, s, tr.Warnings)
		}
	}
	got, err := newClient(t, srv.URL, APIv1).Search(context.Background(), backend.Query{Service: "a"})
	if err != nil || len(got) != 1 || got[0].Start != 1700000000000000000 || got[0].Duration != 50000 {
		t.Errorf("summary %+v %v", got, err)
	}
}
