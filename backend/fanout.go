package backend

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
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
		wg    sync.WaitGroup
		mu    sync.Mutex
		crash *workerPanic
	)
	for range min(CorrelationConcurrency, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					mu.Lock()
					if crash == nil {
						crash = &workerPanic{value: p, stack: debug.Stack()}
					}
					mu.Unlock()
					for range jobs {
						// Drain, so the feeder does not block forever.
					}
				}
			}()
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
	if crash != nil {
		panic(crash)
	}
	return ran
}

// workerPanic carries a panic from a fan-out worker to the caller, with the
// worker's stack, which the caller's own stack would not show.
type workerPanic struct {
	value any
	stack []byte
}

func (p *workerPanic) String() string {
	return fmt.Sprintf("%v\n\npanicked in a search worker:\n%s", p.value, p.stack)
}
