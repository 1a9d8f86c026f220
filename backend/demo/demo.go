// Package demo is the embedded backend tracetui opens when no backend is
// given: a fixed, deterministic catalogue of traces of a small shop
// (api-gateway, user-service, order-service, inventory-service,
// payment-service, notification-service) with errors, retries, clock skew,
// asynchronous messaging, correlation IDs, baggage and logs, all within the
// hour before the time it is created with. Generate builds a trace of any
// size for benchmarks.
package demo

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tracetui/tracetui/backend"
)

// Notable traces of the catalogue, for tests, the README and screenshots.
// IDs do not depend on the time the backend is created with.
const (
	// CheckoutTraceID is a plain successful checkout of three items, with
	// a parallel stock check, a payment and an asynchronous receipt e-mail.
	CheckoutTraceID backend.TraceID = "5cafc3220cf07b817456bdccb5115d5a"
	// ErrorTraceID is a checkout whose payment is declined: the error
	// starts at payment-service's call to the provider and propagates up to
	// the gateway's 502.
	ErrorTraceID backend.TraceID = "fa743c1b7bcbdfa101c1954446e05900"
	// SkewTraceID is a checkout in which payment-service's clock is behind:
	// its server span starts before the client span that called it.
	SkewTraceID backend.TraceID = "5b8713771c70a561ed132c564f84df7f"
	// BigTraceID is a batch order import of BigTraceSpans spans.
	BigTraceID backend.TraceID = "4a9a2e0f1128b909ee885a66ed86409c"
	// OrphanTraceID is an order lookup whose gateway client span was lost,
	// so order-service's server span has a missing parent.
	OrphanTraceID backend.TraceID = "f69c8492fb75f730e7fb356dcdc82d86"
	// RetryTraceID is a checkout whose stock reservation fails on a
	// draining pod and succeeds when retried on another.
	RetryTraceID backend.TraceID = "9df6e5333e620e778a4515794d72067a"
	// SlowTraceID is a search whose full-text query takes over two seconds.
	SlowTraceID backend.TraceID = "8452e412267356d2a840668e601a12ff"
	// AsyncErrorTraceID is a successful checkout whose receipt e-mail fails
	// later in the notification consumer.
	AsyncErrorTraceID backend.TraceID = "48d3e6215ad495bc49eb9747d6ff8e9a"
	// LoginTraceID is a login traced with a 64-bit trace ID.
	LoginTraceID backend.TraceID = "00000000000000004832c3d33453af8a"
)

// Correlation IDs of notable traces, tagged correlation_id on every span.
const (
	CheckoutCorrelationID = "corr-51a2399988d9"
	ErrorCorrelationID    = "corr-7a5c04ce0349"
	SkewCorrelationID     = "corr-55e4d2e279da"
	BigCorrelationID      = "corr-f48a2dcc1bb0"
)

// BigTraceSpans is the size of the catalogue's big trace.
const BigTraceSpans = 12000

type recipe struct {
	seed  uint64
	kind  scenario
	ago   time.Duration
	short bool // a 64-bit trace ID, as older Jaeger clients send
	fault fault
	items int
}

// catalogue lists the demo's traces, newest first. Seeds fix IDs and
// timings; ago places each trace within the hour before now.
func catalogue() []recipe {
	return []recipe{
		{seed: 101, kind: scCheckout, ago: 2*time.Minute + 10*time.Second, items: 3},
		{seed: 102, kind: scBrowse, ago: 3*time.Minute + 40*time.Second},
		{seed: 103, kind: scProduct, ago: 5*time.Minute + 5*time.Second},
		{seed: 104, kind: scCheckout, ago: 6*time.Minute + 30*time.Second, items: 2, fault: declined},
		{seed: 105, kind: scLogin, ago: 8 * time.Minute, short: true},
		{seed: 106, kind: scSearch, ago: 9*time.Minute + 20*time.Second},
		{seed: 107, kind: scOrderStatus, ago: 11 * time.Minute},
		{seed: 108, kind: scCheckout, ago: 12*time.Minute + 30*time.Second, items: 2, fault: skew},
		{seed: 109, kind: scBrowse, ago: 14 * time.Minute},
		{seed: 110, kind: scRefund, ago: 15*time.Minute + 40*time.Second},
		{seed: 111, kind: scCheckout, ago: 17 * time.Minute, items: 4, fault: retry},
		{seed: 112, kind: scProduct, ago: 18*time.Minute + 30*time.Second},
		{seed: 113, kind: scLogin, ago: 20 * time.Minute, short: true, fault: badPassword},
		{seed: 114, kind: scSearch, ago: 21*time.Minute + 30*time.Second, fault: slow},
		{seed: 115, kind: scBatch, ago: 23 * time.Minute},
		{seed: 116, kind: scCheckout, ago: 25 * time.Minute, items: 5, fault: mailDown},
		{seed: 117, kind: scOrderStatus, ago: 26*time.Minute + 20*time.Second, fault: orphan},
		{seed: 118, kind: scBrowse, ago: 28 * time.Minute},
		{seed: 119, kind: scCheckout, ago: 30 * time.Minute, items: 1},
		{seed: 120, kind: scLogin, ago: 31*time.Minute + 30*time.Second, short: true},
		{seed: 121, kind: scCheckout, ago: 33 * time.Minute, items: 3, fault: lockTimeout},
		{seed: 122, kind: scProduct, ago: 34*time.Minute + 40*time.Second},
		{seed: 123, kind: scSearch, ago: 36 * time.Minute},
		{seed: 124, kind: scRefund, ago: 37*time.Minute + 30*time.Second},
		{seed: 125, kind: scCheckout, ago: 39 * time.Minute, items: 1, fault: declined},
		{seed: 126, kind: scBrowse, ago: 41 * time.Minute, fault: slow},
		{seed: 127, kind: scLogin, ago: 42*time.Minute + 30*time.Second, short: true, fault: sessionDown},
		{seed: 128, kind: scOrderStatus, ago: 44 * time.Minute},
		{seed: 129, kind: scCheckout, ago: 45*time.Minute + 30*time.Second, items: 2},
		{seed: 130, kind: scProduct, ago: 47 * time.Minute},
		{seed: 131, kind: scSearch, ago: 48*time.Minute + 40*time.Second},
		{seed: 132, kind: scCheckout, ago: 50 * time.Minute, items: 4, fault: declined},
		{seed: 133, kind: scLogin, ago: 51*time.Minute + 30*time.Second, short: true},
		{seed: 134, kind: scCheckout, ago: 53 * time.Minute, items: 6},
		{seed: 135, kind: scRefund, ago: 55 * time.Minute},
		{seed: 136, kind: scBrowse, ago: 57 * time.Minute},
	}
}

// build makes the trace of one recipe starting at start (ns).
func (rc recipe) build(start int64) *backend.Trace {
	if rc.kind == scBatch {
		return generate(BigTraceSpans, rc.seed, start)
	}
	b := newBuilder(rc.seed, traceIDFor(rc.seed, rc.short))
	switch rc.kind {
	case scCheckout, scRefund, scOrderStatus:
		tenant := "shop-eu"
		if b.r.percent(40) {
			tenant = "shop-us"
		}
		b.baggage = []backend.KeyValue{backend.String("tenant", tenant)}
		if rc.kind == scCheckout {
			b.baggage = append(b.baggage, backend.String("experiment", "one-page-checkout"))
		}
	}
	if rc.fault == skew {
		b.clock = map[string]int64{svcPayment: -b.d(12*time.Millisecond, 20*time.Millisecond)}
	}
	switch rc.kind {
	case scCheckout:
		b.checkout(start, rc.items, rc.fault)
	case scBrowse:
		b.browse(start, rc.fault)
	case scProduct:
		b.product(start)
	case scLogin:
		b.login(start, rc.fault)
	case scSearch:
		b.search(start, rc.fault)
	case scOrderStatus:
		b.orderStatus(start, rc.fault)
	case scRefund:
		b.refund(start)
	}
	return b.done()
}

// entry is one catalogue trace; the big one is built on first use so that
// New stays cheap at start-up.
type entry struct {
	id    backend.TraceID
	start int64
	trace *backend.Trace
	sum   backend.TraceSummary
}

// lazyTrace builds a trace and its summary once, on first use, from any
// goroutine.
type lazyTrace struct {
	once  sync.Once
	built atomic.Bool
	build func() *backend.Trace
	trace *backend.Trace
	sum   backend.TraceSummary
}

func (l *lazyTrace) get() (*backend.Trace, backend.TraceSummary) {
	l.once.Do(func() {
		l.trace = l.build()
		l.sum = backend.Summarize(l.trace)
		l.built.Store(true)
	})
	return l.trace, l.sum
}

// Backend serves the catalogue. It is safe for concurrent use; traces it
// returns are copies the caller may change.
type Backend struct {
	now     time.Time
	entries []entry
	bigAt   int // index of the big trace in entries
	big     lazyTrace
}

// New builds the catalogue with traces in the hour before now.
func New(now time.Time) *Backend {
	base := now.Truncate(time.Microsecond).UnixNano()
	recipes := catalogue()
	b := &Backend{now: now, entries: make([]entry, len(recipes)), bigAt: -1}
	for i, rc := range recipes {
		// A few seconds of jitter so traces do not start on round times.
		start := base - int64(rc.ago) - int64(mix(rc.seed)%uint64(20*time.Second))/us*us
		e := entry{start: start}
		if rc.kind == scBatch {
			e.id = traceIDFor(rc.seed, false)
			b.bigAt = i
			b.big.build = func() *backend.Trace { return rc.build(start) }
		} else {
			e.trace = rc.build(start)
			e.id = e.trace.ID
			e.sum = backend.Summarize(e.trace)
		}
		b.entries[i] = e
	}
	return b
}

func (b *Backend) traceAt(i int) *backend.Trace {
	t, _ := b.summaryAt(i)
	return t
}

func (b *Backend) summaryAt(i int) (*backend.Trace, backend.TraceSummary) {
	if i == b.bigAt {
		return b.big.get()
	}
	return b.entries[i].trace, b.entries[i].sum
}

// Name implements backend.Backend.
func (b *Backend) Name() string { return "demo" }

func ctxErr(ctx context.Context, op string) error {
	err := ctx.Err()
	if err == nil {
		return nil
	}
	kind := backend.Canceled
	if errors.Is(err, context.DeadlineExceeded) {
		kind = backend.Timeout
	}
	return &backend.Error{Kind: kind, Op: op, Offset: -1, Err: err}
}

// Services implements backend.Backend.
func (b *Backend) Services(ctx context.Context) ([]string, error) {
	if err := ctxErr(ctx, "services"); err != nil {
		return nil, err
	}
	s := ServiceNames()
	slices.Sort(s)
	return s, nil
}

// Operations implements backend.Backend: the service's operations with
// their span kinds, sorted by name then kind.
func (b *Backend) Operations(ctx context.Context, service string) ([]backend.Operation, error) {
	if err := ctxErr(ctx, "operations"); err != nil {
		return nil, err
	}
	seen := map[backend.Operation]bool{}
	var out []backend.Operation
	for i := range b.entries {
		t := b.traceAt(i)
		for j := range t.Spans {
			s := &t.Spans[j]
			if s.Service != service {
				continue
			}
			op := backend.Operation{Name: s.Operation, Kind: s.Kind.String()}
			if !seen[op] {
				seen[op] = true
				out = append(out, op)
			}
		}
	}
	slices.SortFunc(out, func(x, y backend.Operation) int {
		if c := strings.Compare(x.Name, y.Name); c != 0 {
			return c
		}
		return strings.Compare(x.Kind, y.Kind)
	})
	return out, nil
}

// Search implements backend.Backend with Jaeger's semantics
// (backend.MatchTrace); a query without a window searches the hour before
// the backend's now.
func (b *Backend) Search(ctx context.Context, q backend.Query) ([]backend.TraceSummary, error) {
	if err := ctxErr(ctx, "search"); err != nil {
		return nil, err
	}
	from, to := q.Window(b.now)
	var out []backend.TraceSummary
	for i := range b.entries {
		e := &b.entries[i]
		if e.start < from.UnixNano() || e.start > to.UnixNano() {
			continue
		}
		t, sum := b.summaryAt(i)
		if backend.MatchTrace(t, q, from.UnixNano(), to.UnixNano()) {
			sum.Services = slices.Clone(sum.Services)
			out = append(out, sum)
		}
	}
	out = backend.NewestFirst(out, q.EffectiveLimit())
	return out, nil
}

// Trace implements backend.Backend; the ID may be given in any form
// backend.ParseTraceID accepts.
func (b *Backend) Trace(ctx context.Context, id backend.TraceID, _ backend.TraceOptions) (*backend.Trace, error) {
	op := "get trace " + id.Short()
	if err := ctxErr(ctx, op); err != nil {
		return nil, err
	}
	want := backend.TraceIDFromWire(string(id))
	for i := range b.entries {
		if b.entries[i].id == want {
			return clone(b.traceAt(i)), nil
		}
	}
	return nil, &backend.Error{Kind: backend.NotFound, Op: op, Offset: -1}
}

// Dependencies implements backend.DependencyLister: the service edges of
// the traces that start within the window, counted per call.
func (b *Backend) Dependencies(ctx context.Context, end time.Time, lookback time.Duration) ([]backend.Dependency, error) {
	if err := ctxErr(ctx, "dependencies"); err != nil {
		return nil, err
	}
	from, to := end.Add(-lookback).UnixNano(), end.UnixNano()
	type edge struct{ parent, child string }
	counts := map[edge]*backend.Dependency{}
	for i := range b.entries {
		if s := b.entries[i].start; s < from || s > to {
			continue
		}
		t := b.traceAt(i)
		svc := make(map[backend.SpanID]string, len(t.Spans))
		for j := range t.Spans {
			svc[t.Spans[j].SpanID] = t.Spans[j].Service
		}
		for j := range t.Spans {
			s := &t.Spans[j]
			p, ok := svc[s.ParentID]
			if !ok || p == s.Service {
				continue
			}
			e := edge{p, s.Service}
			d := counts[e]
			if d == nil {
				d = &backend.Dependency{Parent: p, Child: s.Service}
				counts[e] = d
			}
			d.CallCount++
			if s.Error {
				d.ErrorCount++
			}
		}
	}
	out := make([]backend.Dependency, 0, len(counts))
	for _, d := range counts {
		out = append(out, *d)
	}
	slices.SortFunc(out, func(x, y backend.Dependency) int {
		if c := strings.Compare(x.Parent, y.Parent); c != 0 {
			return c
		}
		return strings.Compare(x.Child, y.Child)
	})
	return out, nil
}

// clone copies a trace deeply enough that the caller can change spans,
// tags, logs and processes without touching the catalogue.
func clone(t *backend.Trace) *backend.Trace {
	out := &backend.Trace{ID: t.ID, Spans: slices.Clone(t.Spans), Warnings: slices.Clone(t.Warnings)}
	procs := map[*backend.Process]*backend.Process{}
	// One block per kind of slice keeps a 12,000-span copy to a few
	// allocations.
	var nTags, nRefs, nLogs, nFields int
	for i := range t.Spans {
		s := &t.Spans[i]
		nTags += len(s.Tags)
		nRefs += len(s.References)
		nLogs += len(s.Logs)
		for _, l := range s.Logs {
			nFields += len(l.Fields)
		}
	}
	tags := make([]backend.KeyValue, 0, nTags)
	refs := make([]backend.Ref, 0, nRefs)
	logs := make([]backend.Log, 0, nLogs)
	fields := make([]backend.KeyValue, 0, nFields)
	for i := range out.Spans {
		s := &out.Spans[i]
		tags, s.Tags = appendBlock(tags, s.Tags)
		refs, s.References = appendBlock(refs, s.References)
		n := len(logs)
		for _, l := range s.Logs {
			fields, l.Fields = appendBlock(fields, l.Fields)
			logs = append(logs, l)
		}
		if s.Logs != nil {
			s.Logs = logs[n:len(logs):len(logs)]
		}
		if s.Warnings != nil {
			s.Warnings = slices.Clone(s.Warnings)
		}
		if s.Process != nil {
			p := procs[s.Process]
			if p == nil {
				p = &backend.Process{Service: s.Process.Service, Tags: slices.Clone(s.Process.Tags)}
				procs[s.Process] = p
			}
			s.Process = p
		}
	}
	return out
}

// appendBlock copies src onto the end of block and returns the copy as a
// slice of block that cannot grow into its neighbour.
func appendBlock[T any](block, src []T) ([]T, []T) {
	if src == nil {
		return block, nil
	}
	n := len(block)
	block = append(block, src...)
	return block, block[n:len(block):len(block)]
}
