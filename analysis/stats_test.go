package analysis

import (
	"math"
	"testing"

	"github.com/tracetui/tracetui/backend"
)

func TestComputeStats(t *testing.T) {
	// gw: a [0,100] calls users b [10,40] (error) and orders c [50,90];
	// orders calls db d [60,70] and d2 [70,80] (error), and orders e
	// [55,57] internally.
	tr := BuildTree(trace(
		sp("a", "", 0, 100, svc("gw"), opName("GET /")),
		sp("b", "a", 10, 30, svc("users"), opName("get"), errored()),
		sp("c", "a", 50, 40, svc("orders"), opName("list")),
		sp("d", "c", 60, 10, svc("db"), opName("query")),
		sp("d2", "c", 70, 10, svc("db"), opName("query"), errored()),
		sp("e", "c", 55, 2, svc("orders"), opName("cache")),
	))
	self := SelfTimes(tr)
	st := ComputeStats(tr, self)

	wantSvc := []ServiceStat{
		{Name: "gw", Count: 1, Total: 100, Self: 30, Min: 100, Max: 100, Avg: 100, SelfFraction: 0.30},
		{Name: "users", Count: 1, Errors: 1, Total: 30, Self: 30, Min: 30, Max: 30, Avg: 30, SelfFraction: 0.30},
		{Name: "db", Count: 2, Errors: 1, Total: 20, Self: 20, Min: 10, Max: 10, Avg: 10, SelfFraction: 0.20},
		{Name: "orders", Count: 2, Total: 42, Self: 20, Min: 2, Max: 40, Avg: 21, SelfFraction: 0.20},
	}
	if len(st.Services) != len(wantSvc) {
		t.Fatalf("services = %+v", st.Services)
	}
	for k, w := range wantSvc {
		if st.Services[k] != w {
			t.Errorf("service %d = %+v, want %+v", k, st.Services[k], w)
		}
	}
	wantOps := []OperationStat{
		{Service: "gw", Name: "GET /", Count: 1, Total: 100, Self: 30, Min: 100, Max: 100, Avg: 100, SelfFraction: 0.30},
		{Service: "users", Name: "get", Count: 1, Errors: 1, Total: 30, Self: 30, Min: 30, Max: 30, Avg: 30, SelfFraction: 0.30},
		{Service: "db", Name: "query", Count: 2, Errors: 1, Total: 20, Self: 20, Min: 10, Max: 10, Avg: 10, SelfFraction: 0.20},
		{Service: "orders", Name: "list", Count: 1, Total: 40, Self: 18, Min: 40, Max: 40, Avg: 40, SelfFraction: 0.18},
		{Service: "orders", Name: "cache", Count: 1, Total: 2, Self: 2, Min: 2, Max: 2, Avg: 2, SelfFraction: 0.02},
	}
	if len(st.Operations) != len(wantOps) {
		t.Fatalf("operations = %+v", st.Operations)
	}
	for k, w := range wantOps {
		if st.Operations[k] != w {
			t.Errorf("operation %d = %+v, want %+v", k, st.Operations[k], w)
		}
	}
	wantEdges := []Edge{
		{From: "gw", To: "orders", Calls: 1},
		{From: "gw", To: "users", Calls: 1, Errors: 1},
		{From: "orders", To: "db", Calls: 2, Errors: 1},
	}
	if len(st.Edges) != len(wantEdges) {
		t.Fatalf("edges = %+v", st.Edges)
	}
	for k, w := range wantEdges {
		if st.Edges[k] != w {
			t.Errorf("edge %d = %+v, want %+v", k, st.Edges[k], w)
		}
	}
}

func TestComputeStatsEmptyAndZeroDuration(t *testing.T) {
	st := ComputeStats(BuildTree(trace()), nil)
	if st.Services == nil || len(st.Services) != 0 || len(st.Operations) != 0 || len(st.Edges) != 0 {
		t.Fatalf("empty trace stats = %+v", st)
	}
	tr := BuildTree(trace(sp("a", "", 5, 0), sp("b", "a", 5, 0, svc("other"))))
	st = ComputeStats(tr, SelfTimes(tr))
	for _, s := range st.Services {
		if s.SelfFraction != 0 || s.Count != 1 {
			t.Errorf("zero-length trace: %+v", s)
		}
	}
	if len(st.Edges) != 1 || st.Edges[0].From != "svc" || st.Edges[0].To != "other" {
		t.Errorf("edges = %+v", st.Edges)
	}
}

func TestFindErrorOrigins(t *testing.T) {
	tests := []struct {
		name   string
		trace  *backend.Trace
		want   []string   // origin IDs, primary first
		chains [][]string // chain of each origin
	}{
		{"no errors", trace(sp("a", "", 0, 10)), []string{}, nil},
		{
			"error propagated up: origin is the deepest",
			trace(sp("a", "", 0, 100, errored()), sp("b", "a", 10, 50, errored()), sp("c", "b", 20, 10, errored()), sp("d", "a", 5, 1)),
			[]string{"c"},
			[][]string{{"a", "b", "c"}},
		},
		{
			"two independent origins, earliest first",
			trace(sp("a", "", 0, 100, errored()), sp("b", "a", 50, 10, errored()), sp("c", "a", 20, 10, errored())),
			[]string{"c", "b"},
			[][]string{{"a", "c"}, {"a", "b"}},
		},
		{
			"error below a healthy span still counts for the ancestor",
			trace(sp("a", "", 0, 100, errored()), sp("b", "a", 10, 50), sp("c", "b", 20, 10, errored())),
			[]string{"c"},
			[][]string{{"a", "b", "c"}},
		},
		{
			"orphan error is its own chain",
			trace(sp("a", "", 0, 100), sp("o", "gone", 1, 1, errored())),
			[]string{"o"},
			[][]string{{"o"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := BuildTree(tc.trace)
			got := FindErrorOrigins(tr)
			var gotIDs []string
			for _, o := range got {
				gotIDs = append(gotIDs, string(tr.SpanIDs[o.Span]))
			}
			if !equalStrings(gotIDs, tc.want) {
				t.Fatalf("origins = %v, want %v", gotIDs, tc.want)
			}
			for k, o := range got {
				if c := ids(tr, o.Chain); !equalStrings(c, tc.chains[k]) {
					t.Errorf("chain %d = %v, want %v", k, c, tc.chains[k])
				}
			}
		})
	}
}

func TestErrorChainBudget(t *testing.T) {
	// A long handle fanning out into many erroring leaves: chains would be
	// quadratic, so later ones are left nil but ChainTo still works.
	const handle, leaves = 3000, 1500
	var spans []backend.Span
	for i := 0; i < handle; i++ {
		parent := ""
		if i > 0 {
			parent = spanName(i - 1)
		}
		spans = append(spans, sp(spanName(i), parent, int64(i), 1_000_000))
	}
	for j := 0; j < leaves; j++ {
		spans = append(spans, sp(spanName(handle+j), spanName(handle-1), int64(handle+j), 1, errored()))
	}
	tr := BuildTree(trace(spans...))
	origins := FindErrorOrigins(tr)
	if len(origins) != leaves {
		t.Fatalf("%d origins, want %d", len(origins), leaves)
	}
	total := 0
	for _, o := range origins {
		total += len(o.Chain)
	}
	if total > maxChainEntries {
		t.Fatalf("chains hold %d entries, budget %d", total, maxChainEntries)
	}
	if origins[0].Chain == nil || len(origins[0].Chain) != handle+1 {
		t.Fatalf("primary chain has %d entries, want %d", len(origins[0].Chain), handle+1)
	}
	last := origins[len(origins)-1]
	if last.Chain != nil {
		t.Fatalf("last chain filled beyond the budget")
	}
	if c := ChainTo(tr, last.Span); len(c) != handle+1 || c[0] != tr.Roots[0] || c[len(c)-1] != last.Span {
		t.Fatalf("ChainTo = %d entries", len(c))
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestComputeStatsSharesOfAllSelfTime: a share is of all spans' self time,
// so that shares add up to 100% when the trace has several roots, spans
// outside its root or parallel children (where a share of the trace's
// duration gave 300%).
func TestComputeStatsSharesOfAllSelfTime(t *testing.T) {
	tests := []struct {
		name  string
		trace *backend.Trace
		want  map[string]float64 // service -> SelfFraction
	}{
		{
			"several roots over the same interval",
			trace(sp("a", "", 0, 100, svc("one")), sp("b", "", 0, 100, svc("one")), sp("c", "", 0, 100, svc("two"))),
			map[string]float64{"one": 2.0 / 3, "two": 1.0 / 3},
		},
		{
			"an orphan after the root (trace longer than its root)",
			trace(sp("a", "", 0, 100, svc("one")), sp("o", "gone", 200, 100, svc("two"))),
			map[string]float64{"one": 0.5, "two": 0.5},
		},
		{
			"parallel children: more self time than wall time",
			trace(sp("a", "", 0, 100, svc("gw")), sp("b", "a", 0, 100, svc("one")), sp("c", "a", 0, 100, svc("two"))),
			map[string]float64{"gw": 0, "one": 0.5, "two": 0.5},
		},
		{
			"clean single root: the share of the root's duration",
			trace(sp("a", "", 0, 100, svc("gw")), sp("b", "a", 10, 30, svc("one"))),
			map[string]float64{"gw": 0.7, "one": 0.3},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := BuildTree(tc.trace)
			st := ComputeStats(tr, SelfTimes(tr))
			if len(st.Services) != len(tc.want) {
				t.Fatalf("services %+v", st.Services)
			}
			for _, s := range st.Services {
				if w, ok := tc.want[s.Name]; !ok || math.Abs(s.SelfFraction-w) > 1e-9 {
					t.Errorf("%s: share %v, want %v", s.Name, s.SelfFraction, w)
				}
			}
			var ops float64
			for _, o := range st.Operations {
				ops += o.SelfFraction
			}
			if math.Abs(ops-1) > 1e-9 {
				t.Errorf("operation shares sum to %v", ops)
			}
		})
	}
}

// TestComputeStatsHostileDurations: sums of huge durations saturate, so a
// share never turns negative or passes 100%.
func TestComputeStatsHostileDurations(t *testing.T) {
	const huge = math.MaxInt64/2 + 1
	tr := BuildTree(trace(sp("a", "", 0, huge, svc("one")), sp("b", "", 0, huge, svc("one")), sp("c", "", 0, 10, svc("two"))))
	st := ComputeStats(tr, SelfTimes(tr))
	var sum float64
	for _, s := range st.Services {
		if s.Self < 0 || s.Total < 0 || s.SelfFraction < 0 || s.SelfFraction > 1 {
			t.Fatalf("%+v", s)
		}
		sum += s.SelfFraction
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Fatalf("shares sum to %v", sum)
	}
	for _, o := range st.Operations {
		if o.Self < 0 || o.Total < 0 || o.Avg < o.Min || o.Avg > o.Max {
			t.Fatalf("%+v", o)
		}
	}
}
