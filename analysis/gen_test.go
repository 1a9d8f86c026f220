package analysis

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/tracetui/tracetui/backend"
)

// genRealistic builds a trace shaped like a microservice request: a root
// fanning out through a few levels of services, children mostly sequential
// inside their parent with some parallel fan-out, a few errors, shared
// processes, tags and logs; spans shuffled as a store returns them.
func genRealistic(n int, seed uint64) *backend.Trace {
	r := rand.New(rand.NewPCG(seed, 0x7ace))
	const nServices = 24
	procs := make([]*backend.Process, nServices)
	svcOps := make([][]string, nServices)
	for k := range procs {
		name := "service-" + strconv.Itoa(k)
		procs[k] = &backend.Process{Service: name, Tags: []backend.KeyValue{
			backend.String("hostname", name+"-host"), backend.String("ip", "10.0.0."+strconv.Itoa(k)),
			backend.String("jaeger.version", "Go-2.30"),
		}}
		for o := 0; o < 6; o++ {
			svcOps[k] = append(svcOps[k], "op-"+strconv.Itoa(o))
		}
	}
	kinds := [...]backend.SpanKind{backend.KindServer, backend.KindClient, backend.KindInternal, backend.KindProducer, backend.KindConsumer}
	spans := make([]backend.Span, 0, n)
	mk := func(parent int, svc int, start, dur int64) int {
		id := backend.SpanIDFromUint64(r.Uint64() | 1)
		s := backend.Span{
			TraceID: "0af7651916cd43dd8448eb211c80319c", SpanID: id,
			Service: procs[svc].Service, Operation: svcOps[svc][r.IntN(len(svcOps[svc]))],
			Kind: kinds[r.IntN(len(kinds))], Start: start, Duration: dur, Process: procs[svc],
			Tags: []backend.KeyValue{
				backend.String("http.method", "GET"), backend.Int64("http.status_code", 200),
				backend.String("component", "net/http"), backend.String("http.url", "/api/v1/items/"+strconv.Itoa(len(spans))),
			},
		}
		if parent >= 0 {
			s.ParentID = spans[parent].SpanID
			s.References = []backend.Ref{{Type: backend.RefChildOf, TraceID: s.TraceID, SpanID: s.ParentID}}
			if r.IntN(50) == 0 {
				s.References[0].Type = backend.RefFollowsFrom
			}
		}
		if r.IntN(40) == 0 {
			s.Error = true
			s.Tags = append(s.Tags, backend.Bool("error", true))
			s.Logs = []backend.Log{{Time: start + dur/2, Fields: []backend.KeyValue{backend.String("event", "error"), backend.String("message", "boom")}}}
		}
		spans = append(spans, s)
		return len(spans) - 1
	}
	mk(-1, 0, 1_700_000_000_000_000_000, int64(n)*50_000)
	type item struct{ span, svc int }
	queue := []item{{0, 0}}
	for len(spans) < n {
		if len(queue) == 0 {
			queue = append(queue, item{r.IntN(len(spans)), r.IntN(nServices)})
		}
		it := queue[0]
		queue = queue[1:]
		p := &spans[it.span]
		k := 1 + r.IntN(7)
		k = min(k, n-len(spans))
		slot := p.Duration / int64(k+1)
		parallel := r.IntN(4) == 0
		for c := 0; c < k; c++ {
			svc := it.svc
			if r.IntN(3) == 0 {
				svc = r.IntN(nServices)
			}
			var start, dur int64
			if parallel {
				start = p.Start + int64(r.IntN(int(max(slot, 1))))
				dur = max(1, p.Duration/2+int64(r.IntN(int(max(p.Duration/2, 1)))))
				dur = min(dur, p.Start+p.Duration-start)
			} else {
				start = p.Start + int64(c)*slot + slot/2
				dur = max(1, slot-slot/8)
			}
			child := mk(it.span, svc, start, dur)
			queue = append(queue, item{child, svc})
			p = &spans[it.span] // mk may have moved the slice
		}
	}
	r.Shuffle(len(spans), func(i, j int) { spans[i], spans[j] = spans[j], spans[i] })
	// A decoder allocates each span's strings and slices as it reads the
	// span: redo that in the shuffled order so that memory locality is what
	// a decoded trace has, not what generation left behind.
	for i := range spans {
		s := &spans[i]
		s.SpanID = backend.SpanID(strings.Clone(string(s.SpanID)))
		s.ParentID = backend.SpanID(strings.Clone(string(s.ParentID)))
		s.References = slices.Clone(s.References)
		s.Tags = slices.Clone(s.Tags)
		for k := range s.Tags {
			s.Tags[k].Str = strings.Clone(s.Tags[k].Str)
		}
		s.Logs = slices.Clone(s.Logs)
	}
	return &backend.Trace{ID: "0af7651916cd43dd8448eb211c80319c", Spans: spans}
}

// decodeCompact turns fuzz bytes into a trace, 6 bytes a span: parent
// selector, start, duration, flags, ID selector, host. It reaches every
// shape the tree code must survive: duplicates, missing and self parents,
// cycles, zero and negative durations, coincident times, FOLLOWS_FROM,
// producer/consumer, errors and several hosts.
func decodeCompact(data []byte) *backend.Trace {
	n := len(data) / 6
	procs := [...]*backend.Process{
		{Service: "a", Tags: []backend.KeyValue{backend.String("host.ip", "1")}},
		{Service: "b", Tags: []backend.KeyValue{backend.String("host.ip", "2")}},
		{Service: "c", Tags: []backend.KeyValue{backend.String("hostname", "1")}},
		{Service: "a"},
	}
	idOf := func(sel byte, i int) backend.SpanID {
		if sel&0x80 != 0 { // a small ID space makes duplicates
			return backend.SpanID("d" + strconv.Itoa(int(sel&7)))
		}
		return backend.SpanID("s" + strconv.Itoa(i))
	}
	ids := make([]backend.SpanID, n)
	for i := 0; i < n; i++ {
		ids[i] = idOf(data[6*i+4], i)
	}
	spans := make([]backend.Span, n)
	for i := 0; i < n; i++ {
		b := data[6*i : 6*i+6]
		s := &spans[i]
		s.TraceID = "t"
		s.SpanID = ids[i]
		switch {
		case b[0] == 0:
		case b[0] == 255:
			s.ParentID = "missing"
		default:
			s.ParentID = ids[int(b[0]-1)%n]
		}
		if s.ParentID != "" {
			typ := backend.RefChildOf
			if b[3]&2 != 0 {
				typ = backend.RefFollowsFrom
			}
			s.References = []backend.Ref{{Type: typ, SpanID: s.ParentID}}
		}
		s.Start = int64(b[1] % 64)
		s.Duration = int64(b[2] % 64)
		if b[3]&0x20 != 0 {
			s.Duration = -s.Duration
		}
		s.Error = b[3]&1 != 0
		s.Kind = backend.SpanKind((b[3] >> 2) & 7 % 6)
		s.Process = procs[int(b[5])%len(procs)]
		s.Service = s.Process.Service
		s.Operation = "op" + strconv.Itoa(int(b[5]>>4))
	}
	return &backend.Trace{ID: "t", Spans: spans}
}
