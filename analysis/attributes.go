package analysis

import (
	"github.com/tracetui/tracetui/backend"
)

// Bounds of the attribute comparison, so that its memory does not grow with
// the traces' span count whatever they carry.
const (
	// maxAttrKeys is the number of distinct keys compared; later keys are
	// counted as dropped.
	maxAttrKeys = 1000
	// maxKeyValues is the number of distinct values recorded per key; a
	// key with more is summarised (highCardinality).
	maxKeyValues = 64
	// maxAttrValueBytes: longer values (SQL statements, stack traces) are
	// not listed one by one; the key still counts as present.
	maxAttrValueBytes = 256
)

// A key with more than this many distinct values, at least half of the
// traces carrying it holding a value no other trace has, is summarised:
// request IDs, timestamps and URLs with IDs in them set every small
// selection apart perfectly and say nothing.
const minUniqueSummarised = 4

// attrKey is one tag key seen on some span.
type attrKey struct {
	name string
	// values is the number of distinct values recorded.
	values int32
	// overflow: more than maxKeyValues values were seen, later ones are
	// not recorded.
	overflow bool
	// traces carrying the key, on any span.
	traces int32
	// last is the value looked up last (valid when hasLast): spans in a
	// row tend to carry the same value, and comparing beats hashing.
	last    valKey
	lastVal int32
	hasLast bool
}

// attrValue is one key=value seen on some span.
type attrValue struct {
	key    int32
	value  string // as Jaeger UI shows it (KeyValue.Value)
	traces int32
}

// valKey looks a value up without formatting it.
type valKey struct {
	key int32
	typ backend.ValueType
	num int64
	str string
}

// attrHit is a key=value (id >= 0, an index into vals) or a key's presence
// (id = -(key+1)) in one trace, with a span that carries it (an index into
// the trace's kept span IDs).
type attrHit struct {
	id, span int32
}

// attrTable interns the keys and values of every trace added.
type attrTable struct {
	keyIdx      map[string]int32
	keys        []attrKey
	valIdx      map[valKey]int32
	vals        []attrValue
	droppedKeys int
	names       stringSet
	// Per trace scratch: whether a key or value was already seen in the
	// trace being collected (its stamp is the current one), and the
	// processes already read.
	keyStamp, valStamp []uint32
	gen                uint32
	procs              map[*backend.Process]struct{}
}

func newAttrTable(names stringSet) *attrTable {
	return &attrTable{
		keyIdx: map[string]int32{}, valIdx: map[valKey]int32{}, names: names,
		procs: map[*backend.Process]struct{}{},
	}
}

// collect returns the keys and values present on any span of the trace,
// each once, with the first span (pre-order) carrying it; keep turns a
// span index into the index of a kept span ID.
func (at *attrTable) collect(tree *Tree, keep func(int32) int32) []attrHit {
	at.gen++
	if at.gen == 0 {
		clear(at.keyStamp)
		clear(at.valStamp)
		at.gen = 1
	}
	hits := []attrHit{}
	spans := tree.Trace.Spans
	var lastTags *backend.KeyValue
	for _, v := range tree.Order {
		s := &spans[v]
		// Decoders share equal tag lists between spans: read each once.
		if len(s.Tags) > 0 && &s.Tags[0] != lastTags {
			lastTags = &s.Tags[0]
			hits = at.addAll(hits, s.Tags, v, keep)
		}
		if p := s.Process; p != nil && len(p.Tags) > 0 {
			if _, seen := at.procs[p]; !seen {
				at.procs[p] = struct{}{}
				hits = at.addAll(hits, p.Tags, v, keep)
			}
		}
	}
	clear(at.procs) // it would keep the trace's processes alive
	for _, h := range hits {
		if h.id >= 0 {
			at.vals[h.id].traces++
		} else {
			at.keys[-h.id-1].traces++
		}
	}
	return hits
}

func (at *attrTable) addAll(hits []attrHit, kvs []backend.KeyValue, span int32, keep func(int32) int32) []attrHit {
	for k := range kvs {
		kv := &kvs[k]
		ki, ok := at.keyIdx[kv.Key]
		if !ok {
			if len(at.keys) >= maxAttrKeys {
				at.droppedKeys++
				continue
			}
			ki = int32(len(at.keys))
			at.keys = append(at.keys, attrKey{name: at.names.get(kv.Key)})
			at.keyIdx[at.keys[ki].name] = ki
			at.keyStamp = append(at.keyStamp, 0)
		}
		if at.keyStamp[ki] != at.gen {
			at.keyStamp[ki] = at.gen
			hits = append(hits, attrHit{id: -ki - 1, span: keep(span)})
		}
		key := &at.keys[ki]
		if key.overflow || kv.Type == backend.TypeBinary || kv.Type == backend.TypeJSON || len(kv.Str) > maxAttrValueBytes {
			continue
		}
		vk := valKey{key: ki, typ: kv.Type, num: kv.Num, str: kv.Str}
		var vi int32
		if key.hasLast && key.last == vk {
			vi, ok = key.lastVal, true
		} else {
			vi, ok = at.valIdx[vk]
		}
		if !ok {
			if key.values >= maxKeyValues {
				key.overflow = true
				continue
			}
			key.values++
			vk.str = at.names.get(kv.Str)
			value := vk.str // numbers and bools are formatted afresh
			if kv.Type != backend.TypeString {
				value = kv.Value()
			}
			vi = int32(len(at.vals))
			at.vals = append(at.vals, attrValue{key: ki, value: value})
			at.valIdx[vk] = vi
			at.valStamp = append(at.valStamp, 0)
		}
		// Remember it with the table's own copy of the string, never the
		// trace's: the aggregate must not keep a trace's memory alive.
		if kv.Type == backend.TypeString {
			vk.str = at.vals[vi].value
			key.last, key.lastVal, key.hasLast = vk, vi, true
		} else if vk.str == "" {
			key.last, key.lastVal, key.hasLast = vk, vi, true
		}
		if at.valStamp[vi] != at.gen {
			at.valStamp[vi] = at.gen
			hits = append(hits, attrHit{id: vi, span: keep(span)})
		}
	}
	return hits
}

// summarised reports whether key k's values are not listed one by one:
// too many to record, or mostly unique to one trace (see
// minUniqueSummarised), or none recordable (all long or binary).
func (at *attrTable) summarised(k int32, singletons []int32) bool {
	key := &at.keys[k]
	if key.overflow || key.values == 0 {
		return true
	}
	return key.values >= minUniqueSummarised && 2*singletons[k] > key.traces
}
