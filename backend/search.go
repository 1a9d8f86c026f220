package backend

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrServiceRequired is wrapped by a search's error when the server cannot
// search without a service (Jaeger's /api/traces answers 400 "parameter
// 'service' is required"; Jaeger's Elasticsearch and Cassandra stores want
// one too). Find then searches once per service.
var ErrServiceRequired = errors.New("the server needs a service to search")

// SearchResult is what a search found and what a user must know to trust
// it: whether it stopped at a limit, and what tracetui checked itself.
type SearchResult struct {
	// Traces are newest first, at most Limit.
	Traces []TraceSummary
	// Limit is the number of traces asked for (Query.EffectiveLimit).
	Limit int
	// LimitReached says that the search stopped at a limit (the one asked
	// for, or the number of traces tracetui looked at when it filtered
	// itself), so that more traces may match: "sort by longest" shows the
	// longest of these, not of all. A larger limit may find more.
	LimitReached bool
	// Checked are the conditions tracetui checked on its side because the
	// server cannot be trusted with them (Jaeger v2 stores an OTel span's
	// error as its status, not as an error tag); nil when the server
	// evaluated the whole query.
	Checked []Tag
	// Scanned is how many traces tracetui looked at for Checked: the
	// newest ones that match the rest of the query, up to a bound.
	Scanned int
	// CheckedWhy says in a few words why Checked was not left to the server.
	CheckedWhy string
	// PerService is the number of services searched one by one because
	// the server needs a service; 0 when the search ran once. Failed of
	// those searches failed, the first with FirstError: a trace may be
	// missing.
	PerService, Failed int
	FirstError         error
}

// ResultSearcher is a Backend that says more about a search than its
// traces. A backend whose Search calls Find must implement it.
type ResultSearcher interface {
	SearchResult(ctx context.Context, q Query) (SearchResult, error)
}

// Find runs a search on any backend: through SearchResult where the backend
// has it, else through Search (then LimitReached is "as many traces as the
// limit"). A search without a service that the server refuses
// (ErrServiceRequired) runs once per service instead, at most
// CorrelationConcurrency at once, and the results are merged.
func Find(ctx context.Context, b Backend, q Query) (SearchResult, error) {
	res, err := searchOnce(ctx, b, q)
	if err == nil || q.Service != "" || !errors.Is(err, ErrServiceRequired) {
		return res, err
	}
	return searchEachService(ctx, b, q)
}

func searchOnce(ctx context.Context, b Backend, q Query) (SearchResult, error) {
	if rs, ok := b.(ResultSearcher); ok {
		return rs.SearchResult(ctx, q)
	}
	traces, err := b.Search(ctx, q)
	if err != nil {
		return SearchResult{}, err
	}
	limit := q.EffectiveLimit()
	return SearchResult{Traces: traces, Limit: limit, LimitReached: len(traces) >= limit}, nil
}

// searchEachService is Find's fallback: q once per service. Each search
// gets the whole limit (one service may hold every match), and the merge
// keeps the newest.
func searchEachService(ctx context.Context, b Backend, q Query) (SearchResult, error) {
	limit := q.EffectiveLimit()
	services, err := b.Services(ctx)
	if err != nil {
		return SearchResult{}, err
	}
	type outcome struct {
		res SearchResult
		err error
	}
	out := make([]outcome, len(services))
	ran := fanOut(ctx, len(services), func(ctx context.Context, i int) {
		sq := q
		sq.Service = services[i]
		out[i].res, out[i].err = searchOnce(ctx, b, sq)
	})
	res := SearchResult{Limit: limit, PerService: len(services)}
	seen := map[TraceID]bool{}
	var all []TraceSummary
	ok := 0
	for i, o := range out {
		switch {
		case !ran[i]:
			res.Failed++
			if res.FirstError == nil {
				res.FirstError = &Error{Kind: Canceled, Op: "search " + services[i], Offset: -1, Err: ctx.Err()}
			}
			continue
		case o.err != nil:
			res.Failed++
			if res.FirstError == nil {
				res.FirstError = o.err
			}
			continue
		}
		ok++
		r := o.res
		res.LimitReached = res.LimitReached || r.LimitReached
		res.Scanned += r.Scanned
		if res.CheckedWhy == "" {
			res.CheckedWhy = r.CheckedWhy
		}
		for _, t := range r.Checked {
			if !hasTag(res.Checked, t) {
				res.Checked = append(res.Checked, t)
			}
		}
		for _, s := range r.Traces {
			if !seen[s.TraceID] {
				seen[s.TraceID] = true
				all = append(all, s)
			}
		}
	}
	if ok == 0 && res.Failed > 0 {
		if err := ctx.Err(); err != nil {
			return res, &Error{Kind: Canceled, Op: "search", Offset: -1, Err: err}
		}
		return res, res.FirstError
	}
	res.LimitReached = res.LimitReached || len(all) > limit
	res.Traces = NewestFirst(all, limit)
	if res.Traces == nil {
		res.Traces = []TraceSummary{}
	}
	return res, nil
}

func hasTag(tags []Tag, t Tag) bool {
	for _, x := range tags {
		if x == t {
			return true
		}
	}
	return false
}

// Headline is the one-line count for a list's header or the end of
// `search` text output: "20 shown · limit reached", "3 shown · 100 traces
// looked at for error=true".
func (r SearchResult) Headline() string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(len(r.Traces)))
	b.WriteString(" shown")
	if len(r.Checked) > 0 {
		fmt.Fprintf(&b, " · %d %s looked at for %s", r.Scanned, plural(r.Scanned, "trace", "traces"), TagsString(r.Checked))
	}
	if r.LimitReached {
		b.WriteString(" · limit reached")
	}
	return b.String()
}

// Notes are the sentences a user needs to read the result right, one per
// line, unsanitized only in that tag keys and values come from the user's
// own query: what tracetui checked itself and why, and searches that ran
// once per service and failed. Empty when the server did everything.
func (r SearchResult) Notes() []string {
	var out []string
	if len(r.Checked) > 0 {
		n := fmt.Sprintf("%s checked by tracetui in the %d newest %s matching the rest of the search",
			TagsString(r.Checked), r.Scanned, plural(r.Scanned, "trace", "traces"))
		if r.CheckedWhy != "" {
			n += ": " + r.CheckedWhy
		}
		out = append(out, n)
	}
	if r.PerService > 0 {
		n := fmt.Sprintf("the server needs a service, so each of its %d %s was searched", r.PerService,
			plural(r.PerService, "service", "services"))
		if r.Failed > 0 {
			n += fmt.Sprintf("; %d of those searches failed, so a trace may be missing", r.Failed)
		}
		out = append(out, n)
	}
	return out
}

// TagsString writes tags as a search box takes them: "error=true
// http.status_code=500".
func TagsString(tags []Tag) string {
	parts := make([]string, len(tags))
	for i, t := range tags {
		parts[i] = t.Key + "=" + t.Value
	}
	return strings.Join(parts, " ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
