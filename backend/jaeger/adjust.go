package jaeger

import (
	"fmt"
	"reflect"
	"slices"

	"github.com/tracetui/tracetui/backend"
)

// adjustRaw does here what Jaeger's query service does to a trace before it
// answers without raw=true, of the adjusters that change its structure:
// exact copies of a span (stored twice) are dropped, and the server half of
// a Zipkin shared span (the client's span ID reused by the server) gets an
// unused ID, becomes the client half's child, and takes over its children.
// The new IDs are the ones Jaeger picks (the lowest unused from 1 up), so a
// trace reads the same either way.
//
// Whole traces are fetched raw because the server's adjusters are what make
// a big trace slow: on Jaeger v1.76 they hold back the first byte of a
// 100,000-span answer by about four seconds, while this takes a few
// milliseconds. Its clock-skew correction (off by default) is left out on
// purpose: tracetui detects skew itself and adjusts only when asked.
func adjustRaw(tr *backend.Trace) {
	seen := make(map[backend.SpanID]struct{}, len(tr.Spans))
	repeated := false
	for i := range tr.Spans {
		id := tr.Spans[i].SpanID
		if _, ok := seen[id]; ok {
			repeated = true
			break
		}
		seen[id] = struct{}{}
	}
	if !repeated {
		return
	}
	dropCopies(tr)
	splitShared(tr)
}

// dropCopies removes spans equal in every field to an earlier span.
func dropCopies(tr *backend.Trace) {
	kept := make(map[backend.SpanID][]int, len(tr.Spans))
	out := tr.Spans[:0]
	for i := range tr.Spans {
		s := tr.Spans[i]
		dup := false
		for _, k := range kept[s.SpanID] {
			if reflect.DeepEqual(out[k], s) {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		kept[s.SpanID] = append(kept[s.SpanID], len(out))
		out = append(out, s)
	}
	clear(tr.Spans[len(out):])
	tr.Spans = out
}

// splitShared gives each server span that shares its ID with a client span
// a new ID and makes it that client span's child; spans that named the
// shared ID as their parent then hang under the server half, where the
// callee's own work belongs.
func splitShared(tr *backend.Trace) {
	used := make(map[backend.SpanID]bool, len(tr.Spans)) // value: a client span has the ID
	for i := range tr.Spans {
		s := &tr.Spans[i]
		used[s.SpanID] = used[s.SpanID] || s.Kind == backend.KindClient
	}
	renamed := map[backend.SpanID]backend.SpanID{}
	moved := map[int]bool{}
	var last uint64
	for i := range tr.Spans {
		s := &tr.Spans[i]
		if s.Kind != backend.KindServer || !used[s.SpanID] {
			continue
		}
		id, ok := unusedID(used, &last)
		if !ok {
			s.Warnings = append(s.Warnings, "span ID shared with a client span, and no unused ID is left to give it")
			continue
		}
		old := s.SpanID
		renamed[old] = id
		moved[i] = true
		s.SpanID = id
		setParent(s, old)
	}
	if len(renamed) == 0 {
		return
	}
	for i := range tr.Spans {
		s := &tr.Spans[i]
		if id, ok := renamed[s.ParentID]; ok && !moved[i] {
			setParent(s, id)
		}
	}
}

// unusedID returns the lowest span ID above *last that no span has, and
// marks it used.
func unusedID(used map[backend.SpanID]bool, last *uint64) (backend.SpanID, bool) {
	for *last < ^uint64(0) {
		*last++
		id := backend.SpanID(fmt.Sprintf("%016x", *last))
		if _, taken := used[id]; !taken {
			used[id] = false
			return id, true
		}
	}
	return "", false
}

// setParent points the span's parent reference (its first CHILD_OF within
// the trace, as Span.Finish reads it) at id, adding one when it has none.
func setParent(s *backend.Span, id backend.SpanID) {
	refs := slices.Clone(s.References) // decoders may share a backing array between spans
	i := slices.IndexFunc(refs, func(r backend.Ref) bool {
		return r.Type == backend.RefChildOf && (r.TraceID == "" || r.TraceID == s.TraceID)
	})
	if i >= 0 {
		refs[i].SpanID = id
	} else {
		refs = slices.Insert(refs, 0, backend.Ref{Type: backend.RefChildOf, TraceID: s.TraceID, SpanID: id})
	}
	s.References = refs
	s.Finish()
}
