package analysis

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/file"
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

	checkShares(t, a)
	checkCoverage(t, a)

	// Adjusted starts move only skewed spans and their same-host descendants.
	starts := AdjustedStarts(tr, a.Skews)
	if len(starts) != len(spans) {
		t.Fatalf("adjusted starts: %d", len(starts))
	}
	for _, sk := range a.Skews {
		if sk.Warning(tr) == "" || (sk.Delta > MaxSkewAdjustment || sk.Delta < -MaxSkewAdjustment) {
			t.Fatalf("skew %+v", sk)
		}
	}
	_ = Search(tr, "a s1 -host op1=x d1#2")
}

// checkCoverage asserts that the coverage adds up: the path covers no more
// of the trace than there is, overlap and outside time are what the
// intervals leave.
func checkCoverage(t *testing.T, a *Analysis) {
	t.Helper()
	c := a.Coverage
	if c.Roots != len(a.Tree.Roots) || c.Length != a.Critical.Length() {
		t.Fatalf("coverage %+v: roots or length differ from the tree's", c)
	}
	if c.Covered < 0 || c.Covered > c.Trace || c.Covered > c.Length || c.Outside != c.Trace-c.Covered {
		t.Fatalf("coverage %+v does not add up", c)
	}
	if c.Length < math.MaxInt64 && c.Overlap != c.Length-c.Covered {
		t.Fatalf("coverage %+v: overlap", c)
	}
}

// checkShares asserts that the shares the views print can be read without
// surprises: each lies in [0, 1] and they add up to 1 (service and
// operation self time of all spans' self time; critical time of the
// critical path's length, which is the sum of the roots' durations).
func checkShares(t *testing.T, a *Analysis) {
	t.Helper()
	var allSelf float64
	for _, v := range a.Self {
		allSelf += float64(v)
	}
	sumTo := func(what string, sum float64) {
		t.Helper()
		want := 1.0
		if allSelf == 0 {
			want = 0 // nothing to share: every share is 0, none is NaN
		}
		if math.Abs(sum-want) > 1e-9 {
			t.Fatalf("%s self shares sum to %v, want %v", what, sum, want)
		}
	}
	var svc, ops float64
	for _, s := range a.Stats.Services {
		if s.SelfFraction < 0 || s.SelfFraction > 1 {
			t.Fatalf("service %q: share %v", s.Name, s.SelfFraction)
		}
		svc += s.SelfFraction
	}
	for _, o := range a.Stats.Operations {
		if o.SelfFraction < 0 || o.SelfFraction > 1 {
			t.Fatalf("operation %q: share %v", o.Name, o.SelfFraction)
		}
		ops += o.SelfFraction
	}
	sumTo("service", svc)
	sumTo("operation", ops)

	cp := a.Critical
	var roots, sections int64
	for _, r := range a.Tree.Roots {
		s := &a.Tree.Trace.Spans[r]
		roots += max(spanEnd(s)-s.Start, 0)
	}
	for _, sec := range cp.Sections {
		sections += sec.End - sec.Start
	}
	length := cp.Length()
	if length != sections || length != roots {
		t.Fatalf("critical length %d; sections sum to %d, roots' durations to %d", length, sections, roots)
	}
	var spanTime int64
	for _, d := range cp.SpanTime {
		if d < 0 || d > length {
			t.Fatalf("critical span time %d outside [0, %d]", d, length)
		}
		spanTime += d
	}
	if spanTime != length {
		t.Fatalf("critical span times sum to %d, length %d", spanTime, length)
	}
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

// compactSpans is how many spans encodeCompact keeps: the most whose
// parent selector byte can name every one of them.
const compactSpans = 254

// encodeCompact is decodeCompact's inverse as far as six bytes a span
// allow, so that fuzzing starts from the shapes of real traces: the first
// compactSpans spans with their parents (a parent outside them is missing),
// duplicate IDs, errors, kinds, FOLLOWS_FROM parents and negative
// durations kept exactly; times scaled onto 0..63 monotonically, so order
// and containment survive but short gaps may close; hosts folded onto
// decodeCompact's three (a fourth has none) and operations onto 16.
func encodeCompact(tr *backend.Trace) []byte {
	spans := tr.Spans[:min(len(tr.Spans), compactSpans)]
	first := map[backend.SpanID]int{}
	uses := map[backend.SpanID]int{}
	for i := range spans {
		if _, ok := first[spans[i].SpanID]; !ok {
			first[spans[i].SpanID] = i
		}
		uses[spans[i].SpanID]++
	}
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	for i := range spans {
		lo = min(lo, spans[i].Start)
		d := spans[i].Duration
		if d < 0 {
			d = -d // encoded by magnitude, with a flag for the sign
		}
		hi = max(hi, spans[i].Start+d)
	}
	scale := func(t int64) byte {
		if hi <= lo {
			return 0
		}
		return byte(math.Round(float64(t-lo) / float64(hi-lo) * 63))
	}
	dupClass := map[backend.SpanID]byte{}
	hosts := map[hostKey]byte{}
	ops := map[string]byte{}
	out := make([]byte, 0, 6*len(spans))
	for i := range spans {
		s := &spans[i]
		var b [6]byte
		if s.ParentID != "" {
			b[0] = 255
			if p, ok := first[s.ParentID]; ok {
				b[0] = byte(p + 1)
			}
			for _, r := range s.References {
				if r.SpanID == s.ParentID {
					if r.Type == backend.RefFollowsFrom {
						b[3] |= 2
					}
					break
				}
			}
		}
		start, dur := s.Start, s.Duration
		if dur < 0 {
			b[3] |= 0x20
			dur = -dur
		}
		b[1] = scale(start)
		b[2] = scale(start+dur) - b[1]
		if s.Error {
			b[3] |= 1
		}
		b[3] |= byte(s.Kind&7) << 2
		if uses[s.SpanID] > 1 {
			c, ok := dupClass[s.SpanID]
			if !ok {
				c = byte(len(dupClass) % 8)
				dupClass[s.SpanID] = c
			}
			b[4] = 0x80 | c
		}
		host := byte(3)
		if s.Process != nil {
			h := spanHost(s)
			c, ok := hosts[h]
			if !ok {
				c = byte(len(hosts) % 3)
				hosts[h] = c
			}
			host = c
		}
		op, ok := ops[s.Operation]
		if !ok {
			op = byte(len(ops) % 16)
			ops[s.Operation] = op
		}
		b[5] = op<<4 | host
		out = append(out, b[:]...)
	}
	return out
}

// fixtureTraces decodes every trace in the fixture folders; bodies that are
// not traces (service lists, errors) are skipped.
func fixtureTraces(tb testing.TB) []*backend.Trace {
	tb.Helper()
	var traces []*backend.Trace
	for _, d := range []string{"jaeger", "jaeger/api_v3", "jaeger-ui", "otel-proto", "tempo", "zipkin", "captured/*"} {
		paths, err := filepath.Glob(fixtures + d + "/*.json")
		if err != nil {
			tb.Fatal(err)
		}
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				tb.Fatal(err)
			}
			ts, err := file.Decode(bytes.NewReader(data))
			if err != nil {
				continue
			}
			for _, t := range ts {
				if len(t.Spans) > 0 {
					traces = append(traces, t)
				}
			}
		}
	}
	if len(traces) < 20 {
		tb.Fatalf("only %d fixture traces found", len(traces))
	}
	return traces
}

// TestEncodeCompactKeepsFixtureShape: the fuzz seeds made from fixtures
// decode to the fixtures' structure, so that FuzzAnalyze really starts from
// real traces.
func TestEncodeCompactKeepsFixtureShape(t *testing.T) {
	for k, tr := range fixtureTraces(t) {
		n := min(len(tr.Spans), compactSpans)
		got := decodeCompact(encodeCompact(tr))
		if len(got.Spans) != n {
			t.Fatalf("trace %d (%s): %d spans, want %d", k, tr.ID, len(got.Spans), n)
		}
		orig := &backend.Trace{ID: tr.ID, Spans: tr.Spans[:n]}
		want, have := BuildTree(orig), BuildTree(got)
		for i := 0; i < n; i++ {
			o, g := &orig.Spans[i], &got.Spans[i]
			if o.Error != g.Error || o.Kind != g.Kind || (o.Duration < 0) != (g.Duration < 0) {
				t.Fatalf("trace %s span %d: error %v/%v kind %v/%v duration %d/%d", tr.ID, i, o.Error, g.Error, o.Kind, g.Kind, o.Duration, g.Duration)
			}
			if want.Parent[i] != have.Parent[i] {
				t.Fatalf("trace %s span %d: parent %d, want %d", tr.ID, i, have.Parent[i], want.Parent[i])
			}
			if p := want.Parent[i]; p >= 0 {
				op, gp := &orig.Spans[p], &got.Spans[p]
				if o.Start < op.Start && g.Start > gp.Start || spanEnd(o) > spanEnd(op) && spanEnd(g) < spanEnd(gp) {
					t.Fatalf("trace %s span %d: order against its parent lost", tr.ID, i)
				}
			}
		}
	}
}

func FuzzAnalyze(f *testing.F) {
	for _, tr := range fixtureTraces(f) {
		f.Add(encodeCompact(tr))
	}
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
