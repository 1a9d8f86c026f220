package analysis

import (
	"slices"
	"strconv"
	"strings"

	"github.com/tracetui/tracetui/backend"
)

// maxChainEntries bounds the memory of all error chains together: a hostile
// trace (a 50,000-span chain fanning out into 50,000 erroring leaves) would
// otherwise need n² entries. Chains past the budget are nil; ChainTo
// computes any one on demand.
const maxChainEntries = 1 << 21

// FindErrorOrigins returns the error spans with no error descendant, where
// an error most likely started: the primary one (earliest start, then
// pre-order) first. Each carries its chain from the root.
func FindErrorOrigins(tree *Tree) []ErrorOrigin {
	spans := tree.Trace.Spans
	n := len(spans)
	// errBelow[i]: some span strictly below i errored. Reverse pre-order
	// visits children before parents.
	errBelow := make([]bool, n)
	for k := len(tree.Order) - 1; k >= 0; k-- {
		v := tree.Order[k]
		if p := tree.Parent[v]; p >= 0 && (spans[v].Error || errBelow[v]) {
			errBelow[p] = true
		}
	}
	origins := []ErrorOrigin{}
	for _, v := range tree.Order {
		if spans[v].Error && !errBelow[v] {
			origins = append(origins, ErrorOrigin{Span: v})
		}
	}
	slices.SortStableFunc(origins, func(a, b ErrorOrigin) int {
		return cmp64(spans[a.Span].Start, spans[b.Span].Start)
	})
	budget := maxChainEntries
	for k := range origins {
		v := origins[k].Span
		if int(tree.Depth[v])+1 > budget {
			break
		}
		origins[k].Chain = ChainTo(tree, v)
		budget -= len(origins[k].Chain)
	}
	return origins
}

// ChainTo returns the path from span i's root to i, both included.
func ChainTo(tree *Tree, i int32) []int32 {
	if i < 0 || int(i) >= len(tree.Parent) {
		return nil
	}
	chain := make([]int32, 0, tree.Depth[i]+1)
	for v := i; v >= 0; v = tree.Parent[v] {
		chain = append(chain, v)
	}
	slices.Reverse(chain)
	return chain
}

// ErrorReason says why a span failed, in its instrumentation's words: its
// OTel status message; else the message of its first exception or error
// event (OTel's RecordError, an error-level log, an OpenTracing error log);
// else its tags: error.message or exception.message, a textual error tag
// (Zipkin's carries the message; "true" says nothing), error.type, then an
// HTTP (400 and up) or gRPC (not OK) status code. "" when the span says
// nothing. The text is the span's own: sanitize it before showing it.
//
// Surrounding white space is trimmed: HotROD's error fields end in a
// newline.
func ErrorReason(s *backend.Span) string {
	if m := strings.TrimSpace(s.Status.Message); m != "" {
		return m
	}
	for _, l := range s.Logs {
		if m := eventReason(l.Fields); m != "" {
			return strings.TrimSpace(m)
		}
	}
	return strings.TrimSpace(tagReason(s.Tags))
}

// eventReason is the message of an event that records an error, or "".
func eventReason(fields []backend.KeyValue) string {
	var event, msg, typ string
	isErr := false
	for _, f := range fields {
		v := f.Value()
		switch f.Key {
		case "event":
			event = v
			isErr = isErr || strings.EqualFold(v, "exception") || strings.EqualFold(v, "error")
		case "level", "log.level", "severity":
			isErr = isErr || strings.EqualFold(v, "error") || strings.EqualFold(v, "fatal") || strings.EqualFold(v, "critical")
		case "exception.message", "error.message", "message", "error.object":
			if msg == "" && strings.TrimSpace(v) != "" {
				msg = v
			}
			isErr = isErr || f.Key != "message"
		case "error":
			if f.Type == backend.TypeString && msg == "" && isMessage(v) {
				msg = v
			}
		case "exception.type":
			typ = v
			isErr = true
		}
	}
	switch {
	case !isErr:
		return ""
	case msg != "":
		return msg
	case typ != "":
		return typ
	case strings.EqualFold(event, "exception") || strings.EqualFold(event, "error"):
		return ""
	}
	return event
}

// tagReason is the most telling error tag, or "".
func tagReason(tags []backend.KeyValue) string {
	find := func(keys ...string) (backend.KeyValue, bool) {
		for _, k := range keys {
			for _, kv := range tags {
				if kv.Key == k {
					return kv, true
				}
			}
		}
		return backend.KeyValue{}, false
	}
	if kv, ok := find("error.message", "exception.message"); ok && strings.TrimSpace(kv.Value()) != "" {
		return kv.Value()
	}
	for _, kv := range tags {
		if kv.Key == "error" && kv.Type == backend.TypeString && isMessage(kv.Str) {
			return kv.Str
		}
	}
	if kv, ok := find("error.type"); ok && strings.TrimSpace(kv.Value()) != "" {
		return kv.Value()
	}
	if kv, ok := find("http.response.status_code", "http.status_code"); ok {
		if code, err := strconv.Atoi(kv.Value()); err == nil && code >= 400 {
			return "HTTP " + strconv.Itoa(code)
		}
	}
	if kv, ok := find("rpc.grpc.status_code"); ok {
		if code, err := strconv.Atoi(kv.Value()); err == nil && code != 0 {
			return "gRPC status " + strconv.Itoa(code)
		}
	}
	return ""
}

// isMessage reports an error tag's text that says more than that there
// was an error.
func isMessage(v string) bool {
	v = strings.TrimSpace(v)
	return v != "" && !strings.EqualFold(v, "true") && !strings.EqualFold(v, "false")
}
