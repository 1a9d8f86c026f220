package report

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/logs"
	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/internal/links"
	"github.com/tracetui/tracetui/internal/textsafe"
)

// LogJSON is one log line in `show --output json`'s "logs".
type LogJSON struct {
	// Time is RFC 3339 in UTC with nine fraction digits, so that times
	// compare as strings; null when the line has none.
	Time *string `json:"time"`
	// SpanID is the span the line names, "" for none (it may be a span
	// that is not in the trace).
	SpanID  string `json:"spanID"`
	Service string `json:"service"`
	// Level is trace, debug, info, warn, error or fatal when recognised,
	// else as the line writes it.
	Level   string `json:"level"`
	Message string `json:"message"`
}

const jsonTimeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// ShowWithLogs is the show object with the trace's log lines (--logs).
type ShowWithLogs struct {
	ShowTrace
	Logs []LogJSON `json:"logs"`
}

// BuildShowWithLogs adds the lines of res, in time order, to the show
// object; what the lookup could not read becomes warnings.
func BuildShowWithLogs(a *analysis.Analysis, res *logs.Result) ShowWithLogs {
	out := ShowWithLogs{ShowTrace: BuildShow(a), Logs: []LogJSON{}}
	if res == nil {
		return out
	}
	for i := range res.Lines {
		l := &res.Lines[i]
		lj := LogJSON{SpanID: string(l.SpanID), Service: l.Service, Level: l.Level, Message: l.Message}
		if l.Time != 0 {
			s := time.Unix(0, l.Time).UTC().Format(jsonTimeLayout)
			lj.Time = &s
		}
		out.Logs = append(out.Logs, lj)
	}
	out.Warnings = append(out.Warnings, logWarnings(res, true)...)
	return out
}

// ShowJSONWithLogs writes the show object with a "logs" list.
// span, when not negative, is the span the input named (ShowJSONSpan);
// without a log lookup (res nil) there is no "logs" key.
func ShowJSONWithLogs(w io.Writer, a *analysis.Analysis, span int32, res *logs.Result) error {
	if res == nil {
		return ShowJSONSpan(w, a, span)
	}
	out := BuildShowWithLogs(a, res)
	markSpan(&out.ShowTrace, a, span)
	return writeJSON(w, out)
}

// logWarnings lists what the lookup could not read, and (dropped) how many
// lines it did not keep, which the text's heading already says.
func logWarnings(res *logs.Result, dropped bool) []string {
	var out []string
	for _, w := range res.Warnings {
		out = append(out, "logs: "+w)
	}
	if dropped && res.Dropped > 0 {
		out = append(out, fmt.Sprintf("logs: %d more lines of this trace not kept (over %d lines or %d MiB)", res.Dropped, logs.DefaultMaxLines, logs.DefaultMaxBytes>>20))
	}
	return out
}

// Column widths of the Logs section.
const (
	logOffsetWidth = 9
	logLevelWidth  = 5
)

// LogsText writes the "Logs" section of `show`: every line of the trace in
// time order with its offset from the trace's start, level, span (service
// and operation) and message, then its other fields. Every line fits
// o.Width; every string from the file is cleaned first.
func LogsText(w io.Writer, a *analysis.Analysis, res *logs.Result, o TextOptions) error {
	if o.Width < MinWidth {
		o.Width = MinWidth
	}
	bw := bufio.NewWriter(w)
	line := func(s string) {
		bw.WriteString(ansi.Truncate(s, o.Width, textsafe.Ellipsis))
		bw.WriteByte('\n')
	}
	paint := func(code, s string) string {
		if !o.Color || s == "" {
			return s
		}
		return "\x1b[" + code + "m" + s + "\x1b[0m"
	}
	tr := a.Tree
	spans := make(map[backend.SpanID]int32, len(tr.SpanIDs))
	for i, id := range tr.SpanIDs {
		spans[id] = int32(i)
	}

	line("")
	head := "Logs: " + textsafe.Clean(res.Summary())
	for k, l := range textsafe.WrapWords(head, o.Width) {
		if k == 0 {
			l = paint("1", l)
		}
		line(l)
	}
	for _, ws := range logWarnings(res, false) {
		for _, l := range textsafe.WrapWords(textsafe.Clean(ws), o.Width-4) {
			line("  " + paint("33", l))
		}
	}
	if len(res.Lines) == 0 {
		return bw.Flush()
	}
	whereWidth := min(max(o.Width/4, 12), 32)
	for i := range res.Lines {
		l := &res.Lines[i]
		off := "?"
		if l.Time != 0 {
			off = format.Duration(satSub(l.Time, tr.Start))
			if !strings.HasPrefix(off, "-") {
				off = "+" + off
			}
		}
		lvl := strings.ToUpper(textsafe.Truncate(l.Level, logLevelWidth))
		if lvl == "" {
			lvl = "-"
		}
		lvlCol := textsafe.Fit(lvl, logLevelWidth)
		if l.Error {
			lvlCol = paint("31;1", lvlCol)
		}
		var where string
		if si, ok := spans[l.SpanID]; ok && l.SpanID != "" {
			s := &tr.Trace.Spans[si]
			where = textsafe.Clean(s.Service) + " " + textsafe.Clean(s.Operation)
		} else {
			where = textsafe.Clean(l.Service)
			if where != "" {
				where += " "
			}
			if l.SpanID == "" {
				where += "(no span)"
			} else {
				where += "(span not in trace)"
			}
		}
		text := textsafe.Clean(l.Message)
		for _, f := range l.Fields {
			kv := textsafe.Truncate(f.Key, 40)
			if f.Value != "" {
				kv += "=" + textsafe.Truncate(f.Value, 200)
			}
			if text == "" {
				text = kv
			} else {
				text += "  " + paint("2", kv)
			}
			if ansi.StringWidth(text) > o.Width {
				break
			}
		}
		line(fmt.Sprintf("  %*s %s %s %s", logOffsetWidth, textsafe.Truncate(off, logOffsetWidth), lvlCol, textsafe.Fit(where, whereWidth), text))
	}
	return bw.Flush()
}

// satSub is a-b, saturated: a log line's time and a hostile trace's start
// can be far enough apart to wrap around.
func satSub(a, b int64) int64 {
	d := a - b
	switch {
	case b < 0 && d < a:
		return math.MaxInt64
	case b > 0 && d > a:
		return math.MinInt64
	}
	return d
}

// TraceLinks expands the trace templates for the analysed trace.
func TraceLinks(a *analysis.Analysis, tpls []links.Template) []links.Link {
	tr := a.Tree
	lt := links.Trace{ID: tr.Trace.ID, Start: tr.Start, End: tr.End}
	if len(tr.Roots) > 0 {
		lt.Root = &tr.Trace.Spans[tr.Roots[0]]
	}
	return links.ForTrace(tpls, lt)
}

// LinksText writes the "Links" section: one link a line, "name: URL". A URL
// is never cut (a cut URL leads elsewhere), so a long one passes o.Width.
func LinksText(w io.Writer, ls []links.Link, o TextOptions) error {
	if len(ls) == 0 {
		return nil
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("\n")
	if o.Color {
		bw.WriteString("\x1b[1mLinks\x1b[0m\n")
	} else {
		bw.WriteString("Links\n")
	}
	for _, l := range ls {
		bw.WriteString("  " + links.Plain(l) + "\n")
	}
	return bw.Flush()
}
