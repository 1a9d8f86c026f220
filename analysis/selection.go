package analysis

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SelectKind is how an analysis across traces picks its selection; the
// other traces are the baseline.
type SelectKind uint8

const (
	// SelectSlowest: the slowest Percent of the traces (at least one).
	SelectSlowest SelectKind = iota
	// SelectOver: traces longer than Min.
	SelectOver
	// SelectErrors: traces with an error span.
	SelectErrors
	// SelectRange: traces from Min (included) to Max (excluded), e.g. the
	// buckets chosen on the latency histogram.
	SelectRange
)

// Selection splits the traces of an analysis into a selection and a
// baseline. Durations are nanoseconds; a trace's duration runs from its
// first span's start to its last span's end.
type Selection struct {
	Kind     SelectKind
	Percent  float64
	Min, Max int64
}

// DefaultSelection is the slowest 10%.
func DefaultSelection() Selection { return Selection{Kind: SelectSlowest, Percent: 10} }

// ParseSelection reads "slowest:10%", "over:500ms", "errors" or
// "range:100ms-2s" (durations as Go writes them).
func ParseSelection(s string) (Selection, error) {
	kind, arg, _ := strings.Cut(strings.TrimSpace(s), ":")
	switch kind {
	case "errors":
		if arg != "" {
			return Selection{}, fmt.Errorf("selection %q: errors takes no value", s)
		}
		return Selection{Kind: SelectErrors}, nil
	case "slowest":
		p, err := strconv.ParseFloat(strings.TrimSuffix(arg, "%"), 64)
		if err != nil || math.IsNaN(p) || p <= 0 || p > 100 {
			return Selection{}, fmt.Errorf("selection %q: slowest wants a percentage above 0 and at most 100, e.g. slowest:10%%", s)
		}
		return Selection{Kind: SelectSlowest, Percent: p}, nil
	case "over":
		d, err := time.ParseDuration(arg)
		if err != nil || d < 0 {
			return Selection{}, fmt.Errorf("selection %q: over wants a duration, e.g. over:500ms", s)
		}
		return Selection{Kind: SelectOver, Min: int64(d)}, nil
	case "range":
		lo, hi, ok := strings.Cut(arg, "-")
		from, err1 := time.ParseDuration(lo)
		to, err2 := time.ParseDuration(hi)
		if !ok || err1 != nil || err2 != nil || from < 0 || to <= from {
			return Selection{}, fmt.Errorf("selection %q: range wants FROM-TO with FROM below TO, e.g. range:100ms-2s", s)
		}
		return Selection{Kind: SelectRange, Min: int64(from), Max: int64(to)}, nil
	}
	return Selection{}, fmt.Errorf("selection %q: want slowest:N%%, over:DURATION, errors or range:FROM-TO", s)
}

// String is the form ParseSelection reads.
func (s Selection) String() string {
	switch s.Kind {
	case SelectOver:
		return "over:" + time.Duration(s.Min).String()
	case SelectErrors:
		return "errors"
	case SelectRange:
		return "range:" + time.Duration(s.Min).String() + "-" + time.Duration(s.Max).String()
	}
	return "slowest:" + strconv.FormatFloat(s.Percent, 'f', -1, 64) + "%"
}

// pick reports which traces are selected. Slowest ties are broken by trace
// ID, so that the same traces give the same split in any arrival order.
func (s Selection) pick(traces []traceRec) []bool {
	sel := make([]bool, len(traces))
	switch s.Kind {
	case SelectSlowest:
		if len(traces) == 0 {
			return sel
		}
		// Percent·n/100 rounded up; a product within rounding error of a
		// whole number is that number (7% of 100 is 7, not the 8 that
		// 7/100·100 = 7.000000000000001 rounds up to).
		x := s.Percent * float64(len(traces)) / 100
		if r := math.Round(x); math.Abs(x-r) < 1e-9 {
			x = r
		}
		k := int(math.Ceil(x))
		k = min(max(k, 1), len(traces))
		for _, i := range slowestFirst(traces)[:k] {
			sel[i] = true
		}
	case SelectOver:
		for i := range traces {
			sel[i] = traces[i].info.Duration > s.Min
		}
	case SelectErrors:
		for i := range traces {
			sel[i] = traces[i].info.ErrorSpans > 0
		}
	case SelectRange:
		for i := range traces {
			d := traces[i].info.Duration
			sel[i] = d >= s.Min && d < s.Max
		}
	}
	return sel
}

// slowestFirst orders trace indexes by duration, longest first, ties by ID.
func slowestFirst(traces []traceRec) []int32 {
	order := make([]int32, len(traces))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		if c := cmp.Compare(traces[b].info.Duration, traces[a].info.Duration); c != 0 {
			return c
		}
		return strings.Compare(string(traces[a].info.ID), string(traces[b].info.ID))
	})
	return order
}
