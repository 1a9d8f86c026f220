package demo

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
)

var _ backend.Backend = (*Backend)(nil)
var _ backend.DependencyLister = (*Backend)(nil)

func testNow() time.Time { return time.Date(2026, 3, 14, 15, 9, 26, 535897000, time.UTC) }

// all fetches every trace of the catalogue through the public API.
func all(t *testing.T, b *Backend) []*backend.Trace {
	t.Helper()
	ctx := context.Background()
	sums, err := b.Search(ctx, backend.Query{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var out []*backend.Trace
	for _, s := range sums {
		tr, err := b.Trace(ctx, s.TraceID, backend.TraceOptions{})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, tr)
	}
	return out
}

func get(t *testing.T, b *Backend, id backend.TraceID) *backend.Trace {
	t.Helper()
	tr, err := b.Trace(context.Background(), id, backend.TraceOptions{})
	if err != nil {
		t.Fatalf("trace %s: %v", id, err)
	}
	return tr
}

func TestCatalogueIsDeterministic(t *testing.T) {
	a := all(t, New(testNow()))
	b := all(t, New(testNow()))
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two backends with the same now differ")
	}
	// IDs do not depend on now; times move with it.
	later := all(t, New(testNow().Add(90*time.Minute)))
	if len(later) != len(a) {
		t.Fatalf("%d traces later, %d before", len(later), len(a))
	}
	for i := range a {
		if a[i].ID != later[i].ID || len(a[i].Spans) != len(later[i].Spans) {
			t.Fatalf("trace %d: %s (%d spans) became %s (%d spans)", i, a[i].ID, len(a[i].Spans), later[i].ID, len(later[i].Spans))
		}
		for j := range a[i].Spans {
			x, y := a[i].Spans[j], later[i].Spans[j]
			if x.SpanID != y.SpanID || y.Start-x.Start != int64(90*time.Minute) {
				t.Fatalf("trace %s span %d: %s at %d became %s at %d", a[i].ID, j, x.SpanID, x.Start, y.SpanID, y.Start)
			}
		}
	}
}

func TestCatalogueTracesAreWellFormed(t *testing.T) {
	now := testNow()
	traces := all(t, New(now))
	if len(traces) < 30 || len(traces) > 40 {
		t.Errorf("%d traces, want 30–40", len(traces))
	}
	seen := map[backend.TraceID]bool{}
	errorTraces := 0
	for _, tr := range traces {
		if seen[tr.ID] {
			t.Errorf("trace %s twice", tr.ID)
		}
		seen[tr.ID] = true
		want := shape{}
		switch tr.ID {
		case OrphanTraceID:
			want.orphans = 1
		case SkewTraceID:
			want.skew = true
		}
		checkWellFormed(t, tr, want)
		sum := backend.Summarize(tr)
		if sum.Start < now.Add(-time.Hour).UnixNano() || sum.Start+sum.Duration > now.UnixNano() {
			t.Errorf("trace %s runs %v–%v, not within the hour before now", tr.ID,
				time.Unix(0, sum.Start).UTC(), time.Unix(0, sum.Start+sum.Duration).UTC())
		}
		if sum.ErrorCount > 0 {
			errorTraces++
		}
		if _, ok := correlationOf(tr); !ok {
			t.Errorf("trace %s has no correlation_id on its root", tr.ID)
		}
	}
	if share := float64(errorTraces) / float64(len(traces)); share < 0.15 || share > 0.3 {
		t.Errorf("%d of %d traces have errors (%.0f%%), want about 20%%", errorTraces, len(traces), 100*share)
	}
	for _, id := range []backend.TraceID{CheckoutTraceID, ErrorTraceID, SkewTraceID, BigTraceID, OrphanTraceID, RetryTraceID, SlowTraceID, AsyncErrorTraceID} {
		if !seen[id] {
			t.Errorf("notable trace %s is not in the catalogue", id)
		}
	}
}

func correlationOf(tr *backend.Trace) (string, bool) {
	for i := range tr.Spans {
		if tr.Spans[i].ParentID == "" {
			kv, ok := tr.Spans[i].Tag("correlation_id")
			return kv.Str, ok && strings.HasPrefix(kv.Str, "corr-")
		}
	}
	return "", false
}

func TestNotableCorrelationIDs(t *testing.T) {
	b := New(testNow())
	for id, corr := range map[backend.TraceID]string{
		CheckoutTraceID: CheckoutCorrelationID,
		ErrorTraceID:    ErrorCorrelationID,
		SkewTraceID:     SkewCorrelationID,
		BigTraceID:      BigCorrelationID,
	} {
		got, _ := correlationOf(get(t, b, id))
		if got != corr {
			t.Errorf("trace %s has correlation_id %q, want %q", id, got, corr)
		}
	}
}

func TestErrorTracePropagatesToRoot(t *testing.T) {
	tr := get(t, New(testNow()), ErrorTraceID)
	byID := map[backend.SpanID]*backend.Span{}
	hasErrChild := map[backend.SpanID]bool{}
	for i := range tr.Spans {
		byID[tr.Spans[i].SpanID] = &tr.Spans[i]
	}
	for i := range tr.Spans {
		if s := &tr.Spans[i]; s.Error {
			hasErrChild[s.ParentID] = true
		}
	}
	var origins []*backend.Span
	for i := range tr.Spans {
		if s := &tr.Spans[i]; s.Error && !hasErrChild[s.SpanID] {
			origins = append(origins, s)
		}
	}
	if len(origins) == 0 {
		t.Fatal("no error span")
	}
	chain := 0
	for _, o := range origins {
		s, n := o, 0
		for s.Error {
			n++
			p, ok := byID[s.ParentID]
			if !ok {
				break
			}
			s = p
		}
		if s.Error && s.ParentID == "" {
			chain = max(chain, n)
		}
	}
	if chain < 4 {
		t.Fatalf("no chain of error spans from an origin up to the root (longest %d)", chain)
	}
	var root *backend.Span
	for _, s := range byID {
		if s.ParentID == "" {
			root = s
		}
	}
	if kv, _ := root.Tag("http.status_code"); kv.Num != 502 {
		t.Errorf("root status %s, want 502", kv.Value())
	}
	if kv, _ := root.Tag("otel.status_code"); kv.Str != "ERROR" || root.Status.Code != backend.StatusError {
		t.Errorf("root otel.status_code %q status %v", kv.Str, root.Status)
	}
	exception := false
	for _, s := range byID {
		for _, l := range s.Logs {
			f := map[string]string{}
			for _, kv := range l.Fields {
				f[kv.Key] = kv.Value()
			}
			if f["event"] == "error" && f["error.object"] != "" && f["message"] != "" && strings.Count(f["stack"], "\n") >= 2 {
				exception = true
			}
		}
	}
	if !exception {
		t.Error("no exception log with event=error, error.object, message and a stack")
	}
}

func TestSkewTraceHasServerBeforeClient(t *testing.T) {
	tr := get(t, New(testNow()), SkewTraceID)
	byID := map[backend.SpanID]*backend.Span{}
	for i := range tr.Spans {
		byID[tr.Spans[i].SpanID] = &tr.Spans[i]
	}
	found := 0
	for _, s := range byID {
		p, ok := byID[s.ParentID]
		if ok && s.Kind == backend.KindServer && p.Kind == backend.KindClient && s.Start < p.Start && hostOf(s) != hostOf(p) {
			found++
		}
	}
	if found != 1 {
		t.Fatalf("%d server spans start before their client parent on another host, want 1", found)
	}
	// The other traces have none.
	for _, other := range all(t, New(testNow())) {
		if other.ID == SkewTraceID {
			continue
		}
		for i := range other.Spans {
			s := &other.Spans[i]
			for j := range other.Spans {
				p := &other.Spans[j]
				if p.SpanID == s.ParentID && s.References[0].Type == backend.RefChildOf && s.Start < p.Start {
					t.Fatalf("trace %s: span %s starts before its parent", other.ID, s.SpanID)
				}
			}
		}
	}
}

func TestBigTrace(t *testing.T) {
	tr := get(t, New(testNow()), BigTraceID)
	if len(tr.Spans) <= 10000 {
		t.Fatalf("big trace has %d spans", len(tr.Spans))
	}
	checkWellFormed(t, tr, shape{})
}

func TestOrphanTraceHasOneMissingParent(t *testing.T) {
	tr := get(t, New(testNow()), OrphanTraceID)
	checkWellFormed(t, tr, shape{orphans: 1})
}

func TestRetryTraceRecovers(t *testing.T) {
	tr := get(t, New(testNow()), RetryTraceID)
	sum := backend.Summarize(tr)
	if sum.ErrorCount == 0 {
		t.Fatal("retry trace has no failed attempt")
	}
	for i := range tr.Spans {
		if s := &tr.Spans[i]; s.ParentID == "" && s.Error {
			t.Error("root of the retry trace is an error")
		}
	}
	failed, retried := false, false
	for i := range tr.Spans {
		s := &tr.Spans[i]
		if kv, ok := s.Tag("retry.attempt"); ok && kv.Num == 1 && s.Error {
			failed = true
		}
		if kv, ok := s.Tag("retry.attempt"); ok && kv.Num == 2 && !s.Error {
			retried = true
		}
	}
	if !failed || !retried {
		t.Errorf("failed first attempt %v, successful second attempt %v", failed, retried)
	}
}

func TestBaggageAndLogs(t *testing.T) {
	tr := get(t, New(testNow()), CheckoutTraceID)
	baggageLog, baggageTag, richLog, requestID := false, false, false, false
	for i := range tr.Spans {
		s := &tr.Spans[i]
		for _, l := range s.Logs {
			if len(l.Fields) >= 3 {
				richLog = true
			}
			if l.Fields[0].Key == "event" && l.Fields[0].Str == "baggage" && len(l.Fields) == 3 &&
				l.Fields[1].Key == "key" && l.Fields[2].Key == "value" {
				baggageLog = true
			}
		}
		for _, kv := range s.Tags {
			if strings.HasPrefix(kv.Key, "baggage.") && s.Service != "api-gateway" {
				baggageTag = true
			}
			if kv.Key == "request_id" && strings.HasPrefix(kv.Str, "req-") {
				requestID = true
			}
		}
	}
	if !baggageLog || !baggageTag || !richLog || !requestID {
		t.Errorf("baggage log %v, baggage.* tag downstream %v, log with several fields %v, request_id %v",
			baggageLog, baggageTag, richLog, requestID)
	}
}

func TestProcessesDifferPerInstance(t *testing.T) {
	hosts := map[string]map[string]bool{}
	for _, tr := range all(t, New(testNow())) {
		for i := range tr.Spans {
			s := &tr.Spans[i]
			if hosts[s.Service] == nil {
				hosts[s.Service] = map[string]bool{}
			}
			hosts[s.Service][hostOf(s)] = true
			for _, key := range []string{"hostname", "ip", "service.version"} {
				found := false
				for _, kv := range s.Process.Tags {
					found = found || (kv.Key == key && kv.Str != "")
				}
				if !found {
					t.Fatalf("span %s process lacks %s", s.SpanID, key)
				}
			}
		}
	}
	all := map[string]string{}
	for svc, hs := range hosts {
		if len(hs) < 2 {
			t.Errorf("service %s runs on %d hosts, want several", svc, len(hs))
		}
		for h := range hs {
			if other, ok := all[h]; ok {
				t.Errorf("host %s serves both %s and %s", h, svc, other)
			}
			all[h] = svc
		}
	}
}

func TestServicesAndOperations(t *testing.T) {
	b := New(testNow())
	ctx := context.Background()
	svcs, err := b.Services(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := ServiceNames()
	slices.Sort(want)
	if !slices.Equal(svcs, want) {
		t.Fatalf("services %v, want %v", svcs, want)
	}
	ops, err := b.Operations(ctx, "payment-service")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(ops, backend.Operation{Name: "payment.Charge", Kind: "server"}) ||
		!slices.Contains(ops, backend.Operation{Name: "SELECT payments", Kind: "client"}) ||
		slices.Contains(ops, backend.Operation{Name: "payment.Charge", Kind: "client"}) {
		t.Errorf("payment-service operations %v", ops)
	}
	if !slices.IsSortedFunc(ops, func(a, b backend.Operation) int {
		return strings.Compare(a.Name+"\x00"+a.Kind, b.Name+"\x00"+b.Kind)
	}) {
		t.Errorf("operations not sorted: %v", ops)
	}
	ops, err = b.Operations(ctx, "order-service")
	if err != nil {
		t.Fatal(err)
	}
	// The batch job lives only in the big trace.
	if !slices.Contains(ops, backend.Operation{Name: "import.ProcessChunk", Kind: "internal"}) ||
		!slices.Contains(ops, backend.Operation{Name: "payment.Charge", Kind: "client"}) {
		t.Errorf("order-service operations %v", ops)
	}
	ops, err = b.Operations(ctx, "no-such-service")
	if err != nil || len(ops) != 0 {
		t.Errorf("unknown service: %v, %v", ops, err)
	}
}

func TestTraceLookup(t *testing.T) {
	b := New(testNow())
	ctx := context.Background()
	_, err := b.Trace(ctx, "0123456789abcdef0123456789abcdef", backend.TraceOptions{})
	if !errors.Is(err, backend.ErrNotFound) {
		t.Fatalf("unknown ID: %v", err)
	}
	// A 64-bit ID may be given in its short form.
	if !strings.HasPrefix(string(LoginTraceID), "0000000000000000") {
		t.Fatalf("login trace %s is not a 64-bit ID", LoginTraceID)
	}
	tr, err := b.Trace(ctx, backend.TraceID(LoginTraceID.Short()), backend.TraceOptions{})
	if err != nil || tr.ID != LoginTraceID {
		t.Fatalf("short ID: %v, %v", tr, err)
	}
	// Callers may change what they get without changing the catalogue.
	tr = get(t, b, CheckoutTraceID)
	tr.Spans[0].Operation = "changed"
	tr.Spans[0].Tags[0].Str = "changed"
	tr.Spans[0].Process.Service = "changed"
	tr.Spans = tr.Spans[:1]
	again := get(t, b, CheckoutTraceID)
	if again.Spans[0].Operation == "changed" || again.Spans[0].Tags[0].Str == "changed" ||
		again.Spans[0].Process.Service == "changed" || len(again.Spans) == 1 {
		t.Fatal("a caller's change leaked into the catalogue")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := b.Trace(cctx, CheckoutTraceID, backend.TraceOptions{}); !errors.Is(err, backend.ErrCanceled) {
		t.Errorf("cancelled context: %v", err)
	}
	if _, err := b.Search(cctx, backend.Query{}); !errors.Is(err, backend.ErrCanceled) {
		t.Errorf("cancelled search: %v", err)
	}
	if b.Name() != "demo" {
		t.Errorf("name %q", b.Name())
	}
}

func ids(sums []backend.TraceSummary) []backend.TraceID {
	var out []backend.TraceID
	for _, s := range sums {
		out = append(out, s.TraceID)
	}
	return out
}

func TestSearch(t *testing.T) {
	now := testNow()
	b := New(now)
	ctx := context.Background()
	search := func(q backend.Query) []backend.TraceSummary {
		t.Helper()
		res, err := b.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}

	res := search(backend.Query{})
	if len(res) != backend.DefaultLimit {
		t.Errorf("default search gave %d, want the default limit %d", len(res), backend.DefaultLimit)
	}
	everything := search(backend.Query{Limit: 1000})
	if !slices.IsSortedFunc(everything, func(a, b backend.TraceSummary) int { return int(b.Start - a.Start) }) {
		t.Error("results not newest first")
	}
	if len(search(backend.Query{Limit: 3})) != 3 {
		t.Error("limit not honoured")
	}
	if got := search(backend.Query{Start: now.Add(-3 * time.Hour), End: now.Add(-2 * time.Hour)}); len(got) != 0 {
		t.Errorf("a window before the catalogue found %d traces", len(got))
	}
	if got := search(backend.Query{Start: now.Add(-time.Hour), End: now, Limit: 1000}); len(got) != len(everything) {
		t.Errorf("the last hour found %d of %d", len(got), len(everything))
	}

	pay := search(backend.Query{Service: "payment-service", Limit: 1000})
	if len(pay) == 0 || len(pay) == len(everything) {
		t.Errorf("payment-service found %d of %d", len(pay), len(everything))
	}
	for _, s := range pay {
		if !slices.ContainsFunc(s.Services, func(c backend.ServiceCount) bool { return c.Name == "payment-service" }) {
			t.Errorf("trace %s found for payment-service has none of its spans", s.TraceID)
		}
	}

	got := ids(search(backend.Query{Tags: []backend.Tag{{Key: "correlation_id", Value: ErrorCorrelationID}}}))
	if !slices.Equal(got, []backend.TraceID{ErrorTraceID}) {
		t.Errorf("correlation_id=%s found %v", ErrorCorrelationID, got)
	}
	got = ids(search(backend.Query{Service: "payment-service", Tags: []backend.Tag{{Key: "error", Value: "true"}}, Limit: 1000}))
	if !slices.Contains(got, ErrorTraceID) || slices.Contains(got, CheckoutTraceID) {
		t.Errorf("payment-service error=true found %v", got)
	}
	got = ids(search(backend.Query{Service: "order-service", Operation: "import.ProcessChunk"}))
	if !slices.Equal(got, []backend.TraceID{BigTraceID}) {
		t.Errorf("the batch operation found %v", got)
	}
	got = ids(search(backend.Query{MinDuration: 2 * time.Second, Limit: 1000}))
	if !slices.Contains(got, SlowTraceID) || slices.Contains(got, CheckoutTraceID) {
		t.Errorf("spans over 2s found %v", got)
	}
	// A process tag is searchable too.
	tr := get(t, b, SkewTraceID)
	host := hostOf(&tr.Spans[0])
	for _, s := range search(backend.Query{Tags: []backend.Tag{{Key: "host.name", Value: host}}, Limit: 1000}) {
		if s.TraceID == SkewTraceID {
			return
		}
	}
	t.Errorf("host.name=%s did not find the trace it served", host)
}

func TestFindByCorrelation(t *testing.T) {
	b := New(testNow())
	res, err := backend.FindByCorrelation(context.Background(), b, nil, CheckoutCorrelationID, backend.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res); !slices.Equal(got, []backend.TraceID{CheckoutTraceID}) {
		t.Errorf("correlation %s found %v", CheckoutCorrelationID, got)
	}
	tr := get(t, b, ErrorTraceID)
	var reqID string
	for i := range tr.Spans {
		if kv, ok := tr.Spans[i].Tag("request_id"); ok {
			reqID = kv.Str
		}
	}
	res, err = backend.FindByCorrelation(context.Background(), b, nil, reqID, backend.Query{})
	if err != nil || !slices.Equal(ids(res), []backend.TraceID{ErrorTraceID}) {
		t.Errorf("request_id %q found %v, %v", reqID, ids(res), err)
	}
}

func TestDependencies(t *testing.T) {
	now := testNow()
	b := New(now)
	deps, err := b.Dependencies(context.Background(), now, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	find := func(p, c string) backend.Dependency {
		for _, d := range deps {
			if d.Parent == p && d.Child == c {
				return d
			}
		}
		return backend.Dependency{}
	}
	for _, e := range [][2]string{
		{"api-gateway", "order-service"}, {"api-gateway", "user-service"}, {"order-service", "inventory-service"},
		{"order-service", "payment-service"}, {"payment-service", "notification-service"},
	} {
		if d := find(e[0], e[1]); d.CallCount == 0 {
			t.Errorf("no edge %s → %s in %v", e[0], e[1], deps)
		}
	}
	if d := find("order-service", "payment-service"); d.ErrorCount == 0 || d.ErrorCount >= d.CallCount {
		t.Errorf("order-service → payment-service: %+v", d)
	}
	if d := find("api-gateway", "payment-service"); d.CallCount != 0 {
		t.Errorf("gateway calls payment-service directly: %+v", d)
	}
	deps, err = b.Dependencies(context.Background(), now.Add(-2*time.Hour), time.Hour)
	if err != nil || len(deps) != 0 {
		t.Errorf("dependencies before the catalogue: %v, %v", deps, err)
	}
}

func TestNewDoesNotBuildTheBigTrace(t *testing.T) {
	b := New(testNow())
	if b.big.built.Load() {
		t.Fatal("New built the big trace")
	}
	get(t, b, BigTraceID)
	if !b.big.built.Load() {
		t.Fatal("fetching the big trace did not build it")
	}
}
