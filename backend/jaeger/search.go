package jaeger

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/jaegerjson"
	"github.com/tracetui/tracetui/backend/otlp"
)

// postFilterFactor widens an api_v3 search whose attribute filter the server
// may ignore (before Jaeger 2.19), so that filtering afterwards still finds
// up to the limit; postFilterMax bounds it.
const (
	postFilterFactor = 5
	postFilterMax    = 1000
)

// Search finds traces. In order of preference: api_v3 trace-summaries
// (Jaeger ≥ 2.19: filters by attributes and sends only summaries), api_v3
// find-traces (when no tags are asked for), v1 /api/traces (tags as JSON),
// and api_v3 find-traces with the tags checked here when nothing else is
// there.
func (c *Client) Search(ctx context.Context, q backend.Query) ([]backend.TraceSummary, error) {
	const op = "search"
	// The endpoint fallbacks below share one deadline.
	ctx, cancel := c.h.Bound(ctx)
	defer cancel()
	start, end := q.Window(time.Now())
	if c.api != APIv1 && c.summaries.Load() != absent {
		res, ok, err := c.searchSummaries(ctx, op, q, start, end)
		if err != nil || ok {
			return res, err
		}
	}
	if c.useV3() && (len(q.Tags) == 0 || c.api == APIv3) {
		res, ok, err := c.searchV3(ctx, op, q, start, end)
		if err != nil || ok {
			return res, err
		}
	}
	res, ok, err := c.searchV1(ctx, op, q, start, end)
	if err != nil || ok {
		return res, err
	}
	if c.api == APIAuto && c.v3.Load() != absent {
		// No v1 search (Jaeger after 2.20) and no summaries: api_v3 with
		// the tags checked here.
		res, ok, err := c.searchV3(ctx, op, q, start, end)
		if err != nil || ok {
			return res, err
		}
	}
	return nil, &backend.Error{Kind: backend.Unsupported, Op: op, URL: c.h.BaseURL(), Offset: -1,
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
		sp.service:  {q.Service},
		sp.minStart: {sp.time(start)},
		sp.maxStart: {sp.time(end)},
		sp.limit:    {strconv.Itoa(limit)},
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
func (c *Client) searchSummaries(ctx context.Context, op string, q backend.Query, start, end time.Time) ([]backend.TraceSummary, bool, error) {
	limit := q.EffectiveLimit()
	resp, err := c.h.Get(ctx, op, "/api/v3/trace-summaries", v3Spelling().search(q, start, end, limit))
	if notHere(resp, err) {
		c.summaries.Store(absent)
		return nil, false, nil
	}
	if err != nil {
		if resp == nil {
			return nil, false, err
		}
		if serverMessage(resp.Body) == "" {
			if resp.Status == 404 || resp.Status == 405 {
				// A proxy that does not route it.
				c.summaries.Store(absent)
				return nil, false, nil
			}
			return nil, false, c.check(op, resp, err)
		}
		c.summaries.Store(present)
		if resp.Status == 404 {
			return []backend.TraceSummary{}, true, nil
		}
		return nil, false, c.check(op, resp, err)
	}
	var body struct {
		Summaries []wireSummary `json:"summaries"`
	}
	if err := c.decodeJSON(op, resp, &body); err != nil {
		return nil, false, err
	}
	c.summaries.Store(present)
	c.v3.Store(present)
	out := make([]backend.TraceSummary, 0, len(body.Summaries))
	for _, s := range body.Summaries {
		out = append(out, s.summary())
	}
	return backend.NewestFirst(out, limit), true, nil
}

// searchV3 uses /api/v3/traces. Tags are sent as query.attributes and also
// checked on the results, since servers before 2.19 ignore them.
func (c *Client) searchV3(ctx context.Context, op string, q backend.Query, start, end time.Time) ([]backend.TraceSummary, bool, error) {
	limit := q.EffectiveLimit()
	depth := limit
	if len(q.Tags) > 0 {
		depth = min(max(limit*postFilterFactor, limit), postFilterMax)
	}
	traces, resp, notJSON, err := c.fetchTraces(ctx, op, "/api/v3/traces", v3Spelling().search(q, start, end, depth), otlp.Decode)
	if notJSON && c.api == APIAuto {
		c.v3.Store(absent)
		return nil, false, nil
	}
	if err != nil && isV3NotFound(resp) {
		c.v3.Store(present)
		return []backend.TraceSummary{}, true, nil
	}
	if err != nil {
		return nil, false, err
	}
	if notJSON {
		return nil, false, c.h.ContentTypeError(op, resp)
	}
	c.v3.Store(present)
	startNs, endNs := start.UnixNano(), end.UnixNano()
	out := make([]backend.TraceSummary, 0, len(traces))
	for _, t := range traces {
		if len(q.Tags) > 0 && !matchTrace(t, q, startNs, endNs) {
			continue
		}
		out = append(out, backend.Summarize(t))
	}
	return backend.NewestFirst(out, limit), true, nil
}

// searchV1 uses /api/traces. ok is false when the server does not have it.
func (c *Client) searchV1(ctx context.Context, op string, q backend.Query, start, end time.Time) ([]backend.TraceSummary, bool, error) {
	limit := q.EffectiveLimit()
	dr, resp, notJSON, err := fetchDecoded(ctx, c, op, "/api/traces", v1Spelling().search(q, start, end, limit), jaegerjson.DecodeResponse)
	if notJSON && c.api == APIAuto {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if notJSON {
		return nil, false, c.h.ContentTypeError(op, resp)
	}
	if len(dr.Traces) == 0 && len(dr.Errors) > 0 {
		return nil, false, c.h.DecodeError(op, resp, dr.Fold())
	}
	out := make([]backend.TraceSummary, 0, len(dr.Traces))
	for _, t := range dr.Traces {
		out = append(out, backend.Summarize(t))
	}
	return backend.NewestFirst(out, limit), true, nil
}

// matchTrace is backend.MatchTrace with the tags Jaeger derives from a span's
// fields (span.kind, error, otel.status_code), which OTLP data carries as
// fields rather than attributes, so that checking a search here agrees with
// Jaeger's own.
func matchTrace(t *backend.Trace, q backend.Query, startNs, endNs int64) bool {
	var plain, derived []backend.Tag
	for _, tag := range q.Tags {
		switch tag.Key {
		case "span.kind", "error", "otel.status_code":
			derived = append(derived, tag)
		default:
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
