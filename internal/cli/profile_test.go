package cli

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracetui/tracetui/backend/demo"
)

// isProfile reports whether the file holds a pprof profile: gzip-compressed
// protocol buffers that are not empty.
func isProfile(t *testing.T, path string) bool {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no profile: %v", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return false
	}
	raw, err := io.ReadAll(zr)
	return err == nil && len(raw) > 0
}

func TestCPUProfileFlagAndEnv(t *testing.T) {
	dir := t.TempDir()
	byFlag := filepath.Join(dir, "flag.pprof")
	r := run(t, nil, "", append(isolate(t), "--cpuprofile", byFlag, "show", "--demo", string(demo.CheckoutTraceID), "--output", "json")...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !isProfile(t, byFlag) {
		t.Error("--cpuprofile wrote no profile")
	}

	byEnv := filepath.Join(dir, "env.pprof")
	r = run(t, map[string]string{EnvCPUProfile: byEnv}, "", append(isolate(t), "show", "--demo", string(demo.CheckoutTraceID))...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !isProfile(t, byEnv) {
		t.Error(EnvCPUProfile + " wrote no profile")
	}
}

func TestCPUProfileWrittenWhenTheCommandFails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fail.pprof")
	r := run(t, nil, "", append(isolate(t), "--cpuprofile", path, "show", "--file", filepath.Join(t.TempDir(), "missing.json"))...)
	if r.code != ExitRuntime {
		t.Fatalf("exit %d, want %d: %s", r.code, ExitRuntime, r.stderr)
	}
	if !isProfile(t, path) {
		t.Error("a failed run left no profile")
	}
}

func TestCPUProfileUnwritable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "such", "dir", "p.pprof")
	r := run(t, nil, "", append(isolate(t), "--cpuprofile", path, "show", "--demo", string(demo.CheckoutTraceID))...)
	if r.code != ExitRuntime || !strings.Contains(r.stderr, "cpu profile") || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
		t.Fatalf("exit %d, stderr %q: want one line about the cpu profile", r.code, r.stderr)
	}
}
