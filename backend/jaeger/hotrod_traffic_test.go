package jaeger

import (
	"context"
	"slices"
	"testing"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/testkit/jaegertest"
)

// Real HotROD traffic (jaegertest.SharedHotROD): redis fails every fifth
// call with OTel status ERROR, which this Jaeger's own search does not find
// by error=true. tracetui's finds exactly the traces with a failed redis
// span, on every API, and reads why the first one failed.
func TestRealHotRODTraffic(t *testing.T) {
	j, run := jaegertest.SharedHotROD(t)
	ctx := context.Background()
	probe, err := New(backend.HTTPOptions{URL: j.BaseURL})
	if err != nil {
		t.Fatal(err)
	}
	defer probe.Close()
	var redisFailed []backend.TraceID
	var sample *backend.Trace
	for _, id := range run.TraceIDs {
		tr, err := probe.Trace(ctx, id, backend.TraceOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if slices.ContainsFunc(tr.Spans, func(s backend.Span) bool { return s.Service == "redis" && s.Error }) {
			redisFailed = append(redisFailed, id)
			sample = tr
		}
	}
	if len(redisFailed) == 0 {
		t.Fatalf("no failed redis span in %d HotROD traces (%s)", len(run.TraceIDs), run.Output)
	}
	// Why it failed: HotROD logs "redis timeout" at level error on the span.
	a := analysis.Analyze(sample)
	if !slices.ContainsFunc(a.Origins, func(o analysis.ErrorOrigin) bool {
		s := &sample.Spans[o.Span]
		return s.Service == "redis" && s.Operation == "GetDriver" && analysis.ErrorReason(s) == "redis timeout"
	}) {
		t.Errorf("no redis GetDriver origin reading \"redis timeout\" among %d origins", len(a.Origins))
	}

	errTrue := []backend.Tag{{Key: "error", Value: "true"}}
	for _, api := range apis {
		t.Run(api.name, func(t *testing.T) {
			c, err := New(backend.HTTPOptions{URL: j.BaseURL}, WithAPI(api.api))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			// A limit above the traffic: every failed trace, nothing else.
			res, err := backend.Find(ctx, c, backend.Query{Service: "redis", Tags: errTrue, Limit: len(run.TraceIDs) + 10})
			if err != nil {
				t.Fatal(err)
			}
			got := traceIDSet(res.Traces)
			slices.Sort(got)
			want := slices.Sorted(slices.Values(redisFailed))
			if !slices.Equal(got, want) {
				t.Errorf("error=true on redis: %d traces, want the %d with a failed redis span", len(got), len(want))
			}
			if res.LimitReached || res.Scanned < len(redisFailed) || len(res.Checked) != 1 {
				t.Errorf("result %+v", res)
			}
			// The default limit cuts, and says so.
			res, err = backend.Find(ctx, c, backend.Query{Tags: errTrue})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Traces) != backend.DefaultLimit || !res.LimitReached || res.Scanned < len(run.TraceIDs) {
				t.Errorf("error=true, no service: %d shown, %+v", len(res.Traces), res)
			}
			for _, s := range res.Traces {
				if s.ErrorCount == 0 {
					t.Errorf("trace %s has no error", s.TraceID)
				}
			}
		})
	}
}
