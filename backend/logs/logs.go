// Package logs finds the application log lines of a trace in log files:
// JSON Lines or logfmt, gzip-compressed or not, told from the content.
//
// A line names its trace and span in any of the spellings loggers use
// (reference: PASTE_FORMATS.md, "Log lines"): traceId, trace_id, traceID,
// trace.id and {"trace":{"id"}}, otelTraceID, X-B3-TraceId, a W3C
// traceparent, Google Cloud's logging.googleapis.com/trace
// (projects/P/traces/<hex>) and Datadog's dd.trace_id (decimal, the low 64
// bits); spans likewise. Its time, level, service and message are taken
// from the usual field names; every other field is kept as a key/value.
//
// # Why no index
//
// A trace is opened long after the files are named, and its ID is known
// only then. Keeping, for every trace, the offsets of its lines would cost
// memory in proportion to the file (about 40 bytes a line in a Go map:
// 400 MB for ten million lines). Instead every Lookup reads the files again,
// looking for the text of the trace ID with bytes.Index over a 1 MiB
// window (hundreds of MB/s) and parsing only the lines that contain it, so
// memory follows the lines of the one trace. gzip cannot seek: a
// compressed file is decompressed again on each Lookup, which bounds its
// speed by inflate's (about 130 MB/s of text here). Pipes and standard
// input can be read only once.
//
// Every string is as the file has it, so untrusted: clean it with
// internal/textsafe before it reaches a terminal.
package logs

import (
	"cmp"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/tracetui/tracetui/backend"
)

// Format is the syntax a line was read in.
type Format uint8

const (
	FormatJSON Format = iota + 1
	// FormatLogfmt is logfmt, or text with key=value pairs in it.
	FormatLogfmt
)

func (f Format) String() string {
	switch f {
	case FormatJSON:
		return "json"
	case FormatLogfmt:
		return "logfmt"
	}
	return "unknown"
}

// Line is one log line of a trace. Its strings are untrusted.
type Line struct {
	// Time is in nanoseconds since the epoch; 0 when the line has none.
	Time int64
	// Level is a canonical name (LevelDebug … LevelFatal) when recognised,
	// else as written; "" when the line has none.
	Level string
	// Error is true for a level of error or worse.
	Error   bool
	Service string
	Message string
	TraceID backend.TraceID
	// SpanID is "" for a line that names no span.
	SpanID backend.SpanID
	// Fields are the line's other fields in line order; nested JSON objects
	// are flattened to dotted keys, arrays kept as JSON text.
	Fields []Field
	Format Format
	// Source is the index of the file in the Set, Number the line's number
	// in it (from 1).
	Source int
	Number int64

	// lowOnly: the line gave only the low 64 bits of its trace ID.
	lowOnly bool
}

// Field is one key/value of a line.
type Field struct {
	Key, Value string
}

// FileStats is what a Lookup read of one file.
type FileStats struct {
	Path string
	Gzip bool
	// Bytes is the size of the text read (after decompression).
	Bytes int64
	Lines int64
	// Unreadable counts lines that are neither JSON (an object) nor logfmt
	// (at least one key=value), told by their shape alone.
	Unreadable int64
	// Malformed counts lines that hold the trace ID's text and have the
	// shape of JSON but do not parse.
	Malformed int64
	// TooLong counts lines over MaxLineBytes, skipped unread.
	TooLong int64
	// Matched counts the lines of the trace.
	Matched int64
}

// Result is the log lines of one trace.
type Result struct {
	TraceID backend.TraceID
	// Lines are in time order; lines without a time come last, in file order.
	Lines []Line
	Files []FileStats
	// Dropped counts lines of the trace not kept, past Options.MaxLines or
	// Options.MaxBytes.
	Dropped int64
	// Warnings say what could not be read (a truncated gzip file, a read
	// error): the lines before it are kept.
	Warnings []string
}

// ErrorCount is the number of lines of level error or worse.
func (r *Result) ErrorCount() int {
	n := 0
	for i := range r.Lines {
		if r.Lines[i].Error {
			n++
		}
	}
	return n
}

// Groups sorts a trace's lines by span: indexes into Result.Lines, each
// list in time order.
type Groups struct {
	BySpan map[backend.SpanID][]int
	// Trace holds the lines that name no span, or a span not in the trace.
	Trace []int
}

// Group sorts the lines by the spans of the trace. spanIDs are the trace's
// span IDs (16 hex, as the backend gives them).
func (r *Result) Group(spanIDs []backend.SpanID) Groups {
	in := make(map[backend.SpanID]bool, len(spanIDs))
	for _, id := range spanIDs {
		in[id] = true
	}
	g := Groups{BySpan: map[backend.SpanID][]int{}}
	for i := range r.Lines {
		id := r.Lines[i].SpanID
		if id != "" && in[id] {
			g.BySpan[id] = append(g.BySpan[id], i)
		} else {
			g.Trace = append(g.Trace, i)
		}
	}
	return g
}

// GroupTrace is Group with the span IDs of t.
func (r *Result) GroupTrace(t *backend.Trace) Groups {
	ids := make([]backend.SpanID, len(t.Spans))
	for i := range t.Spans {
		ids[i] = t.Spans[i].SpanID
	}
	return r.Group(ids)
}

// sortLines puts lines in time order, those without a time last, ties in
// file order. It sorts small keys rather than the lines (a Line is ~150
// bytes) and returns at once for lines already in order, as log files
// nearly are.
func sortLines(lines []Line) []Line {
	less := func(a, b *Line) int {
		if (a.Time == 0) != (b.Time == 0) {
			if a.Time == 0 {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(a.Time, b.Time), cmp.Compare(a.Source, b.Source), cmp.Compare(a.Number, b.Number))
	}
	sorted := true
	for i := 1; i < len(lines) && sorted; i++ {
		sorted = less(&lines[i-1], &lines[i]) <= 0
	}
	if sorted {
		return lines
	}
	idx := make([]int32, len(lines))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(a, b int32) int { return less(&lines[a], &lines[b]) })
	out := make([]Line, len(lines))
	for i, j := range idx {
		out[i] = lines[j]
	}
	return out
}

// Unreadable sums the lines of all files that were neither JSON nor logfmt.
func (r *Result) Unreadable() int64 {
	var n int64
	for _, f := range r.Files {
		n += f.Unreadable + f.Malformed
	}
	return n
}

// LinesRead sums the lines of all files.
func (r *Result) LinesRead() int64 {
	var n int64
	for _, f := range r.Files {
		n += f.Lines
	}
	return n
}

// Summary says in one line what was read, for a status bar or a report:
// "12 lines (2 errors); 1,204,311 lines read in app.log, 3 not JSON or
// logfmt". It names the files as given: clean it before display.
func (r *Result) Summary() string {
	var b strings.Builder
	b.WriteString(plural(int64(len(r.Lines)), "line"))
	if e := r.ErrorCount(); e > 0 {
		b.WriteString(" (" + plural(int64(e), "error") + ")")
	}
	b.WriteString("; " + plural(r.LinesRead(), "line") + " read")
	switch n := len(r.Files); {
	case n > 3:
		b.WriteString(" in " + strconv.Itoa(n) + " files")
	case n > 0:
		names := make([]string, n)
		for i, f := range r.Files {
			names[i] = filepath.Base(f.Path)
		}
		b.WriteString(" in " + strings.Join(names, ", "))
	}
	if u := r.Unreadable(); u > 0 {
		b.WriteString(", " + thousands(u) + " not JSON or logfmt")
	}
	var long int64
	for _, f := range r.Files {
		long += f.TooLong
	}
	if long > 0 {
		b.WriteString(", " + thousands(long) + " too long")
	}
	if r.Dropped > 0 {
		b.WriteString(", " + thousands(r.Dropped) + " more of this trace not kept")
	}
	return b.String()
}

func plural(n int64, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return thousands(n) + " " + word + "s"
}

// thousands writes n with commas.
func thousands(n int64) string {
	if n < 0 {
		return "-" + thousands(-n)
	}
	s := strconv.FormatInt(n, 10)
	var out []byte
	for i := 0; i < len(s); i++ {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
