package analysis

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/tracetui/tracetui/backend"
)

// Across analyses many traces together (issue 11): where the time goes in
// the selected traces against the baseline, by service, operation and
// calling context; which attributes set the selection apart; where errors
// start; which operations are bottlenecks.
//
// Add each trace as it arrives; Result(selection) can be asked for at any
// time, as often as wanted (its cost follows what the aggregate holds, not
// the traces' span count), and shares no memory that a later Add changes.
// Each trace is reduced to what every possible split needs (its duration,
// what it put on each calling context, the attributes it carries, its
// error origins and bottlenecks) and not kept: memory grows with the number
// of traces and of distinct contexts, operations and attribute values, not
// with spans. Not safe for concurrent use: one goroutine adds and asks.
type Across struct {
	ix      *contextIndex
	attrs   *attrTable
	opIdx   map[opKey]int32
	ops     []opKey
	svcIdx  map[string]int32
	svcs    []string
	nodeOp  []int32 // per context node: its operation
	nodeSvc []int32 // and its service
	// msgs[op] counts the messages of the operation's error origins.
	msgs       [][]msgCount
	traces     []traceRec
	seen       map[backend.TraceID]struct{}
	duplicates int
	// Scratch, per trace added.
	keep, opOrigin, opSlow slots
}

type opKey struct{ service, operation string }

type msgCount struct {
	msg   string
	count int
}

// Bounds on the messages remembered per error-origin operation: the most
// common one is what is shown, and a flood of unique messages must not grow
// memory.
const (
	maxMessages     = 20
	maxMessageBytes = 300
)

// TraceInfo describes one trace of an analysis across traces.
type TraceInfo struct {
	ID                         backend.TraceID
	RootService, RootOperation string
	// Start is the first span's start (ns since the epoch); Duration runs
	// from it to the last span's end (ns).
	Start, Duration int64
	Spans           int
	ErrorSpans      int
	// Critical is the critical path's length (CriticalPath.Length), ns.
	Critical int64
}

// traceRec is what the aggregate keeps of one trace.
type traceRec struct {
	info    TraceInfo
	contrib []contribution // first: an index into spanIDs
	// spanIDs are the IDs of the spans the rows may open, all in one
	// string of their own.
	spanIDs []backend.SpanID
	attrs   []attrHit
	origins []opHit
	slow    []opHit
}

// opHit is an operation's error origins or bottleneck spans in one trace:
// how many, their summed duration, and an example (an index into spanIDs).
type opHit struct {
	op, count, span int32
	sum             int64
}

// NewAcross returns an empty analysis.
func NewAcross() *Across {
	ix := newContextIndex()
	return &Across{
		ix: ix, attrs: newAttrTable(ix.names),
		opIdx: map[opKey]int32{}, svcIdx: map[string]int32{},
		seen: map[backend.TraceID]struct{}{},
	}
}

// Len is the number of traces added.
func (x *Across) Len() int { return len(x.traces) }

// Add analyses one trace and adds it. A trace whose ID was already added is
// ignored (false).
func (x *Across) Add(t *backend.Trace) bool {
	if _, dup := x.seen[t.ID]; dup {
		x.duplicates++
		return false
	}
	tree := BuildTree(t)
	self := SelfTimes(tree)
	return x.add(tree, self, ComputeCriticalPath(tree), FindErrorOrigins(tree))
}

// AddAnalysis adds a trace already analysed (Analyze), such as one a view
// has open.
func (x *Across) AddAnalysis(a *Analysis) bool {
	if _, dup := x.seen[a.Tree.Trace.ID]; dup {
		x.duplicates++
		return false
	}
	return x.add(a.Tree, a.Self, a.Critical, a.Origins)
}

// add records one analysed trace: its contributions to every calling
// context, the attribute values it carries, its error origins and its
// bottlenecks, each pointing at the spans kept for examples.
//
// Kept in one function: one pass over the trace fills every section, and the
// kept-span map is shared by all of them.
func (x *Across) add(tree *Tree, self []int64, crit *CriticalPath, origins []ErrorOrigin) bool {
	t := tree.Trace
	spans := t.Spans
	id := backend.TraceID(strings.Clone(string(t.ID)))
	x.seen[id] = struct{}{}
	rec := traceRec{info: TraceInfo{ID: id, Spans: len(spans), Critical: crit.Length()}}
	if len(spans) > 0 {
		rec.info.Start, rec.info.Duration = tree.Start, spanLength(tree.Start, tree.End)
	}
	if len(tree.Roots) > 0 {
		r := &spans[tree.Roots[0]]
		rec.info.RootService, rec.info.RootOperation = x.ix.names.get(r.Service), x.ix.names.get(r.Operation)
	}

	// The spans rows may open, each kept once.
	var kept []int32
	x.keep.begin(len(spans))
	keep := func(v int32) int32 {
		if k, ok := x.keep.lookup(v); ok {
			return k
		}
		x.keep.set(v, int32(len(kept)))
		kept = append(kept, v)
		return int32(len(kept) - 1)
	}

	rec.contrib = x.ix.merge(tree, self, crit)
	for k := range rec.contrib {
		rec.contrib[k].first = keep(rec.contrib[k].first)
	}
	for k := len(x.nodeOp); k < len(x.ix.nodes); k++ {
		nd := &x.ix.nodes[k]
		x.nodeOp = append(x.nodeOp, x.op(nd.service, nd.operation))
		x.nodeSvc = append(x.nodeSvc, x.svc(nd.service))
	}

	rec.attrs = x.attrs.collect(tree, keep)

	// Error origins: the first (earliest) of each operation is its example.
	x.opOrigin.begin(len(x.ops))
	for _, o := range origins {
		s := &spans[o.Span]
		op := x.op(s.Service, s.Operation)
		k, ok := x.opOrigin.lookup(op)
		if !ok {
			k = int32(len(rec.origins))
			x.opOrigin.set(op, k)
			rec.origins = append(rec.origins, opHit{op: op, span: keep(o.Span)})
		}
		rec.origins[k].count++
		x.countMessage(op, ErrorReason(s))
	}

	// Bottlenecks as the article counts them: spans longer than twice the
	// trace's average span; the longest of each operation is its example.
	var total int64
	for i := range spans {
		total = satAdd(total, spanEnd(&spans[i])-spans[i].Start)
		if spans[i].Error {
			rec.info.ErrorSpans++
		}
	}
	if len(spans) > 0 {
		avg := total / int64(len(spans))
		x.opSlow.begin(len(x.ops))
		for _, v := range tree.Order {
			s := &spans[v]
			d := spanEnd(s) - s.Start
			if d <= 2*avg || d <= 0 {
				continue
			}
			op := x.op(s.Service, s.Operation)
			k, ok := x.opSlow.lookup(op)
			if !ok {
				k = int32(len(rec.slow))
				x.opSlow.set(op, k)
				rec.slow = append(rec.slow, opHit{op: op, span: -1})
			}
			h := &rec.slow[k]
			if h.span < 0 || d > spanEnd(&spans[kept[h.span]])-spans[kept[h.span]].Start {
				h.span = keep(v)
			}
			h.count++
			h.sum = satAdd(h.sum, d)
		}
	}

	// One string for every kept span ID.
	n := 0
	for _, v := range kept {
		n += len(tree.SpanIDs[v])
	}
	var b strings.Builder
	b.Grow(n)
	for _, v := range kept {
		b.WriteString(string(tree.SpanIDs[v]))
	}
	all := b.String()
	rec.spanIDs = make([]backend.SpanID, len(kept))
	off := 0
	for k, v := range kept {
		l := len(tree.SpanIDs[v])
		rec.spanIDs[k] = backend.SpanID(all[off : off+l])
		off += l
	}
	x.traces = append(x.traces, rec)
	return true
}

func (x *Across) op(service, operation string) int32 {
	if id, ok := x.opIdx[opKey{service, operation}]; ok {
		return id
	}
	k := opKey{x.ix.names.get(service), x.ix.names.get(operation)}
	id := int32(len(x.ops))
	x.ops = append(x.ops, k)
	x.opIdx[k] = id
	x.msgs = append(x.msgs, nil)
	return id
}

func (x *Across) svc(service string) int32 {
	if id, ok := x.svcIdx[service]; ok {
		return id
	}
	s := x.ix.names.get(service)
	id := int32(len(x.svcs))
	x.svcs = append(x.svcs, s)
	x.svcIdx[s] = id
	return id
}

func (x *Across) countMessage(op int32, msg string) {
	if len(msg) > maxMessageBytes {
		msg = msg[:maxMessageBytes]
	}
	ms := x.msgs[op]
	for k := range ms {
		if ms[k].msg == msg {
			ms[k].count++
			return
		}
	}
	if len(ms) < maxMessages {
		x.msgs[op] = append(ms, msgCount{msg: strings.Clone(msg), count: 1})
	}
}

// slots maps small integers (span indexes, operation IDs) to a slot for the
// duration of one trace, without clearing between traces.
type slots struct {
	stamp []uint32
	slot  []int32
	gen   uint32
}

func (s *slots) begin(n int) {
	s.grow(n)
	s.gen++
	if s.gen == 0 { // wrapped: old stamps could look current
		clear(s.stamp)
		s.gen = 1
	}
}

func (s *slots) grow(n int) {
	if n > len(s.stamp) {
		s.stamp = append(s.stamp, make([]uint32, n-len(s.stamp))...)
		s.slot = append(s.slot, make([]int32, n-len(s.slot))...)
	}
}

func (s *slots) lookup(i int32) (int32, bool) {
	if int(i) < len(s.stamp) && s.stamp[i] == s.gen {
		return s.slot[i], true
	}
	return 0, false
}

func (s *slots) set(i, v int32) {
	s.grow(int(i) + 1)
	s.stamp[i], s.slot[i] = s.gen, v
}

// AcrossResult is an analysis across traces for one selection. SideA is the
// selection and SideB the baseline in every two-sided field.
type AcrossResult struct {
	Selection Selection
	// Traces is the number of traces analysed: len(Selected)+len(Baseline).
	Traces int
	// Selected and Baseline, slowest first (ties by trace ID).
	Selected, Baseline []TraceInfo
	// ErrorTraces counts each group's traces with an error span.
	ErrorTraces [2]int
	// Latency is the distribution of every trace's duration.
	Latency Latency
	// Services and Operations: critical-path time, largest increase of the
	// per-trace average (selection over baseline) first.
	Services   []CriticalRow
	Operations []CriticalRow
	// Tree is the calling-context tree, children by the critical-path time
	// of their subtree per trace (both groups' averages summed), most
	// first.
	Tree ContextTree
	// Attributes, largest |Score| first.
	Attributes []AttributeRow
	// ErrorOrigins, in most traces first.
	ErrorOrigins []OriginRow
	// Bottlenecks, most occurrences in the selection first.
	Bottlenecks []BottleneckRow
	Warnings    []string
}

// Group returns the traces of one side (SideA the selection).
func (r *AcrossResult) Group(side int) []TraceInfo {
	if side == SideA {
		return r.Selected
	}
	return r.Baseline
}

// CriticalRow is one service's or operation's exclusive critical-path time
// (Operation is "" in a service row).
type CriticalRow struct {
	Service, Operation string
	// Time is the sum over the group's traces, ns.
	Time [2]int64
	// Avg is Time per trace of the group (all its traces, whether they
	// have the operation or not), ns.
	Avg [2]int64
	// Traces is the number of the group's traces with a span of it (on
	// the critical path or not).
	Traces [2]int
	// Example: its span in the slowest selected trace that has one, else
	// in the slowest baseline trace.
	Example Example
}

// AttributeRow compares how often the selection's traces and the
// baseline's carry a key=value on any span (span tags and process or
// resource tags).
type AttributeRow struct {
	Key, Value string
	// HighCardinality: the key's values are not listed (see attrTable);
	// the row counts traces carrying the key with any value, and Value is "".
	HighCardinality bool
	// DistinctValues is the number of distinct values recorded for the key
	// (at most maxKeyValues; MoreValues says there were more).
	DistinctValues int
	MoreValues     bool
	// Traces of each group carrying it, and that as a share (0..1) of the
	// group's traces (0 when the group is empty).
	Traces [2]int
	Share  [2]float64
	// Score is Share[SideA] - Share[SideB]: positive when the selection
	// carries it more often.
	Score   float64
	Example Example
}

// OriginRow groups the error origins (error spans with no error below
// them) of one service and operation.
type OriginRow struct {
	Service, Operation string
	// Count is the number of origin spans and Traces the number of traces
	// with one, per group.
	Count  [2]int
	Traces [2]int
	// Message is the most common error message over all traces (status
	// message, error tag or error event); "" when none says anything.
	Message string
	Example Example
}

// BottleneckRow counts one operation's spans that took more than twice
// their trace's average span duration.
type BottleneckRow struct {
	Service, Operation string
	Occurrences        [2]int
	Traces             [2]int
	// AvgDuration is the occurrences' average duration, ns.
	AvgDuration [2]int64
	// Example: the longest such span of the slowest selected trace that
	// has one, else of the slowest baseline trace.
	Example Example
}

// Latency is the duration distribution with n buckets (for a histogram
// drawn n cells wide), counting the selection per bucket.
func (x *Across) Latency(sel Selection, buckets int) Latency {
	pick := sel.pick(x.traces)
	durs := make([]int64, len(x.traces))
	errs := make([]bool, len(x.traces))
	for i := range x.traces {
		durs[i], errs[i] = x.traces[i].info.Duration, x.traces[i].info.ErrorSpans > 0
	}
	return latency(durs, errs, pick, buckets)
}

// EmptySide says when one side of the split is empty, so that the
// differences compare with nothing: "no baseline: every trace is selected"
// or "nothing selected"; "" when both sides have traces (or there are none).
func (r *AcrossResult) EmptySide() string {
	switch {
	case r.Traces == 0:
		return ""
	case len(r.Baseline) == 0:
		return "no baseline: every trace is selected"
	case len(r.Selected) == 0:
		return "nothing selected"
	}
	return ""
}

// Result splits the traces added so far by sel and computes every section.
func (x *Across) Result(sel Selection) *AcrossResult {
	pick := sel.pick(x.traces)
	res := &AcrossResult{
		Selection: sel, Traces: len(x.traces),
		Selected: []TraceInfo{}, Baseline: []TraceInfo{},
		Warnings: []string{},
	}
	// Visit the selection slowest first, then the baseline: the first
	// trace to reach a row gives its example.
	var visit []int32
	order := slowestFirst(x.traces)
	for pass := 0; pass < 2; pass++ {
		for _, i := range order {
			if pick[i] == (pass == 0) {
				visit = append(visit, i)
			}
		}
	}
	sideOf := func(i int32) int {
		if pick[i] {
			return SideA
		}
		return SideB
	}
	var groupN [2]int
	for _, i := range visit {
		side := sideOf(i)
		groupN[side]++
		info := x.traces[i].info
		if side == SideA {
			res.Selected = append(res.Selected, info)
		} else {
			res.Baseline = append(res.Baseline, info)
		}
		if info.ErrorSpans > 0 {
			res.ErrorTraces[side]++
		}
	}
	res.Latency = x.Latency(sel, DefaultBuckets)

	acc := x.newSums()
	for vi, i := range visit {
		x.sumTrace(acc, i, sideOf(i), int32(vi+1))
	}
	for k, o := range x.ops {
		acc.opRows[k].Service, acc.opRows[k].Operation = o.service, o.operation
	}
	for k, s := range x.svcs {
		acc.svcRows[k].Service = s
	}
	res.Operations, res.Services = finishCritical(acc.opRows, groupN), finishCritical(acc.svcRows, groupN)
	sortContext(&acc.tree, groupN)
	res.Tree = acc.tree
	res.Attributes = x.attributeRows(acc.attrN, acc.attrEx, groupN)
	res.ErrorOrigins = x.originRows(acc.origins)
	res.Bottlenecks = x.bottleneckRows(acc.slow, acc.slowSum)

	if x.duplicates > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d duplicate traces ignored", x.duplicates))
	}
	if x.attrs.droppedKeys > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("attributes: only the first %d keys compared; %d tags of other keys ignored", maxAttrKeys, x.attrs.droppedKeys))
	}
	return res
}

// sums are Result's running totals over the visited traces, indexed like
// Across's operations, services, attribute values and keys (values first,
// then keys), and context nodes.
type sums struct {
	tree            ContextTree
	opRows, svcRows []CriticalRow
	opSeen, svcSeen []int32 // the stamp of the last trace counted in a row
	attrN           [][2]int
	attrEx          []Example
	origins         []OriginRow
	slow            []BottleneckRow
	slowSum         [][2]int64
	nVals           int
}

func (x *Across) newSums() *sums {
	nOps, nSvcs := len(x.ops), len(x.svcs)
	nVals, nKeys := len(x.attrs.vals), len(x.attrs.keys)
	return &sums{
		tree:   x.ix.tree(),
		opRows: make([]CriticalRow, nOps), svcRows: make([]CriticalRow, nSvcs),
		opSeen: make([]int32, nOps), svcSeen: make([]int32, nSvcs),
		attrN: make([][2]int, nVals+nKeys), attrEx: make([]Example, nVals+nKeys),
		origins: make([]OriginRow, nOps),
		slow:    make([]BottleneckRow, nOps), slowSum: make([][2]int64, nOps),
		nVals: nVals,
	}
}

// sumTrace adds trace i, on side, to the totals; stamp is unique per trace
// so that a row counts each trace once.
func (x *Across) sumTrace(acc *sums, i int32, side int, stamp int32) {
	rec := &x.traces[i]
	ex := func(span int32) Example { return Example{Trace: rec.info.ID, Span: rec.spanIDs[span]} }
	for k := range rec.contrib {
		c := &rec.contrib[k]
		nd := &acc.tree.Nodes[c.node]
		nd.Side[side].add(c)
		if nd.Example[side].Trace == "" {
			nd.Example[side] = ex(c.first)
		}
		op, sv := x.nodeOp[c.node], x.nodeSvc[c.node]
		for _, r := range [...]struct {
			row  *CriticalRow
			seen *int32
		}{{&acc.opRows[op], &acc.opSeen[op]}, {&acc.svcRows[sv], &acc.svcSeen[sv]}} {
			r.row.Time[side] = satAdd(r.row.Time[side], c.critical)
			if *r.seen != stamp {
				*r.seen = stamp
				r.row.Traces[side]++
				if r.row.Example.Trace == "" {
					r.row.Example = ex(c.first)
				}
			}
		}
	}
	for _, h := range rec.attrs {
		a := int(h.id)
		if h.id < 0 {
			a = acc.nVals + int(-h.id-1)
		}
		acc.attrN[a][side]++
		if acc.attrEx[a].Trace == "" {
			acc.attrEx[a] = ex(h.span)
		}
	}
	for _, h := range rec.origins {
		o := &acc.origins[h.op]
		o.Count[side] += int(h.count)
		o.Traces[side]++
		if o.Example.Trace == "" {
			o.Example = ex(h.span)
		}
	}
	for _, h := range rec.slow {
		b := &acc.slow[h.op]
		b.Occurrences[side] += int(h.count)
		b.Traces[side]++
		acc.slowSum[h.op][side] = satAdd(acc.slowSum[h.op][side], h.sum)
		if b.Example.Trace == "" {
			b.Example = ex(h.span)
		}
	}
}

// perTrace is v shared over the n traces of a group.
func perTrace(v int64, n int) int64 {
	if n == 0 {
		return 0
	}
	return v / int64(n)
}

// finishCritical drops the rows no trace reached, sets their averages per
// trace of each group and sorts them by how much more the selection
// spends.
func finishCritical(rows []CriticalRow, groupN [2]int) []CriticalRow {
	out := rows[:0]
	for _, r := range rows {
		if r.Traces[SideA]+r.Traces[SideB] == 0 {
			continue
		}
		for side := range 2 {
			r.Avg[side] = perTrace(r.Time[side], groupN[side])
		}
		out = append(out, r)
	}
	slices.SortStableFunc(out, func(a, b CriticalRow) int {
		if c := cmp.Compare(b.Avg[SideA]-b.Avg[SideB], a.Avg[SideA]-a.Avg[SideB]); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Time[SideA]+b.Time[SideB], a.Time[SideA]+a.Time[SideB]); c != 0 {
			return c
		}
		if c := strings.Compare(a.Service, b.Service); c != 0 {
			return c
		}
		return strings.Compare(a.Operation, b.Operation)
	})
	return slices.Clip(out)
}

// sortContext sums the tree's subtrees and orders children by their
// critical-path time per trace, the heaviest first.
func sortContext(tree *ContextTree, groupN [2]int) {
	tree.sumSubtrees()
	weight := func(n int32) int64 {
		st := &tree.Nodes[n].Side
		return perTrace(st[SideA].CriticalSubtree, groupN[SideA]) + perTrace(st[SideB].CriticalSubtree, groupN[SideB])
	}
	tree.sortChildren(func(a, b int32) int {
		if c := cmp.Compare(weight(b), weight(a)); c != 0 {
			return c
		}
		na, nb := &tree.Nodes[a].Side, &tree.Nodes[b].Side
		return cmp.Compare(nb[SideA].Spans+nb[SideB].Spans, na[SideA].Spans+na[SideB].Spans)
	})
}

// originRows names the error origins some trace reached, with their most
// common message, in the order of the traces they appear in.
func (x *Across) originRows(origins []OriginRow) []OriginRow {
	out := []OriginRow{}
	for k := range origins {
		o := origins[k]
		if o.Traces[SideA]+o.Traces[SideB] == 0 {
			continue
		}
		o.Service, o.Operation = x.ops[k].service, x.ops[k].operation
		best := -1
		for m, mc := range x.msgs[k] {
			if mc.msg != "" && (best < 0 || mc.count > x.msgs[k][best].count) {
				best = m
			}
		}
		if best >= 0 {
			o.Message = x.msgs[k][best].msg
		}
		out = append(out, o)
	}
	slices.SortStableFunc(out, func(a, b OriginRow) int {
		if c := cmp.Compare(b.Traces[SideA]+b.Traces[SideB], a.Traces[SideA]+a.Traces[SideB]); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Count[SideA]+b.Count[SideB], a.Count[SideA]+a.Count[SideB]); c != 0 {
			return c
		}
		return cmpNames(a.Service, a.Operation, b.Service, b.Operation)
	})
	return out
}

// bottleneckRows names the bottleneck operations some trace reached, with
// their average duration, the selection's most frequent first.
func (x *Across) bottleneckRows(slow []BottleneckRow, slowSum [][2]int64) []BottleneckRow {
	out := []BottleneckRow{}
	for k := range slow {
		b := slow[k]
		if b.Traces[SideA]+b.Traces[SideB] == 0 {
			continue
		}
		b.Service, b.Operation = x.ops[k].service, x.ops[k].operation
		for side := range 2 {
			if b.Occurrences[side] > 0 {
				b.AvgDuration[side] = slowSum[k][side] / int64(b.Occurrences[side])
			}
		}
		out = append(out, b)
	}
	slices.SortStableFunc(out, func(a, b BottleneckRow) int {
		if c := cmp.Compare(b.Occurrences[SideA], a.Occurrences[SideA]); c != 0 {
			return c
		}
		if c := cmp.Compare(b.AvgDuration[SideA], a.AvgDuration[SideA]); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Occurrences[SideB], a.Occurrences[SideB]); c != 0 {
			return c
		}
		return cmpNames(a.Service, a.Operation, b.Service, b.Operation)
	})
	return out
}

func cmpNames(s1, o1, s2, o2 string) int {
	if c := strings.Compare(s1, s2); c != 0 {
		return c
	}
	return strings.Compare(o1, o2)
}

// attributeRows turns per-group counts (values first, then key presences)
// into ranked rows: every value of a listed key, one row per summarised
// key.
func (x *Across) attributeRows(counts [][2]int, examples []Example, groupN [2]int) []AttributeRow {
	at := x.attrs
	nVals := len(at.vals)
	singletons := make([]int32, len(at.keys))
	for _, v := range at.vals {
		if v.traces == 1 {
			singletons[v.key]++
		}
	}
	summarised := make([]bool, len(at.keys))
	for k := range at.keys {
		summarised[k] = at.summarised(int32(k), singletons)
	}
	rows := []AttributeRow{}
	row := func(key *attrKey, value string, a int) AttributeRow {
		r := AttributeRow{Key: key.name, Value: value, Traces: counts[a], Example: examples[a]}
		for side := range 2 {
			if groupN[side] > 0 {
				r.Share[side] = float64(r.Traces[side]) / float64(groupN[side])
			}
		}
		r.Score = r.Share[SideA] - r.Share[SideB]
		return r
	}
	for k := range at.keys {
		key := &at.keys[k]
		a := nVals + k
		if !summarised[k] || counts[a] == [2]int{} {
			continue
		}
		r := row(key, "", a)
		r.HighCardinality, r.DistinctValues, r.MoreValues = true, int(key.values), key.overflow
		rows = append(rows, r)
	}
	for v := range at.vals {
		key := &at.keys[at.vals[v].key]
		if summarised[at.vals[v].key] || counts[v] == [2]int{} {
			continue
		}
		r := row(key, at.vals[v].value, v)
		r.DistinctValues = int(key.values)
		rows = append(rows, r)
	}
	slices.SortStableFunc(rows, func(a, b AttributeRow) int {
		if c := cmp.Compare(abs(b.Score), abs(a.Score)); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Share[SideA], a.Share[SideA]); c != 0 {
			return c
		}
		return cmpNames(a.Key, a.Value, b.Key, b.Value)
	})
	return rows
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}
