package jsonscan

import (
	"encoding/binary"
	"hash/maphash"
	"math/bits"

	"github.com/tracetui/tracetui/backend"
)

// KVLists hands out slab-backed copies of key-value lists, sharing one copy
// among equal lists. Big traces repeat whole tag lists: every call of one
// operation in a loop (the same query, the same route, the same status), and
// every baggage log. The slices it returns are shared and have their
// capacity cut to their length, so readers must treat them as read-only, as
// they do every slab-backed slice.
//
// Like StrCache it is direct-mapped and forgets on collision, so its memory
// stays bounded on traces whose lists are all different; it grows with the
// number of lists seen, up to maxListSlots, so a small trace pays little.
type KVLists struct {
	seed  maphash.Seed
	slots []kvSlot
	// misses counts lists stored since the table last grew.
	misses int
	slab   Slab[backend.KeyValue]
}

type kvSlot struct {
	hash uint64
	list []backend.KeyValue
}

const (
	minListSlots = 256
	maxListSlots = 1 << 16
)

// Copy returns a list equal to src that the caller must not modify (nil for
// empty).
func (c *KVLists) Copy(src []backend.KeyValue) []backend.KeyValue {
	if len(src) == 0 {
		return nil
	}
	if len(src) > 256 {
		// Too long to be worth hashing, and too long for the slab.
		return c.slab.Copy(src)
	}
	c.init()
	return c.copy(src, c.hash(src))
}

// CopyHashed is Copy for a list whose hash the caller folded with MixKV
// while reading it. Lists of one KVLists should all be hashed one way:
// equal lists hashed the two ways are not found equal (they are only
// stored twice).
func (c *KVLists) CopyHashed(src []backend.KeyValue, h uint64) []backend.KeyValue {
	if len(src) == 0 {
		return nil
	}
	if len(src) > 256 {
		return c.slab.Copy(src)
	}
	c.init()
	return c.copy(src, h)
}

// MixKV folds one key-value into the hash h of a list (start from 0): key
// and str are StrCache hashes of its key and of its string value (0 when
// it has none). Equal lists hash equal; order matters.
func MixKV(h, key, str uint64, kv *backend.KeyValue) uint64 {
	const m = 0x9e3779b97f4a7c15
	h = (bits.RotateLeft64(h, 23) ^ key) * m
	h = (bits.RotateLeft64(h, 23) ^ str ^ uint64(kv.Type)<<56) * m
	return (bits.RotateLeft64(h, 23) ^ uint64(kv.Num)) * m
}

func (c *KVLists) init() {
	if c.slots == nil {
		c.seed = maphash.MakeSeed()
		c.slots = make([]kvSlot, minListSlots)
	}
}

func (c *KVLists) copy(src []backend.KeyValue, h uint64) []backend.KeyValue {
	slot := &c.slots[h&uint64(len(c.slots)-1)]
	if slot.hash == h && equalTags(slot.list, src) {
		return slot.list
	}
	out := c.slab.Copy(src)
	*slot = kvSlot{hash: h, list: out}
	c.misses++
	if c.misses > len(c.slots) && len(c.slots) < maxListSlots {
		c.grow()
	}
	return out
}

// grow doubles the table, keeping what it holds.
func (c *KVLists) grow() {
	old := c.slots
	c.slots = make([]kvSlot, 2*len(old))
	mask := uint64(len(c.slots) - 1)
	for _, s := range old {
		if s.list != nil {
			c.slots[s.hash&mask] = s
		}
	}
	c.misses = 0
}

func (c *KVLists) hash(kvs []backend.KeyValue) uint64 {
	var h maphash.Hash
	h.SetSeed(c.seed)
	var buf [9]byte
	for i := range kvs {
		kv := &kvs[i]
		h.WriteString(kv.Key)
		h.WriteString(kv.Str)
		buf[0] = byte(kv.Type)
		binary.LittleEndian.PutUint64(buf[1:], uint64(kv.Num))
		h.Write(buf[:])
		// Lengths keep "ab","c" apart from "a","bc".
		binary.LittleEndian.PutUint64(buf[1:], uint64(len(kv.Key))<<32|uint64(uint32(len(kv.Str))))
		h.Write(buf[1:])
	}
	return h.Sum64()
}
