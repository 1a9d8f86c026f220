package trace

import (
	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/internal/present"
	"github.com/tracetui/tracetui/internal/textsafe"
	"github.com/tracetui/tracetui/tui/internal/widget"
)

// Columns of the services table.
const (
	svcColName = iota
	svcColCount
	svcColErrors
	svcColTotal
	svcColSelf
	svcColShare
)

// newServiceTable is the services pane's table, sorted by self time; the
// sort key cycles self, total, count, errors, name.
func newServiceTable() widget.Table {
	return widget.Table{
		Columns: []widget.Column{
			{Title: "service", MinWidth: 6, Sort: true, Text: true},
			{Title: "count", Width: 6, Right: true, Sort: true},
			{Title: "err", Width: 5, Right: true, Sort: true},
			{Title: "total", Width: 7, Right: true, Sort: true},
			{Title: "self", Width: 7, Right: true, Sort: true},
			{Title: "self%", Width: 6, Right: true},
		},
		SortBy: svcColSelf,
		Cycle:  []int{svcColSelf, svcColTotal, svcColCount, svcColErrors, svcColName},
	}
}

// servicesTitle names the denominator of self%: all self time exceeds the
// trace's duration when spans run in parallel.
func servicesTitle(_ *pane, c paneCtx) string {
	if c.rd.an == nil {
		return "Services"
	}
	return "Services · self% of " + format.Duration(present.SelfTotal(c.rd.an.stats.Services)) + " self time"
}

// serviceLines is the services table: enter filters the waterfall by the
// service under the cursor (marked *), y copies its name.
func serviceLines(p *pane, c paneCtx, w int) []paneLine {
	an, td := c.rd.an, c.rd.td
	if an == nil {
		return []paneLine{plainLine("analysing…", c.st.P.Dim, "", w)}
	}
	idx := make(map[string]int32, len(td.rawSvc))
	for k, name := range td.rawSvc {
		idx[name] = int32(k)
	}
	rows := make([]widget.Row, 0, len(an.stats.Services))
	for _, st := range an.stats.Services {
		k, ok := idx[st.Name]
		if !ok {
			k = -1
		}
		name := textsafe.Clean(st.Name)
		if k >= 0 {
			name = c.st.P.Service(td.hue[k]).S(name)
		}
		errs := format.CountFit(st.Errors, 5)
		if st.Errors > 0 {
			errs = c.st.P.Err.S(errs)
		}
		rows = append(rows, widget.Row{
			Cells: []string{name, format.CountFit(st.Count, 6), errs, format.Duration(st.Total),
				format.Duration(st.Self), present.Share(st.SelfFraction)},
			Keys: []int64{0, int64(st.Count), int64(st.Errors), st.Total, st.Self, 0},
			Text: st.Name, Data: int(k),
		})
	}
	t := &p.services
	t.SetRows(rows)
	lines := []paneLine{{text: c.st.P.Bold.S(t.Header(w)), span: -1, service: -1}}
	for k, r := range t.Rows() {
		mark := " "
		if r.Data >= 0 && int32(r.Data) == c.service {
			mark = "*"
		}
		lines = append(lines, paneLine{text: t.Line(k, mark, w), copy: textsafe.Clean(r.Text), span: -1, service: int32(r.Data)})
	}
	return lines
}
