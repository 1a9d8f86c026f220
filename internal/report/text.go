package report

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/internal/present"
	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/internal/textsafe"
)

// TextOptions shape the text output of `show`.
type TextOptions struct {
	// Width is the line width; every line fits it. Below MinWidth, MinWidth.
	Width int
	// Color adds SGR colours (16-colour palette, so any terminal shows them).
	Color bool
	// Skew is "raw" or "adjusted", printed in the header.
	Skew string
	// Location for absolute times; UTC when nil.
	Location *time.Location
	// Span, when set, is the span the input named: marked in the waterfall.
	Span backend.SpanID
}

// MinWidth is the narrowest layout show draws.
const MinWidth = 40

// maxGuideDepth caps the tree guides so that a 100,000-deep chain does not
// produce 300,000-cell prefixes: deeper rows show their depth instead.
const maxGuideDepth = 12

// painter paints with the style sheet's paints when colour is on (the
// dark sheet: `show` cannot ask the terminal for its background), and
// writes plain text when it is off.
type painter struct{ p *style.Paints }

func newPainter(on bool) painter {
	if !on {
		return painter{}
	}
	return painter{p: &style.New(true).P}
}

func (p painter) bold(s string) string {
	if p.p == nil {
		return s
	}
	return p.p.Bold.S(s)
}

func (p painter) err(s string) string {
	if p.p == nil {
		return s
	}
	return p.p.Err.S(s)
}

func (p painter) ok(s string) string {
	if p.p == nil {
		return s
	}
	return p.p.OK.S(s)
}

func (p painter) dim(s string) string {
	if p.p == nil {
		return s
	}
	return p.p.Dim.S(s)
}

func (p painter) warn(s string) string {
	if p.p == nil {
		return s
	}
	return p.p.Warning.S(s)
}

// service paints s in the colour of the service named name: the same
// palette index as in the TUI (present.PaletteIndex of its hue).
func (p painter) service(name, s string) string {
	if p.p == nil {
		return s
	}
	return p.p.Service(present.Hue(name)).S(s)
}

// ShowText writes the waterfall, critical path and service table of a trace.
func ShowText(w io.Writer, a *analysis.Analysis, o TextOptions) error {
	if o.Width < MinWidth {
		o.Width = MinWidth
	}
	if o.Location == nil {
		o.Location = time.UTC
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	p := newPainter(o.Color)
	line := func(s string) {
		bw.WriteString(ansi.Truncate(s, o.Width, "…"))
		bw.WriteByte('\n')
	}
	writeHeader(line, a, o, p)
	if len(a.Tree.Trace.Spans) == 0 {
		return bw.Flush()
	}
	line("")
	writeWaterfall(line, a, o, p)
	line("")
	writeCritical(line, a, o, p)
	line("")
	writeServices(line, a, o)
	if len(a.Stats.Edges) > 0 {
		line("")
		writeCalls(line, a, o)
	}
	if len(a.Origins) > 0 {
		line("")
		writeOrigins(line, a, p)
	}
	return bw.Flush()
}

// writeHeader writes the trace's facts, where the error started, where the
// time went and the warnings.
func writeHeader(line func(string), a *analysis.Analysis, o TextOptions, p painter) {
	tr := a.Tree
	t := tr.Trace
	total := span(tr.Start, tr.End)

	line(p.bold("Trace "+textsafe.Clean(t.ID.Short())) + "  " + rootName(a))
	errCount := 0
	for i := range t.Spans {
		if t.Spans[i].Error {
			errCount++
		}
	}
	// The header's facts wrap as whole items, so that none is cut at 80
	// columns.
	var facts []string
	if len(t.Spans) == 0 {
		facts = []string{"No spans"}
	} else {
		facts = []string{
			"Start " + format.Timestamp(tr.Start, o.Location), "Duration " + format.Duration(total),
			fmt.Sprintf("Spans %d", len(t.Spans)), fmt.Sprintf("Services %d", len(a.Stats.Services)),
			fmt.Sprintf("Depth %d", tr.MaxDepth+1),
		}
	}
	if errCount > 0 {
		facts = append(facts, p.err("Errors "+strconv.Itoa(errCount)))
	}
	if o.Skew == "adjusted" {
		facts = append(facts, "Clock skew adjusted")
	}
	for _, l := range wrapItems(facts, "  ", o.Width) {
		line(l)
	}
	if len(a.Origins) > 0 {
		s := &t.Spans[a.Origins[0].Span]
		msg := "Error started in " + textsafe.Clean(s.Service) + " " + textsafe.Clean(s.Operation)
		if m := errorMessage(s); m != "" {
			msg += ": " + m
		}
		line(p.err(msg))
	}
	if a.Critical != nil && len(a.Critical.Spans) > 0 && a.Critical.Length() > 0 {
		top := present.CriticalBySpan(a.Critical)[0]
		s := &t.Spans[top.Span]
		path := a.Critical.Length()
		// Wrapped, not cut: the share at its end is the point.
		head := fmt.Sprintf("Most time on the critical path: %s %s, %s of %s (%s)", textsafe.Truncate(s.Service, o.Width), textsafe.Truncate(s.Operation, o.Width),
			format.Duration(top.Time), format.Duration(path), present.Percent(top.Time, path))
		for _, l := range wrapItems(strings.Fields(head), " ", o.Width) {
			line(l)
		}
	}
	warnings := append(slices.Clone(t.Warnings), a.Warnings...)
	if len(warnings) > 0 {
		line(p.warn(fmt.Sprintf("Warnings (%d):", len(warnings))))
		for i, ws := range warnings {
			if i == 10 {
				line(fmt.Sprintf("  … and %d more", len(warnings)-10))
				break
			}
			// Warnings are wrapped, not cut: their end is often the number
			// that matters ("… by 65.9ms").
			for k, l := range wrapItems(strings.Fields(textsafe.Clean(ws)), " ", o.Width-4) {
				if k == 0 {
					line("  - " + l)
				} else {
					line("    " + l)
				}
			}
		}
	}
}

func rootName(a *analysis.Analysis) string {
	tr := a.Tree
	if len(tr.Roots) == 0 {
		return ""
	}
	s := &tr.Trace.Spans[tr.Roots[0]]
	return textsafe.Clean(s.Service) + ": " + textsafe.Clean(s.Operation)
}

// layout splits the width into name, bar and duration columns.
type layout struct {
	name, bar, dur int
}

func newLayout(width int) layout {
	const dur = 8 // "1000.0ms" fits; markers sit in the gap before it
	name := width * 2 / 5
	name = min(max(name, 16), 60)
	bar := width - name - dur - 4
	return layout{name: name, bar: bar, dur: dur}
}

func writeWaterfall(line func(string), a *analysis.Analysis, o TextOptions, p painter) {
	tr := a.Tree
	t := tr.Trace
	l := newLayout(o.Width)
	total := span(tr.Start, tr.End)

	line(textsafe.Fit("Waterfall", l.name) + " " + axis(total, l.bar) + "  " + fmt.Sprintf("%*s", l.dur, "duration"))

	critical := map[int32][]analysis.Section{}
	if a.Critical != nil {
		for _, sec := range a.Critical.Sections {
			critical[sec.Span] = append(critical[sec.Span], sec)
		}
	}
	skewed := map[int32]bool{}
	for _, s := range a.Skews {
		skewed[s.Span] = true
	}

	// lastAt[d] says whether the ancestor at depth d is the last of its
	// siblings, which decides between "│" and a blank in the guides.
	lastAt := make([]bool, maxGuideDepth+1)
	marked := markedRow(a, o)
	for _, i := range tr.Order {
		s := &t.Spans[i]
		d := int(tr.Depth[i])
		isLast := isLastChild(tr, i)
		if d <= maxGuideDepth {
			lastAt[d] = isLast
		}
		var prefix strings.Builder
		if d > maxGuideDepth {
			prefix.WriteString("·" + strconv.Itoa(d) + " ")
		} else {
			for lv := 1; lv < d; lv++ {
				if lastAt[lv] {
					prefix.WriteString(present.GuideBlank)
				} else {
					prefix.WriteString(present.GuideLine)
				}
			}
			if d > 0 {
				if isLast {
					prefix.WriteString(present.GuideLast)
				} else {
					prefix.WriteString(present.GuideBranch)
				}
			}
		}
		svc := textsafe.Clean(s.Service)
		name := prefix.String() + svc + " " + textsafe.Clean(s.Operation)
		name = textsafe.Fit(name, l.name)
		if o.Color {
			// Colour only the service part, cut to what Fit kept.
			pw := ansi.StringWidth(prefix.String())
			sw := min(ansi.StringWidth(svc), l.name-pw)
			if sw > 0 {
				head := ansi.Cut(name, 0, pw)
				mid := ansi.Cut(name, pw, pw+sw)
				tail := ansi.Cut(name, pw+sw, l.name)
				name = head + p.service(s.Service, mid) + tail
			}
		}
		marks := " "
		if s.Error {
			marks = p.err(present.ErrorMark)
		}
		if skewed[i] {
			marks += present.SkewMark
		} else {
			marks += " "
		}
		bar := p.service(s.Service, spanBar(s, critical[i], tr.Start, total, l.bar))
		sep := " "
		if i == marked {
			sep = p.bold(spanMarker)
		}
		line(name + sep + bar + marks + fmt.Sprintf("%*s", l.dur, format.Duration(s.Duration)))
	}
	line(textsafe.Fit(present.CriticalGlyph+" critical path  "+present.BarGlyph+" other time  "+present.ErrorMark+
		" error  "+present.SkewMark+" clock skew", o.Width))
}

func isLastChild(tr *analysis.Tree, i int32) bool {
	if p := tr.Parent[i]; p >= 0 {
		ch := tr.Children(p)
		return ch[len(ch)-1] == i
	}
	return tr.Roots[len(tr.Roots)-1] == i
}

// axis labels the bar column with the trace-relative times at its start,
// middle and end.
func axis(total int64, width int) string {
	cells := []rune(strings.Repeat(" ", width))
	put := func(pos int, s string) {
		for k, r := range []rune(s) {
			if pos+k >= 0 && pos+k < width {
				cells[pos+k] = r
			}
		}
	}
	put(0, "0")
	mid := format.Duration(total / 2)
	put(width/2-len([]rune(mid))/2, mid)
	end := format.Duration(total)
	put(width-len([]rune(end)), end)
	return string(cells)
}

// spanBar draws the span on a bar of width cells, its critical sections
// in the critical glyph: the same bar as the TUI's (present.Bar).
func spanBar(s *backend.Span, sections []analysis.Section, start, total int64, width int) string {
	if width <= 0 {
		return ""
	}
	cells := make([]present.Cell, width)
	ax := present.Axis{Lo: start, Hi: present.Add(start, max(total, 1)), Width: width}
	from, to := present.Bar(cells, ax, s.Start, present.SpanEnd(s.Start, s.Duration))
	present.MarkSections(cells, ax, from, to, sections)
	var b strings.Builder
	present.Runs(cells, func(c present.Cell, n int) { b.WriteString(strings.Repeat(c.Glyph(), n)) })
	return b.String()
}

// maxSections caps the critical-path sections printed as text; a trace of
// 100,000 spans can have thousands, and --output json lists them all.
const maxSections = 40

// writeCritical prints the critical path with each time as a share of the
// path's length (the sum of the roots' paths), so that the shares add up
// to 100% whether the trace outlasts its root or has several.
func writeCritical(line func(string), a *analysis.Analysis, o TextOptions, p painter) {
	tr := a.Tree
	t := tr.Trace
	if a.Critical == nil || len(a.Critical.Sections) == 0 {
		line("Critical path: none")
		return
	}
	path := a.Critical.Length()
	const fixed = 2 + 9 + 1 + 8 + 1 + 6 + 2
	nameW := max(o.Width-fixed-18, 10)

	line(p.bold("Where the time went (critical path by span)"))
	line(fmt.Sprintf("  %8s %6s  %s", "time", "%path", "span"))
	top := present.CriticalBySpan(a.Critical)
	for _, c := range top[:min(5, len(top))] {
		s := &t.Spans[c.Span]
		name := textsafe.Truncate(textsafe.Clean(s.Service)+" "+textsafe.Clean(s.Operation), nameW+10)
		line(fmt.Sprintf("  %8s %6s  %s %s", format.Duration(c.Time), present.Percent(c.Time, path), name, textsafe.Clean(string(tr.SpanIDs[c.Span]))))
	}
	line("")
	title := fmt.Sprintf("Critical path (%d sections, %s", len(a.Critical.Sections), format.Duration(path))
	if len(tr.Roots) > 1 {
		// The path is longer than the trace when roots overlap: say why.
		title += fmt.Sprintf(" over %d roots", len(tr.Roots))
	}
	line(p.bold(title + ")"))
	if !a.Coverage.Complete() {
		// Wrapped, not cut: several roots or work after the root make the
		// path's length read wrong unless its coverage is said.
		for _, l := range wrapItems(strings.Fields(a.Coverage.Describe()), " ", o.Width-2) {
			line("  " + l)
		}
	}
	line(fmt.Sprintf("  %9s %8s %6s  %s", "offset", "time", "%path", "span"))
	for k, sec := range a.Critical.Sections {
		if k == maxSections {
			line(fmt.Sprintf("  … and %d more sections (--output json lists them all)", len(a.Critical.Sections)-maxSections))
			break
		}
		s := &t.Spans[sec.Span]
		name := textsafe.Truncate(textsafe.Clean(s.Service)+" "+textsafe.Clean(s.Operation), nameW)
		d := present.Sub(sec.End, sec.Start)
		line(fmt.Sprintf("  %9s %8s %6s  %s %s", "+"+format.Duration(present.Sub(sec.Start, tr.Start)), format.Duration(d), present.Percent(d, path), name, textsafe.Clean(string(tr.SpanIDs[sec.Span]))))
	}
}

// wrapItems joins items with sep into lines of at most width cells, never
// splitting an item (an item wider than the line gets a line of its own).
func wrapItems(items []string, sep string, width int) []string {
	var out []string
	cur := ""
	for _, it := range items {
		switch {
		case cur == "":
			cur = it
		case ansi.StringWidth(cur)+len(sep)+ansi.StringWidth(it) <= width:
			cur += sep + it
		default:
			out = append(out, cur)
			cur = it
		}
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}

func writeServices(line func(string), a *analysis.Analysis, o TextOptions) {
	const cols = 6 + 1 + 6 + 1 + 8 + 1 + 8 + 1 + 6
	const minName = 8
	// Too narrow for every column: the total goes (--output json has it),
	// so that the self share, which the table is for, is not cut off.
	withTotal := o.Width >= minName+1+cols+2
	nameW := min(max(o.Width-cols-3, minName), 40)
	if !withTotal {
		nameW = min(max(o.Width-cols+9-3, minName), 40)
	}
	total := func(s string) string {
		if !withTotal {
			return ""
		}
		return fmt.Sprintf(" %8s", s)
	}
	line(fmt.Sprintf("%s %6s %6s%s %8s %6s", textsafe.Fit("Service", nameW), "spans", "errors", total("total"), "self", "self%"))
	for _, s := range present.ServiceRows(a.Stats.Services, present.BySelf) {
		line(fmt.Sprintf("%s %6d %6d%s %8s %6s", textsafe.Fit(s.Name, nameW), s.Count, s.Errors,
			total(format.Duration(s.Total)), format.Duration(s.Self), present.Share(s.SelfFraction)))
	}
	all := present.SelfTotal(a.Stats.Services)
	// The denominator is named because it is not the trace's duration:
	// parallel spans make it longer, spans outside any root add to it.
	for _, l := range wrapItems(strings.Fields("self% is of all spans' self time, "+format.Duration(all)), " ", o.Width) {
		line(l)
	}
}

// maxCalls caps the calls printed; a trace rarely has more edges than
// that, and the first are the ones with errors.
const maxCalls = 20

// writeCalls lists the service-to-service calls within the trace, those
// with errors first, then the busiest, so that the failing hop is on top.
func writeCalls(line func(string), a *analysis.Analysis, o TextOptions) {
	edges := slices.Clone(a.Stats.Edges)
	slices.SortStableFunc(edges, func(x, y analysis.Edge) int {
		if c := cmp.Compare(y.Errors, x.Errors); c != 0 {
			return c
		}
		if c := cmp.Compare(y.Calls, x.Calls); c != 0 {
			return c
		}
		if c := strings.Compare(x.From, y.From); c != 0 {
			return c
		}
		return strings.Compare(x.To, y.To)
	})
	const cols = 1 + 6 + 1 + 6
	nameW := min(max(o.Width-cols, 20), 80)
	line(fmt.Sprintf("%s %6s %6s", textsafe.Fit("Calls (caller → callee)", nameW), "calls", "errors"))
	for k, e := range edges {
		if k == maxCalls {
			line(fmt.Sprintf("… and %d more", len(edges)-maxCalls))
			break
		}
		line(fmt.Sprintf("%s %6d %6d", textsafe.Fit(callName(e.From, e.To, nameW), nameW), e.Calls, e.Errors))
	}
}

// callName is "from → to" in at most width cells; when it must cut, each
// side keeps at least half the room, so the callee is never lost.
func callName(from, to string, width int) string {
	// Truncate cleans only what it keeps: a megabyte name costs no more.
	from, to = textsafe.Truncate(from, width), textsafe.Truncate(to, width)
	const arrow = " → "
	room := max(width-ansi.StringWidth(arrow), 2)
	fw, tw := ansi.StringWidth(from), ansi.StringWidth(to)
	if fw+tw > room {
		switch half := room / 2; {
		case fw <= half:
			to = textsafe.Truncate(to, room-fw)
		case tw <= room-half:
			from = textsafe.Truncate(from, room-tw)
		default:
			from, to = textsafe.Truncate(from, half), textsafe.Truncate(to, room-half)
		}
	}
	return from + arrow + to
}

func writeOrigins(line func(string), a *analysis.Analysis, p painter) {
	tr := a.Tree
	t := tr.Trace
	o := a.Origins[0]
	s := &t.Spans[o.Span]
	head := fmt.Sprintf("Error origin: %s %s (span %s)", textsafe.Clean(s.Service), textsafe.Clean(s.Operation), textsafe.Clean(string(tr.SpanIDs[o.Span])))
	if len(a.Origins) > 1 {
		head += fmt.Sprintf(", 1 of %d", len(a.Origins))
	}
	line(p.err(head))
	var chain []string
	for _, c := range o.Chain {
		chain = append(chain, textsafe.Clean(t.Spans[c].Service))
	}
	line("  via " + strings.Join(chain, " → "))
	if msg := errorMessage(s); msg != "" {
		line("  " + msg)
	}
}

// errorMessage is why a span failed (analysis.ErrorReason), made safe to
// print.
func errorMessage(s *backend.Span) string {
	return textsafe.Clean(analysis.ErrorReason(s))
}

// SearchText writes one line per trace of a search, then the count and
// whether the limit was reached ("20 shown · limit reached").
func SearchText(w io.Writer, res backend.SearchResult, now time.Time) error {
	bw := bufio.NewWriter(w)
	if len(res.Traces) == 0 {
		bw.WriteString("No traces found.\n")
		if len(res.Checked) > 0 || res.LimitReached {
			bw.WriteString(textsafe.Clean(res.Headline()) + "\n")
		}
		return bw.Flush()
	}
	fmt.Fprintf(bw, "%-32s  %-20s  %9s  %6s  %6s  %-10s  %s\n", "TRACE ID", "START", "DURATION", "SPANS", "ERRORS", "WHEN", "ROOT")
	for _, s := range res.Traces {
		start := time.Unix(0, s.Start).UTC().Format("2006-01-02 15:04:05")
		root := textsafe.Truncate(textsafe.Clean(s.RootService)+": "+textsafe.Clean(s.RootOperation), 60)
		fmt.Fprintf(bw, "%-32s  %-20s  %9s  %6d  %6d  %-10s  %s\n", textsafe.Clean(string(s.TraceID)), start,
			format.Duration(s.Duration), s.SpanCount, s.ErrorCount, format.Ago(time.Unix(0, s.Start), now), root)
	}
	line := textsafe.Clean(res.Headline())
	if res.LimitReached {
		line += " (raise --limit to see more)"
	}
	bw.WriteString(line + "\n")
	return bw.Flush()
}
