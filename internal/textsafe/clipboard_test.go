package textsafe

import (
	"strings"
	"testing"
	"unicode"
)

func TestClipboard(t *testing.T) {
	for in, want := range map[string]string{
		"4bf92f3577b34da6":         "4bf92f3577b34da6",
		"abc\x1b[201~\nrm -rf ~\n": "abc rm -rf ~ ",
		"id\r\nnext":               "id next",
		"a\tb":                     "a b",
		"x\u2028y\u2029z":          "x y z",
		"x\u0085y":                 "xy",
		"\u202eevil\u202c":         "evil",
		"\x1b]8;;http://evil\x07link\x1b]8;;\x07": "link",
		"\x1b[31mred\x1b[0m":                      "red",
		"bad\xffbyte":                             "bad\ufffdbyte",
		"multi\nline value\n  indented":           "multi line value   indented",
		"\u009b31mC1 CSI":                         "C1 CSI",
		"bell\x07 del\x7f nul\x00":                "bell del nul",
		"\u200eLRM \u200fRLM \u061cALM":           "LRM RLM ALM",
		"":                                        "",
	} {
		if got := Clipboard(in); got != want {
			t.Errorf("Clipboard(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestClipboardHoldsNothingUnsafe checks the promise on every rune: the
// result holds no control character, no line or paragraph separator and no
// bidi control, whatever the input.
func TestClipboardHoldsNothingUnsafe(t *testing.T) {
	var all strings.Builder
	for r := rune(0); r < 0x3000; r++ {
		all.WriteRune(r)
		all.WriteByte('x')
	}
	all.WriteString("\xff\xfe\xc0")
	checkClipboardSafe(t, Clipboard(all.String()))
}

func checkClipboardSafe(t *testing.T, s string) {
	t.Helper()
	for _, r := range s {
		if unicode.IsControl(r) || r == 0x2028 || r == 0x2029 || isBidi(r) {
			t.Fatalf("clipboard text holds %U", r)
		}
	}
}

func FuzzClipboard(f *testing.F) {
	for _, s := range []string{"a\x1b[201~\nb", "\u202e", "x\r\ny", "\x9d0;t\x9c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Clipboard(s)
		checkClipboardSafe(t, got)
		if Clipboard(got) != got {
			t.Fatalf("Clipboard is not idempotent on %q: %q then %q", s, got, Clipboard(got))
		}
	})
}
