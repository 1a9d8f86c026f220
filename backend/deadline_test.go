package backend

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// slowBackend's searches each wait out a deadline of their own timeout, as
// an HTTP client's do, and record the deadline they ran under.
type slowBackend struct {
	fakeBackend
	timeout   time.Duration
	mu        sync.Mutex
	deadlines []time.Time
}

func (s *slowBackend) Timeout() time.Duration { return s.timeout }

func (s *slowBackend) Search(ctx context.Context, q Query) ([]TraceSummary, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	dl, _ := ctx.Deadline()
	s.mu.Lock()
	s.deadlines = append(s.deadlines, dl)
	s.mu.Unlock()
	<-ctx.Done()
	return nil, &Error{Kind: Timeout, Offset: -1, Err: ctx.Err()}
}

// TestCorrelationLookupSharesOneDeadline: 120 searches that each take the
// whole timeout end within one timeout, not 120/4 of them (before: each
// search had a fresh deadline, and 120 searches of 2 s took 60 s).
func TestCorrelationLookupSharesOneDeadline(t *testing.T) {
	sb := &slowBackend{timeout: 300 * time.Millisecond}
	for i := range 20 {
		sb.services = append(sb.services, fmt.Sprintf("svc-%02d", i))
	}
	res, err := LookUpCorrelation(context.Background(), sb, nil, "X", Query{})
	if err == nil {
		t.Fatal("no error from a lookup whose searches all timed out")
	}
	if KindOf(err) != Timeout && KindOf(err) != Canceled {
		t.Errorf("error %v", err)
	}
	// Every search ran under the lookup's one deadline.
	for i, dl := range sb.deadlines {
		if !dl.Equal(sb.deadlines[0]) {
			t.Fatalf("search %d of %d ran until %s after the first's deadline", i+1, len(sb.deadlines), dl.Sub(sb.deadlines[0]))
		}
	}
	if res.Searches == 0 {
		t.Error("no search ran")
	}
}

func TestActionContext(t *testing.T) {
	ctx, cancel := ActionContext(context.Background(), &slowBackend{timeout: time.Hour})
	defer cancel()
	if dl, ok := ctx.Deadline(); !ok || time.Until(dl) > time.Hour {
		t.Errorf("deadline %v %v", dl, ok)
	}
	ctx2, cancel2 := ActionContext(context.Background(), &fakeBackend{})
	defer cancel2()
	if _, ok := ctx2.Deadline(); ok {
		t.Error("a backend without a timeout got a deadline")
	}
}
