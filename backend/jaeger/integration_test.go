package jaeger

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/testkit/jaegertest"
)

// These tests run against a real Jaeger v2 (internal/testkit/jaegertest); they skip
// when its binary is missing, and fail then when CI=true.

// TestMain stops the shared Jaeger after the tests and then checks that no
// goroutine (connection, retry timer) outlives them.
func TestMain(m *testing.M) { goleak.VerifyTestMain(withJaeger{m}) }

type withJaeger struct{ m *testing.M }

func (w withJaeger) Run() int { return jaegertest.Main(w.m) }

var apis = []struct {
	name string
	api  API
}{{"v3", APIv3}, {"v1", APIv1}, {"auto", APIAuto}}

func realClient(t *testing.T, api API) (*Client, *jaegertest.Jaeger) {
	t.Helper()
	j := jaegertest.Shared(t)
	c, err := New(backend.HTTPOptions{URL: j.BaseURL, Timeout: 30 * time.Second}, WithAPI(api))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c, j
}

func TestRealServices(t *testing.T) {
	for _, a := range apis {
		t.Run(a.name, func(t *testing.T) {
			c, j := realClient(t, a.api)
			got, err := c.Services(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			for _, tr := range j.Traces {
				for _, s := range tr.Services {
					if !slices.Contains(got, s) {
						t.Errorf("service %q of %s missing from %v", s, tr.Source, got)
					}
				}
			}
			if !slices.IsSorted(got) {
				t.Errorf("not sorted: %v", got)
			}
		})
	}
}

func TestRealOperations(t *testing.T) {
	byAPI := map[string][]backend.Operation{}
	for _, a := range apis {
		t.Run(a.name, func(t *testing.T) {
			c, _ := realClient(t, a.api)
			got, err := c.Operations(context.Background(), "checkout-api")
			if err != nil {
				t.Fatal(err)
			}
			want := []backend.Operation{{Name: "POST /checkout", Kind: "server"}, {Name: "charge", Kind: "client"}}
			if !slices.Equal(got, want) {
				t.Errorf("operations %v, want %v", got, want)
			}
			ops, err := c.Operations(context.Background(), "servicea")
			if err != nil || len(ops) == 0 {
				t.Errorf("servicea operations %v %v", ops, err)
			}
			byAPI[a.name] = ops
		})
	}
	if !slices.Equal(byAPI["v1"], byAPI["v3"]) {
		t.Errorf("v1 and v3 disagree: %v vs %v", byAPI["v1"], byAPI["v3"])
	}
}

func TestRealSearch(t *testing.T) {
	for _, a := range apis {
		t.Run(a.name, func(t *testing.T) {
			c, j := realClient(t, a.api)
			got, err := c.Search(context.Background(), backend.Query{Service: "servicea"})
			if err != nil {
				t.Fatal(err)
			}
			var ids []backend.TraceID
			for _, s := range got {
				ids = append(ids, s.TraceID)
			}
			for _, want := range []backend.TraceID{"00000000000000001e223ff1f80f1c69", "00000000000000000562809467078eab"} {
				if !slices.Contains(ids, want) {
					t.Errorf("search servicea misses %s: %v", want, ids)
				}
			}
			for i := 1; i < len(got); i++ {
				if got[i-1].Start < got[i].Start {
					t.Errorf("not newest first: %v", ids)
				}
			}
			skew := got[slices.Index(ids, "00000000000000001e223ff1f80f1c69")]
			loaded, _ := j.Trace(skew.TraceID)
			if skew.SpanCount != loaded.Spans || skew.RootService != "servicea" || len(skew.Services) != 2 {
				t.Errorf("skew summary %+v (loaded %+v)", skew, loaded)
			}

			one, err := c.Search(context.Background(), backend.Query{Service: "servicea", Limit: 1})
			if err != nil || len(one) != 1 {
				t.Errorf("limit 1: %v %v", one, err)
			}

			op, err := c.Search(context.Background(), backend.Query{Service: "billing", Operation: "POST /charge"})
			if err != nil || len(op) != 1 || op[0].TraceID != jaegertest.CorrelationTraceID {
				t.Errorf("operation search: %+v %v", op, err)
			}
			if len(op) == 1 && (op[0].SpanCount != 3 || op[0].ErrorCount != 3 || op[0].RootOperation != "POST /checkout") {
				t.Errorf("correlation summary %+v", op[0])
			}

			long, err := c.Search(context.Background(), backend.Query{Service: "checkout-api", MinDuration: time.Second})
			if err != nil || len(long) != 0 {
				t.Errorf("min duration 1s: %+v %v", long, err)
			}
			none, err := c.Search(context.Background(), backend.Query{Service: "no-such-service"})
			if err != nil || len(none) != 0 {
				t.Errorf("unknown service: %+v %v", none, err)
			}
			old, err := c.Search(context.Background(), backend.Query{Service: "servicea",
				Start: time.Now().Add(-48 * time.Hour), End: time.Now().Add(-47 * time.Hour)})
			if err != nil || len(old) != 0 {
				t.Errorf("window before the data: %+v %v", old, err)
			}
		})
	}
}

func TestRealTagSearch(t *testing.T) {
	for _, a := range apis {
		t.Run(a.name, func(t *testing.T) {
			c, _ := realClient(t, a.api)
			q := backend.Query{Service: "checkout-api",
				Tags: []backend.Tag{{Key: jaegertest.CorrelationKey, Value: jaegertest.CorrelationValue}}}
			got, err := c.Search(context.Background(), q)
			if err != nil || len(got) != 1 || got[0].TraceID != jaegertest.CorrelationTraceID {
				t.Errorf("tag search: %+v %v", got, err)
			}
			q.Tags[0].Value = "corr-nope"
			got, err = c.Search(context.Background(), q)
			if err != nil || len(got) != 0 {
				t.Errorf("wrong tag value found %+v %v", got, err)
			}
			// A numeric attribute is matched by its text, as Jaeger UI sends it.
			q.Tags = []backend.Tag{{Key: "http.response.status_code", Value: "502"}}
			got, err = c.Search(context.Background(), q)
			if err != nil || len(got) != 1 {
				t.Errorf("int tag search: %+v %v", got, err)
			}
			// A Zipkin tag on a 64-bit trace (messaging-kafka).
			kafka := backend.TraceID("00000000000000000562809467078eab")
			got, err = c.Search(context.Background(), backend.Query{Service: "serviceb", Tags: []backend.Tag{{Key: "kafka.topic", Value: "messages"}}})
			if err != nil || len(got) != 1 || got[0].TraceID != kafka {
				t.Errorf("kafka.topic=messages on serviceb: %+v %v", got, err)
			}
			// error=true follows the span's error flag, checked here on
			// every API: Jaeger's own search does not find Zipkin errors by
			// error=true (it matches stored attributes only).
			got, err = c.Search(context.Background(), backend.Query{Service: "serviceb", Tags: []backend.Tag{{Key: "error", Value: "true"}}})
			if err != nil || len(got) != 1 || got[0].TraceID != kafka {
				t.Errorf("error=true on serviceb: %+v %v", got, err)
			}
		})
	}
}

func TestRealCorrelation(t *testing.T) {
	for _, a := range apis {
		t.Run(a.name, func(t *testing.T) {
			c, _ := realClient(t, a.api)
			for _, v := range []string{jaegertest.CorrelationValue, jaegertest.RequestIDValue} {
				got, err := backend.FindByCorrelation(context.Background(), c, nil, v, backend.Query{})
				if err != nil || len(got) != 1 || got[0].TraceID != jaegertest.CorrelationTraceID {
					t.Errorf("correlation %s: %+v %v", v, got, err)
				}
			}
			got, err := backend.FindByCorrelation(context.Background(), c, nil, "nobody-has-this", backend.Query{})
			if err != nil || len(got) != 0 {
				t.Errorf("unknown correlation: %+v %v", got, err)
			}
		})
	}
}

func TestRealTrace(t *testing.T) {
	for _, a := range apis {
		t.Run(a.name, func(t *testing.T) {
			c, j := realClient(t, a.api)
			for _, loaded := range j.Traces {
				tr, err := c.Trace(context.Background(), loaded.ID, backend.TraceOptions{})
				if err != nil {
					t.Errorf("%s: %v", loaded.ID, err)
					continue
				}
				var services []string
				for _, s := range tr.Spans {
					if !slices.Contains(services, s.Service) {
						services = append(services, s.Service)
					}
				}
				slices.Sort(services)
				if tr.ID != loaded.ID || len(tr.Spans) != loaded.Spans || !slices.Equal(services, loaded.Services) {
					t.Errorf("%s (%s): got %s with %d spans of %v, want %d of %v", loaded.ID, loaded.Source,
						tr.ID, len(tr.Spans), services, loaded.Spans, loaded.Services)
				}
			}
			// 64-bit ID typed short, in upper case.
			tr, err := c.Trace(context.Background(), "1E223FF1F80F1C69", backend.TraceOptions{Raw: true})
			if err != nil {
				t.Fatal(err)
			}
			if tr.ID != "00000000000000001e223ff1f80f1c69" || len(tr.Spans) != 4 {
				t.Errorf("skew: %s %d", tr.ID, len(tr.Spans))
			}
			corr, err := c.Trace(context.Background(), jaegertest.CorrelationTraceID, backend.TraceOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var root *backend.Span
			for i := range corr.Spans {
				if corr.Spans[i].ParentID == "" {
					root = &corr.Spans[i]
				}
			}
			if root == nil || root.Operation != "POST /checkout" || !root.Error || root.Kind != backend.KindServer {
				t.Fatalf("root %+v", root)
			}
			if kv, ok := root.Tag(jaegertest.CorrelationKey); !ok || kv.Value() != jaegertest.CorrelationValue {
				t.Errorf("correlation tag %v", kv)
			}
		})
	}
}

// The client fetches whole traces raw and adjusts their structure itself
// (adjustRaw); the result must read as the server's own adjusters would
// have made it, for Zipkin traces with shared spans, on both APIs.
func TestRealTraceAdjustedLikeServer(t *testing.T) {
	// Jaeger v1.76's memory store applies the adjusters of an adjusted read
	// to the stored trace itself, after which raw=true returns the adjusted
	// form too; so this test loads its own copies under new IDs and reads
	// them raw before the server adjusts them.
	v1, j := realClient(t, APIv1)
	v3, _ := realClient(t, APIv3)
	ctx := context.Background()
	for _, fx := range []struct{ file, id, fresh string }{
		{"skew.json", "1e223ff1f80f1c69", "2e223ff1f80f1c69"}, // one shared span
		{"yelp.json", "a03ee8fff1dcd9b9", "b03ee8fff1dcd9b9"}, // four shared spans, one server under another
	} {
		raw, err := os.ReadFile("../../testdata/fixtures/zipkin/" + fx.file)
		if err != nil {
			t.Fatal(err)
		}
		body, loaded, err := jaegertest.Shift([]byte(strings.ReplaceAll(string(raw), fx.id, fx.fresh)),
			"zipkin", time.Now().Add(-2*time.Minute))
		if err != nil || len(loaded) != 1 {
			t.Fatal(err, loaded)
		}
		if err := j.PostZipkin(ctx, body); err != nil {
			t.Fatal(err)
		}
		if err := j.WaitForTrace(ctx, loaded[0].ID); err != nil {
			t.Fatal(err)
		}
		id := backend.TraceID(fx.fresh)
		asIs, err := v1.Trace(ctx, id, backend.TraceOptions{Raw: true})
		if err != nil {
			t.Fatal(err)
		}
		mine, err := v1.Trace(ctx, id, backend.TraceOptions{})
		if err != nil {
			t.Fatal(err)
		}
		mineV3, err := v3.Trace(ctx, id, backend.TraceOptions{})
		if err != nil {
			t.Fatal(err)
		}
		// The server's adjusted answer, asked for by hand as Jaeger UI does.
		resp, err := http.Get(j.BaseURL + "/api/traces/" + fx.fresh)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		server := decodeOne(t, b)
		if dups(asIs) == 0 || dups(server) != 0 || len(asIs.Spans) != loaded[0].Spans {
			t.Errorf("%s: duplicate IDs raw %d, adjusted by the server %d; %d spans", fx.file, dups(asIs), dups(server), len(asIs.Spans))
		}
		want := shape(server)
		if got := shape(mine); !slices.Equal(got, want) {
			t.Errorf("%s over /api/traces, adjusted here:\n%s\nby the server:\n%s", fx.file, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if got := shape(mineV3); !slices.Equal(got, want) {
			t.Errorf("%s over api_v3, adjusted here:\n%s\nby the server:\n%s", fx.file, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

func TestRealTraceNotFound(t *testing.T) {
	for _, a := range apis {
		t.Run(a.name, func(t *testing.T) {
			c, _ := realClient(t, a.api)
			for _, id := range []backend.TraceID{"0000000000000bad", "badbadbadbadbadbadbadbadbadbad00"} {
				_, err := c.Trace(context.Background(), id, backend.TraceOptions{})
				if !errors.Is(err, backend.ErrNotFound) {
					t.Errorf("%s: %v", id, err)
				}
			}
		})
	}
}

func TestRealDependencies(t *testing.T) {
	c, _ := realClient(t, APIAuto)
	deps, err := c.Dependencies(context.Background(), time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(deps, func(d backend.Dependency) bool {
		return d.Parent == "checkout-api" && d.Child == "billing" && d.CallCount == 1
	}) {
		t.Errorf("checkout-api → billing missing: %+v", deps)
	}
}

func TestRealBasePathAndUnreachable(t *testing.T) {
	j := jaegertest.Shared(t)
	c, err := New(backend.HTTPOptions{URL: j.BaseURL + "/nothing-here/"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// Jaeger serves its UI page for any unknown path: not JSON, so not a
	// Jaeger API, and the error says so.
	_, err = c.Services(context.Background())
	if backend.KindOf(err) != backend.BadResponse {
		t.Errorf("wrong base path: %v", err)
	}
}
