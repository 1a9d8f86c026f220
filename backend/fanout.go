package backend

import (
	"context"
	"sync"

	"github.com/tracetui/tracetui/internal/crash"
)

// fanOut calls do(ctx, i) for every i in [0, n) on a fixed pool of at most
// CorrelationConcurrency goroutines: a store with hundreds of services must
// get neither hundreds of goroutines nor hundreds of requests at once. Jobs
// not yet started when ctx ends are skipped; it reports which ran. do writes
// its result into the caller's slot i, so no lock is needed.
//
// A panic in do (a backend bug) is raised again in the caller's goroutine,
// where the CLI and the TUI recover it, restore the terminal and write a
// crash report; in a worker it would kill the process with the terminal
// still raw.
func fanOut(ctx context.Context, n int, do func(ctx context.Context, i int)) (ran []bool) {
	ran = make([]bool, n)
	jobs := make(chan int)
	go func() {
		defer close(jobs)
		for i := range n {
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	var (
		wg sync.WaitGroup
		pc crash.Catcher
	)
	for range min(CorrelationConcurrency, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if pc.Caught() {
					for range jobs {
						// Drain, so the feeder does not block forever.
					}
				}
			}()
			defer pc.Catch()
			for i := range jobs {
				if ctx.Err() != nil {
					// The feeder may still hand out a job after ctx ended.
					continue
				}
				ran[i] = true
				do(ctx, i)
			}
		}()
	}
	wg.Wait()
	pc.Rethrow()
	return ran
}
