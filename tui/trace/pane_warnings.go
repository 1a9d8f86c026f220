package trace

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/internal/textsafe"
)

// warningLines lists the trace's warnings and the analysis's, wrapped.
func warningLines(_ *pane, c paneCtx, w int) []paneLine {
	var ws []string
	if c.rd.an != nil {
		ws = c.rd.an.warnings
	} else {
		for _, x := range c.rd.trace.Warnings {
			ws = append(ws, textsafe.Clean(x))
		}
		for _, x := range c.rd.td.tree.Warnings {
			ws = append(ws, textsafe.Clean(x))
		}
	}
	if len(ws) == 0 {
		return []paneLine{plainLine("no warnings", c.st.P.Dim, "", w)}
	}
	var lines []paneLine
	for _, x := range ws {
		for k, part := range wrap(x, max(w-2, 1)) {
			lead := "• "
			if k > 0 {
				lead = "  "
			}
			lines = append(lines, paneLine{text: lead + part, copy: x, span: -1, service: -1})
		}
	}
	if c.rd.an == nil {
		lines = append(lines, plainLine("analysing… (skew warnings follow)", c.st.P.Dim, "", w))
	}
	return lines
}

// wrap breaks sanitized text into lines of at most w cells, at spaces when
// it can and anywhere when it must.
func wrap(text string, w int) []string {
	if w <= 0 {
		return nil
	}
	if len(text) <= w && isASCII(text) {
		// Printable ASCII (sanitized text): a byte is a cell.
		return []string{text}
	}
	if ansi.StringWidth(text) <= w {
		return []string{text}
	}
	return strings.Split(ansi.Wrap(text, w, ""), "\n")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
