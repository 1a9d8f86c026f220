package backend

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// gatedBackend's searches report how many run at once; the first
// CorrelationConcurrency of them wait for each other, so a lookup that
// never overlaps its searches fails the test instead of passing by luck.
type gatedBackend struct {
	fakeBackend
	inFlight, most, calls atomic.Int32
	gate                  sync.WaitGroup
	panicOn               string
}

func (g *gatedBackend) Search(ctx context.Context, q Query) ([]TraceSummary, error) {
	n := g.inFlight.Add(1)
	defer g.inFlight.Add(-1)
	for {
		m := g.most.Load()
		if n <= m || g.most.CompareAndSwap(m, n) {
			break
		}
	}
	if g.calls.Add(1) <= CorrelationConcurrency {
		g.gate.Done()
		waited := make(chan struct{})
		go func() { g.gate.Wait(); close(waited) }()
		select {
		case <-waited:
		case <-time.After(5 * time.Second):
			return nil, fmt.Errorf("the first %d searches never ran together", CorrelationConcurrency)
		}
	}
	if q.Service == g.panicOn {
		panic("backend bug in " + q.Service)
	}
	return g.fakeBackend.Search(ctx, q)
}

func newGated(services int) *gatedBackend {
	g := &gatedBackend{}
	for i := range services {
		g.services = append(g.services, fmt.Sprintf("svc-%02d", i))
	}
	g.gate.Add(CorrelationConcurrency)
	return g
}

func TestFindByCorrelationBoundsConcurrency(t *testing.T) {
	g := newGated(10)
	if _, err := FindByCorrelation(context.Background(), g, []string{"k1", "k2"}, "X", Query{}); err != nil {
		t.Fatal(err)
	}
	if calls, most := g.calls.Load(), g.most.Load(); calls != 20 || most != CorrelationConcurrency {
		t.Errorf("%d searches, at most %d at once; want 20, %d", calls, most, CorrelationConcurrency)
	}
}

// A panic in a backend's Search reaches the caller's goroutine (where the
// CLI and the TUI recover it), with the worker's stack; it must not kill the
// process from a goroutine nobody recovers.
func TestFindByCorrelationPanicReachesCaller(t *testing.T) {
	g := newGated(10)
	g.panicOn = "svc-07"
	var got any
	func() {
		defer func() { got = recover() }()
		FindByCorrelation(context.Background(), g, []string{"k1", "k2"}, "X", Query{})
	}()
	s := fmt.Sprint(got)
	if got == nil || !strings.Contains(s, "backend bug in svc-07") || !strings.Contains(s, "correlation_test.go") {
		t.Errorf("recovered %q", s)
	}
}

// A search that answers NotFound (a proxy that routes the service list but
// not the search) is a failed search, not an empty one.
func TestFindByCorrelationNotFoundSearchFails(t *testing.T) {
	fb := &fakeBackend{services: []string{"a"}, fail: map[string]error{}}
	for _, k := range DefaultCorrelationKeys() {
		fb.fail["a "+k+"=X"] = &Error{Kind: NotFound, Op: "search", Status: 404}
	}
	res, err := LookUpCorrelation(context.Background(), fb, nil, "X", Query{})
	if KindOf(err) != NotFound || res.Failed != len(DefaultCorrelationKeys()) {
		t.Errorf("every search 404: %+v, %v", res, err)
	}
}

// lookupBackend is fakeBackend with traces to fetch and a record of the
// IDs asked for.
type lookupBackend struct {
	fakeBackend
	traces   map[TraceID]*Trace
	traceErr error
	asked    []TraceID
}

func (l *lookupBackend) Trace(_ context.Context, id TraceID, _ TraceOptions) (*Trace, error) {
	l.asked = append(l.asked, id)
	if l.traceErr != nil {
		return nil, l.traceErr
	}
	if t, ok := l.traces[id]; ok {
		return t, nil
	}
	return nil, &Error{Kind: NotFound, Op: "get trace " + string(id), Offset: -1}
}

func TestLookUp(t *testing.T) {
	const (
		hexID TraceID = "00000000000000000000000000000567"
		decID TraceID = "00000000000000000000000000000237"
	)
	newBackend := func() *lookupBackend {
		return &lookupBackend{
			fakeBackend: fakeBackend{
				services: []string{"a", "b"},
				hits:     map[string][]TraceSummary{"b request_id=567": {{TraceID: "t9", Start: 9}}},
			},
			traces: map[TraceID]*Trace{decID: {ID: decID}},
		}
	}
	ctx := context.Background()

	// The second reading is found: no correlation search, a note says so.
	b := newBackend()
	res, err := LookUp(ctx, b, Lookup{TraceIDs: []TraceID{hexID, decID}, Correlation: "567"})
	if err != nil || res.Trace == nil || res.Trace.ID != decID || res.Searched {
		t.Fatalf("second ID: %+v, %v", res, err)
	}
	if len(b.asked) != 2 || len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "no trace 0000000000000567; found 0000000000000237") {
		t.Errorf("asked %v, notes %q", b.asked, res.Notes)
	}

	// Neither ID exists: the value is tried as a correlation ID.
	b = newBackend()
	res, err = LookUp(ctx, b, Lookup{TraceIDs: []TraceID{hexID}, Correlation: "567", Keys: []string{"request_id"}})
	if err != nil || res.Trace != nil || !res.Searched || !res.Found() || res.Correlation.Traces[0].TraceID != "t9" {
		t.Fatalf("correlation fallback: %+v, %v", res, err)
	}
	if len(res.Notes) != 1 || res.Notes[0] != `no trace 0000000000000567; looking up "567" as a correlation ID` {
		t.Errorf("notes %q", res.Notes)
	}

	// Nothing anywhere: no error (the caller says where it looked), not found.
	res, err = LookUp(ctx, newBackend(), Lookup{TraceIDs: []TraceID{hexID}, Correlation: "nope"})
	if err != nil || res.Found() || !res.Searched {
		t.Errorf("nothing found: %+v, %v", res, err)
	}

	// No correlation value: the fetch's NotFound is the answer.
	_, err = LookUp(ctx, newBackend(), Lookup{TraceIDs: []TraceID{hexID}})
	if KindOf(err) != NotFound {
		t.Errorf("IDs only, not found: %v", err)
	}

	// A correlation value alone searches at once.
	b = newBackend()
	res, err = LookUp(ctx, b, Lookup{Correlation: "567", Keys: []string{"request_id"}})
	if err != nil || len(b.asked) != 0 || !res.Found() || len(res.Notes) != 0 {
		t.Errorf("correlation only: %+v, %v, asked %v", res, err, b.asked)
	}

	// A server that fails is not a missing trace: no fallback.
	b = newBackend()
	b.traceErr = &Error{Kind: Unauthorized, Status: 401, Offset: -1}
	res, err = LookUp(ctx, b, Lookup{TraceIDs: []TraceID{hexID, decID}, Correlation: "567"})
	if KindOf(err) != Unauthorized || res.Searched || len(b.asked) != 1 {
		t.Errorf("unauthorized: %+v, %v, asked %v", res, err, b.asked)
	}

	// Nothing to look up at all.
	if _, err := LookUp(ctx, newBackend(), Lookup{}); KindOf(err) != NotFound {
		t.Errorf("empty lookup: %v", err)
	}
}
