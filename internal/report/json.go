// Package report prints traces and search results for `tracetui show` and
// `tracetui search`: the JSON schemas of docs/ARCHITECTURE.md, which
// scripts rely on, and text for people. The text paints what
// internal/present decides with internal/style's sheet, as the TUI does.
//
// Value or pointer: it reads the analysis through a pointer and never
// changes it; options and rows are values.
package report

import (
	"encoding/json"
	"io"
	"math"
	"time"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/textsafe"
)

// ShowTrace is the `show --output json` object (DESIGN.md).
type ShowTrace struct {
	TraceID        string        `json:"traceID"`
	SpanCount      int           `json:"spanCount"`
	ServiceCount   int           `json:"serviceCount"`
	DurationMicros int64         `json:"durationMicros"`
	RootSpanIDs    []string      `json:"rootSpanIDs"`
	Services       []ServiceJSON `json:"services"`
	Operations     []OpJSON      `json:"operations"`
	CriticalPath   []SectionJSON `json:"criticalPath"`
	ErrorSpanIDs   []string      `json:"errorSpanIDs"`
	ErrorOrigin    *string       `json:"errorOrigin"`
	Warnings       []string      `json:"warnings"`
	// SpanID is the span the input named (a traceparent, a uiFind), when
	// it is in the trace; absent otherwise.
	SpanID *string `json:"spanID,omitempty"`
}

// ServiceJSON is one service's row.
type ServiceJSON struct {
	Name        string `json:"name"`
	SpanCount   int    `json:"spanCount"`
	ErrorCount  int    `json:"errorCount"`
	TotalMicros int64  `json:"totalMicros"`
	SelfMicros  int64  `json:"selfMicros"`
}

// OpJSON is one operation's row.
type OpJSON struct {
	Service     string `json:"service"`
	Name        string `json:"name"`
	Count       int    `json:"count"`
	ErrorCount  int    `json:"errorCount"`
	TotalMicros int64  `json:"totalMicros"`
	SelfMicros  int64  `json:"selfMicros"`
	MinMicros   int64  `json:"minMicros"`
	MaxMicros   int64  `json:"maxMicros"`
}

// SectionJSON is one critical-path section, offsets from the trace start.
type SectionJSON struct {
	SpanID      string `json:"spanID"`
	Service     string `json:"service"`
	Operation   string `json:"operation"`
	StartMicros int64  `json:"startMicros"`
	EndMicros   int64  `json:"endMicros"`
}

func micros(ns int64) int64 { return ns / int64(time.Microsecond) }

// span is end-start, saturated: hostile timestamps near both ends of int64
// would otherwise wrap around to a negative duration.
func span(start, end int64) int64 {
	d := end - start
	if d < 0 && end > start {
		return math.MaxInt64
	}
	return max(d, 0)
}

// BuildShow fills the show object from an analysis. Strings are left as the
// trace has them: JSON escaping makes them safe, and scripts want them exact.
func BuildShow(a *analysis.Analysis) ShowTrace {
	tr := a.Tree
	t := tr.Trace
	out := ShowTrace{
		TraceID:        string(t.ID),
		SpanCount:      len(t.Spans),
		ServiceCount:   len(a.Stats.Services),
		DurationMicros: micros(span(tr.Start, tr.End)),
		RootSpanIDs:    []string{},
		Services:       []ServiceJSON{},
		Operations:     []OpJSON{},
		CriticalPath:   []SectionJSON{},
		ErrorSpanIDs:   []string{},
		Warnings:       []string{},
	}
	if len(t.Spans) == 0 {
		out.DurationMicros = 0
	}
	for _, r := range tr.Roots {
		out.RootSpanIDs = append(out.RootSpanIDs, string(tr.SpanIDs[r]))
	}
	for _, s := range a.Stats.Services {
		out.Services = append(out.Services, ServiceJSON{
			Name: s.Name, SpanCount: s.Count, ErrorCount: s.Errors,
			TotalMicros: micros(s.Total), SelfMicros: micros(s.Self),
		})
	}
	for _, o := range a.Stats.Operations {
		out.Operations = append(out.Operations, OpJSON{
			Service: o.Service, Name: o.Name, Count: o.Count, ErrorCount: o.Errors,
			TotalMicros: micros(o.Total), SelfMicros: micros(o.Self),
			MinMicros: micros(o.Min), MaxMicros: micros(o.Max),
		})
	}
	if a.Critical != nil {
		for _, sec := range a.Critical.Sections {
			s := &t.Spans[sec.Span]
			out.CriticalPath = append(out.CriticalPath, SectionJSON{
				SpanID: string(tr.SpanIDs[sec.Span]), Service: s.Service, Operation: s.Operation,
				StartMicros: micros(span(tr.Start, sec.Start)), EndMicros: micros(span(tr.Start, sec.End)),
			})
		}
	}
	for _, i := range tr.Order {
		if t.Spans[i].Error {
			out.ErrorSpanIDs = append(out.ErrorSpanIDs, string(tr.SpanIDs[i]))
		}
	}
	if len(a.Origins) > 0 {
		id := string(tr.SpanIDs[a.Origins[0].Span])
		out.ErrorOrigin = &id
	}
	out.Warnings = append(out.Warnings, t.Warnings...)
	out.Warnings = append(out.Warnings, a.Warnings...)
	return out
}

// ShowJSON writes the show object followed by a newline.
func ShowJSON(w io.Writer, a *analysis.Analysis) error {
	return writeJSON(w, BuildShow(a))
}

// writeJSON indents v and escapes what encoding/json leaves raw (DEL, C1
// and bidi controls), so that the output is safe on a terminal too.
func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	b = append(textsafe.EscapeJSON(b), '\n')
	_, err = w.Write(b)
	return err
}

// SearchResult is the `search --output json` object.
type SearchResult struct {
	Traces []SummaryJSON `json:"traces"`
	// Limit is the number of traces asked for; LimitReached says the search
	// stopped at a limit, so more traces may match.
	Limit        int  `json:"limit"`
	LimitReached bool `json:"limitReached"`
	// CheckedHere are the conditions tracetui checked itself ("error=true")
	// over the Scanned newest traces matching the rest of the search.
	CheckedHere []string `json:"checkedHere"`
	Scanned     int      `json:"scanned"`
	// Notes say what a reader needs to trust the result (per-service
	// searches that failed, why conditions were checked here).
	Notes []string `json:"notes"`
}

// SummaryJSON is one trace of a search.
type SummaryJSON struct {
	TraceID        string             `json:"traceID"`
	RootService    string             `json:"rootService"`
	RootOperation  string             `json:"rootOperation"`
	StartMicros    int64              `json:"startMicros"`
	DurationMicros int64              `json:"durationMicros"`
	SpanCount      int                `json:"spanCount"`
	ErrorCount     int                `json:"errorCount"`
	Services       []ServiceCountJSON `json:"services"`
}

// ServiceCountJSON is a service's span count in a summary.
type ServiceCountJSON struct {
	Name      string `json:"name"`
	SpanCount int    `json:"spanCount"`
}

// SearchJSON writes search results in the DESIGN schema.
func SearchJSON(w io.Writer, res backend.SearchResult) error {
	out := SearchResult{Traces: []SummaryJSON{}, Limit: res.Limit, LimitReached: res.LimitReached,
		CheckedHere: []string{}, Scanned: res.Scanned, Notes: []string{}}
	for _, t := range res.Checked {
		out.CheckedHere = append(out.CheckedHere, t.Key+"="+t.Value)
	}
	out.Notes = append(out.Notes, res.Notes()...)
	for _, s := range res.Traces {
		sj := SummaryJSON{
			TraceID: string(s.TraceID), RootService: s.RootService, RootOperation: s.RootOperation,
			StartMicros: micros(s.Start), DurationMicros: micros(s.Duration),
			SpanCount: s.SpanCount, ErrorCount: s.ErrorCount, Services: []ServiceCountJSON{},
		}
		for _, c := range s.Services {
			sj.Services = append(sj.Services, ServiceCountJSON{Name: c.Name, SpanCount: c.SpanCount})
		}
		out.Traces = append(out.Traces, sj)
	}
	return writeJSON(w, out)
}
