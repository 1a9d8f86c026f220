package demo

import (
	"time"

	"github.com/tracetui/tracetui/backend"
)

// The demo uses its own SplitMix64 rather than math/rand so that trace IDs,
// correlation IDs and timings never change with the Go version: the README
// and the TUI tests name them.
const golden = 0x9e3779b97f4a7c15

// mix is SplitMix64's finalizer, a bijection on uint64; counters fed through
// it give IDs that are unique without a set to check against.
func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * 1099511628211
	}
	return mix(h)
}

type rng struct{ s uint64 }

func newRng(seed uint64) rng { return rng{s: mix(seed ^ 0x5eed)} }

func (r *rng) next() uint64 {
	r.s += golden
	return mix(r.s)
}

// intn returns a number in [0, n); the modulo bias is irrelevant here.
func (r *rng) intn(n int) int {
	if n <= 1 {
		return 0
	}
	return int(r.next() % uint64(n))
}

// percent is true p times in a hundred.
func (r *rng) percent(p int) bool { return r.intn(100) < p }

// dur returns a duration in [lo, hi) rounded down to whole microseconds, as
// Jaeger and Zipkin store them.
func (r *rng) dur(lo, hi time.Duration) int64 {
	d := int64(lo)
	if hi > lo {
		d += int64(r.next() % uint64(hi-lo))
	}
	return max(d/us*us, us)
}

const (
	us = int64(time.Microsecond)
	ms = int64(time.Millisecond)
)

const hexDigits = "0123456789abcdef"

func appendHex(dst []byte, v uint64, digits int) []byte {
	for i := digits - 1; i >= 0; i-- {
		dst = append(dst, hexDigits[(v>>(4*uint(i)))&0xf])
	}
	return dst
}

// traceIDFor derives a trace's ID from its seed alone; short gives a 64-bit
// ID (high half zero) as older Jaeger clients produce.
func traceIDFor(seed uint64, short bool) backend.TraceID {
	high := mix(seed*golden ^ 0x7ace)
	low := mix(seed*golden ^ 0x1d5)
	if short {
		high = 0
	}
	if low == 0 {
		low = 1
	}
	return backend.TraceIDFromUint64(high, low)
}

// correlationFor derives a correlation ID such as "corr-7f3a9c2e41d8".
func correlationFor(seed uint64) string {
	return string(appendHex([]byte("corr-"), mix(seed^0xc022)>>16, 12))
}

func requestIDFor(seed uint64) string {
	v := mix(seed ^ 0x4e9)
	b := appendHex([]byte("req-"), v>>32, 8)
	b = append(b, '-')
	return string(appendHex(b, v&0xffff, 4))
}
