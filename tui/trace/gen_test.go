package trace

import (
	"math/rand/v2"
	"strconv"

	"github.com/tracetui/tracetui/backend"
)

// genTrace builds a deterministic trace of n spans: a tree about ten levels
// deep with wide fan-out, children inside their parents, a few errors, a
// handful of services with shared processes.
func genTrace(n int, seed uint64) *backend.Trace {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	services := []string{"api-gateway", "orders", "inventory", "payment", "users", "notify"}
	procs := make([]*backend.Process, len(services))
	for k, s := range services {
		procs[k] = &backend.Process{Service: s, Tags: []backend.KeyValue{backend.String("hostname", s+"-1")}}
	}
	ops := []string{"GET /items", "POST /orders", "SELECT stock", "redis GET", "charge", "publish"}
	tid := backend.TraceIDFromUint64(seed, uint64(n))
	tr := &backend.Trace{ID: tid, Spans: make([]backend.Span, n)}
	depth := make([]int, n)
	parent := make([]int, n)
	for i := range n {
		s := &tr.Spans[i]
		s.TraceID = tid
		s.SpanID = backend.SpanIDFromUint64(uint64(i + 1))
		svc := rng.IntN(len(services))
		s.Service, s.Process = services[svc], procs[svc]
		s.Operation = ops[rng.IntN(len(ops))]
		if i == 0 {
			s.Start, s.Duration = t0, int64(n)*1000*1000
			s.Finish()
			continue
		}
		// Prefer recent spans as parents (depth), but not too deep.
		p := i - 1 - rng.IntN(min(i, 50))
		for depth[p] >= 10 {
			p = parent[p]
		}
		parent[i] = p
		depth[i] = depth[p] + 1
		ps := &tr.Spans[p]
		off := rng.Int64N(max(ps.Duration/2, 1))
		s.Start = ps.Start + off
		s.Duration = rng.Int64N(max(ps.Duration-off, 1))
		s.References = []backend.Ref{{Type: backend.RefChildOf, TraceID: tid, SpanID: ps.SpanID}}
		if rng.IntN(200) == 0 {
			s.Tags = []backend.KeyValue{backend.Bool("error", true)}
		}
		s.Tags = append(s.Tags, backend.String("i", strconv.Itoa(i)))
		s.Finish()
	}
	return tr
}
