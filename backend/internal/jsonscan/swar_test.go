package jsonscan

import (
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/tracetui/tracetui/backend"
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

// HexInto against a plain reading: every byte value at every position of
// IDs of every length up to the width.
func TestHexInto(t *testing.T) {
	ref := func(b []byte, width int) (string, bool) {
		if len(b) == 0 || len(b) > width {
			return "", false
		}
		out := strings.Repeat("0", width-len(b))
		for _, c := range b {
			switch {
			case c >= '0' && c <= '9', c >= 'a' && c <= 'f':
				out += string(rune(c))
			case c >= 'A' && c <= 'F':
				out += string(rune(c + 'a' - 'A'))
			default:
				return "", false
			}
		}
		return out, true
	}
	var dst [16]byte
	for n := 0; n <= 17; n++ {
		for pos := 0; pos < max(n, 1); pos++ {
			for c := 0; c < 256; c++ {
				b := []byte(strings.Repeat("aB3", 6)[:n])
				if n > 0 {
					b[pos] = byte(c)
				}
				want, wantOK := ref(b, 16)
				ok := HexInto(dst[:], b)
				if ok != wantOK || (ok && string(dst[:]) != want) {
					t.Fatalf("HexInto(%q) = %q, %v; want %q, %v", b, dst, ok, want, wantOK)
				}
			}
		}
	}
}

// TestIDs checks the ID chunks against SpanID, across chunk
// boundaries, and that IDs handed out earlier stay as they were.
func TestIDs(t *testing.T) {
	var a IDs
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "0123456789abcdefABCDEFxz-_ "
	var in [][]byte
	var got []backend.SpanID
	for range 3 * (64 << 10) / 16 {
		b := make([]byte, r.IntN(20))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		if r.IntN(3) > 0 { // mostly valid hex, as real input is
			for i := range b {
				b[i] = alphabet[r.IntN(22)]
			}
		}
		in = append(in, b)
		got = append(got, a.SpanID(b))
	}
	for i, b := range in {
		if want := SpanID(b); got[i] != want {
			t.Fatalf("%q: %q, want %q", b, got[i], want)
		}
	}
}
