package analysis

import (
	"fmt"
	"math"
	"strings"

	"github.com/tracetui/tracetui/internal/format"
)

// Coverage says what a critical path covers. The path walks back from each
// root's end, so it covers each root's interval and nothing else: work that
// outlasts its root (an async consumer that ends after the request
// returned) is not on it, and the paths of roots that overlap add up to
// more than the time they span. Without saying so, a pane reads "1 section
// · 1.43ms" on a 1m40s trace, or "12 sections · 3.58s = 100%" on a 3.5s
// one.
type Coverage struct {
	// Roots is the number of roots; each has its own path.
	Roots int
	// Length is the sum of the sections (CriticalPath.Length): the sum of
	// the roots' durations, the denominator of every critical share.
	Length int64
	// Covered is the time within some root's interval.
	Covered int64
	// Trace is the trace's duration, first start to last end.
	Trace int64
	// Outside is the part of Trace that no root covers: work after (or
	// between) the roots, not on the path.
	Outside int64
	// Overlap is the time the path counts more than once, because roots
	// overlap: Length - Covered.
	Overlap int64
}

// PathCoverage measures what cp, the critical path of tree, covers.
func PathCoverage(tree *Tree, cp *CriticalPath) Coverage {
	c := Coverage{Roots: len(tree.Roots), Length: cp.Length()}
	if len(tree.Trace.Spans) == 0 {
		return c
	}
	c.Trace = satSub(tree.End, tree.Start)
	spans := tree.Trace.Spans
	// Roots come in start order: one sweep merges their intervals.
	var cur0, cur1 int64
	open := false
	for _, r := range tree.Roots {
		s, e := spans[r].Start, spanEnd(&spans[r])
		switch {
		case !open:
			cur0, cur1, open = s, e, true
		case s <= cur1:
			cur1 = max(cur1, e)
		default:
			c.Covered = satAdd(c.Covered, satSub(cur1, cur0))
			cur0, cur1 = s, e
		}
	}
	if open {
		c.Covered = satAdd(c.Covered, satSub(cur1, cur0))
	}
	c.Outside = max(0, c.Trace-c.Covered)
	c.Overlap = max(0, c.Length-c.Covered)
	return c
}

// Complete reports a path that is the whole story: one root, and nothing
// of the trace outside it.
func (c Coverage) Complete() bool { return c.Roots <= 1 && c.Outside == 0 }

// Describe says in one sentence what the path covers, e.g. "the critical
// path covers the root only: 1.43ms of the trace's 1m40s; 1m40s of work
// outlasts it and is not on the path". Every view that shows the path's
// length shows this next to it when the coverage is not Complete.
func (c Coverage) Describe() string {
	d := format.Duration
	var b strings.Builder
	if c.Roots <= 1 {
		fmt.Fprintf(&b, "the critical path covers the root only: %s of the trace's %s", d(c.Covered), d(c.Trace))
	} else {
		fmt.Fprintf(&b, "the critical path covers %d roots: %s of the trace's %s", c.Roots, d(c.Covered), d(c.Trace))
	}
	if c.Outside > 0 {
		if c.Roots <= 1 {
			fmt.Fprintf(&b, "; %s of work outlasts it and is not on the path", d(c.Outside))
		} else {
			fmt.Fprintf(&b, "; %s lies outside every root and is not on the path", d(c.Outside))
		}
	}
	if c.Overlap > 0 {
		fmt.Fprintf(&b, "; the roots overlap, so their paths add up to %s", d(c.Length))
	}
	return b.String()
}

// satSub is b-a for a ≤ b, saturated instead of wrapping on hostile times.
func satSub(b, a int64) int64 {
	switch {
	case b <= a:
		return 0
	case a < 0 && b > math.MaxInt64+a:
		return math.MaxInt64
	}
	return b - a
}
