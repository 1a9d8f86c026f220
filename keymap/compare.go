package keymap

import "charm.land/bubbles/v2/key"

// Compare holds the bindings of the comparison of two traces.
type Compare struct {
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
	// Collapse, Expand and Toggle fold the merged tree as in the
	// waterfall.
	Collapse key.Binding
	Expand   key.Binding
	Toggle   key.Binding
	// NextSlower and PrevSlower walk the calling contexts that got slower.
	NextSlower key.Binding
	PrevSlower key.Binding
	// Sort switches between tree order and the largest critical-path
	// increase first.
	Sort key.Binding
	// OpenA and OpenB open the selected context's span in trace A or B.
	OpenA key.Binding
	OpenB key.Binding
	// Other asks for another trace A, the baseline, typed or pasted into a box.
	Other key.Binding
	// Submit and Cancel act while the box is typed.
	Submit key.Binding
	Cancel key.Binding
	Copy   key.Binding
	Back   key.Binding
}

// DefaultCompare returns the comparison's default bindings.
func DefaultCompare() Compare {
	b := key.NewBinding
	k := key.WithKeys
	h := key.WithHelp
	return Compare{
		Up:         b(k("k", "up"), h("↑/k", "up")),
		Down:       b(k("j", "down"), h("↓/j", "down")),
		PageUp:     b(k("pgup", "ctrl+u"), h("pgup/ctrl+u", "page up")),
		PageDown:   b(k("pgdown", "ctrl+d"), h("pgdn/ctrl+d", "page down")),
		Top:        b(k("g", "home"), h("g/home", "top")),
		Bottom:     b(k("G", "end"), h("G/end", "bottom")),
		Collapse:   b(k("h", "left"), h("←/h", "collapse")),
		Expand:     b(k("l", "right"), h("→/l", "expand")),
		Toggle:     b(k("space"), h("space", "fold")),
		NextSlower: b(k("]"), h("]", "next slower")),
		PrevSlower: b(k("["), h("[", "previous slower")),
		Sort:       b(k("s"), h("s", "tree / by Δ critical")),
		OpenA:      b(k("enter"), h("enter", "open in A")),
		OpenB:      b(k("b"), h("b", "open in B")),
		Other:      b(k("o"), h("o", "another trace A (paste)")),
		Submit:     b(k("enter"), h("enter", "compare with the pasted A")),
		Cancel:     b(k("esc"), h("esc", "close the box")),
		Copy:       b(k("y"), h("y", "copy trace IDs")),
		Back:       b(k("esc"), h("esc", "back")),
	}
}

// ShortHelp is the comparison's help line.
func (c Compare) ShortHelp() []key.Binding {
	return []key.Binding{c.NextSlower, short(c.Sort, "sort"), short(c.OpenA, "A"), short(c.OpenB, "B"),
		short(c.Toggle, "fold"), c.Back}
}

// BoxHelp is the help line while the trace box is typed.
func (c Compare) BoxHelp() []key.Binding { return []key.Binding{c.Submit, c.Cancel} }

// FullHelp lists every comparison binding.
func (c Compare) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{c.Up, c.Down, c.PageUp, c.PageDown, c.Top, c.Bottom},
		{c.Collapse, c.Expand, c.Toggle, c.NextSlower, c.PrevSlower, c.Sort},
		{c.OpenA, c.OpenB, c.Other, c.Copy, c.Back, c.Submit, c.Cancel},
	}
}
