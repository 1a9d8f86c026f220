// Package safeio bounds the program's own reads and writes: files read whole
// have a size limit (a config path may name /dev/zero or a password file of
// gigabytes), and long streams stop when their context ends, so that a
// signal ends a decode or a print between two reads or writes instead of
// after the last one.
package safeio

import (
	"context"
	"fmt"
	"io"
	"os"
)

// Limits for the small files the program reads whole.
const (
	// ConfigLimit bounds the config file.
	ConfigLimit = 1 << 20
	// SecretLimit bounds a token or password file.
	SecretLimit = 64 << 10
	// CALimit bounds a PEM bundle of CA certificates (the system bundle is
	// about 200 KiB).
	CALimit = 16 << 20
)

// TooLargeError is a file over its size limit. It names the path, which is
// the user's own, and never the content.
type TooLargeError struct {
	Path  string
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than %s (is it the right file?)", e.Path, size(e.Limit))
}

func size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// ReadFile reads a whole file of at most limit bytes. A longer file, or a
// device that never ends, is a *TooLargeError after limit+1 bytes.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadAll(f, path, limit)
}

// ReadAll is ReadFile for an open reader; name is what the error calls it.
func ReadAll(r io.Reader, name string, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &TooLargeError{Path: name, Limit: limit}
	}
	return data, nil
}

// Reader returns r that fails with ctx's error once ctx is done. The check
// is between reads: a read blocked on a pipe is not interrupted (the CLI
// exits on its own after a signal if one is).
func Reader(ctx context.Context, r io.Reader) io.Reader {
	if ctx.Done() == nil {
		return r
	}
	return &ctxReader{ctx: ctx, r: r}
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

// maxChunk bounds one read, so that a reader handed a huge buffer still
// checks its context every few milliseconds.
const maxChunk = 1 << 20

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	if len(p) > maxChunk {
		p = p[:maxChunk]
	}
	return c.r.Read(p)
}

// Writer returns w that fails with ctx's error once ctx is done.
func Writer(ctx context.Context, w io.Writer) io.Writer {
	if ctx.Done() == nil {
		return w
	}
	return &ctxWriter{ctx: ctx, w: w}
}

type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c *ctxWriter) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		if err := c.ctx.Err(); err != nil {
			return written, err
		}
		chunk := p[:min(len(p), maxChunk)]
		n, err := c.w.Write(chunk)
		written += n
		if err != nil {
			return written, err
		}
		p = p[n:]
	}
	return written, nil
}
