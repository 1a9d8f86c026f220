package jsonscan

import (
	"fmt"
	"slices"
	"testing"

	"github.com/tracetui/tracetui/backend"
)

func TestKVListsSharesEqualLists(t *testing.T) {
	var c KVLists
	a := []backend.KeyValue{backend.String("http.method", "GET"), backend.Int64("http.status_code", 200)}
	b := slices.Clone(a)
	x, y := c.Copy(a), c.Copy(b)
	if !slices.Equal(x, a) || !slices.Equal(y, a) {
		t.Fatalf("copies differ from the input: %v %v", x, y)
	}
	if &x[0] != &y[0] {
		t.Error("equal lists not shared")
	}
	if cap(x) != len(x) {
		t.Errorf("cap %d, len %d: an append by a reader would overwrite a neighbour", cap(x), len(x))
	}
	a[0].Str = "POST"
	if x[0].Str != "GET" {
		t.Error("the copy aliases the caller's buffer")
	}
	if c.Copy(nil) != nil {
		t.Error("empty list not nil")
	}
}

func TestKVListsKeepsDifferentListsApart(t *testing.T) {
	var c KVLists
	// Lists that differ only in where one string ends and the next starts,
	// in type, or in the number: none may be taken for another.
	lists := [][]backend.KeyValue{
		{backend.String("ab", "c")},
		{backend.String("a", "bc")},
		{backend.Int64("a", 1)},
		{backend.Bool("a", true)},
		{backend.Int64("a", 2)},
		{backend.String("a", "")},
		{backend.String("a", ""), backend.String("a", "")},
	}
	for i := 0; i < 5000; i++ {
		lists = append(lists, []backend.KeyValue{backend.String("k", fmt.Sprint(i)), backend.Int64("n", int64(i%7))})
	}
	for round := 0; round < 2; round++ {
		for i, l := range lists {
			if got := c.Copy(l); !slices.Equal(got, l) {
				t.Fatalf("round %d, list %d: got %v, want %v", round, i, got, l)
			}
		}
	}
	if len(c.slots) <= minListSlots || len(c.slots) > maxListSlots {
		t.Errorf("table of %d slots after %d distinct lists", len(c.slots), len(lists))
	}
}

func TestKVListsLongList(t *testing.T) {
	var c KVLists
	long := make([]backend.KeyValue, 300)
	for i := range long {
		long[i] = backend.Int64("i", int64(i))
	}
	if got := c.Copy(long); !slices.Equal(got, long) || &got[0] == &long[0] {
		t.Fatal("long list not copied")
	}
}

// hashed is the list hash a decoder folds as it reads the list.
func hashed(sc *StrCache, l []backend.KeyValue) uint64 {
	var h uint64
	for i := range l {
		_, kh := sc.Hashed([]byte(l[i].Key))
		_, vh := sc.Hashed([]byte(l[i].Str))
		h = MixKV(h, kh, vh, &l[i])
	}
	return h
}

func TestKVListsCopyHashed(t *testing.T) {
	var c KVLists
	var sc StrCache
	lists := [][]backend.KeyValue{
		{backend.String("ab", "c")},
		{backend.String("a", "bc")},
		{backend.Int64("a", 1)},
		{backend.Bool("a", true)},
		{backend.Int64("a", 2)},
		{backend.String("a", "")},
		{backend.String("a", ""), backend.String("a", "")},
		{backend.String("a", "x"), backend.String("b", "y")},
		{backend.String("b", "y"), backend.String("a", "x")},
	}
	seen := map[uint64]int{}
	for i, l := range lists {
		h := hashed(&sc, l)
		if j, ok := seen[h]; ok {
			t.Errorf("lists %d and %d hash alike: %v, %v", j, i, lists[j], l)
		}
		seen[h] = i
	}
	for round := 0; round < 2; round++ {
		for i, l := range lists {
			if got := c.CopyHashed(l, hashed(&sc, l)); !slices.Equal(got, l) {
				t.Fatalf("round %d, list %d: got %v, want %v", round, i, got, l)
			}
		}
	}
	a := lists[7]
	x, y := c.CopyHashed(a, hashed(&sc, a)), c.CopyHashed(slices.Clone(a), hashed(&sc, a))
	if &x[0] != &y[0] {
		t.Error("equal lists not shared")
	}
	// A hash collision costs sharing, never the content.
	if got := c.CopyHashed(lists[0], 42); !slices.Equal(got, lists[0]) {
		t.Fatal(got)
	}
	if got := c.CopyHashed(lists[1], 42); !slices.Equal(got, lists[1]) {
		t.Fatalf("collision: got %v, want %v", got, lists[1])
	}
}
