// Package textsafe makes untrusted trace text safe to put on a terminal.
//
// Anyone who can send a span controls service names, operations, tags, logs
// and IDs. Printed raw, such text can retitle the terminal (OSC 0), write the
// clipboard (OSC 52), clear or redraw the screen (CSI), make the terminal
// answer on stdin (DECRQSS, DA, DSR), or reorder what the reader sees (bidi
// overrides). Clean is the one sanitizer for all of it: apply it before any
// width math, then measure and cut with x/ansi.
//
// Escape sequences are parsed the way a VT500-style terminal parser would
// (vt100.net's DEC parser, as followed by xterm), so that a sequence is removed
// whole rather than leaving its parameters behind as text. Safety does not
// depend on that parse being exact: every ESC, C0 and C1 control is dropped
// from the output whatever the parse, so no sequence can survive or be formed.
package textsafe

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Visible stand-ins for whitespace controls. Each is one cell wide and has
// East Asian width "neutral", so CJK terminals do not draw it two cells wide
// (unlike "→", which is ambiguous).
const (
	TabMarker     = "⇥" // U+21E5
	NewlineMarker = "↵" // U+21B5
	CRMarker      = "␍" // U+240D
)

// Ellipsis ends a truncated string.
const Ellipsis = "…"

const (
	esc = 0x1b
	bel = 0x07
	can = 0x18
	sub = 0x1a
	del = 0x7f

	c1CSI = 0x9b
	c1OSC = 0x9d
	c1DCS = 0x90
	c1APC = 0x9f
	c1PM  = 0x9e
	c1SOS = 0x98
	c1ST  = 0x9c
)

// Clean returns s as a single line that is valid UTF-8 and holds no escape
// sequence, no C0 or C1 control, no DEL and no bidi control. Invalid bytes
// become U+FFFD (one per run); tab, newline and carriage return become
// TabMarker, NewlineMarker and CRMarker (CR LF and U+2028/U+2029 count as a
// newline). Combining marks, joiners and wide characters are kept.
//
// A string that is already clean is returned as is, without allocating.
func Clean(s string) string {
	if IsClean(s) {
		return s
	}
	return clean(s, false)
}

// CleanLines is Clean that keeps line breaks as line boundaries, for values
// wrapped in a detail pane. Like strings.Split it returns at least one line,
// and a trailing newline gives a trailing empty line.
func CleanLines(s string) []string {
	if isClean(s, true) {
		return strings.Split(s, "\n")
	}
	return strings.Split(clean(s, true), "\n")
}

// Truncate cleans s and cuts it to at most width cells, ending a cut string
// with Ellipsis. Callers pad the result themselves (or use Fit).
func Truncate(s string, width int) string {
	return truncate(s, width, 2*width+32)
}

// truncateMargin is how many cells past the cut a cleaned prefix must reach
// before the rest of the string cannot change the result: the prefix's last
// rune may differ from the whole string's (a multibyte rune or CR LF split at
// the cut, 1 cell) and its last grapheme cluster may grow (at most 2 cells).
const truncateMargin = 8

// truncate cleans and measures growing prefixes of s, starting with probe
// bytes, so that showing the first cells of a megabyte value costs about as
// much as showing a short one. Clean of a prefix is a prefix of Clean of the
// whole apart from its last rune, so once a prefix is wide enough past the
// cut, truncating it gives the same result as truncating everything.
func truncate(s string, width, probe int) string {
	if width <= 0 {
		return ""
	}
	for n := max(probe, 1); n < len(s); n *= 4 {
		p := Clean(s[:n])
		if ansi.StringWidth(p) > width+truncateMargin {
			return cut(p, width)
		}
	}
	return cut(Clean(s), width)
}

// cut truncates clean text. Printable ASCII is one cell and one grapheme per
// byte, so the common case (service names, operations, IDs) skips the
// grapheme segmentation ansi.Truncate does.
func cut(s string, width int) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return ansi.Truncate(s, width, Ellipsis)
		}
	}
	if len(s) <= width {
		return s
	}
	return s[:width-1] + Ellipsis
}

// Fit is Truncate padded with spaces to exactly width cells (a wide character
// cut at the edge leaves a space).
func Fit(s string, width int) string {
	t := Truncate(s, width)
	if w := ansi.StringWidth(t); w < width {
		return t + strings.Repeat(" ", width-w)
	}
	return t
}

// IsClean reports whether Clean would return s unchanged.
func IsClean(s string) bool { return isClean(s, false) }

// isClean is the fast path: it must accept exactly the strings clean leaves
// unchanged, or Clean stops being idempotent.
func isClean(s string, newlines bool) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < del {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			if c == '\n' && newlines {
				i++
				continue
			}
			return false
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || isC1(r) || isBidi(r) || isLineSep(r) {
			return false
		}
		i += n
	}
	return true
}

func clean(s string, lines bool) string {
	var b strings.Builder
	b.Grow(len(s))
	newline := func() {
		if lines {
			b.WriteByte('\n')
		} else {
			b.WriteString(NewlineMarker)
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < del {
			b.WriteByte(c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			i = skipInvalid(s, i)
			b.WriteRune(utf8.RuneError)
			continue
		}
		i += n
		switch {
		case r == esc:
			i = skipEscape(s, i)
		case r == c1CSI:
			i = skipCSI(s, i)
		case isStringStart(r):
			i = skipString(s, i)
		case r == '\t':
			b.WriteString(TabMarker)
		case r == '\n', isLineSep(r):
			newline()
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				i++
				newline()
			} else {
				b.WriteString(CRMarker)
			}
		case r < 0x20, r == del, isC1(r), isBidi(r):
			// Dropped: other controls have no visible form worth showing.
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// skipInvalid returns the index after the run of invalid UTF-8 starting at i,
// so that a megabyte of binary becomes one U+FFFD, not a megabyte of them.
func skipInvalid(s string, i int) int {
	for i < len(s) {
		if s[i] < utf8.RuneSelf {
			return i
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r != utf8.RuneError || n != 1 {
			return i
		}
		i++
	}
	return i
}

// skipEscape skips what follows an ESC at s[i:]: a CSI, a control string, or
// an escape sequence of intermediates (0x20–0x2f) and a final (0x30–0x7e).
// Anything else ends the sequence and is processed as text.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch c := s[i]; {
	case c == '[':
		return skipCSI(s, i+1)
	case c == ']', c == 'P', c == '_', c == '^', c == 'X':
		return skipString(s, i+1)
	case c >= 0x20 && c <= 0x2f:
		i++
		for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
			i++
		}
		if i < len(s) && s[i] >= 0x30 && s[i] < del {
			i++
		}
		return i
	case c >= 0x30 && c < del:
		return i + 1
	}
	return i
}

// skipCSI skips a control sequence's parameters, intermediates and final
// byte. As in a terminal, C0 controls and DEL inside it do not end it; CAN and
// SUB cancel it; ESC, C1 and anything non-ASCII end it and are processed next.
func skipCSI(s string, i int) int {
	for i < len(s) {
		c := s[i]
		switch {
		case c >= 0x20 && c <= 0x3f:
			i++
		case c >= 0x40 && c < del:
			return i + 1
		case c == can || c == sub:
			return i + 1
		case c == esc || c >= utf8.RuneSelf:
			return i
		default: // other C0 and DEL
			i++
		}
	}
	return i
}

// skipString skips the body of an OSC, DCS, APC, PM or SOS string. It ends
// at BEL, ST (ESC \ or U+009C), CAN or SUB, which are consumed, or at another
// ESC or C1 control, which starts the next sequence. An unterminated string
// runs to the end of s, as it would swallow the rest on a terminal.
func skipString(s string, i int) int {
	for i < len(s) {
		c := s[i]
		switch {
		case c == bel || c == can || c == sub:
			return i + 1
		case c == esc:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i
		case c < utf8.RuneSelf:
			i++
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == c1ST {
				return i + n
			}
			if isC1(r) {
				return i
			}
			i += n
		}
	}
	return i
}

func isStringStart(r rune) bool {
	switch r {
	case c1OSC, c1DCS, c1APC, c1PM, c1SOS:
		return true
	}
	return false
}

func isC1(r rune) bool { return r >= 0x80 && r <= 0x9f }

// isLineSep reports U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR,
// which some renderers break lines on.
func isLineSep(r rune) bool { return r == 0x2028 || r == 0x2029 }

// isBidi reports the bidirectional formatting characters that can make text
// display in a different order than it is stored (Trojan Source, CVE-2021-42574).
func isBidi(r rune) bool {
	switch {
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return false
}

// WrapWords breaks text at spaces only (keys such as x-request-id and IDs
// stay whole), cutting a word wider than the width. It measures display
// width; it does not clean: give it cleaned text.
func WrapWords(text string, width int) []string {
	var out []string
	line := ""
	for _, w := range strings.Fields(text) {
		switch {
		case line == "":
			line = w
		case ansi.StringWidth(line)+1+ansi.StringWidth(w) <= width:
			line += " " + w
		default:
			out = append(out, line)
			line = w
		}
		for ansi.StringWidth(line) > width {
			out = append(out, ansi.Truncate(line, width, ""))
			line = ansi.TruncateLeft(line, width, "")
		}
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}
