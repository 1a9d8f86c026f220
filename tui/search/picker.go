package search

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/sahilm/fuzzy"

	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/internal/textsafe"
	"github.com/tracetui/tracetui/tui/internal/shell"
	"github.com/tracetui/tracetui/tui/internal/widget"
)

// anyIndex marks the "(any)" entry among a picker's matches.
const anyIndex = -1

// picker is a filterable list of names from the backend (services or
// operations). Typing filters (fuzzy); the cursor picks. With a filter that
// matches nothing, the typed text itself is the value, so that a name the
// backend did not list can still be searched for.
type picker struct {
	input   textinput.Model
	raw     []string // names as the backend sent them: these go into queries
	shown   []string // the same names cleaned for the screen
	matches []int    // indices into raw, best first; anyIndex for "(any)"
	// win scrolls the matches; its height is the panel's (listRows), which
	// the form passes in, so that Update keeps the window View draws.
	win     widget.Window
	loading bool
	err     error
	// note explains an empty list ("pick a service first").
	note string
	// retry is the key that loads the names again (the keymap's reload),
	// for the hint under an error.
	retry string
}

func newPicker(st *style.Sheet, placeholder string) picker {
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = placeholder
	in.CharLimit = 256
	in.SetStyles(shell.InputStyles(st))
	p := picker{input: in}
	p.refilter()
	return p
}

// setItems replaces the names, keeping the current choice when it is still
// there.
func (p *picker) setItems(names []string) {
	prev := p.value()
	p.raw = names
	p.shown = make([]string, len(names))
	for i, n := range names {
		p.shown[i] = textsafe.Clean(n)
	}
	p.refilter()
	if prev != "" && p.input.Value() == "" {
		for i, m := range p.matches {
			if m >= 0 && p.raw[m] == prev {
				p.win.Cursor = i
			}
		}
	}
}

func (p *picker) refilter() {
	p.win = widget.Window{}
	p.matches = p.matches[:0]
	pattern := strings.TrimSpace(p.input.Value())
	if pattern == "" {
		p.matches = append(p.matches, anyIndex)
		for i := range p.raw {
			p.matches = append(p.matches, i)
		}
		return
	}
	for _, m := range fuzzy.Find(pattern, p.shown) {
		p.matches = append(p.matches, m.Index)
	}
}

// value is the chosen name; "" means any.
func (p picker) value() string {
	if len(p.matches) == 0 {
		return strings.TrimSpace(p.input.Value())
	}
	if i := p.matches[max(0, min(p.win.Cursor, len(p.matches)-1))]; i >= 0 {
		return p.raw[i]
	}
	return ""
}

// typed reports whether the value is free text that no listed name matched.
func (p picker) typed() bool {
	return len(p.matches) == 0 && strings.TrimSpace(p.input.Value()) != ""
}

// move moves the cursor by d within a list of rows lines (listRows).
func (p *picker) move(d, rows int) {
	p.win.Move(d, len(p.matches), rows)
}

// update feeds a key or paste to the filter input.
func (p *picker) update(msg tea.Msg) tea.Cmd {
	before := p.input.Value()
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	if p.input.Value() != before {
		p.refilter()
	}
	return cmd
}

// fieldView is the picker as a form field: the filter while focused, the
// choice otherwise.
func (p picker) fieldView(st *style.Sheet, focused bool, width int) string {
	if focused {
		p.input.SetWidth(max(width-1, 1))
		return p.input.View()
	}
	switch v := p.value(); {
	case v == "":
		return st.Faint.Render("(any)")
	case p.typed():
		return textsafe.Truncate(v, width-10) + st.Faint.Render(" (typed)")
	default:
		return textsafe.Truncate(v, width)
	}
}

// listView draws the choices in a panel of width × height: never more
// lines than that, however long a wrapped error.
func (p picker) listView(st *style.Sheet, title string, width, height int) []string {
	lines := p.listLines(st, title, width, height)
	return lines[:min(len(lines), max(height, 0))]
}

// listRows is how many matches the panel of width × height shows under its
// head.
func (p picker) listRows(st *style.Sheet, title string, width, height int) int {
	return height - len(p.head(st, title, width))
}

// head is what the panel shows above the matches: the title with counts,
// and the loading, error or empty-list notes.
func (p picker) head(st *style.Sheet, title string, width int) []string {
	var lines []string
	head := title
	if n := len(p.raw); n > 0 {
		if strings.TrimSpace(p.input.Value()) != "" {
			// Filtered: how many of the list are left, so that a
			// short list is not taken for all the backend knows.
			head += " (" + strconv.Itoa(len(p.matches)) + "/" + strconv.Itoa(n) + ")"
		} else {
			head += " (" + strconv.Itoa(n) + ")"
		}
	}
	lines = append(lines, st.Header.Render(head))
	switch {
	case p.loading:
		lines = append(lines, st.Faint.Render("loading…"))
	case p.err != nil:
		// Wrapped, not cut: the reason and what to do are the point.
		const prefix = "could not load: "
		for k, l := range shell.Wrap(prefix+textsafe.Clean(p.err.Error()), width) {
			if rest, ok := strings.CutPrefix(l, prefix); ok && k == 0 {
				l = st.Error.Render(prefix) + rest
			}
			lines = append(lines, l)
		}
		hint := "you can still type a name"
		if p.retry != "" {
			hint = p.retry + " retries; " + hint
		}
		for _, l := range shell.Wrap(hint, width) {
			lines = append(lines, st.Faint.Render(l))
		}
	case p.note != "" && len(p.raw) == 0:
		lines = append(lines, st.Faint.Render(p.note))
	}
	return lines
}

func (p picker) listLines(st *style.Sheet, title string, width, height int) []string {
	lines := p.head(st, title, width)
	if p.loading || (p.err != nil && !p.typed()) {
		return lines
	}
	if p.typed() {
		return append(lines, st.Selected.Render(shell.Fit("▸ "+textsafe.Clean(p.value())+" (as typed)", width)),
			st.Faint.Render("no listed name matches"))
	}
	lo, hi := p.win.Visible(len(p.matches), height-len(lines))
	for i := lo; i < hi; i++ {
		idx := p.matches[i]
		name := "(any)"
		style := st.Faint
		if idx >= 0 {
			name = p.shown[idx]
			style = st.Value
		}
		if i == p.win.Cursor {
			lines = append(lines, st.Selected.Render(shell.Fit("▸ "+name, width)))
			continue
		}
		lines = append(lines, style.Render(shell.Fit("  "+name, width)))
	}
	return lines
}
