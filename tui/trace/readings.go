package trace

import (
	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/present"
)

// reading is one reading of the trace with its tree and analysis: the raw
// times, or the times adjusted for clock skew. Everything drawn (bars,
// axis, header, critical path, statistics, error origins) comes from the
// reading shown, so that they agree with each other.
type reading struct {
	trace *backend.Trace
	td    *treeData     // nil until the tree command is back
	an    *analysisData // nil until the analysis command is back
}

// readings owns the trace as received (raw) and its skew-adjusted copy
// (adj, computed on the first press of the skew key), and which of the two
// is shown. The embedded reading is the one shown: the other parts read
// trace, td and an from here.
type readings struct {
	reading
	raw reading
	adj *reading
	// adjusted tells which reading is shown; pending that a press of the
	// skew key waits for adj.
	adjusted, pending bool
}

func newReadings(t *backend.Trace) readings {
	return readings{reading: reading{trace: t}, raw: reading{trace: t}}
}

// setTree installs the span tree of the raw reading.
func (r *readings) setTree(td *treeData) {
	r.td, r.raw.td = td, td
}

// setAnalysis installs the raw reading's analysis.
func (r *readings) setAnalysis(an *analysisData) {
	r.an = an
	r.raw = r.reading
}

// show switches to the raw or the adjusted reading; false when the
// adjusted one is not there yet.
func (r *readings) show(adjusted bool) bool {
	v := r.raw
	if adjusted {
		if r.adj == nil {
			return false
		}
		v = *r.adj
	}
	r.adjusted = adjusted
	r.reading = v
	return true
}

// spanStart is span i's start in the reading shown.
func (r *readings) spanStart(i int32) int64 { return r.trace.Spans[i].Start }

// spanEnd is span i's end in the reading shown; a negative duration counts
// as zero.
func (r *readings) spanEnd(i int32) int64 {
	return present.SpanEnd(r.spanStart(i), r.trace.Spans[i].Duration)
}

// warningCount counts the trace's warnings and, once known, the analysis's.
func (r *readings) warningCount() int {
	switch {
	case r.an != nil:
		return len(r.an.warnings)
	case r.td != nil:
		return len(r.trace.Warnings) + len(r.td.tree.Warnings)
	}
	return len(r.trace.Warnings)
}

// spanName is span i's service and operation, sanitized: deep rows cut
// them in the waterfall, so jumps name the span they landed on.
func (r *readings) spanName(i int32) string {
	if r.td == nil || i < 0 || int(i) >= len(r.td.ops) {
		return ""
	}
	return r.td.services[r.td.svc[i]] + " " + r.td.ops[i]
}

// hasCritical tells whether the analysis found a critical path.
func (r *readings) hasCritical() bool {
	return r.an != nil && r.an.critical != nil && len(r.an.critical.Spans) > 0
}
