// Package backend is the contract between trace sources and everything that
// reads traces: the normalized model, the Backend interface, typed errors and
// ID parsing. It does no HTTP and knows no wire format.
package backend

import (
	"context"
	"encoding/hex"
	"math"
	"strconv"
	"strings"
	"time"
)

// TraceID is a trace ID normalized to 32 lowercase hex digits. IDs that are
// not hex (hostile or broken input) are kept as given, so that nothing is
// dropped; Valid tells them apart.
type TraceID string

// SpanID is a span ID normalized to 16 lowercase hex digits, or kept as given
// when it is not hex (Jaeger UI test traces use IDs such as "span-2_1").
type SpanID string

// SpanKind follows OpenTelemetry's kinds; Unspecified covers Jaeger spans
// without a span.kind tag and Zipkin local spans.
type SpanKind uint8

const (
	KindUnspecified SpanKind = iota
	KindInternal
	KindServer
	KindClient
	KindProducer
	KindConsumer
)

// String gives the lowercase name used by Jaeger's span.kind tag, or "" when
// unspecified.
func (k SpanKind) String() string {
	switch k {
	case KindInternal:
		return "internal"
	case KindServer:
		return "server"
	case KindClient:
		return "client"
	case KindProducer:
		return "producer"
	case KindConsumer:
		return "consumer"
	}
	return ""
}

// ParseSpanKind accepts Jaeger tag values, Zipkin kinds and OTLP enum names
// in any case ("server", "SERVER", "SPAN_KIND_SERVER").
func ParseSpanKind(s string) SpanKind {
	switch strings.ToLower(trimPrefixFold(s, "SPAN_KIND_")) {
	case "internal":
		return KindInternal
	case "server":
		return KindServer
	case "client":
		return KindClient
	case "producer":
		return KindProducer
	case "consumer":
		return KindConsumer
	}
	return KindUnspecified
}

func trimPrefixFold(s, prefix string) string {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):]
	}
	return s
}

// StatusCode is the OpenTelemetry span status.
type StatusCode uint8

const (
	StatusUnset StatusCode = iota
	StatusOK
	StatusError
)

// Status is a span's OpenTelemetry status; Jaeger and Zipkin spans carry it
// as tags (otel.status_code, error), which decoders fold in here too.
type Status struct {
	Code    StatusCode
	Message string
}

// RefType says how a span relates to the span a reference points at.
type RefType uint8

const (
	RefChildOf RefType = iota
	RefFollowsFrom
	// RefLink is an OpenTelemetry link that is not the parent.
	RefLink
)

func (r RefType) String() string {
	switch r {
	case RefChildOf:
		return "CHILD_OF"
	case RefFollowsFrom:
		return "FOLLOWS_FROM"
	default:
		return "LINK"
	}
}

// Ref is a reference from one span to another, possibly in another trace.
type Ref struct {
	Type    RefType
	TraceID TraceID
	SpanID  SpanID
	// Attributes carries OTLP link attributes; nil for Jaeger references.
	Attributes []KeyValue
}

// ValueType is the type of a tag value.
type ValueType uint8

const (
	TypeString ValueType = iota
	TypeBool
	TypeInt64
	TypeFloat64
	// TypeBinary holds raw bytes in Str.
	TypeBinary
	// TypeJSON holds an OTLP array or key-value list, rendered as JSON in Str.
	TypeJSON
)

func (t ValueType) String() string {
	switch t {
	case TypeBool:
		return "bool"
	case TypeInt64:
		return "int64"
	case TypeFloat64:
		return "float64"
	case TypeBinary:
		return "binary"
	case TypeJSON:
		return "json"
	default:
		return "string"
	}
}

// KeyValue is a typed tag, process tag, resource attribute or log field.
// Numbers and bools live in Num so that a tag costs one string less.
type KeyValue struct {
	Key  string
	Type ValueType
	// Str is the value of string, binary and JSON tags.
	Str string
	// Num is an int64 (also bool as 0/1) or the bits of a float64.
	Num int64
}

// String builds a string tag.
func String(key, value string) KeyValue { return KeyValue{Key: key, Type: TypeString, Str: value} }

// Bool builds a bool tag.
func Bool(key string, v bool) KeyValue {
	kv := KeyValue{Key: key, Type: TypeBool}
	if v {
		kv.Num = 1
	}
	return kv
}

// Int64 builds an int64 tag.
func Int64(key string, v int64) KeyValue { return KeyValue{Key: key, Type: TypeInt64, Num: v} }

// Float64 builds a float64 tag.
func Float64(key string, v float64) KeyValue {
	return KeyValue{Key: key, Type: TypeFloat64, Num: int64(math.Float64bits(v))}
}

// Binary builds a binary tag from raw bytes.
func Binary(key string, b []byte) KeyValue {
	return KeyValue{Key: key, Type: TypeBinary, Str: string(b)}
}

// BoolValue reports the value of a bool tag.
func (kv KeyValue) BoolValue() bool { return kv.Num != 0 }

// FloatValue reports the value of a float64 tag.
func (kv KeyValue) FloatValue() float64 { return math.Float64frombits(uint64(kv.Num)) }

// Value formats the value as text the way Jaeger UI shows it: binary as hex,
// floats in the shortest form. The result is not sanitized.
func (kv KeyValue) Value() string {
	switch kv.Type {
	case TypeBool:
		return strconv.FormatBool(kv.BoolValue())
	case TypeInt64:
		return strconv.FormatInt(kv.Num, 10)
	case TypeFloat64:
		return strconv.FormatFloat(kv.FloatValue(), 'g', -1, 64)
	case TypeBinary:
		return hex.EncodeToString([]byte(kv.Str))
	default:
		return kv.Str
	}
}

// Log is a Jaeger log or an OTLP event; an event's name is the field "event".
type Log struct {
	Time   int64 // ns since the epoch
	Fields []KeyValue
}

// Process is what emitted a span: Jaeger's process, OTLP's resource, Zipkin's
// local endpoint. Spans of one process share one *Process.
type Process struct {
	Service string
	Tags    []KeyValue
}

// Span is one normalized span. Times are nanoseconds since the epoch.
type Span struct {
	TraceID TraceID
	SpanID  SpanID
	// ParentID is the first CHILD_OF reference in this trace, else the first
	// reference; "" for a root.
	ParentID   SpanID
	References []Ref
	Service    string
	Operation  string
	Kind       SpanKind
	Start      int64
	Duration   int64
	Tags       []KeyValue
	Process    *Process
	Logs       []Log
	Status     Status
	Warnings   []string
	// Error is derived: error=true tag, OTel status ERROR or a Zipkin error tag.
	Error bool
}

// End is the span's end time in nanoseconds since the epoch.
func (s *Span) End() int64 { return s.Start + s.Duration }

// Tag returns the first tag with the given key.
func (s *Span) Tag(key string) (KeyValue, bool) {
	for _, kv := range s.Tags {
		if kv.Key == key {
			return kv, true
		}
	}
	return KeyValue{}, false
}

// Trace is one trace: its spans in no particular order, and warnings about
// the trace as a whole (decoding problems, truncation).
type Trace struct {
	ID       TraceID
	Spans    []Span
	Warnings []string
}

// Operation is an operation name with its span kind ("" when unknown).
type Operation struct {
	Name string
	Kind string
}

// ServiceCount is a service's share of a trace in a summary.
type ServiceCount struct {
	Name       string
	SpanCount  int
	ErrorCount int
}

// TraceSummary is one row of search results.
type TraceSummary struct {
	TraceID       TraceID
	RootService   string
	RootOperation string
	Start         int64 // ns since the epoch
	Duration      int64 // ns
	SpanCount     int
	ErrorCount    int
	Services      []ServiceCount
	// Unknown marks the numbers a source gave that cannot be (a span count
	// of "NaN" or -5, a start in the year 1677): they are zero here, and a
	// view shows them as unknown, not as values. Warnings say what was
	// wrong, for the user.
	Unknown  SummaryFields
	Warnings []string
}

// SummaryFields is a set of a TraceSummary's numbers.
type SummaryFields uint8

const (
	SummaryStart SummaryFields = 1 << iota
	SummaryDuration
	SummarySpanCount
	SummaryErrorCount
)

// Has reports whether f holds all of g.
func (f SummaryFields) Has(g SummaryFields) bool { return f&g == g }

// Tag is one key=value condition of a search.
type Tag struct {
	Key, Value string
}

// Query is a trace search. Zero values mean "no condition"; Start and End
// default to the last hour when zero.
type Query struct {
	Service     string
	Operation   string
	Tags        []Tag
	Start, End  time.Time
	MinDuration time.Duration
	MaxDuration time.Duration
	// Limit is the number of traces wanted; 0 means the default (20).
	Limit int
}

// DefaultLimit is the number of traces a search returns when Query.Limit is 0.
const DefaultLimit = 20

// DefaultLookback is the search window when a query gives no start time.
const DefaultLookback = time.Hour

// Window returns the query's time window with defaults filled in.
func (q Query) Window(now time.Time) (start, end time.Time) {
	end = q.End
	if end.IsZero() {
		end = now
	}
	start = q.Start
	if start.IsZero() {
		start = end.Add(-DefaultLookback)
	}
	return start, end
}

// EffectiveLimit is Limit or DefaultLimit.
func (q Query) EffectiveLimit() int {
	if q.Limit > 0 {
		return q.Limit
	}
	return DefaultLimit
}

// TraceOptions narrows a trace lookup.
type TraceOptions struct {
	// Raw asks the server to skip its own adjusters (Jaeger raw=true).
	Raw bool
	// Start and End, when set, narrow the time window the server searches.
	Start, End time.Time
}

// Dependency is one service-to-service edge from a backend's dependency API.
type Dependency struct {
	Parent, Child string
	CallCount     int64
	ErrorCount    int64
}

// Backend is a source of traces. Every method honours ctx cancellation and
// returns *Error for failures a user can act on.
type Backend interface {
	// Name describes the backend for the status bar, e.g. "jaeger http://localhost:16686".
	// It never includes credentials.
	Name() string
	Services(ctx context.Context) ([]string, error)
	Operations(ctx context.Context, service string) ([]Operation, error)
	// Search returns summaries of matching traces, newest first, at most q.EffectiveLimit().
	Search(ctx context.Context, q Query) ([]TraceSummary, error)
	// Trace returns one whole trace; an unknown ID gives an error of kind NotFound.
	Trace(ctx context.Context, id TraceID, opts TraceOptions) (*Trace, error)
}

// DependencyLister is implemented by backends that can list service dependencies.
type DependencyLister interface {
	Dependencies(ctx context.Context, end time.Time, lookback time.Duration) ([]Dependency, error)
}
