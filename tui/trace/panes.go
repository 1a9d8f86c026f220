package trace

import (
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/internal/textsafe"
)

// paneLine is one line of a pane, built when the pane's content changes
// (not per frame) and already cut to the pane width.
type paneLine struct {
	text    string // styled; its plain width is at most the pane width
	copy    string // what y copies; "" when the line holds no value
	section string // heading: the section enter folds; else its section
	heading bool
	span    int32 // span enter jumps to, or -1
	service int32 // service enter filters by, or -1
}

// paneCacheKey says what a pane's lines were built from.
type paneCacheKey struct {
	pane     paneKind
	span     int32
	width    int
	analysed bool
	adjusted bool
	foldVer  int
	sort     int
	service  int32
}

func (s *state) paneWidth() int {
	l := s.layout()
	return l.paneW
}

// refreshPane rebuilds the open pane's lines if what they show changed.
func (s *state) refreshPane() {
	if s.pane == paneNone || s.td == nil {
		return
	}
	k := paneCacheKey{
		pane: s.pane, width: s.paneWidth(), analysed: s.an != nil, adjusted: s.adjusted,
		foldVer: s.foldVer, service: s.service, span: -1,
	}
	switch s.pane {
	case paneDetail:
		k.span = s.sel
	case paneCritical:
		k.sort = s.critSort
	case paneServices:
		k.sort = s.svcSort
	}
	if k == s.paneKey && s.paneLines != nil {
		return
	}
	keepCursor := k.pane == s.paneKey.pane && k.span == s.paneKey.span
	s.paneKey = k
	w := max(k.width, 1)
	switch s.pane {
	case paneDetail:
		s.paneLines = s.detailLines(s.sel, w)
	case paneCritical:
		s.paneLines = s.criticalLines(w)
	case paneServices:
		s.paneLines = s.serviceLines(w)
	case paneWarnings:
		s.paneLines = s.warningLines(w)
	}
	// Measure once here, not per frame: a line that came out too wide
	// (tiny panes) is cut now.
	for k := range s.paneLines {
		if ansi.StringWidth(s.paneLines[k].text) > w {
			s.paneLines[k].text = ansi.Truncate(s.paneLines[k].text, w, "")
		}
	}
	if !keepCursor {
		s.paneCursor, s.paneOffset = 0, 0
		// Start on the first line that does something (not a summary or
		// column header).
		for k, l := range s.paneLines {
			if l.heading || l.span >= 0 || l.service >= 0 || l.copy != "" {
				s.paneCursor = k
				break
			}
		}
	}
	s.paneCursor = max(0, min(s.paneCursor, len(s.paneLines)-1))
	s.fixPaneScroll()
}

// paneBodyH is the number of pane lines under its title.
func (s *state) paneBodyH() int {
	return max(s.layout().paneH-1, 1)
}

func (s *state) fixPaneScroll() {
	vh := s.paneBodyH()
	if s.paneCursor < s.paneOffset {
		s.paneOffset = s.paneCursor
	}
	if s.paneCursor >= s.paneOffset+vh {
		s.paneOffset = s.paneCursor - vh + 1
	}
	s.paneOffset = max(0, min(s.paneOffset, len(s.paneLines)-vh))
}

func (s *state) openPane(p paneKind, focus bool) {
	if s.pane == p {
		s.closePane()
		return
	}
	s.pane = p
	s.paneFocus = focus
	s.paneLines = nil
	s.paneKey = paneCacheKey{}
	s.fixScroll()
	s.refreshPane()
}

func (s *state) closePane() {
	s.pane = paneNone
	s.paneFocus = false
	s.paneLines = nil
	s.fixScroll()
}

func (s *state) paneTitle() string {
	switch s.pane {
	case paneDetail:
		return "Span detail"
	case paneCritical:
		if s.critSort == critBySpan {
			return "Critical path · by span"
		}
		return "Critical path · by time"
	case paneServices:
		if s.an != nil {
			// Name the denominator: all self time exceeds the trace's
			// duration when spans run in parallel.
			var all int64
			for _, st := range s.an.stats.Services {
				all = add(all, st.Self)
			}
			return "Services · self% of " + format.Duration(all) + " self time"
		}
		return "Services"
	case paneWarnings:
		return "Warnings"
	}
	return ""
}

// paneCounter says where the cursor is, "k/n". In the critical pane it
// counts the entries (sections, or spans by span), not the summary line
// above them, which read as one more section; on the summary it says "-/n".
// The entries follow the summary, so no walk over them is needed per frame.
func (s *state) paneCounter() string {
	if s.pane != paneCritical {
		return strconv.Itoa(s.paneCursor+1) + "/" + strconv.Itoa(len(s.paneLines))
	}
	head := 0
	for head < len(s.paneLines) && s.paneLines[head].span < 0 {
		head++
	}
	pos := "-"
	if s.paneCursor >= head {
		pos = strconv.Itoa(s.paneCursor - head + 1)
	}
	return pos + "/" + strconv.Itoa(len(s.paneLines)-head)
}

// paneView draws the open pane in w×h: a title line, then its lines from
// the scroll offset, the cursor line reversed while the pane has focus.
func (s *state) paneView(w, h int) []string {
	if h <= 0 || w <= 0 {
		return nil
	}
	out := make([]string, 0, h)
	title := " " + s.paneTitle()
	hint := "  tab: focus  esc: close"
	if s.paneFocus {
		hint = "  tab: waterfall  esc: close"
	}
	if len(s.paneLines) > h-1 {
		hint = "  " + s.paneCounter() + hint
	}
	tp := s.st.P.Bold
	if s.paneFocus {
		tp = s.st.P.PaneTitle
	}
	out = append(out, tp.S(padRight(ansi.Truncate(title+hint, w, "…"), w)))
	end := min(s.paneOffset+h-1, len(s.paneLines))
	for k := s.paneOffset; k < end; k++ {
		line := s.paneLines[k].text
		if s.paneFocus && k == s.paneCursor {
			line = s.st.P.Selected.S(padRight(ansi.Strip(line), w))
		}
		out = append(out, line)
	}
	return out
}

// heading is a foldable section title with a count.
func (s *state) heading(name string, n int, w int) paneLine {
	mark := openChar
	if s.folded[name] {
		mark = foldedChar
	}
	text := mark + " " + name
	if n >= 0 {
		text += " (" + groupThousands(n) + ")"
	}
	return paneLine{
		text: s.st.P.Bold.S(ansi.Truncate(text, w, "…")), section: name, heading: true,
		span: -1, service: -1,
	}
}

// plainLine is a line of text (already sanitized) cut to w.
func (s *state) plainLine(text string, p style.Paint, section string, w int) paneLine {
	return paneLine{text: p.S(ansi.Truncate(text, w, "…")), section: section, span: -1, service: -1}
}

// Orders of the critical-path pane, switched by the sort key: the sections
// in time order (as DESIGN shows the path), or one line per span with its
// critical time summed, most first, so that the span that matters on a big
// trace is at the top instead of among hundreds of 0.0% sections.
const (
	critByTime = iota
	critBySpan
	critModes
)

func (s *state) criticalLines(w int) []paneLine {
	if s.an == nil || s.an.critical == nil {
		return []paneLine{s.plainLine("analysing…", s.st.P.Dim, "", w)}
	}
	cp := s.an.critical
	// Shares are of the path's length, not the trace's duration: a trace
	// that outlasts its root or has several roots would otherwise show
	// shares that do not add up to 100%. The summary names the length.
	total := s.an.critLen
	lines := make([]paneLine, 0, len(cp.Sections)+1)
	lines = append(lines, s.plainLine(
		plural(len(cp.Sections), "section")+" · "+plural(len(cp.Spans), "span")+" · "+format.Duration(total)+" = 100%",
		s.st.P.Dim, "", w))
	nameW := max(w-1-7-1-6-1, 1)
	if s.critSort == critBySpan {
		return append(lines, s.criticalBySpan(total, nameW)...)
	}
	for _, sec := range cp.Sections {
		i := sec.Span
		if i < 0 || int(i) >= len(s.td.svc) {
			continue
		}
		lines = append(lines, s.criticalLine(i, sub(sec.End, sec.Start), total, "", nameW))
	}
	return lines
}

// criticalLine is span i with d of critical time out of total; note (plain,
// may be "") follows the operation.
func (s *state) criticalLine(i int32, d, total int64, note string, nameW int) paneLine {
	nw := ansi.StringWidth(note)
	svc, _, op, _ := fitPair(s.td.services[s.td.svc[i]], s.td.svcW[s.td.svc[i]], s.td.ops[i], int(s.td.opW[i]), max(nameW-nw, 1))
	p := s.st.P.Service(s.td.hue[s.td.svc[i]])
	text := " " + padLeft(format.Duration(d), 7) + " " + padLeft(percent(d, total), 6) + " " + p.S(svc) + " " + op + s.st.P.Dim.S(note)
	return paneLine{text: text, copy: s.td.spanIDs[i], span: i, service: -1}
}

// criticalBySpan sums the sections per span and lists the spans by critical
// time, most first; ties keep the order of first section.
func (s *state) criticalBySpan(total int64, nameW int) []paneLine {
	cp := s.an.critical
	type agg struct {
		span     int32
		time     int64
		sections int
	}
	var spans []agg
	at := make(map[int32]int, len(cp.Spans))
	for _, sec := range cp.Sections {
		i := sec.Span
		if i < 0 || int(i) >= len(s.td.svc) {
			continue
		}
		k, ok := at[i]
		if !ok {
			k = len(spans)
			at[i] = k
			spans = append(spans, agg{span: i})
		}
		spans[k].time = add(spans[k].time, sub(sec.End, sec.Start))
		spans[k].sections++
	}
	slices.SortStableFunc(spans, func(a, b agg) int { return cmpDesc(a.time, b.time) })
	lines := make([]paneLine, 0, len(spans))
	for _, a := range spans {
		note := ""
		if a.sections > 1 {
			note = " ×" + strconv.Itoa(a.sections)
		}
		lines = append(lines, s.criticalLine(a.span, a.time, total, note, nameW))
	}
	return lines
}

func percent(part, whole int64) string {
	if whole <= 0 {
		return "-"
	}
	return strconv.FormatFloat(100*float64(part)/float64(whole), 'f', 1, 64) + "%"
}

// Sort columns of the service pane, cycled by the sort key.
const (
	sortSelf = iota
	sortTotal
	sortCount
	sortErrors
	sortName
	sortModes
)

func (s *state) serviceLines(w int) []paneLine {
	if s.an == nil {
		return []paneLine{s.plainLine("analysing…", s.st.P.Dim, "", w)}
	}
	stats := slices.Clone(s.an.stats.Services)
	slices.SortStableFunc(stats, func(a, b analysis.ServiceStat) int {
		var c int
		switch s.svcSort {
		case sortTotal:
			c = cmpDesc(a.Total, b.Total)
		case sortCount:
			c = cmpDesc(int64(a.Count), int64(b.Count))
		case sortErrors:
			c = cmpDesc(int64(a.Errors), int64(b.Errors))
		case sortName:
			c = strings.Compare(a.Name, b.Name)
		default:
			c = cmpDesc(a.Self, b.Self)
		}
		if c == 0 {
			c = strings.Compare(a.Name, b.Name)
		}
		return c
	})
	const numW = 6 + 1 + 5 + 1 + 7 + 1 + 7 + 1 + 6
	nameW := max(w-1-numW-1, 6)
	col := func(name string, width, mode int) string {
		if s.svcSort == mode {
			name += "▼"
		}
		return padLeft(name, width)
	}
	svcHead := "service"
	if s.svcSort == sortName {
		svcHead += "▲"
	}
	head := " " + padRight(svcHead, nameW) + " " + col("count", 6, sortCount) + " " +
		col("err", 5, sortErrors) + " " + col("total", 7, sortTotal) + " " + col("self", 7, sortSelf) + " " +
		padLeft("self%", 6)
	lines := []paneLine{{text: s.st.P.Bold.S(ansi.Truncate(head, w, "")), span: -1, service: -1}}
	idx := make(map[string]int32, len(s.td.rawSvc))
	for k, name := range s.td.rawSvc {
		idx[name] = int32(k)
	}
	for _, st := range stats {
		k, ok := idx[st.Name]
		if !ok {
			k = -1
		}
		name := textsafe.Clean(st.Name)
		p := style.Paint{}
		if k >= 0 {
			p = s.st.P.Service(s.td.hue[k])
		}
		mark := " "
		if k >= 0 && k == s.service {
			mark = "*"
		}
		errs := format.CountFit(st.Errors, 5)
		if st.Errors > 0 {
			errs = s.st.P.Err.S(padLeft(errs, 5))
		} else {
			errs = padLeft(errs, 5)
		}
		text := mark + p.S(padRight(ansi.Truncate(name, nameW, "…"), nameW)) + " " +
			padLeft(format.CountFit(st.Count, 6), 6) + " " + errs + " " +
			padLeft(format.Duration(st.Total), 7) + " " + padLeft(format.Duration(st.Self), 7) + " " +
			padLeft(strconv.FormatFloat(100*st.SelfFraction, 'f', 1, 64)+"%", 6)
		lines = append(lines, paneLine{text: ansi.Truncate(text, w, ""), copy: name, span: -1, service: k})
	}
	return lines
}

func cmpDesc(a, b int64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

func (s *state) warningLines(w int) []paneLine {
	var ws []string
	if s.an != nil {
		ws = s.an.warnings
	} else {
		for _, x := range s.trace.Warnings {
			ws = append(ws, textsafe.Clean(x))
		}
		for _, x := range s.td.tree.Warnings {
			ws = append(ws, textsafe.Clean(x))
		}
	}
	if len(ws) == 0 {
		return []paneLine{s.plainLine("no warnings", s.st.P.Dim, "", w)}
	}
	var lines []paneLine
	for _, x := range ws {
		for k, part := range wrap(x, max(w-2, 1)) {
			lead := "• "
			if k > 0 {
				lead = "  "
			}
			lines = append(lines, paneLine{text: lead + part, copy: x, span: -1, service: -1})
		}
	}
	if s.an == nil {
		lines = append(lines, s.plainLine("analysing… (skew warnings follow)", s.st.P.Dim, "", w))
	}
	return lines
}

// wrap breaks sanitized text into lines of at most w cells, at spaces when
// it can and anywhere when it must.
func wrap(text string, w int) []string {
	if w <= 0 {
		return nil
	}
	if ansi.StringWidth(text) <= w {
		return []string{text}
	}
	return strings.Split(ansi.Wrap(text, w, ""), "\n")
}
