package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/internal/textsafe"
)

// DiffResult is the `diff --output json` object (README): trace A and
// trace B merged by calling context, nodes in the tree's pre-order.
type DiffResult struct {
	A                   string         `json:"a"`
	B                   string         `json:"b"`
	DurationMicrosA     int64          `json:"durationMicrosA"`
	DurationMicrosB     int64          `json:"durationMicrosB"`
	CriticalPathMicrosA int64          `json:"criticalPathMicrosA"`
	CriticalPathMicrosB int64          `json:"criticalPathMicrosB"`
	SpanCountA          int            `json:"spanCountA"`
	SpanCountB          int            `json:"spanCountB"`
	Nodes               []DiffNodeJSON `json:"nodes"`
}

// DiffNodeJSON is one calling context with both sides' numbers.
type DiffNodeJSON struct {
	// Path is the context from the root, "service operation" each (see
	// maxPathEntries).
	Path                []string `json:"path"`
	Depth               int32    `json:"depth"`
	Parent              int      `json:"parent"`
	Service             string   `json:"service"`
	Operation           string   `json:"operation"`
	CountA              int      `json:"countA"`
	CountB              int      `json:"countB"`
	DurationMicrosA     int64    `json:"durationMicrosA"`
	DurationMicrosB     int64    `json:"durationMicrosB"`
	SelfMicrosA         int64    `json:"selfMicrosA"`
	SelfMicrosB         int64    `json:"selfMicrosB"`
	CriticalMicrosA     int64    `json:"criticalMicrosA"`
	CriticalMicrosB     int64    `json:"criticalMicrosB"`
	CriticalDeltaMicros int64    `json:"criticalDeltaMicros"`
	SubtreeMicrosA      int64    `json:"criticalSubtreeMicrosA"`
	SubtreeMicrosB      int64    `json:"criticalSubtreeMicrosB"`
	ErrorsA             int      `json:"errorsA"`
	ErrorsB             int      `json:"errorsB"`
	Change              string   `json:"change"`
	SpanIDA             string   `json:"spanIDA"`
	SpanIDB             string   `json:"spanIDB"`
}

// maxPathEntries bounds a node's path: a hostile chain 100,000 spans deep
// would otherwise print 5·10⁹ path entries. A deeper context's path starts
// with "…" and keeps its last entries; depth and parent stay exact.
const maxPathEntries = 256

// BuildDiff fills the JSON object from a comparison.
func BuildDiff(c *analysis.Comparison) DiffResult {
	a, b := &c.Side[analysis.SideA], &c.Side[analysis.SideB]
	out := DiffResult{
		A: string(a.ID), B: string(b.ID),
		DurationMicrosA: micros(a.Duration), DurationMicrosB: micros(b.Duration),
		CriticalPathMicrosA: micros(a.Critical), CriticalPathMicrosB: micros(b.Critical),
		SpanCountA: a.Spans, SpanCountB: b.Spans, Nodes: []DiffNodeJSON{},
	}
	index := make(map[int32]int, len(c.Tree.Nodes))
	var path []string // the current node's path, kept as the walk goes down
	for _, v := range c.Tree.PreOrder() {
		nd := &c.Tree.Nodes[v]
		index[v] = len(out.Nodes)
		parent := -1
		if nd.Parent >= 0 {
			parent = index[nd.Parent]
		}
		path = append(path[:min(int(nd.Depth), len(path))], nd.Service+" "+nd.Operation)
		p := path
		if len(p) > maxPathEntries {
			p = append([]string{"…"}, p[len(p)-maxPathEntries+1:]...)
		}
		sa, sb := &nd.Side[analysis.SideA], &nd.Side[analysis.SideB]
		out.Nodes = append(out.Nodes, DiffNodeJSON{
			Path: append([]string(nil), p...), Depth: nd.Depth, Parent: parent,
			Service: nd.Service, Operation: nd.Operation,
			CountA: sa.Spans, CountB: sb.Spans,
			DurationMicrosA: micros(sa.Duration), DurationMicrosB: micros(sb.Duration),
			SelfMicrosA: micros(sa.Self), SelfMicrosB: micros(sb.Self),
			CriticalMicrosA: micros(sa.Critical), CriticalMicrosB: micros(sb.Critical),
			CriticalDeltaMicros: micros(sb.Critical) - micros(sa.Critical),
			SubtreeMicrosA:      micros(sa.CriticalSubtree), SubtreeMicrosB: micros(sb.CriticalSubtree),
			ErrorsA: sa.Errors, ErrorsB: sb.Errors, Change: c.Change(v).String(),
			SpanIDA: string(nd.Example[analysis.SideA].Span), SpanIDB: string(nd.Example[analysis.SideB].Span),
		})
	}
	return out
}

// DiffJSON writes the diff object followed by a newline.
func DiffJSON(w io.Writer, c *analysis.Comparison) error {
	return writeJSON(w, BuildDiff(c))
}

// maxIncreases is how many of the largest critical-path increases the text
// lists above the tree.
const maxIncreases = 5

// Change marks in the text tree.
func changeMark(ch analysis.Change, p painter) string {
	switch ch {
	case analysis.Slower:
		return p.err("▲")
	case analysis.Faster:
		return p.ok("▼")
	case analysis.OnlyA:
		return p.ok("-")
	case analysis.OnlyB:
		return p.err("+")
	}
	return " "
}

// signed formats a difference with its sign, coloured red when B is
// slower.
func signed(d int64, width int, p painter) string {
	s := format.Duration(d)
	if d > 0 {
		s = "+" + s
	}
	s = fmt.Sprintf("%*s", width, s)
	switch {
	case d > 0:
		return p.err(s)
	case d < 0:
		return p.ok(s)
	}
	return s
}

// DiffText writes the comparison as a header, the largest critical-path
// increases and the merged tree, every line within o.Width.
func DiffText(w io.Writer, c *analysis.Comparison, o TextOptions) error {
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
	a, b := &c.Side[analysis.SideA], &c.Side[analysis.SideB]
	side := func(label string, s *analysis.CompareSide, d string) {
		head := label + " " + textsafe.Clean(s.ID.Short())
		if s.RootService != "" || s.RootOperation != "" {
			head += "  " + textsafe.Clean(s.RootService) + ": " + textsafe.Clean(s.RootOperation)
		}
		line(head)
		facts := fmt.Sprintf("  %s, %d spans, critical path %s%s", format.Duration(s.Duration), s.Spans, format.Duration(s.Critical), d)
		if s.ErrorSpans > 0 {
			facts += ", " + p.err(fmt.Sprintf("%d errors", s.ErrorSpans))
		}
		line(facts)
	}
	side(p.bold("A"), a, "")
	side(p.bold("B"), b, " ("+signed(b.Critical-a.Critical, 0, p)+")")

	counts := map[analysis.Change]int{}
	for n := range c.Tree.Nodes {
		counts[c.Change(int32(n))]++
	}
	wrap(fmt.Sprintf("%d calling contexts: %d slower, %d faster, %d only in A, %d only in B", len(c.Tree.Nodes),
		counts[analysis.Slower], counts[analysis.Faster], counts[analysis.OnlyA], counts[analysis.OnlyB]))

	order := c.ByCriticalIncrease()
	var up []int32
	for _, n := range order {
		if len(up) == maxIncreases || c.CriticalDelta(n) <= 0 {
			break
		}
		up = append(up, n)
	}
	if len(up) > 0 {
		line("")
		line(p.bold("Largest critical-path increases"))
		for _, n := range up {
			nd := &c.Tree.Nodes[n]
			line("  " + signed(c.CriticalDelta(n), 9, p) + "  " + textsafe.Clean(nd.Service) + " " + textsafe.Clean(nd.Operation) +
				"  " + p.dim(contextHint(&c.Tree, n)))
		}
	}
	line("")
	writeDiffTree(line, c, o, p)
	line(fmt.Sprintf("▲ slower  ▼ faster (total duration, by over %d%%)  + only in B  - only in A  crit: critical-path time", analysis.ChangeTolerancePercent))
	return bw.Flush()
}

// contextHint names a node's caller chain briefly: "in svc op ‹ svc op".
func contextHint(t *analysis.ContextTree, n int32) string {
	var parts []string
	for v := t.Nodes[n].Parent; v >= 0 && len(parts) < 2; v = t.Nodes[v].Parent {
		parts = append(parts, textsafe.Truncate(t.Nodes[v].Service+" "+t.Nodes[v].Operation, 30))
	}
	if len(parts) == 0 {
		return ""
	}
	return "in " + strings.Join(parts, " ‹ ")
}

// diffColumns chooses the columns the width allows: the name keeps at
// least minName cells, then critical-path times, then durations.
type diffColumns struct {
	name                 int
	crit, dur, spansCols bool
}

func newDiffColumns(width int) diffColumns {
	const minName = 24
	const spans, delta, crit, dur = 10, 10, 18, 18
	c := diffColumns{spansCols: true}
	rest := width - 2 - delta
	if rest-spans >= minName {
		rest -= spans
	} else {
		c.spansCols = false
	}
	if rest-crit >= minName {
		rest -= crit
		c.crit = true
	}
	if rest-dur >= minName {
		rest -= dur
		c.dur = true
	}
	c.name = max(rest, 8)
	return c
}

func writeDiffTree(line func(string), c *analysis.Comparison, o TextOptions, p painter) {
	cols := newDiffColumns(o.Width)
	head := "  " + textsafe.Fit("Calling context", cols.name)
	if cols.spansCols {
		head += fmt.Sprintf(" %9s", "spans")
	}
	if cols.crit {
		head += fmt.Sprintf(" %8s %8s", "crit A", "crit B")
	}
	head += fmt.Sprintf(" %9s", "Δcrit")
	if cols.dur {
		head += fmt.Sprintf(" %8s %8s", "dur A", "dur B")
	}
	line(p.bold(head))
	lastAt := make([]bool, maxGuideDepth+1)
	for _, v := range c.Tree.PreOrder() {
		nd := &c.Tree.Nodes[v]
		d := int(nd.Depth)
		isLast := isLastContext(&c.Tree, v)
		if d <= maxGuideDepth {
			lastAt[d] = isLast
		}
		var prefix strings.Builder
		if d > maxGuideDepth {
			prefix.WriteString("·" + fmt.Sprint(d) + " ")
		} else {
			for lv := 1; lv < d; lv++ {
				if lastAt[lv] {
					prefix.WriteString("  ")
				} else {
					prefix.WriteString("│ ")
				}
			}
			if d > 0 {
				if isLast {
					prefix.WriteString("└─")
				} else {
					prefix.WriteString("├─")
				}
			}
		}
		name := textsafe.Fit(prefix.String()+textsafe.Clean(nd.Service)+" "+textsafe.Clean(nd.Operation), cols.name)
		sa, sb := &nd.Side[analysis.SideA], &nd.Side[analysis.SideB]
		row := changeMark(c.Change(v), p) + " " + name
		if cols.spansCols {
			row += fmt.Sprintf(" %9s", fmt.Sprintf("%s→%s", countOrDash(sa.Spans), countOrDash(sb.Spans)))
		}
		if cols.crit {
			row += fmt.Sprintf(" %8s %8s", durOrDash(sa.Critical, sa.Spans), durOrDash(sb.Critical, sb.Spans))
		}
		row += " " + signed(c.CriticalDelta(v), 9, p)
		if cols.dur {
			row += fmt.Sprintf(" %8s %8s", durOrDash(sa.Duration, sa.Spans), durOrDash(sb.Duration, sb.Spans))
		}
		line(row)
	}
}

func countOrDash(n int) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprint(n)
}

func durOrDash(d int64, spans int) string {
	if spans == 0 {
		return "-"
	}
	return format.Duration(d)
}

func isLastContext(t *analysis.ContextTree, v int32) bool {
	siblings := t.Roots
	if p := t.Nodes[v].Parent; p >= 0 {
		siblings = t.Nodes[p].Children
	}
	return siblings[len(siblings)-1] == v
}
