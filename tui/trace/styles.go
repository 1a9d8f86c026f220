package trace

import (
	"image/color"
	"strings"

	"charm.land/lipgloss/v2"
)

// paint is a style reduced to the escape sequences around its text, so that
// per-row drawing is string concatenation: lipgloss.Style.Render costs a few
// microseconds per call, which adds up over a screen of rows at every key.
type paint struct{ pre, post string }

// newPaint captures a style's opening and closing sequences once. Styles
// that change layout (padding, width) are not supported and not used here.
func newPaint(s lipgloss.Style) paint {
	const sentinel = "\x00"
	r := s.Render(sentinel)
	i := strings.Index(r, sentinel)
	if i < 0 {
		return paint{}
	}
	return paint{pre: r[:i], post: r[i+len(sentinel):]}
}

// s wraps text; empty text stays empty so that no stray sequences appear.
func (p paint) s(text string) string {
	if text == "" || p.pre == "" {
		return text
	}
	return p.pre + text + p.post
}

// styles are built once per model (New, and again by SetDark when the
// terminal's background changes) and only read in between.
type styles struct {
	services []paint // per palette entry, for names and bars
	// servicesSel are the service paints on the selected row (reversed).
	servicesSel []paint

	err, errSel     paint
	skew            paint
	dim, dimSel     paint
	selected        paint
	match, matchSel paint
	header          paint
	title           paint
	axis            paint
	paneTitle       paint
	paneTitleBlur   paint
	paneCursor      paint
	paneHeading     paint
	paneKey         paint
	border          paint
	notice          paint
}

// palette gives service colours from the 16 basic ANSI colours, which look
// the same in 16-colour, 256-colour and true-colour terminals (lipgloss and
// the renderer downsample anything else). Red is kept for errors. Light
// backgrounds drop the pale bright variants.
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
		lipgloss.BrightBlue, lipgloss.BrightMagenta, lipgloss.BrightBlack,
	}
}

// service is the paint of a service with hue h (serviceHue).
func (st *styles) service(h uint32) paint {
	if len(st.services) == 0 {
		return paint{}
	}
	return st.services[h%uint32(len(st.services))]
}

// serviceSel is service on the selected row.
func (st *styles) serviceSel(h uint32) paint {
	if len(st.servicesSel) == 0 {
		return paint{}
	}
	return st.servicesSel[h%uint32(len(st.servicesSel))]
}

func newStyles(dark bool) *styles {
	ld := lipgloss.LightDark(dark)
	ns := lipgloss.NewStyle
	st := &styles{}
	for _, c := range palette(dark) {
		st.services = append(st.services, newPaint(ns().Foreground(c)))
		st.servicesSel = append(st.servicesSel, newPaint(ns().Foreground(c).Reverse(true)))
	}
	dim := ld(lipgloss.BrightBlack, lipgloss.BrightBlack)
	st.err = newPaint(ns().Foreground(lipgloss.Red).Bold(true))
	st.errSel = newPaint(ns().Foreground(lipgloss.Red).Bold(true).Reverse(true))
	st.skew = newPaint(ns().Foreground(ld(lipgloss.Magenta, lipgloss.BrightMagenta)))
	st.dim = newPaint(ns().Foreground(dim))
	st.dimSel = newPaint(ns().Foreground(dim).Reverse(true))
	st.selected = newPaint(ns().Reverse(true))
	st.match = newPaint(ns().Underline(true).Bold(true))
	st.matchSel = newPaint(ns().Underline(true).Bold(true).Reverse(true))
	st.header = newPaint(ns().Bold(true))
	st.title = newPaint(ns().Bold(true).Foreground(ld(lipgloss.Blue, lipgloss.BrightBlue)))
	st.axis = newPaint(ns().Foreground(dim))
	st.paneTitle = newPaint(ns().Bold(true).Reverse(true))
	st.paneTitleBlur = newPaint(ns().Bold(true))
	st.paneCursor = newPaint(ns().Reverse(true))
	st.paneHeading = newPaint(ns().Bold(true))
	st.paneKey = newPaint(ns().Foreground(ld(lipgloss.Blue, lipgloss.BrightBlue)))
	st.border = newPaint(ns().Foreground(dim))
	st.notice = newPaint(ns().Foreground(ld(lipgloss.Yellow, lipgloss.BrightYellow)))
	return st
}
