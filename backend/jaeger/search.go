package jaeger

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/internal/httpc"
	"github.com/tracetui/tracetui/backend/jaegerjson"
	"github.com/tracetui/tracetui/backend/otlp"
)

// postFilterFactor widens a search whose conditions tracetui checks itself
// (see SearchResult), so that filtering afterwards still finds up to the
// limit; postFilterMax bounds it, since the answer holds whole traces.
const (
	postFilterFactor = 5
	postFilterMax    = 1000
)

// scanDepth is how many traces a search with conditions checked here looks
// at: postFilterFactor times the limit, at most postFilterMax, never fewer
// than the limit.
func scanDepth(limit int) int {
	return max(limit, min(limit*postFilterFactor, postFilterMax))
}

// derivedWhy is SearchResult.CheckedWhy for the derived tags.
const derivedWhy = "Jaeger v2 keeps an OTel span's error and kind in its status and kind fields, which its search may not index"

// isDerived reports the tags Jaeger derives from an OTel span's fields when
// it shows the span in its own model: error, otel.status_code and
// otel.status_description from the status, span.kind from the kind. Jaeger
// v2 stores OTLP as it came, where they are no attributes, and whether its
// search finds them depends on the version and the store, which a client
// cannot see: v2.12's memory store finds none of them (0 traces for
// error=true on HotROD, whose redis spans fail with status ERROR), later
// memory stores read the status, and stores that keep Jaeger's model
// (Elasticsearch) have real tags. Spans from Zipkin or Jaeger SDKs carry a
// real error tag too, so a store can answer with some of the traces and
// silently miss the rest: falling back only when the server finds none
// would not be enough.
func isDerived(key string) bool {
	switch key {
	case "error", "otel.status_code", "otel.status_description", "span.kind":
		return true
	}
	return false
}

// Search finds traces: SearchResult's traces, searched once per service
// when the server needs a service (backend.Find).
func (c *Client) Search(ctx context.Context, q backend.Query) ([]backend.TraceSummary, error) {
	res, err := backend.Find(ctx, c, q)
	return res.Traces, err
}

// SearchResult finds traces and says whether the search stopped at its
// limit and what tracetui checked itself.
//
// A query with a derived tag (isDerived: error=true above all) is never
// left to the server alone: the server is asked the whole query (its answer
// counts where it has one, checked here) and, besides, the query without
// the derived tags for scanDepth traces, which are checked here: a trace is
// kept when a span of the service asked for (any service when none) meets
// the derived conditions, read from its status and kind (batch.keep). The
// result says how many traces were looked at, and that the limit was
// reached when the server had more to give.
//
// Endpoints, in order of preference: api_v3 trace-summaries (Jaeger ≥ 2.19:
// filters by attributes and sends summaries only, so whole traces are
// fetched only when one is opened), api_v3 find-traces (when no tags are
// asked for, or from 2.19 on), v1 /api/traces (tags as JSON), and api_v3
// find-traces with the tags checked here when nothing else is there. A
// search without a service that the server refuses fails with
// backend.ErrServiceRequired, for backend.Find to search each service.
func (c *Client) SearchResult(ctx context.Context, q backend.Query) (backend.SearchResult, error) {
	const op = "search"
	// The endpoint fallbacks below share one deadline.
	ctx, cancel := c.h.Bound(ctx)
	defer cancel()
	start, end := q.Window(time.Now())
	limit := q.EffectiveLimit()
	res := backend.SearchResult{Limit: limit}
	var derived, plain []backend.Tag
	for _, t := range q.Tags {
		if isDerived(t.Key) {
			derived = append(derived, t)
		} else {
			plain = append(plain, t)
		}
	}
	own, err := c.fetch(ctx, op, q, start, end, limit, false)
	if len(derived) == 0 {
		if err != nil {
			return res, err
		}
		kept := own.keep(q, start, end, nil)
		if own.tagsIgnored && len(q.Tags) > 0 {
			res.Checked, res.Scanned = q.Tags, len(own.hits)
			res.CheckedWhy = "this Jaeger's api_v3 does not filter by attributes (before 2.19)"
		}
		res.LimitReached = own.full() || len(kept) > limit
		res.Traces = backend.NewestFirst(kept, limit)
		return res, nil
	}
	// The server's own answer counts where it has one; a server that needs
	// a service for a tag search (/api/traces) may still scan without one
	// (api_v3).
	if err != nil && !errors.Is(err, backend.ErrServiceRequired) {
		return res, err
	}
	var scan batch
	if err == nil && own.tagsIgnored {
		// The endpoint ignored every tag, so the server's answer already
		// is a scan of scanDepth traces checked here: asking again without
		// the derived tags would fetch the same traces.
		scan, own = own, batch{}
	} else {
		scanQ := q
		scanQ.Tags = plain
		// A summary has the error count but not the span kind or status text.
		needTraces := slices.ContainsFunc(derived, func(t backend.Tag) bool { return t.Key != "error" })
		if scan, err = c.fetch(ctx, op, scanQ, start, end, scanDepth(limit), needTraces); err != nil {
			return res, err
		}
	}
	seen := map[backend.TraceID]bool{}
	var kept []backend.TraceSummary
	for _, s := range append(own.keep(q, start, end, derived), scan.keep(q, start, end, derived)...) {
		if !seen[s.TraceID] {
			seen[s.TraceID] = true
			kept = append(kept, s)
		}
	}
	res.Checked = derived
	if scan.tagsIgnored {
		res.Checked = q.Tags
	}
	res.Scanned, res.CheckedWhy = len(scan.hits), derivedWhy
	res.LimitReached = own.full() || scan.full() || len(kept) > limit
	res.Traces = backend.NewestFirst(kept, limit)
	return res, nil
}

// A hit is one trace a search returned: its summary, and the whole trace
// when the endpoint sent it (all but trace-summaries).
type hit struct {
	sum   backend.TraceSummary
	trace *backend.Trace
}

// batch is one search request's answer.
type batch struct {
	hits []hit
	// asked is the number of traces asked for: a batch of that many may
	// have left more behind.
	asked int
	// tagsIgnored: the endpoint (api_v3 before Jaeger 2.19) does not filter
	// by attributes, so every tag is checked here.
	tagsIgnored bool
}

func (b batch) full() bool { return b.asked > 0 && len(b.hits) >= b.asked }

// keep returns the summaries of the hits that meet q. A whole trace from an
// endpoint that ignored the tags is checked against all of them; else
// only the derived tags are checked here, on the spans of q's service (any
// service when q has none), from the whole trace or, for error=true/false,
// from a summary's error counts. The plain tags were the server's to check:
// its matching has details (link attributes, resource prefixes, number
// formats) that checking again here could get wrong and silently drop a
// trace for.
func (b batch) keep(q backend.Query, start, end time.Time, derived []backend.Tag) []backend.TraceSummary {
	out := make([]backend.TraceSummary, 0, len(b.hits))
	for _, h := range b.hits {
		switch {
		case h.trace != nil && b.tagsIgnored && len(q.Tags) > 0:
			if !matchTrace(h.trace, q, start.UnixNano(), end.UnixNano()) {
				continue
			}
		case h.trace != nil && len(derived) > 0:
			if !hasDerived(h.trace, q.Service, derived) {
				continue
			}
		case h.trace == nil && !summaryMatches(h.sum, q.Service, derived):
			continue
		}
		out = append(out, h.sum)
	}
	return out
}

// hasDerived reports whether one span of the service ("" for any) meets
// every derived tag.
func hasDerived(t *backend.Trace, service string, derived []backend.Tag) bool {
	for i := range t.Spans {
		s := &t.Spans[i]
		if (service == "" || s.Service == service) && derivedMatch(s, derived) {
			return true
		}
	}
	return false
}

// summaryMatches checks the error tags of derived against a summary's
// error counts, the service's when one is given; other derived tags need
// the whole trace, which fetch was asked for then.
func summaryMatches(s backend.TraceSummary, service string, derived []backend.Tag) bool {
	errs, spans := s.ErrorCount, s.SpanCount
	if service != "" {
		errs, spans = 0, 0
		for _, c := range s.Services {
			if c.Name == service {
				errs, spans = c.ErrorCount, c.SpanCount
			}
		}
	}
	for _, t := range derived {
		if t.Key != "error" {
			continue
		}
		switch strings.ToLower(t.Value) {
		case "true":
			if errs == 0 {
				return false
			}
		case "false":
			if errs >= spans {
				return false
			}
		}
	}
	return true
}

// fetch asks the first endpoint that answers for up to depth traces
// matching q (needTraces: not from trace-summaries).
func (c *Client) fetch(ctx context.Context, op string, q backend.Query, start, end time.Time, depth int, needTraces bool) (batch, error) {
	if !needTraces && c.api != APIv1 && c.summaries.Load() != absent {
		b, ok, err := c.searchSummaries(ctx, op, q, start, end, depth)
		if err != nil || ok {
			return b, err
		}
	}
	// api_v3 filters by attributes from 2.19 on, which is also when
	// trace-summaries came.
	v3Filters := c.summaries.Load() == present
	if c.useV3() && (len(q.Tags) == 0 || v3Filters || c.api == APIv3) {
		b, ok, err := c.searchV3(ctx, op, q, start, end, depth, !v3Filters)
		if err != nil || ok {
			return b, err
		}
	}
	b, ok, err := c.searchV1(ctx, op, q, start, end, depth)
	if err != nil || ok {
		return b, err
	}
	if c.api == APIAuto && c.v3.Load() != absent {
		// No v1 search (Jaeger after 2.20) and no summaries: api_v3 with
		// the tags checked here.
		b, ok, err := c.searchV3(ctx, op, q, start, end, depth, true)
		if err != nil || ok {
			return b, err
		}
	}
	return batch{}, &backend.Error{Kind: backend.Unsupported, Op: op, URL: c.h.BaseURL(), Offset: -1,
		Excerpt: "no Jaeger search endpoint answered with JSON"}
}

// spelling is how one of Jaeger's APIs names the same query parameters and
// writes times: /api wants µs since the epoch, api_v3 RFC 3339 and the
// snake_case names every api_v3 from v1.53 understands (later versions keep
// them as aliases).
type spelling struct {
	service, operation, minStart, maxStart, limit string
	minDuration, maxDuration, tags                string
	raw, traceStart, traceEnd                     string
	time                                          func(time.Time) string
}

func v1Spelling() spelling {
	return spelling{
		service: "service", operation: "operation", minStart: "start", maxStart: "end", limit: "limit",
		minDuration: "minDuration", maxDuration: "maxDuration", tags: "tags",
		raw: "raw", traceStart: "start", traceEnd: "end",
		time: func(t time.Time) string { return strconv.FormatInt(t.UnixMicro(), 10) },
	}
}

func v3Spelling() spelling {
	return spelling{
		service: "query.service_name", operation: "query.operation_name",
		minStart: "query.start_time_min", maxStart: "query.start_time_max", limit: "query.num_traces",
		minDuration: "query.duration_min", maxDuration: "query.duration_max", tags: "query.attributes",
		raw: "raw_traces", traceStart: "start_time", traceEnd: "end_time",
		time: func(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) },
	}
}

// search is a search's parameters; limit is how many traces to ask for.
func (sp spelling) search(q backend.Query, start, end time.Time, limit int) url.Values {
	p := url.Values{
		sp.minStart: {sp.time(start)},
		sp.maxStart: {sp.time(end)},
		sp.limit:    {strconv.Itoa(limit)},
	}
	if q.Service != "" {
		p.Set(sp.service, q.Service)
	}
	if q.Operation != "" {
		p.Set(sp.operation, q.Operation)
	}
	if q.MinDuration > 0 {
		p.Set(sp.minDuration, q.MinDuration.String())
	}
	if q.MaxDuration > 0 {
		p.Set(sp.maxDuration, q.MaxDuration.String())
	}
	if len(q.Tags) > 0 {
		m := make(map[string]string, len(q.Tags))
		for _, t := range q.Tags {
			m[t.Key] = t.Value
		}
		b, _ := json.Marshal(m)
		p.Set(sp.tags, string(b))
	}
	return p
}

// trace is a trace lookup's parameters.
func (sp spelling) trace(opts backend.TraceOptions) url.Values {
	p := url.Values{}
	if opts.Raw {
		p.Set(sp.raw, "true")
	}
	if !opts.Start.IsZero() {
		p.Set(sp.traceStart, sp.time(opts.Start))
	}
	if !opts.End.IsZero() {
		p.Set(sp.traceEnd, sp.time(opts.End))
	}
	return p
}

// searchSummaries uses /api/v3/trace-summaries. ok is false when the server
// does not have it (then it is not asked again).
func (c *Client) searchSummaries(ctx context.Context, op string, q backend.Query, start, end time.Time, depth int) (batch, bool, error) {
	resp, err := c.h.Get(ctx, op, "/api/v3/trace-summaries", v3Spelling().search(q, start, end, depth))
	if notHere(resp, err) {
		c.summaries.Store(absent)
		return batch{}, false, nil
	}
	if err != nil {
		if resp == nil {
			return batch{}, false, err
		}
		if serverMessage(resp.Body) == "" {
			if resp.Status == 404 || resp.Status == 405 {
				// A proxy that does not route it.
				c.summaries.Store(absent)
				return batch{}, false, nil
			}
			return batch{}, false, c.searchError(op, q, resp, err)
		}
		c.summaries.Store(present)
		if isV3NotFound(resp) {
			return batch{asked: depth}, true, nil
		}
		return batch{}, false, c.searchError(op, q, resp, err)
	}
	var body struct {
		Summaries []wireSummary `json:"summaries"`
	}
	if err := c.decodeJSON(op, resp, &body); err != nil {
		return batch{}, false, err
	}
	c.summaries.Store(present)
	c.v3.Store(present)
	out := batch{asked: depth, hits: make([]hit, 0, len(body.Summaries))}
	for _, s := range body.Summaries {
		out.hits = append(out.hits, hit{sum: s.summary()})
	}
	return out, true, nil
}

// searchV3 uses /api/v3/traces. When tagsIgnored (servers before 2.19
// ignore query.attributes, and answer unfiltered), it asks for scanDepth
// traces so that checking the tags here still finds up to depth.
func (c *Client) searchV3(ctx context.Context, op string, q backend.Query, start, end time.Time, depth int, tagsIgnored bool) (batch, bool, error) {
	tagsIgnored = tagsIgnored && len(q.Tags) > 0
	if tagsIgnored {
		depth = scanDepth(depth)
	}
	traces, resp, notJSON, err := c.fetchTraces(ctx, op, "/api/v3/traces", v3Spelling().search(q, start, end, depth), otlp.Decode)
	if notJSON && c.api == APIAuto {
		c.v3.Store(absent)
		return batch{}, false, nil
	}
	if err != nil && isV3NotFound(resp) {
		c.v3.Store(present)
		return batch{asked: depth, tagsIgnored: tagsIgnored}, true, nil
	}
	if err != nil && resp != nil {
		return batch{}, false, c.searchError(op, q, resp, err)
	}
	if err != nil {
		return batch{}, false, err
	}
	if notJSON {
		return batch{}, false, c.h.ContentTypeError(op, resp)
	}
	c.v3.Store(present)
	return hits(traces, depth, tagsIgnored), true, nil
}

// searchV1 uses /api/traces. ok is false when the server does not have it.
func (c *Client) searchV1(ctx context.Context, op string, q backend.Query, start, end time.Time, depth int) (batch, bool, error) {
	dr, resp, notJSON, err := fetchDecoded(ctx, c, op, "/api/traces", v1Spelling().search(q, start, end, depth), jaegerjson.DecodeResponse)
	if notJSON && c.api == APIAuto {
		return batch{}, false, nil
	}
	if err != nil && resp != nil {
		return batch{}, false, c.searchError(op, q, resp, err)
	}
	if err != nil {
		return batch{}, false, err
	}
	if notJSON {
		return batch{}, false, c.h.ContentTypeError(op, resp)
	}
	if len(dr.Traces) == 0 && len(dr.Errors) > 0 {
		return batch{}, false, c.h.DecodeError(op, resp, dr.Fold())
	}
	return hits(dr.Traces, depth, false), true, nil
}

// hits summarizes the traces of an answer, keeping them for the checks
// done here.
func hits(traces []*backend.Trace, asked int, tagsIgnored bool) batch {
	out := batch{asked: asked, tagsIgnored: tagsIgnored, hits: make([]hit, len(traces))}
	for i, t := range traces {
		backend.PlaceUntimed(t) // else a summary starts in 1970
		out.hits[i] = hit{sum: backend.Summarize(t), trace: t}
	}
	return out
}

// searchError is check's error for a failed search, marked
// backend.ErrServiceRequired when the server refused a search without a
// service ("parameter 'service' is required" from /api/traces, "service
// Name must be set" from stores behind api_v3 that need one).
func (c *Client) searchError(op string, q backend.Query, resp *httpc.Response, err error) error {
	err = c.check(op, resp, err)
	var be *backend.Error
	if q.Service != "" || !errors.As(err, &be) || be.Status < 400 {
		return err
	}
	msg := strings.ToLower(serverMessage(resp.Body))
	if strings.Contains(msg, "service") && (strings.Contains(msg, "required") || strings.Contains(msg, "must be set")) {
		e := *be
		e.Err = backend.ErrServiceRequired
		return &e
	}
	return err
}

// matchTrace is backend.MatchTrace with the tags Jaeger derives from a span's
// fields (isDerived), which OTLP data carries as fields rather than
// attributes, so that checking a search here agrees with Jaeger's own.
func matchTrace(t *backend.Trace, q backend.Query, startNs, endNs int64) bool {
	var plain, derived []backend.Tag
	for _, tag := range q.Tags {
		if isDerived(tag.Key) {
			derived = append(derived, tag)
		} else {
			plain = append(plain, tag)
		}
	}
	pq := q
	pq.Tags = plain
	if !backend.MatchTrace(t, pq, startNs, endNs) {
		return false
	}
	if len(derived) == 0 {
		return true
	}
	for i := range t.Spans {
		s := &t.Spans[i]
		if backend.MatchSpan(s, pq) && derivedMatch(s, derived) {
			return true
		}
	}
	return false
}

func derivedMatch(s *backend.Span, tags []backend.Tag) bool {
	for _, tag := range tags {
		if backend.MatchSpan(s, backend.Query{Tags: []backend.Tag{tag}}) {
			continue
		}
		var v string
		switch tag.Key {
		case "otel.status_description":
			if s.Status.Message == "" || s.Status.Message != tag.Value {
				return false
			}
			continue
		case "span.kind":
			v = s.Kind.String()
		case "error":
			v = strconv.FormatBool(s.Error)
		case "otel.status_code":
			switch s.Status.Code {
			case backend.StatusOK:
				v = "OK"
			case backend.StatusError:
				v = "ERROR"
			}
		}
		if v == "" || !strings.EqualFold(v, tag.Value) {
			return false
		}
	}
	return true
}
