package analysis

import (
	"slices"

	"github.com/tracetui/tracetui/backend"
)

// Parent results of resolveIDs besides an index.
const (
	noParent      = -1
	missingParent = -2
)

// resolveIDs finds for every span the first span with the same ID (firstOf,
// i itself when the ID is new) and the first span whose ID is its ParentID
// (parent, or noParent / missingParent).
//
// Normalized IDs (16 lowercase hex digits) are keyed by their value: a
// uint64 key hashes and compares faster than the string. Anything else
// (Jaeger UI test IDs, hostile input) is keyed by the string. (Partitioning
// into cache-sized buckets and joining per bucket was tried and was slower.)
func resolveIDs(spans []backend.Span) (firstOf, parent []int32) {
	n := len(spans)
	firstOf = make([]int32, n)
	parent = make([]int32, n)
	hex := make(map[uint64]int32, n)
	var str map[backend.SpanID]int32
	for i := range spans {
		id := spans[i].SpanID
		firstOf[i] = int32(i)
		if k, ok := parseHex16(id); ok {
			if f, dup := hex[k]; dup {
				firstOf[i] = f
			} else {
				hex[k] = int32(i)
			}
			continue
		}
		if str == nil {
			str = make(map[backend.SpanID]int32)
		}
		if f, dup := str[id]; dup {
			firstOf[i] = f
		} else {
			str[id] = int32(i)
		}
	}
	for i := range spans {
		pid := spans[i].ParentID
		if pid == "" {
			parent[i] = noParent
			continue
		}
		var p int32
		var ok bool
		if k, isHex := parseHex16(pid); isHex {
			p, ok = hex[k]
		} else {
			p, ok = str[pid]
		}
		if !ok {
			p = missingParent
		}
		parent[i] = p
	}
	return firstOf, parent
}

// hexDigits maps a byte to its value as a lowercase hex digit, or to 0xff.
const hexDigits = "" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\x0a\x0b\x0c\x0d\x0e\x0f\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff" +
	"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"

// parseHex16 reads exactly 16 lowercase hex digits. It is table-driven and
// branch-free per digit: random hex digits defeat branch prediction.
func parseHex16(s backend.SpanID) (uint64, bool) {
	if len(s) != 16 {
		return 0, false
	}
	var v uint64
	var bad byte
	for i := 0; i < 16; i++ {
		d := hexDigits[s[i]]
		bad |= d
		v = v<<4 | uint64(d&0x0f)
	}
	return v, bad&0xf0 == 0
}

// sortByKey returns the indexes 0..n-1 ordered by key, ties by index: an
// LSD radix sort on 11-bit digits, skipping digits that are the same for
// every key, so that sorting 100,000 start times costs a few linear passes.
func sortByKey(keys []uint64) []int32 {
	n := len(keys)
	idx := make([]int32, n)
	for i := range idx {
		idx[i] = int32(i)
	}
	if n < 64 {
		slices.SortStableFunc(idx, func(a, b int32) int {
			switch {
			case keys[a] < keys[b]:
				return -1
			case keys[a] > keys[b]:
				return 1
			}
			return 0
		})
		return idx
	}
	const bits = 11
	const buckets = 1 << bits
	var used uint64
	for _, k := range keys {
		used |= k
	}
	src := slices.Clone(keys)
	dst := make([]uint64, n)
	srcIdx, dstIdx := idx, make([]int32, n)
	var count [buckets]int
	for shift := uint(0); shift < 64 && used>>shift != 0; shift += bits {
		clear(count[:])
		for _, k := range src {
			count[(k>>shift)&(buckets-1)]++
		}
		if count[(src[0]>>shift)&(buckets-1)] == n {
			continue
		}
		sum := 0
		for b := range count {
			c := count[b]
			count[b] = sum
			sum += c
		}
		for i, k := range src {
			b := (k >> shift) & (buckets - 1)
			dst[count[b]] = k
			dstIdx[count[b]] = srcIdx[i]
			count[b]++
		}
		src, dst = dst, src
		srcIdx, dstIdx = dstIdx, srcIdx
	}
	return srcIdx
}

// intervals reads every span's start and end once, in storage order, so
// that later passes in tree order touch two compact arrays instead of
// jumping around 100,000 large span structs.
func intervals(spans []backend.Span) (start, end []int64) {
	start = make([]int64, len(spans))
	end = make([]int64, len(spans))
	for i := range spans {
		start[i] = spans[i].Start
		end[i] = spanEnd(&spans[i])
	}
	return start, end
}
