package across

import (
	"slices"

	"github.com/tracetui/tracetui/analysis"
)

// percentSteps are the slowest-N% choices, from few traces to most.
var percentSteps = [...]float64{1, 2, 5, 10, 15, 20, 25, 30, 40, 50, 60, 70, 80, 90}

// edges are the histogram's bucket edges: each bucket's From, then the last
// bucket's To.
func (s *state) edges() []int64 {
	b := s.lat.Buckets
	if len(b) == 0 {
		return nil
	}
	out := make([]int64, 0, len(b)+1)
	for _, k := range b {
		out = append(out, k.From)
	}
	return append(out, b[len(b)-1].To)
}

// edgeAtOrBelow is the last edge at or below d (the first edge when none).
func edgeAtOrBelow(edges []int64, d int64) int {
	k, found := slices.BinarySearch(edges, d)
	if !found {
		k--
	}
	return max(k, 0)
}

// nextMode is the selection after Mode: slowest N% → over a duration →
// with errors → a range → slowest N%. Over and range start at the bucket of
// p90, so that the split looks like the default one.
func (s *state) nextMode(sel analysis.Selection) analysis.Selection {
	edges := s.edges()
	start := int64(0)
	end := int64(1)
	if len(edges) > 0 {
		start = edges[edgeAtOrBelow(edges, s.lat.P90)]
		end = edges[len(edges)-1]
	}
	switch sel.Kind {
	case analysis.SelectSlowest:
		return analysis.Selection{Kind: analysis.SelectOver, Min: start}
	case analysis.SelectOver:
		return analysis.Selection{Kind: analysis.SelectErrors}
	case analysis.SelectErrors:
		return analysis.Selection{Kind: analysis.SelectRange, Min: start, Max: max(end, start+1)}
	}
	return analysis.Selection{Kind: analysis.SelectSlowest, Percent: s.percent}
}

// moveStart moves the selection's left edge on the histogram by d (-1
// left, +1 right): for the slowest N%, left is a larger N.
func (s *state) moveStart(sel analysis.Selection, d int) analysis.Selection {
	edges := s.edges()
	switch sel.Kind {
	case analysis.SelectSlowest:
		k := slices.Index(percentSteps[:], sel.Percent)
		if k < 0 {
			k, _ = slices.BinarySearch(percentSteps[:], sel.Percent)
		}
		k = min(max(k-d, 0), len(percentSteps)-1)
		sel.Percent = percentSteps[k]
	case analysis.SelectOver:
		if len(edges) < 2 {
			return sel
		}
		k := stepEdge(edges, sel.Min, d)
		sel.Min = edges[min(k, len(edges)-2)]
	case analysis.SelectRange:
		if len(edges) < 2 {
			return sel
		}
		k := stepEdge(edges, sel.Min, d)
		if edges[k] < sel.Max {
			sel.Min = edges[k]
		}
	}
	return sel
}

// moveEnd moves a range's end by d bucket edges, keeping it above its
// start.
func (s *state) moveEnd(sel analysis.Selection, d int) analysis.Selection {
	edges := s.edges()
	if sel.Kind != analysis.SelectRange || len(edges) < 2 {
		return sel
	}
	k := stepEdge(edges, sel.Max, d)
	if edges[k] > sel.Min {
		sel.Max = edges[k]
	}
	return sel
}

// stepEdge is the index of the edge d steps from value v: one step left is
// the last edge below v, one step right the first edge above it.
func stepEdge(edges []int64, v int64, d int) int {
	k, found := slices.BinarySearch(edges, v)
	switch {
	case d < 0:
		k--
	case found:
		k++
	}
	return min(max(k, 0), len(edges)-1)
}
