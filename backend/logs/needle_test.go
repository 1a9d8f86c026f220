package logs

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// multiIndex finds what bytes.Index finds, leftmost first, on text as dense
// in the needles' letters as log lines get, with needles of every length
// (a 64-bit ID without its leading zeros can be one digit).
func TestMultiIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const alpha = "0123456789abcdefABCDEF\n {}\":,"
	word := func(n int, from string) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = from[rng.IntN(len(from))]
		}
		return b
	}
	for trial := 0; trial < 3000; trial++ {
		var needles [][]byte
		for k := 0; k < 1+rng.IntN(3); k++ {
			needles = append(needles, word(1+rng.IntN(24), "0123456789abcdef"[:4+rng.IntN(13)]))
		}
		text := word(rng.IntN(400), alpha)
		// Plant a needle now and then, at the ends too.
		if rng.IntN(2) == 0 {
			at := rng.IntN(len(text) + 1)
			n := needles[rng.IntN(len(needles))]
			text = append(text[:at:at], append(append([]byte(nil), n...), text[at:]...)...)
		}
		want := -1
		for _, n := range needles {
			if i := bytes.Index(text, n); i >= 0 && (want < 0 || i < want) {
				want = i
			}
		}
		if got := newMultiIndex(needles).index(text); got != want {
			t.Fatalf("needles %q in %q: %d, want %d", needles, text, got, want)
		}
	}
}
