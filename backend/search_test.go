package backend

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// serviceBackend refuses a search without a service, as Jaeger's
// /api/traces does, and answers per service from its table. It counts the
// searches in flight, so that the test sees the bound.
type serviceBackend struct {
	services []string
	traces   map[string][]TraceSummary // by service
	fail     map[string]error
	result   map[string]SearchResult // when set, SearchResult answers from it

	mu       sync.Mutex
	asked    []Query
	inFlight atomic.Int32
	most     atomic.Int32
}

func (f *serviceBackend) Name() string                                            { return "svc" }
func (f *serviceBackend) Services(context.Context) ([]string, error)              { return f.services, nil }
func (f *serviceBackend) Operations(context.Context, string) ([]Operation, error) { return nil, nil }
func (f *serviceBackend) Trace(context.Context, TraceID, TraceOptions) (*Trace, error) {
	return nil, &Error{Kind: NotFound}
}

func (f *serviceBackend) Search(ctx context.Context, q Query) ([]TraceSummary, error) {
	n := f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	for m := f.most.Load(); n > m && !f.most.CompareAndSwap(m, n); m = f.most.Load() {
	}
	f.mu.Lock()
	f.asked = append(f.asked, q)
	f.mu.Unlock()
	if q.Service == "" {
		return nil, &Error{Kind: BadResponse, Op: "search", Status: 400, Excerpt: "parameter 'service' is required", Err: ErrServiceRequired}
	}
	if q.Service == "boom" {
		panic("backend bug in boom")
	}
	if err := f.fail[q.Service]; err != nil {
		return nil, err
	}
	return NewestFirst(slices.Clone(f.traces[q.Service]), q.EffectiveLimit()), nil
}

// resultBackend is serviceBackend with SearchResult.
type resultBackend struct{ *serviceBackend }

func (r resultBackend) SearchResult(ctx context.Context, q Query) (SearchResult, error) {
	traces, err := r.Search(ctx, q)
	if err != nil {
		return SearchResult{}, err
	}
	res := r.result[q.Service]
	res.Traces, res.Limit = traces, q.EffectiveLimit()
	return res, nil
}

func summaries(prefix string, n int, start int64) []TraceSummary {
	out := make([]TraceSummary, n)
	for i := range out {
		out[i] = TraceSummary{TraceID: TraceID(fmt.Sprintf("%s-%02d", prefix, i)), Start: start + int64(i)}
	}
	return out
}

func traceIDs(s []TraceSummary) []TraceID {
	var out []TraceID
	for _, x := range s {
		out = append(out, x.TraceID)
	}
	return out
}

func TestFindWithServiceSearchesOnce(t *testing.T) {
	f := &serviceBackend{services: []string{"a", "b"}, traces: map[string][]TraceSummary{"a": summaries("a", 3, 10)}}
	res, err := Find(context.Background(), f, Query{Service: "a", Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Traces) != 3 || !res.LimitReached || res.Limit != 3 || res.PerService != 0 || len(f.asked) != 1 {
		t.Errorf("one search of a with 3 of limit 3: %+v, asked %v", res, f.asked)
	}
	res, _ = Find(context.Background(), f, Query{Service: "a", Limit: 4})
	if res.LimitReached {
		t.Errorf("3 traces of limit 4 reported the limit reached")
	}
	if res.Headline() != "3 shown" || len(res.Notes()) != 0 {
		t.Errorf("headline %q notes %q", res.Headline(), res.Notes())
	}
}

// A search without a service that the server refuses runs once per service,
// at most CorrelationConcurrency at once, merged newest first.
func TestFindWithoutServiceSearchesEachService(t *testing.T) {
	f := &serviceBackend{traces: map[string][]TraceSummary{}}
	for i := range 12 {
		s := fmt.Sprintf("svc-%02d", i)
		f.services = append(f.services, s)
		f.traces[s] = summaries(s, 3, int64(100*i))
	}
	res, err := Find(context.Background(), f, Query{Tags: []Tag{{Key: "k", Value: "v"}}, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	want := []TraceID{"svc-11-02", "svc-11-01", "svc-11-00", "svc-10-02", "svc-10-01"}
	if got := traceIDs(res.Traces); !slices.Equal(got, want) {
		t.Errorf("merged %v, want %v", got, want)
	}
	if !res.LimitReached || res.PerService != 12 || res.Failed != 0 {
		t.Errorf("result %+v", res)
	}
	if len(f.asked) != 13 {
		t.Errorf("%d searches, want the refused one and 12", len(f.asked))
	}
	for _, q := range f.asked[1:] {
		if len(q.Tags) != 1 || q.Limit != 5 {
			t.Errorf("per-service query lost its conditions: %+v", q)
		}
	}
	if m := f.most.Load(); m > CorrelationConcurrency {
		t.Errorf("%d searches at once, bound %d", m, CorrelationConcurrency)
	}
	if n := res.Notes(); len(n) != 1 || !strings.Contains(n[0], "each of its 12 services") {
		t.Errorf("notes %q", n)
	}
	if h := res.Headline(); h != "5 shown · limit reached" {
		t.Errorf("headline %q", h)
	}
}

// Failed per-service searches are counted and said; all failing is the
// first error; other errors are not fanned out.
func TestFindPerServiceFailures(t *testing.T) {
	f := &serviceBackend{services: []string{"a", "b", "c"}, traces: map[string][]TraceSummary{"a": summaries("a", 1, 1)},
		fail: map[string]error{"b": &Error{Kind: Timeout, Op: "search b"}}}
	res, err := Find(context.Background(), f, Query{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed != 1 || res.PerService != 3 || KindOf(res.FirstError) != Timeout || len(res.Traces) != 1 || res.LimitReached {
		t.Errorf("result %+v", res)
	}
	if n := res.Notes(); len(n) != 1 || !strings.Contains(n[0], "1 of those searches failed, so a trace may be missing") {
		t.Errorf("notes %q", n)
	}
	all := &serviceBackend{services: []string{"a", "b"}, fail: map[string]error{
		"a": &Error{Kind: Unauthorized}, "b": &Error{Kind: Unauthorized}}}
	if _, err := Find(context.Background(), all, Query{}); KindOf(err) != Unauthorized {
		t.Errorf("every search failed: %v", err)
	}
	other := &serviceBackend{services: []string{"a"}, fail: map[string]error{"a": errors.New("x")}}
	if _, err := Find(context.Background(), other, Query{Service: "a"}); err == nil || len(other.asked) != 1 {
		t.Errorf("a plain error was fanned out or lost: %v, %v", err, other.asked)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Find(ctx, f, Query{}); KindOf(err) != Canceled {
		t.Errorf("canceled: %v", err)
	}
}

// SearchResult's own findings survive the merge: what was checked here,
// how many traces were looked at, a limit reached by one service.
func TestFindMergesResultSearchers(t *testing.T) {
	errTag := Tag{Key: "error", Value: "true"}
	sb := &serviceBackend{services: []string{"a", "b"}, traces: map[string][]TraceSummary{
		"a": summaries("a", 2, 1), "b": summaries("b", 1, 5)},
		result: map[string]SearchResult{
			"a": {Checked: []Tag{errTag}, Scanned: 100, LimitReached: true, CheckedWhy: "why"},
			"b": {Checked: []Tag{errTag}, Scanned: 7},
		}}
	res, err := Find(context.Background(), resultBackend{sb}, Query{Tags: []Tag{errTag}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Scanned != 107 || !slices.Equal(res.Checked, []Tag{errTag}) || !res.LimitReached || res.CheckedWhy != "why" || len(res.Traces) != 3 {
		t.Errorf("merged %+v", res)
	}
	if h := res.Headline(); h != "3 shown · 107 traces looked at for error=true · limit reached" {
		t.Errorf("headline %q", h)
	}
	n := res.Notes()
	if len(n) != 2 || n[0] != "error=true checked by tracetui in the 107 newest traces matching the rest of the search: why" {
		t.Errorf("notes %q", n)
	}
}

func TestFindPanicReachesCaller(t *testing.T) {
	f := &serviceBackend{services: []string{"a", "boom", "c"}}
	var got any
	func() {
		defer func() { got = recover() }()
		Find(context.Background(), f, Query{})
	}()
	if s := fmt.Sprint(got); got == nil || !strings.Contains(s, "backend bug in boom") {
		t.Errorf("recovered %q", s)
	}
}
