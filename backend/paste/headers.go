package paste

import (
	"strconv"
	"strings"

	"github.com/tracetui/tracetui/backend"
)

// ids is what one header value or field names.
type ids struct {
	trace backend.TraceID
	alts  []backend.TraceID
	span  backend.SpanID
	notes []string
}

// bareValue recognises a propagation header's value pasted without its
// name: traceparent, b3 single, uber-trace-id, X-Ray. ok is false for
// anything else; err is set when the shape is clear but its IDs are not.
func bareValue(v string) (Result, error, bool) {
	var (
		source string
		f      func(string) (ids, string)
	)
	switch {
	case looksTraceparent(v):
		source, f = SourceTraceparent, traceparent
	case looksB3(v):
		source, f = SourceB3, b3Single
	case looksUber(v):
		source, f = SourceUber, uber
	case looksXRay(v):
		source, f = SourceXRay, xray
	default:
		return Result{}, nil, false
	}
	got, why := f(v)
	if why != "" {
		return Result{}, reject(why), true
	}
	return Result{Source: source, Trace: got.trace, AltTraces: got.alts, Span: got.span, Notes: got.notes}, nil, true
}

// looksTraceparent: version (2 hex), then at least three dash-separated hex
// fields, the second of them long (a trace ID, maybe mistyped).
func looksTraceparent(v string) bool {
	parts := strings.Split(v, "-")
	return len(parts) >= 4 && len(parts[0]) == 2 && isHex(parts[0]) &&
		len(parts[1]) >= 8 && isHex(parts[1]) && isHex(parts[2]) && isHex(parts[3])
}

// traceparent reads a W3C traceparent value: 00-<32 hex>-<16 hex>-<2 hex>.
func traceparent(v string) (ids, string) {
	const want = "traceparent wants 00-<32 hex trace ID>-<16 hex parent ID>-<2 hex flags>"
	parts := strings.Split(v, "-")
	if len(parts) < 4 || len(parts[0]) != 2 || !isHex(parts[0]) {
		return ids{}, want
	}
	ver := strings.ToLower(parts[0])
	if ver == "ff" {
		return ids{}, "traceparent version ff is invalid"
	}
	if ver == "00" && len(parts) != 4 {
		return ids{}, want
	}
	if len(parts[1]) != 32 || !isHex(parts[1]) || len(parts[2]) != 16 || !isHex(parts[2]) || len(parts[3]) != 2 || !isHex(parts[3]) {
		return ids{}, want
	}
	trace, why := hexTrace(parts[1], "traceparent's trace ID")
	if why != "" {
		return ids{}, why
	}
	out := ids{trace: trace}
	out.span, why = hexSpan(parts[2], "traceparent's parent span ID")
	if why != "" {
		out.notes = append(out.notes, why)
	}
	return out, ""
}

// looksB3: <16 or 32 hex>-<16 hex>[-…].
func looksB3(v string) bool {
	parts := strings.Split(v, "-")
	return len(parts) >= 2 && len(parts) <= 4 && (len(parts[0]) == 16 || len(parts[0]) == 32) &&
		isHex(parts[0]) && len(parts[1]) == 16 && isHex(parts[1])
}

// b3Single reads a b3 header: <trace>-<span>[-<sampling>[-<parent>]], or a
// lone sampling decision, which names no trace.
func b3Single(v string) (ids, string) {
	switch strings.ToLower(v) {
	case "0", "1", "d":
		return ids{}, "b3: " + v + " carries only a sampling decision, no trace ID"
	}
	parts := strings.Split(v, "-")
	if len(parts) < 2 || len(parts) > 4 || (len(parts[0]) != 16 && len(parts[0]) != 32) || !isHex(parts[0]) {
		return ids{}, "b3 wants <16 or 32 hex trace ID>-<16 hex span ID>[-<sampling>[-<parent ID>]]"
	}
	trace, why := hexTrace(parts[0], "b3's trace ID")
	if why != "" {
		return ids{}, why
	}
	out := ids{trace: trace}
	if len(parts[1]) != 16 {
		out.notes = append(out.notes, "b3's span ID is not 16 hex digits")
	} else if out.span, why = hexSpan(parts[1], "b3's span ID"); why != "" {
		out.notes = append(out.notes, why)
	}
	return out, ""
}

// looksUber: four colon-separated hex fields (the colons maybe %3A).
func looksUber(v string) bool {
	parts := strings.Split(unescapeColons(v), ":")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		if !isHex(p) {
			return false
		}
	}
	return true
}

func unescapeColons(v string) string {
	return strings.ReplaceAll(strings.ReplaceAll(v, "%3A", ":"), "%3a", ":")
}

// uber reads Jaeger's uber-trace-id: {trace}:{span}:{parent}:{flags}, hex,
// leading zeros often dropped.
func uber(v string) (ids, string) {
	parts := strings.Split(unescapeColons(v), ":")
	if len(parts) != 4 || !isHex(parts[0]) || len(parts[0]) > 32 || !isHex(parts[1]) {
		return ids{}, "uber-trace-id wants {trace-id}:{span-id}:{parent-span-id}:{flags}"
	}
	trace, why := hexTrace(parts[0], "uber-trace-id's trace ID")
	if why != "" {
		return ids{}, why
	}
	out := ids{trace: trace}
	if out.span, why = hexSpan(parts[1], "uber-trace-id's span ID"); why != "" {
		out.notes = append(out.notes, why)
	}
	return out, ""
}

func looksXRay(v string) bool {
	l := strings.ToLower(v)
	if strings.HasPrefix(l, "root=") || strings.Contains(l, ";root=") {
		return true
	}
	_, ok := xrayRoot(v)
	return ok
}

// xray reads AWS X-Ray's header: Root=1-<8 hex time>-<24 hex>;Parent=<16
// hex>;Sampled=1 (other fields, such as Self, ignored). The OpenTelemetry
// trace ID is the time and the rest joined.
func xray(v string) (ids, string) {
	var root, parent string
	if _, ok := xrayRoot(v); ok {
		root = v
	}
	for _, f := range strings.Split(v, ";") {
		k, val, _ := strings.Cut(strings.TrimSpace(f), "=")
		switch strings.ToLower(k) {
		case "root":
			root = val
		case "parent":
			parent = val
		}
	}
	if root == "" {
		return ids{}, "X-Amzn-Trace-Id has no Root=1-<8 hex>-<24 hex>"
	}
	id, ok := xrayRoot(root)
	if !ok {
		return ids{}, "X-Amzn-Trace-Id's Root is not 1-<8 hex>-<24 hex>"
	}
	trace, why := hexTrace(id, "X-Amzn-Trace-Id's Root")
	if why != "" {
		return ids{}, why
	}
	out := ids{trace: trace}
	if parent != "" {
		if out.span, why = hexSpan(parent, "X-Amzn-Trace-Id's Parent"); why != "" {
			out.notes = append(out.notes, why)
		}
	}
	return out, ""
}

// xrayRoot turns 1-<8 hex>-<24 hex> into 32 hex.
func xrayRoot(v string) (string, bool) {
	parts := strings.Split(v, "-")
	if len(parts) != 3 || parts[0] != "1" || len(parts[1]) != 8 || len(parts[2]) != 24 || !isHex(parts[1]) || !isHex(parts[2]) {
		return "", false
	}
	return parts[1] + parts[2], true
}

// hexTrace reads 1–32 hex digits as a trace ID; why says what is wrong,
// naming the value's origin.
func hexTrace(v, what string) (backend.TraceID, string) {
	if v == "" || len(v) > 32 || !isHex(v) {
		return "", what + " is not 1–32 hex digits"
	}
	if strings.Trim(v, "0") == "" {
		return "", what + " is all zeros, which is not a valid ID"
	}
	id, err := backend.ParseTraceID(v)
	if err != nil {
		return "", what + " is not a trace ID"
	}
	return id, ""
}

// hexSpan reads 1–16 hex digits as a span ID.
func hexSpan(v, what string) (backend.SpanID, string) {
	if v == "" || len(v) > 16 || !isHex(v) {
		return "", what + " is not 1–16 hex digits"
	}
	if strings.Trim(v, "0") == "" {
		return "", what + " is all zeros, which is not a valid ID"
	}
	id, err := backend.ParseSpanID(v)
	if err != nil {
		return "", what + " is not a span ID"
	}
	return id, ""
}

// decimalTrace reads a non-zero unsigned 64-bit decimal as a trace ID
// (Datadog's form: the low half of the trace ID).
func decimalTrace(v string) (backend.TraceID, bool) {
	if !isDigits(v) {
		return "", false
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil || n == 0 {
		return "", false
	}
	return backend.TraceIDFromUint64(0, n), true
}

func decimalSpan(v string) (backend.SpanID, bool) {
	if !isDigits(v) {
		return "", false
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil || n == 0 {
		return "", false
	}
	return backend.SpanIDFromUint64(n), true
}

func isHex(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func itoa(n int) string { return strconv.Itoa(n) }
