package backend

import (
	"context"
	"errors"
	"fmt"
	"strings"
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
	res.Traces = NewestFirst(found, base.EffectiveLimit())
	return res, nil
}

// Lookup is what to look for: trace IDs to fetch, in order, then a
// correlation value to search for when none of them exists. A pasted value
// that reads as a trace ID and may also be a correlation ID ("567", a
// request ID of 32 hex digits) sets both: trace IDs go first because a
// fetch by ID is one request, a correlation search one per service and key.
type Lookup struct {
	TraceIDs    []TraceID
	Correlation string
	// Keys are the correlation tag keys; nil means DefaultCorrelationKeys.
	Keys []string
	// Window gives the correlation search its time window and limit.
	Window Query
	// Options are passed to Backend.Trace.
	Options TraceOptions
}

// LookupResult is what LookUp found: a trace by ID, or the traces that
// carry the correlation value.
type LookupResult struct {
	// Trace is the trace found by ID; nil otherwise.
	Trace *Trace
	// Searched says the correlation search ran; Correlation is its result.
	Searched    bool
	Correlation CorrelationResult
	// Notes say what was not found before the answer, one line each, e.g.
	// `no trace 0000000000000567; looking up "567" as a correlation ID`.
	Notes []string
}

// Found reports whether anything was found.
func (r LookupResult) Found() bool { return r.Trace != nil || len(r.Correlation.Traces) > 0 }

// LookUp fetches each trace ID in turn and, when none exists, searches for
// the correlation value. An error other than "not found" ends it: a server
// that is down must not look like a missing trace. Nothing found is no
// error when the correlation search ran (the caller knows the window and
// says where it looked); with no correlation value it is the last fetch's
// NotFound.
func LookUp(ctx context.Context, b Backend, l Lookup) (LookupResult, error) {
	var (
		res     LookupResult
		missing []string
		lastErr error
	)
	for _, id := range l.TraceIDs {
		t, err := b.Trace(ctx, id, l.Options)
		if err == nil {
			if len(missing) > 0 {
				res.Notes = append(res.Notes, "no trace "+strings.Join(missing, " or ")+"; found "+id.Short())
			}
			res.Trace = t
			return res, nil
		}
		if KindOf(err) != NotFound {
			return res, err
		}
		missing = append(missing, id.Short())
		lastErr = err
	}
	if l.Correlation == "" {
		if lastErr == nil {
			lastErr = &Error{Kind: NotFound, Op: "look up", Offset: -1, Err: errors.New("nothing to look up")}
		}
		return res, lastErr
	}
	if len(missing) > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("no trace %s; looking up %q as a correlation ID", strings.Join(missing, " or "), Excerpt([]byte(l.Correlation), 80)))
	}
	res.Searched = true
	var err error
	res.Correlation, err = LookUpCorrelation(ctx, b, l.Keys, l.Correlation, l.Window)
	return res, err
}
