// Package fakebackend is an in-memory backend.Backend for the TUI's tests:
// canned services, operations and traces, injectable errors, requests that
// block until released or cancelled, and a record of the calls made.
package fakebackend

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/tracetui/tracetui/backend"
)

// Backend is a fake backend. Set its fields before use; methods are safe for
// concurrent use.
type Backend struct {
	Label       string
	ServiceList []string
	Ops         map[string][]backend.Operation
	Traces      []*backend.Trace
	// Errs fails a method by name: "services", "operations", "search", "trace".
	Errs map[string]error
	// Block, when set, makes every call wait until it is closed or the
	// request is cancelled; Started receives the method name when a call
	// begins waiting.
	Block   chan struct{}
	Started chan string
	// Panic makes the named method panic (crash-report tests).
	Panic string
	// Progress, when set, is called with the request's backend.Progress
	// (when its context carries one) before the call blocks, as an HTTP
	// client counting a response body would.
	Progress func(method string, p *backend.Progress)

	mu      sync.Mutex
	calls   []string
	queries []backend.Query
}

// Queries returns the search queries received so far.
func (b *Backend) Queries() []backend.Query {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.queries)
}

// Name describes the backend.
func (b *Backend) Name() string {
	if b.Label != "" {
		return b.Label
	}
	return "fake"
}

// Calls returns the calls made so far, e.g. "operations orders".
func (b *Backend) Calls() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.calls)
}

func (b *Backend) enter(ctx context.Context, method, arg string) error {
	b.mu.Lock()
	call := method
	if arg != "" {
		call += " " + arg
	}
	b.calls = append(b.calls, call)
	b.mu.Unlock()
	if b.Panic == method {
		panic("fakebackend: " + method + " panicked on purpose")
	}
	if p := backend.ProgressFrom(ctx); p != nil && b.Progress != nil {
		b.Progress(method, p)
	}
	if b.Block != nil {
		if b.Started != nil {
			select {
			case b.Started <- method:
			case <-ctx.Done():
			}
		}
		select {
		case <-b.Block:
		case <-ctx.Done():
			return &backend.Error{Kind: backend.Canceled, Op: method, Err: ctx.Err()}
		}
	}
	if err := b.Errs[method]; err != nil {
		return err
	}
	return ctx.Err()
}

// Services lists the services.
func (b *Backend) Services(ctx context.Context) ([]string, error) {
	if err := b.enter(ctx, "services", ""); err != nil {
		return nil, err
	}
	return slices.Clone(b.ServiceList), nil
}

// Operations lists a service's operations.
func (b *Backend) Operations(ctx context.Context, service string) ([]backend.Operation, error) {
	if err := b.enter(ctx, "operations", service); err != nil {
		return nil, err
	}
	return slices.Clone(b.Ops[service]), nil
}

// Search matches the canned traces in memory, newest first.
func (b *Backend) Search(ctx context.Context, q backend.Query) ([]backend.TraceSummary, error) {
	b.mu.Lock()
	b.queries = append(b.queries, q)
	b.mu.Unlock()
	if err := b.enter(ctx, "search", q.Service); err != nil {
		return nil, err
	}
	start, end := q.Window(time.Now())
	var out []backend.TraceSummary
	for _, t := range b.Traces {
		if backend.MatchTrace(t, q, start.UnixNano(), end.UnixNano()) {
			out = append(out, backend.Summarize(t))
		}
	}
	slices.SortFunc(out, func(a, b backend.TraceSummary) int { return int(b.Start - a.Start) })
	if len(out) > q.EffectiveLimit() {
		out = out[:q.EffectiveLimit()]
	}
	return out, nil
}

// Trace returns a canned trace or a NotFound error.
func (b *Backend) Trace(ctx context.Context, id backend.TraceID, _ backend.TraceOptions) (*backend.Trace, error) {
	if err := b.enter(ctx, "trace", string(id)); err != nil {
		return nil, err
	}
	for _, t := range b.Traces {
		if t.ID == id {
			return t, nil
		}
	}
	return nil, &backend.Error{Kind: backend.NotFound, Op: "get trace " + string(id)}
}

// Shop returns a backend with a few services and traces of a small shop,
// the newest starting shortly before now.
func Shop(now time.Time) *Backend {
	b := &Backend{
		ServiceList: []string{"gateway", "inventory", "notification", "orders", "payment", "users"},
		Ops: map[string][]backend.Operation{
			"gateway":   {{Name: "GET /checkout", Kind: "server"}, {Name: "GET /users/{id}", Kind: "server"}, {Name: "POST /orders", Kind: "server"}},
			"orders":    {{Name: "POST /orders", Kind: "server"}, {Name: "reserve", Kind: "client"}, {Name: "SELECT orders", Kind: "client"}},
			"payment":   {{Name: "charge", Kind: "server"}},
			"inventory": {{Name: "reserve", Kind: "server"}},
		},
	}
	type sp struct {
		id, parent string
		svc, op    string
		start, dur time.Duration
		err        bool
	}
	mk := func(id string, at time.Duration, spans ...sp) *backend.Trace {
		t := &backend.Trace{ID: backend.TraceIDFromWire(id)}
		base := now.Add(-at)
		for _, s := range spans {
			span := backend.Span{
				TraceID: t.ID, SpanID: backend.SpanIDFromWire(s.id), Service: s.svc, Operation: s.op,
				Start: base.Add(s.start).UnixNano(), Duration: int64(s.dur),
				Process: &backend.Process{Service: s.svc},
			}
			if s.parent != "" {
				span.References = []backend.Ref{{Type: backend.RefChildOf, TraceID: t.ID, SpanID: backend.SpanIDFromWire(s.parent)}}
			}
			if s.err {
				span.Tags = append(span.Tags, backend.Bool("error", true))
			}
			span.Tags = append(span.Tags, backend.String("correlation_id", "corr-"+id))
			span.Finish()
			t.Spans = append(t.Spans, span)
		}
		return t
	}
	ms := time.Millisecond
	b.Traces = []*backend.Trace{
		mk("4bf92f3577b34da6a3ce929d0e0e4736", 3*time.Minute,
			sp{"1", "", "gateway", "GET /checkout", 0, 1240 * ms, true},
			sp{"2", "1", "orders", "POST /orders", 10 * ms, 900 * ms, true},
			sp{"3", "2", "payment", "charge", 100 * ms, 700 * ms, true},
			sp{"4", "2", "inventory", "reserve", 20 * ms, 60 * ms, false}),
		mk("a1", 10*time.Second,
			sp{"1", "", "gateway", "GET /users/{id}", 0, 35 * ms, false},
			sp{"2", "1", "users", "SELECT users", 5 * ms, 20 * ms, false}),
		mk("b2", 20*time.Minute,
			sp{"1", "", "orders", "POST /orders", 0, 480 * ms, false},
			sp{"2", "1", "inventory", "reserve", 10 * ms, 100 * ms, false},
			sp{"3", "1", "notification", "send", 200 * ms, 250 * ms, false}),
	}
	return b
}
