package analysis

import (
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
)

func TestDetectSkew(t *testing.T) {
	hostA := &backend.Process{Service: "a", Tags: []backend.KeyValue{backend.String("host.ip", "10.0.0.1")}}
	hostA2 := &backend.Process{Service: "a2", Tags: []backend.KeyValue{backend.String("ip", "10.0.0.1")}}
	hostB := &backend.Process{Service: "b", Tags: []backend.KeyValue{backend.String("host.ip", "10.0.0.2")}}
	hostC := &backend.Process{Service: "c", Tags: []backend.KeyValue{backend.String("hostname", "c1")}}
	noTags := &backend.Process{Service: "b"}
	ms := int64(time.Millisecond)

	tests := []struct {
		name     string
		trace    *backend.Trace
		skews    map[string]int64 // span -> Delta
		warnings map[string]string
		adjusted map[string]int64 // span -> adjusted start
	}{
		{
			name:  "consistent across hosts",
			trace: trace(sp("p", "", 0, 100, proc(hostA)), sp("c", "p", 10, 50, proc(hostB))),
			skews: map[string]int64{},
		},
		{
			name:     "same host is never skewed",
			trace:    trace(sp("p", "", 100, 100, proc(hostA)), sp("c", "p", 0, 50, proc(hostA2))),
			skews:    map[string]int64{},
			adjusted: map[string]int64{"p": 100, "c": 0},
		},
		{
			name: "child before parent on another host: centred, inherited by same-host descendants",
			// latency = (100-50)/2 = 25; delta = 100+25-0 = 125.
			trace: trace(sp("p", "", 100, 100, proc(hostA)), sp("c", "p", 0, 50, proc(hostB)),
				sp("g", "c", 10, 10, proc(hostB)), sp("h", "c", 20, 10, proc(hostC))),
			skews:    map[string]int64{"c": 125, "h": 125},
			warnings: map[string]string{"c": "starts 100ns before its parent p", "h": "once the parent is shifted"},
			adjusted: map[string]int64{"p": 100, "c": 125, "g": 135, "h": 145},
		},
		{
			name:     "child longer than parent only stops starting early",
			trace:    trace(sp("p", "", 100, 10, proc(hostA)), sp("c", "p", 90, 50, proc(hostB))),
			skews:    map[string]int64{"c": 10},
			adjusted: map[string]int64{"c": 100},
		},
		{
			name:     "child ending after its parent is detected, centred",
			trace:    trace(sp("p", "", 0, 100, proc(hostA)), sp("c", "p", 80, 40, proc(hostB))),
			skews:    map[string]int64{"c": -50},
			warnings: map[string]string{"c": "ends 20ns after its parent p"},
			adjusted: map[string]int64{"c": 30},
		},
		{
			name:     "longer child ending after its parent: marked, not shifted",
			trace:    trace(sp("p", "", 0, 100, proc(hostA)), sp("c", "p", 50, 200, proc(hostB))),
			skews:    map[string]int64{"c": 0},
			warnings: map[string]string{"c": "no shift computed"},
		},
		{
			name:  "FOLLOWS_FROM child outliving its parent is not skew",
			trace: trace(sp("p", "", 0, 100, proc(hostA)), sp("c", "p", 90, 50, proc(hostB), followsFrom())),
			skews: map[string]int64{},
		},
		{
			name: "consumer starting before its producer is skew, moved only to the producer's start",
			trace: trace(sp("p", "", 100, 100, proc(hostA), kind(backend.KindProducer)),
				sp("c", "p", 50, 20, proc(hostB), kind(backend.KindConsumer))),
			skews: map[string]int64{"c": 50},
		},
		{
			name:     "cap: shift beyond MaxSkewAdjustment is not applied",
			trace:    trace(sp("p", "", 2*int64(time.Minute), 100*ms, proc(hostA)), sp("c", "p", 0, 50*ms, proc(hostB))),
			skews:    map[string]int64{"c": 0},
			warnings: map[string]string{"c": "exceeds the 1m0s cap; not applied"},
			adjusted: map[string]int64{"c": 0},
		},
		{
			name:  "process without host tags: different process is another host",
			trace: trace(sp("p", "", 100, 100, proc(hostA)), sp("c", "p", 0, 50, proc(noTags))),
			skews: map[string]int64{"c": 125},
		},
		{
			name:  "no process: service name decides",
			trace: trace(sp("p", "", 100, 100, svc("x")), sp("c", "p", 0, 50, svc("x")), sp("d", "p", 0, 50, svc("y"))),
			skews: map[string]int64{"d": 125},
		},
		{
			name:  "jaeger v2 net.host.ip span tag names the host",
			trace: trace(sp("p", "", 100, 100, svc("x"), tags(backend.String("net.host.ip", "1.1.1.1"))), sp("c", "p", 0, 50, svc("y"), tags(backend.String("net.host.ip", "1.1.1.1")))),
			skews: map[string]int64{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := BuildTree(tc.trace)
			skews := DetectSkew(tr)
			got := map[string]int64{}
			for _, sk := range skews {
				id := string(tr.SpanIDs[sk.Span])
				got[id] = sk.Delta
				if sk.Warning(tr) == "" {
					t.Errorf("skew on %s has no warning", id)
				}
				if w, ok := tc.warnings[id]; ok && !hasWarning([]string{sk.Warning(tr)}, w) {
					t.Errorf("warning for %s = %q, want it to contain %q", id, sk.Warning(tr), w)
				}
			}
			if len(got) != len(tc.skews) {
				t.Fatalf("skews = %v, want %v", got, tc.skews)
			}
			for id, d := range tc.skews {
				if g, ok := got[id]; !ok || g != d {
					t.Errorf("delta(%s) = %d (found %v), want %d", id, g, ok, d)
				}
			}
			starts := AdjustedStarts(tr, skews)
			for id, want := range tc.adjusted {
				if g := starts[idx(t, tr, id)]; g != want {
					t.Errorf("adjusted start(%s) = %d, want %d", id, g, want)
				}
			}
			// Raw is untouched.
			for i := range tc.trace.Spans {
				if tr.Trace.Spans[i].Start != tc.trace.Spans[i].Start {
					t.Fatalf("raw trace modified")
				}
			}
		})
	}
}

func TestSkewInheritedWarningAndAdjustedTrace(t *testing.T) {
	hostA := &backend.Process{Service: "a", Tags: []backend.KeyValue{backend.String("host.ip", "10.0.0.1")}}
	hostB := &backend.Process{Service: "b", Tags: []backend.KeyValue{backend.String("host.ip", "10.0.0.2")}}
	log := backend.Log{Time: 12, Fields: []backend.KeyValue{backend.String("event", "x")}}
	tr := BuildTree(trace(sp("p", "", 100, 100, proc(hostA)), sp("c", "p", 0, 50, proc(hostB), logs(log)),
		sp("g", "c", 10, 10, proc(hostB))))
	skews := DetectSkew(tr)
	if len(skews) != 1 || !hasWarning([]string{skews[0].Warning(tr)}, "with 1 same-host descendant") ||
		!hasWarning([]string{skews[0].Warning(tr)}, "shifts it by +125ns") {
		t.Fatalf("skews = %+v", skews)
	}
	adj := AdjustedTrace(tr, skews)
	c, g := &adj.Spans[1], &adj.Spans[2]
	if c.Start != 125 || c.Logs[0].Time != 137 || g.Start != 135 {
		t.Fatalf("adjusted: c start %d log %d, g start %d", c.Start, c.Logs[0].Time, g.Start)
	}
	if !hasWarning(c.Warnings, "shifted by +125ns") || !hasWarning(adj.Warnings, "2 span(s) shifted") {
		t.Fatalf("warnings: span %q trace %q", c.Warnings, adj.Warnings)
	}
	if tr.Trace.Spans[1].Start != 0 || tr.Trace.Spans[1].Logs[0].Time != 12 || len(tr.Trace.Spans[1].Warnings) != 0 {
		t.Fatalf("raw trace modified")
	}
	// The adjusted copy is consistent: no skew left.
	if again := DetectSkew(BuildTree(adj)); len(again) != 0 {
		t.Fatalf("adjusted trace still skewed: %+v", again)
	}
	a := Analyze(tr.Trace)
	if !hasWarning(a.Warnings, "clock skew") {
		t.Fatalf("analysis warnings = %q", a.Warnings)
	}
}

func TestDetectSkewDisabled(t *testing.T) {
	tr := BuildTree(trace(sp("p", "", 100, 100, svc("x")), sp("c", "p", 0, 50, svc("y"))))
	skews := DetectSkewLimit(tr, 0)
	if len(skews) != 1 || skews[0].Delta != 0 || !hasWarning([]string{skews[0].Warning(tr)}, "adjustment disabled") {
		t.Fatalf("skews = %+v", skews)
	}
}
