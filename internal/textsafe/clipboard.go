package textsafe

import "strings"

// clipboardBreaks are the whitespace controls that become one space on the
// clipboard, before Clean would turn them into visible markers.
var clipboardBreaks = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ", "\t", " ")

// Clipboard makes untrusted text safe to leave the program through the
// clipboard, or to enter it through a paste: one line of plain text, valid
// UTF-8, with no escape sequence, no control byte, no bidi control and no
// line break (tab, CR, LF, NEL, U+2028 and U+2029 become a space). A line
// break in a copied trace ID runs a command when it is pasted into a shell,
// and a bracketed-paste terminator ends the paste early; both are gone.
//
// Everything y copies and every paste typed into a field goes through it:
// this is the one cleaning path for the clipboard, both ways.
func Clipboard(s string) string {
	if IsClean(s) {
		return s
	}
	// CleanLines strips escape sequences whole (not only their ESC) and
	// keeps line breaks as boundaries, which then become spaces.
	return strings.Join(CleanLines(clipboardBreaks.Replace(s)), " ")
}
