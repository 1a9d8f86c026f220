package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/internal/present"
	"github.com/tracetui/tracetui/internal/textsafe"
)

// spanMarker stands between the name and the bar of the waterfall row of
// the span the input named (TextOptions.Span), pointing at its bar.
const spanMarker = "▶"

// maxValueLines bounds the lines one tag value or log field takes in the
// span detail: a stack trace is worth a screen, not a thousand lines.
const maxValueLines = 20

// FindSpan returns the index of the span with the given ID, or -1: the
// unique ID first (duplicates are renamed by the analysis), then the ID as
// the trace has it.
func FindSpan(a *analysis.Analysis, id backend.SpanID) int32 {
	if id == "" {
		return -1
	}
	for i, u := range a.Tree.SpanIDs {
		if u == id {
			return int32(i)
		}
	}
	for i := range a.Tree.Trace.Spans {
		if a.Tree.Trace.Spans[i].SpanID == id {
			return int32(i)
		}
	}
	return -1
}

// markedRow is the row TextOptions.Span names, or -1.
func markedRow(a *analysis.Analysis, o TextOptions) int32 {
	if o.Span == "" {
		return -1
	}
	return FindSpan(a, o.Span)
}

// ShowJSONSpan is ShowJSON with "spanID", the span the input named (span
// is its index; -1 for none, which leaves the field out).
func ShowJSONSpan(w io.Writer, a *analysis.Analysis, span int32) error {
	out := BuildShow(a)
	markSpan(&out, a, span)
	return writeJSON(w, out)
}

// markSpan sets the show object's spanID to span's, when span is one.
func markSpan(out *ShowTrace, a *analysis.Analysis, span int32) {
	if span >= 0 && int(span) < len(a.Tree.SpanIDs) {
		id := string(a.Tree.SpanIDs[span])
		out.SpanID = &id
	}
}

// SpanText writes the detail of one span (index span) after ShowText: its
// service, operation, IDs, kind, status, times, self and critical time,
// tags, process, logs and warnings. Every line fits o.Width.
func SpanText(w io.Writer, a *analysis.Analysis, span int32, o TextOptions) error {
	tr := a.Tree
	if span < 0 || int(span) >= len(tr.Trace.Spans) {
		return fmt.Errorf("no span %d in the trace", span)
	}
	if o.Width < MinWidth {
		o.Width = MinWidth
	}
	if o.Location == nil {
		o.Location = time.UTC
	}
	bw := bufio.NewWriter(w)
	p := newPainter(o.Color)
	line := func(s string) {
		bw.WriteString(ansi.Truncate(s, o.Width, "…"))
		bw.WriteByte('\n')
	}
	s := &tr.Trace.Spans[span]
	const keyW = 11
	row := func(key, value string) {
		writeValue(line, "  "+textsafe.Fit(key, keyW)+" ", value, o.Width)
	}

	line("")
	line(p.bold("Span "+textsafe.Clean(string(tr.SpanIDs[span]))) + "  (" + spanMarker + " in the waterfall)")
	row("service", s.Service)
	row("operation", s.Operation)
	row("trace ID", string(s.TraceID))
	row("span ID", string(s.SpanID))
	switch {
	case s.ParentID == "":
		row("parent", "— (root)")
	case tr.Parent[span] < 0:
		row("parent", string(s.ParentID)+" (not in the trace)")
	default:
		ps := &tr.Trace.Spans[tr.Parent[span]]
		row("parent", string(s.ParentID)+"  "+ps.Service+" "+ps.Operation)
	}
	if k := s.Kind.String(); k != "" {
		row("kind", k)
	}
	if st := present.SpanStatus(s); st != "" {
		row("status", st)
	}
	row("start", "+"+format.Duration(span64(tr.Start, s.Start))+"  "+format.Timestamp(s.Start, o.Location))
	row("duration", format.Duration(s.Duration))
	if int(span) < len(a.Self) {
		row("self time", format.Duration(a.Self[span]))
	}
	if a.Critical != nil && int(span) < len(a.Critical.SpanTime) {
		if ct := a.Critical.SpanTime[span]; ct > 0 {
			row("critical", fmt.Sprintf("%s (%s of the critical path)", format.Duration(ct), present.Percent(ct, a.Critical.Length())))
		}
	}
	kvs := func(title string, list []backend.KeyValue) {
		if len(list) == 0 {
			return
		}
		line(fmt.Sprintf("  %s (%d)", title, len(list)))
		kw := 0
		for _, kv := range list {
			kw = max(kw, ansi.StringWidth(textsafe.Clean(kv.Key)))
		}
		kw = min(kw, o.Width/3)
		for _, kv := range list {
			writeValue(line, "    "+textsafe.Fit(kv.Key, kw)+" ", kv.Value(), o.Width)
		}
	}
	kvs("Tags", s.Tags)
	if s.Process != nil {
		kvs("Process", s.Process.Tags)
	}
	if len(s.Logs) > 0 {
		line(fmt.Sprintf("  Logs (%d)", len(s.Logs)))
		for _, l := range s.Logs {
			line("    +" + format.Duration(span64(tr.Start, l.Time)))
			for _, f := range l.Fields {
				writeValue(line, "      "+textsafe.Clean(f.Key)+"=", f.Value(), o.Width)
			}
		}
	}
	if len(s.Warnings) > 0 {
		line(fmt.Sprintf("  Warnings (%d)", len(s.Warnings)))
		for _, ws := range s.Warnings {
			writeValue(line, "    - ", ws, o.Width)
		}
	}
	return bw.Flush()
}

// span64 is the saturated end-start of report's time math, under a name
// that does not shadow the span index.
func span64(start, end int64) int64 { return span(start, end) }

// writeValue writes head and a cleaned value, wrapped at words to the
// width and continued under the value's column; at most maxValueLines.
func writeValue(line func(string), head, value string, width int) {
	indent := ansi.StringWidth(head)
	room := max(width-indent, 10)
	// What can show is at most maxValueLines lines of room cells: cut a
	// megabyte value before cleaning and wrapping all of it.
	if limit := (maxValueLines + 1) * (room + 1) * utf8.UTFMax; len(value) > limit {
		for limit > 0 && !utf8.RuneStart(value[limit]) {
			limit--
		}
		value = value[:limit]
	}
	var out []string
	for _, l := range textsafe.CleanLines(value) {
		wrapped := strings.Split(ansi.Wrap(l, room, " "), "\n")
		out = append(out, wrapped...)
		if len(out) > maxValueLines {
			break
		}
	}
	if len(out) > maxValueLines {
		out = append(out[:maxValueLines], textsafe.Ellipsis)
	}
	pad := strings.Repeat(" ", indent)
	for i, l := range out {
		if i == 0 {
			line(head + l)
		} else {
			line(pad + l)
		}
	}
}
