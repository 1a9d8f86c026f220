package analysis

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/demo"
	"github.com/tracetui/tracetui/internal/testkit/tracepairs"
)

// pathHash identifies a calling context by a hash of its chain of
// (service, operation) from the root: the reference the merge is checked
// against, computed per span from its parent's in the tree's pre-order, so
// that a 100,000-deep chain costs no more than a wide trace.
func pathHash(parent uint64, service, op string) uint64 {
	h := fnv.New64a()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], parent)
	h.Write(b[:])
	h.Write([]byte(service))
	h.Write([]byte{0})
	h.Write([]byte(op))
	return h.Sum64()
}

func spanPaths(tr *Tree) []uint64 {
	out := make([]uint64, len(tr.Trace.Spans))
	for _, v := range tr.Order {
		var parent uint64
		if p := tr.Parent[v]; p >= 0 {
			parent = out[p]
		}
		out[v] = pathHash(parent, tr.Trace.Spans[v].Service, tr.Trace.Spans[v].Operation)
	}
	return out
}

// nodePaths hashes the nodes' paths the same way; a node is created after
// its parent, so ascending IDs see parents first.
func nodePaths(ct *ContextTree) []uint64 {
	out := make([]uint64, len(ct.Nodes))
	for n := range ct.Nodes {
		var parent uint64
		if p := ct.Nodes[n].Parent; p >= 0 {
			parent = out[p]
		}
		out[n] = pathHash(parent, ct.Nodes[n].Service, ct.Nodes[n].Operation)
	}
	return out
}

// checkSide asserts that one side of a merged tree holds exactly the spans
// of analysis a: every span on the node of its own path, once, and the
// node statistics adding up to the trace's own numbers.
func checkSide(t *testing.T, ct *ContextTree, side int, a *Analysis) {
	t.Helper()
	tr := a.Tree
	spans := tr.Trace.Spans
	want := map[uint64]*ContextStats{}
	paths := spanPaths(tr)
	for i := range spans {
		k := paths[i]
		st := want[k]
		if st == nil {
			st = &ContextStats{Traces: 1}
			want[k] = st
		}
		st.Spans++
		if spans[i].Error {
			st.Errors++
		}
		st.Duration = satAdd(st.Duration, spanEnd(&spans[i])-spans[i].Start)
		st.Self = satAdd(st.Self, a.Self[i])
		st.Critical = satAdd(st.Critical, a.Critical.SpanTime[i])
	}
	seen := map[uint64]bool{}
	var sum ContextStats
	nodes := nodePaths(ct)
	for n := range ct.Nodes {
		nd := &ct.Nodes[n]
		k := nodes[n]
		if seen[k] {
			t.Fatalf("two nodes for path %q", ct.Path(int32(n)))
		}
		seen[k] = true
		got := nd.Side[side]
		sub := got.Critical
		for _, c := range nd.Children {
			sub = satAdd(sub, ct.Nodes[c].Side[side].CriticalSubtree)
		}
		if got.CriticalSubtree != sub {
			t.Fatalf("node %q side %d: subtree critical %d, itself and children %d", ct.Path(int32(n)), side, got.CriticalSubtree, sub)
		}
		got.CriticalSubtree = 0
		w := want[k]
		if w == nil {
			if got != (ContextStats{}) {
				t.Fatalf("node %q has %+v on side %d, which has no span there", ct.Path(int32(n)), got, side)
			}
			continue
		}
		if got != *w {
			t.Fatalf("node %q side %d = %+v, want %+v", ct.Path(int32(n)), side, got, *w)
		}
		delete(want, k)
		sum.Spans += got.Spans
		sum.Errors += got.Errors
		sum.Self = satAdd(sum.Self, got.Self)
		sum.Critical = satAdd(sum.Critical, got.Critical)
		sum.Duration = satAdd(sum.Duration, got.Duration)
		if nd.Parent >= 0 && nd.Depth != ct.Nodes[nd.Parent].Depth+1 || nd.Parent < 0 && nd.Depth != 0 {
			t.Fatalf("node %q depth %d", ct.Path(int32(n)), nd.Depth)
		}
	}
	if len(want) > 0 {
		t.Fatalf("paths without a node: %d", len(want))
	}
	var roots int64
	for _, r := range ct.Roots {
		roots = satAdd(roots, ct.Nodes[r].Side[side].CriticalSubtree)
	}
	if roots != a.Critical.Length() {
		t.Fatalf("side %d: roots' subtrees %d, critical path %d", side, roots, a.Critical.Length())
	}
	// What `show` reports for the trace.
	var selfAll, totalAll int64
	errs := 0
	for _, s := range a.Stats.Services {
		selfAll = satAdd(selfAll, s.Self)
		totalAll = satAdd(totalAll, s.Total)
		errs += s.Errors
	}
	if sum.Spans != len(spans) || sum.Self != selfAll || sum.Duration != totalAll || sum.Errors != errs || sum.Critical != a.Critical.Length() {
		t.Fatalf("side %d sums %+v; trace has %d spans, self %d, total %d, errors %d, critical path %d",
			side, sum, len(spans), selfAll, totalAll, errs, a.Critical.Length())
	}
	// Every node is reachable once from the roots.
	if got := len(ct.PreOrder()); got != len(ct.Nodes) {
		t.Fatalf("pre-order has %d of %d nodes", got, len(ct.Nodes))
	}
}

func TestCompareHandBuilt(t *testing.T) {
	a := Analyze(trace(
		sp("r", "", 0*us, 100*us, svc("fe"), opName("/dispatch")),
		sp("c", "r", 10*us, 50*us, svc("cust"), opName("/customer")),
		sp("x", "r", 60*us, 30*us, svc("redis"), opName("Get")),
	))
	b := Analyze(trace(
		sp("r", "", 0*us, 150*us, svc("fe"), opName("/dispatch")),
		sp("c", "r", 10*us, 50*us, svc("cust"), opName("/customer")),
		sp("m", "r", 60*us, 80*us, svc("mysql"), opName("SELECT"), errored()),
	))
	c := Compare(a, b)
	checkSide(t, &c.Tree, SideA, a)
	checkSide(t, &c.Tree, SideB, b)
	got := map[string]string{}
	for n := range c.Tree.Nodes {
		nd := &c.Tree.Nodes[n]
		got[strings.Join(c.Tree.Path(int32(n)), " > ")] = fmt.Sprintf("%s crit %d->%d dur %d->%d err %d->%d",
			c.Change(int32(n)), nd.Side[SideA].Critical, nd.Side[SideB].Critical,
			nd.Side[SideA].Duration, nd.Side[SideB].Duration, nd.Side[SideA].Errors, nd.Side[SideB].Errors)
	}
	want := map[string]string{
		"fe /dispatch":                  "slower crit 20000->20000 dur 100000->150000 err 0->0",
		"fe /dispatch > cust /customer": "same crit 50000->50000 dur 50000->50000 err 0->0",
		"fe /dispatch > redis Get":      "onlyA crit 30000->0 dur 30000->0 err 0->0",
		"fe /dispatch > mysql SELECT":   "onlyB crit 0->80000 dur 0->80000 err 0->1",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %s, want %s", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("nodes %v", got)
	}
	order := c.ByCriticalIncrease()
	first, last := &c.Tree.Nodes[order[0]], &c.Tree.Nodes[order[len(order)-1]]
	if first.Service != "mysql" || last.Service != "redis" {
		t.Fatalf("by critical increase: first %s, last %s", first.Service, last.Service)
	}
	// Children in order of first appearance: A's, then B's new ones.
	root := &c.Tree.Nodes[c.Tree.Roots[0]]
	var names []string
	for _, ch := range root.Children {
		names = append(names, c.Tree.Nodes[ch].Service)
	}
	if strings.Join(names, ",") != "cust,redis,mysql" {
		t.Fatalf("children %v", names)
	}
	if sl := c.Slower(); len(sl) != 1 || c.Tree.Nodes[sl[0]].Service != "fe" {
		t.Fatalf("slower %v", sl)
	}
	if c.Span(SideA, order[0]) != -1 || b.Tree.Trace.Spans[c.Span(SideB, order[0])].SpanID != "m" {
		t.Fatalf("first spans of mysql node: %d %d", c.Span(SideA, order[0]), c.Span(SideB, order[0]))
	}
	if c.Side[SideA].Duration != 100*us || c.Side[SideB].Duration != 150*us || c.Side[SideB].ErrorSpans != 1 || c.Side[SideA].RootOperation != "/dispatch" {
		t.Fatalf("sides %+v", c.Side)
	}
}

// TestCompareWithItself: a trace compared with itself shows no difference,
// on every real fixture, and each side adds up to the trace's numbers.
func TestCompareWithItself(t *testing.T) {
	paths := []string{
		"jaeger-ui/testTrace.json", "jaeger/ui_01.json", "jaeger/example_trace.json", "jaeger/otel_traces_01.json",
		"zipkin/skew.json", "zipkin/yelp.json", "zipkin/messaging-kafka.json", "zipkin/ascend.json",
		"captured/jaeger-v1.76.0/trace_skew_1e223ff1f80f1c69.json", "tempo/trace.json", "otel-proto/trace.json",
	}
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			for _, tr := range decodeFixture(t, p) {
				a := Analyze(tr)
				c := Compare(a, a)
				checkSide(t, &c.Tree, SideA, a)
				checkSide(t, &c.Tree, SideB, a)
				for n := range c.Tree.Nodes {
					nd := &c.Tree.Nodes[n]
					if ch := c.Change(int32(n)); ch != Same || nd.Side[SideA] != nd.Side[SideB] || c.CriticalDelta(int32(n)) != 0 {
						t.Fatalf("%v: %s %+v", c.Tree.Path(int32(n)), ch, nd.Side)
					}
				}
				if len(c.Slower()) != 0 || c.Side[SideA] != c.Side[SideB] {
					t.Fatalf("sides differ: %+v", c.Side)
				}
			}
		})
	}
}

// TestCompareProperties merges random (often broken) trace pairs: every
// span of each lands in exactly one node, and the sides add up.
func TestCompareProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for k := 0; k < 300; k++ {
		data := make([]byte, 6*(1+r.IntN(60)))
		for i := range data {
			data[i] = byte(r.UintN(256))
		}
		data2 := slices.Clone(data)
		for i := 0; i < len(data2)/4; i++ {
			data2[r.IntN(len(data2))] = byte(r.UintN(256))
		}
		a, b := Analyze(decodeCompact(data)), Analyze(decodeCompact(data2))
		c := Compare(a, b)
		checkSide(t, &c.Tree, SideA, a)
		checkSide(t, &c.Tree, SideB, b)
	}
	// Big generated traces with real structure.
	for _, n := range []int{1, 500, 5000} {
		a, b := Analyze(genRealistic(n, 1)), Analyze(genRealistic(n, 2))
		c := Compare(a, b)
		checkSide(t, &c.Tree, SideA, a)
		checkSide(t, &c.Tree, SideB, b)
	}
}

func demoTrace(t *testing.T, id backend.TraceID) *backend.Trace {
	t.Helper()
	tr, err := demo.New(time.Unix(1_800_000_000, 0)).Trace(context.Background(), id, backend.TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// TestCompareSlowDatabaseCall: the node of the slowed call carries the
// whole critical-path increase and comes first; its callers are slower.
func TestCompareSlowDatabaseCall(t *testing.T) {
	base := demoTrace(t, demo.CheckoutTraceID)
	i := tracepairs.FindSpan(t, base, "order-service", "INSERT orders")
	const extra = 300 * int64(time.Millisecond)
	a, b := Analyze(base), Analyze(tracepairs.SlowDown(base, i, extra))
	c := Compare(a, b)
	checkSide(t, &c.Tree, SideA, a)
	checkSide(t, &c.Tree, SideB, b)
	top := c.ByCriticalIncrease()[0]
	nd := &c.Tree.Nodes[top]
	if nd.Operation != "INSERT orders" || c.CriticalDelta(top) != extra || c.Change(top) != Slower {
		t.Fatalf("top increase %v %+d %s", c.Tree.Path(top), c.CriticalDelta(top), c.Change(top))
	}
	want := strings.Join([]string{"api-gateway POST /api/checkout", "api-gateway POST /orders", "order-service POST /orders", "order-service INSERT orders"}, " > ")
	if got := strings.Join(c.Tree.Path(top), " > "); got != want {
		t.Fatalf("path %s", got)
	}
	for n := range c.Tree.Nodes {
		if int32(n) != top && c.CriticalDelta(int32(n)) != 0 {
			t.Errorf("%v: critical delta %d", c.Tree.Path(int32(n)), c.CriticalDelta(int32(n)))
		}
	}
	var slower []string
	for _, n := range c.Slower() {
		slower = append(slower, c.Tree.Nodes[n].Operation)
	}
	if strings.Join(slower, ",") != "POST /api/checkout,POST /orders,POST /orders,INSERT orders" {
		t.Fatalf("slower nodes %v", slower)
	}
	if c.Side[SideB].Critical-c.Side[SideA].Critical != extra {
		t.Fatalf("critical path %d -> %d", c.Side[SideA].Critical, c.Side[SideB].Critical)
	}
}

// TestCompareRetry: the retried call has one more span and an error in B,
// its subtree twice the spans, and the critical path grew by the retry.
func TestCompareRetry(t *testing.T) {
	base := demoTrace(t, demo.CheckoutTraceID)
	i := tracepairs.FindSpan(t, base, "order-service", "inventory.Reserve")
	a, b := Analyze(base), Analyze(tracepairs.WithRetry(base, i))
	c := Compare(a, b)
	checkSide(t, &c.Tree, SideA, a)
	checkSide(t, &c.Tree, SideB, b)
	var reserve int32 = -1
	for n := range c.Tree.Nodes {
		nd := &c.Tree.Nodes[n]
		if ch := c.Change(int32(n)); ch == OnlyA || ch == OnlyB {
			t.Fatalf("%v is %s", c.Tree.Path(int32(n)), ch)
		}
		if nd.Service == "order-service" && nd.Operation == "inventory.Reserve" {
			reserve = int32(n)
		}
	}
	if reserve < 0 {
		t.Fatal("no reserve node")
	}
	r := &c.Tree.Nodes[reserve]
	if r.Side[SideA].Spans != 1 || r.Side[SideB].Spans != 2 || r.Side[SideA].Errors != 0 || r.Side[SideB].Errors != 1 || c.Change(reserve) != Slower {
		t.Fatalf("reserve node %+v %s", r.Side, c.Change(reserve))
	}
	// Below it, every node has twice the spans.
	var sum int64
	var walk func(n int32)
	walk = func(n int32) {
		nd := &c.Tree.Nodes[n]
		if nd.Side[SideB].Spans != 2*nd.Side[SideA].Spans {
			t.Errorf("%v: %d -> %d spans", c.Tree.Path(n), nd.Side[SideA].Spans, nd.Side[SideB].Spans)
		}
		sum += c.CriticalDelta(n)
		for _, ch := range nd.Children {
			walk(ch)
		}
	}
	walk(reserve)
	if d := base.Spans[i].Duration; sum != d || c.Side[SideB].Critical-c.Side[SideA].Critical != d {
		t.Fatalf("critical increase %d under the retried call, %d in all; the call took %d", sum, c.Side[SideB].Critical-c.Side[SideA].Critical, d)
	}
	top := c.ByCriticalIncrease()[0]
	if !slices.Contains(c.Tree.PreOrder(), top) || c.CriticalDelta(top) <= 0 {
		t.Fatalf("top %v", c.Tree.Path(top))
	}
}
