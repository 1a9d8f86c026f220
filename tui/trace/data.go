package trace

import (
	"math"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/present"
	"github.com/tracetui/tracetui/internal/textsafe"
)

// treeData is what the waterfall needs to draw: the tree plus per-span
// tables computed once, off the UI loop, so that drawing a row is a few
// lookups. Nothing here changes after it is built.
type treeData struct {
	tree *analysis.Tree
	// pos[i] is span i's index in tree.Order; size[i] counts span i and its
	// descendants, so a subtree is tree.Order[pos[i] : pos[i]+size[i]].
	pos  []int32
	size []int32
	// subErr[i] counts the failed spans among span i's descendants, so
	// that a folded row says it hides errors.
	subErr []int32
	// svc[i] indexes services and colour; names are sanitized once.
	svc      []int32
	services []string // sanitized service names
	rawSvc   []string // as in the trace, for exact filtering
	// hue is a hash of each service's name; the styles map it to a
	// palette entry, so a change of palette (terminal background) needs no
	// new tree data.
	hue      []uint32
	ops      []string // sanitized operation per span
	svcW     []int    // display width of each service name
	opW      []int32  // display width of each span's operation
	errCount int
	// spanIDs are sanitized unique span IDs (hostile IDs are kept as given
	// by the decoders).
	spanIDs []string
	// search is the in-trace search's index, built on first use.
	search *lazyIndex
}

// buildTreeData runs in a command. Strings are interned by the decoders, so
// sanitizing through a map cleans each distinct name once.
func buildTreeData(t *backend.Trace) *treeData {
	tree := analysis.BuildTree(t)
	n := len(t.Spans)
	d := &treeData{
		tree:    tree,
		pos:     make([]int32, n),
		size:    make([]int32, n),
		subErr:  make([]int32, n),
		svc:     make([]int32, n),
		ops:     make([]string, n),
		opW:     make([]int32, n),
		spanIDs: make([]string, n),
		search:  &lazyIndex{},
	}
	for p, i := range tree.Order {
		d.pos[i] = int32(p)
	}
	// Reverse pre-order visits children before parents.
	for p := len(tree.Order) - 1; p >= 0; p-- {
		i := tree.Order[p]
		d.size[i]++
		if par := tree.Parent[i]; par >= 0 {
			d.size[par] += d.size[i]
			d.subErr[par] += d.subErr[i]
			if t.Spans[i].Error {
				d.subErr[par]++
			}
		}
	}
	svcIdx := make(map[string]int32)
	type cleaned struct {
		s string
		w int32
	}
	opClean := make(map[string]cleaned)
	for i := range t.Spans {
		s := &t.Spans[i]
		k, ok := svcIdx[s.Service]
		if !ok {
			k = int32(len(d.services))
			svcIdx[s.Service] = k
			name := textsafe.Clean(s.Service)
			d.services = append(d.services, name)
			d.svcW = append(d.svcW, ansi.StringWidth(name))
			d.rawSvc = append(d.rawSvc, s.Service)
			d.hue = append(d.hue, present.Hue(s.Service))
		}
		d.svc[i] = k
		op, ok := opClean[s.Operation]
		if !ok {
			op.s = textsafe.Clean(s.Operation)
			op.w = int32(ansi.StringWidth(op.s))
			opClean[s.Operation] = op
		}
		d.ops[i], d.opW[i] = op.s, op.w
		d.spanIDs[i] = textsafe.Clean(string(tree.SpanIDs[i]))
		if s.Error {
			d.errCount++
		}
	}
	return d
}

// analysisData holds the results that arrive after the tree: critical path,
// statistics, error origins and clock skew, with lookup tables for drawing.
type analysisData struct {
	all      *analysis.Analysis
	self     []int64
	critical *analysis.CriticalPath
	// critLen is critical.Length(), the denominator of every critical
	// share, summed once here rather than in each View.
	critLen  int64
	stats    analysis.Stats
	origins  []analysis.ErrorOrigin
	skews    []analysis.Skew
	warnings []string // sanitized: trace warnings, then the analysis's

	// Sections of each span: own[ownStart[i]:ownStart[i+1]].
	ownStart []int32
	own      []analysis.Section
	// subLo/subHi bound the critical sections of span i's subtree (lo > hi
	// when there are none); a folded row draws that range as critical.
	subLo, subHi []int64
	// cpRank[i] is span i's index in critical.Spans, or -1.
	cpRank []int32
	// skewOf[i] is the index in skews of span i's entry, or -1.
	skewOf []int32
}

func buildAnalysis(td *treeData) *analysisData {
	tree := td.tree
	n := len(tree.Parent)
	all := analysis.AnalyzeRest(tree)
	a := &analysisData{
		all: all, self: all.Self, critical: all.Critical, critLen: all.Critical.Length(), stats: all.Stats, origins: all.Origins,
		skews: all.Skews,
	}
	for _, w := range tree.Trace.Warnings {
		a.warnings = append(a.warnings, textsafe.Clean(w))
	}
	for _, w := range all.Warnings {
		a.warnings = append(a.warnings, textsafe.Clean(w))
	}

	a.ownStart = make([]int32, n+1)
	a.cpRank = make([]int32, n)
	a.skewOf = make([]int32, n)
	a.subLo = make([]int64, n)
	a.subHi = make([]int64, n)
	for i := range a.cpRank {
		a.cpRank[i] = -1
		a.skewOf[i] = -1
	}
	if cp := a.critical; cp != nil {
		for _, s := range cp.Sections {
			if s.Span >= 0 && int(s.Span) < n {
				a.ownStart[s.Span+1]++
			}
		}
		for i := 1; i <= n; i++ {
			a.ownStart[i] += a.ownStart[i-1]
		}
		a.own = make([]analysis.Section, a.ownStart[n])
		next := make([]int32, n)
		copy(next, a.ownStart[:n])
		for _, s := range cp.Sections {
			if s.Span >= 0 && int(s.Span) < n {
				a.own[next[s.Span]] = s
				next[s.Span]++
			}
		}
		for r, sp := range cp.Spans {
			if sp >= 0 && int(sp) < n {
				a.cpRank[sp] = int32(r)
			}
		}
		for i := range n {
			lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
			for _, s := range a.own[a.ownStart[i]:a.ownStart[i+1]] {
				lo, hi = min(lo, s.Start), max(hi, s.End)
			}
			a.subLo[i], a.subHi[i] = lo, hi
		}
		// Children before parents: widen each parent by its subtree.
		for p := len(tree.Order) - 1; p >= 0; p-- {
			i := tree.Order[p]
			if par := tree.Parent[i]; par >= 0 {
				a.subLo[par] = min(a.subLo[par], a.subLo[i])
				a.subHi[par] = max(a.subHi[par], a.subHi[i])
			}
		}
	}
	for k, s := range a.skews {
		if s.Span >= 0 && int(s.Span) < n {
			a.skewOf[s.Span] = int32(k)
		}
	}
	return a
}

// buildAdjusted analyses the clock-skew adjusted copy of the trace; it runs
// in a command. The skew marks, the skew entries of the detail pane and the
// skew warnings stay those found in the raw trace: they say which spans the
// adjusted view moved and why, while the adjusted copy has (almost) no skew
// left to find.
func buildAdjusted(raw reading) *reading {
	t := analysis.AdjustedTrace(raw.td.tree, raw.an.skews)
	td := buildTreeData(t)
	an := buildAnalysis(td)
	an.skews, an.skewOf = raw.an.skews, raw.an.skewOf
	an.warnings = an.warnings[:0]
	for _, w := range t.Warnings {
		an.warnings = append(an.warnings, textsafe.Clean(w))
	}
	an.warnings = append(an.warnings, raw.an.warnings[min(len(raw.trace.Warnings), len(raw.an.warnings)):]...)
	return &reading{trace: t, td: td, an: an}
}
