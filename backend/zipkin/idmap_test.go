package zipkin

import (
	"testing"

	"github.com/tracetui/tracetui/backend"
)

func TestIDMap(t *testing.T) {
	m := newIDMap[int](0)
	ids := []backend.SpanID{"0000000000000001", "ffffffffffffffff", "000000000000001", "000000000000000F", "x", "", "00000000000000001"}
	for i, id := range ids {
		if _, ok := m.get(id); ok {
			t.Fatalf("%q found before put", id)
		}
		m.put(id, i)
	}
	for i, id := range ids {
		if v, ok := m.get(id); !ok || v != i {
			t.Errorf("%q: %d %v, want %d", id, v, ok, i)
		}
	}
	// Upper-case hex is not the normalized form: it must not collide with
	// the lower-case ID of the same value.
	m.put("00000000000000ab", 100)
	m.put("00000000000000AB", 200)
	if v, _ := m.get("00000000000000ab"); v != 100 {
		t.Errorf("lower-case entry overwritten: %d", v)
	}
	if k, ok := hexKey("00000000000000ab"); !ok || k != 0xab {
		t.Errorf("hexKey %x %v", k, ok)
	}
}

func TestHexSpanID(t *testing.T) {
	for _, v := range []uint64{0, 1, 0xab, 1 << 63, ^uint64(0), 0x0123456789abcdef} {
		if got, want := hexSpanID(v), backend.SpanIDFromUint64(v); got != want {
			t.Errorf("%x: %s, want %s", v, got, want)
		}
	}
}
