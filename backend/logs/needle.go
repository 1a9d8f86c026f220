package logs

import "bytes"

// multiIndex finds the first of several needles in text in one pass, with
// Wu and Manber's shift table on two-byte blocks: the window jumps by up to
// the shortest needle's length less one whenever the two bytes at its end
// occur in no needle, which in log text is most of the time. bytes.Index
// per needle would read the text once per needle, and on hex-dense text its
// first-byte search stops every few bytes.
type multiIndex struct {
	needles [][]byte
	// m is the shortest needle's length; below 2 the table cannot help and
	// index falls back to bytes.Index.
	m     int
	shift []uint8 // 65536 entries, one per two-byte block
}

func newMultiIndex(needles [][]byte) *multiIndex {
	mi := &multiIndex{needles: needles, m: len(needles[0])}
	for _, n := range needles {
		mi.m = min(mi.m, len(n))
	}
	if mi.m < 2 {
		return mi
	}
	// A shift is at most m-1, which must fit a byte.
	def := uint8(min(mi.m-1, 255))
	mi.shift = make([]uint8, 1<<16)
	for i := range mi.shift {
		mi.shift[i] = def
	}
	for _, n := range needles {
		for j := 1; j < mi.m; j++ {
			s := mi.m - 1 - j
			if s > 255 {
				continue
			}
			h := uint16(n[j-1])<<8 | uint16(n[j])
			if uint8(s) < mi.shift[h] {
				mi.shift[h] = uint8(s)
			}
		}
	}
	return mi
}

// index returns the start of the leftmost occurrence of any needle in b,
// or -1.
func (mi *multiIndex) index(b []byte) int {
	if mi.shift == nil {
		best := -1
		for _, n := range mi.needles {
			if i := bytes.Index(b, n); i >= 0 && (best < 0 || i < best) {
				best = i
			}
		}
		return best
	}
	m := mi.m
	shift := mi.shift[:1<<16]
	for pos := m - 1; pos < len(b); {
		s := shift[uint16(b[pos-1])<<8|uint16(b[pos])]
		if s != 0 {
			pos += int(s)
			continue
		}
		start := pos - m + 1
		for _, n := range mi.needles {
			if bytes.HasPrefix(b[start:], n) {
				return start
			}
		}
		pos++
	}
	return -1
}
