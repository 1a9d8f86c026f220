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

// ServiceSort is a column the service and operation tables are sorted
// by: the largest first, except by name.
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

// statKeys are the columns of a service or operation row.
type statKeys struct {
	self, total   int64
	count, errors int
	name          string
}

// sortStats sorts rows by a column; ties go by name, so that the order is
// total.
func sortStats[T any](rows []T, by ServiceSort, keys func(T) statKeys) []T {
	out := slices.Clone(rows)
	slices.SortStableFunc(out, func(x, y T) int {
		a, b := keys(x), keys(y)
		var c int
		switch by {
		case ByTotal:
			c = cmp.Compare(b.total, a.total)
		case ByCount:
			c = cmp.Compare(b.count, a.count)
		case ByErrors:
			c = cmp.Compare(b.errors, a.errors)
		case ByName:
		default:
			c = cmp.Compare(b.self, a.self)
		}
		if c == 0 {
			c = strings.Compare(a.name, b.name)
		}
		return c
	})
	return out
}

// ServiceRows returns the services sorted by a column.
func ServiceRows(services []analysis.ServiceStat, by ServiceSort) []analysis.ServiceStat {
	return sortStats(services, by, func(s analysis.ServiceStat) statKeys {
		return statKeys{s.Self, s.Total, s.Count, s.Errors, s.Name}
	})
}

// OperationRows returns the operations sorted by a column; by name is by
// service, then operation.
func OperationRows(ops []analysis.OperationStat, by ServiceSort) []analysis.OperationStat {
	return sortStats(ops, by, func(o analysis.OperationStat) statKeys {
		return statKeys{o.Self, o.Total, o.Count, o.Errors, o.Service + "\x00" + o.Name}
	})
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
