package shell

import (
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/tracetui/tracetui/internal/textsafe"
)

// StatusMsg asks the root model to show a line in the status bar; an error
// stays until the next key. Its fields are unexported: Notice and Failure,
// the only ways to make one, sanitize the text, so that no label built from
// data (a trace ID, a service name, a server's error) reaches the terminal
// raw, whoever builds it.
type StatusMsg struct {
	text string
	err  bool
}

// Notice is a status line that informs.
func Notice(text string) StatusMsg { return StatusMsg{text: Label(text)} }

// Failure is a status line that reports an error.
func Failure(text string) StatusMsg { return StatusMsg{text: Label(text), err: true} }

// Text is the line, sanitized and on one line.
func (s StatusMsg) Text() string { return s.text }

// Err reports whether the line is an error.
func (s StatusMsg) Err() bool { return s.err }

// NoticeCmd sends a Notice to the root.
func NoticeCmd(text string) tea.Cmd {
	msg := Notice(text)
	return func() tea.Msg { return msg }
}

// FailureCmd sends a Failure to the root.
func FailureCmd(text string) tea.Cmd {
	msg := Failure(text)
	return func() tea.Msg { return msg }
}

// StatusCmd is NoticeCmd or FailureCmd.
func StatusCmd(text string, isErr bool) tea.Cmd {
	if isErr {
		return FailureCmd(text)
	}
	return NoticeCmd(text)
}

// Label makes text fit for a status line or a busy label: whitespace runs
// become one space, and what is left is sanitized. Every label the status
// bar draws passes here.
func Label(text string) string { return textsafe.Clean(OneLine(text)) }

// OneLine collapses every run of whitespace (line breaks included) into one
// space and trims the ends: errors and labels are shown on one line.
func OneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// Copy puts text on the clipboard with OSC 52 (which works over SSH) and
// says so. What is copied goes through textsafe.Clipboard, the one cleaning
// path: a line break or a bracketed-paste terminator in a trace ID would run
// a command when pasted into a shell.
func Copy(text, what string) tea.Cmd {
	text = textsafe.Clipboard(text)
	if text == "" {
		return NoticeCmd("nothing to copy")
	}
	n := len(text)
	size := "1 byte"
	if n != 1 {
		size = strconv.Itoa(n) + " bytes"
	}
	return tea.Batch(tea.SetClipboard(text), NoticeCmd("copied "+what+" ("+size+")"))
}
