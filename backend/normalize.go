package backend

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Finish derives a span's ParentID and Error flag from what a decoder filled
// in. Decoders call it once per span after setting References, Tags and Status.
//
// The parent is the first CHILD_OF reference within the span's own trace,
// else its first FOLLOWS_FROM within the trace (Jaeger UI's rule). A
// reference to another trace is never the parent: Jaeger shows an OTel
// link as FOLLOWS_FROM, and a span with no parent and a link to the trace
// that caused it is a root with a link, not a span whose parent is missing.
func (s *Span) Finish() {
	s.ParentID = ""
	if i := s.ChildOfRef(); i >= 0 {
		s.ParentID = s.References[i].SpanID
	}
	if s.ParentID == "" {
		for _, r := range s.References {
			if r.Type != RefLink && s.inTrace(r) {
				s.ParentID = r.SpanID
				break
			}
		}
	}
	if s.ParentID == s.SpanID {
		// A self-parent would make the span its own ancestor; analysis would
		// warn about it, but no source means it.
		s.ParentID = ""
	}
	s.Error = s.Status.Code == StatusError || hasErrorTag(s.Tags)
}

// ChildOfRef is the index of the span's first CHILD_OF reference within its
// own trace, the one Finish takes for the parent first, or -1.
func (s *Span) ChildOfRef() int {
	for i, r := range s.References {
		if r.Type == RefChildOf && s.inTrace(r) {
			return i
		}
	}
	return -1
}

// inTrace reports whether a reference points into the span's own trace: it
// names no trace or this one, a 64-bit form of it included (instrumentation
// that mixes 64- and 128-bit IDs writes both for one trace).
func (s *Span) inTrace(r Ref) bool {
	a, b := r.TraceID, s.TraceID
	if a == "" || b == "" || a == b {
		return true
	}
	zeros := TraceID(zeros32[:16])
	return len(a) == 32 && len(b) == 32 && a[16:] == b[16:] && (a[:16] == zeros || b[:16] == zeros)
}

// hasErrorTag looks at every "error" tag: Jaeger's Zipkin conversion writes
// both a string message and error=true, in either order.
func hasErrorTag(tags []KeyValue) bool {
	for _, kv := range tags {
		if kv.Key != "error" {
			continue
		}
		if (kv.Type == TypeBool && kv.BoolValue()) || (kv.Type == TypeString && strings.EqualFold(kv.Str, "true")) {
			return true
		}
	}
	return false
}

// Summarize builds the search-result row of a trace. The root is the
// earliest span whose parent is not in the trace.
func Summarize(t *Trace) TraceSummary {
	sum := TraceSummary{TraceID: t.ID, SpanCount: len(t.Spans)}
	if len(t.Spans) == 0 {
		return sum
	}
	ids := make(map[SpanID]struct{}, len(t.Spans))
	for i := range t.Spans {
		ids[t.Spans[i].SpanID] = struct{}{}
	}
	start, end := t.Spans[0].Start, t.Spans[0].End()
	root := -1
	counts := make(map[string]*ServiceCount)
	for i := range t.Spans {
		s := &t.Spans[i]
		start = min(start, s.Start)
		end = max(end, s.End())
		if s.Error {
			sum.ErrorCount++
		}
		c := counts[s.Service]
		if c == nil {
			c = &ServiceCount{Name: s.Service}
			counts[s.Service] = c
		}
		c.SpanCount++
		if s.Error {
			c.ErrorCount++
		}
		_, hasParent := ids[s.ParentID]
		if s.ParentID == "" || !hasParent {
			if root < 0 || s.Start < t.Spans[root].Start {
				root = i
			}
		}
	}
	if root < 0 {
		root = 0
	}
	sum.RootService = t.Spans[root].Service
	sum.RootOperation = t.Spans[root].Operation
	sum.Start = start
	sum.Duration = end - start
	for _, c := range counts {
		sum.Services = append(sum.Services, *c)
	}
	slices.SortFunc(sum.Services, func(a, b ServiceCount) int {
		if a.SpanCount != b.SpanCount {
			return b.SpanCount - a.SpanCount
		}
		return strings.Compare(a.Name, b.Name)
	})
	return sum
}

// MatchTrace reports whether a trace matches a query with Jaeger's
// semantics: some single span has the service, operation, every tag (span
// tags, process tags or log fields, compared as text) and a duration within
// the bounds, and the trace starts within the query's window. Backends that
// search in memory (file, demo) use it.
func MatchTrace(t *Trace, q Query, startNs, endNs int64) bool {
	if len(t.Spans) == 0 {
		return false
	}
	first := t.Spans[0].Start
	for i := range t.Spans {
		first = min(first, t.Spans[i].Start)
	}
	if (startNs != 0 && first < startNs) || (endNs != 0 && first > endNs) {
		return false
	}
	for i := range t.Spans {
		if MatchSpan(&t.Spans[i], q) {
			return true
		}
	}
	return false
}

// MatchSpan reports whether one span satisfies a query's span conditions.
func MatchSpan(s *Span, q Query) bool {
	if q.Service != "" && s.Service != q.Service {
		return false
	}
	if q.Operation != "" && s.Operation != q.Operation {
		return false
	}
	if q.MinDuration > 0 && s.Duration < int64(q.MinDuration) {
		return false
	}
	if q.MaxDuration > 0 && s.Duration > int64(q.MaxDuration) {
		return false
	}
	for _, tag := range q.Tags {
		if !spanHasTag(s, tag) {
			return false
		}
	}
	return true
}

func spanHasTag(s *Span, tag Tag) bool {
	match := func(kvs []KeyValue) bool {
		for _, kv := range kvs {
			if kv.Key == tag.Key && kv.Value() == tag.Value {
				return true
			}
		}
		return false
	}
	if match(s.Tags) {
		return true
	}
	if s.Process != nil && match(s.Process.Tags) {
		return true
	}
	for _, l := range s.Logs {
		if match(l.Fields) {
			return true
		}
	}
	// error=true also matches spans whose error comes from an OTel status.
	return tag.Key == "error" && tag.Value == "true" && s.Error
}

// NewestFirst sorts summaries by start time, newest first (then by ID, so
// that equal starts keep a stable order), and keeps at most limit of them.
func NewestFirst(out []TraceSummary, limit int) []TraceSummary {
	slices.SortStableFunc(out, func(x, y TraceSummary) int {
		switch {
		case x.Start > y.Start:
			return -1
		case x.Start < y.Start:
			return 1
		}
		return strings.Compare(string(x.TraceID), string(y.TraceID))
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// wallClock is the earliest start read as a real time (a day after the
// epoch). In a trace whose spans start after it, a span at 0 has no
// timestamp: Jaeger stores a Zipkin fragment that had none as 0. A trace
// entirely near 0 (test data in relative times) is left alone.
const wallClock = int64(24 * time.Hour)

// Warnings of PlaceUntimed, on the span.
const (
	WarnUntimedParent = "no start time: drawn at its parent's start"
	WarnUntimedTrace  = "no start time: drawn at the trace's first start"
)

// maxUntimedListed bounds the untimed spans named in the trace's warnings.
const maxUntimedListed = 10

// PlaceUntimed gives each span without a start time (see wallClock) its
// parent's start, or its nearest ancestor's with one, else the trace's
// first start, and says so in the span's warnings and the trace's. Drawn at
// 0, such a span stretched the time axis to 17,865 days and ruined every
// interval computed from it. Backends call it on each trace they hand out;
// it runs in O(n), allocates nothing when every span has a start, and a
// second call changes nothing. It returns how many spans it placed.
func PlaceUntimed(t *Trace) int {
	spans := t.Spans
	first, untimed := int64(0), false
	for i := range spans {
		switch st := spans[i].Start; {
		case st == 0:
			untimed = true
		case st >= wallClock && (first == 0 || st < first):
			first = st
		}
	}
	if !untimed || first == 0 {
		return 0
	}
	index := make(map[SpanID]int, len(spans))
	for i := range spans {
		if _, dup := index[spans[i].SpanID]; !dup {
			index[spans[i].SpanID] = i
		}
	}
	placed := 0
	var listed []string
	var path []int
	for i := range spans {
		if spans[i].Start != 0 {
			continue
		}
		// Walk up to the first span with a start (placed ones included),
		// then give every span of the walk that start: each span is walked
		// once. The step bound ends parent cycles.
		path = append(path[:0], i)
		start, warn := first, WarnUntimedTrace
		for v, steps := i, 0; steps < len(spans); steps++ {
			p, ok := index[spans[v].ParentID]
			if spans[v].ParentID == "" || !ok || p == v {
				break
			}
			if spans[p].Start != 0 {
				start, warn = spans[p].Start, WarnUntimedParent
				break
			}
			path = append(path, p)
			v = p
		}
		for _, k := range path {
			if spans[k].Start != 0 {
				continue // met again on a cycle
			}
			s := &spans[k]
			s.Start = start
			s.Warnings = append(s.Warnings, warn)
			placed++
			if len(listed) < maxUntimedListed {
				listed = append(listed, "span "+string(s.SpanID)+" has "+warn)
			}
		}
	}
	t.Warnings = append(t.Warnings, listed...)
	if placed > len(listed) {
		t.Warnings = append(t.Warnings, "and "+strconv.Itoa(placed-len(listed))+" more spans with no start time")
	}
	return placed
}
