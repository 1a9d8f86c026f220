package analysis

// SelfTimes returns each span's self time: its duration minus the union of
// its children's intervals clipped to the span (Jaeger UI's
// compute-span-self-time). The result is always within [0, duration].
func SelfTimes(tree *Tree) []int64 {
	spans := tree.Trace.Spans
	self := make([]int64, len(spans))
	// Children are scattered over the trace: look them up in compact arrays.
	starts, ends := intervals(spans)
	for i := range spans {
		start, end := starts[i], ends[i]
		covered := int64(0)
		// Children come ordered by start, so the union is one sweep.
		curS, curE := int64(0), int64(0)
		open := false
		for _, c := range tree.Children(int32(i)) {
			cs, ce := max(starts[c], start), min(ends[c], end)
			if ce <= cs {
				continue
			}
			switch {
			case !open:
				curS, curE, open = cs, ce, true
			case cs > curE:
				covered += curE - curS
				curS, curE = cs, ce
			default:
				curE = max(curE, ce)
			}
		}
		if open {
			covered += curE - curS
		}
		self[i] = max(0, (end-start)-covered)
	}
	return self
}
