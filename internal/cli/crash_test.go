package cli

import (
	"bytes"
	"strings"
	"testing"
)

// TestPanicGoesThroughTheSanitizer: a panic outside the TUI is reported on
// stderr through the one crash writer, its value sanitized (issue 9: the
// command line's recover printed the raw panic value).
func TestPanicGoesThroughTheSanitizer(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	var stdout, stderr bytes.Buffer
	code := Main([]string{"search"}, Env{
		Stdout: &stdout, Stderr: &stderr,
		Getenv: func(string) string { panic("boom \x1b]8;;http://evil\x07click\x1b]8;;\x07\n\u202eline") },
	})
	if code != ExitRuntime {
		t.Fatalf("exit code %d, want %d", code, ExitRuntime)
	}
	out := stderr.String()
	if strings.ContainsAny(strings.TrimSuffix(out, "\n"), "\x1b\x07\n\u202e") {
		t.Errorf("stderr holds a control: %q", out)
	}
	if !strings.Contains(out, "boom click") || !strings.Contains(out, "crash report: ") {
		t.Errorf("stderr %q: want the cleaned value and the report's path", out)
	}
}
