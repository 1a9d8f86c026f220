package report

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/demo"
	"github.com/tracetui/tracetui/internal/testkit/hostile"
)

// demoTraces are the demo catalogue's traces, built at a fixed time so
// that the golden files do not move.
func demoTraces(t *testing.T) []*backend.Trace {
	t.Helper()
	b := demo.New(time.Unix(1_800_000_000, 0))
	sums, err := b.Search(context.Background(), backend.Query{Limit: 100, Start: time.Unix(1_700_000_000, 0), End: time.Unix(1_900_000_000, 0)})
	if err != nil {
		t.Fatal(err)
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

func demoTrace(t *testing.T, id backend.TraceID) *backend.Trace {
	t.Helper()
	tr, err := demo.New(time.Unix(1_800_000_000, 0)).Trace(context.Background(), id, backend.TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func demoAcross(t *testing.T) *analysis.Across {
	x := analysis.NewAcross()
	for _, tr := range demoTraces(t) {
		x.Add(tr)
	}
	return x
}

// TestAnalyzeTextGolden pins the text layout at 80 and 120 columns, plain
// and coloured (go test ./internal/report -update rewrites the files).
func TestAnalyzeTextGolden(t *testing.T) {
	x := demoAcross(t)
	for _, c := range []struct {
		name  string
		sel   analysis.Selection
		width int
		color bool
	}{
		{"slowest-80", analysis.DefaultSelection(), 80, false},
		{"errors-120", analysis.Selection{Kind: analysis.SelectErrors}, 120, false},
		{"errors-120-color", analysis.Selection{Kind: analysis.SelectErrors}, 120, true},
		{"over-40", analysis.Selection{Kind: analysis.SelectOver, Min: int64(time.Second)}, 40, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			info := AnalyzeInfo{Failed: 1, Warnings: []string{"trace 0bad: not found"}}
			if err := AnalyzeText(&buf, x.Result(c.sel), info, TextOptions{Width: c.width, Color: c.color}); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			hostile.AssertWidth(t, out, c.width)
			if c.color {
				hostile.AssertSafeStyled(t, out)
			} else {
				hostile.AssertSafe(t, out)
			}
			golden.RequireEqual(t, buf.Bytes())
		})
	}
}

// TestAnalyzeJSON checks the schema's field names (the issue's, exactly)
// and that the numbers are the result's.
func TestAnalyzeJSON(t *testing.T) {
	x := demoAcross(t)
	r := x.Result(analysis.Selection{Kind: analysis.SelectErrors})
	var buf bytes.Buffer
	if err := AnalyzeJSON(&buf, r, AnalyzeInfo{}); err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(buf.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"traces", "select", "traceIDs", "latency", "criticalPath", "attributes", "errorOrigins", "bottlenecks", "tree", "services", "failed", "errorTraces", "warnings"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("no %q", k)
		}
	}
	fields := map[string][]string{
		"latency":      {"p50Micros", "p90Micros", "p99Micros", "maxMicros", "buckets"},
		"criticalPath": {"service", "operation", "selectedMicros", "baselineMicros", "selectedTraces", "baselineTraces"},
		"attributes":   {"key", "value", "selectedShare", "baselineShare", "score"},
		"errorOrigins": {"service", "operation", "count", "traces", "message", "exampleTraceID", "exampleSpanID"},
	}
	for section, keys := range fields {
		obj, _ := raw[section].(map[string]any)
		if list, ok := raw[section].([]any); ok && len(list) > 0 {
			obj, _ = list[0].(map[string]any)
		}
		for _, k := range keys {
			if _, ok := obj[k]; !ok {
				t.Errorf("%s lacks %q: %v", section, k, obj)
			}
		}
	}
	buckets, _ := raw["latency"].(map[string]any)["buckets"].([]any)
	for _, k := range []string{"fromMicros", "toMicros", "count", "errorCount"} {
		if _, ok := buckets[0].(map[string]any)[k]; !ok {
			t.Errorf("bucket lacks %q", k)
		}
	}

	var out AnalyzeResult
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if out.Traces != r.Traces || out.Select != "errors" || len(out.TraceIDs.Selected) != len(r.Selected) ||
		len(out.TraceIDs.Selected)+len(out.TraceIDs.Baseline) != out.Traces || len(out.Tree) != len(r.Tree.Nodes) {
		t.Fatalf("%+v", out)
	}
	// Per-trace critical-path times add up to the traces' paths, in µs
	// within the rounding of each row.
	var want, got int64
	for _, ti := range r.Selected {
		want += ti.Critical
	}
	for _, row := range out.CriticalPath {
		got += row.SelectedMicros
	}
	if d := want/1000 - got; d < 0 || d > int64(len(out.CriticalPath)) {
		t.Fatalf("selected critical rows %d µs, paths %d µs", got, want/1000)
	}
	// The tree is in pre-order: each parent comes before its children.
	for k, n := range out.Tree {
		if (n.Parent < 0) != (n.Depth == 0) || n.Parent >= k || (n.Parent >= 0 && out.Tree[n.Parent].Depth != n.Depth-1) {
			t.Fatalf("node %d: %+v", k, n)
		}
	}
	if len(out.ErrorOrigins) == 0 || out.ErrorOrigins[0].SelectedTraces != out.ErrorOrigins[0].Traces {
		t.Fatalf("origins %+v", out.ErrorOrigins)
	}
}

// TestAnalyzeHostile runs the text and JSON outputs over the hostile
// corpus: nothing panics, nothing unsafe reaches the output, every line
// fits.
func TestAnalyzeHostile(t *testing.T) {
	x := analysis.NewAcross()
	for _, c := range hostile.Small() {
		x.Add(c.Trace)
	}
	for _, sel := range []analysis.Selection{analysis.DefaultSelection(), {Kind: analysis.SelectErrors}} {
		r := x.Result(sel)
		for _, w := range []int{40, 80, 200} {
			var buf bytes.Buffer
			if err := AnalyzeText(&buf, r, AnalyzeInfo{Warnings: []string{"\x1b]0;pwned\x07"}}, TextOptions{Width: w}); err != nil {
				t.Fatal(err)
			}
			hostile.AssertSafe(t, buf.String())
			hostile.AssertWidth(t, buf.String(), w)
		}
		var buf bytes.Buffer
		if err := AnalyzeJSON(&buf, r, AnalyzeInfo{}); err != nil {
			t.Fatal(err)
		}
		hostile.AssertSafe(t, buf.String())
		if !json.Valid(buf.Bytes()) {
			t.Fatal("invalid JSON")
		}
	}
}

func TestAnalyzeNoTraces(t *testing.T) {
	r := analysis.NewAcross().Result(analysis.DefaultSelection())
	var buf bytes.Buffer
	if err := AnalyzeText(&buf, r, AnalyzeInfo{}, TextOptions{Width: 80}); err != nil || buf.String() != "No traces to analyse.\n" {
		t.Fatalf("%q %v", buf.String(), err)
	}
	buf.Reset()
	if err := AnalyzeJSON(&buf, r, AnalyzeInfo{}); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"selected": []`, `"buckets": []`, `"criticalPath": []`, `"attributes": []`, `"errorOrigins": []`} {
		if !strings.Contains(buf.String(), k) {
			t.Errorf("no %s in %s", k, buf.String())
		}
	}
}

func demoCompare(t *testing.T, a, b backend.TraceID) (*analysis.Analysis, *analysis.Analysis, *analysis.Comparison) {
	x, y := analysis.Analyze(demoTrace(t, a)), analysis.Analyze(demoTrace(t, b))
	return x, y, analysis.Compare(x, y)
}

// TestDiffTextGolden pins the comparison of the demo's plain checkout with
// its retried one.
func TestDiffTextGolden(t *testing.T) {
	_, _, c := demoCompare(t, demo.CheckoutTraceID, demo.RetryTraceID)
	for _, tc := range []struct {
		name  string
		width int
		color bool
	}{
		{"retry-80", 80, false}, {"retry-120", 120, false}, {"retry-120-color", 120, true}, {"retry-40", 40, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := DiffText(&buf, c, TextOptions{Width: tc.width, Color: tc.color}); err != nil {
				t.Fatal(err)
			}
			hostile.AssertWidth(t, buf.String(), tc.width)
			if tc.color {
				hostile.AssertSafeStyled(t, buf.String())
			} else {
				hostile.AssertSafe(t, buf.String())
			}
			golden.RequireEqual(t, buf.Bytes())
		})
	}
}

// TestDiffJSONAddsUpToShow: each side's counts, self and critical-path
// times in the diff add up to what `show --output json` reports for that
// trace (within the µs rounding of each row).
func TestDiffJSONAddsUpToShow(t *testing.T) {
	for _, pair := range [][2]backend.TraceID{
		{demo.CheckoutTraceID, demo.RetryTraceID}, {demo.ErrorTraceID, demo.CheckoutTraceID}, {demo.SlowTraceID, demo.SlowTraceID},
		{demo.CheckoutTraceID, demo.BigTraceID},
	} {
		t.Run(fmt.Sprint(pair), func(t *testing.T) {
			a, b, c := demoCompare(t, pair[0], pair[1])
			var buf bytes.Buffer
			if err := DiffJSON(&buf, c); err != nil {
				t.Fatal(err)
			}
			var d DiffResult
			if err := json.Unmarshal(buf.Bytes(), &d); err != nil {
				t.Fatal(err)
			}
			if d.A != string(pair[0]) || d.B != string(pair[1]) || len(d.Nodes) != len(c.Tree.Nodes) {
				t.Fatalf("%s %s %d nodes", d.A, d.B, len(d.Nodes))
			}
			for side, an := range []*analysis.Analysis{a, b} {
				show := BuildShow(an)
				var count int
				var self, crit, errs int64
				for _, n := range d.Nodes {
					if side == 0 {
						count, self, crit, errs = count+n.CountA, self+n.SelfMicrosA, crit+n.CriticalMicrosA, errs+int64(n.ErrorsA)
					} else {
						count, self, crit, errs = count+n.CountB, self+n.SelfMicrosB, crit+n.CriticalMicrosB, errs+int64(n.ErrorsB)
					}
				}
				var showSelf, showCrit int64
				for _, s := range show.Services {
					showSelf += s.SelfMicros
				}
				for _, s := range show.CriticalPath {
					showCrit += s.EndMicros - s.StartMicros
				}
				tol := int64(len(d.Nodes) + len(show.CriticalPath) + len(show.Services))
				if count != show.SpanCount || errs != int64(len(show.ErrorSpanIDs)) || absI(self-showSelf) > tol || absI(crit-showCrit) > tol {
					t.Fatalf("side %d: count %d self %d crit %d errors %d; show: %d %d %d %d", side, count, self, crit, errs,
						show.SpanCount, showSelf, showCrit, len(show.ErrorSpanIDs))
				}
			}
			if pair[0] == pair[1] {
				for _, n := range d.Nodes {
					if n.Change != "same" || n.CriticalDeltaMicros != 0 || n.CountA != n.CountB || n.SpanIDA != n.SpanIDB {
						t.Fatalf("self-comparison: %+v", n)
					}
				}
			}
			for k, n := range d.Nodes {
				if len(n.Path) != int(n.Depth)+1 || n.Path[len(n.Path)-1] != n.Service+" "+n.Operation ||
					(n.Parent >= 0 && strings.Join(d.Nodes[n.Parent].Path, "\x00") != strings.Join(n.Path[:len(n.Path)-1], "\x00")) {
					t.Fatalf("node %d path %q", k, n.Path)
				}
			}
		})
	}
}

func absI(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// TestDiffHostile compares hostile traces with themselves and with each
// other: safe, fitting output and valid JSON.
func TestDiffHostile(t *testing.T) {
	cases := hostile.Small()
	for k, c := range cases {
		other := cases[(k+1)%len(cases)].Trace
		for _, pair := range [][2]*backend.Trace{{c.Trace, c.Trace}, {c.Trace, other}} {
			cmp := analysis.Compare(analysis.Analyze(pair[0]), analysis.Analyze(pair[1]))
			for _, w := range []int{40, 100} {
				var buf bytes.Buffer
				if err := DiffText(&buf, cmp, TextOptions{Width: w}); err != nil {
					t.Fatal(err)
				}
				hostile.AssertSafe(t, buf.String())
				hostile.AssertWidth(t, buf.String(), w)
			}
			var buf bytes.Buffer
			if err := DiffJSON(&buf, cmp); err != nil || !json.Valid(buf.Bytes()) {
				t.Fatalf("%s: JSON %v", c.Name, err)
			}
			hostile.AssertSafe(t, buf.String())
		}
	}
}

// TestDiffDeepPathBounded: a 100,000-deep chain does not print 5·10⁹ path
// entries.
func TestDiffDeepPathBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 spans")
	}
	for _, c := range hostile.Traces() {
		if c.Name != "deep" {
			continue
		}
		a := analysis.Analyze(c.Trace)
		d := BuildDiff(analysis.Compare(a, a))
		last := d.Nodes[len(d.Nodes)-1]
		if len(last.Path) != maxPathEntries || last.Path[0] != "…" || last.Depth < 99_000 {
			t.Fatalf("deepest node: depth %d, path of %d", last.Depth, len(last.Path))
		}
		return
	}
	t.Fatal("no deep case")
}

// TestAnalyzeEmptyBaselineWarns: one trace is all selection; the text
// says its differences compare with nothing.
func TestAnalyzeEmptyBaselineWarns(t *testing.T) {
	x := analysis.NewAcross()
	x.Add(demoTraces(t)[0])
	var buf bytes.Buffer
	if err := AnalyzeText(&buf, x.Result(analysis.DefaultSelection()), AnalyzeInfo{}, TextOptions{Width: 100}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "warning: no baseline: every trace is selected") {
		t.Fatalf("no warning:\n%s", buf.String())
	}
}
