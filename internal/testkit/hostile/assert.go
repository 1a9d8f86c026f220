package hostile

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Check returns an error describing the first thing in output that a
// terminal could act on or that reorders text: invalid UTF-8, a C0 control
// other than newline, DEL, a C1 control, a bidi control or a Unicode line
// separator. With allowSGR, tracetui's own style sequences (ESC [ params m,
// params being digits, ';' and ':') are allowed and nothing else starting
// with ESC is.
func Check(output string, allowSGR bool) error {
	for i := 0; i < len(output); {
		c := output[i]
		if c >= 0x20 && c < 0x7f || c == '\n' {
			i++
			continue
		}
		if c == 0x1b && allowSGR {
			if n := sgrLen(output[i:]); n > 0 {
				i += n
				continue
			}
		}
		r, n := utf8.DecodeRuneInString(output[i:])
		bad := ""
		switch {
		case r == utf8.RuneError && n == 1:
			bad = "invalid UTF-8"
		case r < 0x20:
			bad = "C0 control"
		case r == 0x7f:
			bad = "DEL"
		case r >= 0x80 && r <= 0x9f:
			bad = "C1 control"
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
			bad = "bidi control"
		case r == 0x2028 || r == 0x2029:
			bad = "line separator"
		}
		if bad != "" {
			return fmt.Errorf("%s %q at byte %d: …%q…", bad, output[i:i+n], i, excerpt(output, i))
		}
		i += n
	}
	return nil
}

// sgrLen returns the length of the SGR sequence at the start of s, or 0.
func sgrLen(s string) int {
	if len(s) < 3 || s[0] != 0x1b || s[1] != '[' {
		return 0
	}
	for i := 2; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c == ';', c == ':':
		case c == 'm':
			return i + 1
		default:
			return 0
		}
	}
	return 0
}

func excerpt(s string, i int) string {
	lo, hi := max(i-20, 0), min(i+20, len(s))
	return s[lo:hi]
}

// AssertSafe fails t if output (`show --color never`, or a view with styles
// stripped) holds anything Check(output, false) rejects.
func AssertSafe(t testing.TB, output string) {
	t.Helper()
	if err := Check(output, false); err != nil {
		t.Errorf("unsafe output: %v", err)
	}
}

// AssertSafeStyled is AssertSafe for coloured output: SGR sequences are
// allowed, any other escape sequence fails.
func AssertSafeStyled(t testing.TB, output string) {
	t.Helper()
	if err := Check(output, true); err != nil {
		t.Errorf("unsafe styled output: %v", err)
	}
}

// AssertWidth fails t if a line of output is wider than width cells, as
// measured by x/ansi (styles do not count).
func AssertWidth(t testing.TB, output string, width int) {
	t.Helper()
	for n, line := range strings.Split(output, "\n") {
		if w := ansi.StringWidth(line); w > width {
			t.Errorf("line %d is %d cells wide, more than %d: %q", n+1, w, width, excerpt(line, 0))
			return
		}
	}
}
