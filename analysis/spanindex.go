package analysis

import (
	"bytes"
	"context"
	"hash/maphash"
	"strings"

	"github.com/tracetui/tracetui/backend"
)

// SpanIndex is a trace's searchable text, lower-cased once, for the trace
// view's search box: typing a query must not lower-case and format every
// tag of a million spans again at each key (issue 15). Decoders intern
// strings and share equal tag lists, log field lists and processes between
// spans, so the index keeps each distinct string and list once (by
// identity, then by content) and each span points at its own: a query then
// looks at each distinct text once and at each span's few numbers.
//
// A list's text is its "key=value" pairs lower-cased, each followed by a
// 0 byte: a term (which holds no 0 byte) is a substring of the key, of the
// value or of "key=value" across the '=' exactly when it is a substring of
// the list's text, which is what Query.Match asks. All lists' texts share
// one array. Queries with an exclusion ("-key") need the keys apart and
// match the spans themselves (Query.Match's way): they are rare.
//
// Build it with NewSpanIndex; nothing in it changes afterwards, so
// matchers on other goroutines may share it.
type SpanIndex struct {
	tree *Tree
	// strs are distinct lower-cased operations and services; op[i] and
	// svc[i] index them.
	strs    []string
	op, svc []int32
	// List k's text is blocks[at[k].blk][at[k].lo:at[k].hi]: blocks of a
	// MiB, not one growing array (copying it as it grew was half the
	// build at a million spans). tags[i] and proc[i] index span i's lists,
	// -1 for none. Span i's log field lists are
	// logLists[logStart[i]:logStart[i+1]].
	blocks     [][]byte
	at         []textRef
	tags, proc []int32
	logStart   []int32
	logLists   []int32
}

// textRef is where a list's text lies in the index's blocks.
type textRef struct{ blk, lo, hi uint32 }

// textBlock is the size of the index's text blocks.
const textBlock = 1 << 20

// listKey identifies a key-value list by its backing array and length:
// lists that decoders share have the same one.
type listKey struct {
	p *backend.KeyValue
	n int
}

// indexBuilder deduplicates strings and lists while an index is built.
// Lists are found by identity, then by content, in direct-mapped caches:
// decoders share equal lists between spans, and maps holding every list
// of a million spans (by identity, or by content) cost seconds in growth
// and probing.
type indexBuilder struct {
	idx    *SpanIndex
	strOf  map[string]int32
	seed   maphash.Seed
	recent [1 << 14]struct {
		key listKey
		k   int32
	}
	// byText finds recent lists by content (hash, list index + 1), for
	// equal lists the decoder did not share (traces built in memory):
	// a cache, so a miss only costs memory.
	byText [1 << 17]struct {
		h uint64
		k int32
	}
	procOf  map[*backend.Process]int32
	scratch []byte
}

// NewSpanIndex builds the index of tree's spans. It costs one pass over the
// spans and one lower-casing of each distinct text; a canceled ctx stops
// it early with a nil index.
func NewSpanIndex(ctx context.Context, tree *Tree) *SpanIndex {
	spans := tree.Trace.Spans
	n := len(spans)
	b := indexBuilder{
		idx: &SpanIndex{
			tree: tree, op: make([]int32, n), svc: make([]int32, n),
			tags: make([]int32, n), proc: make([]int32, n), logStart: make([]int32, n+1),
		},
		strOf:  make(map[string]int32),
		seed:   maphash.MakeSeed(),
		procOf: make(map[*backend.Process]int32),
	}
	idx := b.idx
	for i := range spans {
		if i&4095 == 0 && ctx.Err() != nil {
			return nil
		}
		s := &spans[i]
		idx.op[i] = b.str(s.Operation)
		idx.svc[i] = b.str(s.Service)
		idx.tags[i] = b.list(s.Tags)
		idx.proc[i] = -1
		if s.Process != nil && len(s.Process.Tags) > 0 {
			k, ok := b.procOf[s.Process]
			if !ok {
				k = b.list(s.Process.Tags)
				b.procOf[s.Process] = k
			}
			idx.proc[i] = k
		}
		for l := range s.Logs {
			if k := b.list(s.Logs[l].Fields); k >= 0 {
				idx.logLists = append(idx.logLists, k)
			}
		}
		idx.logStart[i+1] = int32(len(idx.logLists))
	}
	return idx
}

func (b *indexBuilder) str(s string) int32 {
	k, ok := b.strOf[s]
	if !ok {
		k = int32(len(b.idx.strs))
		b.idx.strs = append(b.idx.strs, string(appendLower(nil, s)))
		b.strOf[s] = k
	}
	return k
}

// list is the index of kvs's text, -1 for an empty list.
func (b *indexBuilder) list(kvs []backend.KeyValue) int32 {
	if len(kvs) == 0 {
		return -1
	}
	lk := listKey{&kvs[0], len(kvs)}
	slot := &b.recent[maphash.Comparable(b.seed, lk)&(uint64(len(b.recent))-1)]
	if slot.key == lk {
		return slot.k
	}
	idx := b.idx
	t := b.scratch[:0]
	for j := range kvs {
		kv := &kvs[j]
		t = appendLower(t, kv.Key)
		t = append(t, '=')
		t = appendValue(t, kv)
		t = append(t, 0)
	}
	b.scratch = t
	h := maphash.Bytes(b.seed, t)
	same := &b.byText[h&(uint64(len(b.byText))-1)]
	if same.k > 0 && same.h == h && bytes.Equal(idx.listText(same.k-1), t) {
		slot.key, slot.k = lk, same.k-1
		return same.k - 1
	}
	last := len(idx.blocks) - 1
	if last < 0 || cap(idx.blocks[last])-len(idx.blocks[last]) < len(t) {
		idx.blocks = append(idx.blocks, make([]byte, 0, max(textBlock, len(t))))
		last++
	}
	blk := idx.blocks[last]
	ref := textRef{blk: uint32(last), lo: uint32(len(blk))}
	blk = append(blk, t...)
	ref.hi = uint32(len(blk))
	idx.blocks[last] = blk
	k := int32(len(idx.at))
	idx.at = append(idx.at, ref)
	same.h, same.k = h, k+1
	slot.key, slot.k = lk, k
	return k
}

// listText is list k's text.
func (idx *SpanIndex) listText(k int32) []byte {
	r := idx.at[k]
	return idx.blocks[r.blk][r.lo:r.hi]
}

// SpanMatcher answers SpanQuery.Match for one span at a time from an index,
// remembering its verdict on each distinct text. It is not safe for
// concurrent use; each search has its own.
type SpanMatcher struct {
	q    SpanQuery
	text Query
	// useText tells whether the text condition applies; noText whether it
	// can never hold (no include term).
	useText  bool
	include  [][]byte
	idx      *SpanIndex
	critical *CriticalPath
	// Verdicts per distinct string and list: 0 not yet known, 1 yes, 2 no.
	strText, strSvc, strOp []uint8
	listHit                []uint8
	// slow matches spans themselves, for queries the index cannot answer:
	// with an exclude term, or a term holding a 0 byte.
	slow *matcher
}

// Matcher prepares q for matching span by span on idx. critical is the
// trace's critical path, for is:critical (nil: nothing matches it).
func (q SpanQuery) Matcher(idx *SpanIndex, critical *CriticalPath) *SpanMatcher {
	m := &SpanMatcher{
		q: q, text: ParseQuery(q.Text), useText: strings.TrimSpace(q.Text) != "",
		idx: idx, critical: critical,
		strText: make([]uint8, len(idx.strs)), strSvc: make([]uint8, len(idx.strs)),
		strOp: make([]uint8, len(idx.strs)), listHit: make([]uint8, len(idx.at)),
	}
	plain := len(m.text.Exclude) == 0
	for _, t := range m.text.Include {
		m.include = append(m.include, []byte(t))
		if strings.IndexByte(t, 0) >= 0 {
			plain = false
		}
	}
	if !plain {
		m.slow = newMatcher(m.text)
	}
	return m
}

// Match reports whether span i satisfies every condition of the query, as
// SpanQuery.Match does.
func (m *SpanMatcher) Match(i int32) bool {
	idx := m.idx
	s := &idx.tree.Trace.Spans[i]
	q := &m.q
	switch {
	case q.Errors && !s.Error:
		return false
	case q.MinDuration > 0 && spanEnd(s)-s.Start < q.MinDuration:
		return false
	case q.Critical && (m.critical == nil || m.critical.SpanTime[i] == 0):
		return false
	case q.MaxDuration > 0 && s.Duration > q.MaxDuration:
		return false
	}
	if len(q.Services) > 0 && !verdict(m.strSvc, idx.svc[i], func(k int32) bool { return allIn(idx.strs[k], q.Services) }) {
		return false
	}
	if len(q.Ops) > 0 && !verdict(m.strOp, idx.op[i], func(k int32) bool { return allIn(idx.strs[k], q.Ops) }) {
		return false
	}
	return !m.useText || m.matchText(i, s)
}

// matchText is Query.Match (matcher.match) over the index.
func (m *SpanMatcher) matchText(i int32, s *backend.Span) bool {
	if len(m.include) == 0 {
		return false
	}
	idx := m.idx
	if m.slow != nil {
		return m.slow.match(s, idx.tree.SpanIDs[i])
	}
	if m.str(idx.op[i]) || m.str(idx.svc[i]) || m.list(idx.tags[i]) {
		return true
	}
	for _, k := range idx.logLists[idx.logStart[i]:idx.logStart[i+1]] {
		if m.list(k) {
			return true
		}
	}
	if m.list(idx.proc[i]) {
		return true
	}
	q := m.text
	if q.matchStatus(s.Status) || q.matchKind(s.Kind) {
		return true
	}
	for _, term := range q.Include {
		if term == string(s.SpanID) || term == string(idx.tree.SpanIDs[i]) {
			return true
		}
	}
	return false
}

func (m *SpanMatcher) str(k int32) bool {
	return verdict(m.strText, k, func(k int32) bool {
		t := m.idx.strs[k]
		for _, inc := range m.text.Include {
			if strings.Contains(t, inc) {
				return true
			}
		}
		return false
	})
}

func (m *SpanMatcher) list(k int32) bool {
	if k < 0 {
		return false
	}
	return verdict(m.listHit, k, func(k int32) bool {
		text := m.idx.listText(k)
		for _, t := range m.include {
			if bytes.Contains(text, t) {
				return true
			}
		}
		return false
	})
}

// verdict looks up or computes (and remembers) the verdict on text k.
func verdict(memo []uint8, k int32, compute func(int32) bool) bool {
	switch memo[k] {
	case 1:
		return true
	case 2:
		return false
	}
	ok := compute(k)
	memo[k] = 2
	if ok {
		memo[k] = 1
	}
	return ok
}

func allIn(s string, subs []string) bool {
	for _, x := range subs {
		if !strings.Contains(s, x) {
			return false
		}
	}
	return true
}
