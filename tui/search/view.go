package search

import (
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/internal/present"
	"github.com/tracetui/tracetui/internal/textsafe"
	"github.com/tracetui/tracetui/tui/internal/shell"
)

const (
	labelWidth = 15
	// sideBySide is the narrowest width with the choices panel beside the
	// form; below it the panel goes under the form.
	sideBySide = 64
)

// View draws the form at exactly its size: the fields on the left, and on
// the right a panel for the focused field (the choices of a picker, or what
// the field accepts).
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	lines := m.headLines()
	formW, panelW, panelH := m.panelSize()
	form := m.formLines(formW)
	if m.sideBySide() {
		panel := m.panel(panelW, panelH)
		for i := range panelH {
			var l, r string
			if i < len(form) {
				l = form[i]
			}
			if i < len(panel) {
				r = panel[i]
			}
			lines = append(lines, shell.Fit(l, formW)+"  "+shell.Fit(r, panelW))
		}
		return shell.Block(lines, m.width, m.height)
	}
	lines = append(lines, form...)
	if panelH > 1 {
		lines = append(lines, "")
		lines = append(lines, m.panel(panelW, panelH)...)
	}
	return shell.Block(lines, m.width, m.height)
}

// headLines are the title and the notice above the form.
func (m Model) headLines() []string {
	st := m.cfg.Styles
	lines := []string{st.Title.Render("Search traces")}
	if m.cfg.Notice != "" {
		lines = append(lines, st.Warning.Render(textsafe.Clean(m.cfg.Notice)))
	}
	return append(lines, "")
}

func (m Model) sideBySide() bool { return m.width >= sideBySide }

// panelSize lays the form out: the form's width, and the panel's width and
// height (beside the form when wide, under it when narrow). Update uses it
// too, so that a picker scrolls in the window View draws.
func (m Model) panelSize() (formW, panelW, panelH int) {
	top := len(m.headLines())
	if m.sideBySide() {
		formW = min(max(m.width/2, 40), 64)
		return formW, m.width - formW - 2, m.height - top
	}
	form := m.formLines(m.width)
	return m.width, m.width, m.height - top - len(form) - 1 - 1
}

// pickerRows is how many names the focused picker's panel shows.
func (m Model) pickerRows() int {
	_, w, h := m.panelSize()
	return m.picker().listRows(m.cfg.Styles, m.pickerTitle(w), w, h)
}

// pickerTitle is the title of the focused picker's panel.
func (m Model) pickerTitle(width int) string {
	if m.focus != fOperation {
		return "Services"
	}
	title := "Operations"
	if m.opsFor != "" {
		title += " of " + textsafe.Clean(m.opsFor)
	}
	return ansi.Truncate(title, width-8, "…")
}

func (m Model) formLines(width int) []string {
	st := m.cfg.Styles
	valueW := max(width-labelWidth, 1)
	var out []string
	for _, f := range m.fields() {
		focused := f == m.focus
		label := "  " + f.label()
		lstyle := st.Label
		if focused {
			label = "▸ " + f.label()
			lstyle = st.LabelFocused
		}
		out = append(out, lstyle.Render(shell.Fit(label, labelWidth))+m.fieldValue(f, focused, valueW))
		if offer := m.lookupOffer(); f == fService && offer != "" {
			for _, l := range shell.Wrap(offer, valueW) {
				out = append(out, strings.Repeat(" ", labelWidth)+st.Accent.Render(textsafe.Truncate(l, valueW)))
			}
		}
		if e, ok := m.errs[f]; ok {
			// Errors wrap (at most three lines) rather than lose their end.
			wrapped := strings.Split(ansi.Wrap(present.ErrorMark+" "+textsafe.Clean(e), max(valueW-2, 1), " "), "\n")
			for i, l := range wrapped[:min(len(wrapped), 3)] {
				if i > 0 {
					l = "  " + l
				}
				out = append(out, strings.Repeat(" ", labelWidth)+st.Error.Render(shell.Fit(l, valueW)))
			}
		}
	}
	return out
}

func (m Model) fieldValue(f field, focused bool, width int) string {
	st := m.cfg.Styles
	switch f {
	case fService:
		return m.services.fieldView(st, focused, width)
	case fOperation:
		return m.operations.fieldView(st, focused, width)
	case fLookback:
		label := "custom"
		if !m.custom() {
			label = lookbackChoice(m.presets()[m.lookback])
		}
		if focused {
			return st.Accent.Render("◂ " + label + " ▸")
		}
		return label
	}
	in := m.input(f)
	if !focused && in.Value() == "" {
		return st.Faint.Render(emptyText(f))
	}
	c := *in
	c.SetWidth(max(width-1, 1))
	return c.View()
}

// panel explains or lists the choices of the focused field.
func (m Model) panel(width, height int) []string {
	st := m.cfg.Styles
	faint := func(s ...string) []string {
		out := make([]string, len(s))
		for i, l := range s {
			out[i] = st.Faint.Render(l)
		}
		return out
	}
	head := func(s string) string { return st.Header.Render(s) }
	switch m.focus {
	case fService, fOperation:
		return m.picker().listView(st, m.pickerTitle(width), width, height)
	case fTags:
		return append([]string{head("Tags (logfmt)")}, faint(
			"key=value pairs, space separated;",
			"a trace matches when one span has",
			"all of them.",
			"",
			"  error=true",
			"  http.status_code=500",
			`  http.url="/a b" (quote spaces)`)...)
	case fLookback:
		out := []string{head("Lookback")}
		for i, d := range m.presets() {
			out = append(out, choice(m, i, lookbackChoice(d), width))
		}
		out = append(out, choice(m, len(m.presets()), "custom…", width))
		return out
	case fRange:
		return append([]string{head("Custom range")}, faint(
			"a lookback:   90m, 3d, 1d12h",
			"a start:      2026-11-24 10:00",
			"a range:      10:00 .. 10:30",
			"              2026-11-24 to 2026-11-25",
			"times without a date are today;",
			"local time unless an offset is given")...)
	case fMinDur, fMaxDur:
		return append([]string{head("Duration")}, faint(
			"a Go duration: 250ms, 1.5s, 2m;",
			"empty for no bound")...)
	case fLimit:
		return append([]string{head("Limit")}, faint(
			"how many traces to fetch:",
			"1 to 1000, empty for 20")...)
	}
	return nil
}

func lookbackChoice(d time.Duration) string {
	if d == AllTime {
		return "all time"
	}
	return "last " + LookbackLabel(d)
}

func choice(m Model, i int, label string, width int) string {
	st := m.cfg.Styles
	if i == m.lookback {
		return st.Selected.Render(shell.Fit("▸ "+label, width))
	}
	return shell.Fit("  "+label, width)
}

// emptyText stands for an empty field that does not have the focus (the
// placeholder, an example, shows only while typing).
func emptyText(f field) string {
	switch f {
	case fLimit:
		return "20 (default)"
	case fRange:
		return "required"
	}
	return "none"
}
