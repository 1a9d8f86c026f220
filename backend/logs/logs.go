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
// memory in proportion to the file (measured: 22 bytes a line with 16-byte
// keys and 32-bit offsets at ten lines a trace, so 220 MB for ten million
// lines), and a first pass that parses every line. Instead every Lookup
// reads the files again, looking for the text of the trace ID in all its
// spellings at once (needle.go) at about 2 GB/s of CPU, and parses only
// the lines that contain it, so memory follows the lines of the one trace
// (plus a 1 MiB window). The ID is looked for in lower and upper case and
// in decimal (Datadog); one written in mixed case or base64 is not found.
// gzip cannot seek: a compressed file is inflated
// again on each Lookup, which bounds its speed by inflate's (about
// 350 MB/s of text per CPU here); the caller shows progress and can
// cancel. Pipes and standard input can be read only once.
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

// detach copies the line's strings, so that it no longer shares the memory
// of the text it was read from.
func (l *Line) detach() {
	l.Level, l.Service, l.Message = strings.Clone(l.Level), strings.Clone(l.Service), strings.Clone(l.Message)
	l.TraceID, l.SpanID = backend.TraceID(strings.Clone(string(l.TraceID))), backend.SpanID(strings.Clone(string(l.SpanID)))
	fs := make([]Field, len(l.Fields))
	for i, f := range l.Fields {
		fs[i] = Field{Key: strings.Clone(f.Key), Value: strings.Clone(f.Value)}
	}
	l.Fields = fs
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

// lineKey is what lines are ordered by, apart from the lines: a Line is
// ~150 bytes, and sorting keys touches a sixth of the memory.
type lineKey struct {
	time   int64
	number int64
	source int32
	idx    int32
}

func compareKeys(a, b lineKey) int {
	if (a.time == 0) != (b.time == 0) {
		if a.time == 0 {
			return 1
		}
		return -1
	}
	return cmp.Or(cmp.Compare(a.time, b.time), cmp.Compare(a.source, b.source), cmp.Compare(a.number, b.number))
}

// lineStore keeps a lookup's lines in blocks that never move, then hands
// them out in time order in one exact-size slice: one copy of each line
// however many there are.
type lineStore struct {
	blocks [][]Line
	n      int
}

const storeBlock = 1024

func (s *lineStore) add(l Line) {
	if k := len(s.blocks); k == 0 || len(s.blocks[k-1]) == storeBlock {
		s.blocks = append(s.blocks, make([]Line, 0, storeBlock))
	}
	k := len(s.blocks) - 1
	s.blocks[k] = append(s.blocks[k], l)
	s.n++
}

func (s *lineStore) at(i int) *Line { return &s.blocks[i/storeBlock][i%storeBlock] }

// sorted returns the lines in time order, those without a time last, ties
// in file order (source and line number make every key distinct, so the
// order is total), and empties the store.
func (s *lineStore) sorted() []Line {
	keys := make([]lineKey, s.n)
	inOrder := true
	for i := range keys {
		l := s.at(i)
		keys[i] = lineKey{time: l.Time, number: l.Number, source: int32(l.Source), idx: int32(i)}
		if i > 0 && inOrder && compareKeys(keys[i-1], keys[i]) > 0 {
			inOrder = false
		}
	}
	if !inOrder {
		slices.SortFunc(keys, compareKeys)
	}
	out := make([]Line, s.n)
	for i, k := range keys {
		out[i] = *s.at(int(k.idx))
	}
	s.blocks, s.n = nil, 0
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
