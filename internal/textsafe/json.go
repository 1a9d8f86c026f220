package textsafe

import "unicode/utf8"

// EscapeJSON makes encoded JSON safe to print on a terminal without changing
// its value: DEL, C1 controls, bidi controls and line separators, which
// encoding/json writes raw, become \uXXXX escapes, as do raw C0 controls
// other than tab, newline and CR (JSON whitespace), and invalid UTF-8 becomes
// \ufffd. Such characters are only valid JSON inside strings, where an escape
// means the same, so the whole document can be rewritten blindly. Clean JSON
// is returned as is.
func EscapeJSON(b []byte) []byte {
	i := 0
	for i < len(b) {
		c := b[i]
		if c >= 0x20 && c < del || c == '\t' || c == '\n' || c == '\r' {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			break
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 || needsJSONEscape(r) {
			break
		}
		i += n
	}
	if i == len(b) {
		return b
	}
	out := make([]byte, 0, len(b)+32)
	out = append(out, b[:i]...)
	for i < len(b) {
		c := b[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c < del || c == '\t' || c == '\n' || c == '\r' {
				out = append(out, c)
			} else {
				out = appendU(out, rune(c))
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			out = appendU(out, utf8.RuneError)
		case needsJSONEscape(r):
			out = appendU(out, r)
		default:
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	return out
}

func needsJSONEscape(r rune) bool { return isC1(r) || isBidi(r) || isLineSep(r) }

func appendU(out []byte, r rune) []byte {
	const hex = "0123456789abcdef"
	return append(out, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
}
