package backend

import (
	"context"
	"sync"

	"github.com/tracetui/tracetui/internal/crash"
)

// FetchWorkers is how many traces FetchTraces asks for at once by default:
// enough to hide a round trip, few enough not to load a production query
// service.
const FetchWorkers = 4

// FetchTraces fetches the traces ids names, workers at a time (FetchWorkers
// when workers <= 0), and calls each with every result as it arrives, one at
// a time on the caller's goroutine, so that each needs no lock of its own.
// A trace that cannot be fetched is passed with its error and the rest go
// on. When ctx ends, the requests in flight are cancelled, no more are made,
// each is not called again, and FetchTraces returns ctx's error once every
// worker has stopped. The analysis across traces of `analyze` and of the TUI
// both fetch with it.
//
// A panic in a worker (a backend bug) is raised again on the caller's
// goroutine, where the CLI and the TUI recover it and restore the terminal.
func FetchTraces(ctx context.Context, b Backend, ids []TraceID, workers int, each func(id TraceID, t *Trace, err error)) error {
	if len(ids) == 0 {
		return ctx.Err()
	}
	if workers <= 0 {
		workers = FetchWorkers
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type fetched struct {
		id  TraceID
		t   *Trace
		err error
	}
	jobs := make(chan TraceID)
	results := make(chan fetched)
	var (
		wg sync.WaitGroup
		pc = crash.Catcher{OnPanic: cancel}
	)
	for range min(workers, len(ids)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer pc.Catch()
			for id := range jobs {
				t, err := b.Trace(ctx, id, TraceOptions{})
				select {
				case results <- fetched{id, t, err}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(results)
		defer wg.Wait()
		defer close(jobs)
		for _, id := range ids {
			select {
			case jobs <- id:
			case <-ctx.Done():
				return
			}
		}
	}()
	for f := range results {
		if ctx.Err() != nil {
			continue // drain: the workers stop at their next send
		}
		each(f.id, f.t, f.err)
	}
	pc.Rethrow()
	return ctx.Err()
}
