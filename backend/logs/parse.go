package logs

import (
	"bytes"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/internal/jsonscan"
)

// maxFlatten is how deep nested objects are flattened into dotted keys
// ({"trace":{"id":…}} is trace.id); deeper values are kept as JSON text.
const maxFlatten = 4

// entry is one field of the line being parsed, its strings already copied.
type entry struct {
	key, val string
	role     role
	rank     uint8
	// quoted is false for JSON numbers, bools and nested JSON text.
	quoted bool
}

// parser reads single log lines. It keeps scratch space between lines and
// is not safe for concurrent use.
type parser struct {
	loc     *time.Location
	entries []entry
	keybuf  []byte
	// line is the current line as a string: unescaped JSON keys and values
	// are slices of it rather than copies.
	line  string
	lineb []byte
	// src and srcb are the whole line given to parseIn.
	src  string
	srcb []byte
	// bare holds the byte ranges of a logfmt line's words that are not pairs.
	bare [][2]int
	// unwrapping stops a message inside a message from being unwrapped.
	unwrapping bool
	// fields is scratch; slab holds the lines' field lists, so that a line
	// costs no allocation of its own for them.
	fields []Field
	slab   jsonscan.Slab[Field]
	keys   map[string]string
}

func newParser(loc *time.Location) *parser {
	if loc == nil {
		loc = time.Local
	}
	return &parser{loc: loc}
}

// parse reads one line (no newline) as JSON or logfmt. ok is false for a
// line that is neither. A JSON object after a prefix (a timestamp and
// stream, as `kubectl logs --timestamps` and CRI log files write) is read
// when the line is not logfmt.
func (p *parser) parse(b []byte) (Line, bool) { return p.parseIn(b, "") }

// parseIn is parse for a line whose text is also at hand as a string
// (src, the same bytes, or "" to copy them when needed): the strings of
// the line are then slices of src, with no allocation of their own.
func (p *parser) parseIn(b []byte, src string) (Line, bool) {
	p.srcb, p.src = b, src
	defer func() { p.srcb, p.src = nil, "" }()
	b = trimSpace(b)
	if len(b) == 0 {
		return Line{}, false
	}
	if b[0] == '{' {
		return p.parseJSON(b, nil)
	}
	if l, ok := p.parseLogfmt(b); ok {
		return l, true
	}
	if b[len(b)-1] == '}' {
		if i := bytes.Index(b, []byte(" {")); i > 0 {
			return p.parseJSON(b[i+1:], b[:i])
		}
	}
	return Line{}, false
}

// view returns b, a slice of the line being parsed, as a string: a slice
// of src when there is one, else a copy.
func (p *parser) view(b []byte) string {
	if p.src != "" && len(b) > 0 {
		if off := cap(p.srcb) - cap(b); off >= 0 && off+len(b) <= len(p.srcb) && &p.srcb[off] == &b[0] {
			return p.src[off : off+len(b)]
		}
	}
	return string(b)
}

// str returns b as a string, a slice of the current line when b lies in
// it (unescaped JSON), else a copy.
func (p *parser) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if off := cap(p.lineb) - cap(b); off >= 0 && off+len(b) <= len(p.lineb) && &p.lineb[off] == &b[0] {
		return p.line[off : off+len(b)]
	}
	return string(b)
}

func (p *parser) parseJSON(b, prefix []byte) (Line, bool) {
	p.entries = p.entries[:0]
	p.lineb, p.line = b, p.view(b)
	sc := jsonscan.NewBytes(b)
	sc.SetMaxDepth(64)
	if !sc.Object() {
		return Line{}, false
	}
	p.keybuf = p.keybuf[:0]
	p.object(sc, 0)
	if sc.Err() != nil || !sc.AtEOF() {
		return Line{}, false
	}
	l := p.finish(FormatJSON)
	if l.Time == 0 && len(prefix) > 0 {
		// The prefix's first word is the timestamp where there is one.
		if i := bytes.IndexByte(prefix, ' '); i > 0 {
			prefix = prefix[:i]
		}
		l.Time = parseTime(string(prefix), p.loc)
	}
	return p.unwrap(l), true
}

// object reads the members of an object whose key prefix is in keybuf.
func (p *parser) object(sc *jsonscan.Scanner, depth int) {
	base := len(p.keybuf)
	for {
		k, ok := sc.NextKey()
		if !ok {
			return
		}
		p.keybuf = p.keybuf[:base]
		if base > 0 {
			p.keybuf = append(p.keybuf, '.')
		}
		var key string
		if base == 0 {
			key = p.str(k)
		}
		p.keybuf = append(p.keybuf, k...)
		switch sc.Peek() {
		case jsonscan.Object:
			if depth+1 < maxFlatten {
				sc.Object()
				p.object(sc, depth+1)
				continue
			}
			if key == "" {
				key = p.nestedKey()
			}
			p.add(key, string(sc.Raw(nil)), false)
		case jsonscan.Array:
			if key == "" {
				key = p.nestedKey()
			}
			p.add(key, string(sc.Raw(nil)), false)
		case jsonscan.Null:
			sc.Null()
		default:
			v, kind := sc.Scalar()
			if key == "" {
				key = p.nestedKey()
			}
			p.add(key, p.str(v), kind == jsonscan.String)
		}
	}
}

// nestedKey returns the dotted key in keybuf. The few nested keys of a log
// format (trace.id, log.level, dd.trace_id) repeat on every line: they are
// interned, up to a bound a hostile file cannot push memory past.
func (p *parser) nestedKey() string {
	if k, ok := p.keys[string(p.keybuf)]; ok {
		return k
	}
	k := string(p.keybuf)
	if len(p.keys) < 4096 {
		if p.keys == nil {
			p.keys = map[string]string{}
		}
		p.keys[k] = k
	}
	return k
}

func (p *parser) add(key, val string, quoted bool) {
	r, rank := roleNone, uint8(0)
	if len(key) <= maxKey {
		r, rank = classify(key)
	}
	p.entries = append(p.entries, entry{key: key, val: val, role: r, rank: rank, quoted: quoted})
}

// parseLogfmt reads logfmt, and more leniently than go-logfmt: log lines
// mix key=value pairs with free text (Java pattern layouts put the MDC's
// trace_id=… after the message), so words that are not pairs are the line's
// text rather than an error. A line needs at least one pair to count.
// Quoted values are unescaped as logfmt writers escape them.
func (p *parser) parseLogfmt(b []byte) (Line, bool) {
	p.entries = p.entries[:0]
	p.lineb, p.line = b, p.view(b)
	p.bare = p.bare[:0]
	pairs := 0
	for i := 0; i < len(b); {
		for i < len(b) && b[i] <= ' ' {
			i++
		}
		if i >= len(b) {
			break
		}
		start := i
		j := i
		for j < len(b) && b[j] > ' ' && b[j] != '=' && b[j] != '"' {
			j++
		}
		if j < len(b) && b[j] == '=' {
			key := b[start:j]
			// "[trace_id=…]" in text: the bracket is not part of the key.
			closer := byte(0)
			if len(key) > 0 {
				switch key[0] {
				case '[':
					closer = ']'
				case '(':
					closer = ')'
				case '{':
					closer = '}'
				case '<':
					closer = '>'
				}
			}
			if closer != 0 {
				key = key[1:]
			}
			if len(key) > 0 {
				if j+1 < len(b) && b[j+1] == '"' {
					if val, end, ok := unquote(b, j+1); ok {
						p.add(p.str(key), p.str(val), true)
						pairs++
						i = end
						continue
					}
				} else {
					e := j + 1
					for e < len(b) && b[e] > ' ' {
						e++
					}
					val := trimCloser(b[j+1:e], closer)
					p.add(p.str(key), p.str(val), true)
					pairs++
					i = e
					continue
				}
			}
		}
		// A word of text, or a quoted phrase.
		e := i + 1
		if b[i] == '"' {
			if _, end, ok := unquote(b, i); ok {
				e = end
			}
		}
		for e < len(b) && b[e] > ' ' {
			e++
		}
		p.bare = append(p.bare, [2]int{start, e})
		i = e
	}
	if pairs == 0 {
		return Line{}, false
	}
	l := p.finish(FormatLogfmt)
	p.text(&l)
	return p.unwrap(l), true
}

// text reads the words of a logfmt line that are not pairs: a leading time
// (one word, or a date and a time), then a level word, then the message.
func (p *parser) text(l *Line) {
	words := p.bare
	if len(words) == 0 {
		return
	}
	b := p.lineb
	w := func(i int) string { return p.line[words[i][0]:words[i][1]] }
	if ns := parseTime(w(0), p.loc); ns != 0 && len(w(0)) >= 19 {
		if l.Time == 0 {
			l.Time = ns
		}
		words = words[1:]
	} else if len(words) >= 2 && len(w(0)) == 10 && w(0)[4] == '-' && w(0)[7] == '-' {
		if ns := parseTime(w(0)+"T"+w(1), p.loc); ns != 0 {
			if l.Time == 0 {
				l.Time = ns
			}
			words = words[2:]
		}
	}
	if len(words) > 0 && l.Level == "" {
		word := trimBrackets(w(0))
		if lv, isErr := normLevel(word, roleLevel); len(word) > 1 && lv != word {
			l.Level, l.Error = lv, isErr
			words = words[1:]
		}
	}
	if len(words) == 0 {
		return
	}
	// The text between the first and the last word, pairs included, would
	// repeat the pairs; the words are joined instead.
	var txt string
	if len(words) == 1 {
		txt = p.line[words[0][0]:words[0][1]]
	} else {
		n := 0
		for _, wd := range words {
			n += wd[1] - wd[0] + 1
		}
		buf := make([]byte, 0, n)
		for k, wd := range words {
			if k > 0 {
				buf = append(buf, ' ')
			}
			buf = append(buf, b[wd[0]:wd[1]]...)
		}
		txt = string(buf)
	}
	if l.Message == "" {
		l.Message = txt
	} else {
		l.Fields = append(l.Fields, Field{Key: "text", Value: txt})
	}
}

// trimCloser drops from the end of a value in text what belongs to the
// text: a comma or semicolon, and a closing bracket the value does not open
// ("[trace_id=… span_id=…]").
func trimCloser(val []byte, closer byte) []byte {
	for len(val) > 0 {
		c := val[len(val)-1]
		switch c {
		case ',', ';':
		case ']', ')', '}', '>':
			if c != closer && bytes.IndexByte(val, opener(c)) >= 0 {
				return val
			}
		default:
			return val
		}
		val = val[:len(val)-1]
	}
	return val
}

func opener(c byte) byte {
	switch c {
	case ']':
		return '['
	case ')':
		return '('
	case '}':
		return '{'
	}
	return '<'
}

func trimBrackets(w string) string {
	if len(w) >= 2 && (w[0] == '[' && w[len(w)-1] == ']' || w[0] == '<' && w[len(w)-1] == '>' || w[0] == '(' && w[len(w)-1] == ')') {
		return w[1 : len(w)-1]
	}
	if len(w) >= 1 && w[len(w)-1] == ':' {
		return w[:len(w)-1]
	}
	return w
}

// unquote reads the quoted string that starts at b[q] ('"') and returns its
// content (a slice of b when it has no escape), the index after the closing
// quote, and false when it is not closed.
func unquote(b []byte, q int) (val []byte, end int, ok bool) {
	esc := false
	for i := q + 1; i < len(b); i++ {
		switch c := b[i]; {
		case c == '\\':
			esc = true
			i++
		case c == '"':
			if !esc {
				return b[q+1 : i], i + 1, true
			}
			return unescape(b[q+1 : i]), i + 1, true
		}
	}
	return nil, len(b), false
}

// unescape undoes the escapes logfmt writers use (Go's strconv.Quote and
// JSON's): \n \t \r \" \\ \uXXXX; any other escaped byte is kept as written.
func unescape(s []byte) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			out = append(out, c)
			continue
		}
		i++
		switch s[i] {
		case 'n':
			out = append(out, '\n')
		case 't':
			out = append(out, '\t')
		case 'r':
			out = append(out, '\r')
		case '"', '\\', '/':
			out = append(out, s[i])
		case 'u':
			if i+4 < len(s) {
				if r, err := strconv.ParseUint(string(s[i+1:i+5]), 16, 32); err == nil {
					out = utf8.AppendRune(out, rune(r))
					i += 4
					continue
				}
			}
			out = append(out, '\\', 'u')
		default:
			out = append(out, '\\', s[i])
		}
	}
	return out
}

// finish picks the line's IDs, time, level, service and message from the
// entries; every entry not picked is kept as a field, in line order. A trace
// ID field wins over a traceparent, which wins over Datadog's decimal IDs;
// a field whose value is not an ID stays an ordinary field.
//
// Long by the roles it picks (IDs, time, level, service, message), one after another, not by its logic.
func (p *parser) finish(f Format) Line {
	l := Line{Format: f}
	const none = -1
	var (
		trace, tparent, ddTrace = none, none, none
		span, ddSpan            = none, none
		tm, lvl, svc, msg       = none, none, none, none
		traceID, ddTraceID      backend.TraceID
		traceLow, ddLow         bool
		tpTrace                 backend.TraceID
		spanID, tpSpan, ddSpID  backend.SpanID
		tmNS                    int64
	)
	for i := range p.entries {
		e := &p.entries[i]
		switch e.role {
		case roleTrace:
			if trace == none {
				if id, low := parseTraceID(e.val); id != "" {
					trace, traceID, traceLow = i, id, low
				}
			}
		case roleTraceDecimal:
			if ddTrace == none {
				if id, low := parseTraceIDDecimal(e.val); id != "" {
					ddTrace, ddTraceID, ddLow = i, id, low
				}
			}
		case roleSpan:
			if span == none {
				if id := parseSpanID(e.val); id != "" {
					span, spanID = i, id
				}
			}
		case roleSpanDecimal:
			if ddSpan == none {
				if id := parseSpanIDDecimal(e.val); id != "" {
					ddSpan, ddSpID = i, id
				}
			}
		case roleTraceparent:
			if tparent == none {
				if tid, sid := parseTraceparent(e.val); tid != "" {
					tparent, tpTrace, tpSpan = i, tid, sid
				}
			}
		case roleTime:
			if tm == none || e.rank < p.entries[tm].rank {
				if ns := parseTime(e.val, p.loc); ns != 0 {
					tm, tmNS = i, ns
				}
			}
		case roleLevel, roleLevelSyslog, roleLevelOTel:
			if e.val != "" && (lvl == none || e.rank < p.entries[lvl].rank) {
				lvl = i
			}
		case roleService:
			if e.val != "" && (svc == none || e.rank < p.entries[svc].rank) {
				svc = i
			}
		case roleMessage:
			if msg == none || e.rank < p.entries[msg].rank {
				msg = i
			}
		}
	}
	useTP := false
	switch {
	case trace != none:
		l.TraceID, l.lowOnly = traceID, traceLow
		ddTrace = none
	case tparent != none:
		l.TraceID, useTP = tpTrace, true
		ddTrace = none
	case ddTrace != none:
		l.TraceID, l.lowOnly = ddTraceID, ddLow
	}
	switch {
	case span != none:
		l.SpanID, ddSpan = spanID, none
	case tparent != none && tpSpan != "":
		l.SpanID, useTP = tpSpan, true
		ddSpan = none
	case ddSpan != none:
		l.SpanID = ddSpID
	}
	// A field that gave nothing the line uses stays a field.
	if !useTP {
		tparent = none
	}
	l.Time = tmNS
	if lvl != none {
		e := &p.entries[lvl]
		l.Level, l.Error = normLevel(e.val, e.role)
	}
	if svc != none {
		l.Service = p.entries[svc].val
	}
	if msg != none {
		l.Message = p.entries[msg].val
	}
	picked := func(i int) bool {
		return i != none && (i == trace || i == span || i == tparent || i == ddTrace || i == ddSpan ||
			i == tm || i == lvl || i == svc || i == msg)
	}
	p.fields = p.fields[:0]
	for i := range p.entries {
		if !picked(i) {
			p.fields = append(p.fields, Field{Key: p.entries[i].key, Value: p.entries[i].val})
		}
	}
	l.Fields = p.slab.Copy(p.fields)
	return l
}

// unwrap reads a line whose message is itself a JSON or logfmt line and
// that has no trace ID of its own: Docker's json-file ({"log": "…"}) and
// `journalctl -o json` ({"MESSAGE": "…"}) wrap the application's line so.
// The inner line's fields win; the wrapper's time and service fill in.
func (p *parser) unwrap(outer Line) Line {
	if outer.TraceID != "" || len(outer.Message) < 2 || p.unwrapping {
		return outer
	}
	m := trimSpace([]byte(outer.Message))
	if len(m) == 0 || (m[0] != '{' && bytes.IndexByte(m, '=') < 0) {
		return outer
	}
	var inner Line
	var ok bool
	p.unwrapping = true
	defer func() { p.unwrapping = false }()
	if m[0] == '{' {
		inner, ok = p.parseJSON(m, nil)
	} else {
		inner, ok = p.parseLogfmt(m)
	}
	if !ok || inner.TraceID == "" {
		return outer
	}
	if inner.Time == 0 {
		inner.Time = outer.Time
	}
	if inner.Service == "" {
		inner.Service = outer.Service
	}
	if inner.Level == "" {
		inner.Level, inner.Error = outer.Level, outer.Error
	}
	inner.Format = outer.Format
	inner.Fields = append(inner.Fields, outer.Fields...)
	return inner
}

// matches reports whether a line's trace ID names the trace id: equal, or,
// for a line that gives only 64 bits (Datadog's decimal, a 16-digit ID),
// equal low halves.
func (l *Line) matches(id backend.TraceID) bool {
	if l.TraceID == id {
		return true
	}
	return l.lowOnly && len(id) == 32 && len(l.TraceID) == 32 && l.TraceID[16:] == id[16:]
}
