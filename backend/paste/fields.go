package paste

import (
	"encoding/json"
	"strings"

	"github.com/go-logfmt/logfmt"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/textsafe"
)

// form is where a key/value pair was found.
type form uint8

const (
	formJSON form = iota
	formHeader
	formLogfmt
	formText
	formQuery
)

func (f form) container() string {
	switch f {
	case formJSON:
		return containerJSON
	case formLogfmt:
		return containerLogfmt
	case formQuery:
		return containerURL
	}
	return containerText
}

// pair is one key/value found in the text. key is the key as written (for
// JSON the matched end of the path, e.g. "trace.id"), clean.
type pair struct {
	key, value string
	// number: a JSON number, which is decimal.
	number bool
	form   form
	role   role
}

// role is what a key means.
type role uint8

const (
	roleNone role = iota
	roleTrace
	roleTraceDD  // Datadog: decimal, or 32 hex
	roleTraceGCP // projects/P/traces/<hex>
	roleTraceparent
	roleB3
	roleB3Trace
	roleUber
	roleXRay
	roleTracestate
	roleSpan
	roleSpanDD
	roleCorrelation
	// roleQuery is a Grafana Explore query, which may be a trace ID.
	roleQuery
)

func (r role) names() bool { return r >= roleTrace && r <= roleXRay }

// header reports whether the role is a propagation header's, which shown as
// a header line is named by the header alone ("traceparent → …").
func (r role) header() string {
	switch r {
	case roleTraceparent:
		return SourceTraceparent
	case roleB3:
		return SourceB3
	case roleB3Trace:
		return SourceB3Multi
	case roleUber:
		return SourceUber
	case roleXRay:
		return SourceXRay
	}
	return ""
}

// normKey lowercases a key and drops '_', '-', '.' and ' ', so that
// traceId, trace_id, trace.id, trace-id and "trace id" compare equal. ok is
// false for a key with other characters than letters, digits, '/' and '@':
// no such key is known, and only known keys are ever shown.
func normKey(k string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '/', c == '@':
			b.WriteByte(c)
		case c == '_', c == '-', c == '.', c == ' ':
		default:
			return "", false
		}
	}
	return b.String(), b.Len() > 0
}

// roleOf says what a (normalized) key means.
func (p *parser) roleOf(k string) role {
	switch k {
	case "traceid", "oteltraceid", "trace":
		return roleTrace
	case "ddtraceid":
		return roleTraceDD
	case "logginggoogleapiscom/trace":
		return roleTraceGCP
	case "traceparent":
		return roleTraceparent
	case "b3":
		return roleB3
	case "xb3traceid":
		return roleB3Trace
	case "ubertraceid":
		return roleUber
	case "xamzntraceid":
		return roleXRay
	case "tracestate":
		return roleTracestate
	case "spanid", "otelspanid", "xb3spanid", "logginggoogleapiscom/spanid":
		return roleSpan
	case "ddspanid":
		return roleSpanDD
	case "correlationid", "xcorrelationid", "requestid", "xrequestid":
		return roleCorrelation
	}
	if p.grafana && k == "query" {
		return roleQuery
	}
	for _, c := range p.opts.CorrelationKeys {
		if n, ok := normKey(c); ok && n == k {
			return roleCorrelation
		}
	}
	return roleNone
}

// keyRole finds the role of a key path (JSON nesting joined by '.'): the
// last two segments first (dd.trace_id, trace.id), then the last.
func (p *parser) keyRole(path []string) (string, role) {
	if n := len(path); n >= 2 {
		k := path[n-2] + "." + path[n-1]
		if nk, ok := normKey(k); ok {
			if r := p.roleOf(nk); r != roleNone {
				return k, r
			}
		}
	}
	if len(path) > 0 {
		k := path[len(path)-1]
		if nk, ok := normKey(k); ok {
			if r := p.roleOf(nk); r != roleNone {
				return k, r
			}
		}
	}
	return "", roleNone
}

// fields reads key/value pairs from a JSON object, header lines, logfmt or
// looser text, in that order, and interprets the first kind that names
// something. ok is false when none does.
func (p *parser) fields(s string) (Result, error, bool) {
	var firstErr error
	try := func(pairs []pair) (Result, bool) {
		r, err, ok := p.interpret(pairs)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return r, ok && err == nil
	}
	if i := strings.IndexByte(s, '{'); i >= 0 {
		if r, ok := try(p.jsonPairs(s[i:])); ok {
			return r, nil, true
		}
	}
	if r, ok := try(p.headerPairs(s)); ok {
		return r, nil, true
	}
	if r, ok := try(p.logfmtPairs(s)); ok {
		return r, nil, true
	}
	if r, ok := try(p.textPairs(s)); ok {
		return r, nil, true
	}
	if firstErr != nil {
		return Result{}, firstErr, true
	}
	return Result{}, nil, false
}

// maxTokens bounds the JSON tokens read: a log line has a few dozen.
const maxTokens = 10000

// jsonPairs walks the first JSON value of s, keeping the pairs read before
// an error: a log line cut off by the terminal still names its trace.
func (p *parser) jsonPairs(s string) []pair {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var (
		stack []jsonFrame
		path  []string
		out   []pair
	)
	// value is called after a scalar or a closed container.
	value := func() {
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].wantKey = true
		}
	}
	for range maxTokens {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		top := len(stack) - 1
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				if top >= 0 && stack[top].object {
					path = append(path, stack[top].key)
				}
				stack = append(stack, jsonFrame{object: t == '{', wantKey: t == '{'})
			default:
				if top < 0 {
					return out
				}
				stack = stack[:top]
				if top > 0 && stack[top-1].object {
					path = path[:len(path)-1]
				}
				value()
				if len(stack) == 0 {
					return out
				}
			}
		case string:
			if top >= 0 && stack[top].object && stack[top].wantKey {
				stack[top].key, stack[top].wantKey = t, false
				continue
			}
			out = p.jsonValue(out, stack, path, t, false, top)
			value()
		case json.Number:
			out = p.jsonValue(out, stack, path, t.String(), true, top)
			value()
		default:
			value()
		}
	}
	return out
}

// jsonFrame is an open object or array.
type jsonFrame struct {
	object, wantKey bool
	// key is the object's current key.
	key string
}

// jsonValue keeps a scalar whose key path has a role.
func (p *parser) jsonValue(out []pair, stack []jsonFrame, path []string, v string, number bool, top int) []pair {
	if top < 0 || !stack[top].object {
		return out
	}
	// Only the last two segments of the path can matter (keyRole).
	full := []string{stack[top].key}
	if n := len(path); n > 0 {
		full = []string{path[n-1], stack[top].key}
	}
	k, r := p.keyRole(full)
	if r == roleNone {
		return out
	}
	return append(out, pair{key: k, value: v, number: number, form: formJSON, role: r})
}

// headerPairs reads lines of the form "Name: value" (with what curl -v or
// -H puts around them).
func (p *parser) headerPairs(s string) []pair {
	var out []pair
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		line = strings.TrimPrefix(line, "> ")
		line = strings.TrimPrefix(line, "< ")
		if rest, ok := strings.CutPrefix(line, "-H"); ok {
			line = rest
		}
		line = trimNoise(line)
		name, value, ok := strings.Cut(line, ":")
		name = strings.Trim(name, "\"' ")
		if !ok || name == "" || !isToken(name) {
			continue
		}
		nk, ok := normKey(name)
		if !ok {
			continue
		}
		if r := p.roleOf(nk); r != roleNone {
			out = append(out, pair{key: name, value: trimNoise(value), form: formHeader, role: r})
		}
	}
	return out
}

// isToken: an HTTP header name's characters (of those keys use).
func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// logfmtPairs reads each line as logfmt (which knows quoting: a key inside
// a quoted msg is not a field); a line that is not logfmt gives nothing.
func (p *parser) logfmtPairs(s string) []pair {
	var out []pair
	for _, line := range strings.Split(s, "\n") {
		if !strings.Contains(line, "=") {
			continue
		}
		dec := logfmt.NewDecoder(strings.NewReader(line))
		var got []pair
		for dec.ScanRecord() {
			for dec.ScanKeyval() {
				k, v := string(dec.Key()), string(dec.Value())
				if v == "" {
					continue
				}
				nk, ok := normKey(k)
				if !ok {
					continue
				}
				if r := p.roleOf(nk); r != roleNone {
					got = append(got, pair{key: k, value: v, form: formLogfmt, role: r})
				}
			}
		}
		if dec.Err() == nil {
			out = append(out, got...)
		}
	}
	return out
}

// textPairs finds key=value and key: value anywhere in text, the key maybe
// quoted ("traceId": …, 'trace_id': …, [trace_id=…]).
func (p *parser) textPairs(s string) []pair {
	var out []pair
	for i := 0; i < len(s); {
		if !isKeyStart(s[i]) || (i > 0 && isKeyChar(s[i-1])) {
			i++
			continue
		}
		j := i
		for j < len(s) && isKeyChar(s[j]) {
			j++
		}
		// People write "trace id: …" in chat and tickets.
		if w := strings.ToLower(s[i:j]); (w == "trace" || w == "span") && j+3 <= len(s) &&
			strings.EqualFold(s[j:j+3], " id") && (j+3 == len(s) || !isKeyChar(s[j+3])) {
			j += 3
		}
		key := s[i:j]
		k := j
		if k < len(s) && (s[k] == '"' || s[k] == '\'') {
			k++
		}
		for k < len(s) && s[k] == ' ' {
			k++
		}
		if k >= len(s) || (s[k] != '=' && s[k] != ':') {
			i = j
			continue
		}
		k++
		for k < len(s) && s[k] == ' ' {
			k++
		}
		if k < len(s) && (s[k] == '"' || s[k] == '\'' || s[k] == '`') {
			k++
		}
		v := k
		for v < len(s) && !isValueEnd(s[v]) {
			v++
		}
		if nk, ok := normKey(key); ok && v > k {
			if r := p.roleOf(nk); r != roleNone {
				out = append(out, pair{key: key, value: trimNoise(s[k:v]), form: formText, role: r})
			}
		}
		// On after the value, not into it: "a=a=a=…" would be quadratic.
		i = max(v, j)
	}
	return out
}

func isKeyStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '@'
}

func isKeyChar(c byte) bool {
	return isKeyStart(c) || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '/'
}

func isValueEnd(c byte) bool {
	switch c {
	case ' ', '\n', '"', '\'', '`', ',', ']', ')', '}', '>', '<', '[', '{', '|':
		return true
	}
	return false
}

// interpret turns pairs into a result: the first pair that names a trace,
// its span or else the first span field, and the first correlation field.
// ok is false when no pair names anything; err is set when some tried to
// and all failed.
func (p *parser) interpret(pairs []pair) (Result, error, bool) {
	var (
		r          Result
		tracePair  pair
		span       backend.SpanID
		corrPair   pair
		notes      []string
		tried      bool
		otherTrace backend.TraceID
	)
	for _, pr := range pairs {
		switch {
		case pr.role.names():
			tried = true
			got, why := p.readTrace(pr)
			if why != "" {
				notes = appendNote(notes, why)
				continue
			}
			if r.Trace == "" {
				r.Trace, r.AltTraces, r.Span = got.trace, got.alts, got.span
				notes = append(notes, got.notes...)
				tracePair = pr
			} else if pr.form == formQuery && got.trace != r.Trace && otherTrace == "" {
				otherTrace = got.trace
			}
		case pr.role == roleTracestate:
			tried = true
		case pr.role == roleSpan || pr.role == roleSpanDD:
			sp, why := readSpan(pr)
			if why != "" {
				notes = appendNote(notes, why)
				continue
			}
			if span == "" {
				span = sp
			}
		case pr.role == roleCorrelation:
			if r.Correlation != "" {
				continue
			}
			if v, ok := correlationValue(pr.value, true); ok {
				r.Correlation, corrPair = v, pr
			}
		}
	}
	switch {
	case r.Trace != "":
		if r.Span == "" {
			r.Span = span
		}
		r.Other = otherTrace
		r.Source = label(tracePair)
	case r.Correlation != "":
		r.Source = label(corrPair)
	case tried:
		if len(notes) == 0 {
			notes = []string{"tracestate carries no trace ID; paste traceparent"}
		}
		return Result{}, reject(strings.Join(notes, "; ")), true
	default:
		return Result{}, nil, false
	}
	r.Notes = notes
	if len(r.AltTraces) == 0 {
		r.AltTraces = nil
	}
	return r, nil, true
}

func appendNote(notes []string, n string) []string {
	for _, have := range notes {
		if have == n {
			return notes
		}
	}
	return append(notes, n)
}

// label names what a pair was found in: a header line by the header's
// name, a log field as "JSON log line (trace_id)".
func label(pr pair) string {
	if pr.form == formHeader {
		if h := pr.role.header(); h != "" {
			return h
		}
	}
	return pr.form.container() + " (" + textsafe.Truncate(pr.key, 48) + ")"
}

// readTrace reads a trace-naming pair's value.
func (p *parser) readTrace(pr pair) (ids, string) {
	v, what := pr.value, textsafe.Truncate(pr.key, 48)
	switch pr.role {
	case roleTraceparent:
		return traceparent(v)
	case roleB3:
		return b3Single(v)
	case roleUber:
		return uber(v)
	case roleXRay:
		return xray(v)
	case roleTraceGCP:
		if i := strings.LastIndex(v, "/traces/"); i >= 0 {
			v = v[i+len("/traces/"):]
		}
	case roleTraceDD:
		if isDigits(v) {
			if id, ok := decimalTrace(v); ok {
				return ids{trace: id, notes: []string{what + " is decimal: the low 64 bits of the trace ID"}}, ""
			}
			return ids{}, what + " is not a 64-bit decimal trace ID"
		}
	}
	if v == "" {
		return ids{}, what + " is empty"
	}
	if strings.Trim(v, "0") == "" {
		return ids{}, what + " is all zeros, which is not a valid ID"
	}
	if pr.number || (isDigits(v) && decimalFirst(v)) {
		// A JSON number, or a decimal too long for a plausible hex ID.
		r := numberToken(v)
		if pr.number {
			if id, ok := decimalTrace(v); ok {
				return ids{trace: id}, ""
			}
			return ids{}, what + " is not a 64-bit decimal trace ID"
		}
		return ids{trace: r.Trace, alts: r.AltTraces}, ""
	}
	id, why := hexTrace(v, what)
	return ids{trace: id}, why
}

// readSpan reads a span-naming pair's value.
func readSpan(pr pair) (backend.SpanID, string) {
	v, what := pr.value, textsafe.Truncate(pr.key, 48)
	if pr.number || (pr.role == roleSpanDD && isDigits(v)) {
		if id, ok := decimalSpan(v); ok {
			return id, ""
		}
		return "", what + " is not a 64-bit decimal span ID"
	}
	if v == "" {
		return "", ""
	}
	return hexSpan(v, what)
}
