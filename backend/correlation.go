package backend

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
)

// DefaultCorrelationKeys returns the tag keys tried for a correlation ID when
// the configuration names none (a fresh slice each call).
func DefaultCorrelationKeys() []string {
	return []string{
		"correlation_id", "correlation.id", "x-correlation-id",
		"request_id", "request.id", "x-request-id",
	}
}

// CorrelationConcurrency bounds the searches a correlation lookup runs at once.
const CorrelationConcurrency = 4

// FindByCorrelation searches every service for every key=value, at most
// CorrelationConcurrency requests at once, and merges the results (newest
// first, each trace once). base supplies the time window and limit. It fails
// only when every search failed; LookUpCorrelation also says how many did.
func FindByCorrelation(ctx context.Context, b Backend, keys []string, value string, base Query) ([]TraceSummary, error) {
	r, err := LookUpCorrelation(ctx, b, keys, value, base)
	return r.Traces, err
}

// CorrelationResult is what a correlation lookup found, and how many of its
// searches failed: a trace may be missing when some did.
type CorrelationResult struct {
	Traces           []TraceSummary
	Searches, Failed int
	// FirstError is the first failed search's error.
	FirstError error
}

// Incomplete says how many searches failed and that a trace may be missing,
// or "" when none failed.
func (r CorrelationResult) Incomplete() string {
	if r.Failed == 0 {
		return ""
	}
	return fmt.Sprintf("%d of %d correlation searches failed, so a trace may be missing", r.Failed, r.Searches)
}

// LookUpCorrelation is FindByCorrelation with the count of failed searches.
// The whole lookup, its fan-out of searches included, waits at most the
// backend's timeout (ActionContext).
func LookUpCorrelation(ctx context.Context, b Backend, keys []string, value string, base Query) (CorrelationResult, error) {
	ctx, cancel := ActionContext(ctx, b)
	defer cancel()
	if len(keys) == 0 {
		keys = DefaultCorrelationKeys()
	}
	services, err := b.Services(ctx)
	if err != nil {
		return CorrelationResult{}, err
	}
	type job struct{ service, key string }
	jobs := make(chan job)
	go func() {
		defer close(jobs)
		for _, s := range services {
			for _, k := range keys {
				select {
				case jobs <- job{s, k}:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	var (
		mu      sync.Mutex
		seen    = map[TraceID]bool{}
		out     []TraceSummary
		errs    []error
		wg      sync.WaitGroup
		success int
		crash   *workerPanic
	)
	// A fixed pool of workers: a store with hundreds of services must not
	// get hundreds of goroutines, nor hundreds of requests at once.
	for range min(CorrelationConcurrency, len(services)*len(keys)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// A panic in a backend must reach the caller's goroutine, where
			// the CLI and the TUI recover it, restore the terminal and write
			// a crash report; here it would kill the process with the
			// terminal still raw.
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
			for j := range jobs {
				q := base
				q.Service = j.service
				q.Operation = ""
				q.Tags = []Tag{{Key: j.key, Value: value}}
				res, err := b.Search(ctx, q)
				mu.Lock()
				// A NotFound here is a search endpoint that is not there
				// (backends answer an empty search with no traces): a failure.
				if err != nil {
					errs = append(errs, err)
				} else {
					success++
					for _, r := range res {
						if !seen[r.TraceID] {
							seen[r.TraceID] = true
							out = append(out, r)
						}
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if crash != nil {
		panic(crash)
	}
	res := CorrelationResult{Searches: success + len(errs), Failed: len(errs)}
	if len(errs) > 0 {
		res.FirstError = errs[0]
	}
	if err := ctx.Err(); err != nil && success == 0 {
		if errors.Is(err, context.DeadlineExceeded) {
			if len(errs) > 0 {
				// The first search's timeout names the server and the bound.
				return res, errs[0]
			}
			return res, &Error{Kind: Timeout, Op: "correlation lookup", Offset: -1, Err: err}
		}
		return res, &Error{Kind: Canceled, Op: "correlation lookup", Offset: -1, Err: err}
	}
	if success == 0 && len(errs) > 0 {
		return res, errs[0]
	}
	res.Traces = NewestFirst(out, base.EffectiveLimit())
	return res, nil
}

// workerPanic carries a panic from a lookup worker to the caller, with the
// worker's stack, which the caller's own stack would not show.
type workerPanic struct {
	value any
	stack []byte
}

func (p *workerPanic) String() string {
	return fmt.Sprintf("%v\n\npanicked in a correlation lookup worker:\n%s", p.value, p.stack)
}
