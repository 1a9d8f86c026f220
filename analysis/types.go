// Package analysis answers "where did the time go" and "where did the error
// start" with pure functions over the backend model. No I/O, no UI.
//
// Spans are referred to by their index in Trace.Spans (int32), which keeps
// the per-span tables compact for 100,000-span traces.
package analysis

import "github.com/tracetui/tracetui/backend"

// Tree is the span tree of one trace.
type Tree struct {
	Trace *backend.Trace
	// Parent[i] is the index of span i's parent, or -1 for a root.
	Parent []int32
	// Children of span i are ChildIdx[ChildStart[i]:ChildStart[i+1]], ordered
	// by start time (then by index, for stability).
	ChildStart []int32
	ChildIdx   []int32
	// Roots in order of start time. A span whose parent is missing is a root.
	Roots []int32
	// Depth[i] is 0 for roots.
	Depth []int32
	// Order is a depth-first pre-order of all spans (roots by start, children
	// by start): the waterfall's row order when nothing is collapsed.
	Order []int32
	// MaxDepth is the largest depth.
	MaxDepth int32
	// Start and End bound the whole trace (ns since the epoch).
	Start, End int64
	// Warnings about the structure: missing parents, cycles, duplicate IDs.
	Warnings []string
	// SpanIDs holds the unique ID of each span after duplicates were renamed;
	// Trace.Spans keeps the original IDs.
	SpanIDs []backend.SpanID
}

// Children returns span i's children ordered by start.
func (t *Tree) Children(i int32) []int32 {
	return t.ChildIdx[t.ChildStart[i]:t.ChildStart[i+1]]
}

// Section is one piece of the critical path: span Span is on the path from
// Start to End (ns since the epoch).
type Section struct {
	Span       int32
	Start, End int64
}

// CriticalPath is the critical path of every root of a trace.
type CriticalPath struct {
	// Sections in time order, across all roots.
	Sections []Section
	// SpanTime[i] is the total time span i is on the critical path.
	SpanTime []int64
	// Spans lists the distinct spans on the path in order of first section,
	// for next/previous navigation.
	Spans []int32
}

// ServiceStat aggregates the spans of one service.
type ServiceStat struct {
	Name         string
	Count        int
	Errors       int
	Total        int64 // sum of durations, ns
	Self         int64 // sum of self times, ns
	Min, Max     int64
	Avg          int64
	SelfFraction float64 // Self / all spans' self time (ComputeStats says why)
}

// OperationStat aggregates the spans of one service's operation.
type OperationStat struct {
	Service      string
	Name         string
	Count        int
	Errors       int
	Total        int64
	Self         int64
	Min, Max     int64
	Avg          int64
	SelfFraction float64
}

// Edge is a call from one service to another within the trace (a child span
// whose service differs from its parent's).
type Edge struct {
	From, To string
	Calls    int
	Errors   int
}

// Stats are the per-service and per-operation statistics of a trace.
type Stats struct {
	Services   []ServiceStat   // by Self descending, then name
	Operations []OperationStat // by Self descending, then service and name
	Edges      []Edge          // by From, To
}

// ErrorOrigin is an error span with no error descendants.
type ErrorOrigin struct {
	Span int32
	// Chain is the path from the root to Span, both included.
	Chain []int32
}

// Skew describes a span whose timing is inconsistent with its parent across
// a host boundary. Its text is built on demand (Warning): a broken trace of
// a million spans may have hundreds of thousands of them.
type Skew struct {
	Span int32
	// Delta is the shift (ns) the adjusted view applies to this span; 0 when
	// the adjustment was capped or not computable.
	Delta int64
	// Shift is the shift the estimate computed, applied or not.
	Shift int64
	// Inherited counts the same-host descendants that move with this span
	// in the adjusted view.
	Inherited int32

	seen skewSeen
	// gap is how far the raw times overstep the parent (ns), for the text.
	gap int64
	// limit is the cap the detection ran with (0 or less: disabled).
	limit int64
}

// Analysis is everything the views need, computed once per trace.
type Analysis struct {
	Tree     *Tree
	Self     []int64 // self time per span, ns
	Critical *CriticalPath
	// Coverage says what Critical covers against the trace's duration.
	Coverage Coverage
	Stats    Stats
	// Origins: primary (earliest start) first.
	Origins  []ErrorOrigin
	Skews    []Skew
	Warnings []string // tree warnings plus skew warnings
}
