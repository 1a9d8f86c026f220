package trace

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/internal/textsafe"
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
}

func rawKV(k, v string) kv {
	return kv{key: textsafe.Clean(k), value: v, copy: copyValue(v)}
}

// copyValue is what y puts on the clipboard: the value with escape
// sequences and controls removed but its line breaks kept.
func copyValue(v string) string {
	return strings.Join(textsafe.CleanLines(v), "\n")
}

// detailLines builds the span detail pane for span i at width w.
func (s *state) detailLines(i int32, w int) []paneLine {
	if i < 0 || int(i) >= len(s.trace.Spans) {
		return []paneLine{s.plainLine("no span selected", s.st.dim, "", w)}
	}
	sp := &s.trace.Spans[i]
	td := s.td
	tree := td.tree
	var lines []paneLine

	// section adds a heading with count n (-1: none) and its rows.
	section := func(name string, n int, rows []kv) {
		if len(rows) == 0 && name != secSpan {
			return
		}
		lines = append(lines, s.heading(name, n, w))
		if s.folded[name] {
			return
		}
		keyW := 0
		for _, r := range rows {
			keyW = max(keyW, ansi.StringWidth(r.key)+r.indent)
		}
		keyW = min(keyW, max(w/3, 8), 28)
		for _, r := range rows {
			lines = append(lines, s.kvLines(r, keyW, name, w)...)
		}
	}

	// Span
	parent := "— (root)"
	if sp.ParentID != "" {
		parent = textsafe.Clean(string(sp.ParentID))
		if tree.Parent[i] < 0 {
			parent += " (not in trace)"
		}
	}
	offset := sub(s.spanStart(i), tree.Start)
	startText := "+" + format.Duration(offset) + "  " + format.Timestamp(s.spanStart(i), s.cfg.Location)
	// What answers "what failed and how long did it take" comes first, so
	// that it shows in a short pane without scrolling; the IDs follow.
	rows := []kv{
		{key: "service", value: td.services[td.svc[i]], copy: copyValue(sp.Service)},
		{key: "operation", value: td.ops[i], copy: copyValue(sp.Operation)},
	}
	if sp.Error || sp.Status.Code != backend.StatusUnset {
		st := "ok"
		switch {
		case sp.Status.Code == backend.StatusError:
			st = "error"
		case sp.Error:
			st = "error (tag)"
		case sp.Status.Code == backend.StatusUnset:
			st = "unset"
		}
		if sp.Status.Message != "" {
			st += ": " + sp.Status.Message
		}
		rows = append(rows, kv{key: "status", value: st, copy: copyValue(st)})
	}
	rows = append(rows, kv{key: "duration", value: format.Duration(sp.Duration), copy: format.Duration(sp.Duration)})
	if s.an != nil {
		self := format.Duration(s.an.self[i])
		rows = append(rows, kv{key: "self time", value: self, copy: self})
		ct := int64(0)
		if s.an.critical != nil && int(i) < len(s.an.critical.SpanTime) {
			ct = s.an.critical.SpanTime[i]
		}
		crit := "—"
		if ct > 0 {
			crit = format.Duration(ct) + " (" + percent(ct, s.an.critLen) + " of critical path)"
		}
		rows = append(rows, kv{key: "critical", value: crit, copy: crit})
	} else {
		rows = append(rows, kv{key: "self time", value: "analysing…"})
	}
	rows = append(rows, kv{key: "start", value: startText, copy: startText})
	if k := sp.Kind.String(); k != "" {
		rows = append(rows, kv{key: "kind", value: k, copy: k})
	}
	rows = append(rows,
		kv{key: "span ID", value: td.spanIDs[i], copy: td.spanIDs[i]},
		kv{key: "parent ID", value: parent, copy: textsafe.Clean(string(sp.ParentID))},
		kv{key: "trace ID", value: textsafe.Clean(string(sp.TraceID)), copy: textsafe.Clean(string(sp.TraceID))},
	)
	rows = append(rows, kv{key: "depth", value: groupThousands(int(tree.Depth[i])), copy: ""},
		kv{key: "children", value: groupThousands(len(tree.Children(i))), copy: ""})
	section(secSpan, -1, rows)

	// Tags
	rows = rows[:0]
	var baggage []kv
	for _, t := range sp.Tags {
		r := rawKV(t.Key, t.Value())
		rows = append(rows, r)
		if strings.HasPrefix(t.Key, "baggage.") {
			baggage = append(baggage, rawKV(strings.TrimPrefix(t.Key, "baggage."), t.Value()))
		}
	}
	section(secTags, len(sp.Tags), rows)

	// Process / resource
	rows = rows[:0]
	if sp.Process != nil {
		for _, t := range sp.Process.Tags {
			rows = append(rows, rawKV(t.Key, t.Value()))
		}
	}
	section(secProcess, len(rows), rows)

	// Logs: a line per log with its time, then its fields indented.
	rows = rows[:0]
	for _, l := range sp.Logs {
		event, isBaggage := "", false
		for _, f := range l.Fields {
			if f.Key == "event" {
				event = f.Value()
				isBaggage = event == "baggage"
			}
		}
		when := "+" + format.Duration(sub(l.Time, tree.Start))
		head := kv{key: when, value: textsafe.Clean(event), copy: copyValue(event)}
		rows = append(rows, head)
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
	section(secLogs, len(sp.Logs), rows)

	// References and links
	rows = rows[:0]
	for _, r := range sp.References {
		v := textsafe.Clean(string(r.SpanID))
		if r.TraceID != "" && r.TraceID != sp.TraceID {
			v += " in trace " + textsafe.Clean(string(r.TraceID))
		}
		rows = append(rows, kv{key: r.Type.String(), value: v, copy: textsafe.Clean(string(r.SpanID))})
		for _, a := range r.Attributes {
			x := rawKV(a.Key, a.Value())
			x.indent = 2
			rows = append(rows, x)
		}
	}
	section(secRefs, len(sp.References), rows)

	section(secBaggage, len(baggage), baggage)

	// Warnings: the span's own and its clock skew.
	rows = rows[:0]
	for _, x := range sp.Warnings {
		rows = append(rows, kv{key: "!", value: x, copy: copyValue(x)})
	}
	if s.an != nil && s.an.skewOf[i] >= 0 {
		sk := s.an.skews[s.an.skewOf[i]]
		v := "clock skew"
		if sk.Delta != 0 {
			v += ": adjusted view shifts it by " + format.Duration(sk.Delta)
		}
		v += "; " + sk.Warning(tree)
		rows = append(rows, kv{key: "skew", value: v, copy: copyValue(v)})
	}
	section(secWarnings, len(rows), rows)
	return lines
}

// kvLines lays out one key/value row: the key in a column of keyW cells
// (cut with …), the value wrapped in the rest; continuation lines are
// indented under the value. Values are sanitized line by line so that real
// line breaks stay breaks.
func (s *state) kvLines(r kv, keyW int, section string, w int) []paneLine {
	val := r.value
	more := ""
	if len(val) > maxShownValue {
		cut := maxShownValue
		for cut > 0 && !utf8.RuneStart(val[cut]) {
			cut--
		}
		more = groupThousands(len(val)-cut) + " more bytes (y copies all)"
		val = val[:cut]
	}
	key := strings.Repeat(" ", r.indent) + r.key
	keyCol := padRight(ansi.Truncate(key, keyW, "…"), keyW)
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
	for k, p := range parts {
		text := " " + s.st.paneKey.s(keyCol) + " " + p
		if k > 0 {
			text = " " + pad + " " + p
		}
		if more != "" && k == len(parts)-1 {
			text = " " + pad + " " + s.st.dim.s(p)
		}
		out = append(out, paneLine{text: text, copy: r.copy, section: section, span: -1, service: -1})
	}
	return out
}
