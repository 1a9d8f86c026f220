package backend

import (
	"context"
	"errors"
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
// only when every search failed.
func FindByCorrelation(ctx context.Context, b Backend, keys []string, value string, base Query) ([]TraceSummary, error) {
	if len(keys) == 0 {
		keys = DefaultCorrelationKeys()
	}
	services, err := b.Services(ctx)
	if err != nil {
		return nil, err
	}
	type job struct{ service, key string }
	var jobs []job
	for _, s := range services {
		for _, k := range keys {
			jobs = append(jobs, job{s, k})
		}
	}
	var (
		mu      sync.Mutex
		seen    = map[TraceID]bool{}
		out     []TraceSummary
		errs    []error
		wg      sync.WaitGroup
		sem     = make(chan struct{}, CorrelationConcurrency)
		success int
	)
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				mu.Lock()
				errs = append(errs, ctx.Err())
				mu.Unlock()
				return
			}
			defer func() { <-sem }()
			q := base
			q.Service = j.service
			q.Operation = ""
			q.Tags = []Tag{{Key: j.key, Value: value}}
			res, err := b.Search(ctx, q)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && !errors.Is(err, ErrNotFound) {
				errs = append(errs, err)
				return
			}
			success++
			for _, r := range res {
				if !seen[r.TraceID] {
					seen[r.TraceID] = true
					out = append(out, r)
				}
			}
		}()
	}
	wg.Wait()
	if success == 0 && len(errs) > 0 {
		return nil, errs[0]
	}
	return NewestFirst(out, base.EffectiveLimit()), nil
}
