package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/backend/paste"
	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/internal/textsafe"
	"github.com/tracetui/tracetui/keymap"
	"github.com/tracetui/tracetui/tui/internal/shell"
)

// statusLine lays out the status bar: left text in its style, then the
// notices (always kept, they are about safety and what data this is), then
// the backend and profile, which give way first.
func statusLine(st *style.Sheet, width int, left string, leftStyle lipgloss.Style, right, notices []string) string {
	if width <= 0 {
		return ""
	}
	var noticeText string
	if len(notices) > 0 {
		noticeText = " " + strings.Join(notices, " · ") + " "
	}
	rightText := ""
	if len(right) > 0 {
		rightText = " " + strings.Join(right, " · ") + " "
	}
	nw := ansi.StringWidth(noticeText)
	lw := ansi.StringWidth(left)
	// The left side keeps at least half the bar when it has something to say.
	minLeft := min(lw, width/2)
	if nw > width-minLeft {
		noticeText = ansi.Truncate(noticeText, max(width-minLeft, 0), "…")
		nw = ansi.StringWidth(noticeText)
	}
	room := width - nw - lw
	if room < ansi.StringWidth(rightText) {
		if room > 8 {
			rightText = ansi.Truncate(rightText, room, "…")
		} else {
			rightText = ""
		}
	}
	rw := ansi.StringWidth(rightText)
	leftW := width - nw - rw
	out := leftStyle.Render(shell.Fit(left, leftW)) + st.StatusBar.Render(rightText)
	if noticeText != "" {
		out += st.StatusNotice.Render(noticeText)
	}
	return out
}

// lookupBox is the trace-ID / correlation-ID box, drawn in place of the
// help line. Lookups are remembered for the session; up and down walk them.
type lookupBox struct {
	open    bool
	input   textinput.Model
	history []string
	// pos indexes history while walking it; len(history) is the draft.
	pos   int
	draft string
	// keys are the correlation keys paste.Parse reads log fields by;
	// summary says what the text is read as (paste.Result.Summary), kept
	// by update so that View only reads it.
	keys    []string
	summary string
}

func newLookupBox(st *style.Sheet) lookupBox {
	in := textinput.New()
	in.Prompt = ": "
	in.Placeholder = "trace ID, traceparent, Jaeger URL, log line or correlation ID"
	// A log line with its trace ID at the end is long; Parse reads up to
	// MaxLen.
	in.CharLimit = paste.MaxLen
	in.SetStyles(shell.InputStyles(st))
	return lookupBox{input: in}
}

func (l *lookupBox) setStyles(st *style.Sheet) { l.input.SetStyles(shell.InputStyles(st)) }
func (l *lookupBox) setWidth(w int)            { l.input.SetWidth(max(w/2, 20)) }

func (l *lookupBox) show() tea.Cmd {
	l.open = true
	l.input.SetValue("")
	l.pos, l.draft, l.summary = len(l.history), "", ""
	return l.input.Focus()
}

func (l *lookupBox) hide() {
	l.open = false
	l.input.Blur()
}

// remember adds a lookup to the history, most recent last, once.
func (l *lookupBox) remember(v string) {
	for i, h := range l.history {
		if h == v {
			l.history = append(l.history[:i], l.history[i+1:]...)
			break
		}
	}
	l.history = append(l.history, v)
	const keep = 50
	if len(l.history) > keep {
		l.history = l.history[len(l.history)-keep:]
	}
}

func (l *lookupBox) older() {
	if l.pos == len(l.history) {
		l.draft = l.input.Value()
	}
	if l.pos > 0 {
		l.pos--
		l.input.SetValue(l.history[l.pos])
		l.input.CursorEnd()
	}
	l.reread()
}

func (l *lookupBox) newer() {
	if l.pos >= len(l.history) {
		return
	}
	l.pos++
	if l.pos == len(l.history) {
		l.input.SetValue(l.draft)
	} else {
		l.input.SetValue(l.history[l.pos])
	}
	l.input.CursorEnd()
	l.reread()
}

func (l *lookupBox) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	before := l.input.Value()
	l.input, cmd = l.input.Update(msg)
	if l.input.Value() != before {
		l.reread()
	}
	return cmd
}

// reread parses the text as it stands, for the live summary.
func (l *lookupBox) reread() {
	text := strings.TrimSpace(l.input.Value())
	if text == "" {
		l.summary = ""
		return
	}
	res, err := paste.Parse(text, paste.Options{CorrelationKeys: l.keys})
	if err != nil {
		l.summary = err.Error()
		return
	}
	l.summary = res.Summary()
}

func (l *lookupBox) view(k keymap.Lookup, width int) string {
	hint := "  " + helpText(k.Submit) + " · " + helpText(k.Older) + helpText(k.Newer) + " history · " + helpText(k.Cancel)
	in := l.input
	in.SetWidth(max(min(width-ansi.StringWidth(hint)-3, 60), 10))
	v := in.View()
	// The field draws wider than its width with a long value: the hint
	// gives up the history keys, then goes, rather than end cut.
	for _, h := range []string{hint, "  " + helpText(k.Submit) + " · " + helpText(k.Cancel), ""} {
		if ansi.StringWidth(v)+ansi.StringWidth(h) <= width {
			return v + h
		}
	}
	return shell.Fit(v, width)
}

func helpText(b key.Binding) string {
	h := b.Help()
	if h.Desc == "" {
		return h.Key
	}
	if h.Key == "↑" || h.Key == "↓" {
		return h.Key
	}
	return h.Key + " " + h.Desc
}

// helpBody is the full-help overlay's text: every binding of the top
// screen, then the global ones, in columns that wrap to the width.
func (r *root) helpBody(w int) []string {
	top := r.top()
	// The global keys as they work on this screen: while a field has the
	// focus, ":" and "q" type into it.
	global := r.keys.Global.FullHelp()
	if top.capturing() {
		global = [][]key.Binding{globalHelp(r.keys.Global, true)}
	}
	groups := append(top.fullHelp(), global...)
	if r.lookup.open {
		groups = r.keys.Lookup.FullHelp()
	}
	hm := r.help
	hm.SetWidth(0)
	var cols []string
	for _, g := range groups {
		if c := hm.FullHelpView([][]key.Binding{g}); c != "" {
			cols = append(cols, c)
		}
	}
	// Pack the columns into rows that fit the width.
	var rows []string
	var row []string
	rowW := 0
	const gap = 4
	for _, c := range cols {
		cw := lipgloss.Width(c)
		if len(row) > 0 && rowW+gap+cw > w {
			rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
			row, rowW = nil, 0
		}
		if len(row) > 0 {
			row = append(row, strings.Repeat(" ", gap))
			rowW += gap
		}
		row = append(row, c)
		rowW += cw
	}
	if len(row) > 0 {
		rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
	}
	return shell.Lines(strings.Join(rows, "\n\n"))
}

// helpRows is how many lines of the overlay's body fit under its title.
func helpRows(h int) int { return max(h-2, 0) }

// scrollHelp scrolls the overlay by d lines, within its text.
func (r *root) scrollHelp(d int) {
	w, h := r.bodySize()
	r.helpWin.Scroll(d, len(r.helpBody(w)), helpRows(h))
}

// helpView draws the overlay in w×h, scrolled as Update left it: it only
// reads the window (a View must not write state).
func (r *root) helpView(w, h int) string {
	st := r.styles
	body := r.helpBody(w)
	title := st.Title.Render("Keys: "+r.top().name()) + st.Faint.Render("  ("+textsafe.Clean(helpText(r.keys.Help.Close))+")")
	lo, hi := r.helpWin.Visible(len(body), helpRows(h))
	if above, below := r.helpWin.More(len(body), helpRows(h)); above || below {
		title += st.Faint.Render("  ↑↓ scroll")
	}
	lines := append([]string{title, ""}, body[lo:hi]...)
	return shell.Block(lines, w, h)
}
