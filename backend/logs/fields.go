package logs

import (
	"math"
	"strconv"
	"time"

	"github.com/tracetui/tracetui/backend"
)

// role is what a field of a log line says, told from its key.
type role uint8

const (
	roleNone role = iota
	roleTrace
	roleTraceDecimal // Datadog's dd.trace_id: decimal, the low 64 bits
	roleSpan
	roleSpanDecimal
	roleTraceparent
	roleTime
	roleLevel
	roleLevelSyslog // journald's PRIORITY: 0 (emerg) to 7 (debug)
	roleLevelOTel   // OpenTelemetry's severity number: 1 to 24
	roleService
	roleMessage
)

// maxKey is the longest key classify looks at; longer keys are ordinary fields.
const maxKey = 48

// classify tells a field's role from its key, spelled any of the usual ways:
// the key is compared lowercased and without '_', '-', '.' and '@', so that
// traceId, trace_id, traceID, trace.id and {"trace":{"id"}} (flattened to
// trace.id) are one key. rank orders the keys of one role: where a line has
// several (message and msg), the lowest rank is the line's and the others
// stay ordinary fields.
//
// Long by the list of spellings it knows, not by its logic.
func classify(key string) (r role, rank uint8) {
	if len(key) > maxKey {
		return roleNone, 0
	}
	var buf [maxKey]byte
	n := 0
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch {
		case c == '_' || c == '-' || c == '.' || c == '@':
			continue
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		buf[n] = c
		n++
	}
	switch string(buf[:n]) {
	// Trace and span IDs (reference/PASTE_FORMATS.md, "Log lines").
	case "traceid", "oteltraceid", "xb3traceid", "logginggoogleapiscom/trace", "trace":
		return roleTrace, 0
	case "ddtraceid":
		return roleTraceDecimal, 0
	case "spanid", "otelspanid", "xb3spanid", "logginggoogleapiscom/spanid":
		return roleSpan, 0
	case "ddspanid":
		return roleSpanDecimal, 0
	case "traceparent":
		return roleTraceparent, 0

	case "time":
		return roleTime, 0
	case "timestamp": // also @timestamp (ECS, Logstash)
		return roleTime, 1
	case "ts": // zap, go-kit
		return roleTime, 2
	case "t": // Grafana's logfmt, Serilog's @t
		return roleTime, 3
	case "datetime":
		return roleTime, 4
	case "asctime": // Python's logging
		return roleTime, 5
	case "realtimetimestamp": // journald's __REALTIME_TIMESTAMP, µs
		return roleTime, 6
	case "timemillis": // log4j2's JsonLayout
		return roleTime, 7
	case "date":
		return roleTime, 8

	case "level":
		return roleLevel, 0
	case "severity":
		return roleLevel, 1
	case "lvl":
		return roleLevel, 2
	case "loglevel": // log.level (ECS), loglevel
		return roleLevel, 3
	case "levelname": // Python's logging
		return roleLevel, 4
	case "severitytext": // OpenTelemetry
		return roleLevel, 5
	case "l": // Serilog's @l
		return roleLevel, 6
	case "severitynumber":
		return roleLevelOTel, 7
	case "priority": // journald
		return roleLevelSyslog, 8

	case "service":
		return roleService, 0
	case "servicename": // service.name (OpenTelemetry, ECS), service_name, serviceName
		return roleService, 1
	case "resourceservicename":
		return roleService, 2
	case "app":
		return roleService, 3
	case "application":
		return roleService, 4
	case "appname":
		return roleService, 5
	case "ddservice":
		return roleService, 6
	case "syslogidentifier": // journald
		return roleService, 7

	case "message":
		return roleMessage, 0
	case "msg":
		return roleMessage, 1
	case "body": // OpenTelemetry
		return roleMessage, 2
	case "m": // Serilog's @m
		return roleMessage, 3
	case "mt": // Serilog's @mt, the template
		return roleMessage, 4
	case "event": // structlog
		return roleMessage, 5
	case "log": // Docker's json-file
		return roleMessage, 6
	case "text":
		return roleMessage, 7
	case "textpayload": // Google Cloud Logging
		return roleMessage, 8
	case "shortmessage": // GELF
		return roleMessage, 9
	}
	return roleNone, 0
}

// parseTraceID reads a trace ID field: hex (any case, 1 to 32 digits),
// Google Cloud's projects/P/traces/<hex> or an X-Ray
// 1-<8 hex>-<24 hex>. lowOnly reports an ID of 16 digits or fewer, which
// names only the low half of a 128-bit trace (64-bit tracers, truncating
// loggers). All zeros is no ID (OpenTelemetry writes it for "no trace").
func parseTraceID(v string) (id backend.TraceID, lowOnly bool) {
	v = trimSpace(v)
	for i := len(v) - 1; i >= 0; i-- {
		if v[i] == '/' {
			v = v[i+1:]
			break
		}
	}
	if len(v) == 35 && v[0] == '1' && v[1] == '-' && v[10] == '-' {
		v = v[2:10] + v[11:]
	}
	// Only hex: loggers write no other form, and base64 would read many
	// words of 11, 12, 22 or 24 letters as IDs.
	if len(v) == 0 || len(v) > 32 || !isHex(v) {
		return "", false
	}
	id, err := backend.ParseTraceID(v)
	if err != nil || isZeroHex(string(id)) {
		return "", false
	}
	return id, len(v) <= 16
}

// parseTraceIDDecimal reads Datadog's dd.trace_id: decimal digits (the low
// 64 bits), or hex when a tracer logs 128-bit IDs that way.
func parseTraceIDDecimal(v string) (backend.TraceID, bool) {
	v = trimSpace(v)
	if n, ok := parseUint(v); ok {
		if n == 0 {
			return "", false
		}
		return backend.TraceIDFromUint64(0, n), true
	}
	return parseTraceID(v)
}

// parseSpanID reads a span ID field, 1 to 16 hex digits; all zeros is none.
func parseSpanID(v string) backend.SpanID {
	v = trimSpace(v)
	if len(v) == 0 || len(v) > 16 || !isHex(v) {
		return ""
	}
	id, err := backend.ParseSpanID(v)
	if err != nil || isZeroHex(string(id)) {
		return ""
	}
	return id
}

// parseSpanIDDecimal reads Datadog's dd.span_id (decimal, else hex).
func parseSpanIDDecimal(v string) backend.SpanID {
	if n, ok := parseUint(trimSpace(v)); ok {
		if n == 0 {
			return ""
		}
		return backend.SpanIDFromUint64(n)
	}
	return parseSpanID(v)
}

// parseTraceparent reads a W3C traceparent, version-traceid-spanid-flags.
func parseTraceparent(v string) (backend.TraceID, backend.SpanID) {
	v = trimSpace(v)
	if len(v) < 55 || v[2] != '-' || v[35] != '-' || v[52] != '-' || !isHex(v[3:35]) || !isHex(v[36:52]) {
		return "", ""
	}
	tid, _ := parseTraceID(v[3:35])
	return tid, parseSpanID(v[36:52])
}

// parseUint parses 1 to 20 decimal digits that fit in a uint64.
func parseUint(v string) (uint64, bool) {
	if len(v) == 0 || len(v) > 20 {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if n > (math.MaxUint64-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}

func isHex(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return len(v) > 0
}

func isZeroHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '0' {
			return false
		}
	}
	return true
}

func trimSpace[S ~string | ~[]byte](v S) S {
	for len(v) > 0 && (v[0] == ' ' || v[0] == '\t') {
		v = v[1:]
	}
	for len(v) > 0 && (v[len(v)-1] == ' ' || v[len(v)-1] == '\t' || v[len(v)-1] == '\r' || v[len(v)-1] == '\n') {
		v = v[:len(v)-1]
	}
	return v
}

// Canonical level names. A level the line spells some other way that is
// not recognised is kept as written.
const (
	LevelTrace = "trace"
	LevelDebug = "debug"
	LevelInfo  = "info"
	LevelWarn  = "warn"
	LevelError = "error"
	LevelFatal = "fatal"
)

// normLevel maps a level as written to a canonical name (and reports
// whether it is an error or worse). Unknown words are returned as written.
func normLevel(v string, r role) (level string, isError bool) {
	v = trimSpace(v)
	if n, ok := parseUint(v); ok {
		return numericLevel(n, r)
	}
	var buf [16]byte
	if len(v) > len(buf) {
		return v, false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	switch string(buf[:len(v)]) {
	case "trace", "trc", "finest", "finer", "verbose":
		return LevelTrace, false
	case "debug", "dbg", "debg", "fine", "d":
		return LevelDebug, false
	case "info", "inf", "information", "informational", "notice", "config", "i":
		return LevelInfo, false
	case "warn", "warning", "wrn", "w":
		return LevelWarn, false
	case "error", "err", "eror", "severe", "e":
		return LevelError, true
	case "fatal", "fatl", "crit", "critical", "panic", "dpanic", "alert", "emerg", "emergency", "f":
		return LevelFatal, true
	}
	return v, false
}

// numericLevel reads a level written as a number: syslog priorities
// (journald), OpenTelemetry severity numbers, and otherwise pino's and
// bunyan's 10 (trace) to 60 (fatal).
func numericLevel(n uint64, r role) (string, bool) {
	switch r {
	case roleLevelSyslog:
		switch {
		case n <= 2:
			return LevelFatal, true
		case n == 3:
			return LevelError, true
		case n == 4:
			return LevelWarn, false
		case n <= 6:
			return LevelInfo, false
		case n == 7:
			return LevelDebug, false
		}
	case roleLevelOTel:
		switch {
		case n >= 1 && n <= 4:
			return LevelTrace, false
		case n >= 5 && n <= 8:
			return LevelDebug, false
		case n >= 9 && n <= 12:
			return LevelInfo, false
		case n >= 13 && n <= 16:
			return LevelWarn, false
		case n >= 17 && n <= 20:
			return LevelError, true
		case n >= 21 && n <= 24:
			return LevelFatal, true
		}
	default:
		switch {
		case n >= 10 && n < 20:
			return LevelTrace, false
		case n >= 20 && n < 30:
			return LevelDebug, false
		case n >= 30 && n < 40:
			return LevelInfo, false
		case n >= 40 && n < 50:
			return LevelWarn, false
		case n >= 50 && n < 60:
			return LevelError, true
		case n >= 60 && n < 70:
			return LevelFatal, true
		}
	}
	return strconv.FormatUint(n, 10), false
}

// parseTime reads a timestamp: RFC 3339 and its usual variants (a space for
// the T, a comma before the fraction, no zone, a zone without a colon), or
// a number since the epoch whose unit is told from its size (seconds, with
// a fraction or not, milliseconds, microseconds, nanoseconds). A time with
// no zone is in loc. It returns nanoseconds since the epoch, 0 when v is
// not a time.
func parseTime(v string, loc *time.Location) int64 {
	v = trimSpace(v)
	if len(v) == 0 {
		return 0
	}
	if len(v) >= 19 && v[4] == '-' && v[7] == '-' && (v[10] == 'T' || v[10] == ' ' || v[10] == 't') {
		return parseDateTime(v, loc)
	}
	return parseEpoch(v)
}

func parseEpoch(v string) int64 {
	intPart, frac := v, ""
	for i := 0; i < len(v); i++ {
		if v[i] == '.' {
			intPart, frac = v[:i], v[i+1:]
			break
		}
	}
	n, ok := parseUint(intPart)
	if !ok || n == 0 {
		return 0
	}
	var fracNS int64
	if len(frac) > 0 {
		if !isDigits(frac) {
			return 0
		}
		fracNS = fraction(frac)
	}
	// The unit is told from the size; a time that int64 nanoseconds cannot
	// hold (before 1678, after 2262) is no time.
	var unit uint64
	switch {
	case n < 1e11: // seconds
		unit = 1e9
	case n < 1e14:
		unit = 1e6
	case n < 1e17:
		unit = 1e3
	default:
		unit = 1
	}
	if n > math.MaxInt64/unit {
		return 0
	}
	return int64(n*unit) + fracNS/int64(1e9/unit)
}

// fraction turns the digits after a decimal point into nanoseconds.
func fraction(d string) int64 {
	var ns int64
	for i := 0; i < 9; i++ {
		ns *= 10
		if i < len(d) {
			ns += int64(d[i] - '0')
		}
	}
	return ns
}

func isDigits(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// parseDateTime reads YYYY-MM-DD?hh:mm:ss[.frac][zone].
func parseDateTime(v string, loc *time.Location) int64 {
	num := func(b string) int {
		n := 0
		for i := 0; i < len(b); i++ {
			c := b[i]
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	year, month, day := num(v[0:4]), num(v[5:7]), num(v[8:10])
	if v[13] != ':' || v[16] != ':' {
		return 0
	}
	hour, minute, sec := num(v[11:13]), num(v[14:16]), num(v[17:19])
	// int64 nanoseconds since the epoch reach from 1677 to 2262; the exact
	// bounds are checked below.
	if year < 1677 || year > 2262 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 60 {
		return 0
	}
	rest := v[19:]
	var ns int64
	if len(rest) > 0 && (rest[0] == '.' || rest[0] == ',') {
		i := 1
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 1 {
			return 0
		}
		ns = fraction(rest[1:i])
		rest = rest[i:]
	}
	off := 0
	switch {
	case len(rest) == 0:
		if loc != time.UTC {
			return time.Date(year, time.Month(month), day, hour, minute, sec, int(ns), loc).UnixNano()
		}
	case len(rest) == 1 && (rest[0] == 'Z' || rest[0] == 'z'):
	case rest == " UTC" || rest == " GMT" || rest == " Z":
	case rest[0] == '+' || rest[0] == '-':
		z := rest[1:]
		if len(z) == 5 && z[2] == ':' {
			z = z[:2] + z[3:]
		}
		var h, m int
		switch len(z) {
		case 2:
			h, m = num(z), 0
		case 4:
			h, m = num(z[:2]), num(z[2:])
		default:
			return 0
		}
		if h < 0 || m < 0 || h > 23 || m > 59 {
			return 0
		}
		off = (h*60 + m) * 60
		if rest[0] == '-' {
			off = -off
		}
	default:
		return 0
	}
	// The civil date's day number (Howard Hinnant's days_from_civil), which
	// costs far less than time.Date's zone lookup.
	y := year
	if month <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (month + 9) % 12
	doy := (153*mp+2)/5 + day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	days := int64(era)*146097 + int64(doe) - 719468
	secs := days*86400 + int64(hour*3600+minute*60+sec) - int64(off)
	if secs > (math.MaxInt64-ns)/1e9 || secs < math.MinInt64/int64(1e9)+1 {
		return 0
	}
	return secs*1e9 + ns
}
