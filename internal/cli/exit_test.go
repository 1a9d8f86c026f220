package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestExitCodeFollowsTheKindOfError: a runtime error whose text happens to
// hold cobra's usage words (a file or URL may) still exits 1; mistakes on
// the command line, including cobra's own, exit 2.
func TestExitCodeFollowsTheKindOfError(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "invalid argument, requires accepts unknown command.json")
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"show", "--file", missing}, ExitRuntime},
		{[]string{"search", "--file", missing}, ExitRuntime},
		{[]string{"show", "a", "b"}, ExitUsage},
		{[]string{"version", "x"}, ExitUsage},
		{[]string{"search", "--limit", "x"}, ExitUsage},
		{[]string{"--no-such-flag"}, ExitUsage},
	} {
		r := run(t, nil, "", append(isolate(t), tc.args...)...)
		if r.code != tc.code {
			t.Errorf("%v: exit %d, want %d (%s)", tc.args, r.code, tc.code, r.stderr)
		}
		if !strings.HasPrefix(r.stderr, "tracetui: ") || strings.Count(strings.TrimSpace(r.stderr), "\n") > 1 {
			t.Errorf("%v: stderr %q", tc.args, r.stderr)
		}
	}
}
