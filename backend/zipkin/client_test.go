package zipkin

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/internal/httpc"
	"github.com/tracetui/tracetui/internal/testkit/zipkintest"
)

// Every fixture lies between these two instants.
var (
	fixturesStart = time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	fixturesEnd   = time.Date(2019, 12, 1, 0, 0, 0, 0, time.UTC)
)

func newServer(t *testing.T) *zipkintest.Server {
	t.Helper()
	s := zipkintest.New()
	t.Cleanup(s.Close)
	m, _ := filepath.Glob(filepath.Join(fixtureDir, "*.json"))
	for _, f := range m {
		if err := s.AddFile(f); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func testClient(t *testing.T, opts backend.HTTPOptions) *Client {
	t.Helper()
	c, err := newClient(opts, httpc.WithRetryWait(time.Millisecond, 5*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func summaryIDs(s []backend.TraceSummary) string {
	var ids []string
	for _, x := range s {
		ids = append(ids, x.TraceID.Short())
	}
	return strings.Join(ids, ",")
}

func TestClientNames(t *testing.T) {
	s := newServer(t)
	c := testClient(t, backend.HTTPOptions{URL: s.URL})
	ctx := context.Background()
	if got, want := c.Name(), "zipkin "+s.URL; got != want {
		t.Errorf("Name %q, want %q", got, want)
	}
	svcs, err := c.Services(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"auth-service", "backend", "bootifulmeters", "content-service", "frontend", "mobile-gateway",
		"mobile_api", "routing", "servicea", "serviceb", "spectre", "unknown", "yelp-main", "yelp_main/api_proxy"}
	if !slices.Equal(svcs, want) {
		t.Errorf("services %v", svcs)
	}
	ops, err := c.Operations(ctx, "serviceb")
	if err != nil {
		t.Fatal(err)
	}
	if want := []backend.Operation{{Name: "async"}, {Name: "on-message"}, {Name: "poll"}, {Name: "post"}}; !slices.Equal(ops, want) {
		t.Errorf("operations %v", ops)
	}
	if q := s.LastQuery("/api/v2/spans"); q.Get("serviceName") != "serviceb" {
		t.Errorf("spans query %v", q)
	}
	remote, err := c.RemoteServices(ctx, "servicea")
	if err != nil || !slices.Equal(remote, []string{"kafka"}) {
		t.Errorf("remote services %v %v", remote, err)
	}
	keys, err := c.AutocompleteKeys(ctx)
	if err != nil || len(keys) != 0 || keys == nil {
		t.Errorf("keys %#v %v", keys, err)
	}
	s.SetAutocompleteKeys("habitat")
	keys, err = c.AutocompleteKeys(ctx)
	if err != nil || !slices.Equal(keys, []string{"habitat"}) {
		t.Errorf("keys %v %v", keys, err)
	}
	vals, err := c.AutocompleteValues(ctx, "habitat")
	if err != nil || !slices.Equal(vals, []string{"uswest1aprod", "uswest1bprod"}) {
		t.Errorf("values %v %v", vals, err)
	}
}

func TestClientNameRedacts(t *testing.T) {
	c := testClient(t, backend.HTTPOptions{URL: "https://user:hunter22@zipkin.example:9411/zipkin/?x=1", Token: "tok-123456"})
	if got := c.Name(); got != "zipkin https://zipkin.example:9411/zipkin" {
		t.Errorf("Name %q", got)
	}
}

func TestClientSearch(t *testing.T) {
	s := newServer(t)
	c := testClient(t, backend.HTTPOptions{URL: s.URL})
	ctx := context.Background()
	window := func(q backend.Query) backend.Query {
		q.Start, q.End = fixturesStart, fixturesEnd
		return q
	}
	for _, tc := range []struct {
		name   string
		q      backend.Query
		want   string
		params map[string]string
	}{
		{"all, newest first", window(backend.Query{}),
			"a03ee8fff1dcd9b9,19f84f102048e047,0562809467078eab,ef86c83c0a05a6d6,5aab74dbb904746bb33447baae403ed6,1e223ff1f80f1c69",
			map[string]string{"endTs": "1575158400000", "lookback": "123552000000", "limit": "20"}},
		{"limit", window(backend.Query{Limit: 2}), "a03ee8fff1dcd9b9,19f84f102048e047", map[string]string{"limit": "2"}},
		{"service", window(backend.Query{Service: "servicea"}), "0562809467078eab,1e223ff1f80f1c69",
			map[string]string{"serviceName": "servicea"}},
		{"operation", window(backend.Query{Service: "serviceb", Operation: "async"}), "1e223ff1f80f1c69",
			map[string]string{"spanName": "async"}},
		{"tag with empty value is a bare term", window(backend.Query{Tags: []backend.Tag{{Key: "error"}}}), "0562809467078eab",
			map[string]string{"annotationQuery": "error"}},
		{"tags joined by and", window(backend.Query{Tags: []backend.Tag{{Key: "habitat", Value: "uswest1bprod"}, {Key: "py_zipkin.logging_end"}}}),
			"a03ee8fff1dcd9b9", map[string]string{"annotationQuery": "habitat=uswest1bprod and py_zipkin.logging_end"}},
		{"error=true is Zipkin's bare error term", window(backend.Query{Tags: []backend.Tag{{Key: "error", Value: "true"}}}), "0562809467078eab",
			map[string]string{"annotationQuery": "error"}},
		{"tag value with spaces", window(backend.Query{Tags: []backend.Tag{{Key: "error", Value: "some error"}}}), "0562809467078eab",
			map[string]string{"annotationQuery": "error=some error"}},
		{"min duration in µs", window(backend.Query{MinDuration: 200 * time.Millisecond}), "19f84f102048e047,0562809467078eab",
			map[string]string{"minDuration": "200000"}},
		{"max duration alone gets a 1µs minimum", window(backend.Query{MaxDuration: 20 * time.Microsecond}),
			"0562809467078eab,5aab74dbb904746bb33447baae403ed6", map[string]string{"minDuration": "1", "maxDuration": "20"}},
		{"window in ms", backend.Query{Start: time.Date(2018, 11, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2018, 12, 1, 0, 0, 0, 0, time.UTC)},
			"19f84f102048e047,0562809467078eab", map[string]string{"endTs": "1543622400000", "lookback": "2592000000"}},
		{"no match", window(backend.Query{Service: "nobody"}), "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.Search(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if ids := summaryIDs(got); ids != tc.want {
				t.Errorf("got %s, want %s", ids, tc.want)
			}
			q := s.LastQuery("/api/v2/traces")
			for k, v := range tc.params {
				if q.Get(k) != v {
					t.Errorf("param %s=%q, want %q (query %v)", k, q.Get(k), v, q)
				}
			}
		})
	}
	got, err := c.Search(ctx, window(backend.Query{Service: "servicea"}))
	if err != nil || len(got) != 2 {
		t.Fatalf("%v %v", got, err)
	}
	kafka, skew := got[0], got[1]
	if kafka.SpanCount != 28 || kafka.ErrorCount != 3 || kafka.RootService != "servicea" || kafka.RootOperation != "poll" ||
		kafka.Start != 1541405397200002000 {
		t.Errorf("kafka summary %+v", kafka)
	}
	if skew.SpanCount != 4 || skew.ErrorCount != 0 || skew.RootOperation != "get" || skew.Start != 1470150004008761000 ||
		skew.Duration != (1470150004170479-1470150004008761)*1000 || len(skew.Services) != 2 {
		t.Errorf("skew summary %+v", skew)
	}
}

// SearchResult says when the server returned as many traces as the limit.
func TestClientSearchResultLimit(t *testing.T) {
	s := newServer(t)
	c := testClient(t, backend.HTTPOptions{URL: s.URL})
	q := backend.Query{Start: fixturesStart, End: fixturesEnd, Limit: 2}
	res, err := c.SearchResult(context.Background(), q)
	if err != nil || len(res.Traces) != 2 || !res.LimitReached || res.Limit != 2 {
		t.Errorf("limit 2 of 6: %+v %v", res, err)
	}
	q.Limit = 6
	res, err = c.SearchResult(context.Background(), q)
	if err != nil || len(res.Traces) != 6 || !res.LimitReached {
		t.Errorf("limit 6 of 6: %+v %v", res, err)
	}
	q.Limit = 7
	res, err = c.SearchResult(context.Background(), q)
	if err != nil || len(res.Traces) != 6 || res.LimitReached || res.Headline() != "6 shown" || len(res.Notes()) != 0 {
		t.Errorf("limit 7 of 6: %+v %v", res, err)
	}
	q.Limit, q.Tags = 1, []backend.Tag{{Key: "error", Value: "true"}}
	res, err = c.SearchResult(context.Background(), q)
	if err != nil || len(res.Traces) != 1 || res.Traces[0].ErrorCount == 0 || len(res.Checked) != 0 {
		t.Errorf("error=true: %+v %v", res, err)
	}
}

// A Zipkin that wants a service (some proxies and storage plugins) makes
// Find search each service instead of showing its 400.
func TestClientSearchServiceRequired(t *testing.T) {
	s := newServer(t)
	s.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path == "/api/v2/traces" && r.URL.Query().Get("serviceName") == "" {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(400)
			w.Write([]byte("serviceName is required"))
			return true
		}
		return false
	})
	c := testClient(t, backend.HTTPOptions{URL: s.URL})
	q := backend.Query{Start: fixturesStart, End: fixturesEnd}
	if _, err := c.SearchResult(context.Background(), q); !errors.Is(err, backend.ErrServiceRequired) {
		t.Fatalf("SearchResult: %v", err)
	}
	res, err := backend.Find(context.Background(), c, q)
	if err != nil || len(res.Traces) != 6 || res.PerService == 0 {
		t.Errorf("per service: %d traces, %+v, %v", len(res.Traces), res, err)
	}
}

// With no window, the search covers the last hour before now.
func TestClientSearchDefaultWindow(t *testing.T) {
	s := zipkintest.New()
	defer s.Close()
	tr := decodeFile(t, "skew.json")
	now := time.Now()
	shift := now.Add(-10*time.Minute).UnixNano() - tr.Spans[0].Start
	for i := range tr.Spans {
		tr.Spans[i].Start += shift
	}
	var buf bytes.Buffer
	if err := Encode(&buf, tr); err != nil {
		t.Fatal(err)
	}
	if err := s.AddJSON(buf.Bytes()); err != nil {
		t.Fatal(err)
	}
	if err := s.AddFile(filepath.Join(fixtureDir, "yelp.json")); err != nil {
		t.Fatal(err)
	}
	c := testClient(t, backend.HTTPOptions{URL: s.URL})
	c.now = func() time.Time { return now }
	got, err := c.Search(context.Background(), backend.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if ids := summaryIDs(got); ids != "1e223ff1f80f1c69" {
		t.Errorf("got %s", ids)
	}
	q := s.LastQuery("/api/v2/traces")
	if q.Get("lookback") != "3600000" || q.Get("endTs") != strconv.FormatInt(now.UnixMilli(), 10) {
		t.Errorf("query %v", q)
	}
}

func TestClientTrace(t *testing.T) {
	s := newServer(t)
	c := testClient(t, backend.HTTPOptions{URL: s.URL})
	ctx := context.Background()
	tr, err := c.Trace(ctx, "00000000000000001e223ff1f80f1c69", backend.TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if tr.ID != "00000000000000001e223ff1f80f1c69" || len(tr.Spans) != 4 {
		t.Fatalf("trace %s with %d spans", tr.ID, len(tr.Spans))
	}
	if got := canon(tr); !slices.Equal(got, canon(decodeFile(t, "skew.json"))) {
		t.Error("trace from the server differs from the file")
	}
	reqs := s.Requests()
	if p := reqs[len(reqs)-1].Path; p != "/api/v2/trace/1e223ff1f80f1c69" {
		t.Errorf("a 64-bit ID must be sent as 16 hex: %s", p)
	}
	tr, err = c.Trace(ctx, "5AAB74DBB904746BB33447BAAE403ED6", backend.TraceOptions{})
	if err != nil || tr.ID != "5aab74dbb904746bb33447baae403ed6" || len(tr.Spans) != 4 {
		t.Fatalf("128-bit trace: %v %v", tr, err)
	}
	_, err = c.Trace(ctx, "0000000000000000000000000000abcd", backend.TraceOptions{})
	if !errors.Is(err, backend.ErrNotFound) {
		t.Fatalf("unknown trace: %v", err)
	}
	var be *backend.Error
	if !errors.As(err, &be) || be.Status != 404 || be.Excerpt != "000000000000abcd not found" {
		t.Errorf("not-found error %+v", be)
	}
	if _, err := c.Trace(ctx, "not-an-id", backend.TraceOptions{}); !errors.Is(err, backend.ErrNotFound) {
		t.Errorf("bad ID: %v", err)
	}
}

func TestClientTraceMany(t *testing.T) {
	s := newServer(t)
	c := testClient(t, backend.HTTPOptions{URL: s.URL})
	ctx := context.Background()
	got, err := c.TraceMany(ctx, []backend.TraceID{"00000000000000001e223ff1f80f1c69", "a03ee8fff1dcd9b9",
		"0000000000000000000000000000abcd", "00000000000000001e223ff1f80f1c69", "5aab74dbb904746bb33447baae403ed6"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, tr := range got {
		ids = append(ids, tr.ID.Short()+"/"+string(rune('0'+len(tr.Spans)/10))+string(rune('0'+len(tr.Spans)%10)))
	}
	if strings.Join(ids, ",") != "1e223ff1f80f1c69/04,a03ee8fff1dcd9b9/16,5aab74dbb904746bb33447baae403ed6/04" {
		t.Errorf("traceMany: %v", ids)
	}
	q := s.LastQuery("/api/v2/traceMany")
	if q.Get("traceIds") != "1e223ff1f80f1c69,a03ee8fff1dcd9b9,000000000000abcd,5aab74dbb904746bb33447baae403ed6" {
		t.Errorf("traceIds %q", q.Get("traceIds"))
	}
	// One ID goes to /trace (traceMany refuses it); an unknown one is no error.
	got, err = c.TraceMany(ctx, []backend.TraceID{"1e223ff1f80f1c69", "1E223FF1F80F1C69"})
	if err != nil || len(got) != 1 {
		t.Errorf("single: %v %v", got, err)
	}
	got, err = c.TraceMany(ctx, []backend.TraceID{"abcd"})
	if err != nil || len(got) != 0 {
		t.Errorf("single unknown: %v %v", got, err)
	}
	if got, err := c.TraceMany(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("none: %v %v", got, err)
	}
}

func TestClientDependencies(t *testing.T) {
	s := newServer(t)
	s.SetDependencies([]zipkintest.Link{{Parent: "servicea", Child: "serviceb", CallCount: 3}, {Parent: "a", Child: "b", CallCount: 2, ErrorCount: 1}})
	c := testClient(t, backend.HTTPOptions{URL: s.URL})
	end := time.UnixMilli(1575158400123)
	deps, err := c.Dependencies(context.Background(), end, 90*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	want := []backend.Dependency{{Parent: "servicea", Child: "serviceb", CallCount: 3}, {Parent: "a", Child: "b", CallCount: 2, ErrorCount: 1}}
	if !slices.Equal(deps, want) {
		t.Errorf("dependencies %v", deps)
	}
	q := s.LastQuery("/api/v2/dependencies")
	if q.Get("endTs") != "1575158400123" || q.Get("lookback") != "5400000" {
		t.Errorf("query %v", q)
	}
}

func TestClientErrors(t *testing.T) {
	ctx := context.Background()
	respond := func(status int, ctype, body string) func(http.ResponseWriter, *http.Request) bool {
		return func(w http.ResponseWriter, r *http.Request) bool {
			if ctype != "" {
				w.Header().Set("Content-Type", ctype)
			}
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
			return true
		}
	}
	for _, tc := range []struct {
		name    string
		handler func(http.ResponseWriter, *http.Request) bool
		kind    backend.ErrorKind
		status  int
		excerpt string
	}{
		{"500 with HTML", respond(500, "text/html", "<html><head><style>p{}</style></head><body><h1>Internal Server Error</h1></body></html>"),
			backend.BadResponse, 500, "Internal Server Error"},
		{"401", respond(401, "text/plain", "Unauthorized"), backend.Unauthorized, 401, "Unauthorized"},
		{"403", respond(403, "text/plain", "Forbidden"), backend.Forbidden, 403, "Forbidden"},
		{"400 plain text", respond(400, "text/plain", "endTs <= 0"), backend.BadResponse, 400, "endTs <= 0"},
		{"truncated JSON", respond(200, "application/json", `[[{"traceId":"1e223ff1f80f1c69","id":"1"`), backend.DecodeError, 200, ""},
		{"wrong content type", respond(200, "text/html", "<!doctype html><title>Zipkin</title>"), backend.BadResponse, 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := zipkintest.New()
			defer s.Close()
			s.Intercept(tc.handler)
			c := testClient(t, backend.HTTPOptions{URL: s.URL, Token: "secret-token-xyz"})
			calls := map[string]func() error{
				"services": func() error { _, err := c.Services(ctx); return err },
				"search": func() error {
					_, err := c.Search(ctx, backend.Query{Service: "a"})
					return err
				},
				"trace": func() error {
					_, err := c.Trace(ctx, "1e223ff1f80f1c69", backend.TraceOptions{})
					return err
				},
				"dependencies": func() error { _, err := c.Dependencies(ctx, time.Now(), time.Hour); return err },
			}
			for name, call := range calls {
				err := call()
				var be *backend.Error
				if !errors.As(err, &be) {
					t.Fatalf("%s: %v is not a *backend.Error", name, err)
				}
				if be.Kind != tc.kind || be.Status != tc.status {
					t.Errorf("%s: kind %v status %d, want %v %d (%v)", name, be.Kind, be.Status, tc.kind, tc.status, err)
				}
				if tc.excerpt != "" && !strings.Contains(be.Excerpt, tc.excerpt) {
					t.Errorf("%s: excerpt %q, want %q", name, be.Excerpt, tc.excerpt)
				}
				msg := err.Error()
				if strings.Contains(msg, "secret-token-xyz") || strings.Contains(msg, "<h1") || strings.Contains(msg, "<html") || strings.Contains(msg, "\n") {
					t.Errorf("%s: message %q", name, msg)
				}
				if !strings.Contains(msg, s.URL) {
					t.Errorf("%s: message %q does not say which server", name, msg)
				}
				if tc.kind == backend.DecodeError && be.Offset <= 0 {
					t.Errorf("%s: decode error without offset: %+v", name, be)
				}
			}
		})
	}
}

func TestClientUnreachableAndTimeout(t *testing.T) {
	ctx := context.Background()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c := testClient(t, backend.HTTPOptions{URL: "http://" + addr, Retries: -1})
	if _, err := c.Services(ctx); !errors.Is(err, backend.ErrUnreachable) {
		t.Errorf("refused connection: %v", err)
	}

	s := zipkintest.New()
	defer s.Close()
	release := make(chan struct{})
	defer close(release)
	s.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		select {
		case <-release:
		case <-r.Context().Done():
		}
		return true
	})
	c = testClient(t, backend.HTTPOptions{URL: s.URL, Timeout: 50 * time.Millisecond, Retries: -1})
	if _, err := c.Services(ctx); !errors.Is(err, backend.ErrTimeout) {
		t.Errorf("slow server: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := c.Services(cctx); !errors.Is(err, backend.ErrCanceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestClientRetriesAndUnsupported(t *testing.T) {
	s := newServer(t)
	var n atomic.Int32
	s.Intercept(func(w http.ResponseWriter, r *http.Request) bool {
		switch {
		case r.URL.Path == "/api/v2/services" && n.Add(1) <= 2:
			w.WriteHeader(http.StatusServiceUnavailable)
			return true
		case r.URL.Path == "/api/v2/remoteServices" || r.URL.Path == "/api/v2/autocompleteKeys":
			// What a server from before these endpoints answers.
			http.NotFound(w, r)
			return true
		}
		return false
	})
	c := testClient(t, backend.HTTPOptions{URL: s.URL})
	svcs, err := c.Services(context.Background())
	if err != nil || len(svcs) != 14 || n.Load() != 3 {
		t.Errorf("after two 503s: %d services, %v, %d attempts", len(svcs), err, n.Load())
	}
	if _, err := c.RemoteServices(context.Background(), "servicea"); !errors.Is(err, backend.ErrUnsupported) {
		t.Errorf("remoteServices on an old server: %v", err)
	}
	if _, err := c.AutocompleteKeys(context.Background()); !errors.Is(err, backend.ErrUnsupported) {
		t.Errorf("autocompleteKeys on an old server: %v", err)
	}
}

func TestClientBasePath(t *testing.T) {
	s := zipkintest.New(zipkintest.WithBasePath("/zipkin"))
	defer s.Close()
	if err := s.AddFile(filepath.Join(fixtureDir, "skew.json")); err != nil {
		t.Fatal(err)
	}
	c := testClient(t, backend.HTTPOptions{URL: s.URL + "/zipkin/"})
	svcs, err := c.Services(context.Background())
	if err != nil || !slices.Equal(svcs, []string{"servicea", "serviceb"}) {
		t.Errorf("services behind /zipkin: %v %v", svcs, err)
	}
	tr, err := c.Trace(context.Background(), "1e223ff1f80f1c69", backend.TraceOptions{})
	if err != nil || len(tr.Spans) != 4 {
		t.Errorf("trace behind /zipkin: %v", err)
	}
	if got := c.Name(); got != "zipkin "+s.URL+"/zipkin" {
		t.Errorf("Name %q", got)
	}
}
