package analysis

import (
	"slices"
	"strings"

	"github.com/tracetui/tracetui/backend"
)

// The two sides of a merge: the first and second trace of a comparison, or
// the selection and the baseline of an analysis across traces.
const (
	SideA = 0
	SideB = 1
)

// ContextStats is what one side's spans put on one calling-context node.
// Times are nanoseconds.
type ContextStats struct {
	Spans  int
	Errors int
	// Traces is the number of the side's traces with a span on the node.
	Traces int
	// Duration is the sum of the spans' durations (a negative one counts
	// as zero, as in Stats).
	Duration int64
	// Self is the sum of their self times (SelfTimes).
	Self int64
	// Critical is the sum of their exclusive critical-path times
	// (CriticalPath.SpanTime): the time the path spends in these spans and
	// not in a child.
	Critical int64
	// CriticalSubtree is Critical summed over the node and every node
	// below it: the critical-path time of the calls it stands for.
	CriticalSubtree int64
}

// Example names a span to open for a row: a trace ID and a span's unique ID
// in it (Tree.SpanIDs). Zero when there is none.
type Example struct {
	Trace backend.TraceID
	Span  backend.SpanID
}

// ContextNode is one calling context: the chain of (service, operation)
// from a root span down to a span. All spans with the same chain, in one
// trace or several, land on the same node.
type ContextNode struct {
	Service, Operation string
	// Parent is the node of the calling context one level up; -1 for a
	// root span's context.
	Parent int32
	Depth  int32
	// Children in the tree's order (see the producers: first appearance
	// for a comparison, most critical-path time for an analysis across
	// traces).
	Children []int32
	Side     [2]ContextStats
	// Example per side: a span on this node (for a comparison, the first
	// in the trace's pre-order; across traces, in the slowest trace of the
	// side that has one).
	Example [2]Example
}

// ContextTree is the calling-context tree of CRISP and of Jaeger UI's trace
// comparison: spans merged by the path of (service, operation) from their
// root, with per-node statistics for two sides.
type ContextTree struct {
	Nodes []ContextNode
	// Roots are the nodes of root spans' contexts, in the children's order.
	Roots []int32
}

// Path returns the (service, operation) chain from the root to node n,
// each as "service operation".
func (t *ContextTree) Path(n int32) []string {
	var path []string
	for v := n; v >= 0; v = t.Nodes[v].Parent {
		path = append(path, t.Nodes[v].Service+" "+t.Nodes[v].Operation)
	}
	slices.Reverse(path)
	return path
}

// PreOrder lists every node depth first, children in their order: the rows
// of the tree when nothing is folded.
func (t *ContextTree) PreOrder() []int32 {
	out := make([]int32, 0, len(t.Nodes))
	stack := make([]int32, 0, 64)
	for k := len(t.Roots) - 1; k >= 0; k-- {
		stack = append(stack, t.Roots[k])
	}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		out = append(out, v)
		ch := t.Nodes[v].Children
		for k := len(ch) - 1; k >= 0; k-- {
			stack = append(stack, ch[k])
		}
	}
	return out
}

// sumSubtrees fills CriticalSubtree. A node is always created after its
// parent, so going down the node IDs visits children before parents.
func (t *ContextTree) sumSubtrees() {
	for k := len(t.Nodes) - 1; k >= 0; k-- {
		nd := &t.Nodes[k]
		for side := range nd.Side {
			nd.Side[side].CriticalSubtree = satAdd(nd.Side[side].CriticalSubtree, nd.Side[side].Critical)
			if nd.Parent >= 0 {
				ps := &t.Nodes[nd.Parent].Side[side]
				ps.CriticalSubtree = satAdd(ps.CriticalSubtree, nd.Side[side].CriticalSubtree)
			}
		}
	}
}

// sortChildren orders every node's children (and the roots) by cmp.
func (t *ContextTree) sortChildren(cmp func(a, b int32) int) {
	slices.SortStableFunc(t.Roots, cmp)
	for k := range t.Nodes {
		slices.SortStableFunc(t.Nodes[k].Children, cmp)
	}
}

// contextKey identifies a node: its parent node and its own name.
type contextKey struct {
	parent             int32
	service, operation string
}

// ctxNode is a node as the index keeps it.
type ctxNode struct {
	service, operation string
	parent, depth      int32
}

// contribution is what one trace's spans put on one node.
type contribution struct {
	node   int32
	spans  int32
	errors int32
	// first is the node's first span in the trace's pre-order (an index
	// into the trace's spans; the across-traces aggregate reuses it for an
	// index into its own list of span IDs).
	first                    int32
	duration, self, critical int64
}

// contextIndex numbers calling contexts as traces are merged into it. It
// keeps copies of the names it stores, never the traces' own strings,
// which may share memory with a whole decoded response.
type contextIndex struct {
	nodes []ctxNode
	ids   map[contextKey]int32
	names stringSet
	// Scratch, reused from trace to trace: each span's node, and per node
	// the slot of this trace's contribution (valid when stamp == gen).
	nodeOf []int32
	slot   []int32
	stamp  []uint32
	gen    uint32
}

func newContextIndex() *contextIndex {
	return &contextIndex{ids: make(map[contextKey]int32), names: stringSet{}}
}

// node returns the ID of parent's child context (service, operation),
// creating it on first sight.
func (ix *contextIndex) node(parent int32, service, operation string) int32 {
	if id, ok := ix.ids[contextKey{parent, service, operation}]; ok {
		return id
	}
	service, operation = ix.names.get(service), ix.names.get(operation)
	id := int32(len(ix.nodes))
	depth := int32(0)
	if parent >= 0 {
		depth = ix.nodes[parent].depth + 1
	}
	ix.nodes = append(ix.nodes, ctxNode{service: service, operation: operation, parent: parent, depth: depth})
	ix.ids[contextKey{parent, service, operation}] = id
	ix.slot = append(ix.slot, 0)
	ix.stamp = append(ix.stamp, 0)
	return id
}

// merge lays every span of a trace on its calling-context node and returns
// what the trace put on each node it reached, in the order the nodes were
// first reached (the trace's pre-order). self is SelfTimes(tree) and crit
// ComputeCriticalPath(tree): the same numbers `show` reports.
func (ix *contextIndex) merge(tree *Tree, self []int64, crit *CriticalPath) []contribution {
	spans := tree.Trace.Spans
	n := len(spans)
	if cap(ix.nodeOf) < n {
		ix.nodeOf = make([]int32, n)
	}
	nodeOf := ix.nodeOf[:n]
	ix.gen++
	if ix.gen == 0 { // wrapped: old stamps could look current
		clear(ix.stamp)
		ix.gen = 1
	}
	out := []contribution{}
	// Siblings of one operation come in runs: remember the last lookup.
	lastParent, lastSvc, lastOp, lastID := int32(-2), "", "", int32(-1)
	for _, v := range tree.Order {
		s := &spans[v]
		pn := int32(-1)
		if p := tree.Parent[v]; p >= 0 {
			pn = nodeOf[p]
		}
		id := lastID
		if pn != lastParent || s.Service != lastSvc || s.Operation != lastOp {
			id = ix.node(pn, s.Service, s.Operation)
			lastParent, lastSvc, lastOp, lastID = pn, s.Service, s.Operation, id
		}
		nodeOf[v] = id
		if ix.stamp[id] != ix.gen {
			ix.stamp[id] = ix.gen
			ix.slot[id] = int32(len(out))
			out = append(out, contribution{node: id, first: v})
		}
		c := &out[ix.slot[id]]
		c.spans++
		if s.Error {
			c.errors++
		}
		c.duration = satAdd(c.duration, spanEnd(s)-s.Start)
		c.self = satAdd(c.self, self[v])
		if crit != nil {
			c.critical = satAdd(c.critical, crit.SpanTime[v])
		}
	}
	return out
}

// tree builds the exported tree of every node indexed so far, children in
// the order the nodes were created, with no statistics.
func (ix *contextIndex) tree() ContextTree {
	t := ContextTree{Nodes: make([]ContextNode, len(ix.nodes)), Roots: []int32{}}
	counts := make([]int32, len(ix.nodes))
	for _, nd := range ix.nodes {
		if nd.parent >= 0 {
			counts[nd.parent]++
		}
	}
	// One backing array for every child list.
	all := make([]int32, 0, len(ix.nodes))
	for k, nd := range ix.nodes {
		t.Nodes[k] = ContextNode{Service: nd.service, Operation: nd.operation, Parent: nd.parent, Depth: nd.depth}
		t.Nodes[k].Children = all[len(all) : len(all) : len(all)+int(counts[k])]
		all = all[:len(all)+int(counts[k])]
	}
	for k, nd := range ix.nodes {
		if nd.parent < 0 {
			t.Roots = append(t.Roots, int32(k))
			continue
		}
		p := &t.Nodes[nd.parent]
		p.Children = append(p.Children, int32(k))
	}
	return t
}

// add puts a contribution on one side of a node.
func (st *ContextStats) add(c *contribution) {
	st.Spans += int(c.spans)
	st.Errors += int(c.errors)
	st.Traces++
	st.Duration = satAdd(st.Duration, c.duration)
	st.Self = satAdd(st.Self, c.self)
	st.Critical = satAdd(st.Critical, c.critical)
}

// stringSet keeps one private copy of each string it is given.
type stringSet map[string]string

func (s stringSet) get(x string) string {
	if v, ok := s[x]; ok {
		return v
	}
	v := strings.Clone(x)
	s[v] = v
	return v
}
