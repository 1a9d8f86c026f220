package backend

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tracetui/tracetui/internal/crash"
)

// traceBackend answers Trace from a table, fails the IDs in fail, and
// counts the requests in flight so that the test sees the bound.
type traceBackend struct {
	fail           map[TraceID]bool
	block          chan struct{}
	inFlight, most atomic.Int32
	calls          atomic.Int32
	panicOn        TraceID
	started        chan struct{}
}

func (f *traceBackend) Name() string                                            { return "traces" }
func (f *traceBackend) Services(context.Context) ([]string, error)              { return nil, nil }
func (f *traceBackend) Operations(context.Context, string) ([]Operation, error) { return nil, nil }
func (f *traceBackend) Search(context.Context, Query) ([]TraceSummary, error)   { return nil, nil }
func (f *traceBackend) Trace(ctx context.Context, id TraceID, _ TraceOptions) (*Trace, error) {
	f.calls.Add(1)
	n := f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	for {
		m := f.most.Load()
		if n <= m || f.most.CompareAndSwap(m, n) {
			break
		}
	}
	if id == f.panicOn {
		panic("backend bug")
	}
	if f.started != nil {
		select {
		case f.started <- struct{}{}:
		default:
		}
	}
	if f.block != nil {
		select {
		case <-f.block:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	time.Sleep(time.Millisecond) // let the other workers overlap
	if f.fail[id] {
		return nil, &Error{Kind: NotFound, Op: "get trace"}
	}
	return &Trace{ID: id}, nil
}

func fetchIDs(n int) []TraceID {
	ids := make([]TraceID, n)
	for i := range ids {
		ids[i] = TraceID(fmt.Sprintf("%032x", i+1))
	}
	return ids
}

func TestFetchTracesEveryIDOnceBounded(t *testing.T) {
	ids := fetchIDs(30)
	f := &traceBackend{fail: map[TraceID]bool{ids[3]: true, ids[17]: true}}
	var got, failed []TraceID
	err := FetchTraces(context.Background(), f, ids, 4, func(id TraceID, tr *Trace, err error) {
		if err != nil {
			if !errors.Is(err, ErrNotFound) || tr != nil {
				t.Errorf("%s: %v %v", id, tr, err)
			}
			failed = append(failed, id)
			return
		}
		if tr.ID != id {
			t.Errorf("trace %s for %s", tr.ID, id)
		}
		got = append(got, id)
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	slices.Sort(failed)
	if len(got) != 28 || !slices.Equal(failed, []TraceID{ids[3], ids[17]}) || slices.Contains(got, ids[3]) {
		t.Fatalf("got %d, failed %v", len(got), failed)
	}
	if m := f.most.Load(); m > 4 || m < 1 {
		t.Fatalf("%d requests at once, want at most 4", m)
	}
	if c := f.calls.Load(); c != 30 {
		t.Fatalf("%d calls for 30 traces", c)
	}
}

func TestFetchTracesCancelled(t *testing.T) {
	f := &traceBackend{block: make(chan struct{}), started: make(chan struct{}, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	called := 0
	go func() {
		done <- FetchTraces(ctx, f, fetchIDs(100), 4, func(TraceID, *Trace, error) { called++ })
	}()
	<-f.started
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) || called != 0 {
			t.Fatalf("err %v, each called %d times", err, called)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("not cancelled")
	}
	if c := f.calls.Load(); c > 4 {
		t.Fatalf("%d requests made, want no more than the 4 in flight", c)
	}
}

func TestFetchTracesPanicReachesCaller(t *testing.T) {
	ids := fetchIDs(10)
	f := &traceBackend{panicOn: ids[5]}
	defer func() {
		p := recover()
		if p == nil {
			t.Fatal("no panic")
		}
		if _, ok := p.(*crash.Relayed); !ok {
			t.Fatalf("panic %T %v", p, p)
		}
	}()
	_ = FetchTraces(context.Background(), f, ids, 4, func(TraceID, *Trace, error) {})
}

func TestFetchTracesNone(t *testing.T) {
	if err := FetchTraces(context.Background(), &traceBackend{}, nil, 4, func(TraceID, *Trace, error) { t.Fatal("called") }); err != nil {
		t.Fatal(err)
	}
}
