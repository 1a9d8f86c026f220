package backend

import (
	"context"
	"fmt"
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
func LookUpCorrelation(ctx context.Context, b Backend, keys []string, value string, base Query) (CorrelationResult, error) {
	if len(keys) == 0 {
		keys = DefaultCorrelationKeys()
	}
	services, err := b.Services(ctx)
	if err != nil {
		return CorrelationResult{}, err
	}
	type outcome struct {
		traces []TraceSummary
		err    error
	}
	out := make([]outcome, len(services)*len(keys))
	ran := fanOut(ctx, len(out), func(ctx context.Context, i int) {
		q := base
		q.Service = services[i/len(keys)]
		q.Operation = ""
		q.Tags = []Tag{{Key: keys[i%len(keys)], Value: value}}
		out[i].traces, out[i].err = b.Search(ctx, q)
	})
	var (
		seen    = map[TraceID]bool{}
		found   []TraceSummary
		errs    []error
		success int
	)
	for i, o := range out {
		switch {
		case !ran[i]:
		case o.err != nil:
			// A NotFound here is a search endpoint that is not there
			// (backends answer an empty search with no traces): a failure.
			errs = append(errs, o.err)
		default:
			success++
			for _, r := range o.traces {
				if !seen[r.TraceID] {
					seen[r.TraceID] = true
					found = append(found, r)
				}
			}
		}
	}
	res := CorrelationResult{Searches: success + len(errs), Failed: len(errs)}
	if len(errs) > 0 {
		res.FirstError = errs[0]
	}
	if err := ctx.Err(); err != nil && success == 0 {
		return res, &Error{Kind: Canceled, Op: "correlation lookup", Offset: -1, Err: err}
	}
	if success == 0 && len(errs) > 0 {
		return res, errs[0]
	}
	res.Traces = NewestFirst(found, base.EffectiveLimit())
	return res, nil
}
