package analysis

import (
	"math"
	"slices"

	"github.com/tracetui/tracetui/backend"
)

// ComputeCriticalPath finds, for every root, the chain of spans that the
// root's end waited on, with Jaeger UI's last-finishing-child walk: from the
// root's end, step back in time; the time after a span's last-finishing child
// is the span's own, then the walk dives into that child, and on returning
// picks the sibling that ended at or before the child started.
//
// Differences from Jaeger UI, all deliberate: a sibling ending exactly at the
// cursor is eligible (back-to-back sequential calls stay on the path); each
// child is visited once (zero-length spans cannot loop); the walk is
// iterative and O(n log n) instead of recursive and quadratic; adjacent
// sections of one span are merged. As in Jaeger UI, FOLLOWS_FROM children and
// CONSUMER children of a PRODUCER do not block their parent and are pruned
// with their subtrees, and children are clamped to their (clamped) parent or
// dropped when entirely outside it.
//
// For each root, the sections tile the root's interval exactly.
//
// Kept in one function: it follows Jaeger UI's algorithm step by step, so that the two read side by side.
func ComputeCriticalPath(tree *Tree) *CriticalPath {
	spans := tree.Trace.Spans
	n := len(spans)
	cp := &CriticalPath{SpanTime: make([]int64, n)}
	if n == 0 {
		cp.Sections, cp.Spans = []Section{}, []int32{}
		return cp
	}

	// Clamp in pre-order so that each child sees its parent's clamped span.
	// Everything the loop needs is first copied, in storage order, into
	// compact arrays: tree order jumps around the span structs.
	cs, ce := intervals(spans)
	nb := nonBlockingFlags(tree)
	kept := make([]bool, n)
	for _, v := range tree.Order {
		p := tree.Parent[v]
		if p < 0 {
			kept[v] = true
			continue
		}
		if !kept[p] || nb[v] {
			continue
		}
		start, end := cs[v], ce[v]
		ps, pe := cs[p], ce[p]
		// Jaeger UI's sanitizeOverFlowingChildren: drop what lies entirely
		// outside the parent (a zero-length child at the parent's start
		// stays), clamp what sticks out.
		if start >= pe || (start < ps && end <= ps) {
			continue
		}
		cs[v], ce[v], kept[v] = max(start, ps), min(end, pe), true
	}

	// Each span's kept children ordered by end, latest first (then earliest
	// start, then index). The walk's cursor at a span only moves back in
	// time, so one pointer per span finds the next eligible child: a child
	// ending after the cursor can never become eligible again.
	byEnd := make([]int32, len(tree.ChildIdx))
	ptr := make([]int32, n)
	lim := make([]int32, n)
	for i := 0; i < n; i++ {
		lo := tree.ChildStart[i]
		k := lo
		for _, c := range tree.Children(int32(i)) {
			if kept[c] {
				byEnd[k] = c
				k++
			}
		}
		seg := byEnd[lo:k]
		if len(seg) > 1 && !isSortedByEnd(seg, cs, ce) {
			// Sequential children, the common case, come by start and so
			// by end ascending: reversed, they may already be in order.
			slices.Reverse(seg)
		}
		if len(seg) > 1 && !isSortedByEnd(seg, cs, ce) {
			slices.SortFunc(seg, func(a, b int32) int {
				switch {
				case ce[a] != ce[b]:
					return cmp64(ce[b], ce[a])
				case cs[a] != cs[b]:
					return cmp64(cs[a], cs[b])
				}
				return int(a - b)
			})
		}
		ptr[i], lim[i] = lo, k
	}

	sections := make([]Section, 0, 2*len(tree.Roots)+n/2)
	emit := func(span int32, start, end int64) {
		if end <= start {
			return
		}
		// The walk goes back in time: a section that ends where the last
		// one of the same span started extends it.
		if k := len(sections) - 1; k >= 0 && sections[k].Span == span && sections[k].Start == end {
			sections[k].Start = start
			return
		}
		sections = append(sections, Section{Span: span, Start: start, End: end})
	}
	for _, r := range tree.Roots {
		from := len(sections)
		cur, cursor := r, ce[r]
		for {
			next := int32(-1)
			for ptr[cur] < lim[cur] {
				c := byEnd[ptr[cur]]
				ptr[cur]++
				if ce[c] <= cursor {
					next = c
					break
				}
			}
			if next >= 0 {
				emit(cur, ce[next], cursor)
				cur, cursor = next, ce[next]
				continue
			}
			emit(cur, cs[cur], cursor)
			cursor = cs[cur]
			if cur == r {
				break
			}
			cur = tree.Parent[cur]
		}
		slices.Reverse(sections[from:])
	}
	// Roots come in start order; sections of overlapping roots interleave.
	if !slices.IsSortedFunc(sections, bySectionStart) {
		slices.SortStableFunc(sections, bySectionStart)
	}

	cp.Sections = sections
	seen := make([]bool, n)
	cp.Spans = make([]int32, 0, min(n, len(sections)))
	for _, s := range sections {
		cp.SpanTime[s.Span] += s.End - s.Start
		if !seen[s.Span] {
			seen[s.Span] = true
			cp.Spans = append(cp.Spans, s.Span)
		}
	}
	return cp
}

// Length is the critical path's total length: the sum of its sections,
// which is the sum of the roots' durations since each root's sections tile
// it. It is the denominator of every critical-path share, so that shares
// add up to 100% even when the roots overlap or the trace outlasts them.
// Hostile timestamps saturate the sum instead of wrapping it.
func (cp *CriticalPath) Length() int64 {
	if cp == nil {
		return 0
	}
	var sum int64
	for _, s := range cp.Sections {
		d := s.End - s.Start
		if sum > math.MaxInt64-d {
			return math.MaxInt64
		}
		sum += d
	}
	return sum
}

func bySectionStart(a, b Section) int { return cmp64(a.Start, b.Start) }

func cmp64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func isSortedByEnd(seg []int32, cs, ce []int64) bool {
	for k := 1; k < len(seg); k++ {
		a, b := seg[k-1], seg[k]
		if ce[a] < ce[b] || (ce[a] == ce[b] && (cs[a] > cs[b] || (cs[a] == cs[b] && a > b))) {
			return false
		}
	}
	return true
}

// nonBlockingFlags tells, for every span with a parent, whether it does
// not hold up its parent: it follows from it (the reference naming its
// parent is FOLLOWS_FROM) or it consumes what a producer parent sent.
// Computed in storage order.
func nonBlockingFlags(tree *Tree) []bool {
	spans := tree.Trace.Spans
	kinds := make([]backend.SpanKind, len(spans))
	for i := range spans {
		kinds[i] = spans[i].Kind
	}
	nb := make([]bool, len(spans))
	for i := range spans {
		p := tree.Parent[i]
		if p < 0 {
			continue
		}
		nb[i] = (kinds[p] == backend.KindProducer && spans[i].Kind == backend.KindConsumer) ||
			parentRefType(&spans[i]) == backend.RefFollowsFrom
	}
	return nb
}

// parentRefType is the type of the reference that names the span's parent;
// CHILD_OF when the source recorded none (Zipkin, hand-built spans).
func parentRefType(s *backend.Span) backend.RefType {
	for _, r := range s.References {
		if r.SpanID == s.ParentID && r.Type != backend.RefLink {
			if r.Type == backend.RefChildOf {
				return backend.RefChildOf
			}
			// Keep looking: a CHILD_OF to the same span wins.
			for _, r2 := range s.References {
				if r2.SpanID == s.ParentID && r2.Type == backend.RefChildOf {
					return backend.RefChildOf
				}
			}
			return r.Type
		}
	}
	return backend.RefChildOf
}
