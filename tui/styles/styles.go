// Package styles holds every Lip Gloss style of the tracetui shell, built
// once per background (light or dark). Semantic colours use the 16 ANSI
// colours so that they follow the user's terminal theme and survive any
// colour profile; greys adapt to the background. Selection uses reverse
// video, which still shows with NO_COLOR.
package styles

import (
	"hash/fnv"
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
)

// ANSI colours by index; the terminal's theme decides the exact shade.
const (
	ansiRed           = "1"
	ansiGreen         = "2"
	ansiYellow        = "3"
	ansiBlue          = "4"
	ansiMagenta       = "5"
	ansiCyan          = "6"
	ansiBrightRed     = "9"
	ansiBrightGreen   = "10"
	ansiBrightYellow  = "11"
	ansiBrightBlue    = "12"
	ansiBrightMagenta = "13"
	ansiBrightCyan    = "14"
)

// Styles is the shell's style sheet.
type Styles struct {
	Dark bool

	Title    lipgloss.Style // screen titles
	Subtle   lipgloss.Style // secondary text
	Faint    lipgloss.Style // hints, placeholders
	Accent   lipgloss.Style // service names, focused labels
	Error    lipgloss.Style // error text and counts
	Warning  lipgloss.Style
	OK       lipgloss.Style
	Selected lipgloss.Style // the cursor row
	Header   lipgloss.Style // table headers
	Bar      lipgloss.Style // duration bars
	ErrorBar lipgloss.Style // duration bars of traces with errors

	Label        lipgloss.Style
	LabelFocused lipgloss.Style
	Value        lipgloss.Style

	StatusBar    lipgloss.Style
	StatusError  lipgloss.Style
	StatusNotice lipgloss.Style // "TLS verification off", "demo"
	StatusInfo   lipgloss.Style

	Help      help.Styles
	TextInput textinput.Styles
}

// New builds the style sheet for a dark or light background.
func New(dark bool) Styles {
	ld := lipgloss.LightDark(dark)
	grey := ld(lipgloss.Color("#6c6c6c"), lipgloss.Color("#8a8a8a"))
	faint := ld(lipgloss.Color("#9e9e9e"), lipgloss.Color("#626262"))
	s := Styles{Dark: dark}
	s.Title = lipgloss.NewStyle().Bold(true)
	s.Subtle = lipgloss.NewStyle().Foreground(grey)
	s.Faint = lipgloss.NewStyle().Foreground(faint)
	s.Accent = lipgloss.NewStyle().Foreground(lipgloss.Color(ansiCyan))
	s.Error = lipgloss.NewStyle().Foreground(lipgloss.Color(ansiRed)).Bold(true)
	s.Warning = lipgloss.NewStyle().Foreground(lipgloss.Color(ansiYellow))
	s.OK = lipgloss.NewStyle().Foreground(lipgloss.Color(ansiGreen))
	s.Selected = lipgloss.NewStyle().Reverse(true)
	s.Header = lipgloss.NewStyle().Foreground(grey).Bold(true)
	s.Bar = lipgloss.NewStyle().Foreground(lipgloss.Color(ansiBlue))
	s.ErrorBar = lipgloss.NewStyle().Foreground(lipgloss.Color(ansiRed))

	s.Label = lipgloss.NewStyle().Foreground(grey)
	s.LabelFocused = lipgloss.NewStyle().Foreground(lipgloss.Color(ansiCyan)).Bold(true)
	s.Value = lipgloss.NewStyle()

	s.StatusBar = lipgloss.NewStyle().Reverse(true)
	s.StatusError = lipgloss.NewStyle().Foreground(lipgloss.Color(ansiBrightRed)).Bold(true).Reverse(true)
	s.StatusNotice = lipgloss.NewStyle().Foreground(lipgloss.Color(ansiYellow)).Bold(true).Reverse(true)
	s.StatusInfo = lipgloss.NewStyle().Reverse(true)

	s.Help = help.DefaultStyles(dark)
	s.TextInput = textinput.DefaultStyles(dark)
	s.TextInput.Cursor.Blink = false // a blinking cursor redraws twice a second over SSH for nothing
	s.TextInput.Focused.Prompt = s.LabelFocused
	s.TextInput.Blurred.Prompt = s.Label
	return s
}

// servicePalette is the set of colours services are drawn in; ANSI colours
// keep services apart in 16-colour terminals too.
func servicePalette() [10]string {
	return [10]string{ansiCyan, ansiGreen, ansiMagenta, ansiYellow, ansiBlue,
		ansiBrightCyan, ansiBrightGreen, ansiBrightMagenta, ansiBrightYellow, ansiBrightBlue}
}

// ServiceColor gives a service a stable colour from its name.
func ServiceColor(name string) color.Color {
	h := fnv.New32a()
	_, _ = h.Write([]byte(name))
	p := servicePalette()
	return lipgloss.Color(p[h.Sum32()%uint32(len(p))])
}
