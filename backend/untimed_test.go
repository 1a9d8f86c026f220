package backend

import (
	"fmt"
	"strings"
	"testing"
)

const t0 = int64(1_700_000_000_000_000_000) // a wall-clock start, ns

func untimedTrace() *Trace {
	return &Trace{ID: "t", Spans: []Span{
		{SpanID: "c2", ParentID: "c1"}, // untimed under untimed: the root's start
		{SpanID: "root", Start: t0, Duration: 100},
		{SpanID: "c1", ParentID: "mid"}, // untimed: its parent's start
		{SpanID: "mid", ParentID: "root", Start: t0 + 40, Duration: 20},
		{SpanID: "orphan", ParentID: "gone"}, // parent missing: the trace's first start
		{SpanID: "loop1", ParentID: "loop2"}, // untimed cycle: the trace's first start
		{SpanID: "loop2", ParentID: "loop1"},
	}}
}

func TestPlaceUntimed(t *testing.T) {
	tr := untimedTrace()
	if n := PlaceUntimed(tr); n != 5 {
		t.Fatalf("placed %d, want 5", n)
	}
	want := map[SpanID]struct {
		start int64
		warn  string
	}{
		"c2": {t0 + 40, WarnUntimedParent}, "c1": {t0 + 40, WarnUntimedParent}, "orphan": {t0, WarnUntimedTrace},
		"loop1": {t0, WarnUntimedTrace}, "loop2": {t0, WarnUntimedTrace}, "root": {t0, ""}, "mid": {t0 + 40, ""},
	}
	for _, s := range tr.Spans {
		w := want[s.SpanID]
		var warns string
		if len(s.Warnings) > 0 {
			warns = s.Warnings[0]
		}
		if s.Start != w.start || warns != w.warn || len(s.Warnings) > 1 {
			t.Errorf("%s: start %d warnings %q, want %d %q", s.SpanID, s.Start-t0, s.Warnings, w.start-t0, w.warn)
		}
	}
	if len(tr.Warnings) != 5 || !strings.Contains(tr.Warnings[0], "span c2 has no start time") {
		t.Errorf("trace warnings %q", tr.Warnings)
	}
	// Once placed, nothing is left to place: no second set of warnings.
	if n := PlaceUntimed(tr); n != 0 || len(tr.Warnings) != 5 || len(tr.Spans[0].Warnings) != 1 {
		t.Errorf("second call placed %d, warnings %q", n, tr.Warnings)
	}
	sum := Summarize(tr)
	if sum.Start != t0 || sum.Duration != 100 {
		t.Errorf("summary after placing: start %d duration %d", sum.Start-t0, sum.Duration)
	}
}

// A trace in relative times (test data, Jaeger UI fixtures) starts at 0 for
// real: nothing is moved.
func TestPlaceUntimedRelativeTimes(t *testing.T) {
	tr := &Trace{Spans: []Span{{SpanID: "a", Start: 0, Duration: 10}, {SpanID: "b", ParentID: "a", Start: 5, Duration: 2}}}
	if n := PlaceUntimed(tr); n != 0 || tr.Spans[0].Start != 0 || len(tr.Warnings) != 0 {
		t.Errorf("placed %d: %+v", n, tr)
	}
	if n := PlaceUntimed(&Trace{}); n != 0 {
		t.Errorf("empty trace: %d", n)
	}
}

// Many untimed spans: the first few are named, the rest counted; a chain
// listed leaf first is still walked once per span.
func TestPlaceUntimedMany(t *testing.T) {
	const n = 50000
	tr := &Trace{Spans: make([]Span, n+1)}
	tr.Spans[n] = Span{SpanID: "root", Start: t0, Duration: 1}
	for i := range n {
		tr.Spans[i] = Span{SpanID: SpanID(fmt.Sprint(i)), ParentID: SpanID(fmt.Sprint(i + 1))}
	}
	tr.Spans[n-1].ParentID = "root"
	if got := PlaceUntimed(tr); got != n {
		t.Fatalf("placed %d", got)
	}
	if tr.Spans[0].Start != t0 || len(tr.Warnings) != maxUntimedListed+1 ||
		tr.Warnings[maxUntimedListed] != fmt.Sprintf("and %d more spans with no start time", n-maxUntimedListed) {
		t.Errorf("start %d, %d warnings, last %q", tr.Spans[0].Start, len(tr.Warnings), tr.Warnings[len(tr.Warnings)-1])
	}
}
