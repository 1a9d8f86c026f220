package trace

import (
	"strconv"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/internal/present"
	"github.com/tracetui/tracetui/tui/internal/widget"
)

// Orders of the critical-path pane, switched by the sort key: the sections
// in time order (as DESIGN shows the path), or one line per span with its
// critical time, most first, so that the span that matters on a big trace
// is at the top instead of among hundreds of 0.0% sections.
const (
	critByTime = iota
	critBySpan
	critModes
)

func criticalTitle(p *pane, _ paneCtx) string {
	if p.critSort == critBySpan {
		return "Critical path · by span"
	}
	return "Critical path · by time"
}

// criticalLines lists the critical path. Shares are of the path's length,
// not the trace's duration: a trace that outlasts its root or has several
// roots would otherwise show shares that do not add up to 100%. The
// summary names the length.
func criticalLines(p *pane, c paneCtx, w int) []paneLine {
	an := c.rd.an
	if an == nil || an.critical == nil {
		return []paneLine{plainLine("analysing…", c.st.P.Dim, "", w)}
	}
	cp := an.critical
	total := an.critLen
	lines := make([]paneLine, 0, len(cp.Sections)+1)
	lines = append(lines, plainLine(
		plural(len(cp.Sections), "section")+" · "+plural(len(cp.Spans), "span")+" · "+format.Duration(total)+" = 100%",
		c.st.P.Dim, "", w))
	lines = append(lines, coverageLines(c, w)...)
	nameW := max(w-1-7-1-6-1, 1)
	n := int32(len(c.rd.td.svc))
	if p.critSort == critBySpan {
		for _, a := range present.CriticalBySpan(cp) {
			if a.Span >= n {
				continue
			}
			note := ""
			if a.Sections > 1 {
				note = " ×" + strconv.Itoa(a.Sections)
			}
			lines = append(lines, criticalLine(c, a.Span, a.Time, total, note, nameW))
		}
		return lines
	}
	for _, sec := range cp.Sections {
		if sec.Span < 0 || sec.Span >= n {
			continue
		}
		lines = append(lines, criticalLine(c, sec.Span, present.Sub(sec.End, sec.Start), total, "", nameW))
	}
	return lines
}

// criticalLine is span i with d of critical time out of total; note (plain,
// may be "") follows the operation.
func criticalLine(c paneCtx, i int32, d, total int64, note string, nameW int) paneLine {
	td := c.rd.td
	k := td.svc[i]
	svc, _, op, _ := widget.FitPair(td.services[k], td.svcW[k], td.ops[i], int(td.opW[i]), max(nameW-ansi.StringWidth(note), 1))
	text := " " + widget.PadLeft(format.Duration(d), 7) + " " + widget.PadLeft(present.Percent(d, total), 6) + " " +
		c.st.P.Service(td.hue[k]).S(svc) + " " + op + c.st.P.Dim.S(note)
	return paneLine{text: text, copy: td.spanIDs[i], span: i, service: -1}
}
