package jaeger

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/internal/httpc"
)

const fixtures = "../../testdata/fixtures"

func captured(t *testing.T, version, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtures, "captured", "jaeger-"+version, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fake is a Jaeger query server built from captured responses. Routes it
// does not have answer like Jaeger does: 200 text/html (the UI page).
type fake struct {
	t      *testing.T
	mu     sync.Mutex
	routes map[string]http.HandlerFunc
	seen   []*url.URL
}

func newFake(t *testing.T) (*fake, *httptest.Server) {
	f := &fake{t: t, routes: map[string]http.HandlerFunc{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := *r.URL
		f.mu.Lock()
		f.seen = append(f.seen, &u)
		h := f.routes[r.URL.Path]
		f.mu.Unlock()
		if h == nil {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte("<!doctype html><html><head><title>Jaeger UI</title></head><body></body></html>"))
			return
		}
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fake) handle(path string, h http.HandlerFunc) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.routes[path] = h
}

// paths returns the request paths seen, in order.
func (f *fake) paths() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, u := range f.seen {
		out = append(out, u.Path)
	}
	return out
}

// urls returns the request URLs seen, in order.
func (f *fake) urls() []*url.URL {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.seen)
}

func (f *fake) last() *url.URL {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.seen[len(f.seen)-1]
}

func (f *fake) reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seen = nil
}

func jsonBody(b []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
	}
}

// sniffed writes without a Content-Type, as Jaeger v1.76's api_v3 handlers
// do; Go then labels the JSON text/plain.
func sniffed(b []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { w.Write(b) }
}

// jaegerError writes like Jaeger's http.Error: text/plain, JSON body.
func jaegerError(status int, b []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		w.Write(b)
	}
}

func newClient(t *testing.T, srvURL string, api API) *Client {
	t.Helper()
	c, err := New(backend.HTTPOptions{URL: srvURL},
		WithAPI(api), func(s *settings) { s.http = append(s.http, httpc.WithRetryWait(time.Millisecond, time.Millisecond)) })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func sortedCopy(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestServicesV3ThenRemembered(t *testing.T) {
	f, srv := newFake(t)
	f.handle("/api/v3/services", sniffed(captured(t, "v1.76.0", "v3_services.json")))
	f.handle("/api/services", func(w http.ResponseWriter, r *http.Request) { t.Error("v1 asked although v3 answered") })
	c := newClient(t, srv.URL, APIAuto)
	got, err := c.Services(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var want struct{ Services []string }
	json.Unmarshal(captured(t, "v1.76.0", "v3_services.json"), &want)
	if !slices.Equal(got, sortedCopy(want.Services)) || len(got) != 18 {
		t.Errorf("services %v", got)
	}
	if !slices.Contains(got, "yelp_main/api_proxy") {
		t.Errorf("missing service with slash: %v", got)
	}
}

func TestServicesEmptyV3Object(t *testing.T) {
	f, srv := newFake(t)
	f.handle("/api/v3/services", jsonBody([]byte(`{}`)))
	got, err := newClient(t, srv.URL, APIAuto).Services(context.Background())
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("empty services: %v %v", got, err)
	}
}

func TestServicesFallbackToV1AndRemember(t *testing.T) {
	f, srv := newFake(t)
	f.handle("/api/services", jsonBody(captured(t, "v1.42.0", "services.json")))
	c := newClient(t, srv.URL, APIAuto)
	got, err := c.Services(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 14 || got[0] != "auth-service" {
		t.Errorf("services %v", got)
	}
	if p := f.paths(); !slices.Equal(p, []string{"/api/v3/services", "/api/services"}) {
		t.Errorf("paths %v", p)
	}
	f.reset()
	if _, err := c.Services(context.Background()); err != nil {
		t.Fatal(err)
	}
	if p := f.paths(); !slices.Equal(p, []string{"/api/services"}) {
		t.Errorf("second call probed again: %v", p)
	}
}

func TestServicesV1NullData(t *testing.T) {
	f, srv := newFake(t)
	f.handle("/api/services", jsonBody([]byte(`{"data":null,"total":0,"limit":0,"offset":0,"errors":null}`)))
	got, err := newClient(t, srv.URL, APIv1).Services(context.Background())
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("%v %v", got, err)
	}
	for _, p := range f.paths() {
		if strings.HasPrefix(p, "/api/v3") {
			t.Errorf("APIv1 asked %s", p)
		}
	}
}

func TestServicesNotJaeger(t *testing.T) {
	_, srv := newFake(t) // everything is the HTML page
	_, err := newClient(t, srv.URL, APIAuto).Services(context.Background())
	if backend.KindOf(err) != backend.BadResponse || !strings.Contains(err.Error(), "text/html") {
		t.Errorf("err %v", err)
	}
}

func TestOperationsV3(t *testing.T) {
	f, srv := newFake(t)
	f.handle("/api/v3/operations", sniffed(captured(t, "v1.76.0", "v3_operations_serviceb.json")))
	got, err := newClient(t, srv.URL, APIAuto).Operations(context.Background(), "serviceb")
	if err != nil {
		t.Fatal(err)
	}
	want := []backend.Operation{{Name: "async", Kind: ""}, {Name: "on-message", Kind: ""}, {Name: "poll", Kind: "consumer"}, {Name: "post", Kind: "server"}}
	if !slices.Equal(got, want) {
		t.Errorf("operations %v", got)
	}
	q := f.last().Query()
	if q.Get("service") != "serviceb" || !q.Has("span_kind") || q.Get("span_kind") != "" {
		t.Errorf("query %v", q)
	}
}

func TestOperationsV1(t *testing.T) {
	f, srv := newFake(t)
	f.handle("/api/operations", jsonBody(captured(t, "v1.76.0", "operations_serviceb.json")))
	got, err := newClient(t, srv.URL, APIv1).Operations(context.Background(), "serviceb")
	if err != nil {
		t.Fatal(err)
	}
	want := []backend.Operation{{Name: "async", Kind: ""}, {Name: "on-message", Kind: ""}, {Name: "poll", Kind: "consumer"}, {Name: "post", Kind: "server"}}
	if !slices.Equal(got, want) {
		t.Errorf("operations %v", got)
	}
	if f.last().Query().Get("service") != "serviceb" {
		t.Errorf("query %v", f.last())
	}
}

func TestOperationsLegacyPath(t *testing.T) {
	f, srv := newFake(t)
	f.handle("/api/services/yelp_main/api_proxy/operations",
		jsonBody(captured(t, "v1.76.0", "services_serviceb_operations.json")))
	c := newClient(t, srv.URL, APIAuto)
	got, err := c.Operations(context.Background(), "yelp_main/api_proxy")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got[0].Name != "async" || got[0].Kind != "" {
		t.Errorf("operations %v", got)
	}
	if p := f.paths(); !slices.Equal(p, []string{"/api/v3/operations", "/api/operations", "/api/services/yelp_main/api_proxy/operations"}) {
		t.Errorf("paths %v", p)
	}
	if raw := f.last().EscapedPath(); raw != "/api/services/yelp_main%2Fapi_proxy/operations" {
		t.Errorf("service not escaped in path: %s", raw)
	}
	f.reset()
	c.Operations(context.Background(), "yelp_main/api_proxy")
	if p := f.paths(); len(p) != 1 {
		t.Errorf("second call probed again: %v", p)
	}
}

func TestOperationsMissingServiceError(t *testing.T) {
	f, srv := newFake(t)
	f.handle("/api/operations", jaegerError(400, captured(t, "v1.76.0", "error_400_operations_no_service.json")))
	_, err := newClient(t, srv.URL, APIv1).Operations(context.Background(), "")
	var be *backend.Error
	if !errors.As(err, &be) || be.Kind != backend.BadResponse || be.Status != 400 ||
		be.Excerpt != "parameter 'service' is required" {
		t.Errorf("err %#v", err)
	}
}

func TestSearchV3Params(t *testing.T) {
	f, srv := newFake(t)
	f.handle("/api/v3/traces", sniffed(captured(t, "v1.76.0", "v3_find_serviceb.json")))
	c := newClient(t, srv.URL, APIAuto)
	end := time.Date(2016, 8, 2, 16, 0, 0, 0, time.UTC)
	q := backend.Query{Service: "serviceb", Operation: "post", Start: end.Add(-48 * time.Hour), End: end,
		MinDuration: 1500 * time.Microsecond, MaxDuration: 2 * time.Second, Limit: 7}
	got, err := c.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if p := f.paths(); !slices.Equal(p, []string{"/api/v3/trace-summaries", "/api/v3/traces"}) {
		t.Errorf("paths %v", p)
	}
	p := f.last().Query()
	want := map[string]string{
		"query.service_name":   "serviceb",
		"query.operation_name": "post",
		"query.start_time_min": "2016-07-31T16:00:00Z",
		"query.start_time_max": "2016-08-02T16:00:00Z",
		"query.num_traces":     "7",
		"query.duration_min":   "1.5ms",
		"query.duration_max":   "2s",
	}
	for k, v := range want {
		if p.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, p.Get(k), v)
		}
	}
	for k := range p {
		if !strings.HasPrefix(k, "query.") || strings.ContainsAny(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
			t.Errorf("parameter %q is not snake_case query.*", k)
		}
	}
	if len(got) != 1 {
		t.Fatalf("summaries %+v", got)
	}
	s := got[0]
	if s.TraceID != "00000000000000001e223ff1f80f1c69" || s.SpanCount != 4 || s.RootService != "servicea" {
		t.Errorf("summary %+v", s)
	}
	f.reset()
	c.Search(context.Background(), q)
	if p := f.paths(); !slices.Equal(p, []string{"/api/v3/traces"}) {
		t.Errorf("summaries probed again: %v", p)
	}
}

func TestSearchV3On142(t *testing.T) {
	f, srv := newFake(t)
	f.handle("/api/v3/traces", jsonBody(captured(t, "v1.42.0", "v3_find_serviceb.json")))
	got, err := newClient(t, srv.URL, APIv3).Search(context.Background(), backend.Query{Service: "serviceb"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].TraceID != "00000000000000001e223ff1f80f1c69" || got[0].SpanCount != 4 {
		t.Errorf("summaries %+v", got)
	}
	// The earliest span is the skewed client half; the root is servicea's "get".
	if got[0].Start != 1470150004008761000 || got[0].RootOperation != "get" || got[0].RootService != "servicea" {
		t.Errorf("start %d root %q", got[0].Start, got[0].RootOperation)
	}
}

func TestSearchV3EmptyIs404(t *testing.T) {
	f, srv := newFake(t)
	f.handle("/api/v3/traces", jaegerError(404, captured(t, "v1.76.0", "v3_error_404_empty_search.json")))
	got, err := newClient(t, srv.URL, APIAuto).Search(context.Background(), backend.Query{Service: "nobody"})
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("empty search: %v %v", got, err)
	}
}

func TestSearchV3Error(t *testing.T) {
	f, srv := newFake(t)
	f.handle("/api/v3/traces", jaegerError(400, captured(t, "v1.76.0", "v3_error_400_no_time.json")))
	_, err := newClient(t, srv.URL, APIv3).Search(context.Background(), backend.Query{Service: "x"})
	var be *backend.Error
	if !errors.As(err, &be) || be.Kind != backend.BadResponse || !strings.Contains(be.Excerpt, "are required") {
		t.Errorf("err %v", err)
	}
}

func TestSearchTagsUseV1WithJSONTags(t *testing.T) {
	f, srv := newFake(t)
	f.handle("/api/traces", jsonBody(captured(t, "v1.76.0", "search_mobile_api_tags_minDuration.json")))
	f.handle("/api/v3/traces", func(w http.ResponseWriter, r *http.Request) {
		t.Error("api_v3 find used for a tag search on a server that ignores query.attributes")
	})
	f.handle("/api/v3/services", jsonBody(captured(t, "v1.76.0", "v3_services.json")))
	c := newClient(t, srv.URL, APIAuto)
	if _, err := c.Services(context.Background()); err != nil {
		t.Fatal(err)
	}
	start := time.UnixMicro(1571896375000000)
	q := backend.Query{Service: "mobile_api", Tags: []backend.Tag{{Key: "http.status_code", Value: "200"}, {Key: "region", Value: "uswest1-prod"}},
		MinDuration: time.Millisecond, Start: start, End: start.Add(time.Hour), Limit: 3}
	got, err := c.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].TraceID != "0000000000000000a03ee8fff1dcd9b9" || got[0].SpanCount != 16 {
		t.Errorf("summaries %+v", got)
	}
	p := f.last().Query()
	if f.last().Path != "/api/traces" {
		t.Fatalf("last path %s", f.last().Path)
	}
	var tags map[string]any
	if err := json.Unmarshal([]byte(p.Get("tags")), &tags); err != nil {
		t.Fatalf("tags %q: %v", p.Get("tags"), err)
	}
	if len(tags) != 2 || tags["http.status_code"] != "200" || tags["region"] != "uswest1-prod" {
		t.Errorf("tags %v (values must be JSON strings)", tags)
	}
	want := map[string]string{"service": "mobile_api", "minDuration": "1ms", "limit": "3",
		"start": "1571896375000000", "end": strconv.FormatInt(1571896375000000+3600e6, 10)}
	for k, v := range want {
		if p.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, p.Get(k), v)
		}
	}
	if p.Has("maxDuration") || p.Has("operation") {
		t.Errorf("unset conditions sent: %v", p)
	}
}

func TestSearchTagsForcedV3PostFilters(t *testing.T) {
	// v1.76 ignores query.attributes and answers unfiltered: the client
	// checks the tags itself.
	f, srv := newFake(t)
	f.handle("/api/v3/traces", jsonBody(captured(t, "v1.76.0", "v3_find_serviceb.json")))
	c := newClient(t, srv.URL, APIv3)
	window := backend.Query{Service: "serviceb", Start: time.Unix(1470150000, 0), End: time.Unix(1470160000, 0)}
	q := window
	q.Tags = []backend.Tag{{Key: "no.such.tag", Value: "x"}}
	got, err := c.Search(context.Background(), q)
	if err != nil || len(got) != 0 {
		t.Errorf("post-filter kept %+v (%v)", got, err)
	}
	var attrs map[string]string
	json.Unmarshal([]byte(f.last().Query().Get("query.attributes")), &attrs)
	if attrs["no.such.tag"] != "x" {
		t.Errorf("query.attributes %q", f.last().Query().Get("query.attributes"))
	}
	if d := f.last().Query().Get("query.num_traces"); d != strconv.Itoa(backend.DefaultLimit*postFilterFactor) {
		t.Errorf("post-filtered search depth %s", d)
	}
	q.Tags = []backend.Tag{{Key: "span.kind", Value: "server"}}
	got, err = c.Search(context.Background(), q)
	if err != nil || len(got) != 1 {
		t.Errorf("post-filter dropped a match: %+v (%v)", got, err)
	}
}

func TestSearchSummaries(t *testing.T) {
	body, err := os.ReadFile(filepath.Join(fixtures, "jaeger", "api_v3", "FindTraceSummaries.json"))
	if err != nil {
		t.Fatal(err)
	}
	f, srv := newFake(t)
	f.handle("/api/v3/trace-summaries", jsonBody(body))
	c := newClient(t, srv.URL, APIAuto)
	got, err := c.Search(context.Background(), backend.Query{Service: "frontend", Tags: []backend.Tag{{Key: "http.method", Value: "GET"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := backend.TraceSummary{TraceID: "00000000000000000000000000000001", RootService: "frontend",
		RootOperation: "HTTP GET /", Start: 1000000000000, Duration: 1000000000, SpanCount: 2, ErrorCount: 1,
		Services: []backend.ServiceCount{{Name: "frontend", SpanCount: 2, ErrorCount: 1}}}
	if len(got) != 1 || !equalSummary(got[0], want) {
		t.Errorf("got %+v", got)
	}
	if p := f.paths(); !slices.Equal(p, []string{"/api/v3/trace-summaries"}) {
		t.Errorf("paths %v", p)
	}
	if a := f.last().Query().Get("query.attributes"); a != `{"http.method":"GET"}` {
		t.Errorf("attributes %q", a)
	}
}

func TestSearchSummariesEmpty(t *testing.T) {
	f, srv := newFake(t)
	f.handle("/api/v3/trace-summaries", jaegerError(404, []byte(`{"error":{"httpCode":404,"message":"No traces found"}}`)))
	c := newClient(t, srv.URL, APIAuto)
	got, err := c.Search(context.Background(), backend.Query{Service: "x"})
	if err != nil || len(got) != 0 {
		t.Errorf("%v %v", got, err)
	}
	if p := f.paths(); !slices.Equal(p, []string{"/api/v3/trace-summaries"}) {
		t.Errorf("paths %v", p)
	}
}

func equalSummary(a, b backend.TraceSummary) bool {
	return a.TraceID == b.TraceID && a.RootService == b.RootService && a.RootOperation == b.RootOperation &&
		a.Start == b.Start && a.Duration == b.Duration && a.SpanCount == b.SpanCount &&
		a.ErrorCount == b.ErrorCount && slices.Equal(a.Services, b.Services)
}

func TestSearchNewestFirstAndLimit(t *testing.T) {
	f, srv := newFake(t)
	f.handle("/api/traces", jsonBody([]byte(`{"data":[
		{"traceID":"1","spans":[{"traceID":"1","spanID":"1","operationName":"a","startTime":100,"duration":1,"processID":"p1"}],"processes":{"p1":{"serviceName":"s"}}},
		{"traceID":"2","spans":[{"traceID":"2","spanID":"1","operationName":"a","startTime":300,"duration":1,"processID":"p1"}],"processes":{"p1":{"serviceName":"s"}}},
		{"traceID":"3","spans":[{"traceID":"3","spanID":"1","operationName":"a","startTime":200,"duration":1,"processID":"p1"}],"processes":{"p1":{"serviceName":"s"}}}
	],"errors":null}`)))
	got, err := newClient(t, srv.URL, APIv1).Search(context.Background(), backend.Query{Service: "s", Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].TraceID.Short() != "2" && got[0].TraceID.Short() != "0000000000000002" {
		t.Fatalf("got %+v", got)
	}
	if got[0].Start < got[1].Start || got[1].TraceID != "00000000000000000000000000000003" {
		t.Errorf("order %+v", got)
	}
}

func TestTraceV1RawAndWindow(t *testing.T) {
	f, srv := newFake(t)
	f.handle("/api/traces/1e223ff1f80f1c69", func(w http.ResponseWriter, r *http.Request) {
		name := "trace_skew_1e223ff1f80f1c69.json"
		if r.URL.Query().Get("raw") == "true" {
			name = "trace_skew_1e223ff1f80f1c69_raw.json"
		}
		jsonBody(captured(t, "v1.76.0", name))(w, r)
	})
	c := newClient(t, srv.URL, APIAuto)
	adjusted, err := c.Trace(context.Background(), "1E223FF1F80F1C69", backend.TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := c.Trace(context.Background(), "00000000000000001e223ff1f80f1c69",
		backend.TraceOptions{Raw: true, Start: time.UnixMicro(1470150000000000), End: time.UnixMicro(1470150010000000)})
	if err != nil {
		t.Fatal(err)
	}
	q := f.last().Query()
	if q.Get("raw") != "true" || q.Get("start") != "1470150000000000" || q.Get("end") != "1470150010000000" {
		t.Errorf("query %v", q)
	}
	if adjusted.ID != "00000000000000001e223ff1f80f1c69" || len(adjusted.Spans) != 4 || len(raw.Spans) != 4 {
		t.Fatalf("traces %s %d %d", adjusted.ID, len(adjusted.Spans), len(raw.Spans))
	}
	// Raw keeps the shared span's two halves under one ID; adjusted does not.
	if dups(raw) != 1 || dups(adjusted) != 0 {
		t.Errorf("duplicate span IDs: raw %d adjusted %d", dups(raw), dups(adjusted))
	}
	// Both asked the server for the raw trace: the adjusted one was adjusted
	// here, into what the server would have answered.
	if want := shape(decodeOne(t, captured(t, "v1.76.0", "trace_skew_1e223ff1f80f1c69.json"))); !slices.Equal(shape(adjusted), want) {
		t.Errorf("adjusted here:\n%v\nby the server:\n%v", shape(adjusted), want)
	}
	for _, u := range f.urls() {
		if strings.HasPrefix(u.Path, "/api/v3") || u.Query().Get("raw") != "true" {
			t.Errorf("asked %s", u)
		}
	}
}

func dups(t *backend.Trace) int {
	seen := map[backend.SpanID]bool{}
	n := 0
	for _, s := range t.Spans {
		if seen[s.SpanID] {
			n++
		}
		seen[s.SpanID] = true
	}
	return n
}

func TestTrace128BitID(t *testing.T) {
	f, srv := newFake(t)
	id := "00000000000000010000000000000000"
	f.handle("/api/traces/"+id, jsonBody(captured(t, "v1.76.0", "trace_otel_traces_01_"+id+".json")))
	tr, err := newClient(t, srv.URL, APIv1).Trace(context.Background(), backend.TraceID(id), backend.TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if string(tr.ID) != id || len(tr.Spans) == 0 {
		t.Errorf("trace %s with %d spans", tr.ID, len(tr.Spans))
	}
}

func TestTraceNotFoundV1(t *testing.T) {
	for _, v := range []string{"v1.42.0", "v1.76.0"} {
		f, srv := newFake(t)
		f.handle("/api/traces/0000000000000bad", jaegerError(404, captured(t, v, "error_404_trace.json")))
		_, err := newClient(t, srv.URL, APIAuto).Trace(context.Background(), "bad", backend.TraceOptions{})
		if !errors.Is(err, backend.ErrNotFound) || !strings.Contains(err.Error(), "trace not found") {
			t.Errorf("%s: %v", v, err)
		}
		if strings.Contains(err.Error(), `"data"`) {
			t.Errorf("raw envelope in message: %v", err)
		}
	}
}

func TestTraceFallbackToV3(t *testing.T) {
	f, srv := newFake(t)
	id := "00000000000000001e223ff1f80f1c69"
	f.handle("/api/v3/traces/"+id, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("raw_traces") != "true" {
			t.Errorf("raw_traces not sent: %v", r.URL.Query())
		}
		sniffed(captured(t, "v1.76.0", "v3_trace_skew_1e223ff1f80f1c69.json"))(w, r)
	})
	tr, err := newClient(t, srv.URL, APIAuto).Trace(context.Background(), backend.TraceID(id), backend.TraceOptions{Raw: true})
	if err != nil {
		t.Fatal(err)
	}
	if tr.ID != backend.TraceID(id) || len(tr.Spans) != 4 {
		t.Errorf("trace %s %d", tr.ID, len(tr.Spans))
	}
	if p := f.paths(); !slices.Equal(p, []string{"/api/traces/1e223ff1f80f1c69", "/api/v3/traces/" + id}) {
		t.Errorf("paths %v", p)
	}
}

func TestTraceNotFoundV3(t *testing.T) {
	cases := []struct {
		version, file string
		status        int
	}{
		{"v1.76.0", "v3_error_404_not_found.json", 404},
		{"v1.42.0", "v3_error_500_not_found.json", 500},
	}
	for _, tc := range cases {
		f, srv := newFake(t)
		f.handle("/api/v3/traces/00000000000000000000000000000bad", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(tc.status)
			w.Write(captured(t, tc.version, tc.file))
		})
		_, err := newClient(t, srv.URL, APIv3).Trace(context.Background(), "bad", backend.TraceOptions{})
		if !errors.Is(err, backend.ErrNotFound) {
			t.Errorf("%s: %v", tc.version, err)
		}
	}
}

func TestTraceBadID(t *testing.T) {
	_, srv := newFake(t)
	_, err := newClient(t, srv.URL, APIAuto).Trace(context.Background(), "not-hex!", backend.TraceOptions{})
	if !errors.Is(err, backend.ErrNotFound) {
		t.Errorf("%v", err)
	}
}

func TestTraceTruncatedJSON(t *testing.T) {
	f, srv := newFake(t)
	body := captured(t, "v1.76.0", "trace_yelp_a03ee8fff1dcd9b9.json")
	f.handle("/api/traces/a03ee8fff1dcd9b9", jsonBody(body[:len(body)/2]))
	_, err := newClient(t, srv.URL, APIAuto).Trace(context.Background(), "a03ee8fff1dcd9b9", backend.TraceOptions{})
	var be *backend.Error
	if !errors.As(err, &be) || be.Kind != backend.DecodeError || be.Offset <= 0 || !strings.HasPrefix(err.Error(), "get trace a03ee8fff1dcd9b9") {
		t.Errorf("%v", err)
	}
}

func TestDependencies(t *testing.T) {
	small, err := os.ReadFile(filepath.Join(fixtures, "jaeger-ui", "small.json"))
	if err != nil {
		t.Fatal(err)
	}
	f, srv := newFake(t)
	f.handle("/api/dependencies", jsonBody([]byte(`{"data":`+string(small)+`,"total":7,"limit":0,"offset":0,"errors":null}`)))
	end := time.UnixMilli(1700000000123)
	got, err := newClient(t, srv.URL, APIAuto).Dependencies(context.Background(), end, 2*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	q := f.last().Query()
	if q.Get("endTs") != "1700000000123" || q.Get("lookback") != "7200000" {
		t.Errorf("query %v", q)
	}
	if len(got) != 7 || got[0] != (backend.Dependency{Parent: "Service1", Child: "Service2", CallCount: 30489}) {
		t.Errorf("deps %+v", got)
	}
}

func TestDependenciesEmpty(t *testing.T) {
	f, srv := newFake(t)
	f.handle("/api/dependencies", jsonBody(captured(t, "v1.76.0", "dependencies.json")))
	got, err := newClient(t, srv.URL, APIAuto).Dependencies(context.Background(), time.Time{}, 0)
	if err != nil || len(got) != 0 {
		t.Errorf("%v %v", got, err)
	}
	if f.last().Query().Get("lookback") != "86400000" {
		t.Errorf("default lookback %v", f.last().Query())
	}
}

func TestNameAndPrefix(t *testing.T) {
	f, srv := newFake(t)
	f.handle("/jaeger/api/v3/services", jsonBody([]byte(`{"services":["a"]}`)))
	u, _ := url.Parse(srv.URL + "/jaeger/")
	u.User = url.UserPassword("user", "hunter2-secret")
	c, err := New(backend.HTTPOptions{URL: u.String()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.Name() != "jaeger "+srv.URL+"/jaeger" {
		t.Errorf("Name %q", c.Name())
	}
	got, err := c.Services(context.Background())
	if err != nil || !slices.Equal(got, []string{"a"}) {
		t.Errorf("%v %v", got, err)
	}
}

func TestUnauthorizedAndUnreachable(t *testing.T) {
	f, srv := newFake(t)
	f.handle("/api/v3/services", jaegerError(401, []byte("Unauthorized\n")))
	_, err := newClient(t, srv.URL, APIAuto).Services(context.Background())
	if !errors.Is(err, backend.ErrUnauthorized) {
		t.Errorf("%v", err)
	}
	srv.Close()
	_, err = newClient(t, srv.URL, APIAuto).Services(context.Background())
	if !errors.Is(err, backend.ErrUnreachable) {
		t.Errorf("%v", err)
	}
}

func TestCorrelationThroughClient(t *testing.T) {
	f, srv := newFake(t)
	f.handle("/api/v3/services", jsonBody([]byte(`{"services":["mobile_api","other"]}`)))
	f.handle("/api/traces", func(w http.ResponseWriter, r *http.Request) {
		var tags map[string]string
		json.Unmarshal([]byte(r.URL.Query().Get("tags")), &tags)
		if r.URL.Query().Get("service") == "mobile_api" && tags["request_id"] == "abc" {
			jsonBody(captured(t, "v1.76.0", "search_mobile_api_tags_minDuration.json"))(w, r)
			return
		}
		jsonBody([]byte(`{"data":[],"errors":null}`))(w, r)
	})
	c := newClient(t, srv.URL, APIAuto)
	got, err := backend.FindByCorrelation(context.Background(), c, nil, "abc", backend.Query{})
	if err != nil || len(got) != 1 || got[0].TraceID.Short() != "a03ee8fff1dcd9b9" {
		t.Errorf("%+v %v", got, err)
	}
}

func TestLooksJSON(t *testing.T) {
	for _, tc := range []struct {
		ct, body string
		want     bool
	}{
		{"application/json", "", true},
		{"application/problem+json", "x", true},
		{"text/plain", ` {"services":[]}`, true},
		{"text/plain", "\n[1]", true},
		{"", `{}`, true},
		{"text/plain", "404 page not found", false},
		{"text/html", `{"looks":"like json"}`, false},
		{"text/html", "<!doctype html>", false},
		{"", "", false},
	} {
		if got := looksJSON(&httpc.Response{ContentType: tc.ct, Body: []byte(tc.body)}); got != tc.want {
			t.Errorf("looksJSON(%q, %q) = %v", tc.ct, tc.body, got)
		}
	}
}

// A URL that misses Jaeger (a wrong path prefix behind a proxy) answers 404
// everywhere: that must read as an error, never as "no traces".
func TestWrongPrefixIsNotEmpty(t *testing.T) {
	for _, body := range []string{"404 page not found\n", "", `{"message":"no route"}`} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, body)
		}))
		for _, api := range []API{APIAuto, APIv3, APIv1} {
			c := newClient(t, srv.URL+"/wrong-prefix", api)
			for _, q := range []backend.Query{{Service: "frontend"}, {Service: "frontend", Tags: []backend.Tag{{Key: "a", Value: "b"}}}} {
				got, err := c.Search(context.Background(), q)
				if err == nil {
					t.Errorf("api %v, 404 %q, query %+v: %v and no error", api, body, q, got)
				}
			}
		}
		srv.Close()
	}
}
