package jaegertest

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/jaegerjson"
)

// HotROD's traffic must look like HotROD's: a frontend root calling
// customer, driver (with redis) and route, and failing redis calls (OTel
// status ERROR). Redis fails every fifth call and a request makes about
// ten, so nearly every trace has an error span.
func TestHotRODTraffic(t *testing.T) {
	j, run := SharedHotROD(t)
	if len(run.TraceIDs) < DefaultHotRODRequests {
		t.Fatalf("%d traces for %d requests (%s)", len(run.TraceIDs), DefaultHotRODRequests, run.Output)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	services := map[string]bool{}
	redisErrors := 0
	for _, id := range run.TraceIDs {
		tr := fetchTrace(ctx, t, j, id)
		for i := range tr.Spans {
			services[tr.Spans[i].Service] = true
			if tr.Spans[i].Error && tr.Spans[i].Service == "redis" {
				redisErrors++
			}
		}
	}
	for _, s := range []string{"frontend", "customer", "driver", "route", "redis", "mysql"} {
		if !services[s] {
			t.Errorf("no span of service %q in HotROD's traces (got %v)", s, services)
		}
	}
	if redisErrors == 0 {
		t.Errorf("no failing redis span in %d traces", len(run.TraceIDs))
	}
}

func fetchTrace(ctx context.Context, t *testing.T, j *Jaeger, id backend.TraceID) *backend.Trace {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, j.BaseURL+"/api/traces/"+string(id), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	trs, err := jaegerjson.Decode(resp.Body)
	if err != nil || len(trs) != 1 {
		t.Fatalf("trace %s: %d traces, %v", id, len(trs), err)
	}
	return trs[0]
}
