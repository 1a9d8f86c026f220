package zipkin

import (
	"fmt"
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

func TestSpanIndex(t *testing.T) {
	ids := []backend.SpanID{"0000000000000001", "x", "0000000000000002", "", "0000000000000001", "x",
		"00000000000000AB", "", "0000000000000001", "00000000000000ab", "ffffffffffffffff"}
	spans := make([]*zspan, len(ids))
	for i, id := range ids {
		spans[i] = &zspan{id: id}
	}
	x := newSpanIndex(spans)
	// Chains are per ID, in arrival order, from the first span; "" is no ID.
	var chains [][]int32
	for _, first := range x.repeated {
		var c []int32
		for j := first; j >= 0; j = x.next[j] - 1 {
			c = append(c, j)
		}
		chains = append(chains, c)
	}
	want := [][]int32{{0, 4, 8}, {1, 5}}
	if fmt.Sprint(chains) != fmt.Sprint(want) || x.chained != 3 {
		t.Errorf("chains %v (%d chained), want %v", chains, x.chained, want)
	}
}

// TestSpanIndexCollisions fills the table with IDs that share their low
// bits, each twice, and checks that every pair and nothing else chains.
func TestSpanIndexCollisions(t *testing.T) {
	const n = 5000
	spans := make([]*zspan, 2*n)
	for i := range spans {
		spans[i] = &zspan{id: hexSpanID(uint64(i%n) << 40)}
	}
	x := newSpanIndex(spans)
	if len(x.repeated) != n || x.chained != n {
		t.Fatalf("%d repeated IDs, %d chained, want %d", len(x.repeated), x.chained, n)
	}
	for _, first := range x.repeated {
		if second := x.next[first] - 1; second != first+n || x.next[second] != 0 {
			t.Fatalf("chain of %d: %d, %d", first, second, x.next[second])
		}
	}
}

func TestKeyTable(t *testing.T) {
	tab := newKeyTable(1000)
	for i := range 1000 {
		tab.put(uint64(i)<<40, int32(i))
	}
	tab.put(0, 7) // a second put replaces
	for i := range 1000 {
		want := int32(i)
		if i == 0 {
			want = 7
		}
		if v, ok := tab.get(uint64(i) << 40); !ok || v != want {
			t.Fatalf("get(%x) = %d %v, want %d", uint64(i)<<40, v, ok, want)
		}
	}
	if _, ok := tab.get(1); ok {
		t.Error("get(1) found")
	}
}
