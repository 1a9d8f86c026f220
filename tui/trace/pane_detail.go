package trace

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/internal/present"
	"github.com/tracetui/tracetui/internal/textsafe"
	"github.com/tracetui/tracetui/tui/internal/widget"
)

// Detail pane sections, in the order shown.
const (
	secSpan     = "Span"
	secTags     = "Tags"
	secProcess  = "Process"
	secLogs     = "Logs"
	secRefs     = "References"
	secBaggage  = "Baggage"
	secWarnings = "Warnings"
)

// maxShownValue bounds the bytes of one value drawn in the pane: a hostile
// 1 MB tag would otherwise wrap into tens of thousands of lines. y still
// copies the whole value.
const maxShownValue = 16 << 10

// kv is one key/value row of a section; copy is the value y copies.
type kv struct {
	key, value, copy string
	indent           int
	// trace and span are another trace's span the row points at (a
	// reference or link): enter opens that trace.
	trace backend.TraceID
	span  backend.SpanID
}

func rawKV(k, v string) kv {
	return kv{key: textsafe.Clean(k), value: v, copy: copyValue(v)}
}

// copyValue is what y copies of a value: its escape sequences and controls
// removed (shell.Copy then makes it one line).
func copyValue(v string) string {
	return strings.Join(textsafe.CleanLines(v), "\n")
}

func detailPaneLines(p *pane, c paneCtx, w int) []paneLine {
	return detailLines(p, c, c.sel, w)
}

// detailLines builds the span detail pane for span i at width w: a section
// per kind of data, each foldable.
func detailLines(p *pane, c paneCtx, i int32, w int) []paneLine {
	if i < 0 || int(i) >= len(c.rd.trace.Spans) {
		return []paneLine{plainLine("no span selected", c.st.P.Dim, "", w)}
	}
	sp := &c.rd.trace.Spans[i]
	var lines []paneLine
	// section adds a heading with count n (-1: none) and its rows.
	section := func(name string, n int, rows []kv) {
		if len(rows) == 0 && name != secSpan {
			return
		}
		lines = append(lines, p.heading(c.st, name, n, w))
		if p.folded[name] {
			return
		}
		keyW := 0
		for _, r := range rows {
			keyW = max(keyW, ansi.StringWidth(r.key)+r.indent)
		}
		keyW = min(keyW, max(w/3, 8), 28)
		for _, r := range rows {
			lines = append(lines, kvLines(c, r, keyW, name, w)...)
		}
	}
	section(secSpan, -1, spanRows(c, i))
	lines = append(lines, linkRows(p, c, i, w)...)
	lines = append(lines, logLineRows(p, c, i, w)...)
	tags, baggage := tagRows(sp)
	section(secTags, len(sp.Tags), tags)
	process := processRows(sp)
	section(secProcess, len(process), process)
	logs, logBaggage := logRows(c, sp)
	section(secLogs, len(sp.Logs), logs)
	section(secRefs, len(sp.References), refRows(sp))
	baggage = append(baggage, logBaggage...)
	section(secBaggage, len(baggage), baggage)
	warnings := warningRows(c, sp, i)
	section(secWarnings, len(warnings), warnings)
	return lines
}

// spanRows are the span's own facts. What answers "what failed and how
// long did it take" comes first, so that it shows in a short pane without
// scrolling; the IDs follow.
func spanRows(c paneCtx, i int32) []kv {
	td, an := c.rd.td, c.rd.an
	tree := td.tree
	sp := &c.rd.trace.Spans[i]
	rows := []kv{
		{key: "service", value: td.services[td.svc[i]], copy: copyValue(sp.Service)},
		{key: "operation", value: td.ops[i], copy: copyValue(sp.Operation)},
	}
	if st := present.SpanStatus(sp); st != "" {
		rows = append(rows, kv{key: "status", value: st, copy: copyValue(st)})
	}
	rows = append(rows, kv{key: "duration", value: format.Duration(sp.Duration), copy: format.Duration(sp.Duration)})
	if an != nil {
		self := format.Duration(an.self[i])
		rows = append(rows, kv{key: "self time", value: self, copy: self})
		ct := int64(0)
		if an.critical != nil && int(i) < len(an.critical.SpanTime) {
			ct = an.critical.SpanTime[i]
		}
		crit := "—"
		if ct > 0 {
			crit = format.Duration(ct) + " (" + present.Percent(ct, an.critLen) + " of critical path)"
		}
		rows = append(rows, kv{key: "critical", value: crit, copy: crit})
	} else {
		rows = append(rows, kv{key: "self time", value: "analysing…"})
	}
	start := c.rd.spanStart(i)
	startText := "+" + format.Duration(present.Sub(start, tree.Start)) + "  " + format.Timestamp(start, c.cfg.Location)
	rows = append(rows, kv{key: "start", value: startText, copy: startText})
	if k := sp.Kind.String(); k != "" {
		rows = append(rows, kv{key: "kind", value: k, copy: k})
	}
	parent := "— (root)"
	if sp.ParentID != "" {
		parent = textsafe.Clean(string(sp.ParentID))
		if tree.Parent[i] < 0 {
			parent += " (not in trace)"
		}
	}
	return append(rows,
		kv{key: "span ID", value: td.spanIDs[i], copy: td.spanIDs[i]},
		kv{key: "parent ID", value: parent, copy: textsafe.Clean(string(sp.ParentID))},
		kv{key: "trace ID", value: textsafe.Clean(string(sp.TraceID)), copy: textsafe.Clean(string(sp.TraceID))},
		kv{key: "depth", value: format.Count(int(tree.Depth[i]))},
		kv{key: "children", value: format.Count(len(tree.Children(i)))},
	)
}

// tagRows are the span's tags, and the baggage among them.
func tagRows(sp *backend.Span) (rows, baggage []kv) {
	for _, t := range sp.Tags {
		rows = append(rows, rawKV(t.Key, t.Value()))
		if strings.HasPrefix(t.Key, "baggage.") {
			baggage = append(baggage, rawKV(strings.TrimPrefix(t.Key, "baggage."), t.Value()))
		}
	}
	return rows, baggage
}

// processRows are the process's (resource's) tags.
func processRows(sp *backend.Span) []kv {
	var rows []kv
	if sp.Process != nil {
		for _, t := range sp.Process.Tags {
			rows = append(rows, rawKV(t.Key, t.Value()))
		}
	}
	return rows
}

// logRows are a line per log with its time, then its fields indented; and
// the baggage Jaeger records as logs.
func logRows(c paneCtx, sp *backend.Span) (rows, baggage []kv) {
	start := c.rd.td.tree.Start
	for _, l := range sp.Logs {
		event, isBaggage := "", false
		for _, f := range l.Fields {
			if f.Key == "event" {
				event = f.Value()
				isBaggage = event == "baggage"
			}
		}
		when := "+" + format.Duration(present.Sub(l.Time, start))
		rows = append(rows, kv{key: when, value: textsafe.Clean(event), copy: copyValue(event)})
		var bk, bv string
		for _, f := range l.Fields {
			if f.Key == "event" {
				continue
			}
			r := rawKV(f.Key, f.Value())
			r.indent = 2
			rows = append(rows, r)
			switch f.Key {
			case "key":
				bk = f.Value()
			case "value":
				bv = f.Value()
			}
		}
		if isBaggage && bk != "" {
			baggage = append(baggage, rawKV(bk, bv))
		}
	}
	return rows, baggage
}

// refRows are the span's references and links, with their attributes.
func refRows(sp *backend.Span) []kv {
	var rows []kv
	for _, r := range sp.References {
		v := textsafe.Clean(string(r.SpanID))
		if r.TraceID != "" && r.TraceID != sp.TraceID {
			v += " in trace " + textsafe.Clean(string(r.TraceID))
		}
		row := kv{key: r.Type.String(), value: v, copy: textsafe.Clean(string(r.SpanID))}
		if r.TraceID != "" && r.TraceID != sp.TraceID {
			row.value += " (enter opens it)"
			row.trace, row.span = r.TraceID, r.SpanID
		}
		rows = append(rows, row)
		for _, a := range r.Attributes {
			x := rawKV(a.Key, a.Value())
			x.indent = 2
			rows = append(rows, x)
		}
	}
	return rows
}

// warningRows are the span's own warnings and its clock skew.
func warningRows(c paneCtx, sp *backend.Span, i int32) []kv {
	var rows []kv
	for _, x := range sp.Warnings {
		rows = append(rows, kv{key: "!", value: x, copy: copyValue(x)}) // a warning, not an error: not ✗
	}
	if an := c.rd.an; an != nil && an.skewOf[i] >= 0 {
		sk := an.skews[an.skewOf[i]]
		v := "clock skew"
		if sk.Delta != 0 {
			v += ": adjusted view shifts it by " + format.Duration(sk.Delta)
		}
		v += "; " + sk.Warning(c.rd.td.tree)
		rows = append(rows, kv{key: "skew", value: v, copy: copyValue(v)})
	}
	return rows
}

// kvLines lays out one key/value row: the key in a column of keyW cells
// (cut with …), the value wrapped in the rest; continuation lines are
// indented under the value. Values are sanitized line by line so that real
// line breaks stay breaks.
func kvLines(c paneCtx, r kv, keyW int, section string, w int) []paneLine {
	val := r.value
	more := ""
	if len(val) > maxShownValue {
		cut := maxShownValue
		for cut > 0 && !utf8.RuneStart(val[cut]) {
			cut--
		}
		more = format.Count(len(val)-cut) + " more bytes (y copies all)"
		val = val[:cut]
	}
	key := strings.Repeat(" ", r.indent) + r.key
	keyCol := widget.PadRight(ansi.Truncate(key, keyW, "…"), keyW)
	valW := max(w-1-keyW-1, 4)
	var parts []string
	for _, l := range textsafe.CleanLines(val) {
		parts = append(parts, wrap(l, valW)...)
	}
	if len(parts) == 0 {
		parts = []string{""}
	}
	if more != "" {
		parts = append(parts, more)
	}
	out := make([]paneLine, 0, len(parts))
	pad := strings.Repeat(" ", keyW)
	for k, part := range parts {
		text := " " + c.st.P.PaneKey.S(keyCol) + " " + part
		if k > 0 {
			text = " " + pad + " " + part
		}
		if more != "" && k == len(parts)-1 {
			text = " " + pad + " " + c.st.P.Dim.S(part)
		}
		out = append(out, paneLine{text: text, copy: r.copy, section: section, span: -1, service: -1,
			trace: r.trace, traceSpan: r.span})
	}
	return out
}
