package hostile_test

import (
	"strings"
	"testing"

	"github.com/tracetui/tracetui/internal/testkit/hostile"
	"github.com/tracetui/tracetui/internal/textsafe"
)

// TestClipboardCleansEveryPayload: the one clipboard path leaves nothing a
// shell or a terminal would act on, for every payload of the corpus, and
// keeps the ordinary text before it (what follows an unterminated sequence
// is part of it).
func TestClipboardCleansEveryPayload(t *testing.T) {
	for _, p := range hostile.ClipboardPayloads() {
		t.Run(p.Name, func(t *testing.T) {
			got := textsafe.Clipboard("before" + p.Text + "after")
			hostile.AssertClipboardSafe(t, got)
			if !strings.HasPrefix(got, "before") {
				t.Errorf("the neighbours were eaten: %q", got)
			}
		})
	}
}

// TestAssertClipboardSafeCatches: the assertion fails on what it is for.
func TestAssertClipboardSafeCatches(t *testing.T) {
	for _, bad := range []string{"a\nb", "a\tb", "a\u2028b", "a\u202eb", "a\x1b[201~", "\xff"} {
		r := &clipRecorder{}
		hostile.AssertClipboardSafe(r, bad)
		if !r.failed {
			t.Errorf("AssertClipboardSafe(%q) passed", bad)
		}
	}
}

type clipRecorder struct {
	testing.TB
	failed bool
}

func (r *clipRecorder) Helper()               { /* a recorder has no call stack to mark */ }
func (r *clipRecorder) Errorf(string, ...any) { r.failed = true }
