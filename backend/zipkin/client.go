package zipkin

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/internal/httpc"
)

// maxTraceManyIDs bounds one /api/v2/traceMany request so that its URL stays
// well under common proxy limits (8 KiB).
const maxTraceManyIDs = 100

// Client queries a Zipkin server's API v2. It is safe for concurrent use.
type Client struct {
	h   *httpc.Client
	now func() time.Time
}

var (
	_ backend.Backend          = (*Client)(nil)
	_ backend.DependencyLister = (*Client)(nil)
)

// New builds a client for the Zipkin at opts.URL (e.g. http://localhost:9411,
// possibly with a path prefix). It does not contact the server.
func New(opts backend.HTTPOptions) (*Client, error) {
	return newClient(opts)
}

func newClient(opts backend.HTTPOptions, o ...httpc.Option) (*Client, error) {
	h, err := httpc.New(opts, o...)
	if err != nil {
		return nil, err
	}
	return &Client{h: h, now: time.Now}, nil
}

// Name is "zipkin <base URL>", without credentials.
func (c *Client) Name() string { return "zipkin " + c.h.BaseURL() }

// Close releases idle connections.
func (c *Client) Close() { c.h.Close() }

// Timeout bounds each operation's whole wait: its requests (all the chunks
// of a TraceMany) and retries share one deadline (backend.ActionContext).
func (c *Client) Timeout() time.Duration { return c.h.Timeout() }

// Services lists the local service names the server knows.
func (c *Client) Services(ctx context.Context) ([]string, error) {
	return c.names(ctx, "list services", "/api/v2/services", nil)
}

// Operations lists a service's span names. Zipkin does not index span
// names by kind, so Kind is empty.
func (c *Client) Operations(ctx context.Context, service string) ([]backend.Operation, error) {
	names, err := c.names(ctx, "list operations", "/api/v2/spans", url.Values{"serviceName": {service}})
	if err != nil {
		return nil, err
	}
	ops := make([]backend.Operation, len(names))
	for i, n := range names {
		ops[i] = backend.Operation{Name: n}
	}
	return ops, nil
}

// RemoteServices lists the remote service names a service calls. Servers
// older than 2.13 lack the endpoint and give an Unsupported error.
func (c *Client) RemoteServices(ctx context.Context, service string) ([]string, error) {
	return c.optionalNames(ctx, "list remote services", "/api/v2/remoteServices", url.Values{"serviceName": {service}})
}

// AutocompleteKeys lists the tag keys the server offers values for (its
// AUTOCOMPLETE_KEYS setting; often empty).
func (c *Client) AutocompleteKeys(ctx context.Context) ([]string, error) {
	return c.optionalNames(ctx, "list autocomplete keys", "/api/v2/autocompleteKeys", nil)
}

// AutocompleteValues lists the values seen for an autocomplete key.
func (c *Client) AutocompleteValues(ctx context.Context, key string) ([]string, error) {
	return c.optionalNames(ctx, "list autocomplete values", "/api/v2/autocompleteValues", url.Values{"key": {key}})
}

// optionalNames is names for endpoints that older servers do not have: their
// 404 means "unsupported", not "nothing".
func (c *Client) optionalNames(ctx context.Context, op, path string, q url.Values) ([]string, error) {
	names, err := c.names(ctx, op, path, q)
	var be *backend.Error
	if errors.As(err, &be) && be.Kind == backend.NotFound {
		e := *be
		e.Kind = backend.Unsupported
		return nil, &e
	}
	return names, err
}

func (c *Client) names(ctx context.Context, op, path string, q url.Values) ([]string, error) {
	ctx, cancel := c.h.Bound(ctx)
	defer cancel()
	resp, err := c.h.GetJSON(ctx, op, path, q)
	if err != nil {
		return nil, err
	}
	var names []string
	if err := json.Unmarshal(resp.Body, &names); err != nil {
		return nil, c.h.DecodeError(op, resp, err)
	}
	if names == nil {
		names = []string{}
	}
	return names, nil
}

// searchParams builds the /api/v2/traces query for q: endTs and lookback in
// milliseconds, durations in whole microseconds, tags as an annotationQuery
// (`k=v` terms, a bare `k` for an empty value, joined by " and "). Zipkin
// rejects maxDuration without minDuration, so 1µs stands in for a missing
// minimum.
func searchParams(q backend.Query, now time.Time) url.Values {
	v := url.Values{}
	if q.Service != "" {
		v.Set("serviceName", q.Service)
	}
	if q.Operation != "" {
		v.Set("spanName", q.Operation)
	}
	if len(q.Tags) > 0 {
		terms := make([]string, 0, len(q.Tags))
		for _, t := range q.Tags {
			if t.Key == "" {
				continue
			}
			if t.Value == "" || isErrorTrue(t) {
				terms = append(terms, t.Key)
			} else {
				terms = append(terms, t.Key+"="+t.Value)
			}
		}
		if len(terms) > 0 {
			v.Set("annotationQuery", strings.Join(terms, " and "))
		}
	}
	start, end := q.Window(now)
	endMs := end.UnixMilli()
	lookback := max(endMs-start.UnixMilli(), 1)
	v.Set("endTs", strconv.FormatInt(endMs, 10))
	v.Set("lookback", strconv.FormatInt(lookback, 10))
	minUs := micros(q.MinDuration)
	if q.MaxDuration > 0 && minUs == 0 {
		minUs = 1
	}
	if minUs > 0 {
		v.Set("minDuration", strconv.FormatInt(minUs, 10))
	}
	if q.MaxDuration > 0 {
		v.Set("maxDuration", strconv.FormatInt(max(int64(q.MaxDuration/time.Microsecond), minUs), 10))
	}
	v.Set("limit", strconv.Itoa(q.EffectiveLimit()))
	return v
}

// micros rounds a positive duration up to whole microseconds, so that a
// minimum is never loosened to zero.
func micros(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64((d + time.Microsecond - 1) / time.Microsecond)
}

// isErrorTrue reports error=true, which Zipkin is asked as the bare term
// "error": a failed Zipkin span has an error tag whose value is the error's
// message (Brave, OTel's Zipkin exporter), rarely "true", and Zipkin's own
// way to find failed spans is the tag's key alone. The result then agrees
// with Span.Error, which any error tag sets.
func isErrorTrue(t backend.Tag) bool {
	return t.Key == "error" && strings.EqualFold(t.Value, "true")
}

// Search finds traces: SearchResult's traces.
func (c *Client) Search(ctx context.Context, q backend.Query) ([]backend.TraceSummary, error) {
	res, err := backend.Find(ctx, c, q)
	return res.Traces, err
}

// SearchResult finds traces and summarizes them, newest first. Zipkin
// matches the conditions against all spans of the service in a trace, not
// one span, and searches every service when none is given.
func (c *Client) SearchResult(ctx context.Context, q backend.Query) (backend.SearchResult, error) {
	const op = "search"
	ctx, cancel := c.h.Bound(ctx)
	defer cancel()
	limit := q.EffectiveLimit()
	traces, err := c.getTraces(ctx, op, "/api/v2/traces", searchParams(q, c.now()))
	if err != nil {
		var be *backend.Error
		if q.Service == "" && errors.As(err, &be) && be.Status == 400 &&
			strings.Contains(strings.ToLower(be.Excerpt), "servicename") {
			e := *be
			e.Err = backend.ErrServiceRequired
			return backend.SearchResult{}, &e
		}
		return backend.SearchResult{}, err
	}
	out := make([]backend.TraceSummary, 0, len(traces))
	for _, t := range traces {
		out = append(out, backend.Summarize(t))
	}
	return backend.SearchResult{Traces: backend.NewestFirst(out, limit), Limit: limit,
		LimitReached: len(traces) >= limit}, nil
}

// getTraces GETs a list of traces and decodes it while the body arrives.
func (c *Client) getTraces(ctx context.Context, op, path string, q url.Values) ([]*backend.Trace, error) {
	var traces []*backend.Trace
	_, err := c.h.Stream(ctx, op, path, q, func(r *httpc.Response, body io.Reader) error {
		if !r.IsJSON() {
			// The start is enough to say what came instead.
			r.Body, _ = io.ReadAll(io.LimitReader(body, 1<<10))
			return c.h.ContentTypeError(op, r)
		}
		ts, err := Decode(body)
		if err != nil {
			return c.h.DecodeError(op, r, err)
		}
		traces = ts
		return nil
	})
	if err != nil {
		return nil, err
	}
	return traces, nil
}

// wireID is the ID as Zipkin's strict lookup wants it: 16 hex for a 64-bit
// trace, else 32.
func wireID(id backend.TraceID) string { return id.Short() }

// Trace fetches one trace. An unknown ID gives a NotFound error. opts is
// accepted for the interface: Zipkin has no server-side adjusters to skip
// and no time window for a lookup.
func (c *Client) Trace(ctx context.Context, id backend.TraceID, _ backend.TraceOptions) (*backend.Trace, error) {
	parsed, err := backend.ParseTraceID(string(id))
	if err != nil {
		return nil, &backend.Error{Kind: backend.NotFound, Op: "get trace " + backend.Excerpt([]byte(id), 40),
			Offset: -1, Err: err}
	}
	ctx, cancel := c.h.Bound(ctx)
	defer cancel()
	id = parsed
	op := "get trace " + id.Short()
	traces, err := c.getTraces(ctx, op, "/api/v2/trace/"+url.PathEscape(wireID(id)), nil)
	if err != nil {
		return nil, err
	}
	return pick(traces, id, op)
}

// pick returns the trace with the wanted ID out of a decoded reply; a
// server that matches on the low 64 bits may return a longer ID.
func pick(traces []*backend.Trace, id backend.TraceID, op string) (*backend.Trace, error) {
	for _, t := range traces {
		if t.ID == id {
			return t, nil
		}
	}
	for _, t := range traces {
		if t.ID.Valid() && t.ID[16:] == id[16:] {
			return t, nil
		}
	}
	if len(traces) > 0 {
		return traces[0], nil
	}
	return nil, &backend.Error{Kind: backend.NotFound, Op: op, Offset: -1,
		Err: errors.New("the server returned no spans")}
}

// TraceMany fetches several traces at once; IDs the server does not know
// are left out of the result, not errors. Duplicates are asked for once.
func (c *Client) TraceMany(ctx context.Context, ids []backend.TraceID) ([]*backend.Trace, error) {
	ctx, cancel := c.h.Bound(ctx)
	defer cancel()
	var wanted []backend.TraceID
	seen := map[backend.TraceID]bool{}
	for _, id := range ids {
		id, err := backend.ParseTraceID(string(id))
		if err != nil {
			continue // no such trace can exist
		}
		if !seen[id] {
			seen[id] = true
			wanted = append(wanted, id)
		}
	}
	var out []*backend.Trace
	for chunk := range slices.Chunk(wanted, maxTraceManyIDs) {
		if len(chunk) == 1 {
			// traceMany refuses a single ID.
			t, err := c.Trace(ctx, chunk[0], backend.TraceOptions{})
			if errors.Is(err, backend.ErrNotFound) {
				continue
			}
			if err != nil {
				return nil, err
			}
			out = append(out, t)
			continue
		}
		parts := make([]string, len(chunk))
		for i, id := range chunk {
			parts[i] = wireID(id)
		}
		traces, err := c.getTraces(ctx, "get traces", "/api/v2/traceMany", url.Values{"traceIds": {strings.Join(parts, ",")}})
		if err != nil {
			return nil, err
		}
		out = append(out, traces...)
	}
	return out, nil
}

type wireLink struct {
	Parent     string `json:"parent"`
	Child      string `json:"child"`
	CallCount  int64  `json:"callCount"`
	ErrorCount int64  `json:"errorCount"`
}

// Dependencies lists service links in the window ending at end.
func (c *Client) Dependencies(ctx context.Context, end time.Time, lookback time.Duration) ([]backend.Dependency, error) {
	const op = "list dependencies"
	ctx, cancel := c.h.Bound(ctx)
	defer cancel()
	if end.IsZero() {
		end = c.now()
	}
	q := url.Values{"endTs": {strconv.FormatInt(end.UnixMilli(), 10)}}
	if lookback > 0 {
		q.Set("lookback", strconv.FormatInt(max(lookback.Milliseconds(), 1), 10))
	}
	resp, err := c.h.GetJSON(ctx, op, "/api/v2/dependencies", q)
	if err != nil {
		return nil, err
	}
	var links []wireLink
	if err := json.Unmarshal(resp.Body, &links); err != nil {
		return nil, c.h.DecodeError(op, resp, err)
	}
	out := make([]backend.Dependency, len(links))
	for i, l := range links {
		out[i] = backend.Dependency{Parent: l.Parent, Child: l.Child, CallCount: l.CallCount, ErrorCount: l.ErrorCount}
	}
	return out, nil
}
