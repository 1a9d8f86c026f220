package zipkin

import (
	"math/rand/v2"

	"github.com/tracetui/tracetui/backend"
)

// idMap is a map keyed by span ID. Normalized IDs are 16 hex digits, which
// it keys by their uint64 value: hashing and comparing a word instead of a
// string is what makes the per-span lookups of a 100,000-span trace cheap.
// Other IDs (kept as sent) go to a string map.
type idMap[V any] struct {
	hex   map[uint64]V
	other map[backend.SpanID]V
}

func newIDMap[V any](n int) *idMap[V] {
	return &idMap[V]{hex: make(map[uint64]V, n)}
}

func (m *idMap[V]) get(id backend.SpanID) (V, bool) {
	if k, ok := hexKey(id); ok {
		v, ok := m.hex[k]
		return v, ok
	}
	v, ok := m.other[id]
	return v, ok
}

func (m *idMap[V]) put(id backend.SpanID, v V) {
	if k, ok := hexKey(id); ok {
		m.hex[k] = v
		return
	}
	if m.other == nil {
		m.other = make(map[backend.SpanID]V)
	}
	m.other[id] = v
}

// hexKey is the value of exactly 16 lowercase hex digits; anything else is
// not one-to-one with a uint64 and reports false.
func hexKey(id backend.SpanID) (uint64, bool) {
	if len(id) != 16 {
		return 0, false
	}
	var v uint64
	for i := 0; i < 16; i++ {
		c := id[i]
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | uint64(c-'0')
		case c >= 'a' && c <= 'f':
			v = v<<4 | uint64(c-'a'+10)
		default:
			return 0, false
		}
	}
	return v, true
}

// spanIndex finds the spans of one trace by ID and chains the spans that
// share one. Nearly every ID is 16 hex digits, so those go by value into an
// open-addressing table of positions: two flat slices for a 100,000-span
// trace instead of a map entry per span, and no per-ID allocation. The
// chains are made only once an ID repeats, which most traces never do.
type spanIndex struct {
	// keys and hex hold each span's hexKey, computed once.
	keys  []uint64
	hex   []bool
	slots []int32 // position+1 of the first span of a hex ID; 0 is free
	shift uint
	// seed makes the slots unpredictable: IDs come from the input, and
	// IDs chosen to collide would make every probe walk the whole table.
	seed uint64
	// other holds the first position of each ID that is not a hex key.
	other map[backend.SpanID]int32
	// next and last (positions+1) chain the spans of a repeated ID in
	// arrival order, from the first span; nil until some ID repeats.
	next, last []int32
	// repeated holds the first position of each repeated ID; chained
	// counts the spans after the first in all chains.
	repeated []int32
	chained  int
}

// tableSize is the power of two that keeps n keys at most half full, and
// the shift that takes a 64-bit hash to an index below it.
func tableSize(n int) (size int, shift uint) {
	size, shift = 16, 60
	for size < 2*n {
		size *= 2
		shift--
	}
	return size, shift
}

// slotOf is where the probe for k starts: the seeded SplitMix64 finalizer
// spreads the sequential IDs some tracers use as well as random ones.
func slotOf(k, seed uint64, shift uint) int {
	h := k + seed
	h = (h ^ h>>30) * 0xbf58476d1ce4e5b9
	h = (h ^ h>>27) * 0x94d049bb133111eb
	return int((h ^ h>>31) >> shift)
}

func newSpanIndex(spans []*zspan) *spanIndex {
	size, shift := tableSize(len(spans))
	x := &spanIndex{keys: make([]uint64, len(spans)), hex: make([]bool, len(spans)),
		slots: make([]int32, size), shift: shift, seed: rand.Uint64()}
	for i, z := range spans {
		if z.id == "" {
			continue
		}
		k, ok := hexKey(z.id)
		x.keys[i], x.hex[i] = k, ok
		first := int32(-1)
		if ok {
			first = x.insert(k, int32(i))
		} else {
			if x.other == nil {
				x.other = make(map[backend.SpanID]int32)
			}
			if j, dup := x.other[z.id]; dup {
				first = j
			} else {
				x.other[z.id] = int32(i)
			}
		}
		if first >= 0 {
			x.link(first, int32(i))
		}
	}
	return x
}

func (x *spanIndex) slot(k uint64) int { return slotOf(k, x.seed, x.shift) }

// insert records position i for k and returns the first position of k, or
// -1 when k is new.
func (x *spanIndex) insert(k uint64, i int32) int32 {
	mask := len(x.slots) - 1
	for h := x.slot(k); ; h = (h + 1) & mask {
		s := x.slots[h]
		if s == 0 {
			x.slots[h] = i + 1
			return -1
		}
		if x.keys[s-1] == k {
			return s - 1
		}
	}
}

// link appends position i to the chain of the ID first has.
func (x *spanIndex) link(first, i int32) {
	if x.next == nil {
		x.next = make([]int32, len(x.keys))
		x.last = make([]int32, len(x.keys))
	}
	if x.last[first] == 0 {
		x.repeated = append(x.repeated, first)
		x.next[first] = i + 1
	} else {
		x.next[x.last[first]-1] = i + 1
	}
	x.last[first] = i + 1
	x.chained++
}

// keyTable maps a few hex keys to small values. Unlike spanIndex it keeps
// the keys in the table, which is small enough to stay in the cache while
// every span of a trace is looked up in it.
type keyTable struct {
	keys  []uint64
	vals  []int32 // value+1; 0 is free
	shift uint
	seed  uint64
}

func newKeyTable(n int) *keyTable {
	size, shift := tableSize(n)
	return &keyTable{keys: make([]uint64, size), vals: make([]int32, size), shift: shift, seed: rand.Uint64()}
}

// put sets the value of k, which must be at most the n-th key put.
func (t *keyTable) put(k uint64, v int32) {
	mask := len(t.keys) - 1
	h := slotOf(k, t.seed, t.shift)
	for t.vals[h] != 0 && t.keys[h] != k {
		h = (h + 1) & mask
	}
	t.keys[h], t.vals[h] = k, v+1
}

func (t *keyTable) get(k uint64) (int32, bool) {
	mask := len(t.keys) - 1
	for h := slotOf(k, t.seed, t.shift); t.vals[h] != 0; h = (h + 1) & mask {
		if t.keys[h] == k {
			return t.vals[h] - 1, true
		}
	}
	return 0, false
}
