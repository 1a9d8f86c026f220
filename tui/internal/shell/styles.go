package shell

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"

	"github.com/tracetui/tracetui/internal/style"
)

// InputStyles are the text fields' styles, made of the style sheet's.
func InputStyles(st *style.Sheet) textinput.Styles {
	s := textinput.DefaultStyles(st.Dark)
	// A steady cursor: blinking redraws the screen twice a second, which
	// costs bandwidth over SSH for nothing.
	s.Cursor.Blink = false
	s.Focused.Prompt = st.LabelFocused
	s.Blurred.Prompt = st.Label
	return s
}

// HelpStyles are the help line's and the help overlay's styles.
func HelpStyles(st *style.Sheet) help.Styles { return help.DefaultStyles(st.Dark) }
