package trace

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/internal/links"
	"github.com/tracetui/tracetui/internal/present"
	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/internal/textsafe"
	"github.com/tracetui/tracetui/tui/internal/shell"
	"github.com/tracetui/tracetui/tui/internal/widget"
)

// The logs pane (L) lists every log line of the trace in time order with
// its span; the span detail lists the selected span's lines and its links.

// Detail sections of this file.
const (
	secLogLines = "Log lines"
	secLinks    = "Links"
)

// maxWrapLines bounds the lines one log line takes in a pane; y copies the
// whole message.
const maxWrapLines = 6

// logFilter is the logs pane's filter: its text field while typed, and the
// terms it keeps (lower case; every term must appear in a line).
type logFilter struct {
	input     textinput.Model
	capturing bool
	terms     []string
}

func newLogFilter(st *style.Sheet) logFilter {
	in := textinput.New()
	in.SetStyles(shell.InputStyles(st))
	in.Prompt = "filter logs: "
	in.Placeholder = "words in the level, span or message"
	in.CharLimit = 256
	return logFilter{input: in}
}

func (f *logFilter) open() tea.Cmd {
	f.capturing = true
	f.input.CursorEnd()
	return f.input.Focus()
}

// edit gives a key or a paste to the field and filters as it is typed;
// changed tells whether the terms changed.
func (f *logFilter) edit(msg tea.Msg) (tea.Cmd, bool) {
	before := f.input.Value()
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	if f.input.Value() == before {
		return cmd, false
	}
	f.terms = strings.Fields(strings.ToLower(textsafe.Clean(f.input.Value())))
	return cmd, true
}

func (f *logFilter) accept() {
	f.input.Blur()
	f.capturing = false
}

func (f *logFilter) clear() {
	f.input.SetValue("")
	f.input.Blur()
	f.capturing = false
	f.terms = nil
}

func (f *logFilter) keeps(e *logEntry) bool {
	for _, t := range f.terms {
		if !strings.Contains(e.hay, t) {
			return false
		}
	}
	return true
}

// line is the field as the footer draws it.
func (f *logFilter) line(w int) string {
	return ansi.Truncate(f.input.View(), w, "…")
}

// logFilterKey handles a key while the filter is typed: enter keeps it, esc
// clears it.
func (s *state) logFilterKey(msg tea.KeyPressMsg) tea.Cmd {
	f := &s.logs.box
	switch msg.String() {
	case "enter":
		f.accept()
		return nil
	case "esc":
		f.clear()
		s.filtered()
		return nil
	}
	cmd, changed := f.edit(msg)
	if changed {
		s.filtered()
	}
	return cmd
}

func logsTitle(_ *pane, c paneCtx) string {
	l := c.logs
	title := "Log lines"
	if l == nil || l.idx == nil {
		return title
	}
	n := len(l.idx.entries)
	if len(l.box.terms) > 0 {
		return title + " · " + format.Count(l.shown) + " of " + format.Count(n) + " match " + strings.Join(l.box.terms, " ")
	}
	title += " · " + plural(n, "line")
	if l.idx.errors > 0 {
		title += " (" + plural(l.idx.errors, "error") + ")"
	}
	if n > 0 {
		title += " · / filters"
	}
	return title
}

// logPaneLines lists the trace's lines in time order: a summary, then a
// line each (wrapped) with its offset, level, span and text; lines that
// name no span of the trace say so in the span's place.
//
// It also notes how many lines the filter keeps (logState.shown): builds
// run in Update (pane.refresh), never in View.
func logPaneLines(_ *pane, c paneCtx, w int) []paneLine {
	l := c.logs
	dim := c.st.P.Dim
	if l == nil {
		return []paneLine{plainLine("no log files: start with --logs PATH", dim, "", w)}
	}
	switch l.phase {
	case logsIdle, logsReading:
		return []paneLine{plainLine("reading logs… (esc stops)", dim, "", w)}
	case logsStopped:
		return []paneLine{plainLine("stopped reading logs: L reads them again", dim, "", w)}
	case logsFailed:
		return []paneLine{plainLine("logs: "+l.err, c.st.P.Err, "", w), plainLine("L tries again", dim, "", w)}
	}
	idx := l.idx
	lines := []paneLine{}
	for _, part := range wrap(idx.summary, max(w-1, 1)) {
		lines = append(lines, plainLine(" "+part, dim, "", w))
	}
	for _, x := range idx.warnings {
		lines = append(lines, plainLine(" "+x, c.st.P.Warning, "", w))
	}
	if ly := &l.laid; ly.w != w || ly.st != c.st || ly.idx != idx {
		whereW := min(max(w/4, 12), 28)
		ly.w, ly.st, ly.idx = w, c.st, idx
		ly.at = make([][]paneLine, len(idx.entries))
		for k := range idx.entries {
			ly.at[k] = logEntryLines(c, &idx.entries[k], whereW, w)
		}
	}
	// Two passes: count, then copy into one slice of the right size.
	shown, n := 0, len(lines)
	keep := make([]bool, len(idx.entries))
	for k := range idx.entries {
		if keep[k] = l.box.keeps(&idx.entries[k]); keep[k] {
			shown++
			n += len(l.laid.at[k])
		}
	}
	lines = append(make([]paneLine, 0, n+1), lines...)
	for k, ok := range keep {
		if ok {
			lines = append(lines, l.laid.at[k]...)
		}
	}
	l.shown = shown
	if shown == 0 && len(idx.entries) > 0 {
		lines = append(lines, plainLine(" no line matches the filter (esc clears it)", dim, "", w))
	}
	return lines
}

// logEntryLines lays out one log line at width w: a mark (✗ for an error
// line), the offset, the level, its span in whereW cells (none when
// whereW is 0) and the text, wrapped under itself.
func logEntryLines(c paneCtx, e *logEntry, whereW, w int) []paneLine {
	p := &c.st.P
	var head strings.Builder
	if e.err {
		head.WriteString(p.Err.S(present.ErrorMark))
	} else {
		head.WriteByte(' ')
	}
	head.WriteByte(' ')
	head.WriteString(widget.PadLeft(textsafe.Truncate(e.offset, logOffsetW), logOffsetW))
	head.WriteByte(' ')
	lvl := widget.PadRight(e.level, logLevelW)
	if e.err {
		lvl = p.Err.S(lvl)
	} else {
		lvl = p.Dim.S(lvl)
	}
	head.WriteString(lvl)
	head.WriteByte(' ')
	used := 1 + 1 + logOffsetW + 1 + logLevelW + 1
	if whereW > 0 {
		where := widget.PadRight(ansi.Truncate(e.where, whereW, "…"), whereW)
		if e.span >= 0 {
			where = p.Service(c.rd.td.hue[c.rd.td.svc[e.span]]).S(where)
		} else {
			where = p.Warning.S(where)
		}
		head.WriteString(where)
		head.WriteByte(' ')
		used += whereW + 1
	}
	indent := used
	textW := w - used
	if textW < 20 {
		// Narrow: the text goes under the head, indented a little.
		indent, textW = 4, max(w-4, 1)
	}
	parts := wrap(e.text, textW)
	if len(parts) > maxWrapLines {
		parts = append(parts[:maxWrapLines-1], "… (y copies the whole message)")
	}
	out := make([]paneLine, 0, len(parts)+1)
	mk := func(text string) paneLine {
		return paneLine{text: text, copy: e.copy, span: e.span, service: -1, section: secLogLines}
	}
	first := 0
	if indent == used {
		out = append(out, mk(head.String()+paintFields(c, e, parts[0])))
		first = 1
	} else {
		out = append(out, mk(head.String()))
	}
	pad := strings.Repeat(" ", indent)
	for k := first; k < len(parts); k++ {
		out = append(out, mk(pad+parts[k]))
	}
	return out
}

// paintFields draws the part of a wrapped text that holds the fields dim:
// only the first part is painted (a cheap approximation: continuation
// lines are drawn plain).
func paintFields(c paneCtx, e *logEntry, part string) string {
	if e.fields >= len(e.text) || !strings.HasPrefix(e.text, part) || len(part) <= e.fields {
		return part
	}
	return part[:e.fields] + c.st.P.Dim.S(part[e.fields:])
}

// logLineRows are the detail pane's "Log lines" section for span i: its
// lines without the span column.
func logLineRows(p *pane, c paneCtx, i int32, w int) []paneLine {
	l := c.logs
	if l == nil || l.phase == logsOff {
		return nil
	}
	var rows []paneLine
	switch l.phase {
	case logsIdle, logsReading:
		rows = []paneLine{plainLine("  reading logs…", c.st.P.Dim, secLogLines, w)}
	case logsStopped:
		rows = []paneLine{plainLine("  stopped reading logs (L reads them again)", c.st.P.Dim, secLogLines, w)}
	case logsFailed:
		rows = []paneLine{plainLine("  logs: "+l.err, c.st.P.Err, secLogLines, w)}
	}
	n := -1
	if l.phase == logsDone {
		ids := l.idx.bySpan[i]
		n = len(ids)
		if n == 0 {
			return nil
		}
		for _, k := range ids {
			rows = append(rows, logEntryLines(c, &l.idx.entries[k], 0, w)...)
		}
		// enter on a line of the span's own lines does nothing: it is
		// selected already.
		for k := range rows {
			rows[k].span = -1
		}
	}
	out := []paneLine{p.heading(c.st, secLogLines, n, w)}
	if p.folded[secLogLines] {
		return out
	}
	return append(out, rows...)
}

// linkRows are the detail pane's "Links" section for span i: its span and
// service links and the trace's, each "scope  name  URL" in one line
// (a long URL is cut on screen; the link and y keep all of it), as an
// OSC 8 hyperlink when the terminal shows them.
func linkRows(p *pane, c paneCtx, i int32, w int) []paneLine {
	tpls := c.cfg.Links
	if len(tpls) == 0 {
		return nil
	}
	tree := c.rd.td.tree
	lt := links.Trace{ID: c.rd.trace.ID, Start: tree.Start, End: tree.End}
	if len(tree.Roots) > 0 {
		lt.Root = &c.rd.trace.Spans[tree.Roots[0]]
	}
	ls := append(links.ForSpan(tpls, lt, &c.rd.trace.Spans[i]), links.ForTrace(tpls, lt)...)
	if len(ls) == 0 {
		return nil
	}
	out := []paneLine{p.heading(c.st, secLinks, len(ls), w)}
	if p.folded[secLinks] {
		return out
	}
	const keyW = 8
	for _, l := range ls {
		key := widget.PadRight(string(l.Scope), keyW)
		text := links.Plain(l)
		text = ansi.Truncate(text, max(w-keyW-2, 1), "…")
		copy := ""
		if links.SafeURL(l.URL) {
			copy = l.URL
			if c.cfg.Hyperlinks {
				text = links.Hyperlink(l.URL, text)
			}
		}
		out = append(out, paneLine{
			text: " " + c.st.P.PaneKey.S(key) + " " + text, copy: copy, section: secLinks, span: -1, service: -1,
		})
	}
	return out
}

// logsPaneKey handles the logs pane's own keys: / filters, esc clears the
// filter before it closes the pane, enter on a line that names no span of
// the trace says so. ok is false for the keys every pane shares.
func (s *state) logsPaneKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := s.keys
	switch {
	case key.Matches(msg, k.Search):
		if s.logs.idx == nil || len(s.logs.idx.entries) == 0 {
			return nil, true
		}
		return s.logs.box.open(), true
	case key.Matches(msg, k.Back) && len(s.logs.box.terms) > 0:
		s.logs.box.clear()
		s.filtered()
		return nil, true
	case key.Matches(msg, k.Select):
		if l, ok := s.pane.current(); ok && l.span < 0 && l.copy != "" {
			return statusCmd("this line names no span of the trace", false), true
		}
	}
	return nil, false
}
