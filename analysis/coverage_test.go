package analysis

import (
	"strings"
	"testing"
)

func TestPathCoverage(t *testing.T) {
	const ms = int64(1_000_000)
	// One root that holds everything: complete.
	a := Analyze(trace(sp("r", "", 0, 100*ms), sp("c", "r", 10*ms, 50*ms)))
	if c := a.Coverage; c != (Coverage{Roots: 1, Length: 100 * ms, Covered: 100 * ms, Trace: 100 * ms}) || !c.Complete() {
		t.Errorf("one root: %+v", c)
	}

	// A consumer that outlasts its root (the 1m40s trace whose path was
	// "1 section · 1.43ms").
	a = Analyze(trace(sp("r", "", 0, 1430_000), sp("c", "r", 1*ms, 100_000*ms, followsFrom())))
	c := a.Coverage
	if c.Roots != 1 || c.Length != 1430_000 || c.Covered != 1430_000 || c.Trace != 100_001*ms || c.Outside != 100_001*ms-1430_000 || c.Complete() {
		t.Errorf("outlasting work: %+v", c)
	}
	if d := c.Describe(); d != "the critical path covers the root only: 1.43ms of the trace's 1m40s; 1m39s of work outlasts it and is not on the path" {
		t.Errorf("describe %q", d)
	}

	// Overlapping roots: the paths add up to more than the trace.
	a = Analyze(trace(sp("a", "", 0, 3000*ms), sp("b", "", 1000*ms, 2500*ms), sp("c", "", 3400*ms, 100*ms)))
	c = a.Coverage
	if c.Roots != 3 || c.Length != 5600*ms || c.Covered != 3500*ms || c.Trace != 3500*ms || c.Overlap != 2100*ms || c.Outside != 0 || c.Complete() {
		t.Errorf("overlapping roots: %+v", c)
	}
	if d := c.Describe(); !strings.Contains(d, "covers 3 roots: 3.5s of the trace's 3.5s") || !strings.Contains(d, "add up to 5.6s") {
		t.Errorf("describe %q", d)
	}

	// Roots with a gap between them.
	a = Analyze(trace(sp("a", "", 0, 10*ms), sp("b", "", 30*ms, 10*ms)))
	if c := a.Coverage; c.Covered != 20*ms || c.Outside != 20*ms || c.Overlap != 0 ||
		!strings.Contains(c.Describe(), "20ms lies outside every root") {
		t.Errorf("gap: %+v %q", c, c.Describe())
	}

	if c := Analyze(trace()).Coverage; c != (Coverage{}) || !c.Complete() {
		t.Errorf("empty: %+v", c)
	}
}
