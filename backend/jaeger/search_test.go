package jaeger

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/jaegerjson"
	"github.com/tracetui/tracetui/backend/otlp"
)

// v2store is a fake Jaeger v2.12 query service over a few traces, as its
// memory store answers: api_v3 searches need no service and ignore
// query.attributes; /api/traces needs a service and matches tags against
// stored attributes only, so an OTel span's error (its status) is never
// found by error=true. With summaries, it also serves trace-summaries as
// Jaeger 2.19 does (attributes matched the same way).
type v2store struct {
	traces    []*backend.Trace
	summaries bool

	mu  sync.Mutex
	got []string // "path?query" of each request
}

func (s *v2store) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.got)
}

func (s *v2store) register(f *fake) {
	record := func(r *http.Request) {
		s.mu.Lock()
		s.got = append(s.got, r.URL.Path+"?"+r.URL.RawQuery)
		s.mu.Unlock()
	}
	f.handle("/api/v3/services", func(w http.ResponseWriter, r *http.Request) {
		record(r)
		var names []string
		for _, t := range s.traces {
			for i := range t.Spans {
				if !slices.Contains(names, t.Spans[i].Service) {
					names = append(names, t.Spans[i].Service)
				}
			}
		}
		b, _ := json.Marshal(map[string][]string{"services": names})
		w.Write(b)
	})
	f.handle("/api/v3/traces", func(w http.ResponseWriter, r *http.Request) {
		record(r)
		p := r.URL.Query()
		found := s.find(p.Get("query.service_name"), nil, p.Get("query.num_traces"))
		if len(found) == 0 {
			jaegerError(404, []byte(`{"error":{"httpCode":404,"message":"No traces found"}}`))(w, r)
			return
		}
		var b bytes.Buffer
		otlp.Encode(&b, found)
		w.Write([]byte(`{"result":` + strings.TrimSpace(b.String()) + `}`))
	})
	f.handle("/api/traces", func(w http.ResponseWriter, r *http.Request) {
		record(r)
		p := r.URL.Query()
		if p.Get("service") == "" {
			jaegerError(400, []byte(`{"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":400,"msg":"parameter 'service' is required"}]}`))(w, r)
			return
		}
		var tags map[string]string
		json.Unmarshal([]byte(p.Get("tags")), &tags)
		var b bytes.Buffer
		jaegerjson.Encode(&b, s.find(p.Get("service"), tags, p.Get("limit")))
		jsonBody(b.Bytes())(w, r)
	})
	if !s.summaries {
		return
	}
	f.handle("/api/v3/trace-summaries", func(w http.ResponseWriter, r *http.Request) {
		record(r)
		p := r.URL.Query()
		var tags map[string]string
		json.Unmarshal([]byte(p.Get("query.attributes")), &tags)
		type svc struct {
			Name           string `json:"name"`
			SpanCount      int    `json:"spanCount"`
			ErrorSpanCount int    `json:"errorSpanCount"`
		}
		type summary struct {
			TraceID        string `json:"traceId"`
			MinStart       string `json:"minStartTimeUnixNano"`
			MaxEnd         string `json:"maxEndTimeUnixNano"`
			SpanCount      int    `json:"spanCount"`
			ErrorSpanCount int    `json:"errorSpanCount"`
			Services       []svc  `json:"services"`
		}
		out := struct {
			Summaries []summary `json:"summaries"`
		}{Summaries: []summary{}}
		for _, t := range s.find(p.Get("query.service_name"), tags, p.Get("query.num_traces")) {
			sum := backend.Summarize(t)
			sm := summary{TraceID: string(t.ID), MinStart: strconv.FormatInt(sum.Start, 10),
				MaxEnd: strconv.FormatInt(sum.Start+sum.Duration, 10), SpanCount: sum.SpanCount, ErrorSpanCount: sum.ErrorCount}
			for _, c := range sum.Services {
				sm.Services = append(sm.Services, svc{c.Name, c.SpanCount, c.ErrorCount})
			}
			out.Summaries = append(out.Summaries, sm)
		}
		b, _ := json.Marshal(out)
		jsonBody(b)(w, r)
	})
}

// find returns the newest traces (at most limit) with a span of the
// service that has every tag as a stored attribute.
func (s *v2store) find(service string, tags map[string]string, limit string) []*backend.Trace {
	n, _ := strconv.Atoi(limit)
	var out []*backend.Trace
	for _, t := range s.traces {
		if slices.ContainsFunc(t.Spans, func(sp backend.Span) bool {
			if service != "" && sp.Service != service {
				return false
			}
			for k, v := range tags {
				kv, ok := sp.Tag(k)
				if !ok || kv.Value() != v {
					return false
				}
			}
			return true
		}) {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b *backend.Trace) int { return int(b.Spans[0].Start - a.Spans[0].Start) })
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

// hotrod builds a HotROD-like trace: frontend calls redis; when failed,
// redis's span has OTel status ERROR and no error tag, as the OTel SDK
// records it. zipkinErr gives the frontend span a Zipkin-style error tag
// instead.
func hotrod(n int, start time.Time, failed, zipkinErr bool) *backend.Trace {
	id := backend.TraceID(fmt.Sprintf("%032x", 0xabc000+n))
	fe := &backend.Process{Service: "frontend"}
	rd := &backend.Process{Service: "redis"}
	t0 := start.UnixNano()
	root := backend.Span{TraceID: id, SpanID: "0000000000000001", Service: "frontend", Process: fe,
		Operation: "HTTP GET /dispatch", Kind: backend.KindServer, Start: t0, Duration: int64(700 * time.Millisecond),
		Tags: []backend.KeyValue{backend.String("http.method", "GET")}}
	if zipkinErr {
		root.Tags = append(root.Tags, backend.String("error", "true"))
	}
	child := backend.Span{TraceID: id, SpanID: "0000000000000002", Service: "redis", Process: rd,
		Operation: "GetDriver", Kind: backend.KindClient, Start: t0 + 1000, Duration: int64(30 * time.Millisecond),
		References: []backend.Ref{{Type: backend.RefChildOf, TraceID: id, SpanID: "0000000000000001"}},
		Tags:       []backend.KeyValue{backend.String("param.driverID", "T7")}}
	if failed {
		child.Status = backend.Status{Code: backend.StatusError, Message: "redis timeout"}
	}
	root.Finish()
	child.Finish()
	return &backend.Trace{ID: id, Spans: []backend.Span{root, child}}
}

// fixtureStore holds 6 traces a minute apart, newest last: 0, 2 and 4
// failed in redis (status only), 5 failed in frontend (an error tag).
func fixtureStore(summaries bool) *v2store {
	now := time.Now().Add(-10 * time.Minute)
	s := &v2store{summaries: summaries}
	for i := range 6 {
		s.traces = append(s.traces, hotrod(i, now.Add(time.Duration(i)*time.Minute), i%2 == 0 && i < 5, i == 5))
	}
	return s
}

func ids(res backend.SearchResult) []string {
	var out []string
	for _, t := range res.Traces {
		out = append(out, strings.TrimLeft(string(t.TraceID), "0"))
	}
	return out
}

// error=true on a Jaeger that cannot search it (v2.12: every OTel error is
// a status) finds the failed traces by checking them here, and says how
// many it looked at; with no service, the scan uses api_v3's own
// service-less search.
func TestSearchErrorTrueCheckedHere(t *testing.T) {
	for _, summaries := range []bool{false, true} {
		t.Run(fmt.Sprintf("summaries=%v", summaries), func(t *testing.T) {
			s := fixtureStore(summaries)
			f, srv := newFake(t)
			s.register(f)
			c := newClient(t, srv.URL, APIAuto)
			errTrue := []backend.Tag{{Key: "error", Value: "true"}}
			res, err := c.SearchResult(context.Background(), backend.Query{Tags: errTrue})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := ids(res), []string{"abc005", "abc004", "abc002", "abc000"}; !slices.Equal(got, want) {
				t.Errorf("error traces %v, want %v (requests %v)", got, want, s.requests())
			}
			if !slices.Equal(res.Checked, errTrue) || res.Scanned != 6 || res.LimitReached {
				t.Errorf("result %+v", res)
			}
			if h := res.Headline(); h != "4 shown · 6 traces looked at for error=true" {
				t.Errorf("headline %q", h)
			}
			if n := res.Notes(); len(n) != 1 || !strings.Contains(n[0], "6 newest traces") || !strings.Contains(n[0], "status") {
				t.Errorf("notes %q", n)
			}
			// The scan asked for scanDepth(20) traces with no attributes.
			scanned := false
			for _, r := range s.requests() {
				if strings.Contains(r, "num_traces=100") && !strings.Contains(r, "attributes") {
					scanned = true
				}
			}
			if !scanned {
				t.Errorf("no scan of 100 traces without the error tag: %v", s.requests())
			}
			if summaries {
				// Jaeger ≥ 2.19: summaries only, whole traces when one is opened.
				for _, r := range s.requests() {
					if !strings.HasPrefix(r, "/api/v3/trace-summaries?") {
						t.Errorf("request %s besides trace-summaries", r)
					}
				}
			}

			// On redis, with a limit that cuts: newest first, limit reached.
			res, err = c.SearchResult(context.Background(), backend.Query{Service: "redis", Tags: errTrue, Limit: 2})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(res); !slices.Equal(got, []string{"abc004", "abc002"}) || !res.LimitReached || res.Scanned != 6 {
				t.Errorf("redis error traces %v, %+v", got, res)
			}
			if h := res.Headline(); h != "2 shown · 6 traces looked at for error=true · limit reached" {
				t.Errorf("headline %q", h)
			}

			// frontend's own spans failed only in trace 5: the error must be
			// on a span of the service asked for, as in Jaeger's search.
			res, err = c.SearchResult(context.Background(), backend.Query{Service: "frontend", Tags: errTrue})
			if err != nil || !slices.Equal(ids(res), []string{"abc005"}) {
				t.Errorf("frontend error traces %v, %v", ids(res), err)
			}

			// A scan that returns as many traces as it asked for says so.
			res, err = c.SearchResult(context.Background(), backend.Query{Tags: errTrue, Limit: 1})
			if err != nil || !res.LimitReached || res.Scanned != 5 || len(res.Traces) != 1 {
				t.Errorf("limit 1 scans 5: %+v, %v", res, err)
			}
		})
	}
}

// error=false and the other derived tags are checked on whole traces; a
// summary cannot tell a span's kind.
func TestSearchDerivedTagsNeedWholeTraces(t *testing.T) {
	s := fixtureStore(true)
	f, srv := newFake(t)
	s.register(f)
	c := newClient(t, srv.URL, APIAuto)
	res, err := c.SearchResult(context.Background(), backend.Query{Service: "redis",
		Tags: []backend.Tag{{Key: "span.kind", Value: "client"}, {Key: "otel.status_description", Value: "redis timeout"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res); !slices.Equal(got, []string{"abc004", "abc002", "abc000"}) {
		t.Errorf("got %v", got)
	}
	last := s.requests()[len(s.requests())-1]
	if !strings.HasPrefix(last, "/api/v3/traces?") {
		t.Errorf("scan went to %s, not to whole traces", last)
	}
	res, err = c.SearchResult(context.Background(), backend.Query{Service: "frontend",
		Tags: []backend.Tag{{Key: "span.kind", Value: "client"}}})
	if err != nil || len(res.Traces) != 0 || len(res.Checked) != 1 || res.Scanned != 6 {
		t.Errorf("frontend has no client spans: %+v %v", res, err)
	}
}

// A plain tag search without a service on a server whose only tag search
// is /api/traces runs once per service; never the raw 400.
func TestSearchWithoutServiceFansOut(t *testing.T) {
	s := fixtureStore(false)
	f, srv := newFake(t)
	s.register(f)
	c := newClient(t, srv.URL, APIAuto)
	q := backend.Query{Tags: []backend.Tag{{Key: "param.driverID", Value: "T7"}}}
	_, err := c.SearchResult(context.Background(), q)
	if !errors.Is(err, backend.ErrServiceRequired) {
		t.Fatalf("SearchResult without a service: %v", err)
	}
	res, err := backend.Find(context.Background(), c, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Traces) != 6 || res.PerService != 2 || res.Failed != 0 {
		t.Errorf("fanned out %+v", res)
	}
	// Search does the same, for callers that know only the interface.
	got, err := c.Search(context.Background(), q)
	if err != nil || len(got) != 6 {
		t.Errorf("Search: %d traces, %v", len(got), err)
	}
	// No tags: api_v3 searches every service itself.
	before := len(s.requests())
	res, err = backend.Find(context.Background(), c, backend.Query{Limit: 3})
	if err != nil || len(res.Traces) != 3 || !res.LimitReached || res.PerService != 0 || len(s.requests()) != before+1 {
		t.Errorf("service-less without tags: %+v %v, requests %v", res, err, s.requests()[before:])
	}
}

// A store that needs a service behind api_v3 (Elasticsearch) is found out
// by its message, and only for searches without one.
func TestSearchServiceRequiredByStore(t *testing.T) {
	f, srv := newFake(t)
	f.handle("/api/v3/traces", jaegerError(500, []byte(`{"error":{"httpCode":500,"message":"service Name must be set"}}`)))
	c := newClient(t, srv.URL, APIv3)
	_, err := c.SearchResult(context.Background(), backend.Query{})
	if !errors.Is(err, backend.ErrServiceRequired) {
		t.Errorf("no service: %v", err)
	}
	_, err = c.SearchResult(context.Background(), backend.Query{Service: "a"})
	if err == nil || errors.Is(err, backend.ErrServiceRequired) {
		t.Errorf("with a service: %v", err)
	}
}

// Where api_v3 ignores attributes (before 2.19, forced here), the server's
// answer to an error search already is a scan checked here: one request.
func TestSearchErrorTrueOnV3WithoutAttributes(t *testing.T) {
	s := fixtureStore(false)
	f, srv := newFake(t)
	s.register(f)
	c := newClient(t, srv.URL, APIv3)
	res, err := c.SearchResult(context.Background(), backend.Query{Service: "redis", Tags: []backend.Tag{{Key: "error", Value: "true"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res); !slices.Equal(got, []string{"abc004", "abc002", "abc000"}) || res.Scanned != 6 || len(res.Checked) != 1 {
		t.Errorf("got %v, %+v", got, res)
	}
	if r := s.requests(); len(r) != 1 || !strings.Contains(r[0], "num_traces=100") {
		t.Errorf("requests %v", r)
	}
}
