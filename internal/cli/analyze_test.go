package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/demo"
	"github.com/tracetui/tracetui/internal/report"
	"github.com/tracetui/tracetui/internal/testkit/fakebackend"
	"github.com/tracetui/tracetui/internal/testkit/hostile"
)

func decodeAnalyze(t *testing.T, s string) report.AnalyzeResult {
	t.Helper()
	var r report.AnalyzeResult
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("analyze JSON: %v\n%s", err, s)
	}
	return r
}

func decodeDiff(t *testing.T, s string) report.DiffResult {
	t.Helper()
	var r report.DiffResult
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("diff JSON: %v\n%s", err, s)
	}
	return r
}

type opName struct{ service, op string }

// showCritical sums a trace's critical-path rows of `show --output json`
// per operation, as a script checking analyze would.
func showCritical(t *testing.T, runShow func(id string) result, id string) map[opName]int64 {
	t.Helper()
	r := runShow(id)
	if r.code != 0 {
		t.Fatalf("show %s: %d %s", id, r.code, r.stderr)
	}
	out := map[opName]int64{}
	for _, s := range decodeShow(t, r.stdout).CriticalPath {
		out[opName{s.Service, s.Operation}] += s.EndMicros - s.StartMicros
	}
	return out
}

// checkAgainstShow compares analyze's per-operation critical-path sums with
// the sums of every trace's `show` rows, group by group. Both round each
// time to whole µs, so each row may differ by one µs per trace.
func checkAgainstShow(t *testing.T, a report.AnalyzeResult, runShow func(id string) result) {
	t.Helper()
	want := [2]map[opName]int64{{}, {}}
	for side, ids := range [2][]string{a.TraceIDs.Selected, a.TraceIDs.Baseline} {
		for _, id := range ids {
			for k, v := range showCritical(t, runShow, id) {
				want[side][k] += v
			}
		}
	}
	n := int64(a.Traces)
	for _, row := range a.CriticalPath {
		k := opName{row.Service, row.Operation}
		for side, got := range [2]int64{row.SelectedMicros, row.BaselineMicros} {
			if d := got - want[side][k]; d > n || d < -n {
				t.Errorf("%s %s group %d: analyze %d µs, show rows sum to %d µs", k.service, k.op, side, got, want[side][k])
			}
			delete(want[side], k)
		}
	}
	for side := range want {
		for k, v := range want[side] {
			if v > n {
				t.Errorf("%s %s group %d: %d µs in show, no analyze row", k.service, k.op, side, v)
			}
		}
	}
}

func TestAnalyzeDemoJSON(t *testing.T) {
	r := run(t, nil, "", append(isolate(t), "analyze", "--demo", "-o", "json")...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	a := decodeAnalyze(t, r.stdout)
	if a.Traces != 36 || a.Select != "slowest:10%" || len(a.TraceIDs.Selected) != 4 || len(a.TraceIDs.Baseline) != 32 || a.Failed != 0 {
		t.Fatalf("traces %d select %q groups %d/%d", a.Traces, a.Select, len(a.TraceIDs.Selected), len(a.TraceIDs.Baseline))
	}
	if a.TraceIDs.Selected[0] != string(demo.BigTraceID) {
		t.Fatalf("slowest first: %v", a.TraceIDs.Selected)
	}
	checkAgainstShow(t, a, func(id string) result {
		return run(t, nil, "", append(isolate(t), "show", "--demo", id, "-o", "json")...)
	})
	if r.stderr != "" {
		t.Fatalf("stderr %q (no progress line when stderr is not a terminal)", r.stderr)
	}
}

func TestAnalyzeDemoSelections(t *testing.T) {
	for _, tc := range []struct {
		sel      string
		selected int
	}{{"errors", 9}, {"over:1s", 4}, {"range:1ms-3ms", 3}, {"slowest:100%", 36}} {
		r := run(t, nil, "", append(isolate(t), "analyze", "--demo", "--select", tc.sel, "-o", "json")...)
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", tc.sel, r.code, r.stderr)
		}
		a := decodeAnalyze(t, r.stdout)
		if len(a.TraceIDs.Selected) != tc.selected || a.Select != tc.sel {
			t.Errorf("%s: %d selected", tc.sel, len(a.TraceIDs.Selected))
		}
		if tc.sel == "errors" && (a.ErrorTraces.Selected != tc.selected || a.ErrorTraces.Baseline != 0) {
			t.Errorf("errors: %+v", a.ErrorTraces)
		}
	}
	// Search flags narrow the traces analysed.
	r := run(t, nil, "", append(isolate(t), "analyze", "--demo", "--service", "payment-service", "-o", "json")...)
	if a := decodeAnalyze(t, r.stdout); r.code != 0 || a.Traces == 0 || a.Traces >= 36 {
		t.Fatalf("--service: %d traces, %s", a.Traces, r.stderr)
	}
}

func TestAnalyzeDemoText(t *testing.T) {
	for _, w := range []string{"80", "40", "200"} {
		r := run(t, nil, "", append(isolate(t), "analyze", "--demo", "--width", w, "--color", "always")...)
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		width := map[string]int{"80": 80, "40": 40, "200": 200}[w]
		hostile.AssertWidth(t, r.stdout, width)
		hostile.AssertSafeStyled(t, r.stdout)
		for _, s := range []string{"36 traces analysed", "Latency", "p99", "Where the time goes", "By calling context", "What sets the selection apart", "Error origins", "Bottlenecks"} {
			if !strings.Contains(r.stdout, s) {
				t.Errorf("width %s: no %q", w, s)
			}
		}
	}
}

func TestAnalyzeFile(t *testing.T) {
	r := run(t, nil, "", append(isolate(t), "analyze", "--file", fixture("zipkin", "messaging-kafka.json"),
		"--file", fixture("zipkin", "yelp.json"), "--file", fixture("jaeger", "otel_traces_01.json"), "--select", "errors", "-o", "json")...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	a := decodeAnalyze(t, r.stdout)
	if a.Traces != 4 || len(a.TraceIDs.Selected) == 0 || len(a.ErrorOrigins) == 0 {
		t.Fatalf("%+v", a)
	}
	checkAgainstShow(t, a, func(id string) result {
		return run(t, nil, "", append(isolate(t), "show", "--file", fixture("zipkin", "messaging-kafka.json"),
			"--file", fixture("zipkin", "yelp.json"), "--file", fixture("jaeger", "otel_traces_01.json"), id, "-o", "json")...)
	})
}

func TestAnalyzeNothingFound(t *testing.T) {
	r := run(t, nil, "", append(isolate(t), "analyze", "--demo", "--service", "no-such-service")...)
	if r.code != 0 || r.stdout != "No traces to analyse.\n" {
		t.Fatalf("%+v", r)
	}
}

func TestAnalyzeUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--select", "slowest:0%"}, {"--select", "fastest"}, {"-o", "yaml"}, {"--limit", "0"}, {"--color", "red"},
		{"--width", "-1"}, {"--tag", "novalue"}, {"--lookback", "0s"}, {"extra-arg"},
	} {
		r := run(t, nil, "", append(append(isolate(t), "analyze", "--demo"), args...)...)
		if r.code != ExitUsage || strings.Count(r.stderr, "\n") != 2 {
			t.Errorf("%v: exit %d, %q", args, r.code, r.stderr)
		}
	}
}

// fetchBackend serves the demo's traces, failing some lookups.
func fetchBackend(failing map[backend.TraceID]bool) (*fakebackend.Backend, []backend.TraceSummary) {
	b := &fakebackend.Backend{}
	d := demo.New(testNow)
	sums, _ := d.Search(context.Background(), backend.Query{Limit: 100, Start: testNow.Add(-time.Hour), End: testNow})
	var found []backend.TraceSummary
	for _, s := range sums {
		if s.TraceID == demo.BigTraceID {
			continue
		}
		found = append(found, s)
		if failing[s.TraceID] {
			continue
		}
		tr, _ := d.Trace(context.Background(), s.TraceID, backend.TraceOptions{})
		b.Traces = append(b.Traces, tr)
	}
	return b, found
}

func TestFetchAndAddLeavesOutFailures(t *testing.T) {
	b, found := fetchBackend(map[backend.TraceID]bool{demo.ErrorTraceID: true, demo.SlowTraceID: true})
	x := analysis.NewAcross()
	var progress strings.Builder
	info, err := fetchAndAdd(context.Background(), b, found, x, &progress)
	if err != nil {
		t.Fatal(err)
	}
	if x.Len() != len(found)-2 || info.Failed != 2 || len(info.Warnings) != 2 || !strings.Contains(info.Warnings[0], "not found") {
		t.Fatalf("added %d of %d, info %+v", x.Len(), len(found), info)
	}
	last := fmt.Sprintf("analysing: %d of %d traces", len(found), len(found))
	if !strings.Contains(progress.String(), last) || !strings.HasSuffix(progress.String(), "\r\x1b[K") {
		t.Fatalf("progress %q", progress.String())
	}
	if n := len(b.Calls()); n != len(found) {
		t.Fatalf("%d fetches for %d traces", n, len(found))
	}
}

func TestFetchAndAddAllFail(t *testing.T) {
	b, found := fetchBackend(nil)
	b.Errs = map[string]error{"trace": &backend.Error{Kind: backend.Unreachable, Op: "get trace"}}
	_, err := fetchAndAdd(context.Background(), b, found, analysis.NewAcross(), nil)
	var be *backend.Error
	if err == nil || !errors.As(err, &be) || !strings.Contains(err.Error(), fmt.Sprintf("none of the %d traces", len(found))) {
		t.Fatalf("err %v", err)
	}
}

// TestFetchAndAddInterrupted: Ctrl+C (a cancelled context) ends the work
// promptly, with what was done said, and leaves no goroutine waiting.
func TestFetchAndAddInterrupted(t *testing.T) {
	b, found := fetchBackend(nil)
	b.Block = make(chan struct{})
	b.Started = make(chan string, 100)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := fetchAndAdd(ctx, b, found, analysis.NewAcross(), nil)
		done <- err
	}()
	<-b.Started
	cancel()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("interrupted after 0 of %d traces", len(found))) {
			t.Fatalf("err %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("not interrupted")
	}
	if n := len(b.Calls()); n > fetchWorkers {
		t.Fatalf("%d fetches started after the interruption", n)
	}
}

func TestDiffDemo(t *testing.T) {
	a, b := string(demo.CheckoutTraceID), string(demo.RetryTraceID)
	r := run(t, nil, "", append(isolate(t), "diff", "--demo", a, b, "-o", "json")...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	d := decodeDiff(t, r.stdout)
	if d.A != a || d.B != b || len(d.Nodes) == 0 {
		t.Fatalf("%+v", d)
	}
	counts := [2]int{}
	for _, n := range d.Nodes {
		counts[0] += n.CountA
		counts[1] += n.CountB
	}
	for side, id := range []string{a, b} {
		st := decodeShow(t, run(t, nil, "", append(isolate(t), "show", "--demo", id, "-o", "json")...).stdout)
		if counts[side] != st.SpanCount || [2]int{d.SpanCountA, d.SpanCountB}[side] != st.SpanCount ||
			[2]int64{d.DurationMicrosA, d.DurationMicrosB}[side] != st.DurationMicros {
			t.Fatalf("side %d: %d spans, show says %d", side, counts[side], st.SpanCount)
		}
	}
	// The same trace twice: nothing changed.
	r = run(t, nil, "", append(isolate(t), "diff", "--demo", a, a, "-o", "json")...)
	for _, n := range decodeDiff(t, r.stdout).Nodes {
		if n.Change != "same" || n.CriticalDeltaMicros != 0 {
			t.Fatalf("self: %+v", n)
		}
	}
	// A correlation ID is looked up as show does.
	r = run(t, nil, "", append(isolate(t), "diff", "--demo", demo.ErrorCorrelationID, a, "--width", "80")...)
	if r.code != 0 || !strings.Contains(r.stdout, "A "+string(demo.ErrorTraceID)) {
		t.Fatalf("%+v", r)
	}
	hostile.AssertWidth(t, r.stdout, 80)
}

func TestDiffErrors(t *testing.T) {
	r := run(t, nil, "", append(isolate(t), "diff", "--demo", string(demo.CheckoutTraceID))...)
	if r.code != ExitUsage {
		t.Fatalf("one ID: %+v", r)
	}
	r = run(t, nil, "", append(isolate(t), "diff", "--demo", string(demo.CheckoutTraceID), "00000000000000000000000000000bad")...)
	if r.code != ExitRuntime || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "not found") {
		t.Fatalf("unknown ID: %+v", r)
	}
	r = run(t, nil, "", append(isolate(t), "diff", "--demo", string(demo.CheckoutTraceID))...)
	if r.code != ExitUsage || !strings.Contains(r.stderr, "give A and B") {
		t.Fatalf("one argument: %+v", r)
	}
	r = run(t, nil, "", append(isolate(t), "diff", "--demo", "a", "b", "-o", "xml")...)
	if r.code != ExitUsage {
		t.Fatalf("bad output: %+v", r)
	}
}

// panicking is a backend whose Trace panics, as a decoder with a bug would.
type panicking struct{ *fakebackend.Backend }

func (panicking) Trace(context.Context, backend.TraceID, backend.TraceOptions) (*backend.Trace, error) {
	panic("decoder bug")
}

// TestFetchAndAddPanicReachesCaller: a panic in a fetch worker is raised
// again in fetchAndAdd's goroutine, with the worker's stack, where Main's
// recover writes a crash report; in the worker it ended the process with
// Go's raw stack.
func TestFetchAndAddPanicReachesCaller(t *testing.T) {
	b, found := fetchBackend(nil)
	defer func() {
		// backend.FetchTraces raises it again with the worker's stack in
		// its text, which the crash report prints.
		p := recover()
		s := fmt.Sprint(p)
		if p == nil || !strings.Contains(s, "decoder bug") || !strings.Contains(s, "panicking.Trace") {
			t.Fatalf("recovered %#v", p)
		}
	}()
	fetchAndAdd(context.Background(), panicking{b}, found, analysis.NewAcross(), nil)
	t.Fatal("no panic")
}
