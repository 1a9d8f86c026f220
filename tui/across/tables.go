package across

import (
	"fmt"
	"math"
	"strconv"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/internal/textsafe"
	"github.com/tracetui/tracetui/tui/internal/widget"
)

const (
	sel  = analysis.SideA
	base = analysis.SideB
)

// initTables sets each section's columns. Every number column sorts (o);
// the time sections start sorted by Δ, the analysis's own order.
func (s *state) initTables() {
	timeCols := func(name string) []widget.Column {
		return []widget.Column{
			{Title: name, MinWidth: 12, Text: true, Sort: true},
			{Title: "selected", Width: 8, Right: true, Sort: true},
			{Title: "baseline", Width: 8, Right: true, Sort: true},
			{Title: "Δ", Width: 8, Right: true, Sort: true},
			{Title: "in traces", Width: 13, Right: true, Sort: true},
		}
	}
	s.tables[tabOperations] = widget.Table{Columns: timeCols("operation · critical path per trace"), SortBy: 3}
	s.tables[tabServices] = widget.Table{Columns: timeCols("service · critical path per trace"), SortBy: 3}
	s.tables[tabAttributes] = widget.Table{Columns: []widget.Column{
		{Title: "attribute", MinWidth: 12, Text: true, Sort: true},
		{Title: "score", Width: 6, Right: true, Sort: true},
		{Title: "selected", Width: 8, Right: true, Sort: true},
		{Title: "baseline", Width: 8, Right: true, Sort: true},
	}, SortBy: 1}
	s.tables[tabErrors] = widget.Table{Columns: []widget.Column{
		{Title: "error origin", MinWidth: 12, Text: true, Sort: true},
		{Title: "count", Width: 6, Right: true, Sort: true},
		{Title: "traces", Width: 7, Right: true, Sort: true},
		{Title: "selected", Width: 8, Right: true, Sort: true},
		{Title: "message", Width: 20},
	}, SortBy: 2}
	s.tables[tabBottlenecks] = widget.Table{Columns: []widget.Column{
		{Title: "bottleneck · spans > 2× trace's avg", MinWidth: 12, Text: true, Sort: true},
		{Title: "selected", Width: 10, Right: true, Sort: true},
		{Title: "avg", Width: 7, Right: true, Sort: true},
		{Title: "baseline", Width: 10, Right: true, Sort: true},
		{Title: "avg", Width: 7, Right: true, Sort: true},
	}, SortBy: 1}
}

// id is the stable identity of a row (Row.Data) across results.
func (s *state) id(t tab, parts ...string) int {
	k := strconv.Itoa(int(t))
	for _, p := range parts {
		k += "\x00" + p
	}
	if v, ok := s.ids[k]; ok {
		return v
	}
	v := len(s.ids) + 1
	s.ids[k] = v
	return v
}

// opName is "service operation", cleaned.
func opName(service, operation string) string {
	if operation == "" {
		return textsafe.Clean(service)
	}
	return textsafe.Clean(service) + " " + textsafe.Clean(operation)
}

// delta is a − b with its sign, red when the selection spends more.
func (s *state) delta(a, b int64) string {
	d := a - b
	switch {
	case d > 0:
		return s.st.P.Err.S("+" + format.Duration(d))
	case d < 0:
		return s.st.P.OK.S("-" + format.Duration(-d))
	}
	return "0"
}

func pct(f float64) string { return strconv.Itoa(int(math.Round(f*100))) + "%" }

// rebuild fills every section from the result; the cursors stay on their
// rows.
func (s *state) rebuild() {
	r := s.res
	if r == nil {
		return
	}
	nSel, nBase := len(r.Selected), len(r.Baseline)
	timeRows := func(t tab, rows []analysis.CriticalRow) {
		out := make([]widget.Row, 0, len(rows))
		for _, c := range rows {
			id := s.id(t, c.Service, c.Operation)
			s.examples[id] = c.Example
			out = append(out, widget.Row{
				Cells: []string{opName(c.Service, c.Operation), format.Duration(c.Avg[sel]), format.Duration(c.Avg[base]),
					s.delta(c.Avg[sel], c.Avg[base]),
					fmt.Sprintf("%d/%d %d/%d", c.Traces[sel], nSel, c.Traces[base], nBase)},
				Keys: []int64{0, c.Avg[sel], c.Avg[base], c.Avg[sel] - c.Avg[base], int64(c.Traces[sel])},
				Text: opName(c.Service, c.Operation), Data: id,
			})
		}
		s.setRows(t, out)
	}
	timeRows(tabOperations, r.Operations)
	timeRows(tabServices, r.Services)

	attrs := make([]widget.Row, 0, len(r.Attributes))
	for _, a := range r.Attributes {
		name := textsafe.Clean(a.Key) + "=" + textsafe.Clean(a.Value)
		if a.HighCardinality {
			n := strconv.Itoa(a.DistinctValues)
			if a.MoreValues {
				n = "over " + n
			}
			name = textsafe.Clean(a.Key) + " (any of " + n + " values)"
		}
		id := s.id(tabAttributes, a.Key, a.Value)
		s.examples[id] = a.Example
		score := fmt.Sprintf("%+.2f", a.Score)
		if a.Score > 0 {
			score = s.st.P.Err.S(score)
		}
		attrs = append(attrs, widget.Row{
			Cells: []string{name, score, pct(a.Share[sel]), pct(a.Share[base])},
			Keys:  []int64{0, int64(math.Round(math.Abs(a.Score) * 1e6)), int64(a.Traces[sel]), int64(a.Traces[base])},
			Text:  name, Data: id,
		})
	}
	s.setRows(tabAttributes, attrs)

	origins := make([]widget.Row, 0, len(r.ErrorOrigins))
	for _, o := range r.ErrorOrigins {
		id := s.id(tabErrors, o.Service, o.Operation)
		s.examples[id] = o.Example
		count, traces := o.Count[sel]+o.Count[base], o.Traces[sel]+o.Traces[base]
		name := opName(o.Service, o.Operation)
		origins = append(origins, widget.Row{
			Cells: []string{s.st.P.Err.S("✗ ") + name, strconv.Itoa(count), strconv.Itoa(traces),
				fmt.Sprintf("%d/%d", o.Traces[sel], nSel), textsafe.Clean(o.Message)},
			Keys: []int64{0, int64(count), int64(traces), int64(o.Traces[sel])},
			Text: name, Data: id,
		})
	}
	s.setRows(tabErrors, origins)

	slow := make([]widget.Row, 0, len(r.Bottlenecks))
	for _, b := range r.Bottlenecks {
		id := s.id(tabBottlenecks, b.Service, b.Operation)
		s.examples[id] = b.Example
		name := opName(b.Service, b.Operation)
		slow = append(slow, widget.Row{
			Cells: []string{name, fmt.Sprintf("%d in %d", b.Occurrences[sel], b.Traces[sel]), format.Duration(b.AvgDuration[sel]),
				fmt.Sprintf("%d in %d", b.Occurrences[base], b.Traces[base]), format.Duration(b.AvgDuration[base])},
			Keys: []int64{0, int64(b.Occurrences[sel]), b.AvgDuration[sel], int64(b.Occurrences[base]), b.AvgDuration[base]},
			Text: name, Data: id,
		})
	}
	s.setRows(tabBottlenecks, slow)

	s.tree.setResult(r, s.rowsH())
	rows := s.rowsH()
	for t := range s.tables {
		s.tables[t].Win.Fix(s.tables[t].Len(), rows)
	}
}

// setRows replaces a section's rows. The cursor follows its row once the
// user moved it; until then it stays on the top row while traces arrive.
func (s *state) setRows(t tab, rows []widget.Row) {
	top := s.tables[t].Win.Cursor == 0
	s.tables[t].SetRows(rows)
	if top {
		s.tables[t].Win = widget.Window{}
	}
}
