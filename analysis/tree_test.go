package analysis

import (
	"slices"
	"testing"

	"github.com/tracetui/tracetui/backend"
)

func TestBuildTree(t *testing.T) {
	tests := []struct {
		name      string
		trace     *backend.Trace
		roots     []string
		order     []string // unique IDs in pre-order
		depths    map[string]int32
		maxDepth  int32
		start     int64
		end       int64
		warnings  []string // substrings, each must appear
		nWarnings int
	}{
		{
			name:  "empty",
			trace: trace(),
		},
		{
			name:     "children ordered by start then index",
			trace:    trace(sp("c", "a", 30, 5), sp("a", "", 0, 100), sp("b", "a", 10, 5), sp("d", "a", 10, 1), sp("e", "b", 12, 1)),
			roots:    []string{"a"},
			order:    []string{"a", "b", "e", "d", "c"},
			depths:   map[string]int32{"a": 0, "b": 1, "e": 2, "d": 1, "c": 1},
			maxDepth: 2,
			start:    0,
			end:      100,
		},
		{
			name:      "orphan becomes an extra root with a warning",
			trace:     trace(sp("a", "", 10, 100), sp("b", "zz", 5, 10), sp("c", "a", 20, 10)),
			roots:     []string{"b", "a"},
			order:     []string{"b", "a", "c"},
			depths:    map[string]int32{"b": 0, "a": 0, "c": 1},
			maxDepth:  1,
			start:     5,
			end:       110,
			warnings:  []string{"parent span zz is not in the trace"},
			nWarnings: 1,
		},
		{
			name:      "self-parent broken",
			trace:     trace(sp("a", "a", 0, 10)),
			roots:     []string{"a"},
			order:     []string{"a"},
			end:       10,
			warnings:  []string{"own parent"},
			nWarnings: 1,
		},
		{
			name: "cycle broken at its earliest span",
			// x -> y -> z -> x, plus w under y; nothing dropped.
			trace:     trace(sp("x", "z", 20, 10), sp("y", "x", 10, 10), sp("z", "y", 30, 10), sp("w", "y", 11, 1)),
			roots:     []string{"y"},
			order:     []string{"y", "w", "z", "x"},
			depths:    map[string]int32{"y": 0, "w": 1, "z": 1, "x": 2},
			maxDepth:  2,
			start:     10,
			end:       40,
			warnings:  []string{"cycle of 3 spans", "y"},
			nWarnings: 1,
		},
		{
			name:      "two-span cycle beside a normal root",
			trace:     trace(sp("r", "", 0, 100), sp("p", "q", 5, 1), sp("q", "p", 6, 1)),
			roots:     []string{"r", "p"},
			order:     []string{"r", "p", "q"},
			maxDepth:  1,
			end:       100,
			warnings:  []string{"cycle of 2 spans"},
			nWarnings: 1,
		},
		{
			name:      "duplicate IDs made unique, children attach to the first",
			trace:     trace(sp("a", "", 0, 100), sp("b", "a", 10, 10), sp("b", "a", 20, 10), sp("c", "b", 11, 1), sp("b", "a", 30, 10)),
			roots:     []string{"a"},
			order:     []string{"a", "b", "c", "b#2", "b#3"},
			depths:    map[string]int32{"c": 2, "b#2": 1, "b#3": 1},
			maxDepth:  2,
			end:       100,
			warnings:  []string{"duplicate span ID b", "3 spans"},
			nWarnings: 1,
		},
		{
			name:      "duplicate rename avoids existing IDs",
			trace:     trace(sp("a", "", 0, 10), sp("a#2", "", 1, 1), sp("a", "", 2, 1)),
			roots:     []string{"a", "a#2", "a#3"},
			order:     []string{"a", "a#2", "a#3"},
			end:       10,
			warnings:  []string{"duplicate span ID a"},
			nWarnings: 1,
		},
		{
			name:     "multi-root in start order",
			trace:    trace(sp("r2", "", 50, 10), sp("r1", "", 0, 10), sp("k", "r2", 55, 1)),
			roots:    []string{"r1", "r2"},
			order:    []string{"r1", "r2", "k"},
			maxDepth: 1,
			end:      60,
		},
		{
			name:     "negative duration counts as zero",
			trace:    trace(sp("a", "", 10, -5)),
			roots:    []string{"a"},
			order:    []string{"a"},
			start:    10,
			end:      10,
			maxDepth: 0,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := BuildTree(tc.trace)
			n := len(tc.trace.Spans)
			checkTreeInvariants(t, tr)
			if got := ids(tr, tr.Roots); !slices.Equal(got, orEmpty(tc.roots)) {
				t.Errorf("roots = %v, want %v", got, tc.roots)
			}
			if got := ids(tr, tr.Order); !slices.Equal(got, orEmpty(tc.order)) {
				t.Errorf("order = %v, want %v", got, tc.order)
			}
			for id, d := range tc.depths {
				i := slices.Index(tr.SpanIDs, backend.SpanID(id))
				if i < 0 {
					t.Fatalf("no unique ID %q in %v", id, tr.SpanIDs)
				}
				if tr.Depth[i] != d {
					t.Errorf("depth(%s) = %d, want %d", id, tr.Depth[i], d)
				}
			}
			if tr.MaxDepth != tc.maxDepth {
				t.Errorf("MaxDepth = %d, want %d", tr.MaxDepth, tc.maxDepth)
			}
			if n > 0 && (tr.Start != tc.start || tr.End != tc.end) {
				t.Errorf("Start, End = %d, %d, want %d, %d", tr.Start, tr.End, tc.start, tc.end)
			}
			for _, w := range tc.warnings {
				if !hasWarning(tr.Warnings, w) {
					t.Errorf("no warning containing %q in %q", w, tr.Warnings)
				}
			}
			if len(tr.Warnings) != tc.nWarnings {
				t.Errorf("warnings = %q, want %d", tr.Warnings, tc.nWarnings)
			}
		})
	}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// checkTreeInvariants asserts what every tree must satisfy, whatever the input.
func checkTreeInvariants(t *testing.T, tr *Tree) {
	t.Helper()
	n := len(tr.Trace.Spans)
	if len(tr.Parent) != n || len(tr.Depth) != n || len(tr.SpanIDs) != n || len(tr.ChildStart) != n+1 {
		t.Fatalf("table sizes: parent %d depth %d ids %d childStart %d for %d spans",
			len(tr.Parent), len(tr.Depth), len(tr.SpanIDs), len(tr.ChildStart), n)
	}
	if len(tr.Order) != n {
		t.Fatalf("order has %d spans, want %d (nothing dropped)", len(tr.Order), n)
	}
	seen := make([]bool, n)
	for _, v := range tr.Order {
		if seen[v] {
			t.Fatalf("span %d twice in order", v)
		}
		seen[v] = true
	}
	uniq := make(map[backend.SpanID]bool, n)
	for _, id := range tr.SpanIDs {
		if uniq[id] {
			t.Fatalf("SpanIDs not unique: %q", id)
		}
		uniq[id] = true
	}
	nChildren := 0
	for i := int32(0); i < int32(n); i++ {
		kids := tr.Children(i)
		nChildren += len(kids)
		for k, c := range kids {
			if tr.Parent[c] != i {
				t.Fatalf("child %d of %d has parent %d", c, i, tr.Parent[c])
			}
			if tr.Depth[c] != tr.Depth[i]+1 {
				t.Fatalf("depth of %d = %d, parent depth %d", c, tr.Depth[c], tr.Depth[i])
			}
			if k > 0 {
				p := kids[k-1]
				a, b := tr.Trace.Spans[p].Start, tr.Trace.Spans[c].Start
				if a > b || (a == b && p > c) {
					t.Fatalf("children of %d not ordered by start, index: %d then %d", i, p, c)
				}
			}
		}
	}
	if nChildren+len(tr.Roots) != n {
		t.Fatalf("%d children + %d roots != %d spans", nChildren, len(tr.Roots), n)
	}
	for k, r := range tr.Roots {
		if tr.Parent[r] != -1 || tr.Depth[r] != 0 {
			t.Fatalf("root %d has parent %d depth %d", r, tr.Parent[r], tr.Depth[r])
		}
		if k > 0 && tr.Trace.Spans[tr.Roots[k-1]].Start > tr.Trace.Spans[r].Start {
			t.Fatalf("roots not in start order")
		}
	}
	// Pre-order: a span's parent comes before it.
	pos := make([]int, n)
	for k, v := range tr.Order {
		pos[v] = k
	}
	for i := 0; i < n; i++ {
		if p := tr.Parent[i]; p >= 0 && pos[p] >= pos[i] {
			t.Fatalf("parent %d after child %d in order", p, i)
		}
	}
}

func TestBuildTreeDeepChain(t *testing.T) {
	const n = 100_000
	spans := make([]backend.Span, n)
	for i := range spans {
		parent := ""
		if i > 0 {
			parent = spanName(i - 1)
		}
		spans[i] = sp(spanName(i), parent, int64(i), int64(2*(n-i)))
	}
	// Reverse so that children come before parents in the input.
	slices.Reverse(spans)
	tr := BuildTree(trace(spans...))
	checkTreeInvariants(t, tr)
	if tr.MaxDepth != n-1 {
		t.Fatalf("MaxDepth = %d, want %d", tr.MaxDepth, n-1)
	}
	a := AnalyzeRest(tr)
	root := tr.Roots[0]
	if a.Critical.SpanTime[root] == 0 || len(a.Critical.Spans) != n {
		t.Fatalf("critical path covers %d spans, want all %d", len(a.Critical.Spans), n)
	}
	checkCriticalTiles(t, tr, a.Critical)
}

func TestBuildTreeDeepCycle(t *testing.T) {
	// A 100,000-span cycle must be found and broken without recursion.
	const n = 100_000
	spans := make([]backend.Span, n)
	for i := range spans {
		spans[i] = sp(spanName(i), spanName((i+1)%n), int64(n-i), 1)
	}
	tr := BuildTree(trace(spans...))
	checkTreeInvariants(t, tr)
	if len(tr.Roots) != 1 || tr.Roots[0] != n-1 {
		t.Fatalf("roots = %v, want the earliest span %d", tr.Roots, n-1)
	}
	if !hasWarning(tr.Warnings, "cycle of 100000 spans") {
		t.Fatalf("warnings = %q", tr.Warnings)
	}
}

func TestBuildTreeWarningsBounded(t *testing.T) {
	var spans []backend.Span
	for i := 0; i < 500; i++ {
		spans = append(spans, sp(spanName(i), "missing"+spanName(i), int64(i), 1))
		spans = append(spans, sp("dup", "", int64(i), 1))
	}
	tr := BuildTree(trace(spans...))
	checkTreeInvariants(t, tr)
	if len(tr.Warnings) > 2*maxListedWarnings+2 {
		t.Fatalf("%d warnings, want at most %d", len(tr.Warnings), 2*maxListedWarnings+2)
	}
	if !hasWarning(tr.Warnings, "and 490 more spans whose parent is not in the trace") {
		t.Fatalf("no summary warning in %q", tr.Warnings)
	}
}

func spanName(i int) string {
	const hex = "0123456789abcdef"
	b := []byte("s000000")
	for k := len(b) - 1; k > 0 && i > 0; k-- {
		b[k] = hex[i%16]
		i /= 16
	}
	return string(b)
}
