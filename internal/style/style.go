// Package style is tracetui's one style sheet: every colour and text style
// of the TUI's screens and of `show --color`, built once per terminal
// background (light or dark) and only read in between.
//
// Semantic colours use the 16 ANSI colours, so that they follow the user's
// terminal theme and look alike in 16-colour, 256-colour and true-colour
// terminals; greys adapt to the background. Selection uses reverse video,
// which still shows with NO_COLOR. Red is kept for errors.
//
// Each style exists as a lipgloss.Style (for the screens that lay out with
// Lip Gloss) and, for the hot paths (the waterfall draws hundreds of
// styled runs per frame, `show` thousands of lines), as a Paint: the escape
// sequences the style puts around a text, captured once, so that painting
// is string concatenation. A test checks that each Paint equals what its
// style renders.
//
// Value or pointer: a Sheet is built by New and shared by pointer; nothing
// changes it afterwards.
package style

import (
	"image/color"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/tracetui/tracetui/internal/present"
)

// Paint is a style reduced to the escape sequences around its text.
type Paint struct{ pre, post string }

// NewPaint captures a style's opening and closing sequences. Styles that
// change layout (padding, width) are not supported and not used here.
func NewPaint(s lipgloss.Style) Paint {
	const sentinel = "\x00"
	r := s.Render(sentinel)
	i := strings.Index(r, sentinel)
	if i < 0 {
		return Paint{}
	}
	return Paint{pre: r[:i], post: r[i+len(sentinel):]}
}

// S wraps text; empty text stays empty so that no stray sequences appear.
func (p Paint) S(text string) string {
	if text == "" || p.pre == "" {
		return text
	}
	return p.pre + text + p.post
}

// Sheet is the style sheet for one background.
type Sheet struct {
	Dark bool

	// The shell's screens (search form, trace list, status bar, help).
	Title    lipgloss.Style // screen titles
	Subtle   lipgloss.Style // secondary text
	Faint    lipgloss.Style // hints, placeholders
	Accent   lipgloss.Style // service names, focused labels
	Error    lipgloss.Style // error text, marks and counts
	Warning  lipgloss.Style // warnings and notices in text
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

	// The waterfall and its panes, and `show`.
	Bold       lipgloss.Style // headings of `show`, pane headings
	Dim        lipgloss.Style // tree guides, the axis, context rows
	Skew       lipgloss.Style // the clock-skew mark
	Match      lipgloss.Style // search matches
	TraceTitle lipgloss.Style // the trace view's title
	PaneTitle  lipgloss.Style // a focused pane's title bar
	PaneKey    lipgloss.Style // keys of the detail pane
	// Services are the colours of services, by present.PaletteIndex.
	Services []lipgloss.Style

	// P holds the styles above as paints, for the hot paths.
	P Paints
}

// Paints are the Sheet's styles precomputed; *Sel variants are on the
// selected (reversed) row.
type Paints struct {
	Services, ServicesSel []Paint

	Err, ErrSel     Paint
	Warning         Paint
	OK              Paint // better numbers: a time that shrank
	Skew            Paint
	Dim, DimSel     Paint
	Selected        Paint
	Match, MatchSel Paint
	Bold            Paint
	TraceTitle      Paint
	PaneTitle       Paint
	PaneKey         Paint
}

// Service is the paint of a service of hue h (present.Hue).
func (p *Paints) Service(h uint32) Paint {
	if len(p.Services) == 0 {
		return Paint{}
	}
	return p.Services[present.PaletteIndex(h, len(p.Services))]
}

// ServiceSel is Service on the selected row.
func (p *Paints) ServiceSel(h uint32) Paint {
	if len(p.ServicesSel) == 0 {
		return Paint{}
	}
	return p.ServicesSel[present.PaletteIndex(h, len(p.ServicesSel))]
}

// palette gives service colours from the 16 basic ANSI colours. Both
// backgrounds have ten entries, so that a service keeps its palette index
// (present.PaletteIndex) whatever the background; a light background swaps
// the pale bright variants for darker ones, repeating two.
func palette(dark bool) []color.Color {
	if dark {
		return []color.Color{
			lipgloss.Blue, lipgloss.Magenta, lipgloss.Cyan, lipgloss.Green, lipgloss.Yellow,
			lipgloss.BrightBlue, lipgloss.BrightMagenta, lipgloss.BrightCyan, lipgloss.BrightGreen,
			lipgloss.BrightYellow,
		}
	}
	return []color.Color{
		lipgloss.Blue, lipgloss.Magenta, lipgloss.Cyan, lipgloss.Green, lipgloss.Yellow,
		lipgloss.BrightBlue, lipgloss.BrightMagenta, lipgloss.BrightBlack, lipgloss.Green, lipgloss.Blue,
	}
}

// New builds the style sheet for a dark or light background.
func New(dark bool) *Sheet {
	ld := lipgloss.LightDark(dark)
	ns := lipgloss.NewStyle
	grey := ld(lipgloss.Color("#6c6c6c"), lipgloss.Color("#8a8a8a"))
	faint := ld(lipgloss.Color("#9e9e9e"), lipgloss.Color("#626262"))
	s := &Sheet{Dark: dark}
	s.Title = ns().Bold(true)
	s.Subtle = ns().Foreground(grey)
	s.Faint = ns().Foreground(faint)
	s.Accent = ns().Foreground(lipgloss.Cyan)
	s.Error = ns().Foreground(lipgloss.Red).Bold(true)
	s.Warning = ns().Foreground(lipgloss.Yellow)
	s.OK = ns().Foreground(lipgloss.Green)
	s.Selected = ns().Reverse(true)
	s.Header = ns().Foreground(grey).Bold(true)
	s.Bar = ns().Foreground(lipgloss.Blue)
	s.ErrorBar = ns().Foreground(lipgloss.Red)

	s.Label = ns().Foreground(grey)
	s.LabelFocused = ns().Foreground(lipgloss.Cyan).Bold(true)
	s.Value = ns()

	s.StatusBar = ns().Reverse(true)
	s.StatusError = ns().Foreground(lipgloss.BrightRed).Bold(true).Reverse(true)
	s.StatusNotice = ns().Foreground(lipgloss.Yellow).Bold(true).Reverse(true)
	s.StatusInfo = ns().Reverse(true)

	s.Bold = ns().Bold(true)
	s.Dim = ns().Foreground(lipgloss.BrightBlack)
	s.Skew = ns().Foreground(ld(lipgloss.Magenta, lipgloss.BrightMagenta))
	s.Match = ns().Underline(true).Bold(true)
	s.TraceTitle = ns().Bold(true).Foreground(ld(lipgloss.Blue, lipgloss.BrightBlue))
	s.PaneTitle = ns().Bold(true).Reverse(true)
	s.PaneKey = ns().Foreground(ld(lipgloss.Blue, lipgloss.BrightBlue))
	for _, c := range palette(dark) {
		s.Services = append(s.Services, ns().Foreground(c))
	}
	s.P = s.paints()
	return s
}

// paints precomputes the styles for the hot paths.
func (s *Sheet) paints() Paints {
	rev := func(st lipgloss.Style) Paint { return NewPaint(st.Reverse(true)) }
	p := Paints{
		Err: NewPaint(s.Error), ErrSel: rev(s.Error),
		Warning: NewPaint(s.Warning),
		OK:      NewPaint(s.OK),
		Skew:    NewPaint(s.Skew),
		Dim:     NewPaint(s.Dim), DimSel: rev(s.Dim),
		Selected: NewPaint(s.Selected),
		Match:    NewPaint(s.Match), MatchSel: rev(s.Match),
		Bold:       NewPaint(s.Bold),
		TraceTitle: NewPaint(s.TraceTitle),
		PaneTitle:  NewPaint(s.PaneTitle),
		PaneKey:    NewPaint(s.PaneKey),
	}
	for _, st := range s.Services {
		p.Services = append(p.Services, NewPaint(st))
		p.ServicesSel = append(p.ServicesSel, rev(st))
	}
	return p
}
