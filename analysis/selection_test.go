package analysis

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
)

func TestParseSelection(t *testing.T) {
	ms := int64(time.Millisecond)
	good := []struct {
		in, out string
		want    Selection
	}{
		{"slowest:10%", "slowest:10%", Selection{Kind: SelectSlowest, Percent: 10}},
		{"slowest:2.5", "slowest:2.5%", Selection{Kind: SelectSlowest, Percent: 2.5}},
		{"slowest:100%", "slowest:100%", Selection{Kind: SelectSlowest, Percent: 100}},
		{"over:500ms", "over:500ms", Selection{Kind: SelectOver, Min: 500 * ms}},
		{" errors ", "errors", Selection{Kind: SelectErrors}},
		{"range:100ms-2s", "range:100ms-2s", Selection{Kind: SelectRange, Min: 100 * ms, Max: 2000 * ms}},
	}
	for _, g := range good {
		s, err := ParseSelection(g.in)
		if err != nil || s != g.want || s.String() != g.out {
			t.Errorf("%q: %+v %v %q", g.in, s, err, s.String())
		}
		if back, err := ParseSelection(s.String()); err != nil || back != s {
			t.Errorf("%q does not round-trip: %+v %v", s.String(), back, err)
		}
	}
	for _, in := range []string{"", "slowest", "slowest:0%", "slowest:101%", "slowest:NaN", "slowest:x", "over:", "over:-1s",
		"over:5", "errors:1", "range:2s-1s", "range:1s", "range:1s-1s", "fastest:10%"} {
		if s, err := ParseSelection(in); err == nil {
			t.Errorf("%q accepted as %+v", in, s)
		}
	}
	if DefaultSelection().String() != "slowest:10%" {
		t.Fatal(DefaultSelection())
	}
}

func recs(durs []int64, errs ...int) []traceRec {
	out := make([]traceRec, len(durs))
	for i, d := range durs {
		out[i].info = TraceInfo{ID: backend.TraceID("t" + itoaTrace(i)), Duration: d}
	}
	for _, i := range errs {
		out[i].info.ErrorSpans = 1
	}
	return out
}

func itoaTrace(i int) string { return fmt.Sprintf("%03d", i) }

func picked(p []bool) []int {
	var out []int
	for i, v := range p {
		if v {
			out = append(out, i)
		}
	}
	return out
}

func TestSelectionPick(t *testing.T) {
	durs := make([]int64, 25)
	for i := range durs {
		durs[i] = int64((i * 7) % 25) // a permutation of 0..24
	}
	tr := recs(durs, 3, 4)
	// 10% of 25 is 2.5: three traces, the slowest.
	got := picked(Selection{Kind: SelectSlowest, Percent: 10}.pick(tr))
	want := []int{}
	for i, d := range durs {
		if d >= 22 {
			want = append(want, i)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("slowest 10%%: %v, want %v", got, want)
	}
	if got := picked(Selection{Kind: SelectSlowest, Percent: 0.1}.pick(tr)); len(got) != 1 || durs[got[0]] != 24 {
		t.Fatalf("at least one: %v", got)
	}
	if got := picked(Selection{Kind: SelectOver, Min: 20}.pick(tr)); len(got) != 4 {
		t.Fatalf("over 20: %v", got)
	}
	if got := picked(Selection{Kind: SelectErrors}.pick(tr)); !slices.Equal(got, []int{3, 4}) {
		t.Fatalf("errors: %v", got)
	}
	if got := picked(Selection{Kind: SelectRange, Min: 5, Max: 7}.pick(tr)); len(got) != 2 || durs[got[0]]+durs[got[1]] != 11 {
		t.Fatalf("range [5,7): %v", got)
	}
	// Ties at the cut go by trace ID, whatever the order of arrival.
	ties := recs([]int64{5, 5, 5, 5})
	slices.Reverse(ties)
	if got := picked(Selection{Kind: SelectSlowest, Percent: 50}.pick(ties)); !slices.Equal(got, []int{2, 3}) {
		t.Fatalf("ties: %v (IDs %s %s)", got, ties[2].info.ID, ties[3].info.ID)
	}
	if got := (Selection{Kind: SelectSlowest, Percent: 10}).pick(nil); len(got) != 0 {
		t.Fatal(got)
	}
}

// TestSelectionPickCountIsExact: slowest:N% selects exactly ⌈N% of the
// traces⌉, also where N/100 has no exact binary fraction (7/100*100 is
// 7.000000000000001 in floating point, and its ceiling 8).
func TestSelectionPickCountIsExact(t *testing.T) {
	for _, c := range []struct {
		percent float64
		n, want int
	}{
		{7, 100, 7}, {7, 200, 14}, {10, 30, 3}, {14, 50, 7}, {28, 25, 7}, {0.7, 1000, 7},
		{12.5, 8, 1}, {10, 25, 3}, {33.3, 10, 4}, {100, 9, 9},
	} {
		tr := recs(make([]int64, c.n))
		if got := len(picked(Selection{Kind: SelectSlowest, Percent: c.percent}.pick(tr))); got != c.want {
			t.Errorf("slowest:%v%% of %d: %d traces, want %d", c.percent, c.n, got, c.want)
		}
	}
}

func TestLatency(t *testing.T) {
	ms := int64(time.Millisecond)
	var durs []int64
	for i := 1; i <= 100; i++ {
		durs = append(durs, int64(i)*ms)
	}
	errs := make([]bool, 100)
	sel := make([]bool, 100)
	errs[99], errs[0] = true, true
	for i := 90; i < 100; i++ {
		sel[i] = true
	}
	l := latency(durs, errs, sel, 10)
	if l.Min != ms || l.P50 != 50*ms || l.P90 != 90*ms || l.P99 != 99*ms || l.Max != 100*ms {
		t.Fatalf("percentiles %+v", l)
	}
	if len(l.Buckets) != 10 || l.Buckets[0].From != ms || l.Buckets[9].To != 100*ms+1 {
		t.Fatalf("buckets %+v", l.Buckets)
	}
	count, errCount, selCount := 0, 0, 0
	for k, b := range l.Buckets {
		count += b.Count
		errCount += b.ErrorCount
		selCount += b.Selected
		if b.To <= b.From || (k > 0 && b.From != l.Buckets[k-1].To) {
			t.Fatalf("bucket %d: %+v", k, b)
		}
		// Log scale: each bucket's edges have the same ratio (100^(1/10)
		// = 1.585), within the rounding to whole µs.
		if k < 9 {
			if r := float64(b.To) / float64(b.From); r < 1.57 || r > 1.60 {
				t.Fatalf("bucket %d ratio %.3f", k, r)
			}
		}
		for _, d := range durs {
			if d >= b.From && d < b.To {
				b.Count--
			}
		}
		if b.Count != 0 {
			t.Fatalf("bucket %d miscounted", k)
		}
	}
	if count != 100 || errCount != 2 || selCount != 10 || l.Buckets[9].Selected != 10 || l.Buckets[0].ErrorCount != 1 {
		t.Fatalf("counts %d %d %d: %+v", count, errCount, selCount, l.Buckets)
	}

	// Degenerate inputs: nothing, one trace, all equal, zero durations.
	if l := latency(nil, nil, nil, 10); len(l.Buckets) != 0 || l.Max != 0 {
		t.Fatalf("empty %+v", l)
	}
	for _, ds := range [][]int64{{7 * ms}, {0, 0, 0}, {5, 5}, {0, 1, 999, 1000, 1001}} {
		l := latency(ds, make([]bool, len(ds)), make([]bool, len(ds)), 20)
		n := 0
		for _, b := range l.Buckets {
			n += b.Count
			if b.To <= b.From {
				t.Fatalf("%v: bucket %+v", ds, b)
			}
		}
		if n != len(ds) {
			t.Fatalf("%v: %d counted in %+v", ds, n, l.Buckets)
		}
	}
}
