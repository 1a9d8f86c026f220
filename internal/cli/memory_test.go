package cli

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestSoftLimit(t *testing.T) {
	for _, tc := range []struct {
		size, want int64
	}{
		{0, 0},
		{minLimitedInput - 1, 0},
		{minLimitedInput, minLimitedInput * 6 / 5},
		{100 << 20, 120 << 20},
		{1 << 62, 0}, // would overflow
	} {
		if got := softLimit(tc.size); got != tc.want {
			t.Errorf("softLimit(%d) = %d, want %d", tc.size, got, tc.want)
		}
	}
}

func TestInputSize(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "a.json")
	if err := os.WriteFile(plain, []byte(`{"data":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	body := bytes.Repeat([]byte(`{"traceID":"1","spans":[]}`), 1000)
	var zbuf bytes.Buffer
	zw := gzip.NewWriter(&zbuf)
	zw.Write(body)
	zw.Close()
	gz := filepath.Join(dir, "b.json.gz")
	if err := os.WriteFile(gz, zbuf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	// A gzip file whose trailer claims less than the file holds (two
	// members, or a size past 4 GiB) has no known size.
	bad := filepath.Join(dir, "c.json.gz")
	short := append(bytes.Clone(zbuf.Bytes()[:len(zbuf.Bytes())-4]), 1, 0, 0, 0)
	if err := os.WriteFile(bad, short, 0o600); err != nil {
		t.Fatal(err)
	}

	if n, ok := inputSize([]string{plain}, nil); !ok || n != 11 {
		t.Errorf("plain file: %d %v, want 11 true", n, ok)
	}
	if n, ok := inputSize([]string{gz}, nil); !ok || n != int64(len(body)) {
		t.Errorf("gzip file: %d %v, want %d (uncompressed) true", n, ok, len(body))
	}
	if n, ok := inputSize([]string{plain, gz}, nil); !ok || n != 11+int64(len(body)) {
		t.Errorf("two files: %d %v", n, ok)
	}
	if _, ok := inputSize([]string{bad}, nil); ok {
		t.Error("gzip with an impossible trailer: size reported as known")
	}
	if _, ok := inputSize([]string{filepath.Join(dir, "missing.json")}, nil); ok {
		t.Error("missing file: size reported as known")
	}
	if _, ok := inputSize([]string{"-"}, strings.NewReader("{}")); ok {
		t.Error("stdin that is not a file: size reported as known")
	}
	if _, ok := inputSize(nil, nil); ok {
		t.Error("no files: size reported as known")
	}

	f, err := os.Open(plain)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if n, ok := inputSize([]string{"-"}, f); !ok || n != 11 {
		t.Errorf("stdin redirected from a file: %d %v, want 11 true", n, ok)
	}
	if pos, _ := f.Seek(0, 1); pos != 0 {
		t.Errorf("measuring stdin moved it to %d", pos)
	}
}

func TestLimitMemory(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.json")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	// Sparse: the size is what counts, not the content.
	if err := f.Truncate(40 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	before := debug.SetMemoryLimit(-1)

	restore := limitMemory(Env{Getenv: func(string) string { return "" }}, []string{big})
	if got := debug.SetMemoryLimit(-1); got != 48<<20 {
		t.Errorf("limit for a 40 MiB file: %d, want %d", got, 48<<20)
	}
	restore()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit after restore: %d, want %d", got, before)
	}

	withEnv := Env{Getenv: func(k string) string {
		if k == "GOMEMLIMIT" {
			return "1GiB"
		}
		return ""
	}}
	limitMemory(withEnv, []string{big})()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("GOMEMLIMIT set by the user, yet the limit became %d", got)
	}

	// A lower limit set by someone else stays.
	debug.SetMemoryLimit(1 << 20)
	defer debug.SetMemoryLimit(before)
	restore = limitMemory(Env{Getenv: func(string) string { return "" }}, []string{big})
	if got := debug.SetMemoryLimit(-1); got != 1<<20 {
		t.Errorf("a lower existing limit was raised to %d", got)
	}
	restore()
}
