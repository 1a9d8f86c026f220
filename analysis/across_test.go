package analysis

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"
	"weak"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/demo"
	"github.com/tracetui/tracetui/internal/testkit/hostile"
)

// handTraces are four /dispatch requests, times in µs: two fast ones
// against the primary database, two slow ones against replica-2, one of
// which fails with a timeout and one of which also asks the cache.
func handTraces() []*backend.Trace {
	small := func(parent string, at int64, n int) []backend.Span {
		var out []backend.Span
		for k := 0; k < n; k++ {
			out = append(out, sp(fmt.Sprintf("%s-l%d", parent, k), parent, at+int64(k)*us, us, svc("fe"), opName("log")))
		}
		return out
	}
	mk := func(id string, spans ...backend.Span) *backend.Trace {
		for i := range spans {
			spans[i].TraceID = backend.TraceID(id)
			spans[i].SpanID = backend.SpanID(id + "-" + string(spans[i].SpanID))
			if spans[i].ParentID != "" {
				spans[i].ParentID = backend.SpanID(id + "-" + string(spans[i].ParentID))
				spans[i].References[0].SpanID = spans[i].ParentID
			}
		}
		return &backend.Trace{ID: backend.TraceID(id), Spans: spans}
	}
	db := func(id string, at, dur int64, instance, host string, opts ...spanOpt) backend.Span {
		opts = append([]spanOpt{proc(hostProc(host)), opName("SELECT"), tags(backend.String("db.instance", instance))}, opts...)
		return sp(id, "r", at, dur, opts...)
	}
	return []*backend.Trace{
		mk("t1", append([]backend.Span{sp("r", "", 0, 100*us, svc("fe"), opName("/dispatch")),
			db("d", 10*us, 30*us, "primary", "db-1")}, small("r", 50*us, 3)...)...),
		mk("t2", append([]backend.Span{sp("r", "", 0, 120*us, svc("fe"), opName("/dispatch")),
			db("d", 10*us, 40*us, "primary", "db-1")}, small("r", 60*us, 3)...)...),
		mk("t3", append([]backend.Span{sp("r", "", 0, 1000*us, svc("fe"), opName("/dispatch"), errored()),
			db("d", 10*us, 890*us, "replica-2", "db-2", errored(), func(s *backend.Span) { s.Status.Message = "timeout" })}, small("r", 950*us, 6)...)...),
		mk("t4", append([]backend.Span{sp("r", "", 0, 800*us, svc("fe"), opName("/dispatch")),
			sp("c", "r", 10*us, 10*us, svc("cache"), opName("Get")),
			db("d", 20*us, 760*us, "replica-2", "db-2")}, small("r", 785*us, 3)...)...),
	}
}

// hostProc returns a fresh process for a database host; equal hosts get
// equal tags in different *Process values, as in separate traces.
func hostProc(h string) *backend.Process {
	return &backend.Process{Service: "db", Tags: []backend.KeyValue{backend.String("hostname", h)}}
}

func rowByName(rows []CriticalRow, service, op string) *CriticalRow {
	for k := range rows {
		if rows[k].Service == service && rows[k].Operation == op {
			return &rows[k]
		}
	}
	return nil
}

func attrRow(rows []AttributeRow, key, value string) *AttributeRow {
	for k := range rows {
		if rows[k].Key == key && rows[k].Value == value {
			return &rows[k]
		}
	}
	return nil
}

func TestAcrossHandComputed(t *testing.T) {
	x := NewAcross()
	for _, tr := range handTraces() {
		if !x.Add(tr) {
			t.Fatal("not added")
		}
	}
	if x.Add(handTraces()[0]) || x.Len() != 4 {
		t.Fatalf("duplicate added: %d", x.Len())
	}
	r := x.Result(Selection{Kind: SelectSlowest, Percent: 50})
	checkResult(t, x, r)
	var sel, base []string
	for _, ti := range r.Selected {
		sel = append(sel, string(ti.ID))
	}
	for _, ti := range r.Baseline {
		base = append(base, string(ti.ID))
	}
	if strings.Join(sel, ",") != "t3,t4" || strings.Join(base, ",") != "t2,t1" || r.ErrorTraces != [2]int{1, 0} {
		t.Fatalf("selected %v baseline %v errors %v", sel, base, r.ErrorTraces)
	}
	if r.Selected[0].Duration != 1000*us || r.Selected[0].Spans != 8 || r.Selected[0].ErrorSpans != 2 || r.Selected[0].RootOperation != "/dispatch" {
		t.Fatalf("t3 info %+v", r.Selected[0])
	}

	// Critical path by operation. t1: db 30, /dispatch 70; t2: db 40, 80;
	// t3: db 890, /dispatch 104 + 6 log spans of 1; t4: cache 10, db 760,
	// /dispatch 27 + 3 logs. Children: SELECT, then log (4.5 + 3 µs per
	// trace on average), then Get (5).
	db := rowByName(r.Operations, "db", "SELECT")
	if db == nil || db.Time != [2]int64{1650 * us, 70 * us} || db.Avg != [2]int64{825 * us, 35 * us} || db.Traces != [2]int{2, 2} {
		t.Fatalf("db row %+v", db)
	}
	if db.Example != (Example{Trace: "t3", Span: "t3-d"}) {
		t.Fatalf("db example %+v", db.Example)
	}
	cache := rowByName(r.Operations, "cache", "Get")
	if cache == nil || cache.Time != [2]int64{10 * us, 0} || cache.Traces != [2]int{1, 0} || cache.Avg != [2]int64{5 * us, 0} {
		t.Fatalf("cache row %+v", cache)
	}
	if r.Operations[0].Operation != "SELECT" {
		t.Fatalf("largest increase first: %+v", r.Operations[0])
	}
	fe := rowByName(r.Services, "fe", "")
	if fe == nil || fe.Time[SideB] != 150*us || fe.Time[SideA] != (1000-890-6)*us+6*us+(800-10-760-3)*us+3*us {
		t.Fatalf("fe service row %+v", fe)
	}

	// The tree: /dispatch with SELECT, Get and log below.
	if len(r.Tree.Roots) != 1 {
		t.Fatalf("roots %v", r.Tree.Roots)
	}
	root := &r.Tree.Nodes[r.Tree.Roots[0]]
	var kids []string
	for _, c := range root.Children {
		kids = append(kids, r.Tree.Nodes[c].Operation)
	}
	if strings.Join(kids, ",") != "SELECT,log,Get" {
		t.Fatalf("children by critical time: %v", kids)
	}
	sel0 := r.Tree.Nodes[root.Children[0]].Side
	if sel0[SideA].Spans != 2 || sel0[SideA].Errors != 1 || sel0[SideA].Critical != 1650*us || sel0[SideB].Traces != 2 || sel0[SideA].Duration != 1650*us ||
		sel0[SideA].CriticalSubtree != 1650*us || root.Side[SideA].CriticalSubtree != 1800*us || root.Side[SideB].CriticalSubtree != 220*us {
		t.Fatalf("SELECT node %+v", sel0)
	}

	// Attributes: replica-2 in every selected trace and no baseline one.
	rep := attrRow(r.Attributes, "db.instance", "replica-2")
	pri := attrRow(r.Attributes, "db.instance", "primary")
	host := attrRow(r.Attributes, "hostname", "db-2")
	if rep == nil || rep.Share != [2]float64{1, 0} || rep.Score != 1 || rep.Traces != [2]int{2, 0} || rep.Example != (Example{"t3", "t3-d"}) {
		t.Fatalf("replica-2 %+v", rep)
	}
	if pri == nil || pri.Score != -1 || host == nil || host.Score != 1 {
		t.Fatalf("primary %+v, hostname %+v", pri, host)
	}
	if r.Attributes[0] != *attrRow(r.Attributes, "db.instance", "replica-2") && r.Attributes[0].Score != 1 {
		t.Fatalf("ranking %+v", r.Attributes[:3])
	}

	// Error origins: the timed-out SELECT in t3 (the root errored too, but
	// has an error below it).
	if len(r.ErrorOrigins) != 1 {
		t.Fatalf("origins %+v", r.ErrorOrigins)
	}
	o := r.ErrorOrigins[0]
	if o.Service != "db" || o.Operation != "SELECT" || o.Count != [2]int{1, 0} || o.Traces != [2]int{1, 0} || o.Message != "timeout" || o.Example != (Example{"t3", "t3-d"}) {
		t.Fatalf("origin %+v", o)
	}

	// Bottlenecks: spans above twice their trace's average. t1: 5 spans,
	// 100+30+3 = 133, avg 26.6: /dispatch (100) and SELECT (30)? 30 < 53.2,
	// so /dispatch only; likewise t2 (avg 32.6). t3: 8 spans, 1896, avg
	// 237: /dispatch, SELECT. t4: 6 spans, 1573, avg 262: /dispatch,
	// SELECT.
	var bn []string
	for _, b := range r.Bottlenecks {
		bn = append(bn, fmt.Sprintf("%s %v %v %v", b.Operation, b.Occurrences, b.Traces, b.AvgDuration))
	}
	want := []string{
		fmt.Sprintf("/dispatch [2 2] [2 2] [%d %d]", 900*us, 110*us),
		fmt.Sprintf("SELECT [2 0] [2 0] [%d 0]", 825*us),
	}
	if !slices.Equal(bn, want) {
		t.Fatalf("bottlenecks %q, want %q", bn, want)
	}
	if r.Bottlenecks[1].Example != (Example{"t3", "t3-d"}) {
		t.Fatalf("bottleneck example %+v", r.Bottlenecks[1].Example)
	}

	// Other selections of the same aggregate.
	if e := x.Result(Selection{Kind: SelectErrors}); len(e.Selected) != 1 || e.Selected[0].ID != "t3" || len(e.Baseline) != 3 {
		t.Fatalf("errors: %+v", e.Selected)
	}
	if o := x.Result(Selection{Kind: SelectOver, Min: 110 * us}); len(o.Selected) != 3 {
		t.Fatalf("over 110µs: %d", len(o.Selected))
	}
}

// checkResult asserts what every result must satisfy.
func checkResult(t *testing.T, x *Across, r *AcrossResult) {
	t.Helper()
	n := [2]int{len(r.Selected), len(r.Baseline)}
	if n[0]+n[1] != r.Traces || r.Traces != x.Len() {
		t.Fatalf("groups %v of %d traces (%d added)", n, r.Traces, x.Len())
	}
	var critical [2]int64
	var spans [2]int
	ids := map[backend.TraceID]int{}
	for side := range 2 {
		for k, ti := range r.Group(side) {
			critical[side] += ti.Critical
			spans[side] += ti.Spans
			ids[ti.ID]++
			if k > 0 && r.Group(side)[k-1].Duration < ti.Duration {
				t.Fatalf("group %d not slowest first", side)
			}
		}
	}
	for id, c := range ids {
		if c != 1 {
			t.Fatalf("trace %s in %d groups", id, c)
		}
	}
	// Critical-path time adds up, by operation, service and node, to the
	// traces' critical-path lengths; spans to their span counts.
	for _, rows := range [][]CriticalRow{r.Operations, r.Services} {
		var sum [2]int64
		for _, row := range rows {
			for side := range 2 {
				sum[side] += row.Time[side]
				if row.Traces[side] > n[side] || row.Traces[side] < 0 {
					t.Fatalf("row %+v traces beyond the group's %v", row, n)
				}
			}
		}
		if sum != critical {
			t.Fatalf("critical rows sum %v, traces' paths %v", sum, critical)
		}
	}
	var nodeCrit [2]int64
	var nodeSpans [2]int
	for _, v := range r.Tree.PreOrder() {
		nd := &r.Tree.Nodes[v]
		for side := range 2 {
			nodeCrit[side] += nd.Side[side].Critical
			nodeSpans[side] += nd.Side[side].Spans
			if nd.Side[side].Traces > n[side] {
				t.Fatalf("node in %d traces of %d", nd.Side[side].Traces, n[side])
			}
		}
	}
	var rootCrit [2]int64
	for _, v := range r.Tree.Roots {
		for side := range 2 {
			rootCrit[side] += r.Tree.Nodes[v].Side[side].CriticalSubtree
		}
	}
	if rootCrit != critical {
		t.Fatalf("roots' subtrees %v, traces' paths %v", rootCrit, critical)
	}
	if nodeCrit != critical || nodeSpans != spans || len(r.Tree.PreOrder()) != len(r.Tree.Nodes) {
		t.Fatalf("tree: critical %v spans %v, traces %v %v", nodeCrit, nodeSpans, critical, spans)
	}
	for _, a := range r.Attributes {
		for side := range 2 {
			if a.Share[side] < 0 || a.Share[side] > 1 || a.Traces[side] > n[side] {
				t.Fatalf("attribute %+v", a)
			}
		}
		if a.Score != a.Share[0]-a.Share[1] || a.Example.Trace == "" {
			t.Fatalf("attribute %+v", a)
		}
	}
	for k := 1; k < len(r.Attributes); k++ {
		if abs(r.Attributes[k].Score) > abs(r.Attributes[k-1].Score) {
			t.Fatalf("attributes not ranked at %d", k)
		}
	}
	lat := 0
	sel := 0
	for _, b := range r.Latency.Buckets {
		lat += b.Count
		sel += b.Selected
	}
	if lat != r.Traces || sel != n[0] {
		t.Fatalf("histogram holds %d traces, %d selected", lat, sel)
	}
	for _, o := range r.ErrorOrigins {
		if o.Count[0] < o.Traces[0] || o.Count[1] < o.Traces[1] || o.Example.Trace == "" {
			t.Fatalf("origin %+v", o)
		}
	}
}

// perTraceCritical sums a trace's critical-path sections by operation, the
// way a script would from `show --output json`'s criticalPath rows.
func perTraceCritical(a *Analysis) map[opKey]int64 {
	out := map[opKey]int64{}
	for _, s := range a.Critical.Sections {
		sp := &a.Tree.Trace.Spans[s.Span]
		out[opKey{sp.Service, sp.Operation}] += s.End - s.Start
	}
	return out
}

func demoCatalogue(t testing.TB) []*backend.Trace {
	b := demo.New(time.Unix(1_800_000_000, 0))
	sums, err := b.Search(context.Background(), backend.Query{Limit: 1000, Start: time.Unix(1_700_000_000, 0), End: time.Unix(1_900_000_000, 0)})
	if err != nil || len(sums) < 30 {
		t.Fatalf("demo search: %d, %v", len(sums), err)
	}
	var out []*backend.Trace
	for _, s := range sums {
		tr, err := b.Trace(context.Background(), s.TraceID, backend.TraceOptions{})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, tr)
	}
	return out
}

// TestAcrossAgreesWithShow: on the demo's traces, every operation's
// critical-path time per group is the sum of its traces' critical-path
// sections (what `show` prints), for every kind of selection.
func TestAcrossAgreesWithShow(t *testing.T) {
	traces := demoCatalogue(t)
	x := NewAcross()
	per := map[backend.TraceID]map[opKey]int64{}
	for _, tr := range traces {
		x.Add(tr)
		per[tr.ID] = perTraceCritical(Analyze(tr))
	}
	for _, sel := range []Selection{DefaultSelection(), {Kind: SelectErrors}, {Kind: SelectOver, Min: int64(100 * time.Millisecond)}, {Kind: SelectSlowest, Percent: 100}} {
		r := x.Result(sel)
		checkResult(t, x, r)
		for _, row := range r.Operations {
			for side := range 2 {
				var want int64
				traces := 0
				for _, ti := range r.Group(side) {
					if v, ok := per[ti.ID][opKey{row.Service, row.Operation}]; ok {
						want += v
						traces++
					}
				}
				if row.Time[side] != want {
					t.Fatalf("%s: %s %s side %d: %d, show's sections sum to %d", sel, row.Service, row.Operation, side, row.Time[side], want)
				}
				if row.Traces[side] < traces {
					t.Fatalf("%s: %s %s in %d traces, on the path in %d", sel, row.Service, row.Operation, row.Traces[side], traces)
				}
			}
		}
	}
	// The demo's declined payments (three checkouts and the batch import)
	// are error origins.
	r := x.Result(Selection{Kind: SelectErrors})
	found := map[string]OriginRow{}
	for _, o := range r.ErrorOrigins {
		found[o.Service+" "+o.Operation] = o
		if o.Traces[SideB] != 0 {
			t.Fatalf("an error origin in a trace without errors: %+v", o)
		}
	}
	if o, ok := found["payment-service POST /v1/charges"]; !ok || o.Traces[SideA] < 3 || !strings.Contains(o.Message, "declined") {
		t.Fatalf("declined payments: %+v (all: %v)", o, found)
	}
}

// TestAcrossOrderIndependent: the same traces added in another order give
// the same result (the tree's node numbering aside).
func TestAcrossOrderIndependent(t *testing.T) {
	traces := demoCatalogue(t)
	a, b := NewAcross(), NewAcross()
	for _, tr := range traces {
		a.Add(tr)
	}
	r := rand.New(rand.NewPCG(1, 2))
	r.Shuffle(len(traces), func(i, j int) { traces[i], traces[j] = traces[j], traces[i] })
	for _, tr := range traces {
		b.Add(tr)
	}
	for _, sel := range []Selection{DefaultSelection(), {Kind: SelectErrors}} {
		ra, rb := a.Result(sel), b.Result(sel)
		ta, tb := ra.Tree, rb.Tree
		ra.Tree, rb.Tree = ContextTree{}, ContextTree{}
		if fmt.Sprint(ra) != fmt.Sprint(rb) {
			t.Fatalf("%s: results differ:\n%v\n%v", sel, ra, rb)
		}
		if treeString(&ta) != treeString(&tb) {
			t.Fatalf("%s: trees differ", sel)
		}
	}
}

func treeString(ct *ContextTree) string {
	var b strings.Builder
	for _, v := range ct.PreOrder() {
		nd := &ct.Nodes[v]
		fmt.Fprintf(&b, "%s|%s|%d|%+v|%+v\n", nd.Service, nd.Operation, nd.Depth, nd.Side, nd.Example)
	}
	return b.String()
}

// TestAcrossIncremental: a result asked for after each trace covers exactly
// the traces so far, and later adds do not change an earlier result.
func TestAcrossIncremental(t *testing.T) {
	traces := demoCatalogue(t)[:12]
	x := NewAcross()
	var first *AcrossResult
	var firstStr string
	for k, tr := range traces {
		x.Add(tr)
		r := x.Result(DefaultSelection())
		checkResult(t, x, r)
		if r.Traces != k+1 {
			t.Fatalf("after %d adds: %d traces", k+1, r.Traces)
		}
		if first == nil {
			first, firstStr = r, fmt.Sprint(*r)
		}
	}
	if fmt.Sprint(*first) != firstStr {
		t.Fatal("a later Add changed an earlier result")
	}
}

// TestAcrossRandomTraces: broken and random traces keep every property.
func TestAcrossRandomTraces(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	x := NewAcross()
	for k := 0; k < 200; k++ {
		data := make([]byte, 6*(r.IntN(40)))
		for i := range data {
			data[i] = byte(r.UintN(256))
		}
		tr := decodeCompact(data)
		tr.ID = backend.TraceID(fmt.Sprintf("%032x", k))
		x.Add(tr)
	}
	for _, sel := range []Selection{DefaultSelection(), {Kind: SelectErrors}, {Kind: SelectRange, Min: 10, Max: 40}, {Kind: SelectSlowest, Percent: 100}} {
		checkResult(t, x, x.Result(sel))
	}
}

// footprint counts what the aggregate keeps per trace.
func (x *Across) footprint() int {
	n := len(x.ix.nodes) + len(x.attrs.vals) + len(x.ops)
	for _, rec := range x.traces {
		n += len(rec.contrib) + len(rec.attrs) + len(rec.origins) + len(rec.slow) + len(rec.spanIDs)
	}
	return n
}

// TestAcrossMemoryFollowsStructure: ten times the spans of the same
// structure do not make the aggregate grow ten times.
func TestAcrossMemoryFollowsStructure(t *testing.T) {
	size := func(spans int) int {
		x := NewAcross()
		for seed := int64(1); seed <= 10; seed++ {
			x.Add(demo.Generate(spans, seed, time.Unix(1_800_000_000, 0)))
		}
		return x.footprint()
	}
	small, big := size(1000), size(10_000)
	if big > 2*small {
		t.Fatalf("aggregate of 10 traces: %d entries at 1,000 spans, %d at 10,000", small, big)
	}
}

// TestHighCardinality: keys whose values are mostly unique per trace, or
// too many, are summarised; repeated values stay listed.
func TestHighCardinality(t *testing.T) {
	x := NewAcross()
	for k := 0; k < 40; k++ {
		tr := trace(sp("r", "", 0, int64(k+1)*us, tags(
			backend.String("request.id", fmt.Sprintf("req-%d", k)), // unique per trace
			backend.String("customer", fmt.Sprintf("c%d", k%4)),    // 4 values, repeated
			backend.Int64("row", int64(k/2)),                       // each value in 2 traces, 20 values
			backend.String("sql", strings.Repeat("x", 300)),        // too long to list
		)))
		for i := 0; i < 100; i++ { // more values than recorded
			tr.Spans = append(tr.Spans, sp(fmt.Sprintf("c%d", i), "r", 0, 1, tags(backend.Int64("ts", int64(k*1000+i)))))
		}
		tr.ID = backend.TraceID(fmt.Sprintf("%032x", k))
		x.Add(tr)
	}
	r := x.Result(DefaultSelection())
	checkResult(t, x, r)
	byKey := map[string][]AttributeRow{}
	for _, a := range r.Attributes {
		byKey[a.Key] = append(byKey[a.Key], a)
	}
	check := func(key string, rows int, high bool) {
		t.Helper()
		if len(byKey[key]) != rows || byKey[key][0].HighCardinality != high {
			t.Fatalf("%s: %+v", key, byKey[key])
		}
	}
	check("request.id", 1, true)
	check("customer", 4, false)
	check("row", 20, false)
	check("sql", 1, true)
	check("ts", 1, true)
	if ts := byKey["ts"][0]; !ts.MoreValues || ts.DistinctValues != maxKeyValues || ts.Share != [2]float64{1, 1} || ts.Score != 0 {
		t.Fatalf("ts %+v", ts)
	}
	// The slowest 10% are the last four traces: customers c0..c3, one each.
	if c := attrRow(r.Attributes, "customer", "c3"); c.Share[SideA] != 0.25 || c.Traces != [2]int{1, 9} {
		t.Fatalf("customer c3 %+v", c)
	}
}

// TestAcrossKeepsNoTraceMemory: every string the aggregate keeps is its own
// copy. Decoders may cut names and IDs out of one buffer holding the whole
// response; keeping any of them would keep the response alive.
func TestAcrossKeepsNoTraceMemory(t *testing.T) {
	x := NewAcross()
	weakBuf := addFromOneBuffer(x)
	r := x.Result(DefaultSelection())
	for k := 0; k < 5 && weakBuf.Value() != nil; k++ {
		runtime.GC()
	}
	if weakBuf.Value() != nil {
		t.Fatal("the aggregate keeps the trace's buffer alive")
	}
	if len(r.Attributes) == 0 || len(r.ErrorOrigins) != 1 || r.ErrorOrigins[0].Message != "boom" || r.Selected[0].RootService != "svc" {
		t.Fatalf("result %+v", r)
	}
	runtime.KeepAlive(x)
}

// addFromOneBuffer adds a trace whose every string is cut out of one
// buffer, and returns a weak pointer to that buffer.
func addFromOneBuffer(x *Across) weak.Pointer[byte] {
	buf := make([]byte, 1<<20)
	s := unsafe.String(&buf[0], len(buf))
	off := 0
	cut := func(v string) string {
		copy(buf[off:], v)
		out := s[off : off+len(v)]
		off += len(v)
		return out
	}
	p := &backend.Process{Service: cut("svc"), Tags: []backend.KeyValue{backend.String(cut("host"), cut("h1"))}}
	tr := &backend.Trace{ID: backend.TraceID(cut("0123456789abcdef0123456789abcdef"))}
	for i := 0; i < 20; i++ {
		s := backend.Span{
			TraceID: tr.ID, SpanID: backend.SpanID(cut(fmt.Sprintf("%016x", i+1))), Service: p.Service, Process: p,
			Operation: cut(fmt.Sprintf("op%d", i%3)), Start: int64(i), Duration: int64(100 - i),
			Tags: []backend.KeyValue{backend.String(cut("k"), cut(fmt.Sprintf("v%d", i%2)))},
		}
		if i > 0 {
			s.ParentID = backend.SpanID(cut(fmt.Sprintf("%016x", i)))
		}
		if i == 19 {
			s.Error, s.Status.Message = true, cut("boom")
		}
		tr.Spans = append(tr.Spans, s)
	}
	x.Add(tr)
	return weak.Make(&buf[0])
}

// TestAcrossHostile: the hostile corpus (the 100,000-span wide, deep and
// cyclic cases too, unless -short) goes through the aggregate and the
// comparison with every property intact.
func TestAcrossHostile(t *testing.T) {
	cases := hostile.Small()
	if !testing.Short() {
		cases = hostile.Traces()
	}
	x := NewAcross()
	for k, c := range cases {
		x.Add(c.Trace)
		a := Analyze(c.Trace)
		cmp := Compare(a, Analyze(cases[(k+1)%len(cases)].Trace))
		checkSide(t, &cmp.Tree, SideA, a)
	}
	for _, sel := range []Selection{DefaultSelection(), {Kind: SelectErrors}, {Kind: SelectSlowest, Percent: 100}} {
		checkResult(t, x, x.Result(sel))
	}
}

// TestEmptySide: a split with no baseline (or no selection) says so, so
// that its differences are not read as differences.
func TestEmptySide(t *testing.T) {
	x := NewAcross()
	for _, tr := range handTraces() {
		x.Add(tr)
	}
	all := x.Result(Selection{Kind: SelectSlowest, Percent: 100})
	if len(all.Baseline) != 0 || all.EmptySide() != "no baseline: every trace is selected" {
		t.Fatalf("slowest 100%%: baseline %d, %q", len(all.Baseline), all.EmptySide())
	}
	some := x.Result(Selection{Kind: SelectSlowest, Percent: 50})
	if some.EmptySide() != "" {
		t.Fatalf("slowest 50%%: %q", some.EmptySide())
	}
	if none := x.Result(Selection{Kind: SelectOver, Min: int64(time.Hour)}); none.EmptySide() != "nothing selected" {
		t.Fatalf("over 1h: %q", none.EmptySide())
	}
	if e := NewAcross().Result(Selection{Kind: SelectSlowest, Percent: 10}).EmptySide(); e != "" {
		t.Fatalf("no traces: %q", e)
	}
}
