package analysis

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tracetui/tracetui/backend"
)

// Query is a parsed in-trace search with Jaeger UI's semantics
// (utils/filter-spans.ts): whitespace-separated terms, double quotes group
// words into one term; a term starting with "-" names keys to ignore.
type Query struct {
	// Include terms, lowercased: a span matches if any one matches.
	Include []string
	// Exclude key fragments, lowercased: attributes whose key contains one
	// are not looked at.
	Exclude []string
}

// ParseQuery splits a search box's text into terms the way Jaeger UI does: a
// term is a run of characters other than whitespace and '"', or the text
// between two double quotes; empty terms are dropped.
func ParseQuery(text string) Query {
	var q Query
	add := func(w string) {
		if w == "" {
			return
		}
		if w[0] == '-' {
			q.Exclude = append(q.Exclude, strings.ToLower(w[1:]))
			return
		}
		q.Include = append(q.Include, strings.ToLower(w))
	}
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case isSpace(c):
			i++
		case c == '"':
			if j := strings.IndexByte(text[i+1:], '"'); j >= 0 {
				add(text[i+1 : i+1+j])
				i += j + 2
			} else {
				i++ // an unmatched quote is skipped, as the regex does
			}
		default:
			j := i
			for j < len(text) && !isSpace(text[j]) && text[j] != '"' {
				j++
			}
			add(text[i:j])
			i = j
		}
	}
	return q
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// Empty reports whether the query has no include term (it matches nothing).
func (q Query) Empty() bool { return len(q.Include) == 0 }

// Match reports whether one span matches: any include term is a
// case-insensitive substring of the operation, the service, a tag's key,
// value or "key=value", a log field's, a process tag's, the status ("error",
// "ok", status message, "status=error") or kind ("kind=server"); or equals
// the span ID. Keys containing an exclude fragment are skipped. uniqueID is
// the span's ID in Tree.SpanIDs (it matches too).
func (q Query) Match(s *backend.Span, uniqueID backend.SpanID) bool {
	m := newMatcher(q)
	return m.match(s, uniqueID)
}

// matcher carries scratch space so that matching 100,000 spans does not
// allocate per tag: values are formatted and lowercased into buffers.
type matcher struct {
	q         Query
	include   [][]byte
	key, val  []byte
	lowerText []byte
	// procs remembers the verdict on each process's tags: spans of one
	// process share them.
	procs map[*backend.Process]bool
}

func newMatcher(q Query) *matcher {
	m := &matcher{q: q}
	for _, t := range q.Include {
		m.include = append(m.include, []byte(t))
	}
	return m
}

func (m *matcher) match(s *backend.Span, uniqueID backend.SpanID) bool {
	q := m.q
	if len(q.Include) == 0 {
		return false
	}
	if m.anyIn(s.Operation) || m.anyIn(s.Service) || m.inKVs(s.Tags) {
		return true
	}
	for k := range s.Logs {
		if m.inKVs(s.Logs[k].Fields) {
			return true
		}
	}
	if s.Process != nil && len(s.Process.Tags) > 0 {
		hit, seen := m.procs[s.Process]
		if !seen {
			hit = m.inKVs(s.Process.Tags)
			if m.procs == nil {
				m.procs = make(map[*backend.Process]bool)
			}
			m.procs[s.Process] = hit
		}
		if hit {
			return true
		}
	}
	if q.matchStatus(s.Status) || q.matchKind(s.Kind) {
		return true
	}
	for _, term := range q.Include {
		if term == string(s.SpanID) || term == string(uniqueID) {
			return true
		}
	}
	return false
}

// appendLower appends s lowercased; ASCII is done in place, anything else
// goes through strings.ToLower for Unicode case folding.
func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return append(dst, strings.ToLower(s)...)
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// appendValue appends a tag's value as KeyValue.Value formats it.
func appendValue(dst []byte, kv *backend.KeyValue) []byte {
	switch kv.Type {
	case backend.TypeBool:
		return strconv.AppendBool(dst, kv.BoolValue())
	case backend.TypeInt64:
		return strconv.AppendInt(dst, kv.Num, 10)
	case backend.TypeFloat64:
		return strconv.AppendFloat(dst, kv.FloatValue(), 'g', -1, 64)
	case backend.TypeBinary:
		return hex.AppendEncode(dst, []byte(kv.Str))
	}
	return appendLower(dst, kv.Str)
}

// anyIn reports whether some include term is a substring of text, ignoring
// case.
func (m *matcher) anyIn(text string) bool {
	if text == "" {
		return false
	}
	m.lowerText = appendLower(m.lowerText[:0], text)
	for _, t := range m.include {
		if bytes.Contains(m.lowerText, t) {
			return true
		}
	}
	return false
}

func (q Query) excluded(key string) bool {
	if len(q.Exclude) == 0 {
		return false
	}
	lower := strings.ToLower(key)
	for _, x := range q.Exclude {
		if strings.Contains(lower, x) {
			return true
		}
	}
	return false
}

func (m *matcher) inKVs(kvs []backend.KeyValue) bool {
	for k := range kvs {
		kv := &kvs[k]
		if m.q.excluded(kv.Key) {
			continue
		}
		m.key = appendLower(m.key[:0], kv.Key)
		m.val = appendValue(m.val[:0], kv)
		for _, t := range m.include {
			if bytes.Contains(m.key, t) || bytes.Contains(m.val, t) || inJoined(m.key, m.val, t) {
				return true
			}
		}
	}
	return false
}

func (q Query) matchStatus(st backend.Status) bool {
	if st.Code == backend.StatusUnset && st.Message == "" {
		return false
	}
	if q.excluded("status") || q.excluded("status_code") || q.excluded("status.code") {
		return false
	}
	name, code := "unset", "0"
	switch st.Code {
	case backend.StatusError:
		name, code = "error", "2"
	case backend.StatusOK:
		name, code = "ok", "1"
	}
	msg := strings.ToLower(st.Message)
	for _, t := range q.Include {
		if st.Code != backend.StatusUnset && strings.Contains(name, t) {
			return true
		}
		if msg != "" && strings.Contains(msg, t) {
			return true
		}
		for _, prefix := range [...]string{"status", "status_code", "status.code", "otel.status_code", "otel.status.code"} {
			if v, ok := cutPrefixSep(t, prefix); ok {
				if strings.Contains(name, v) || v == code || (msg != "" && strings.Contains(msg, v)) {
					return true
				}
			}
		}
	}
	return false
}

func (q Query) matchKind(k backend.SpanKind) bool {
	if k == backend.KindUnspecified || q.excluded("kind") || q.excluded("span.kind") {
		return false
	}
	name := k.String()
	for _, t := range q.Include {
		for _, prefix := range [...]string{"kind", "span.kind", "span_kind"} {
			if v, ok := cutPrefixSep(t, prefix); ok && strings.Contains(name, v) {
				return true
			}
		}
	}
	return false
}

// cutPrefixSep strips "prefix=" or "prefix:" from t.
func cutPrefixSep(t, prefix string) (string, bool) {
	if len(t) > len(prefix) && strings.HasPrefix(t, prefix) && (t[len(prefix)] == '=' || t[len(prefix)] == ':') {
		return t[len(prefix)+1:], true
	}
	return "", false
}

// Search marks the spans that match a search box's text with Jaeger UI's
// semantics (see Query.Match). The result has one entry per span; all false
// when the text has no include term.
func Search(tree *Tree, text string) []bool {
	q := ParseQuery(text)
	spans := tree.Trace.Spans
	out := make([]bool, len(spans))
	if q.Empty() {
		return out
	}
	m := newMatcher(q)
	for i := range spans {
		out[i] = m.match(&spans[i], tree.SpanIDs[i])
	}
	return out
}

// FilterOptions narrows the spans shown; zero values mean no condition, and
// the conditions that are set must all hold.
type FilterOptions struct {
	// Query is search text (Search semantics); "" means no text condition.
	Query string
	// Service keeps spans of this service (exact name).
	Service string
	// ErrorsOnly keeps error spans.
	ErrorsOnly bool
	// MinDuration keeps spans at least this long (ns).
	MinDuration int64
	// CriticalOnly keeps spans with time on the critical path.
	CriticalOnly bool
}

// Active reports whether any condition is set.
func (f FilterOptions) Active() bool {
	return strings.TrimSpace(f.Query) != "" || f.Service != "" || f.ErrorsOnly || f.MinDuration > 0 || f.CriticalOnly
}

// Filter marks the spans that satisfy every set condition of f. A text
// query with no include term (e.g. only "-key" terms) matches nothing, as in
// Jaeger UI. CriticalOnly needs a.Critical; without it nothing matches.
func Filter(a *Analysis, f FilterOptions) []bool {
	spans := a.Tree.Trace.Spans
	out := make([]bool, len(spans))
	useQuery := strings.TrimSpace(f.Query) != ""
	m := newMatcher(ParseQuery(f.Query))
	for i := range spans {
		s := &spans[i]
		switch {
		case f.Service != "" && s.Service != f.Service:
		case f.ErrorsOnly && !s.Error:
		case f.MinDuration > 0 && spanEnd(s)-s.Start < f.MinDuration:
		case f.CriticalOnly && (a.Critical == nil || a.Critical.SpanTime[i] == 0):
		case useQuery && !m.match(s, a.Tree.SpanIDs[i]):
		default:
			out[i] = true
		}
	}
	return out
}

// inJoined reports whether t occurs in key+"="+val across the '=', without
// building the joined string: t then has an '=' at some position p with
// t[:p] ending key and t[p+1:] starting val.
func inJoined(key, val, t []byte) bool {
	for p := bytes.IndexByte(t, '='); p >= 0; {
		if bytes.HasSuffix(key, t[:p]) && bytes.HasPrefix(val, t[p+1:]) {
			return true
		}
		next := bytes.IndexByte(t[p+1:], '=')
		if next < 0 {
			break
		}
		p += next + 1
	}
	return false
}

// SpanQuery is the trace view's search box: filter terms and the rest as
// text with Search's semantics. The filter terms are "is:error" (or
// "is:err"), "is:critical" (or "is:cp"), "svc:NAME" or "service:NAME" and
// "op:NAME" (case-insensitive substrings), ">10ms" or "dur>10ms" (at
// least), "<1s" or "dur<1s" (at most).
type SpanQuery struct {
	Errors, Critical bool
	// Services and Ops are lower-case substrings that must all occur.
	Services, Ops []string
	// MinDuration and MaxDuration bound the span's duration (ns); 0 is no
	// bound.
	MinDuration, MaxDuration int64
	// Text is what is left, for Search.
	Text string
}

// ParseSpanQuery reads the search box's text. A duration term that does not
// parse (">", ">10", "<soon") is an error that names the term, for the box
// to show: a wrong filter must never be taken as text, nor crash.
func ParseSpanQuery(s string) (SpanQuery, error) {
	var q SpanQuery
	var text []string
	for _, f := range strings.Fields(s) {
		lf := strings.ToLower(f)
		switch {
		case lf == "is:error" || lf == "is:err":
			q.Errors = true
		case lf == "is:critical" || lf == "is:cp":
			q.Critical = true
		case strings.HasPrefix(lf, "svc:") || strings.HasPrefix(lf, "service:"):
			q.Services = append(q.Services, lf[strings.IndexByte(lf, ':')+1:])
		case strings.HasPrefix(lf, "op:"):
			q.Ops = append(q.Ops, lf[3:])
		case strings.HasPrefix(lf, ">") || strings.HasPrefix(lf, "dur>"):
			d, err := parseBound(f, strings.TrimPrefix(strings.TrimPrefix(lf, "dur"), ">"))
			if err != nil {
				return SpanQuery{}, err
			}
			q.MinDuration = d
		case strings.HasPrefix(lf, "<") || strings.HasPrefix(lf, "dur<"):
			d, err := parseBound(f, strings.TrimPrefix(strings.TrimPrefix(lf, "dur"), "<"))
			if err != nil {
				return SpanQuery{}, err
			}
			q.MaxDuration = d
		default:
			text = append(text, f)
		}
	}
	q.Text = strings.Join(text, " ")
	return q, nil
}

// parseBound reads the duration of a ">10ms" or "<1s" term.
func parseBound(term, d string) (int64, error) {
	v, err := time.ParseDuration(d)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("bad duration %q: write it as >10ms or <1.5s", term)
	}
	return int64(v), nil
}

// Active reports whether the query sets any condition.
func (q SpanQuery) Active() bool {
	return q.Errors || q.Critical || len(q.Services) > 0 || len(q.Ops) > 0 || q.MinDuration > 0 ||
		q.MaxDuration > 0 || strings.TrimSpace(q.Text) != ""
}

// Match marks the spans that satisfy every condition of q. is:critical
// needs a.Critical; without it nothing matches.
func (q SpanQuery) Match(a *Analysis) []bool {
	match := Filter(a, FilterOptions{
		Query: q.Text, ErrorsOnly: q.Errors, MinDuration: q.MinDuration, CriticalOnly: q.Critical,
	})
	spans := a.Tree.Trace.Spans
	for i := range match {
		if !match[i] {
			continue
		}
		sp := &spans[i]
		ok := q.MaxDuration <= 0 || sp.Duration <= q.MaxDuration
		for _, x := range q.Services {
			ok = ok && strings.Contains(strings.ToLower(sp.Service), x)
		}
		for _, x := range q.Ops {
			ok = ok && strings.Contains(strings.ToLower(sp.Operation), x)
		}
		match[i] = ok
	}
	return match
}
