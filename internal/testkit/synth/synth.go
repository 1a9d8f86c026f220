// Package synth builds deterministic synthetic traces of any size for the
// decoders' tests and benchmarks, without depending on the demo backend.
// The shape follows what real traces repeat: a few services and operations,
// the same tag keys on every span, short repeated values, some unique ones.
package synth

import (
	"fmt"
	"math/rand/v2"

	"github.com/tracetui/tracetui/backend"
)

// Trace returns a trace of n spans (n >= 1): a tree with fan-out, typed tags
// of every kind, logs on some spans, an error or two, a FOLLOWS_FROM link
// now and then. Times are µs-aligned so that Jaeger JSON keeps them exact.
func Trace(n int, seed int64) *backend.Trace {
	services := [...]string{"api-gateway", "user-service", "order-service", "inventory", "payment", "notification"}
	ops := [...]string{"GET /api/orders", "POST /api/orders", "SELECT orders", "redis GET", "charge", "publish order.created", "HTTP GET", "reserve"}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed))
	tid := backend.TraceIDFromUint64(rng.Uint64(), rng.Uint64())
	procs := make([]*backend.Process, len(services))
	for i, s := range services {
		procs[i] = &backend.Process{Service: s, Tags: []backend.KeyValue{
			backend.String("hostname", fmt.Sprintf("%s-7d9f8b-%d", s, i)),
			backend.String("ip", fmt.Sprintf("10.0.%d.%d", i, 10+i)),
			backend.String("client-uuid", fmt.Sprintf("%016x", rng.Uint64())),
			backend.String("jaeger.version", "Go-2.30.0"),
		}}
	}
	t := &backend.Trace{ID: tid, Spans: make([]backend.Span, n)}
	start := int64(1_750_000_000_000_000) * 1000
	for i := range t.Spans {
		sp := &t.Spans[i]
		sp.TraceID = tid
		sp.SpanID = backend.SpanIDFromUint64(rng.Uint64() | 1)
		svc := rng.IntN(len(services))
		if i == 0 {
			svc = 0
		}
		sp.Process = procs[svc]
		sp.Service = procs[svc].Service
		sp.Operation = ops[rng.IntN(len(ops))]
		sp.Kind = backend.SpanKind(1 + rng.IntN(5))
		sp.Start = start + int64(i)*1000 + int64(rng.IntN(1000))*1000
		sp.Duration = int64(1+rng.IntN(50_000)) * 1000
		if i > 0 {
			parent := rng.IntN(i)
			if i > 8 && rng.IntN(4) > 0 {
				parent = i - 1 - rng.IntN(min(i, 8))
			}
			sp.References = []backend.Ref{{Type: backend.RefChildOf, TraceID: tid, SpanID: t.Spans[parent].SpanID}}
			if rng.IntN(50) == 0 {
				sp.References = append(sp.References, backend.Ref{Type: backend.RefFollowsFrom, TraceID: tid, SpanID: t.Spans[rng.IntN(i)].SpanID})
			}
		}
		status := []int64{200, 200, 200, 201, 404, 500}[rng.IntN(6)]
		sp.Tags = []backend.KeyValue{
			backend.String("component", "net/http"),
			backend.String("http.method", []string{"GET", "POST", "PUT"}[rng.IntN(3)]),
			backend.String("http.url", fmt.Sprintf("https://shop.example.com/api/orders/%d?expand=items", rng.IntN(1_000_000))),
			backend.Int64("http.status_code", status),
			backend.String("correlation_id", fmt.Sprintf("%08x-%04x-4%03x", rng.Uint32(), rng.IntN(1<<16), rng.IntN(1<<12))),
			backend.Float64("sampler.param", 0.25),
			backend.String("peer.service", services[rng.IntN(len(services))]),
			backend.Int64("db.rows", int64(rng.IntN(100))),
		}
		if status == 500 {
			sp.Tags = append(sp.Tags, backend.Bool("error", true))
		}
		if rng.IntN(100) == 0 {
			sp.Tags = append(sp.Tags, backend.Binary("payload", []byte{0, 1, 2, 0xff}), backend.Int64("big", 1<<60+3))
		}
		if rng.IntN(5) == 0 {
			sp.Logs = []backend.Log{{Time: sp.Start + 1000, Fields: []backend.KeyValue{
				backend.String("event", "retry"), backend.Int64("attempt", int64(1+rng.IntN(3))),
				backend.String("message", "upstream timed out, retrying"),
			}}}
		}
		sp.Finish()
	}
	return t
}
