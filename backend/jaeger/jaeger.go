// Package jaeger is the Jaeger query client. It speaks api_v3 (OTLP JSON)
// for listing and search and the "internal" /api JSON for whole traces, and
// falls back to /api for servers without api_v3. Endpoints are detected by
// their JSON content type: Jaeger answers unknown routes with 200 text/html
// (the UI page), so a non-JSON 200 means "not here".
package jaeger

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/internal/httpc"
	"github.com/tracetui/tracetui/backend/jaegerjson"
	"github.com/tracetui/tracetui/backend/otlp"
)

// API selects which Jaeger API a client uses.
type API int

const (
	// APIAuto tries api_v3 first and remembers what the server has.
	APIAuto API = iota
	// APIv3 uses only /api/v3 (for tests and for servers behind a proxy
	// that exposes nothing else).
	APIv3
	// APIv1 uses only the /api endpoints.
	APIv1
)

// Option configures a Client beyond backend.HTTPOptions.
type Option func(*settings)

type settings struct {
	api  API
	http []httpc.Option
}

// WithAPI forces one API instead of detecting it.
func WithAPI(a API) Option { return func(s *settings) { s.api = a } }

// Feature states remembered per client.
const (
	unknown int32 = iota
	present
	absent
)

// Client queries one Jaeger server. It is safe for concurrent use.
type Client struct {
	h   *httpc.Client
	api API
	// v3 says whether /api/v3 serves services, operations and traces;
	// summaries whether /api/v3/trace-summaries exists (Jaeger ≥ 2.19, which
	// also filters api_v3 searches by attributes); v1Ops whether
	// /api/operations exists (older servers only have the per-service path).
	v3, summaries, v1Ops atomic.Int32
}

var (
	_ backend.Backend          = (*Client)(nil)
	_ backend.DependencyLister = (*Client)(nil)
)

// New builds a client for the Jaeger query service at opts.URL.
func New(opts backend.HTTPOptions, options ...Option) (*Client, error) {
	var s settings
	for _, o := range options {
		o(&s)
	}
	h, err := httpc.New(opts, s.http...)
	if err != nil {
		return nil, err
	}
	return &Client{h: h, api: s.api}, nil
}

// Name is "jaeger " and the URL without credentials.
func (c *Client) Name() string { return "jaeger " + c.h.BaseURL() }

// Close releases idle connections.
func (c *Client) Close() { c.h.Close() }

// Timeout bounds each operation's whole wait: its requests, retries and
// endpoint fallbacks share one deadline (backend.ActionContext).
func (c *Client) Timeout() time.Duration { return c.h.Timeout() }

func (c *Client) useV3() bool {
	switch c.api {
	case APIv3:
		return true
	case APIv1:
		return false
	}
	return c.v3.Load() != absent
}

// notHere reports a 200 that is not JSON: the UI page Jaeger serves for
// routes it does not have.
func notHere(resp *httpc.Response, err error) bool {
	return err == nil && resp != nil && !looksJSON(resp)
}

// looksJSON accepts a declared JSON body, and also a JSON body sent as
// text/plain or with no type: Jaeger's api_v3 handlers (v1.76 at least)
// write their JSON without a Content-Type, so Go labels it text/plain. The
// UI page for unknown routes is text/html, which is what tells them apart.
func looksJSON(resp *httpc.Response) bool {
	if resp.IsJSON() {
		return true
	}
	if resp.ContentType != "" && resp.ContentType != "text/plain" {
		return false
	}
	for _, b := range resp.Body {
		switch b {
		case ' ', '\t', '\r', '\n':
			continue
		case '{', '[':
			return true
		}
		return false
	}
	return false
}

// Services lists the services Jaeger knows, sorted.
func (c *Client) Services(ctx context.Context) ([]string, error) {
	const op = "list services"
	ctx, cancel := c.h.Bound(ctx)
	defer cancel()
	if c.useV3() {
		var body struct {
			Services []string `json:"services"`
		}
		ok, err := c.getV3(ctx, op, "/api/v3/services", nil, &body)
		if err != nil {
			return nil, err
		}
		if ok {
			return sorted(body.Services), nil
		}
	}
	var services []string
	if err := c.getV1(ctx, op, "/api/services", nil, &services); err != nil {
		return nil, err
	}
	return sorted(services), nil
}

func sorted(s []string) []string {
	if s == nil {
		s = []string{}
	}
	slices.Sort(s)
	return slices.Compact(s)
}

// Operations lists a service's operations with their span kinds, sorted by
// name then kind.
func (c *Client) Operations(ctx context.Context, service string) ([]backend.Operation, error) {
	const op = "list operations"
	ctx, cancel := c.h.Bound(ctx)
	defer cancel()
	type wireOp struct {
		Name     string `json:"name"`
		SpanKind string `json:"spanKind"`
	}
	convert := func(in []wireOp) []backend.Operation {
		out := make([]backend.Operation, 0, len(in))
		for _, o := range in {
			out = append(out, backend.Operation{Name: o.Name, Kind: backend.ParseSpanKind(o.SpanKind).String()})
		}
		slices.SortFunc(out, func(a, b backend.Operation) int {
			if c := strings.Compare(a.Name, b.Name); c != 0 {
				return c
			}
			return strings.Compare(a.Kind, b.Kind)
		})
		return slices.Compact(out)
	}
	if c.useV3() {
		var body struct {
			Operations []wireOp `json:"operations"`
		}
		// span_kind is the only spelling v1.76 understands; empty means all.
		q := url.Values{"service": {service}, "span_kind": {""}}
		ok, err := c.getV3(ctx, op, "/api/v3/operations", q, &body)
		if err != nil {
			return nil, err
		}
		if ok {
			return convert(body.Operations), nil
		}
	}
	if c.v1Ops.Load() != absent {
		var ops []wireOp
		err := c.getV1(ctx, op, "/api/operations", url.Values{"service": {service}}, &ops)
		if err == nil {
			c.v1Ops.Store(present)
			return convert(ops), nil
		}
		if !errors.Is(err, errNotJSON) {
			return nil, err
		}
		c.v1Ops.Store(absent)
	}
	var names []string
	if err := c.getV1(ctx, op, "/api/services/"+url.PathEscape(service)+"/operations", nil, &names); err != nil {
		return nil, err
	}
	ops := make([]wireOp, len(names))
	for i, n := range names {
		ops[i].Name = n
	}
	return convert(ops), nil
}

// getV3 GETs an api_v3 listing and decodes it into out. ok is false when
// detection finds no api_v3 (then it is not asked again) and the caller
// falls back to /api.
func (c *Client) getV3(ctx context.Context, op, path string, q url.Values, out any) (ok bool, err error) {
	resp, err := c.h.Get(ctx, op, path, q)
	if notHere(resp, err) && c.api == APIAuto {
		c.v3.Store(absent)
		return false, nil
	}
	if err = c.check(op, resp, err); err != nil {
		return false, err
	}
	if err := c.decodeJSON(op, resp, out); err != nil {
		return false, err
	}
	c.v3.Store(present)
	return true, nil
}

// errNotJSON marks a 200 answer that is not JSON, for callers that fall back.
var errNotJSON = errors.New("not a JSON endpoint")

// getV1 GETs a v1 endpoint and decodes the envelope's data into out.
func (c *Client) getV1(ctx context.Context, op, path string, q url.Values, out any) error {
	resp, err := c.h.Get(ctx, op, path, q)
	if notHere(resp, err) {
		e := c.h.ContentTypeError(op, resp)
		e.Err = errNotJSON
		return e
	}
	if err = c.check(op, resp, err); err != nil {
		return err
	}
	var env struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Code int    `json:"code"`
			Msg  string `json:"msg"`
		} `json:"errors"`
	}
	if err := c.decodeJSON(op, resp, &env); err != nil {
		return err
	}
	if len(env.Errors) > 0 && (len(env.Data) == 0 || string(env.Data) == "null") {
		return &backend.Error{Kind: backend.BadResponse, Op: op, URL: resp.URL, Status: resp.Status,
			Offset: -1, Excerpt: c.h.Excerpt([]byte(env.Errors[0].Msg), httpc.ExcerptRunes)}
	}
	if len(env.Data) == 0 || string(env.Data) == "null" {
		return nil
	}
	if err := json.Unmarshal(env.Data, out); err != nil {
		return c.h.DecodeError(op, resp, err)
	}
	return nil
}

// check turns a failed request into its error, replacing the raw body
// excerpt with Jaeger's own message when the body is one of its error
// documents.
func (c *Client) check(op string, resp *httpc.Response, err error) error {
	if err == nil {
		return nil
	}
	var be *backend.Error
	if resp != nil && errors.As(err, &be) && be.Status != 0 {
		if msg := serverMessage(resp.Body); msg != "" {
			be.Excerpt = c.h.Excerpt([]byte(msg), httpc.ExcerptRunes)
		}
	}
	return err
}

// serverMessage extracts the message of a v1 envelope error
// ({"errors":[{"msg"}]}) or an api_v3 error ({"error":{"message"}}).
func serverMessage(body []byte) string {
	var doc struct {
		Errors []struct {
			Msg string `json:"msg"`
		} `json:"errors"`
		Error *struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(bytes.TrimSpace(body), &doc) != nil {
		return ""
	}
	if doc.Error != nil && doc.Error.Message != "" {
		return doc.Error.Message
	}
	var msgs []string
	for _, e := range doc.Errors {
		if e.Msg != "" {
			msgs = append(msgs, e.Msg)
		}
	}
	return strings.Join(msgs, "; ")
}

// isV3NotFound reports an api_v3 "no traces" answer: 404 from v1.54 on, and
// the grpc-gateway's 500 "trace not found" on older servers.
func isV3NotFound(resp *httpc.Response) bool {
	if resp == nil {
		return false
	}
	// The status alone is not enough: a URL that misses Jaeger (a wrong
	// path prefix) answers 404 too, and must not read as "no traces".
	msg := strings.ToLower(serverMessage(resp.Body))
	return (resp.Status == 404 || resp.Status == 500) &&
		(strings.Contains(msg, "no traces found") || strings.Contains(msg, "not found"))
}

func (c *Client) decodeJSON(op string, resp *httpc.Response, out any) error {
	if !looksJSON(resp) {
		return c.h.ContentTypeError(op, resp)
	}
	if err := json.Unmarshal(resp.Body, out); err != nil {
		return c.h.DecodeError(op, resp, err)
	}
	return nil
}

// Trace fetches one whole trace from /api/traces/{id} (v1 JSON), or from
// /api/v3/traces/{id} when the v1 path is not there or APIv3 is forced.
// It always asks for the raw trace and, unless opts.Raw, adjusts its
// structure here as the server would (adjustRaw says why). Spans Jaeger
// stored without a start time (Zipkin fragments) are placed at their
// parent's start either way (backend.PlaceUntimed).
func (c *Client) Trace(ctx context.Context, id backend.TraceID, opts backend.TraceOptions) (*backend.Trace, error) {
	ctx, cancel := c.h.Bound(ctx)
	defer cancel()
	tr, err := c.trace(ctx, id, opts)
	if err == nil && !opts.Raw {
		adjustRaw(tr)
	}
	if err == nil {
		backend.PlaceUntimed(tr)
	}
	return tr, err
}

func (c *Client) trace(ctx context.Context, id backend.TraceID, opts backend.TraceOptions) (*backend.Trace, error) {
	norm, perr := backend.ParseTraceID(string(id))
	if perr != nil {
		return nil, &backend.Error{Kind: backend.NotFound, Op: "get trace", Offset: -1,
			Excerpt: "not a trace ID: " + backend.Excerpt([]byte(id), 40)}
	}
	id = norm
	op := "get trace " + id.Short()
	opts.Raw = true
	if c.api != APIv3 {
		// v1 JSON prints 64-bit IDs as 16 hex; every version accepts that form.
		traces, resp, notJSON, err := c.fetchTraces(ctx, op, "/api/traces/"+id.Short(), v1Spelling().trace(opts), jaegerjson.Decode)
		if !notJSON || c.api == APIv1 {
			if err != nil {
				return nil, err
			}
			if notJSON {
				return nil, c.h.ContentTypeError(op, resp)
			}
			return pick(op, resp, id, traces)
		}
	}
	traces, resp, notJSON, err := c.fetchTraces(ctx, op, "/api/v3/traces/"+string(id), v3Spelling().trace(opts), otlp.Decode)
	if err != nil && isV3NotFound(resp) {
		return nil, &backend.Error{Kind: backend.NotFound, Op: op, URL: resp.URL, Status: resp.Status, Offset: -1,
			Excerpt: c.h.Excerpt([]byte(serverMessage(resp.Body)), httpc.ExcerptRunes)}
	}
	if err != nil {
		return nil, err
	}
	if notJSON {
		return nil, c.h.ContentTypeError(op, resp)
	}
	return pick(op, resp, id, traces)
}

// fetchTraces GETs a traces endpoint and decodes its answer with the
// decoder of its format while the body arrives (fetchDecoded).
func (c *Client) fetchTraces(ctx context.Context, op, path string, q url.Values, decode func(io.Reader) ([]*backend.Trace, error)) ([]*backend.Trace, *httpc.Response, bool, error) {
	return fetchDecoded(ctx, c, op, path, q, decode)
}

// fetchDecoded GETs path and decodes the answer while the body arrives.
// notJSON reports a 2xx answer that is not JSON (the UI page Jaeger serves
// for a route it does not have), whose start is then in resp.Body for the
// caller's fallback or error. Failures are mapped to their *backend.Error,
// the server's own message preferred for a failed status.
func fetchDecoded[T any](ctx context.Context, c *Client, op, path string, q url.Values, decode func(io.Reader) (T, error)) (out T, resp *httpc.Response, notJSON bool, err error) {
	resp, err = c.h.Stream(ctx, op, path, q, func(r *httpc.Response, body io.Reader) error {
		br, ok := sniffJSON(r, body)
		if !ok {
			return errNotJSONBody
		}
		v, err := decode(br)
		if err != nil {
			return decodeFailure{err}
		}
		out = v
		return nil
	})
	var df decodeFailure
	switch {
	case errors.Is(err, errNotJSONBody):
		return out, resp, true, nil
	case errors.As(err, &df):
		return out, resp, false, c.h.DecodeError(op, resp, df.err)
	case err != nil:
		return out, resp, false, c.check(op, resp, err)
	}
	return out, resp, false, nil
}

// errNotJSONBody ends the read of a 2xx body that is not JSON.
var errNotJSONBody = errors.New("not a JSON body")

// decodeFailure marks a decoder's error in a streamed body, apart from the
// body's own failures, which Stream reports itself.
type decodeFailure struct{ err error }

func (d decodeFailure) Error() string { return d.err.Error() }

// sniffJSON is looksJSON for a body that is still arriving: it peeks at the
// first bytes that are not white space. A body that is not JSON is read
// (its first KiB) into r.Body for the error that says so.
func sniffJSON(r *httpc.Response, body io.Reader) (*bufio.Reader, bool) {
	br := bufio.NewReaderSize(body, 64<<10)
	ok := r.IsJSON()
	if !ok && (r.ContentType == "" || r.ContentType == "text/plain") {
		for i := 1; i <= 4096; i++ {
			b, _ := br.Peek(i)
			if len(b) < i {
				break
			}
			if c := b[i-1]; c == ' ' || c == '\t' || c == '\r' || c == '\n' {
				continue
			} else {
				ok = c == '{' || c == '['
			}
			break
		}
	}
	if !ok {
		r.Body, _ = io.ReadAll(io.LimitReader(br, 1<<10))
	}
	return br, ok
}

// pick returns the trace with the wanted ID from a decoded answer.
func pick(op string, resp *httpc.Response, id backend.TraceID, traces []*backend.Trace) (*backend.Trace, error) {
	for _, t := range traces {
		if t.ID == id {
			return t, nil
		}
	}
	if len(traces) == 1 {
		// Servers may pad or shorten IDs differently; one answer is the one asked for.
		return traces[0], nil
	}
	return nil, &backend.Error{Kind: backend.NotFound, Op: op, URL: resp.URL, Offset: -1,
		Err: errors.New("trace not in the answer")}
}

// Dependencies lists service call edges seen in the window ending at end.
func (c *Client) Dependencies(ctx context.Context, end time.Time, lookback time.Duration) ([]backend.Dependency, error) {
	const op = "list dependencies"
	ctx, cancel := c.h.Bound(ctx)
	defer cancel()
	if end.IsZero() {
		end = time.Now()
	}
	if lookback <= 0 {
		lookback = 24 * time.Hour
	}
	var links []struct {
		Parent    string `json:"parent"`
		Child     string `json:"child"`
		CallCount int64  `json:"callCount"`
	}
	q := url.Values{
		"endTs":    {strconv.FormatInt(end.UnixMilli(), 10)},
		"lookback": {strconv.FormatInt(lookback.Milliseconds(), 10)},
	}
	if err := c.getV1(ctx, op, "/api/dependencies", q, &links); err != nil {
		return nil, err
	}
	out := make([]backend.Dependency, 0, len(links))
	for _, l := range links {
		out = append(out, backend.Dependency{Parent: l.Parent, Child: l.Child, CallCount: l.CallCount})
	}
	slices.SortFunc(out, func(a, b backend.Dependency) int {
		if c := strings.Compare(a.Parent, b.Parent); c != 0 {
			return c
		}
		return strings.Compare(a.Child, b.Child)
	})
	return out, nil
}
