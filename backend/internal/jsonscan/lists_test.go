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
