package keymap

import (
	"strings"

	"charm.land/bubbles/v2/key"
)

// Across holds the bindings of the analysis across traces (issue 11): the
// latency histogram the selection is chosen on, the sections (tabs) and
// their rows. The context tree folds with the waterfall's keys.
type Across struct {
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding

	// NextTab and PrevTab cycle the sections; Tab (1–6) goes to one.
	NextTab key.Binding
	PrevTab key.Binding
	Tab     key.Binding

	// Mode cycles how the selection is chosen: slowest N%, over a
	// duration, with errors, a range of durations. Left and Right move the
	// selection's left edge on the histogram (the slowest N%'s, the
	// threshold, the range's start) to the next bucket edge or percentage;
	// EndLeft and EndRight move the range's end. Left and right arrows
	// fold the context tree, so these are < > { }.
	Mode     key.Binding
	Left     key.Binding
	Right    key.Binding
	EndLeft  key.Binding
	EndRight key.Binding

	// Collapse, Expand and Toggle fold the context tree, as in the
	// waterfall.
	Collapse key.Binding
	Expand   key.Binding
	Toggle   key.Binding

	// Sort cycles the table's sort column.
	Sort key.Binding
	// Open opens the row's example trace (the slowest that has it).
	Open key.Binding
	// Copy puts the row's example trace ID on the clipboard.
	Copy key.Binding
	// More goes back to the search, raises its limit (as the list's
	// More does) and analyses what it then returns.
	More key.Binding
	// Back cancels the fetch and leaves the analysis.
	Back key.Binding
}

// DefaultAcross returns the analysis screen's default bindings.
func DefaultAcross() Across {
	b := key.NewBinding
	k := key.WithKeys
	h := key.WithHelp
	return Across{
		Up:       b(k("k", "up"), h("↑/k", "up")),
		Down:     b(k("j", "down"), h("↓/j", "down")),
		PageUp:   b(k("pgup", "ctrl+u"), h("pgup/ctrl+u", "page up")),
		PageDown: b(k("pgdown", "ctrl+d"), h("pgdn/ctrl+d", "page down")),
		Top:      b(k("g", "home"), h("g/home", "top")),
		Bottom:   b(k("G", "end"), h("G/end", "bottom")),

		NextTab: b(k("tab"), h("tab", "next section")),
		PrevTab: b(k("shift+tab"), h("shift+tab", "previous section")),
		Tab:     b(k("1", "2", "3", "4", "5", "6"), h("1-6", "section")),

		Mode:     b(k("s"), h("s", "selection: slowest/over/errors/range")),
		Left:     b(k("<", ","), h("</,", "threshold left")),
		Right:    b(k(">", "."), h(">/.", "threshold right")),
		EndLeft:  b(k("{"), h("{", "range end left")),
		EndRight: b(k("}"), h("}", "range end right")),

		Collapse: b(k("h", "left"), h("←/h", "collapse")),
		Expand:   b(k("l", "right"), h("→/l", "expand")),
		Toggle:   b(k("space"), h("space", "toggle")),

		Sort: b(k("o"), h("o", "sort column")),
		Open: b(k("enter"), h("enter", "open example trace")),
		Copy: b(k("y"), h("y", "copy example trace ID")),
		More: b(k("+"), h("+", "search more traces")),
		Back: b(k("esc"), h("esc", "back")),
	}
}

// ShortHelp is the analysis screen's help line: choosing the selection
// and opening a row come first.
func (a Across) ShortHelp() []key.Binding {
	move := key.NewBinding(key.WithKeys(append(a.Left.Keys(), a.Right.Keys()...)...),
		key.WithHelp(firstKey(a.Left)+firstKey(a.Right), "move"))
	return []key.Binding{short(a.Mode, "select"), move, short(a.NextTab, "section"), short(a.Open, "open"), a.Back}
}

// firstKey is the first key of a binding's help ("<" of "</,").
func firstKey(b key.Binding) string {
	k, _, _ := strings.Cut(b.Help().Key, "/")
	return k
}

// FullHelp lists every binding of the analysis screen.
func (a Across) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{a.Up, a.Down, a.PageUp, a.PageDown, a.Top, a.Bottom},
		{a.NextTab, a.PrevTab, a.Tab, a.Sort},
		{a.Mode, a.Left, a.Right, a.EndLeft, a.EndRight},
		{a.Collapse, a.Expand, a.Toggle, a.Open, a.Copy, a.More, a.Back},
	}
}
