package analysis

import (
	"fmt"
	"strings"
	"testing"
	"unsafe"

	"github.com/tracetui/tracetui/backend"
)

// skewedFan is a root on one host with n children on another, each
// starting before it: n skewed spans, each with one same-host child.
func skewedFan(n int) *backend.Trace {
	hostA := &backend.Process{Service: "a", Tags: []backend.KeyValue{backend.String("host.ip", "10.0.0.1")}}
	hostB := &backend.Process{Service: "b", Tags: []backend.KeyValue{backend.String("host.ip", "10.0.0.2")}}
	spans := []backend.Span{sp("root", "", 1000, 1000, proc(hostA))}
	for i := range n {
		id := fmt.Sprintf("c%d", i)
		spans = append(spans, sp(id, "root", 900, 100, proc(hostB)), sp(id+"g", id, 910, 10, proc(hostB)))
	}
	return trace(spans...)
}

// Warnings at scale are counted and summarised, with the first few listed
// (issue 15: 321,160 skewed spans at 1M each had a formatted string).
func TestSkewWarningsAtScale(t *testing.T) {
	a := Analyze(skewedFan(12_345))
	if len(a.Skews) != 12_345 {
		t.Fatalf("%d skews, want 12,345", len(a.Skews))
	}
	var skewLines []string
	for _, w := range a.Warnings {
		if strings.HasPrefix(w, "clock skew") {
			skewLines = append(skewLines, w)
		}
	}
	if len(skewLines) != maxListedWarnings+1 {
		t.Fatalf("%d skew warnings, want a summary and %d: %q", len(skewLines), maxListedWarnings, skewLines)
	}
	want := "clock skew: 12,345 spans are inconsistent with their parent on another host; " +
		"the adjusted view shifts 12,345 of them and 12,345 same-host descendants; the first 10 follow"
	if skewLines[0] != want {
		t.Errorf("summary %q\nwant    %q", skewLines[0], want)
	}
	for k, w := range skewLines[1:] {
		if w != a.Skews[k].Warning(a.Tree) || !strings.Contains(w, "before its parent root") {
			t.Errorf("listed warning %d: %q", k, w)
		}
	}

	// A few skews are listed whole, with no summary.
	few := Analyze(skewedFan(3))
	if n := len(few.Warnings); n != 3 || !strings.Contains(few.Warnings[0], "span c0 (b op-c0)") {
		t.Errorf("3 skews: %q", few.Warnings)
	}
}

// Detecting skew formats nothing: its allocations do not grow with the
// number of skewed spans beyond the slice that holds them.
func TestDetectSkewFormatsNoText(t *testing.T) {
	allocs := func(n int) float64 {
		tree := BuildTree(skewedFan(n))
		return testing.AllocsPerRun(3, func() { DetectSkew(tree) })
	}
	small, big := allocs(100), allocs(10_000)
	// Appending to the result grows it about log2(n) times.
	if big > small+12 {
		t.Errorf("DetectSkew: %.0f allocations for 100 skewed spans, %.0f for 10,000", small, big)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 321160: "321,160", 1000000: "1,000,000", -4321: "-4,321"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

// The adjusted copy's per-span notes share one text per distinct shift.
func TestAdjustedTraceSharesShiftTexts(t *testing.T) {
	tree := BuildTree(skewedFan(500))
	adj := AdjustedTrace(tree, DetectSkew(tree))
	var first string
	for i := range adj.Spans {
		for _, w := range adj.Spans[i].Warnings {
			if first == "" {
				first = w
			}
			if w != first || unsafe.StringData(w) != unsafe.StringData(first) {
				t.Fatalf("span %d: %q is a text of its own (first %q)", i, w, first)
			}
		}
	}
	if first == "" {
		t.Fatal("no span shifted")
	}
}
