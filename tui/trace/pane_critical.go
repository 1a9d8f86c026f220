package trace

import (
	"strconv"
	"strings"

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
	// A million-span trace's path has tens of thousands of sections over
	// a few names: each name is fitted to the width once.
	fit := make(map[fitKey]fitted)
	if p.critSort == critBySpan {
		for _, a := range present.CriticalBySpan(cp) {
			if a.Span >= n {
				continue
			}
			note := ""
			if a.Sections > 1 {
				note = " ×" + strconv.Itoa(a.Sections)
			}
			lines = append(lines, criticalLine(c, fit, a.Span, a.Time, total, note, nameW))
		}
		return lines
	}
	for _, sec := range cp.Sections {
		if sec.Span < 0 || sec.Span >= n {
			continue
		}
		lines = append(lines, criticalLine(c, fit, sec.Span, present.Sub(sec.End, sec.Start), total, "", nameW))
	}
	return lines
}

// fitKey names a service and operation (interned: equal names share one
// string) fitted to the name column with a note after them; fitted is the
// result, painted.
type (
	fitKey struct {
		svc      int32
		op, note string
	}
	fitted struct{ svc, op string }
)

// criticalLine is span i with d of critical time out of total; note (plain,
// may be "") follows the operation. fit remembers the fitted names.
func criticalLine(c paneCtx, fit map[fitKey]fitted, i int32, d, total int64, note string, nameW int) paneLine {
	td := c.rd.td
	k := td.svc[i]
	fk := fitKey{k, td.ops[i], note}
	f, ok := fit[fk]
	if !ok {
		svc, _, op, _ := widget.FitPair(td.services[k], td.svcW[k], td.ops[i], int(td.opW[i]), max(nameW-ansi.StringWidth(note), 1))
		f = fitted{c.st.P.Service(td.hue[k]).S(svc), op}
		fit[fk] = f
	}
	text := " " + padNumber(format.Duration(d), 7) + " " + padNumber(present.Percent(d, total), 6) + " " +
		f.svc + " " + f.op + c.st.P.Dim.S(note)
	return paneLine{text: text, copy: td.spanIDs[i], span: i, service: -1}
}

// padNumber is widget.PadLeft for a duration or a share, which are ASCII
// but for the µ of "µs" (two bytes, one cell): measuring their width by
// grapheme was a third of building a big critical path's lines.
func padNumber(s string, w int) string {
	sw := len(s)
	for k := 0; k < len(s); k++ {
		switch c := s[k]; {
		case c == 0xc2 && k+1 < len(s) && s[k+1] == 0xb5:
			sw--
			k++
		case c >= 0x80 || c < 0x20:
			return widget.PadLeft(s, w)
		}
	}
	if sw >= w {
		return widget.PadLeft(s, w)
	}
	return strings.Repeat(" ", w-sw) + s
}
