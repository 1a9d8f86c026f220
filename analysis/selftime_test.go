package analysis

import (
	"testing"

	"github.com/tracetui/tracetui/backend"
)

func TestSelfTimes(t *testing.T) {
	tests := []struct {
		name  string
		trace *backend.Trace
		want  map[string]int64
	}{
		{"leaf", trace(sp("a", "", 0, 100)), map[string]int64{"a": 100}},
		{"zero-length span and child", trace(sp("a", "", 0, 0), sp("b", "a", 0, 0)), map[string]int64{"a": 0, "b": 0}},
		{"zero-length child takes nothing", trace(sp("a", "", 0, 10), sp("b", "a", 5, 0)), map[string]int64{"a": 10}},
		{
			"back-to-back siblings",
			trace(sp("a", "", 0, 100), sp("b", "a", 10, 20), sp("c", "a", 30, 20)),
			map[string]int64{"a": 60, "b": 20, "c": 20},
		},
		{
			"overlapping siblings counted once",
			trace(sp("a", "", 0, 100), sp("b", "a", 10, 40), sp("c", "a", 20, 10), sp("d", "a", 30, 40)),
			map[string]int64{"a": 40},
		},
		{
			"child longer than parent on both sides",
			trace(sp("a", "", 10, 10), sp("b", "a", 0, 50)),
			map[string]int64{"a": 0, "b": 50},
		},
		{
			"child sticking out at the end is clipped",
			trace(sp("a", "", 0, 100), sp("b", "a", 80, 50)),
			map[string]int64{"a": 80},
		},
		{
			"child starting before the parent is clipped",
			trace(sp("a", "", 50, 100), sp("b", "a", 0, 70)),
			map[string]int64{"a": 80},
		},
		{
			"child after the parent ended takes nothing",
			trace(sp("a", "", 0, 100), sp("b", "a", 100, 50), sp("c", "a", 200, 10)),
			map[string]int64{"a": 100},
		},
		{
			"negative durations are zero",
			trace(sp("a", "", 0, -10), sp("b", "a", 0, -3)),
			map[string]int64{"a": 0, "b": 0},
		},
		{
			// Jaeger UI traceWithOverlappingChildrenLongerThanParent, in µs:
			// its Trace Statistics expect 0.03 ms self time for service-one.
			"jaeger-ui overlapping children longer than parent",
			trace(sp("p", "", 100, 40), sp("s", "p", 115, 10), sp("t1", "p", 200, 300), sp("t2", "p", 300, 100)),
			map[string]int64{"p": 30, "s": 10, "t1": 300, "t2": 100},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := BuildTree(tc.trace)
			self := SelfTimes(tr)
			if len(self) != len(tc.trace.Spans) {
				t.Fatalf("len = %d", len(self))
			}
			for id, w := range tc.want {
				if got := self[idx(t, tr, id)]; got != w {
					t.Errorf("self(%s) = %d, want %d", id, got, w)
				}
			}
		})
	}
}
