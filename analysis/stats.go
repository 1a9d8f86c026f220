package analysis

import (
	"math"
	"slices"
	"strings"
)

// ComputeStats aggregates spans per service and per operation (count,
// errors, total and self time, min, max, average, self time as a share of
// all spans' self time) and counts the
// service-to-service calls within the trace: a child whose service differs
// from its parent's is one call, an error when the child span errored.
// self is SelfTimes(tree).
//
// Kept in one function: one pass over the spans fills both tables and the calls.
func ComputeStats(tree *Tree, self []int64) Stats {
	spans := tree.Trace.Spans

	type opKey struct{ service, name string }
	svcIdx := make(map[string]int)
	opIdx := make(map[opKey]int)
	// svcOf lets the edge count look up a parent's service in a compact
	// array rather than in the parent's span struct, far away in memory.
	svcOf := make([]int32, len(spans))
	edgeIdx := make(map[uint64]int)
	st := Stats{Services: []ServiceStat{}, Operations: []OperationStat{}, Edges: []Edge{}}

	// Spans of one service and operation tend to come in runs; remembering
	// the last key skips most map lookups (interned strings compare by
	// pointer first).
	lastSvc, lastSvcI := "", -1
	lastOp, lastOpI := opKey{}, -1
	for i := range spans {
		s := &spans[i]
		d := spanEnd(s) - s.Start

		si := lastSvcI
		if si < 0 || s.Service != lastSvc {
			var ok bool
			if si, ok = svcIdx[s.Service]; !ok {
				si = len(st.Services)
				svcIdx[s.Service] = si
				st.Services = append(st.Services, ServiceStat{Name: s.Service, Min: d, Max: d})
			}
			lastSvc, lastSvcI = s.Service, si
		}
		svcOf[i] = int32(si)
		ss := &st.Services[si]
		ss.Count++
		ss.Total = satAdd(ss.Total, d)
		ss.Self = satAdd(ss.Self, self[i])
		ss.Min, ss.Max = min(ss.Min, d), max(ss.Max, d)
		if s.Error {
			ss.Errors++
		}

		k := opKey{s.Service, s.Operation}
		oi := lastOpI
		if oi < 0 || k != lastOp {
			var ok bool
			if oi, ok = opIdx[k]; !ok {
				oi = len(st.Operations)
				opIdx[k] = oi
				st.Operations = append(st.Operations, OperationStat{Service: s.Service, Name: s.Operation, Min: d, Max: d})
			}
			lastOp, lastOpI = k, oi
		}
		os := &st.Operations[oi]
		os.Count++
		os.Total = satAdd(os.Total, d)
		os.Self = satAdd(os.Self, self[i])
		os.Min, os.Max = min(os.Min, d), max(os.Max, d)
		if s.Error {
			os.Errors++
		}
	}
	for i := range spans {
		p := tree.Parent[i]
		if p < 0 || svcOf[p] == svcOf[i] {
			continue
		}
		ek := uint64(svcOf[p])<<32 | uint64(svcOf[i])
		ei, ok := edgeIdx[ek]
		if !ok {
			ei = len(st.Edges)
			edgeIdx[ek] = ei
			st.Edges = append(st.Edges, Edge{From: st.Services[svcOf[p]].Name, To: st.Services[svcOf[i]].Name})
		}
		st.Edges[ei].Calls++
		if spans[i].Error {
			st.Edges[ei].Errors++
		}
	}

	// Shares are of all spans' self time, not of the trace's duration (as
	// Jaeger UI's "ST in Duration" is): the two agree on a clean
	// single-root trace, but several roots, spans outside their root or
	// parallel children made the latter exceed 100% per service. Summed in
	// float64 so that hostile durations cannot wrap the denominator.
	var allSelf float64
	for _, s := range st.Services {
		allSelf += float64(s.Self)
	}
	share := func(self int64) float64 {
		if allSelf <= 0 {
			return 0
		}
		return float64(self) / allSelf
	}
	for k := range st.Services {
		s := &st.Services[k]
		// A saturated total would put the average below the minimum.
		s.Avg = min(max(s.Total/int64(s.Count), s.Min), s.Max)
		s.SelfFraction = share(s.Self)
	}
	for k := range st.Operations {
		o := &st.Operations[k]
		o.Avg = min(max(o.Total/int64(o.Count), o.Min), o.Max)
		o.SelfFraction = share(o.Self)
	}
	slices.SortFunc(st.Services, func(a, b ServiceStat) int {
		if c := cmp64(b.Self, a.Self); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	slices.SortFunc(st.Operations, func(a, b OperationStat) int {
		if c := cmp64(b.Self, a.Self); c != 0 {
			return c
		}
		if c := strings.Compare(a.Service, b.Service); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	slices.SortFunc(st.Edges, func(a, b Edge) int {
		if c := strings.Compare(a.From, b.From); c != 0 {
			return c
		}
		return strings.Compare(a.To, b.To)
	})
	return st
}

// satAdd adds non-negative times, saturating: a hostile trace's huge
// durations must not wrap a total into a negative one.
func satAdd(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}
