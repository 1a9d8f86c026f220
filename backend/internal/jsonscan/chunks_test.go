package jsonscan

import "testing"

func TestChunksDrain(t *testing.T) {
	for _, n := range []int{0, 1, 16, 17, 100_000} {
		var c Chunks[int]
		for i := 0; i < n; i++ {
			c.Add(i * 3)
		}
		if c.Len() != n {
			t.Fatalf("n=%d: Len %d", n, c.Len())
		}
		seen := 0
		c.Drain(func(i int, v *int) {
			if i != seen || *v != i*3 {
				t.Fatalf("n=%d: call %d got index %d value %d", n, seen, i, *v)
			}
			seen++
		})
		if seen != n {
			t.Errorf("n=%d: %d calls", n, seen)
		}
		if c.Len() != 0 || c.Slice() != nil {
			t.Errorf("n=%d: not reset after Drain", n)
		}
		c.Add(7)
		if got := c.Slice(); len(got) != 1 || got[0] != 7 {
			t.Errorf("n=%d: reuse after Drain gave %v", n, got)
		}
	}
}
