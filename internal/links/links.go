// Package links expands the link templates of the config file (as Jaeger
// UI's linkPatterns do) into URLs for a trace, a span or a service, and
// writes them as OSC 8 terminal hyperlinks.
//
// A template is a URL with placeholders in braces:
//
//	{traceID}        the trace ID as Jaeger shows it (16 hex digits when the high half is zero)
//	{traceID32}      the trace ID in 32 hex digits
//	{spanID}         the span ID (span links only)
//	{service}        the span's service (a trace's: its root span's)
//	{operation}      the span's operation (likewise)
//	{startMillis}    the trace's start, milliseconds since the epoch
//	{endMillis}      the trace's end, rounded up
//	{spanStartMillis} {spanEndMillis}  the span's
//	{tag:KEY}        the value of the span's tag KEY, else of its process
//	                 (resource) tag KEY; a trace's: its root span's
//
// Every value is percent-encoded as encodeURIComponent does, so that a tag
// value can neither end the query parameter it sits in nor put a control
// character in the URL. A template naming a value the span does not have
// (a tag it lacks) gives no link for that span, as in Jaeger UI.
package links

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/textsafe"
)

// Scope says what a template links.
type Scope string

const (
	ScopeTrace   Scope = "trace"
	ScopeSpan    Scope = "span"
	ScopeService Scope = "service"
)

// Template is one link template of the config file.
type Template struct {
	// Type is the scope: trace, span or service.
	Type Scope `yaml:"type"`
	// Name is the link's text; it may hold placeholders too.
	Name string `yaml:"name"`
	URL  string `yaml:"url"`
}

// Link is an expanded template. URL holds printable ASCII only; Name may
// hold anything a tag value held, so show it with Hyperlink or Plain.
type Link struct {
	Scope Scope
	Name  string
	URL   string
}

// Trace is what a trace link needs, computed once per trace by the caller.
type Trace struct {
	ID backend.TraceID
	// Start and End in nanoseconds since the epoch.
	Start, End int64
	// Root gives {service}, {operation} and {tag:…} to trace links; nil
	// leaves templates that use them without a link.
	Root *backend.Span
}

// Validate checks templates when the config is loaded: a known scope, an
// http or https URL, placeholders that exist, no control character.
func Validate(tpls []Template) error {
	for i, t := range tpls {
		where := fmt.Sprintf("link %d", i+1)
		if t.Name != "" {
			where = fmt.Sprintf("link %q", textsafe.Truncate(t.Name, 40))
		}
		switch t.Type {
		case ScopeTrace, ScopeSpan, ScopeService:
		default:
			return fmt.Errorf("%s: type must be trace, span or service, not %q", where, textsafe.Truncate(string(t.Type), 20))
		}
		if !strings.HasPrefix(t.URL, "http://") && !strings.HasPrefix(t.URL, "https://") {
			return fmt.Errorf("%s: url must start with http:// or https://", where)
		}
		for _, s := range []string{t.URL, t.Name} {
			if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) }) {
				return fmt.Errorf("%s: control character in the template", where)
			}
			if _, err := placeholders(s, t.Type); err != nil {
				return fmt.Errorf("%s: %w", where, err)
			}
		}
	}
	return nil
}

// placeholders splits a template into literal text and placeholder names.
func placeholders(s string, scope Scope) ([]string, error) {
	var names []string
	for {
		i := strings.IndexByte(s, '{')
		j := strings.IndexByte(s, '}')
		if i < 0 {
			if j >= 0 {
				return nil, errors.New("'}' without '{'")
			}
			return names, nil
		}
		if j < i {
			return nil, errors.New("'}' without '{'")
		}
		name := s[i+1 : j]
		switch {
		case name == "traceID", name == "traceID32", name == "service", name == "operation",
			name == "startMillis", name == "endMillis":
		case name == "spanID" || name == "spanStartMillis" || name == "spanEndMillis":
			if scope == ScopeTrace {
				return nil, fmt.Errorf("{%s} in a trace link", name)
			}
		case strings.HasPrefix(name, "tag:") && len(name) > 4:
		default:
			return nil, fmt.Errorf("unknown placeholder {%s}", textsafe.Truncate(name, 30))
		}
		names = append(names, name)
		s = s[j+1:]
	}
}

// ForTrace expands the trace templates.
func ForTrace(tpls []Template, tr Trace) []Link {
	var out []Link
	for _, t := range tpls {
		if t.Type == ScopeTrace {
			if l, ok := expand(t, tr, tr.Root, false); ok {
				out = append(out, l)
			}
		}
	}
	return out
}

// ForSpan expands the span and service templates for span s of trace tr.
func ForSpan(tpls []Template, tr Trace, s *backend.Span) []Link {
	var out []Link
	for _, t := range tpls {
		if t.Type == ScopeSpan || t.Type == ScopeService {
			if l, ok := expand(t, tr, s, true); ok {
				out = append(out, l)
			}
		}
	}
	return out
}

func expand(t Template, tr Trace, s *backend.Span, isSpan bool) (Link, bool) {
	u, ok := fill(t.URL, tr, s, isSpan, true)
	if !ok {
		return Link{}, false
	}
	name := t.Name
	if name == "" {
		name = u
	} else if name, ok = fill(t.Name, tr, s, isSpan, false); !ok {
		return Link{}, false
	}
	return Link{Scope: t.Type, Name: name, URL: u}, true
}

// fill replaces the placeholders of tpl. For a URL, values are
// percent-encoded and the literal text is made printable ASCII
// (percent-encoding anything else); for a name, values are kept raw.
func fill(tpl string, tr Trace, s *backend.Span, isSpan, isURL bool) (string, bool) {
	var b strings.Builder
	lit := func(t string) {
		if isURL {
			literal(&b, t)
		} else {
			b.WriteString(t)
		}
	}
	for {
		i := strings.IndexByte(tpl, '{')
		j := strings.IndexByte(tpl, '}')
		if i < 0 || j < i {
			lit(tpl)
			break
		}
		lit(tpl[:i])
		v, ok := value(tpl[i+1:j], tr, s, isSpan)
		if !ok {
			return "", false
		}
		if isURL {
			b.WriteString(Escape(v))
		} else {
			b.WriteString(v)
		}
		tpl = tpl[j+1:]
	}
	return b.String(), true
}

// value gives a placeholder's value; false when the span has none.
func value(name string, tr Trace, s *backend.Span, isSpan bool) (string, bool) {
	switch name {
	case "traceID":
		return tr.ID.Short(), tr.ID != ""
	case "traceID32":
		return string(tr.ID), tr.ID != ""
	case "startMillis":
		return strconv.FormatInt(floorDiv(tr.Start, 1e6), 10), tr.Start != 0
	case "endMillis":
		return strconv.FormatInt(-floorDiv(-tr.End, 1e6), 10), tr.End != 0
	}
	if s == nil {
		return "", false
	}
	switch name {
	case "spanID":
		return string(s.SpanID), isSpan && s.SpanID != ""
	case "service":
		return s.Service, s.Service != ""
	case "operation":
		return s.Operation, s.Operation != ""
	case "spanStartMillis":
		return strconv.FormatInt(floorDiv(s.Start, 1e6), 10), isSpan
	case "spanEndMillis":
		return strconv.FormatInt(-floorDiv(-s.End(), 1e6), 10), isSpan
	}
	if key, ok := strings.CutPrefix(name, "tag:"); ok {
		if kv, ok := s.Tag(key); ok {
			return kv.Value(), true
		}
		if s.Process != nil {
			for _, kv := range s.Process.Tags {
				if kv.Key == key {
					return kv.Value(), true
				}
			}
		}
	}
	return "", false
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

const hexUpper = "0123456789ABCDEF"

// Escape percent-encodes s as JavaScript's encodeURIComponent does: every
// byte but letters, digits and -_.!~*'() becomes %XX, so a value is safe
// in a path segment, a query value or a fragment.
func Escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexUpper[c>>4])
		b.WriteByte(hexUpper[c&15])
	}
	return b.String()
}

func unreserved(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte("-_.!~*'()", c) >= 0
}

// literal writes a template's own text, percent-encoding what is not
// printable ASCII (a space, a non-ASCII letter); URL syntax (/?&=#:%) is
// kept as the template has it.
func literal(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c > 0x20 && c < 0x7f {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexUpper[c>>4])
		b.WriteByte(hexUpper[c&15])
	}
}

// Defaults are the backend's own UI: Jaeger UI's trace page (a span link
// finds the span with uiFind) or Zipkin Lens's. base is the backend URL;
// its user and password, query and fragment are dropped. Other kinds have
// none.
func Defaults(kind, base string) []Template {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil
	}
	u.User, u.RawQuery, u.Fragment, u.ForceQuery = nil, "", "", false
	// Braces in the base would read as placeholders.
	root := strings.NewReplacer("{", "%7B", "}", "%7D").Replace(strings.TrimRight(u.String(), "/"))
	switch kind {
	case "jaeger":
		return []Template{
			{Type: ScopeTrace, Name: "Jaeger UI", URL: root + "/trace/{traceID}"},
			{Type: ScopeSpan, Name: "Jaeger UI", URL: root + "/trace/{traceID}?uiFind={spanID}"},
		}
	case "zipkin":
		return []Template{{Type: ScopeTrace, Name: "Zipkin", URL: root + "/zipkin/traces/{traceID}"}}
	}
	return nil
}

// SafeURL reports whether u can be a hyperlink's target: printable ASCII
// without spaces, http or https.
func SafeURL(u string) bool {
	if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		return false
	}
	for i := 0; i < len(u); i++ {
		if u[i] <= 0x20 || u[i] >= 0x7f {
			return false
		}
	}
	return true
}

// Hyperlink writes text as an OSC 8 hyperlink to target, for terminals that
// show them (others ignore the sequence and show the text). text is
// cleaned; a target that is not SafeURL gives the cleaned text alone.
func Hyperlink(target, text string) string {
	text = textsafe.Clean(text)
	if !SafeURL(target) || text == "" {
		return text
	}
	return ansi.SetHyperlink(target) + text + ansi.ResetHyperlink()
}

// Plain is a link as text, for terminals without OSC 8 and for copying:
// "Name: URL", or the URL alone when the name is the URL. Safe to print.
func Plain(l Link) string {
	u := l.URL
	if !SafeURL(u) {
		u = textsafe.Clean(u)
	}
	name := textsafe.Clean(l.Name)
	if name == "" || name == u {
		return u
	}
	return name + ": " + u
}
