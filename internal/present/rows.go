package present

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/tracetui/tracetui/analysis"
)

// CriticalSpan is one span's share of the critical path: its time on the
// path (CriticalPath.SpanTime, summed once by the analysis) over how many
// sections.
type CriticalSpan struct {
	Span     int32
	Time     int64
	Sections int
}

// CriticalBySpan lists the spans of the critical path by their time on it,
// most first; ties keep the order of their first section. Both `show`'s
// "where the time went" and the TUI's critical pane by span read it.
func CriticalBySpan(cp *analysis.CriticalPath) []CriticalSpan {
	if cp == nil {
		return nil
	}
	at := make(map[int32]int, len(cp.Spans))
	out := make([]CriticalSpan, 0, len(cp.Spans))
	for _, sec := range cp.Sections {
		i := sec.Span
		if i < 0 || int(i) >= len(cp.SpanTime) {
			continue
		}
		k, ok := at[i]
		if !ok {
			k = len(out)
			at[i] = k
			out = append(out, CriticalSpan{Span: i, Time: cp.SpanTime[i]})
		}
		out[k].Sections++
	}
	slices.SortStableFunc(out, func(a, b CriticalSpan) int { return cmp.Compare(b.Time, a.Time) })
	return out
}

// ServiceSort is a column the service table is sorted by: the largest
// first, except by name.
type ServiceSort int

// Sort columns of the service table, in the order the TUI cycles them.
const (
	BySelf ServiceSort = iota
	ByTotal
	ByCount
	ByErrors
	ByName
	serviceSorts
)

// Next is the column after s, cycling.
func (s ServiceSort) Next() ServiceSort { return (s + 1) % serviceSorts }

// ServiceRows returns the services sorted by the column; ties go by name,
// so that the order is total.
func ServiceRows(services []analysis.ServiceStat, by ServiceSort) []analysis.ServiceStat {
	out := slices.Clone(services)
	slices.SortStableFunc(out, func(a, b analysis.ServiceStat) int {
		var c int
		switch by {
		case ByTotal:
			c = cmp.Compare(b.Total, a.Total)
		case ByCount:
			c = cmp.Compare(b.Count, a.Count)
		case ByErrors:
			c = cmp.Compare(b.Errors, a.Errors)
		case ByName:
		default:
			c = cmp.Compare(b.Self, a.Self)
		}
		if c == 0 {
			c = strings.Compare(a.Name, b.Name)
		}
		return c
	})
	return out
}

// SelfTotal is all spans' self time, the denominator of every self share
// (Stats.SelfFraction): it is not the trace's duration, since parallel
// spans make it longer and spans outside any root add to it. The tables
// name it.
func SelfTotal(services []analysis.ServiceStat) int64 {
	var all int64
	for _, s := range services {
		all = Add(all, s.Self)
	}
	return all
}

// Share writes a fraction (0..1, Stats.SelfFraction) as Percent does:
// "95.0%".
func Share(f float64) string {
	return strconv.FormatFloat(100*f, 'f', 1, 64) + "%"
}
