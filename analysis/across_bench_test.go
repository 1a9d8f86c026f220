package analysis

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/demo"
)

// acrossInput builds n traces of the given size from distinct demo batch
// imports. Past distinct traces, the same spans come back under new trace
// IDs, so that 50 traces of 10,000 spans do not hold 300 MB of input on a
// shared machine; the analysis does the same work for each.
func acrossInput(n, spans, distinct int) []*backend.Trace {
	base := make([]*backend.Trace, distinct)
	for k := range base {
		base[k] = demo.Generate(spans, int64(k+1), time.Unix(1_800_000_000, 0))
	}
	out := make([]*backend.Trace, n)
	for k := range out {
		b := base[k%distinct]
		out[k] = &backend.Trace{ID: backend.TraceID(fmt.Sprintf("%032x", k+1)), Spans: b.Spans}
	}
	return out
}

// benchAcross measures what `tracetui analyze` does after the fetch: add
// every trace, then one result. retained-B is the heap the aggregate keeps
// once the traces are gone.
func benchAcross(b *testing.B, traces []*backend.Trace) {
	kept := retained(traces)
	b.ReportAllocs()
	c := cpuTime()
	for b.Loop() {
		x := NewAcross()
		for _, t := range traces {
			x.Add(t)
		}
		_ = x.Result(DefaultSelection())
	}
	reportCPU(b, c)
	b.ReportMetric(float64(kept), "retained-B")
}

// retained is the live heap an aggregate of the traces holds.
func retained(traces []*backend.Trace) int64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	x := NewAcross()
	for _, t := range traces {
		x.Add(t)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(x)
	runtime.KeepAlive(traces)
	return int64(after.HeapAlloc) - int64(before.HeapAlloc)
}

// BenchmarkAcross500x100: 500 traces of 100 spans (budget: 1 s of CPU).
func BenchmarkAcross500x100(b *testing.B) {
	benchAcross(b, acrossInput(500, 100, 500))
}

// BenchmarkAcross50x10000: 50 traces of 10,000 spans (budget: 1 s of CPU).
func BenchmarkAcross50x10000(b *testing.B) {
	benchAcross(b, acrossInput(50, 10_000, 10))
}

// BenchmarkDiff10000: two traces of 10,000 spans analysed and compared,
// what `tracetui diff` does after the fetch (budget: 100 ms).
func BenchmarkDiff10000(b *testing.B) {
	ta := demo.Generate(10_000, 1, time.Unix(1_800_000_000, 0))
	tb := demo.Generate(10_000, 2, time.Unix(1_800_000_000, 0))
	b.ReportAllocs()
	c := cpuTime()
	for b.Loop() {
		_ = Compare(Analyze(ta), Analyze(tb))
	}
	reportCPU(b, c)
}

// BenchmarkAcrossResult is one Result over 500 traces of 100 spans already
// added: what a view pays to redraw while traces arrive or when the
// selection changes.
func BenchmarkAcrossResult(b *testing.B) {
	x := NewAcross()
	for _, t := range acrossInput(500, 100, 500) {
		x.Add(t)
	}
	b.ReportAllocs()
	c := cpuTime()
	for b.Loop() {
		_ = x.Result(DefaultSelection())
	}
	reportCPU(b, c)
}
