package report

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/demo"
	"github.com/tracetui/tracetui/backend/file"
	"github.com/tracetui/tracetui/internal/testkit/hostile"
)

// fixtureTraces decodes every trace fixture the repository holds.
func fixtureTraces(t *testing.T) []*backend.Trace {
	t.Helper()
	root := filepath.Join("..", "..", "testdata", "fixtures")
	var out []*backend.Trace
	for _, d := range []string{"jaeger", "jaeger/api_v3", "jaeger-ui", "otel-proto", "tempo", "zipkin", "captured/*"} {
		paths, err := filepath.Glob(filepath.Join(root, d, "*.json"))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			ts, err := file.Decode(bytes.NewReader(data))
			if err != nil {
				continue // service lists, error bodies
			}
			for _, tr := range ts {
				if len(tr.Spans) > 0 {
					out = append(out, tr)
				}
			}
		}
	}
	if len(out) < 20 {
		t.Fatalf("only %d fixture traces", len(out))
	}
	return out
}

// randomTrace has the shapes that broke shares of the trace's duration:
// several roots, orphans, children that overlap each other or stick out of
// their parent.
func randomTrace(r *rand.Rand) *backend.Trace {
	n := 1 + r.IntN(40)
	tr := &backend.Trace{ID: "00000000000000000000000000000abc"}
	for i := 0; i < n; i++ {
		s := backend.Span{
			TraceID: tr.ID, SpanID: backend.SpanID(strconv.Itoa(1000 + i)),
			Service:   "svc" + strconv.Itoa(r.IntN(5)),
			Operation: "op" + strconv.Itoa(r.IntN(3)),
			Start:     int64(r.IntN(1000)) * 1000, Duration: int64(r.IntN(500)) * 1000,
			Error: r.IntN(6) == 0,
		}
		switch k := r.IntN(10); {
		case i == 0 || k == 0:
		case k == 1:
			s.ParentID = "missing"
		default:
			s.ParentID = backend.SpanID(strconv.Itoa(1000 + r.IntN(i)))
		}
		tr.Spans = append(tr.Spans, s)
	}
	return tr
}

// percentField parses "41.1%".
func percentField(t *testing.T, f string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(strings.TrimSuffix(f, "%"), 64)
	if err != nil || !strings.HasSuffix(f, "%") {
		t.Fatalf("not a percentage: %q", f)
	}
	return v
}

// tableAfter returns the lines after the first line containing header, up
// to the next blank line.
func tableAfter(lines []string, header string) []string {
	for k, l := range lines {
		if strings.Contains(l, header) {
			end := k + 1
			for end < len(lines) && strings.TrimSpace(lines[end]) != "" {
				end++
			}
			return lines[k+1 : end]
		}
	}
	return nil
}

// checkShares reads every share show prints back from its text and checks
// that none passes 100% and that each table's shares add up to 100%, give
// or take the rounding of each printed row to 0.1.
func checkShares(t *testing.T, a *analysis.Analysis) {
	t.Helper()
	for _, w := range []int{MinWidth, 160} {
		checkSharesAt(t, a, w)
	}
}

func checkSharesAt(t *testing.T, a *analysis.Analysis, width int) {
	t.Helper()
	var buf bytes.Buffer
	if err := ShowText(&buf, a, TextOptions{Width: width, Skew: "raw"}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	hostile.AssertWidth(t, out, width)
	lines := strings.Split(out, "\n")
	sumTo100 := func(what string, shares []float64, complete bool) {
		t.Helper()
		sum := 0.0
		for _, v := range shares {
			if v < 0 || v > 100 {
				t.Fatalf("%s: share %v%%\n%s", what, v, out)
			}
			sum += v
		}
		tol := 0.05*float64(len(shares)) + 1e-6
		if sum > 100+tol || complete && len(shares) > 0 && math.Abs(sum-100) > tol {
			t.Fatalf("%s: shares sum to %v%% (%d rows)\n%s", what, sum, len(shares), out)
		}
	}

	var svc []float64
	allZero := true
	for _, l := range tableAfter(lines, "self%") {
		f := strings.Fields(l)
		if !strings.HasSuffix(f[len(f)-1], "%") {
			break // the footnote
		}
		svc = append(svc, percentField(t, f[len(f)-1]))
		allZero = allZero && f[len(f)-1] == "0.0%"
	}
	if len(svc) != len(a.Stats.Services) {
		t.Fatalf("%d service rows, want %d\n%s", len(svc), len(a.Stats.Services), out)
	}
	var self int64
	for _, v := range a.Self {
		self += v
	}
	sumTo100("service self%", svc, self > 0)
	if self == 0 && !allZero {
		t.Fatalf("no self time, yet a service has a share\n%s", out)
	}

	if a.Critical == nil || len(a.Critical.Sections) == 0 {
		return
	}
	var bySpan, bySection []float64
	for _, l := range tableAfter(lines, "time  %path  span") {
		bySpan = append(bySpan, percentField(t, strings.Fields(l)[1]))
	}
	sumTo100("critical by span", bySpan, len(a.Critical.Spans) <= len(bySpan))
	complete := true
	for _, l := range tableAfter(lines, "offset     time  %path") {
		if strings.Contains(l, "more sections") {
			complete = false
			continue
		}
		bySection = append(bySection, percentField(t, strings.Fields(l)[2]))
	}
	if len(bySection) == 0 {
		t.Fatalf("no critical sections printed\n%s", out)
	}
	sumTo100("critical sections", bySection, complete)
	if a.Critical.Length() > 0 {
		// Non-greedy: the headline may wrap, so it is matched across lines.
		headlineShare := regexp.MustCompile(`Most time on the critical path: .*?, \S+ of \S+ \((\d+\.\d)%\)`)
		m := headlineShare.FindStringSubmatch(strings.ReplaceAll(out, "\n", " "))
		if m == nil {
			t.Fatalf("no headline share\n%s", out)
		}
		if v, _ := strconv.ParseFloat(m[1], 64); v > 100 || v < bySpan[0]-0.05 || v > bySpan[0]+0.05 {
			t.Fatalf("headline share %v%%, top row %v%%\n%s", v, bySpan[0], out)
		}
	}
}

// TestShowTextSharesAddUp: on every fixture, the demo's generated traces
// and random traces with several roots and overlapping or overflowing
// spans, the printed self shares and critical-path shares each add up to
// 100% and none passes it.
func TestShowTextSharesAddUp(t *testing.T) {
	for k, tr := range fixtureTraces(t) {
		a := analysis.Analyze(tr)
		t.Run("fixture "+strconv.Itoa(k)+" "+string(tr.ID), func(t *testing.T) { checkShares(t, a) })
	}
	start := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, n := range []int{1, 17, 200} {
		checkShares(t, analysis.Analyze(demo.Generate(n, int64(n), start)))
	}
	r := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 300; i++ {
		checkShares(t, analysis.Analyze(randomTrace(r)))
	}
}

// TestShowTextExampleTraceShares is the reviewer's case: five roots over
// the same 100µs printed 300% for one service and 100% for each of five
// critical rows.
func TestShowTextExampleTraceShares(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "..", "testdata", "fixtures", "jaeger", "example_trace.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ts, err := file.Decode(f)
	if err != nil || len(ts) != 1 {
		t.Fatalf("%v, %d traces", err, len(ts))
	}
	var buf bytes.Buffer
	if err := ShowText(&buf, analysis.Analyze(ts[0]), TextOptions{Width: 80}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	hostile.AssertWidth(t, out, 80)
	for _, want := range []string{
		"Critical path (5 sections, 500µs over 5 roots)",
		"example-service-1                            3      0    300µs    300µs  60.0%",
		"example-service-2                            1      0    100µs    100µs  20.0%",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
	if strings.Contains(out, "100.0%") {
		t.Errorf("a share of 100%% on a trace of five equal roots\n%s", out)
	}
}
