package jsonscan

import (
	"bufio"
	"io"
)

// Sink is an encoder's buffered output. It keeps the first write error and
// drops what comes after it, so that an encoder checks once, in Close.
type Sink struct {
	w   *bufio.Writer
	err error
}

// NewSink buffers writes to w.
func NewSink(w io.Writer) Sink {
	return Sink{w: bufio.NewWriterSize(w, 64<<10)}
}

// Write writes b unless an earlier write failed.
func (s *Sink) Write(b []byte) {
	if s.err == nil {
		_, s.err = s.w.Write(b)
	}
}

// WriteString writes str unless an earlier write failed.
func (s *Sink) WriteString(str string) {
	if s.err == nil {
		_, s.err = s.w.WriteString(str)
	}
}

// Close returns the first write error, or flushes the buffer.
func (s *Sink) Close() error {
	if s.err != nil {
		return s.err
	}
	return s.w.Flush()
}
