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
