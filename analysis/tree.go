package analysis

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/tracetui/tracetui/backend"
)

// maxListedWarnings bounds the warnings of one kind: a broken 100,000-span
// trace must not bury the first (most useful) ones under the rest.
const maxListedWarnings = 10

// spanEnd is the end of a span with a negative duration counted as zero and
// an overflowing end saturated, so that hostile times never invert an
// interval.
func spanEnd(s *backend.Span) int64 {
	if s.Duration <= 0 {
		return s.Start
	}
	if s.Start > math.MaxInt64-s.Duration {
		return math.MaxInt64
	}
	return s.Start + s.Duration
}

// warnList collects warnings of one kind, keeping the first few and counting
// the rest.
type warnList struct {
	listed []string
	more   int
}

func (w *warnList) add(format string, args ...any) {
	if len(w.listed) < maxListedWarnings {
		w.listed = append(w.listed, fmt.Sprintf(format, args...))
		return
	}
	w.more++
}

func (w *warnList) flush(out []string, moreFormat string) []string {
	out = append(out, w.listed...)
	if w.more > 0 {
		out = append(out, fmt.Sprintf(moreFormat, w.more))
	}
	return out
}

// BuildTree links the spans of a trace into a tree. Nothing is dropped: a
// span whose parent is missing, is itself, or closes a cycle becomes a root,
// and a duplicate span ID is renamed in Tree.SpanIDs; each such repair adds a
// warning. It runs in O(n log n) and never recurses.
func BuildTree(t *backend.Trace) *Tree {
	n := len(t.Spans)
	tr := &Tree{
		Trace:      t,
		Parent:     make([]int32, n),
		ChildStart: make([]int32, n+1),
		ChildIdx:   make([]int32, 0, n),
		Depth:      make([]int32, n),
		Order:      make([]int32, 0, n),
		SpanIDs:    make([]backend.SpanID, n),
	}
	if n == 0 {
		tr.Roots = []int32{}
		return tr
	}

	linkSpans(tr)
	breakCycles(tr)

	// One global sort by (start, index) orders every child list and the
	// roots at once.
	sorted := sortedByStart(t.Spans)
	for _, i := range sorted {
		if p := tr.Parent[i]; p >= 0 {
			tr.ChildStart[p+1]++
		}
	}
	for i := 1; i <= n; i++ {
		tr.ChildStart[i] += tr.ChildStart[i-1]
	}
	tr.ChildIdx = tr.ChildIdx[:tr.ChildStart[n]]
	next := slices.Clone(tr.ChildStart[:n])
	for _, i := range sorted {
		if p := tr.Parent[i]; p >= 0 {
			tr.ChildIdx[next[p]] = i
			next[p]++
		} else {
			tr.Roots = append(tr.Roots, i)
		}
	}

	// Iterative pre-order: the stack holds spans still to visit, children
	// pushed in reverse so that the earliest is popped first.
	stack := make([]int32, 0, 64)
	for k := len(tr.Roots) - 1; k >= 0; k-- {
		stack = append(stack, tr.Roots[k])
	}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		tr.Order = append(tr.Order, v)
		d := tr.Depth[v]
		tr.MaxDepth = max(tr.MaxDepth, d)
		kids := tr.Children(v)
		for k := len(kids) - 1; k >= 0; k-- {
			tr.Depth[kids[k]] = d + 1
			stack = append(stack, kids[k])
		}
	}

	tr.Start, tr.End = t.Spans[0].Start, spanEnd(&t.Spans[0])
	for i := range t.Spans {
		tr.Start = min(tr.Start, t.Spans[i].Start)
		tr.End = max(tr.End, spanEnd(&t.Spans[i]))
	}
	return tr
}

// linkSpans fills tr.SpanIDs and tr.Parent. The second and later spans of
// a duplicated ID are renamed "ID#2", "ID#3", … (skipping names already
// taken); a parent reference resolves to the first span with that ID.
// Unknown and self parents make roots.
func linkSpans(tr *Tree) {
	spans := tr.Trace.Spans
	firstOf, parent := resolveIDs(spans)
	var dups []int32
	for i := range spans {
		tr.SpanIDs[i] = spans[i].SpanID
		if firstOf[i] != int32(i) {
			dups = append(dups, int32(i))
		}
	}
	if len(dups) > 0 {
		renameDuplicates(tr, dups)
	}
	var missing, self warnList
	for i := range spans {
		switch p := parent[i]; {
		case p == missingParent:
			tr.Parent[i] = -1
			missing.add("span %s: parent span %s is not in the trace; shown as a root", tr.SpanIDs[i], spans[i].ParentID)
		case p == int32(i):
			tr.Parent[i] = -1
			self.add("span %s is its own parent; shown as a root", tr.SpanIDs[i])
		default:
			tr.Parent[i] = p // or noParent, which is -1
		}
	}
	tr.Warnings = missing.flush(tr.Warnings, "and %d more spans whose parent is not in the trace")
	tr.Warnings = self.flush(tr.Warnings, "and %d more spans that are their own parent")
}

func renameDuplicates(tr *Tree, dups []int32) {
	spans := tr.Trace.Spans
	taken := make(map[backend.SpanID]bool)
	for i := range spans {
		if strings.IndexByte(string(spans[i].SpanID), '#') >= 0 {
			taken[spans[i].SpanID] = true
		}
	}
	count := make(map[backend.SpanID]int)
	occurrences := make(map[backend.SpanID]int)
	var order []backend.SpanID
	for _, i := range dups {
		id := spans[i].SpanID
		occurrences[id]++
		if count[id] == 0 {
			order = append(order, id)
			count[id] = 1
		}
		k := count[id] + 1
		uniq := backend.SpanID(string(id) + "#" + strconv.Itoa(k))
		for taken[uniq] {
			k++
			uniq = backend.SpanID(string(id) + "#" + strconv.Itoa(k))
		}
		taken[uniq] = true
		count[id] = k
		tr.SpanIDs[i] = uniq
	}
	var w warnList
	for _, id := range order {
		w.add("duplicate span ID %s on %d spans: later ones shown as %s#2…; their children attach to the first", id, occurrences[id]+1, id)
	}
	tr.Warnings = w.flush(tr.Warnings, "and %d more duplicated span IDs")
}

// breakCycles walks up from every span, stamping the spans of the current
// walk; meeting a stamp of the same walk means a cycle, which is cut at its
// earliest span (then lowest index), the most natural root. Each span is
// walked once, so this is O(n).
func breakCycles(tr *Tree) {
	const done = -1
	n := len(tr.Parent)
	mark := make([]int32, n) // 0 unvisited, done, or walk stamp i+1
	var w warnList
	spans := tr.Trace.Spans
	var path []int32
	for i := int32(0); i < int32(n); i++ {
		if mark[i] != 0 {
			continue
		}
		stamp := i + 1
		path = path[:0]
		j := i
		for j >= 0 && mark[j] == 0 {
			mark[j] = stamp
			path = append(path, j)
			j = tr.Parent[j]
		}
		if j >= 0 && mark[j] == stamp {
			// j is on the cycle; walk it once to find its size and the cut.
			cut, size := j, 1
			for k := tr.Parent[j]; k != j; k = tr.Parent[k] {
				size++
				if spans[k].Start < spans[cut].Start || (spans[k].Start == spans[cut].Start && k < cut) {
					cut = k
				}
			}
			w.add("parent references form a cycle of %d spans through %s; %s shown as a root",
				size, tr.SpanIDs[j], tr.SpanIDs[cut])
			tr.Parent[cut] = -1
		}
		for _, k := range path {
			mark[k] = done
		}
	}
	tr.Warnings = w.flush(tr.Warnings, "and %d more parent cycles")
}

// sortedByStart returns span indexes ordered by (start, index).
func sortedByStart(spans []backend.Span) []int32 {
	if len(spans) == 0 {
		return nil
	}
	lo := spans[0].Start
	for i := range spans {
		lo = min(lo, spans[i].Start)
	}
	keys := make([]uint64, len(spans))
	inOrder := true
	for i := range spans {
		// Modular subtraction gives the true distance even when it
		// exceeds MaxInt64.
		keys[i] = uint64(spans[i].Start) - uint64(lo)
		if i > 0 && keys[i] < keys[i-1] {
			inOrder = false
		}
	}
	if inOrder {
		out := make([]int32, len(spans))
		for i := range out {
			out[i] = int32(i)
		}
		return out
	}
	return sortByKey(keys)
}
