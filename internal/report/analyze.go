package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/internal/present"
	"github.com/tracetui/tracetui/internal/textsafe"
)

// AnalyzeResult is the `analyze --output json` object (README). Times are
// µs; shares are fractions of a group's traces (0..1); "selected…" fields
// are about the selection, "baseline…" about the other traces.
type AnalyzeResult struct {
	Traces       int                `json:"traces"`
	Select       string             `json:"select"`
	TraceIDs     AnalyzeTraceIDs    `json:"traceIDs"`
	Failed       int                `json:"failed"`
	ErrorTraces  AnalyzeErrorTraces `json:"errorTraces"`
	Latency      LatencyJSON        `json:"latency"`
	CriticalPath []CriticalRowJSON  `json:"criticalPath"`
	Services     []CriticalRowJSON  `json:"services"`
	Tree         []AnalyzeNodeJSON  `json:"tree"`
	Attributes   []AttributeJSON    `json:"attributes"`
	ErrorOrigins []OriginJSON       `json:"errorOrigins"`
	Bottlenecks  []BottleneckJSON   `json:"bottlenecks"`
	Warnings     []string           `json:"warnings"`
}

// AnalyzeTraceIDs lists each group's traces, slowest first.
type AnalyzeTraceIDs struct {
	Selected []string `json:"selected"`
	Baseline []string `json:"baseline"`
}

// AnalyzeErrorTraces counts each group's traces with an error span.
type AnalyzeErrorTraces struct {
	Selected int `json:"selected"`
	Baseline int `json:"baseline"`
}

// LatencyJSON is the distribution of the traces' durations.
type LatencyJSON struct {
	MinMicros int64        `json:"minMicros"`
	P50Micros int64        `json:"p50Micros"`
	P90Micros int64        `json:"p90Micros"`
	P99Micros int64        `json:"p99Micros"`
	MaxMicros int64        `json:"maxMicros"`
	Buckets   []BucketJSON `json:"buckets"`
}

// BucketJSON counts the traces with fromMicros <= duration < toMicros.
type BucketJSON struct {
	FromMicros    int64 `json:"fromMicros"`
	ToMicros      int64 `json:"toMicros"`
	Count         int   `json:"count"`
	ErrorCount    int   `json:"errorCount"`
	SelectedCount int   `json:"selectedCount"`
}

// CriticalRowJSON is an operation's (or, in "services", a service's)
// exclusive critical-path time summed over each group's traces, and per
// trace of the group on average.
type CriticalRowJSON struct {
	Service           string `json:"service"`
	Operation         string `json:"operation,omitempty"`
	SelectedMicros    int64  `json:"selectedMicros"`
	BaselineMicros    int64  `json:"baselineMicros"`
	SelectedAvgMicros int64  `json:"selectedAvgMicros"`
	BaselineAvgMicros int64  `json:"baselineAvgMicros"`
	SelectedTraces    int    `json:"selectedTraces"`
	BaselineTraces    int    `json:"baselineTraces"`
	ExampleTraceID    string `json:"exampleTraceID"`
	ExampleSpanID     string `json:"exampleSpanID"`
}

// AnalyzeNodeJSON is one calling context, in the tree's pre-order.
type AnalyzeNodeJSON struct {
	Depth                  int32  `json:"depth"`
	Parent                 int    `json:"parent"`
	Service                string `json:"service"`
	Operation              string `json:"operation"`
	SelectedSpans          int    `json:"selectedSpans"`
	BaselineSpans          int    `json:"baselineSpans"`
	SelectedTraces         int    `json:"selectedTraces"`
	BaselineTraces         int    `json:"baselineTraces"`
	SelectedCriticalMicros int64  `json:"selectedCriticalMicros"`
	BaselineCriticalMicros int64  `json:"baselineCriticalMicros"`
	SelectedSubtreeMicros  int64  `json:"selectedSubtreeMicros"`
	BaselineSubtreeMicros  int64  `json:"baselineSubtreeMicros"`
	SelectedSelfMicros     int64  `json:"selectedSelfMicros"`
	BaselineSelfMicros     int64  `json:"baselineSelfMicros"`
	SelectedDurationMicros int64  `json:"selectedDurationMicros"`
	BaselineDurationMicros int64  `json:"baselineDurationMicros"`
	SelectedErrors         int    `json:"selectedErrors"`
	BaselineErrors         int    `json:"baselineErrors"`
}

// AttributeJSON compares how often each group's traces carry key=value.
type AttributeJSON struct {
	Key             string  `json:"key"`
	Value           string  `json:"value"`
	SelectedShare   float64 `json:"selectedShare"`
	BaselineShare   float64 `json:"baselineShare"`
	Score           float64 `json:"score"`
	SelectedTraces  int     `json:"selectedTraces"`
	BaselineTraces  int     `json:"baselineTraces"`
	HighCardinality bool    `json:"highCardinality"`
	DistinctValues  int     `json:"distinctValues"`
	MoreValues      bool    `json:"moreValues"`
	ExampleTraceID  string  `json:"exampleTraceID"`
	ExampleSpanID   string  `json:"exampleSpanID"`
}

// OriginJSON groups error origins of one operation over all traces.
type OriginJSON struct {
	Service        string `json:"service"`
	Operation      string `json:"operation"`
	Count          int    `json:"count"`
	Traces         int    `json:"traces"`
	SelectedCount  int    `json:"selectedCount"`
	SelectedTraces int    `json:"selectedTraces"`
	Message        string `json:"message"`
	ExampleTraceID string `json:"exampleTraceID"`
	ExampleSpanID  string `json:"exampleSpanID"`
}

// BottleneckJSON counts an operation's spans longer than twice their
// trace's average span.
type BottleneckJSON struct {
	Service             string `json:"service"`
	Operation           string `json:"operation"`
	SelectedOccurrences int    `json:"selectedOccurrences"`
	BaselineOccurrences int    `json:"baselineOccurrences"`
	SelectedTraces      int    `json:"selectedTraces"`
	BaselineTraces      int    `json:"baselineTraces"`
	SelectedAvgMicros   int64  `json:"selectedAvgMicros"`
	BaselineAvgMicros   int64  `json:"baselineAvgMicros"`
	ExampleTraceID      string `json:"exampleTraceID"`
	ExampleSpanID       string `json:"exampleSpanID"`
}

// AnalyzeInfo is what the command adds to a result: how many traces could
// not be fetched, and its warnings.
type AnalyzeInfo struct {
	Failed   int
	Warnings []string
}

// The groups of an analysis across traces, as the analysis numbers them.
const (
	selSide  = analysis.SideA
	baseSide = analysis.SideB
)

// BuildAnalyze fills the JSON object from a result.
func BuildAnalyze(r *analysis.AcrossResult, info AnalyzeInfo) AnalyzeResult {
	out := AnalyzeResult{
		Traces: r.Traces, Select: r.Selection.String(), Failed: info.Failed,
		TraceIDs:     AnalyzeTraceIDs{Selected: []string{}, Baseline: []string{}},
		ErrorTraces:  AnalyzeErrorTraces{Selected: r.ErrorTraces[selSide], Baseline: r.ErrorTraces[baseSide]},
		CriticalPath: criticalRows(r.Operations), Services: criticalRows(r.Services),
		Tree: []AnalyzeNodeJSON{}, Attributes: []AttributeJSON{}, ErrorOrigins: []OriginJSON{},
		Bottlenecks: []BottleneckJSON{},
		Warnings:    append(append([]string{}, info.Warnings...), r.Warnings...),
	}
	for _, t := range r.Selected {
		out.TraceIDs.Selected = append(out.TraceIDs.Selected, string(t.ID))
	}
	for _, t := range r.Baseline {
		out.TraceIDs.Baseline = append(out.TraceIDs.Baseline, string(t.ID))
	}
	l := r.Latency
	out.Latency = LatencyJSON{MinMicros: micros(l.Min), P50Micros: micros(l.P50), P90Micros: micros(l.P90),
		P99Micros: micros(l.P99), MaxMicros: micros(l.Max), Buckets: []BucketJSON{}}
	for _, b := range l.Buckets {
		out.Latency.Buckets = append(out.Latency.Buckets, BucketJSON{FromMicros: micros(b.From), ToMicros: micros(b.To),
			Count: b.Count, ErrorCount: b.ErrorCount, SelectedCount: b.Selected})
	}
	index := make(map[int32]int, len(r.Tree.Nodes))
	for _, v := range r.Tree.PreOrder() {
		nd := &r.Tree.Nodes[v]
		index[v] = len(out.Tree)
		parent := -1
		if nd.Parent >= 0 {
			parent = index[nd.Parent]
		}
		a, b := &nd.Side[selSide], &nd.Side[baseSide]
		out.Tree = append(out.Tree, AnalyzeNodeJSON{
			Depth: nd.Depth, Parent: parent, Service: nd.Service, Operation: nd.Operation,
			SelectedSpans: a.Spans, BaselineSpans: b.Spans, SelectedTraces: a.Traces, BaselineTraces: b.Traces,
			SelectedCriticalMicros: micros(a.Critical), BaselineCriticalMicros: micros(b.Critical),
			SelectedSubtreeMicros: micros(a.CriticalSubtree), BaselineSubtreeMicros: micros(b.CriticalSubtree),
			SelectedSelfMicros: micros(a.Self), BaselineSelfMicros: micros(b.Self),
			SelectedDurationMicros: micros(a.Duration), BaselineDurationMicros: micros(b.Duration),
			SelectedErrors: a.Errors, BaselineErrors: b.Errors,
		})
	}
	for _, a := range r.Attributes {
		out.Attributes = append(out.Attributes, AttributeJSON{
			Key: a.Key, Value: a.Value, SelectedShare: a.Share[selSide], BaselineShare: a.Share[baseSide], Score: a.Score,
			SelectedTraces: a.Traces[selSide], BaselineTraces: a.Traces[baseSide], HighCardinality: a.HighCardinality,
			DistinctValues: a.DistinctValues, MoreValues: a.MoreValues,
			ExampleTraceID: string(a.Example.Trace), ExampleSpanID: string(a.Example.Span),
		})
	}
	for _, o := range r.ErrorOrigins {
		out.ErrorOrigins = append(out.ErrorOrigins, OriginJSON{
			Service: o.Service, Operation: o.Operation, Count: o.Count[selSide] + o.Count[baseSide], Traces: o.Traces[selSide] + o.Traces[baseSide],
			SelectedCount: o.Count[selSide], SelectedTraces: o.Traces[selSide], Message: o.Message,
			ExampleTraceID: string(o.Example.Trace), ExampleSpanID: string(o.Example.Span),
		})
	}
	for _, b := range r.Bottlenecks {
		out.Bottlenecks = append(out.Bottlenecks, BottleneckJSON{
			Service: b.Service, Operation: b.Operation,
			SelectedOccurrences: b.Occurrences[selSide], BaselineOccurrences: b.Occurrences[baseSide],
			SelectedTraces: b.Traces[selSide], BaselineTraces: b.Traces[baseSide],
			SelectedAvgMicros: micros(b.AvgDuration[selSide]), BaselineAvgMicros: micros(b.AvgDuration[baseSide]),
			ExampleTraceID: string(b.Example.Trace), ExampleSpanID: string(b.Example.Span),
		})
	}
	return out
}

func criticalRows(rows []analysis.CriticalRow) []CriticalRowJSON {
	out := []CriticalRowJSON{}
	for _, r := range rows {
		out = append(out, CriticalRowJSON{
			Service: r.Service, Operation: r.Operation,
			SelectedMicros: micros(r.Time[selSide]), BaselineMicros: micros(r.Time[baseSide]),
			SelectedAvgMicros: micros(r.Avg[selSide]), BaselineAvgMicros: micros(r.Avg[baseSide]),
			SelectedTraces: r.Traces[selSide], BaselineTraces: r.Traces[baseSide],
			ExampleTraceID: string(r.Example.Trace), ExampleSpanID: string(r.Example.Span),
		})
	}
	return out
}

// AnalyzeJSON writes the analyze object followed by a newline.
func AnalyzeJSON(w io.Writer, r *analysis.AcrossResult, info AnalyzeInfo) error {
	return writeJSON(w, BuildAnalyze(r, info))
}

// Rows of each text section; --output json lists them all.
const (
	maxTextRows  = 10
	maxTextNodes = 30
	maxTextAttrs = 15
)

// AnalyzeText writes the analysis as sections that fit o.Width.
func AnalyzeText(w io.Writer, r *analysis.AcrossResult, info AnalyzeInfo, o TextOptions) error {
	if o.Width < MinWidth {
		o.Width = MinWidth
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	p := newPainter(o.Color)
	line := func(s string) {
		bw.WriteString(ansi.Truncate(s, o.Width, "…"))
		bw.WriteByte('\n')
	}
	wrap := func(s string) {
		for _, l := range wrapItems(strings.Fields(s), " ", o.Width) {
			line(l)
		}
	}
	if r.Traces == 0 {
		line("No traces to analyse.")
		for _, ws := range append(append([]string{}, info.Warnings...), r.Warnings...) {
			wrap(p.warn("warning: ") + textsafe.Clean(ws))
		}
		return bw.Flush()
	}
	nSel, nBase := len(r.Selected), len(r.Baseline)
	head := fmt.Sprintf("%d traces analysed; selected: %s, %d traces", r.Traces, describeSelection(r), nSel)
	if nSel > 0 {
		head += fmt.Sprintf(" (%s to %s)", format.Duration(r.Selected[len(r.Selected)-1].Duration), format.Duration(r.Selected[0].Duration))
	}
	head += fmt.Sprintf("; baseline: the other %d", nBase)
	wrap(p.bold(head))
	wrap(fmt.Sprintf("Traces with errors: %d of %d selected, %d of %d baseline", r.ErrorTraces[selSide], nSel, r.ErrorTraces[baseSide], nBase))
	if e := r.EmptySide(); e != "" {
		wrap(p.warn("warning: ") + e + "; the differences below compare with nothing (choose another --select)")
	}
	if info.Failed > 0 {
		wrap(p.warn(fmt.Sprintf("%d traces could not be fetched and are left out", info.Failed)))
	}
	for _, ws := range append(append([]string{}, info.Warnings...), r.Warnings...) {
		wrap(p.warn("warning: ") + textsafe.Clean(ws))
	}

	line("")
	writeLatency(line, r, o, p)
	line("")
	writeCriticalRows(line, "Where the time goes: critical-path time per trace, by operation", r.Operations, r, o, p)
	line("")
	writeCriticalRows(line, "By service", r.Services, r, o, p)
	line("")
	writeContextTree(line, r, o, p)
	line("")
	writeAttributes(line, r, o, p)
	if len(r.ErrorOrigins) > 0 {
		line("")
		writeOriginRows(line, r, o, p)
	}
	if len(r.Bottlenecks) > 0 {
		line("")
		writeBottlenecks(line, r, o, p)
	}
	return bw.Flush()
}

func describeSelection(r *analysis.AcrossResult) string {
	s := r.Selection
	switch s.Kind {
	case analysis.SelectOver:
		return "longer than " + format.Duration(s.Min)
	case analysis.SelectErrors:
		return "those with errors"
	case analysis.SelectRange:
		return "from " + format.Duration(s.Min) + " to " + format.Duration(s.Max)
	}
	return "the slowest " + strings.TrimPrefix(s.String(), "slowest:")
}

// more says how many rows were left out.
func more(line func(string), n int) {
	if n > 0 {
		line(fmt.Sprintf("  … %d more (--output json has all)", n))
	}
}

// title writes a section title in bold, wrapped at word boundaries.
func title(line func(string), s string, o TextOptions, p painter) {
	for _, l := range wrapItems(strings.Fields(s), " ", o.Width) {
		line(p.bold(l))
	}
}

func writeLatency(line func(string), r *analysis.AcrossResult, o TextOptions, p painter) {
	l := r.Latency
	for _, l := range wrapItems([]string{p.bold("Latency"), "p50 " + format.Duration(l.P50), "p90 " + format.Duration(l.P90),
		"p99 " + format.Duration(l.P99), "max " + format.Duration(l.Max)}, "  ", o.Width) {
		line(l)
	}
	// Only the buckets from the first to the last that hold a trace.
	lo, hi := 0, len(l.Buckets)-1
	for lo < hi && l.Buckets[lo].Count == 0 {
		lo++
	}
	for hi > lo && l.Buckets[hi].Count == 0 {
		hi--
	}
	most := 1
	for _, b := range l.Buckets {
		most = max(most, b.Count)
	}
	const label = 19  // "  12.3ms – 45.6ms  "
	const counts = 14 // " 123  !45"
	barW := max(o.Width-label-counts, 4)
	for _, b := range l.Buckets[lo : hi+1] {
		cells := (b.Count*barW + most - 1) / most
		selCells := min((b.Selected*barW+most-1)/most, cells)
		bar := p.warn(strings.Repeat("█", selCells)) + strings.Repeat("▒", cells-selCells) + strings.Repeat(" ", barW-cells)
		errs := ""
		if b.ErrorCount > 0 {
			errs = p.err(fmt.Sprintf(present.ErrorMark+"%d", b.ErrorCount))
		}
		line(fmt.Sprintf("  %7s – %-7s %s %4d  %s", format.Duration(b.From), format.Duration(b.To), bar, b.Count, errs))
	}
	for _, l := range wrapItems([]string{"█ selected", "▒ baseline", present.ErrorMark + "n traces with errors"}, "  ", o.Width-2) {
		line("  " + l)
	}
}

// table lays out rows of a name and right-aligned cells: the name takes
// what the cells leave, and when it would get fewer than minName cells the
// last cells are left out (they come in order of importance).
type table struct {
	name   int
	widths []int
}

func newTable(width, minName int, widths ...int) table {
	k := len(widths)
	for ; k > 0; k-- {
		used := 2
		for _, w := range widths[:k] {
			used += 1 + w
		}
		if width-used >= minName {
			break
		}
	}
	used := 2
	for _, w := range widths[:k] {
		used += 1 + w
	}
	return table{name: max(width-used, minName), widths: widths[:k]}
}

// row formats one line; cells beyond the table's columns are dropped.
// Cells may hold SGR colour: padding counts cells, not bytes.
func (t table) row(name string, cells ...string) string {
	var b strings.Builder
	b.WriteString("  ")
	b.WriteString(textsafe.Fit(name, t.name))
	for k, w := range t.widths {
		b.WriteByte(' ')
		if pad := w - ansi.StringWidth(cells[k]); pad > 0 {
			b.WriteString(strings.Repeat(" ", pad))
		}
		b.WriteString(cells[k])
	}
	return b.String()
}

// delta formats selected minus baseline with its sign, red when the
// selection spends more.
func delta(a, b int64, p painter) string {
	d := a - b
	ds := format.Duration(d)
	switch {
	case d > 0:
		return p.err("+" + ds)
	case d < 0:
		return p.ok(ds)
	}
	return ds
}

func writeCriticalRows(line func(string), heading string, rows []analysis.CriticalRow, r *analysis.AcrossResult, o TextOptions, p painter) {
	t := newTable(o.Width, 16, 8, 8, 8, 11)
	title(line, heading, o, p)
	line(t.row("", "selected", "baseline", "Δ", "in traces"))
	for k, row := range rows {
		if k == maxTextRows {
			more(line, len(rows)-k)
			break
		}
		name := textsafe.Clean(row.Service)
		if row.Operation != "" {
			name += " " + textsafe.Clean(row.Operation)
		}
		traces := fmt.Sprintf("%d/%d %d/%d", row.Traces[selSide], len(r.Selected), row.Traces[baseSide], len(r.Baseline))
		line(t.row(name, format.Duration(row.Avg[selSide]), format.Duration(row.Avg[baseSide]),
			delta(row.Avg[selSide], row.Avg[baseSide], p), traces))
	}
}

// writeContextTree prints the calling contexts on the critical path, each
// with the critical-path time of everything it calls (CRISP's top-down
// view) per trace of each group.
func writeContextTree(line func(string), r *analysis.AcrossResult, o TextOptions, p painter) {
	title(line, "By calling context: critical-path time per trace, callees included", o, p)
	t := newTable(o.Width, 16, 8, 8, 8)
	line(t.row("", "selected", "baseline", "Δ"))
	per := func(v int64, n int) int64 {
		if n == 0 {
			return 0
		}
		return v / int64(n)
	}
	shown, hidden := 0, 0
	for _, v := range r.Tree.PreOrder() {
		nd := &r.Tree.Nodes[v]
		a, b := per(nd.Side[selSide].CriticalSubtree, len(r.Selected)), per(nd.Side[baseSide].CriticalSubtree, len(r.Baseline))
		if a == 0 && b == 0 {
			continue
		}
		if shown == maxTextNodes {
			hidden++
			continue
		}
		shown++
		indent := ""
		if d := int(nd.Depth); d > maxGuideDepth {
			indent = fmt.Sprintf("·%d ", d)
		} else {
			indent = strings.Repeat("  ", d)
		}
		line(t.row(indent+textsafe.Clean(nd.Service)+" "+textsafe.Clean(nd.Operation),
			format.Duration(a), format.Duration(b), delta(a, b, p)))
	}
	more(line, hidden)
}

func writeAttributes(line func(string), r *analysis.AcrossResult, o TextOptions, p painter) {
	title(line, "What sets the selection apart: share of traces carrying it", o, p)
	if len(r.Attributes) == 0 {
		line("  (no attributes)")
		return
	}
	t := newTable(o.Width, 12, 6, 8, 8)
	line(t.row("", "score", "selected", "baseline"))
	for k, a := range r.Attributes {
		if k == maxTextAttrs {
			more(line, len(r.Attributes)-k)
			break
		}
		name := textsafe.Clean(a.Key) + "=" + textsafe.Clean(a.Value)
		if a.HighCardinality {
			n := fmt.Sprint(a.DistinctValues)
			if a.MoreValues {
				n = "over " + n
			}
			name = textsafe.Clean(a.Key) + " (any of " + n + " values)"
		}
		score := fmt.Sprintf("%+.2f", a.Score)
		if a.Score > 0 {
			score = p.err(score)
		}
		line(t.row(name, score, fmt.Sprintf("%.0f%%", a.Share[selSide]*100), fmt.Sprintf("%.0f%%", a.Share[baseSide]*100)))
	}
}

func writeOriginRows(line func(string), r *analysis.AcrossResult, o TextOptions, p painter) {
	title(line, "Error origins (error spans with no failing descendant)", o, p)
	for k, e := range r.ErrorOrigins {
		if k == maxTextRows {
			more(line, len(r.ErrorOrigins)-k)
			break
		}
		count := e.Count[selSide] + e.Count[baseSide]
		traces := e.Traces[selSide] + e.Traces[baseSide]
		line("  " + p.err(textsafe.Clean(e.Service)+" "+textsafe.Clean(e.Operation)) +
			fmt.Sprintf("  %d in %d traces (%d selected)", count, traces, e.Traces[selSide]))
		if e.Message != "" {
			line("    " + textsafe.Truncate(e.Message, o.Width-4))
		}
		for _, l := range wrapItems([]string{"e.g. trace", textsafe.Clean(string(e.Example.Trace)), "span", textsafe.Clean(string(e.Example.Span))}, " ", o.Width-4) {
			line("    " + l)
		}
	}
}

func writeBottlenecks(line func(string), r *analysis.AcrossResult, o TextOptions, p painter) {
	title(line, "Bottlenecks: spans over twice their trace's average span", o, p)
	t := newTable(o.Width, 16, 13, 8, 13, 8)
	line(t.row("", "selected", "avg", "baseline", "avg"))
	for k, b := range r.Bottlenecks {
		if k == maxTextRows {
			more(line, len(r.Bottlenecks)-k)
			break
		}
		line(t.row(textsafe.Clean(b.Service)+" "+textsafe.Clean(b.Operation),
			fmt.Sprintf("%d in %d", b.Occurrences[selSide], b.Traces[selSide]), format.Duration(b.AvgDuration[selSide]),
			fmt.Sprintf("%d in %d", b.Occurrences[baseSide], b.Traces[baseSide]), format.Duration(b.AvgDuration[baseSide])))
	}
}
