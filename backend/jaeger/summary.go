package jaeger

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/tracetui/tracetui/backend"
)

// wireSummary is one trace of /api/v3/trace-summaries. Its numbers are
// read as given and checked (summary): proto3 JSON writes 64-bit integers
// as strings, and a server may write anything there.
type wireSummary struct {
	TraceID           string  `json:"traceId"`
	RootServiceName   string  `json:"rootServiceName"`
	RootOperationName string  `json:"rootOperationName"`
	MinStart          wireNum `json:"minStartTimeUnixNano"`
	MaxEnd            wireNum `json:"maxEndTimeUnixNano"`
	SpanCount         wireNum `json:"spanCount"`
	ErrorSpanCount    wireNum `json:"errorSpanCount"`
	Services          []struct {
		Name           string  `json:"name"`
		SpanCount      wireNum `json:"spanCount"`
		ErrorSpanCount wireNum `json:"errorSpanCount"`
	} `json:"services"`
}

// wireNum is a JSON number or a number in a string, kept as written.
type wireNum struct {
	raw string
	set bool
}

func (n *wireNum) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
	}
	*n = wireNum{raw: s, set: s != "" && s != "null"}
	return nil
}

// int reads n as a whole number. ok is false when it is set and is not one
// that fits: NaN, infinite, fractional, out of int64's range, not a number.
func (n wireNum) int() (v int64, ok bool) {
	if !n.set {
		return 0, true
	}
	if v, err := strconv.ParseInt(n.raw, 10, 64); err == nil {
		return v, true
	}
	f, err := strconv.ParseFloat(n.raw, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return 0, false
	}
	return int64(f), true
}

// summary converts a wire summary, reporting numbers that cannot be as
// unknown (TraceSummary.Unknown) with a warning each, instead of printing
// -9223372036854775808 spans or a start in 1677.
func (w wireSummary) summary() backend.TraceSummary {
	sum := backend.TraceSummary{
		TraceID:       backend.TraceIDFromWire(w.TraceID),
		RootService:   w.RootServiceName,
		RootOperation: w.RootOperationName,
	}
	warn := func(format string, a ...any) {
		sum.Warnings = append(sum.Warnings, fmt.Sprintf("trace %s: ", sum.TraceID.Short())+fmt.Sprintf(format, a...))
	}
	count := func(name string, n wireNum) (int, bool) {
		v, ok := n.int()
		if !ok || v < 0 || v > math.MaxInt32 {
			warn("%s %s is not a count; shown as unknown", name, quoted(n.raw))
			return 0, false
		}
		return int(v), true
	}
	// A start in nanoseconds since the epoch: after 1970 and within what
	// 64 bits hold (the year 2262).
	timeOf := func(name string, n wireNum) (int64, bool) {
		v, ok := n.int()
		if !ok || v < 0 {
			warn("%s %s is not a time; shown as unknown", name, quoted(n.raw))
			return 0, false
		}
		return v, true
	}

	var ok bool
	if sum.SpanCount, ok = count("spanCount", w.SpanCount); !ok {
		sum.Unknown |= backend.SummarySpanCount
	}
	spansKnown := ok && w.SpanCount.set
	if sum.ErrorCount, ok = count("errorSpanCount", w.ErrorSpanCount); !ok {
		sum.Unknown |= backend.SummaryErrorCount
	} else if spansKnown && sum.ErrorCount > sum.SpanCount {
		warn("errorSpanCount %d is more than spanCount %d; shown as unknown", sum.ErrorCount, sum.SpanCount)
		sum.ErrorCount = 0
		sum.Unknown |= backend.SummaryErrorCount
	}
	start, startOK := timeOf("minStartTimeUnixNano", w.MinStart)
	end, endOK := timeOf("maxEndTimeUnixNano", w.MaxEnd)
	if startOK {
		sum.Start = start
	} else {
		sum.Unknown |= backend.SummaryStart
	}
	switch {
	case !startOK || !endOK:
		sum.Unknown |= backend.SummaryDuration
	case w.MinStart.set && w.MaxEnd.set && end < start:
		warn("it ends before it starts; its duration is shown as unknown")
		sum.Unknown |= backend.SummaryDuration
	case w.MaxEnd.set:
		sum.Duration = end - start
	}
	for _, sv := range w.Services {
		sc := backend.ServiceCount{Name: sv.Name}
		sc.SpanCount, _ = count("service spanCount", sv.SpanCount)
		sc.ErrorCount, _ = count("service errorSpanCount", sv.ErrorSpanCount)
		sum.Services = append(sum.Services, sc)
	}
	return sum
}

// quoted shows a server's number text, cut and quoted.
func quoted(raw string) string {
	return strconv.Quote(backend.Excerpt([]byte(raw), 24))
}
