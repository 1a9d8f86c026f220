package keymap

import "charm.land/bubbles/v2/key"

// Trace holds the bindings of the trace view: the waterfall and its panes
// (span detail, critical path, services, warnings) and the in-trace search.
//
// Some keys mean different things depending on focus: in a pane, Up/Down
// move the pane's cursor and Select acts on the line (jump to a span, filter
// by a service, fold a section). Esc closes the innermost thing that is open
// (search, pane, zoom, re-root, filter) and only then goes back.
type Trace struct {
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding

	// Parent selects the parent span; NextSibling/PrevSibling move within
	// the selected span's siblings.
	Parent      key.Binding
	NextSibling key.Binding
	PrevSibling key.Binding

	// Collapse folds the selected span, or selects its parent when it is
	// already folded or has no children; Expand unfolds it, or selects its
	// first child when it is already open (tree-view habits).
	Collapse key.Binding
	Expand   key.Binding
	Toggle   key.Binding
	// ExpandLevel and CollapseLevel open or close one more level of the
	// whole tree.
	ExpandLevel   key.Binding
	CollapseLevel key.Binding
	// Depth collapses every span at or below the pressed depth (1–9); 1
	// shows only the roots. ExpandAll (0) opens everything.
	Depth     key.Binding
	ExpandAll key.Binding
	// CollapseShort folds spans shorter than a share of the shown time
	// range; pressing again raises the share (1%, 5%, 10%, 25%).
	CollapseShort key.Binding

	ZoomIn  key.Binding
	ZoomOut key.Binding
	// Reroot shows only the selected span's subtree; pressing it on the
	// current root goes back one level.
	Reroot key.Binding

	Search key.Binding
	// SearchAccept and SearchCancel act while the search is typed: keep
	// the search (and go to the first match), or clear it.
	SearchAccept key.Binding
	SearchCancel key.Binding
	NextMatch    key.Binding
	PrevMatch    key.Binding
	ErrorsOnly   key.Binding
	// CriticalOnly shows only the spans on the critical path.
	CriticalOnly key.Binding

	Detail       key.Binding
	CriticalPane key.Binding
	ServicePane  key.Binding
	WarningsPane key.Binding
	// LogsPane lists the trace's application log lines (--logs).
	LogsPane key.Binding
	// Select acts on the pane line under the cursor.
	Select key.Binding
	// SortColumn cycles the service pane's sort column and switches the
	// critical-path pane between time order and by span.
	SortColumn key.Binding
	FocusPane  key.Binding

	ErrorOrigin     key.Binding
	PrevErrorOrigin key.Binding
	NextCritical    key.Binding
	PrevCritical    key.Binding

	// Skew toggles between raw and clock-skew-adjusted start times.
	Skew key.Binding
	Copy key.Binding
	// CopyTraceID copies the trace's ID (Copy copies the selected span's);
	// CopyLink copies the trace's link in the backend's own UI.
	CopyTraceID key.Binding
	CopyLink    key.Binding
	Back        key.Binding
	// Compare compares the trace with a typical one of the same root
	// operation, or with one typed into a box.
	Compare key.Binding
}

// DefaultTrace returns the trace view's default bindings.
func DefaultTrace() Trace {
	b := key.NewBinding
	k := key.WithKeys
	h := key.WithHelp
	return Trace{
		Up:       b(k("k", "up"), h("↑/k", "up")),
		Down:     b(k("j", "down"), h("↓/j", "down")),
		PageUp:   b(k("pgup", "ctrl+u"), h("pgup/ctrl+u", "page up")),
		PageDown: b(k("pgdown", "ctrl+d"), h("pgdn/ctrl+d", "page down")),
		Top:      b(k("g", "home"), h("g/home", "top")),
		Bottom:   b(k("G", "end"), h("G/end", "bottom")),

		Parent:      b(k("p"), h("p", "parent")),
		NextSibling: b(k("J"), h("J", "next sibling")),
		PrevSibling: b(k("K"), h("K", "previous sibling")),

		Collapse:      b(k("h", "left"), h("←/h", "collapse")),
		Expand:        b(k("l", "right"), h("→/l", "expand")),
		Toggle:        b(k("space"), h("space", "toggle")),
		ExpandLevel:   b(k("+", "="), h("+", "expand a level")),
		CollapseLevel: b(k("-"), h("-", "collapse a level")),
		Depth:         b(k("1", "2", "3", "4", "5", "6", "7", "8", "9"), h("1-9", "collapse below depth")),
		ExpandAll:     b(k("0"), h("0", "expand all")),
		CollapseShort: b(k("m"), h("m", "collapse short spans")),

		ZoomIn:  b(k("z"), h("z", "zoom to span")),
		ZoomOut: b(k("Z"), h("Z", "zoom out")),
		Reroot:  b(k("R"), h("R", "re-root / back")),

		Search:       b(k("/"), h("/", "search")),
		SearchAccept: b(k("enter"), h("enter", "done")),
		SearchCancel: b(k("esc"), h("esc", "clear")),
		NextMatch:    b(k("n"), h("n", "next match")),
		PrevMatch:    b(k("N"), h("N", "previous match")),
		ErrorsOnly:   b(k("x"), h("x", "errors only")),
		CriticalOnly: b(k("C"), h("C", "critical path only")),

		Detail:       b(k("d", "enter"), h("enter/d", "span detail")),
		CriticalPane: b(k("c"), h("c", "critical path")),
		ServicePane:  b(k("s"), h("s", "services")),
		WarningsPane: b(k("w"), h("w", "warnings")),
		LogsPane:     b(k("L"), h("L", "log lines")),
		Select:       b(k("enter"), h("enter", "select")),
		SortColumn:   b(k("o"), h("o", "sort / order")),
		FocusPane:    b(k("tab"), h("tab", "switch focus")),

		ErrorOrigin:     b(k("e"), h("e", "error origin")),
		PrevErrorOrigin: b(k("E"), h("E", "previous error origin")),
		NextCritical:    b(k("]"), h("]", "next critical span")),
		PrevCritical:    b(k("["), h("[", "previous critical span")),

		Skew:        b(k("a"), h("a", "skew raw/adjusted")),
		Copy:        b(k("y"), h("y", "copy")),
		CopyTraceID: b(k("Y"), h("Y", "copy trace ID")),
		CopyLink:    b(k("ctrl+y"), h("ctrl+y", "copy trace link")),
		Back:        b(k("esc"), h("esc", "back")),

		Compare: b(k("D"), h("D", "compare with a typical trace")),
	}
}

// ShortHelp is the one-line help of the trace view. At 80 columns the
// shell leaves it about 60 cells, so it lists the keys of the on-call flow
// (detail, error origin, critical path, services) first and with short
// descriptions; movement is habit and everything else is under ?.
func (t Trace) ShortHelp() []key.Binding {
	return []key.Binding{
		short(t.Detail, "detail"), short(t.ErrorOrigin, "error origin"), short(t.CriticalPane, "critical"),
		short(t.ServicePane, "services"), t.Search, short(t.Toggle, "fold"), t.Back,
	}
}

// SearchHelp is the one-line help while the search is typed.
func (t Trace) SearchHelp() []key.Binding {
	return []key.Binding{t.SearchAccept, t.SearchCancel}
}

// PaneShortHelp is the one-line help while a pane has focus; moving with
// ↑/↓ is habit and left out so that the shell's trace-ID key still fits.
func (t Trace) PaneShortHelp() []key.Binding {
	return []key.Binding{t.Select, t.Copy, short(t.FocusPane, "waterfall"), short(t.Back, "close")}
}

// short is b with a shorter description for the one-line help; its keys
// and the help's key text (which follows user overrides) are kept.
func short(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}

// FullHelp lists every trace-view binding in columns: movement, tree,
// time axis, search and filters, panes, actions.
func (t Trace) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{t.Up, t.Down, t.PageUp, t.PageDown, t.Top, t.Bottom, t.Parent, t.NextSibling, t.PrevSibling},
		{t.Collapse, t.Expand, t.Toggle, t.ExpandLevel, t.CollapseLevel, t.Depth, t.ExpandAll, t.CollapseShort},
		{t.ZoomIn, t.ZoomOut, t.Reroot, t.Skew, t.NextCritical, t.PrevCritical, t.ErrorOrigin, t.PrevErrorOrigin},
		{t.Search, t.SearchAccept, t.SearchCancel, t.NextMatch, t.PrevMatch, t.ErrorsOnly, t.CriticalOnly},
		{t.Detail, t.CriticalPane, t.ServicePane, t.WarningsPane, t.LogsPane, t.FocusPane, t.Select, t.SortColumn},
		{t.Copy, t.CopyTraceID, t.CopyLink, t.Compare, t.Back},
	}
}
