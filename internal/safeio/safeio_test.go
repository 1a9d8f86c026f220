package safeio

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadFileLimit(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := os.WriteFile(p, []byte("12345"), 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadFile(p, 5); err != nil || string(b) != "12345" {
		t.Errorf("at the limit: %q %v", b, err)
	}
	_, err := ReadFile(p, 4)
	var tl *TooLargeError
	if !errors.As(err, &tl) || tl.Path != p || strings.Contains(err.Error(), "1234") {
		t.Errorf("over the limit: %v", err)
	}
	if _, err := ReadFile(filepath.Join(dir, "missing"), 10); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
}

// TestReadFileEndlessDevice: /dev/zero would never end; the limit ends it.
func TestReadFileEndlessDevice(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	_, err := ReadFile("/dev/zero", 1<<20)
	var tl *TooLargeError
	if !errors.As(err, &tl) || err.Error() != "/dev/zero is larger than 1 MiB (is it the right file?)" {
		t.Errorf("got %v", err)
	}
}

// endless is a reader that never ends, like /dev/zero.
type endless struct{ n int }

func (e *endless) Read(p []byte) (int, error) {
	e.n++
	return len(p), nil
}

func TestReaderStopsWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	src := &endless{}
	r := Reader(ctx, src)
	buf := make([]byte, 4<<20)
	n, err := r.Read(buf)
	if err != nil || n != maxChunk {
		t.Fatalf("first read %d %v, want a chunk of %d", n, err, maxChunk)
	}
	cancel()
	if _, err := io.Copy(io.Discard, r); !errors.Is(err, context.Canceled) {
		t.Fatalf("copy after cancel: %v", err)
	}
	if src.n != 1 {
		t.Errorf("%d reads of the source, want 1", src.n)
	}
	if Reader(context.Background(), src) != io.Reader(src) {
		t.Error("a context that never ends should not wrap")
	}
}

func TestWriterStopsWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	w := Writer(ctx, &out)
	if n, err := w.Write([]byte("abc")); n != 3 || err != nil {
		t.Fatalf("%d %v", n, err)
	}
	cancel()
	if n, err := w.Write([]byte("def")); n != 0 || !errors.Is(err, context.Canceled) {
		t.Fatalf("after cancel: %d %v", n, err)
	}
	if out.String() != "abc" {
		t.Errorf("wrote %q", out.String())
	}
}
