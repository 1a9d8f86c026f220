package analysis

import (
	"math/rand/v2"
	"testing"

	"github.com/tracetui/tracetui/backend"
)

// checkAnalysis asserts the properties every analysis must have, whatever
// the input.
func checkAnalysis(t *testing.T, a *Analysis) {
	t.Helper()
	tr := a.Tree
	spans := tr.Trace.Spans
	checkTreeInvariants(t, tr)
	checkCriticalTiles(t, tr, a.Critical)

	// Self time within [0, duration]; a subtree's self times cover its root.
	subSelf := make([]int64, len(spans))
	for i := range spans {
		d := spanEnd(&spans[i]) - spans[i].Start
		if a.Self[i] < 0 || a.Self[i] > d {
			t.Fatalf("self(%d) = %d outside [0, %d]", i, a.Self[i], d)
		}
		subSelf[i] = a.Self[i]
	}
	for k := len(tr.Order) - 1; k >= 0; k-- {
		if v := tr.Order[k]; tr.Parent[v] >= 0 {
			subSelf[tr.Parent[v]] += subSelf[v]
		}
	}
	for _, r := range tr.Roots {
		if d := spanEnd(&spans[r]) - spans[r].Start; subSelf[r] < d {
			t.Fatalf("root %d: subtree self %d < duration %d", r, subSelf[r], d)
		}
	}

	// Error origins: errors with no error below, earliest first, true chains.
	for k, o := range a.Origins {
		if !spans[o.Span].Error {
			t.Fatalf("origin %d is not an error", o.Span)
		}
		if k > 0 && spans[a.Origins[k-1].Span].Start > spans[o.Span].Start {
			t.Fatalf("origins not by start")
		}
		if len(o.Chain) == 0 || o.Chain[len(o.Chain)-1] != o.Span || tr.Parent[o.Chain[0]] != -1 {
			t.Fatalf("bad chain %v for %d", o.Chain, o.Span)
		}
		for j := 1; j < len(o.Chain); j++ {
			if tr.Parent[o.Chain[j]] != o.Chain[j-1] {
				t.Fatalf("chain %v broken at %d", o.Chain, j)
			}
		}
	}
	isOrigin := make([]bool, len(spans))
	for _, o := range a.Origins {
		isOrigin[o.Span] = true
	}
	errBelow := make([]bool, len(spans))
	for k := len(tr.Order) - 1; k >= 0; k-- {
		v := tr.Order[k]
		if want := spans[v].Error && !errBelow[v]; want != isOrigin[v] {
			t.Fatalf("span %d: origin %v, want %v", v, isOrigin[v], want)
		}
		if p := tr.Parent[v]; p >= 0 && (spans[v].Error || errBelow[v]) {
			errBelow[p] = true
		}
	}

	// Stats add up.
	count, total, self := 0, int64(0), int64(0)
	for _, s := range a.Stats.Services {
		count += s.Count
		total += s.Total
		self += s.Self
	}
	var wantTotal, wantSelf int64
	for i := range spans {
		wantTotal += spanEnd(&spans[i]) - spans[i].Start
		wantSelf += a.Self[i]
	}
	if count != len(spans) || total != wantTotal || self != wantSelf {
		t.Fatalf("service stats count %d total %d self %d, want %d %d %d", count, total, self, len(spans), wantTotal, wantSelf)
	}
	opCount := 0
	for _, o := range a.Stats.Operations {
		opCount += o.Count
		if o.Min > o.Max || o.Avg < o.Min || o.Avg > o.Max {
			t.Fatalf("operation %+v: min/avg/max out of order", o)
		}
	}
	if opCount != len(spans) {
		t.Fatalf("operation counts sum to %d", opCount)
	}

	// Adjusted starts move only skewed spans and their same-host descendants.
	starts := AdjustedStarts(tr, a.Skews)
	if len(starts) != len(spans) {
		t.Fatalf("adjusted starts: %d", len(starts))
	}
	for _, sk := range a.Skews {
		if sk.Warning == "" || (sk.Delta > MaxSkewAdjustment || sk.Delta < -MaxSkewAdjustment) {
			t.Fatalf("skew %+v", sk)
		}
	}
	_ = Search(tr, "a s1 -host op1=x d1#2")
}

func TestPropertiesRandomTrees(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for iter := 0; iter < 400; iter++ {
		data := make([]byte, 6*(1+r.IntN(60)))
		for k := range data {
			data[k] = byte(r.IntN(256))
		}
		// Bias half the cases towards well-formed trees (parents earlier).
		if iter%2 == 0 {
			for i := 0; i < len(data)/6; i++ {
				if i == 0 {
					data[0] = 0
				} else {
					data[6*i] = byte(1 + r.IntN(i))
				}
				data[6*i+4] &^= 0x80
			}
		}
		checkAnalysis(t, Analyze(decodeCompact(data)))
	}
	for _, n := range []int{1, 2, 10, 300, 3000} {
		checkAnalysis(t, Analyze(genRealistic(n, uint64(n))))
	}
}

// TestPropertyNestedSequential: when children lie inside their parent and
// never overlap each other, a subtree's self times sum exactly to its root's
// duration and the critical path holds every span with nonzero self time.
func TestPropertyNestedSequential(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for iter := 0; iter < 200; iter++ {
		var spans []backend.Span
		var grow func(parent string, start, end int64, depth int)
		grow = func(parent string, start, end int64, depth int) {
			id := spanName(len(spans))
			spans = append(spans, sp(id, parent, start, end-start))
			if depth > 4 || end-start < 4 {
				return
			}
			cur := start
			for k := r.IntN(4); k > 0 && cur < end; k-- {
				s := cur + int64(r.IntN(int(end-cur)))
				e := s + int64(r.IntN(int(end-s)+1))
				grow(id, s, e, depth+1)
				cur = e
			}
		}
		grow("", 0, int64(10+r.IntN(1000)), 0)
		a := Analyze(trace(spans...))
		checkAnalysis(t, a)
		var sum int64
		for i := range spans {
			sum += a.Self[i]
			if a.Self[i] > 0 && a.Critical.SpanTime[i] != a.Self[i] {
				t.Fatalf("span %d: self %d, critical %d (sequential children: all self time is critical)",
					i, a.Self[i], a.Critical.SpanTime[i])
			}
		}
		if d := spans[0].Duration; sum != d {
			t.Fatalf("self times sum to %d, root duration %d", sum, d)
		}
	}
}

func FuzzAnalyze(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 0, 10, 0, 0, 0, 1, 2, 3, 1, 0, 1})
	f.Add([]byte{2, 0, 10, 0, 0, 0, 1, 2, 3, 1, 0, 1})                        // cycle
	f.Add([]byte{0, 5, 0, 0, 0x80, 0, 1, 5, 0, 0, 0x80, 1, 1, 5, 0, 0, 0, 2}) // zero-length duplicates
	f.Add([]byte{0, 10, 20, 12, 0, 0, 1, 0, 60, 18, 0, 1, 255, 3, 3, 3, 3, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 6*2000 {
			return
		}
		checkAnalysis(t, Analyze(decodeCompact(data)))
	})
}
