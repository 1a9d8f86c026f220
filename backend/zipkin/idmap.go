package zipkin

import "github.com/tracetui/tracetui/backend"

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
