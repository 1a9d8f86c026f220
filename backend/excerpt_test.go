package backend_test

import (
	"strings"
	"testing"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/testkit/hostile"
)

// TestExcerptDropsWholeSequences: server error text reaches stderr through
// Excerpt, which must remove a sequence whole (not only its ESC, leaving
// "[31m" or an OSC 8 link target visible) and drop every bidi mark and line
// separator, as the one sanitizer does.
func TestExcerptDropsWholeSequences(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"\x1b[31mbad\x1b[0m news", "bad news"},
		{"\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\ here", "click here"},
		{"\x1b]0;title\x07after", "after"},
		{"\u009b2Jx", "x"},
		{"a\u200eb\u200fc\u061cd\u202ee", "abcde"},
		{"one\u2028two\u2029three\r\nfour\tfive", "one two three four five"},
		{"  lead \x1b[1m \x1b[0m trail  ", "lead trail"},
		{"\xff\xfeok", "\ufffd\ufffdok"},
	} {
		if got := backend.Excerpt([]byte(tc.in), 100); got != tc.want {
			t.Errorf("Excerpt(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestExcerptOverHostilePayloads: every payload of the corpus, embedded in
// text, gives a one-line excerpt a terminal cannot act on, within its width.
func TestExcerptOverHostilePayloads(t *testing.T) {
	for _, p := range hostile.Payloads() {
		in := "before " + p.Text + " after"
		for _, width := range []int{1, 10, 80, 400} {
			got := backend.Excerpt([]byte(in), width)
			if err := hostile.Check(got, false); err != nil {
				t.Errorf("%s at %d: %v", p.Name, width, err)
			}
			if strings.Contains(got, "\n") {
				t.Errorf("%s at %d: not one line: %q", p.Name, width, got)
			}
			hostile.AssertWidth(t, got, width)
		}
	}
}

// TestErrorMessageIsSanitized: an Error built from hostile parts prints
// clean whatever field carried the payload.
func TestErrorMessageIsSanitized(t *testing.T) {
	for _, p := range hostile.Payloads() {
		e := &backend.Error{Kind: backend.BadResponse, Op: "search", Offset: -1, Err: errorString(p.Text)}
		if err := hostile.Check(e.Error(), false); err != nil {
			t.Errorf("%s: %v", p.Name, err)
		}
	}
}

type errorString string

func (e errorString) Error() string { return string(e) }
