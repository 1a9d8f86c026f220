// Package paste reads what an on-call engineer pasted (a trace ID, a
// propagation header, a trace UI's URL, a log line, a correlation ID, with
// whatever copy noise came along) and says what to look up: a trace ID, a span
// to select, or a correlation value.
//
// It is pure (no I/O) and treats its input as hostile: every string in a
// Result or an error is safe to print (textsafe.IsClean), and every trace or
// span ID it returns is valid, non-zero hex.
package paste

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/textsafe"
)

// MaxLen is the longest text Parse reads: a log line with a stack trace
// fits; a pasted file does not.
const MaxLen = 64 << 10

// MaxCorrelationLen is the longest correlation value taken: longer text is
// not an ID.
const MaxCorrelationLen = 256

// What was recognised: Result.Source is one of these, or a log container
// with the field's name, e.g. "JSON log line (trace_id)", "logfmt line
// (request_id)", "log text (traceId)", "URL (traceID)".
const (
	SourceTraceID       = "trace ID"        // 1–32 hex digits
	SourceBase64        = "base64 trace ID" // padded base64 of 8 or 16 bytes
	SourceNumber        = "number"          // decimal digits: hex, Datadog decimal, correlation
	SourceTextID        = "trace ID in text"
	SourceTraceparent   = "traceparent"
	SourceB3            = "b3"
	SourceB3Multi       = "B3 headers"
	SourceUber          = "uber-trace-id"
	SourceXRay          = "X-Amzn-Trace-Id"
	SourceJaegerURL     = "Jaeger UI URL"
	SourceJaegerCompare = "Jaeger UI comparison URL"
	SourceZipkinURL     = "Zipkin URL"
	SourceGrafanaURL    = "Grafana Explore URL"
	SourceAPIURL        = "trace API URL" // Jaeger, Tempo or Zipkin API
	SourceText          = "text"          // the text itself, as a correlation value

	containerJSON   = "JSON log line"
	containerLogfmt = "logfmt line"
	containerText   = "log text"
	containerURL    = "URL"
)

const (
	zeroTrace backend.TraceID = "00000000000000000000000000000000"
	zeroSpan  backend.SpanID  = "0000000000000000"
)

// Options tune Parse.
type Options struct {
	// CorrelationKeys are the configured correlation tag keys; a log field
	// of that name (in any of the spellings trace_id/traceId/trace.id are
	// matched in) is read as a correlation value, besides correlationId,
	// x-request-id, request_id and their spellings.
	CorrelationKeys []string
}

// Result is what a paste names. Trace or Correlation is always set.
type Result struct {
	// Source says what was recognised, e.g. "traceparent".
	Source string
	// Trace is the trace ID to fetch first; "" when the text names none.
	Trace backend.TraceID
	// AltTraces are other readings of the same text, to try in order when
	// Trace is not found: a number read as decimal (a Datadog ID).
	AltTraces []backend.TraceID
	// Span is the span to select, or "".
	Span backend.SpanID
	// Other is a second trace the text names: the other side of a Jaeger UI
	// comparison, a second traceID parameter or Grafana pane.
	Other backend.TraceID
	// Correlation is the value to look up as a correlation ID: on its own
	// when Trace is "", otherwise when no trace of TraceIDs is found.
	Correlation string
	// Notes say what was set aside, e.g. "traceId is all zeros".
	Notes []string
}

// TraceIDs are the trace IDs to try, in order.
func (r Result) TraceIDs() []backend.TraceID {
	if r.Trace == "" {
		return nil
	}
	return append([]backend.TraceID{r.Trace}, r.AltTraces...)
}

// Confident reports whether the text is a trace reference for sure (a
// header, a URL, a log field, a base64 ID or a 16- or 32-digit hex ID)
// rather than a word or number that happens to read as hex: a service named
// "cafe" is not a trace ID.
func (r Result) Confident() bool {
	switch {
	case r.Trace == "":
		return false
	case r.Source == SourceNumber:
		return false
	case r.Source == SourceTraceID:
		n := len(r.Correlation)
		return n == 16 || n == 32
	}
	return true
}

// Summary says in one line what was recognised and what will be looked
// up, e.g. "traceparent → trace 4bf9…, span 00f0…".
func (r Result) Summary() string {
	var b strings.Builder
	if r.Trace == "" && r.Source == SourceText {
		b.WriteString("correlation ID " + quote(r.Correlation))
	} else {
		b.WriteString(r.Source + " → ")
		if r.Trace != "" {
			b.WriteString("trace " + r.Trace.Short())
			if r.Span != "" {
				b.WriteString(", span " + string(r.Span))
			}
			for _, a := range r.AltTraces {
				b.WriteString(", else trace " + a.Short())
				if r.Source == SourceNumber {
					if decimalFirst(r.Correlation) {
						b.WriteString(" (hex)")
					} else {
						b.WriteString(" (decimal)")
					}
				}
			}
			if r.Other != "" {
				b.WriteString(", compared with trace " + r.Other.Short())
			}
			if r.Correlation != "" {
				b.WriteString("; else correlation ID " + quote(r.Correlation))
			}
		} else {
			b.WriteString("correlation ID " + quote(r.Correlation))
		}
	}
	if len(r.Notes) > 0 {
		b.WriteString(" (" + strings.Join(r.Notes, "; ") + ")")
	}
	return textsafe.Clean(b.String())
}

func quote(s string) string { return `"` + textsafe.Truncate(s, 80) + `"` }

// Error says why a paste names nothing to look up. Its text is clean.
type Error struct{ Reason string }

func (e *Error) Error() string { return e.Reason }

func reject(reason string) *Error { return &Error{Reason: textsafe.Clean(reason)} }

// Parse reads pasted text. It fails, with a reason, only when the text
// names nothing to look up: empty, an all-zero ID, a header or URL whose ID
// is malformed, words with no ID in them.
func Parse(text string, o Options) (Result, error) {
	if len(text) > MaxLen {
		return Result{}, reject("the pasted text is longer than 64 KiB; paste the trace ID or the log line")
	}
	p := parser{opts: o}
	text = strings.TrimSpace(scrub(text))
	tok := trimNoise(text)
	if tok == "" {
		return Result{}, reject("nothing was pasted")
	}
	var (
		r   Result
		err error
	)
	if strings.ContainsFunc(tok, unicode.IsSpace) || strings.Contains(tok, "{") {
		// Noise is trimmed value by value: a logfmt line's closing quote
		// is not noise.
		r, err = p.text(text)
	} else {
		r, err = p.token(tok)
	}
	if err != nil {
		return Result{}, err
	}
	return r, nil
}

type parser struct {
	opts Options
	// grafana reads "query" fields, in a Grafana Explore URL's JSON.
	grafana bool
}

// scrub removes what a terminal or chat adds that is never part of an ID
// (escape sequences, controls, bidi and zero-width characters) and turns
// tabs and Unicode spaces into plain spaces. Line breaks stay.
func scrub(s string) string {
	s = strings.ReplaceAll(s, "\t", " ")
	s = strings.Join(textsafe.CleanLines(s), "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\u200b', r == '\u200c', r == '\u200d', r == '\u2060', r == '\ufeff', r == utf8.RuneError:
			return -1
		case r != '\n' && unicode.IsSpace(r):
			return ' '
		}
		return r
	}, s)
}

// trimNoise strips whitespace, quotes, brackets and trailing punctuation
// from both ends of a pasted value, as often as they are stacked.
func trimNoise(s string) string {
	for {
		t := strings.TrimSpace(s)
		t = strings.TrimLeft(t, "\"'`“”‘’«»<([")
		t = strings.TrimRight(t, "\"'`“”‘’«»>)],.;")
		if t == s {
			return t
		}
		s = t
	}
}

// token reads text without whitespace.
func (p *parser) token(tok string) (Result, error) {
	if r, err, ok := p.url(tok); ok {
		return r, err
	}
	if r, err, ok := bareValue(tok); ok {
		return r, err
	}
	if isHex(tok) {
		return hexToken(tok)
	}
	if backend.LooksLikeTraceID(tok) {
		id, err := backend.ParseTraceID(tok)
		if err == nil && id != zeroTrace {
			return Result{Source: SourceBase64, Trace: id, Correlation: tok}, nil
		}
		return Result{}, reject("the base64 trace ID is all zeros, which is not a valid ID")
	}
	if strings.ContainsAny(tok, "=:") {
		if r, err, ok := p.fields(tok); ok {
			return r, err
		}
	}
	return correlationToken(tok, nil)
}

// hexToken reads 1–32 hex digits as a trace ID (and a number also as a
// Datadog decimal ID); longer runs are correlation values.
func hexToken(tok string) (Result, error) {
	if strings.Trim(tok, "0") == "" {
		return Result{}, reject("the trace ID is all zeros, which is not a valid ID")
	}
	if len(tok) > 32 {
		return correlationToken(tok, []string{itoa(len(tok)) + " hex digits is too long for a trace ID (at most 32)"})
	}
	if isDigits(tok) {
		return numberToken(tok), nil
	}
	id, _ := backend.ParseTraceID(tok)
	return Result{Source: SourceTraceID, Trace: id, Correlation: tok}, nil
}

// numberToken reads decimal digits as hex, as a Datadog decimal ID and as
// a correlation value. Datadog's 64-bit IDs have 17 to 20 digits, which
// read as hex would be a 128-bit ID with a tiny high half: for those the
// decimal reading comes first.
func numberToken(tok string) Result {
	r := Result{Source: SourceNumber, Correlation: tok}
	hexID, hexErr := backend.ParseTraceID(tok)
	dec, decOK := decimalTrace(tok)
	var ids []backend.TraceID
	switch {
	case decOK && decimalFirst(tok):
		ids = []backend.TraceID{dec}
		if hexErr == nil {
			ids = append(ids, hexID)
		}
	case hexErr == nil:
		ids = []backend.TraceID{hexID}
		if decOK {
			ids = append(ids, dec)
		}
	case decOK:
		ids = []backend.TraceID{dec}
	}
	if len(ids) > 0 {
		r.Trace, r.AltTraces = ids[0], ids[1:]
	}
	if len(r.AltTraces) == 0 {
		r.AltTraces = nil
	}
	return r
}

func decimalFirst(tok string) bool { return isDigits(tok) && len(tok) > 16 && len(tok) <= 20 }

// correlationToken takes a whole token as a correlation value.
func correlationToken(tok string, notes []string) (Result, error) {
	v, ok := correlationValue(tok, false)
	if !ok {
		return Result{}, reject("the pasted text is not a trace ID, and too long or odd to be a correlation ID")
	}
	return Result{Source: SourceText, Correlation: v, Notes: notes}, nil
}

// correlationValue checks a correlation value: clean, short, and without
// whitespace unless it came from a log field (spaces allowed).
func correlationValue(v string, spaces bool) (string, bool) {
	v = trimNoise(v)
	if v == "" || len(v) > MaxCorrelationLen || !textsafe.IsClean(v) {
		return "", false
	}
	if !spaces && strings.ContainsFunc(v, unicode.IsSpace) {
		return "", false
	}
	return v, true
}

// text reads text with whitespace or braces: a JSON or logfmt log line,
// header lines, a sentence holding an ID or a URL.
func (p *parser) text(s string) (Result, error) {
	if r, err, ok := p.fields(s); ok {
		return r, err
	}
	// A URL or a bare ID inside a sentence.
	for _, f := range strings.Fields(s) {
		f = trimNoise(f)
		if r, err, ok := p.url(f); ok && err == nil {
			return r, nil
		}
	}
	for _, f := range strings.Fields(s) {
		f = trimNoise(f)
		if len(f) == 32 && isHex(f) && strings.Trim(f, "0") != "" {
			id, _ := backend.ParseTraceID(f)
			return Result{Source: SourceTextID, Trace: id}, nil
		}
		if r, err, ok := bareValue(f); ok && err == nil {
			return r, nil
		}
	}
	return Result{}, reject("found no trace ID, span ID or correlation ID in the pasted text")
}
