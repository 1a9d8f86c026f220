package analysis

import (
	"slices"
	"testing"

	"github.com/tracetui/tracetui/backend"
)

func TestCriticalPath(t *testing.T) {
	tests := []struct {
		name  string
		trace *backend.Trace
		want  string // sections in time order
		spans []string
	}{
		{
			// Jaeger UI CriticalPath test2: the LFC's earlier-ending sibling
			// overlaps it, so it is skipped.
			name:  "jaeger-ui overlapping children",
			trace: trace(sp("X", "", 1, 100), sp("A", "X", 10, 40), sp("C", "X", 20, 40)),
			want:  "X[1,20] C[20,60] X[60,101]",
			spans: []string{"X", "C"},
		},
		{
			name:  "back-to-back siblings both on the path (<=)",
			trace: trace(sp("a", "", 0, 100), sp("b", "a", 10, 20), sp("c", "a", 30, 20)),
			want:  "a[0,10] b[10,30] c[30,50] a[50,100]",
			spans: []string{"a", "b", "c"},
		},
		{
			name:  "nested walk back up through two levels",
			trace: trace(sp("a", "", 0, 100), sp("b", "a", 10, 80), sp("c", "b", 20, 30), sp("d", "b", 60, 20), sp("e", "a", 0, 5)),
			want:  "e[0,5] a[5,10] b[10,20] c[20,50] b[50,60] d[60,80] b[80,90] a[90,100]",
			spans: []string{"e", "a", "b", "c", "d"},
		},
		{
			name:  "zero-length children terminate and merge",
			trace: trace(sp("a", "", 0, 10), sp("b", "a", 5, 0), sp("c", "a", 5, 0)),
			want:  "a[0,10]",
			spans: []string{"a"},
		},
		{
			name:  "zero-length child at the cursor and a full-length sibling",
			trace: trace(sp("a", "", 0, 10), sp("b", "a", 10, 0), sp("c", "a", 10, 0), sp("d", "a", 0, 10)),
			want:  "d[0,10]",
			spans: []string{"d"},
		},
		{
			name:  "zero-length root",
			trace: trace(sp("a", "", 5, 0)),
			want:  "",
		},
		{
			name:  "tie on end picks the earlier start",
			trace: trace(sp("a", "", 0, 100), sp("b", "a", 10, 40), sp("c", "a", 20, 30)),
			want:  "a[0,10] b[10,50] a[50,100]",
		},
		{
			name:  "child longer than parent is clamped",
			trace: trace(sp("a", "", 10, 10), sp("b", "a", 0, 50)),
			want:  "b[10,20]",
			spans: []string{"b"},
		},
		{
			name:  "child starting after the parent ended is dropped, sticking-out one clamped",
			trace: trace(sp("a", "", 0, 100), sp("b", "a", 100, 50), sp("c", "a", 50, 70)),
			want:  "a[0,50] c[50,100]",
		},
		{
			name:  "child ending before the parent started is dropped",
			trace: trace(sp("a", "", 100, 100), sp("b", "a", 0, 100), sp("c", "a", 50, 100)),
			want:  "c[100,150] a[150,200]",
		},
		{
			name:  "grandchild clamped to the clamped child",
			trace: trace(sp("a", "", 0, 100), sp("b", "a", 50, 100), sp("c", "b", 90, 30)),
			want:  "a[0,50] b[50,90] c[90,100]",
		},
		{
			name: "jaeger-ui children longer than parent, starting after it",
			trace: trace(sp("p", "", 100, 40), sp("s", "p", 115, 10),
				sp("t1", "p", 200, 300), sp("t2", "p", 300, 100)),
			want: "p[100,115] s[115,125] p[125,140]",
		},
		{
			name: "FOLLOWS_FROM child and its subtree are non-blocking",
			trace: trace(sp("a", "", 0, 100), sp("b", "a", 10, 30),
				sp("f", "a", 50, 100, followsFrom()), sp("g", "f", 60, 30)),
			want:  "a[0,10] b[10,40] a[40,100]",
			spans: []string{"a", "b"},
		},
		{
			name: "FOLLOWS_FROM chain",
			trace: trace(sp("r", "", 0, 10), sp("f1", "r", 5, 10, followsFrom()),
				sp("f2", "f1", 15, 10, followsFrom())),
			want: "r[0,10]",
		},
		{
			name: "CHILD_OF wins over an earlier FOLLOWS_FROM reference",
			trace: trace(sp("a", "", 0, 100), sp("x", "", 0, 1), func() backend.Span {
				s := sp("b", "a", 10, 30)
				s.References = []backend.Ref{{Type: backend.RefFollowsFrom, SpanID: "x"}, {Type: backend.RefChildOf, SpanID: "a"}}
				return s
			}()),
			want: "a[0,10] x[0,1] b[10,40] a[40,100]",
		},
		{
			name: "producer to consumer is non-blocking",
			trace: trace(sp("r", "", 0, 100), sp("p", "r", 10, 10, kind(backend.KindProducer)),
				sp("c", "p", 15, 80, kind(backend.KindConsumer)), sp("i", "p", 12, 5, kind(backend.KindInternal))),
			want: "r[0,10] p[10,12] i[12,17] p[17,20] r[20,100]",
		},
		{
			name:  "consumer under a non-producer stays blocking",
			trace: trace(sp("r", "", 0, 100), sp("c", "r", 10, 20, kind(backend.KindConsumer))),
			want:  "r[0,10] c[10,30] r[30,100]",
		},
		{
			name:  "multi-root in time order",
			trace: trace(sp("r2", "", 50, 20), sp("r1", "", 0, 10), sp("k", "r1", 2, 3)),
			want:  "r1[0,2] k[2,5] r1[5,10] r2[50,70]",
			spans: []string{"r1", "k", "r2"},
		},
		{
			name:  "orphan is its own root",
			trace: trace(sp("r", "", 0, 10), sp("o", "gone", 3, 4)),
			want:  "r[0,10] o[3,7]",
		},
		{
			name:  "duplicate IDs each appear once",
			trace: trace(sp("a", "", 0, 100), sp("b", "a", 10, 10), sp("b", "a", 30, 10)),
			want:  "a[0,10] b[10,20] a[20,30] b#2[30,40] a[40,100]",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := BuildTree(tc.trace)
			cp := ComputeCriticalPath(tr)
			if got := sectionsString(tr, cp); got != tc.want {
				t.Errorf("sections = %s\nwant       %s", got, tc.want)
			}
			checkCriticalTiles(t, tr, cp)
			if tc.spans != nil {
				if got := ids(tr, cp.Spans); !slices.Equal(got, tc.spans) {
					t.Errorf("spans = %v, want %v", got, tc.spans)
				}
			}
		})
	}
}

// checkCriticalTiles asserts that each root's sections tile its interval,
// that sections are in time order, and that SpanTime and Spans agree.
func checkCriticalTiles(t *testing.T, tr *Tree, cp *CriticalPath) {
	t.Helper()
	n := len(tr.Trace.Spans)
	if len(cp.SpanTime) != n {
		t.Fatalf("SpanTime has %d entries for %d spans", len(cp.SpanTime), n)
	}
	rootOf := make([]int32, n)
	for _, v := range tr.Order {
		if p := tr.Parent[v]; p >= 0 {
			rootOf[v] = rootOf[p]
		} else {
			rootOf[v] = v
		}
	}
	byRoot := make(map[int32][]Section)
	spanTime := make([]int64, n)
	var first []int32
	seen := make([]bool, n)
	for k, s := range cp.Sections {
		if s.End <= s.Start {
			t.Fatalf("empty or inverted section %+v", s)
		}
		if k > 0 {
			p := cp.Sections[k-1]
			if p.Start > s.Start {
				t.Fatalf("sections not in time order: %+v then %+v", p, s)
			}
		}
		sp := &tr.Trace.Spans[s.Span]
		if s.Start < sp.Start || s.End > spanEnd(sp) {
			t.Fatalf("section %+v outside its span [%d,%d]", s, sp.Start, spanEnd(sp))
		}
		byRoot[rootOf[s.Span]] = append(byRoot[rootOf[s.Span]], s)
		spanTime[s.Span] += s.End - s.Start
		if !seen[s.Span] {
			seen[s.Span] = true
			first = append(first, s.Span)
		}
	}
	for _, r := range tr.Roots {
		secs := byRoot[r]
		rs, re := tr.Trace.Spans[r].Start, spanEnd(&tr.Trace.Spans[r])
		cur := rs
		for _, s := range secs {
			if s.Start != cur {
				t.Fatalf("root %s: gap or overlap at %d (section %+v)", tr.SpanIDs[r], cur, s)
			}
			cur = s.End
		}
		if cur != re {
			t.Fatalf("root %s: path ends at %d, root ends at %d", tr.SpanIDs[r], cur, re)
		}
	}
	if !slices.Equal(spanTime, cp.SpanTime) {
		t.Fatalf("SpanTime %v, sections sum to %v", cp.SpanTime, spanTime)
	}
	if !slices.Equal(first, cp.Spans) && !(len(first) == 0 && len(cp.Spans) == 0) {
		t.Fatalf("Spans %v, want %v", cp.Spans, first)
	}
}

// TestCriticalPathLength: the path's length is the sum of its roots'
// paths, the denominator of every critical share.
func TestCriticalPathLength(t *testing.T) {
	cp := ComputeCriticalPath(BuildTree(trace(sp("a", "", 0, 100), sp("b", "a", 10, 20), sp("c", "", 50, 30))))
	if got := cp.Length(); got != 130 {
		t.Fatalf("length %d, want 130 (two roots of 100 and 30)", got)
	}
	var none *CriticalPath
	if none.Length() != 0 || ComputeCriticalPath(BuildTree(trace())).Length() != 0 {
		t.Fatal("an absent or empty path has length 0")
	}
}
