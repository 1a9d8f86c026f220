package analysis

import (
	"math"
	"slices"
)

// DefaultBuckets is the latency histogram's number of buckets when the
// caller has no width to fit (the JSON output).
const DefaultBuckets = 20

// Latency is the distribution of trace durations, ns.
type Latency struct {
	Min, P50, P90, P99, Max int64
	// Buckets are log-scale: each bucket's To is a fixed multiple of its
	// From, from the shortest trace to the longest.
	Buckets []LatencyBucket
}

// LatencyBucket counts the traces with From <= duration < To.
type LatencyBucket struct {
	From, To int64
	Count    int
	// ErrorCount is the number of those traces with an error span.
	ErrorCount int
	// Selected is the number of those traces in the selection.
	Selected int
}

// percentile is the nearest-rank percentile of sorted durations.
func percentile(sorted []int64, p float64) int64 {
	if len(sorted) == 0 {
		return 0
	}
	k := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return sorted[min(max(k, 0), len(sorted)-1)]
}

// latency summarises durations (one per trace, with its error flag and
// selection) into percentiles and n log-scale buckets.
func latency(durs []int64, errs, sel []bool, n int) Latency {
	var l Latency
	l.Buckets = []LatencyBucket{}
	if len(durs) == 0 {
		return l
	}
	sorted := slices.Clone(durs)
	slices.Sort(sorted)
	l.Min, l.Max = sorted[0], sorted[len(sorted)-1]
	l.P50, l.P90, l.P99 = percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99)
	edges := logEdges(l.Min, l.Max, max(n, 1))
	l.Buckets = make([]LatencyBucket, len(edges)-1)
	for k := range l.Buckets {
		l.Buckets[k].From, l.Buckets[k].To = edges[k], edges[k+1]
	}
	for i, d := range durs {
		// The last edge is above the longest trace, so k is in range.
		k, found := slices.BinarySearch(edges, d)
		if !found {
			k--
		}
		k = min(max(k, 0), len(l.Buckets)-1)
		b := &l.Buckets[k]
		b.Count++
		if errs[i] {
			b.ErrorCount++
		}
		if sel[i] {
			b.Selected++
		}
	}
	return l
}

// logEdges returns n+1 increasing bucket edges from lo to just above hi,
// spaced evenly on a log scale and rounded to whole microseconds (what
// Jaeger and Zipkin record). Durations under 1 µs share the first bucket.
func logEdges(lo, hi int64, n int) []int64 {
	const us = 1000
	end := hi + 1
	if end <= hi { // hi is MaxInt64
		end = hi
	}
	base := max(lo, us)
	if hi <= base || n == 1 {
		return []int64{lo, max(end, lo+1)}
	}
	ratio := math.Log(float64(hi) / float64(base))
	edges := []int64{lo}
	for k := 1; k < n; k++ {
		e := int64(float64(base)*math.Exp(ratio*float64(k)/float64(n))) / us * us
		if e > edges[len(edges)-1] && e < end {
			edges = append(edges, e)
		}
	}
	return append(edges, end)
}
