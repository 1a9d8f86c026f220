package analysis

import "slices"

// maxChainEntries bounds the memory of all error chains together: a hostile
// trace (a 50,000-span chain fanning out into 50,000 erroring leaves) would
// otherwise need n² entries. Chains past the budget are nil; ChainTo
// computes any one on demand.
const maxChainEntries = 1 << 21

// FindErrorOrigins returns the error spans with no error descendant, where
// an error most likely started: the primary one (earliest start, then
// pre-order) first. Each carries its chain from the root.
func FindErrorOrigins(tree *Tree) []ErrorOrigin {
	spans := tree.Trace.Spans
	n := len(spans)
	// errBelow[i]: some span strictly below i errored. Reverse pre-order
	// visits children before parents.
	errBelow := make([]bool, n)
	for k := len(tree.Order) - 1; k >= 0; k-- {
		v := tree.Order[k]
		if p := tree.Parent[v]; p >= 0 && (spans[v].Error || errBelow[v]) {
			errBelow[p] = true
		}
	}
	origins := []ErrorOrigin{}
	for _, v := range tree.Order {
		if spans[v].Error && !errBelow[v] {
			origins = append(origins, ErrorOrigin{Span: v})
		}
	}
	slices.SortStableFunc(origins, func(a, b ErrorOrigin) int {
		return cmp64(spans[a.Span].Start, spans[b.Span].Start)
	})
	budget := maxChainEntries
	for k := range origins {
		v := origins[k].Span
		if int(tree.Depth[v])+1 > budget {
			break
		}
		origins[k].Chain = ChainTo(tree, v)
		budget -= len(origins[k].Chain)
	}
	return origins
}

// ChainTo returns the path from span i's root to i, both included.
func ChainTo(tree *Tree, i int32) []int32 {
	if i < 0 || int(i) >= len(tree.Parent) {
		return nil
	}
	chain := make([]int32, 0, tree.Depth[i]+1)
	for v := i; v >= 0; v = tree.Parent[v] {
		chain = append(chain, v)
	}
	slices.Reverse(chain)
	return chain
}
