// Package keymap holds every key binding of tracetui and its help text,
// grouped by screen, with the user's overrides from the config file and a
// check for keys bound twice.
//
// A binding's name is "screen.field" in snake case, e.g. "list.refresh",
// "global.quit", "trace.critical_pane"; the config file uses these names.
// Key names are the ones Bubble Tea prints: "a", "G" (shift+g), "ctrl+r",
// "enter", "esc", "tab", "shift+tab", "up", "pgdown", "f1", "space".
//
// Value or pointer: key maps are values, copied into the screens that use
// them; Apply changes a KeyMap through a pointer before it is handed out.
package keymap

import "charm.land/bubbles/v2/key"

// KeyMap is every binding of the program, one group per screen.
type KeyMap struct {
	// Global bindings work on every screen. While a text field has focus,
	// only keys that type nothing (ctrl+t, f1, ctrl+c) reach them.
	Global Global
	Search Search
	List   List
	// Lookup is the trace-ID / correlation-ID box.
	Lookup Lookup
	// Help is the full-help overlay.
	Help  HelpOverlay
	Trace Trace
	// Compare is the comparison of two traces.
	Compare Compare
	// Across is the analysis across the listed traces.
	Across Across
}

// DefaultKeyMap returns the default bindings of every screen.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Global: DefaultGlobal(),
		Search: DefaultSearch(),
		List:   DefaultList(),
		Lookup: DefaultLookup(),
		Help:   DefaultHelpOverlay(),
		Trace:  DefaultTrace(),

		Compare: DefaultCompare(),
		Across:  DefaultAcross(),
	}
}

// Global holds the bindings every screen shares.
type Global struct {
	Quit key.Binding
	// ForceQuit quits even while typing.
	ForceQuit key.Binding
	Help      key.Binding
	// Lookup opens the lookup box, which reads whatever was pasted (a trace
	// ID, a traceparent, a URL, a log line, a correlation ID). ":" types a
	// colon in a text field that holds text (it opens the box from an
	// empty field of the search form), so ctrl+t is the key that works
	// everywhere.
	Lookup key.Binding
}

// DefaultGlobal returns the default global bindings.
func DefaultGlobal() Global {
	return Global{
		Quit:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Help:      key.NewBinding(key.WithKeys("?", "f1"), key.WithHelp("?/f1", "help")),
		Lookup:    key.NewBinding(key.WithKeys(":", "ctrl+t"), key.WithHelp(":/ctrl+t", "trace ID")),
	}
}

// ShortHelp lists the global bindings worth a place on the help line.
func (g Global) ShortHelp() []key.Binding { return []key.Binding{g.Lookup, g.Help, g.Quit} }

// FullHelp lists every global binding.
func (g Global) FullHelp() [][]key.Binding {
	return [][]key.Binding{{g.Lookup, g.Help, g.Quit, g.ForceQuit}}
}

// Search holds the bindings of the search form.
type Search struct {
	NextField key.Binding
	PrevField key.Binding
	// Up and Down move the cursor of a service or operation picker, and
	// move between fields elsewhere.
	Up   key.Binding
	Down key.Binding
	// PrevChoice and NextChoice cycle the lookback presets.
	PrevChoice key.Binding
	NextChoice key.Binding
	Submit     key.Binding
	// Reload fetches the service list again.
	Reload key.Binding
}

// DefaultSearch returns the default search-form bindings.
func DefaultSearch() Search {
	return Search{
		NextField:  key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field")),
		PrevField:  key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous field")),
		Up:         key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑/ctrl+p", "up")),
		Down:       key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓/ctrl+n", "down")),
		PrevChoice: key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "shorter lookback")),
		NextChoice: key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "longer lookback")),
		Submit:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "search")),
		Reload:     key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "reload services")),
	}
}

// ShortHelp is the search form's help line.
func (s Search) ShortHelp() []key.Binding {
	return []key.Binding{s.NextField, s.Submit}
}

// FullHelp lists every search-form binding.
func (s Search) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{s.NextField, s.PrevField, s.Up, s.Down},
		{s.PrevChoice, s.NextChoice, s.Submit, s.Reload},
	}
}

// List holds the bindings of the trace list.
type List struct {
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
	Open     key.Binding
	// Sort and SortBack cycle the sort order forwards and backwards.
	Sort     key.Binding
	SortBack key.Binding
	Filter   key.Binding
	Refresh  key.Binding
	// Copy puts the selected trace ID on the clipboard (OSC 52).
	Copy key.Binding
	// More doubles the search's limit (up to 1000) and searches again;
	// ErrorsOnly shows only the loaded traces with errors.
	More       key.Binding
	ErrorsOnly key.Binding
	Back       key.Binding
	// Mark marks the trace under the cursor for a comparison; Compare
	// compares the marked trace (A) with the one under the cursor (B).
	Mark    key.Binding
	Compare key.Binding
	// Analyze opens the analysis across the listed traces.
	Analyze key.Binding
	// FilterAccept and FilterCancel act while the quick filter is typed.
	FilterAccept key.Binding
	FilterCancel key.Binding
}

// DefaultList returns the default trace-list bindings.
func DefaultList() List {
	return List{
		Up:           key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "up")),
		Down:         key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "down")),
		PageUp:       key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup/ctrl+u", "page up")),
		PageDown:     key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn/ctrl+d", "page down")),
		Top:          key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g/home", "top")),
		Bottom:       key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G/end", "bottom")),
		Open:         key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Sort:         key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort")),
		SortBack:     key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "sort backwards")),
		Filter:       key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Refresh:      key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Copy:         key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy trace ID")),
		More:         key.NewBinding(key.WithKeys("+"), key.WithHelp("+", "raise the limit")),
		ErrorsOnly:   key.NewBinding(key.WithKeys("E"), key.WithHelp("E", "errors only")),
		Back:         key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Mark:         key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "mark for compare")),
		Compare:      key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "compare marked with this")),
		Analyze:      key.NewBinding(key.WithKeys("A"), key.WithHelp("A", "analyse these traces")),
		FilterAccept: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")),
		FilterCancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
	}
}

// ShortHelp is the trace list's help line.
func (l List) ShortHelp() []key.Binding {
	return []key.Binding{l.Open, l.Sort, l.Filter, l.Refresh}
}

// FilterHelp is the help line while the quick filter is typed.
func (l List) FilterHelp() []key.Binding {
	return []key.Binding{l.FilterAccept, l.FilterCancel}
}

// FullHelp lists every trace-list binding.
func (l List) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{l.Up, l.Down, l.PageUp, l.PageDown, l.Top, l.Bottom},
		{l.Open, l.Sort, l.SortBack, l.Refresh, l.Copy, l.Back},
		{l.Filter, l.FilterAccept, l.FilterCancel, l.ErrorsOnly, l.More},
		{l.Mark, l.Compare, l.Analyze},
	}
}

// Lookup holds the bindings of the trace-ID / correlation-ID box.
type Lookup struct {
	Submit key.Binding
	Cancel key.Binding
	// Older and Newer walk the lookups made in this session.
	Older key.Binding
	Newer key.Binding
}

// DefaultLookup returns the default lookup-box bindings.
func DefaultLookup() Lookup {
	return Lookup{
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "look up")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")),
		Older:  key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", "older")),
		Newer:  key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", "newer")),
	}
}

// ShortHelp is the lookup box's help line.
func (l Lookup) ShortHelp() []key.Binding {
	return []key.Binding{l.Submit, l.Older, l.Newer, l.Cancel}
}

// FullHelp lists every lookup-box binding.
func (l Lookup) FullHelp() [][]key.Binding {
	return [][]key.Binding{{l.Submit, l.Cancel, l.Older, l.Newer}}
}

// HelpOverlay holds the bindings of the full-help overlay. Global.Help
// closes it too.
type HelpOverlay struct {
	Up    key.Binding
	Down  key.Binding
	Close key.Binding
}

// DefaultHelpOverlay returns the default help-overlay bindings.
func DefaultHelpOverlay() HelpOverlay {
	return HelpOverlay{
		Up:    key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "scroll up")),
		Down:  key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "scroll down")),
		Close: key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp("esc/q", "close help")),
	}
}

// ShortHelp is the overlay's help line.
func (h HelpOverlay) ShortHelp() []key.Binding { return []key.Binding{h.Down, h.Up, h.Close} }

// FullHelp lists every overlay binding.
func (h HelpOverlay) FullHelp() [][]key.Binding { return [][]key.Binding{{h.Up, h.Down, h.Close}} }
