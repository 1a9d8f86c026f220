package backend

import (
	"context"
	"io"
	"sync/atomic"
)

// Progress counts the bytes of a response as they arrive, so that a screen
// can say how much of a big trace has loaded. The loader adds; the screen
// reads from another goroutine.
type Progress struct {
	bytes atomic.Int64
	total atomic.Int64
	limit atomic.Int64
}

// Bytes returns how many bytes have arrived so far.
func (p *Progress) Bytes() int64 { return p.bytes.Load() }

// Total returns the expected size (Content-Length), or 0 when it is unknown.
// A total is also unknown when it is absurd: beyond the limit of what will
// be accepted (SetLimit), or already passed by the bytes that arrived. A
// server's Content-Length is its word only: "5.0 KiB of 8192.0 PiB" helps
// nobody, so every display shows bytes loaded alone then.
func (p *Progress) Total() int64 {
	t := p.total.Load()
	if t <= 0 || p.bytes.Load() > t {
		return 0
	}
	if l := p.limit.Load(); l > 0 && t > l {
		return 0
	}
	return t
}

// SetTotal records the expected size; 0 or less means unknown.
func (p *Progress) SetTotal(n int64) { p.total.Store(n) }

// SetLimit records the largest size that will be accepted, above which a
// total is a lie.
func (p *Progress) SetLimit(n int64) { p.limit.Store(n) }

// Restart counts from zero again, for a transfer started over (a retry).
func (p *Progress) Restart() { p.bytes.Store(0) }

// Add records n more bytes.
func (p *Progress) Add(n int64) { p.bytes.Add(n) }

type progressKey struct{}

// WithProgress returns a context whose requests report their body bytes to p.
func WithProgress(ctx context.Context, p *Progress) context.Context {
	return context.WithValue(ctx, progressKey{}, p)
}

// ProgressFrom returns the Progress of a context, or nil.
func ProgressFrom(ctx context.Context) *Progress {
	p, _ := ctx.Value(progressKey{}).(*Progress)
	return p
}

// CountingReader wraps r so that reads are added to the context's Progress;
// it returns r itself when the context has none.
func CountingReader(ctx context.Context, r io.Reader) io.Reader {
	p := ProgressFrom(ctx)
	if p == nil {
		return r
	}
	return &countingReader{r: r, p: p}
}

type countingReader struct {
	r io.Reader
	p *Progress
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.p.Add(int64(n))
	return n, err
}
