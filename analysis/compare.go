package analysis

import (
	"cmp"
	"math"
	"slices"

	"github.com/tracetui/tracetui/backend"
)

// Change says how a node of a comparison differs from trace A to trace B.
type Change uint8

const (
	Same Change = iota
	// Slower: B's spans on the node take longer in total than A's, by more
	// than changeTolerance.
	Slower
	Faster
	OnlyA
	OnlyB
)

// String is the name the JSON output uses.
func (c Change) String() string {
	switch c {
	case Slower:
		return "slower"
	case Faster:
		return "faster"
	case OnlyA:
		return "onlyA"
	case OnlyB:
		return "onlyB"
	}
	return "same"
}

// A node is slower or faster when its total duration differs by more than
// both ChangeTolerancePercent of the larger total and changeToleranceMin
// (Jaeger and Zipkin time spans in µs, so a smaller difference is
// rounding). Two requests of the same endpoint never take exactly the same
// time; jitter below 5% is not what a comparison is for.
const (
	ChangeTolerancePercent = 5
	changeToleranceMin     = int64(1000)
)

// CompareSide describes one trace of a comparison.
type CompareSide struct {
	ID                         backend.TraceID
	RootService, RootOperation string
	Spans                      int
	ErrorSpans                 int
	// Duration is from the first span's start to the last span's end, ns.
	Duration int64
	// Critical is the critical path's length (CriticalPath.Length), ns:
	// the sum of every node's Critical on this side.
	Critical int64
}

// Comparison is two traces laid onto one calling-context tree (SideA is
// trace A, SideB trace B). Nodes are created in A's pre-order, then B's,
// and children are kept in that order of first appearance.
type Comparison struct {
	Side [2]CompareSide
	Tree ContextTree
	// first[side][node] is the index of the node's first span (pre-order)
	// in that side's trace, -1 when the side has none.
	first [2][]int32
}

// Compare merges two analysed traces by calling context. Each side's span
// counts, self times and critical-path times on the nodes add up to that
// trace's own numbers (Stats, CriticalPath).
func Compare(a, b *Analysis) *Comparison {
	ix := newContextIndex()
	an := [2]*Analysis{a, b}
	var contrib [2][]contribution
	for side, x := range an {
		contrib[side] = ix.merge(x.Tree, x.Self, x.Critical)
	}
	c := &Comparison{Tree: ix.tree()}
	for side, x := range an {
		first := make([]int32, len(c.Tree.Nodes))
		for k := range first {
			first[k] = -1
		}
		tr := x.Tree
		for k := range contrib[side] {
			ct := &contrib[side][k]
			nd := &c.Tree.Nodes[ct.node]
			nd.Side[side].add(ct)
			nd.Example[side] = Example{Trace: tr.Trace.ID, Span: tr.SpanIDs[ct.first]}
			first[ct.node] = ct.first
		}
		c.first[side] = first
		c.Side[side] = describeSide(x)
	}
	c.Tree.sumSubtrees()
	return c
}

func describeSide(a *Analysis) CompareSide {
	tr := a.Tree
	s := CompareSide{ID: tr.Trace.ID, Spans: len(tr.Trace.Spans), Critical: a.Critical.Length()}
	if len(tr.Roots) > 0 {
		r := &tr.Trace.Spans[tr.Roots[0]]
		s.RootService, s.RootOperation = r.Service, r.Operation
	}
	for i := range tr.Trace.Spans {
		if tr.Trace.Spans[i].Error {
			s.ErrorSpans++
		}
	}
	if s.Spans > 0 {
		s.Duration = spanLength(tr.Start, tr.End)
	}
	return s
}

// spanLength is end-start, saturated and never negative.
func spanLength(start, end int64) int64 {
	d := end - start
	if d < 0 && end > start {
		return math.MaxInt64
	}
	return max(d, 0)
}

// Change classifies node n.
func (c *Comparison) Change(n int32) Change {
	a, b := &c.Tree.Nodes[n].Side[SideA], &c.Tree.Nodes[n].Side[SideB]
	switch {
	case b.Spans == 0:
		return OnlyA
	case a.Spans == 0:
		return OnlyB
	}
	d := b.Duration - a.Duration
	if d == 0 {
		return Same
	}
	abs, larger := d, max(a.Duration, b.Duration)
	if abs < 0 {
		abs = -abs
	}
	if abs <= changeToleranceMin || abs <= larger/100*ChangeTolerancePercent {
		return Same
	}
	if d > 0 {
		return Slower
	}
	return Faster
}

// CriticalDelta is B's critical-path time on node n minus A's, ns.
func (c *Comparison) CriticalDelta(n int32) int64 {
	nd := &c.Tree.Nodes[n]
	return nd.Side[SideB].Critical - nd.Side[SideA].Critical
}

// ByCriticalIncrease lists every node, the largest critical-path increase
// (B over A) first and the largest decrease last; ties in tree order.
func (c *Comparison) ByCriticalIncrease() []int32 {
	order := c.Tree.PreOrder()
	slices.SortStableFunc(order, func(x, y int32) int {
		return cmp.Compare(c.CriticalDelta(y), c.CriticalDelta(x))
	})
	return order
}

// Slower lists the nodes that got slower, in tree order: what `]` and `[`
// step through.
func (c *Comparison) Slower() []int32 {
	var out []int32
	for _, n := range c.Tree.PreOrder() {
		if c.Change(n) == Slower {
			out = append(out, n)
		}
	}
	return out
}

// Span returns the index in that side's trace of node n's first span (in
// the trace's pre-order), or -1 when the side has no span on it.
func (c *Comparison) Span(side int, n int32) int32 { return c.first[side][n] }
