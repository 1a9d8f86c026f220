package jsonscan

import (
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
	"testing"
)

// specialBytes' lowest flag must be exactly the first quote, backslash or
// control byte of the eight, and no flag at all when there is none.
func TestSpecialBytes(t *testing.T) {
	special := func(c byte) bool { return c == '"' || c == '\\' || c < 0x20 }
	// Bytes next to the special ones, where borrows and carries go wrong.
	edge := []byte{0, 1, 0x1f, 0x20, 0x21, '"' - 1, '"', '"' + 1, '\\' - 1, '\\', '\\' + 1, 0x7f, 0x80, 0x9f, 0xa0, 0xdc, 0xfe, 0xff, 'a'}
	rng := rand.New(rand.NewPCG(1, 2))
	var b [8]byte
	for n := 0; n < 200_000; n++ {
		for i := range b {
			if rng.IntN(2) == 0 {
				b[i] = edge[rng.IntN(len(edge))]
			} else {
				b[i] = byte(rng.IntN(256))
			}
		}
		want := 8
		for i, c := range b {
			if special(c) {
				want = i
				break
			}
		}
		m := specialBytes(binary.LittleEndian.Uint64(b[:]))
		got := 8
		if m != 0 {
			got = bits.TrailingZeros64(m) >> 3
		}
		if got != want {
			t.Fatalf("%q: first special at %d, specialBytes says %d (mask %x)", b, want, got, m)
		}
	}
}
