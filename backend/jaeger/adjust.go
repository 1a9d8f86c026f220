package jaeger

import (
	"fmt"
	"hash/maphash"
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
// trace with one server half per shared ID reads the same either way. (With
// several, Jaeger hangs all but the last under the last; here each stays
// under the client half.)
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

// dropCopies removes spans equal in every field to an earlier span. Spans
// are grouped by a hash of their content, so that many spans under one ID
// (broken instrumentation) cost a hash each, not a comparison with every
// other; reflect.DeepEqual only confirms a match within a group.
func dropCopies(tr *backend.Trace) {
	seed := maphash.MakeSeed()
	kept := make(map[uint64][]int, len(tr.Spans))
	out := tr.Spans[:0]
	for i := range tr.Spans {
		s := tr.Spans[i]
		h := spanHash(seed, &s)
		dup := false
		for _, k := range kept[h] {
			if reflect.DeepEqual(out[k], s) {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		kept[h] = append(kept[h], len(out))
		out = append(out, s)
	}
	clear(tr.Spans[len(out):])
	tr.Spans = out
}

// spanHash hashes every field reflect.DeepEqual compares, so that equal
// spans hash alike.
func spanHash(seed maphash.Seed, s *backend.Span) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	str := func(v string) { h.WriteString(v); h.WriteByte(0) }
	num := func(v int64) { maphash.WriteComparable(&h, v) }
	kvs := func(l []backend.KeyValue) {
		num(int64(len(l)))
		for _, kv := range l {
			str(kv.Key)
			num(int64(kv.Type))
			str(kv.Str)
			num(kv.Num)
		}
	}
	str(string(s.TraceID))
	str(string(s.SpanID))
	str(string(s.ParentID))
	num(int64(len(s.References)))
	for _, r := range s.References {
		num(int64(r.Type))
		str(string(r.TraceID))
		str(string(r.SpanID))
		kvs(r.Attributes)
	}
	str(s.Service)
	str(s.Operation)
	num(int64(s.Kind))
	num(s.Start)
	num(s.Duration)
	kvs(s.Tags)
	if s.Process != nil {
		str(s.Process.Service)
		kvs(s.Process.Tags)
	}
	num(int64(len(s.Logs)))
	for _, l := range s.Logs {
		num(l.Time)
		kvs(l.Fields)
	}
	num(int64(s.Status.Code))
	str(s.Status.Message)
	num(int64(len(s.Warnings)))
	for _, w := range s.Warnings {
		str(w)
	}
	return h.Sum64()
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
		if moved[i] {
			continue
		}
		// Only a CHILD_OF follows the server half, as in Jaeger: a
		// FOLLOWS_FROM child (a consumer) stays non-blocking where it was.
		if k := s.ChildOfRef(); k >= 0 {
			if id, ok := renamed[s.References[k].SpanID]; ok {
				setParent(s, id)
			}
		}
	}
}

// unusedID returns the lowest span ID above *last that no span has, and
// marks it used.
func unusedID(used map[backend.SpanID]bool, last *uint64) (backend.SpanID, bool) {
	for *last < ^uint64(0)-1 { // as Jaeger, which never hands out all ones
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
	i := s.ChildOfRef()
	refs := slices.Clone(s.References) // decoders may share a backing array between spans
	if i >= 0 {
		refs[i].SpanID = id
	} else {
		refs = slices.Insert(refs, 0, backend.Ref{Type: backend.RefChildOf, TraceID: s.TraceID, SpanID: id})
	}
	s.References = refs
	s.Finish()
}
