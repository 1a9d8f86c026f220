package trace

import (
	"strconv"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/tui/internal/widget"
)

// paneKind is a kind of pane. A pane shows one kind of content beside or
// below the waterfall: span detail, the critical path, the services, the
// warnings. The pane owns its lines, cursor, scroll window and sort state;
// what it shows comes from its kind's spec (specOf), built from a paneCtx.
//
// To add a pane kind (say, the span's logs):
//  1. add a paneKind constant below and its case in specOf: a title, a
//     build function that returns the lines at a width (pane_*.go files
//     hold the existing ones), whether opening it takes the focus, whether
//     it follows the selected span, and what the sort key does;
//  2. add a binding in keymap.Trace (and to its FullHelp) and open it in
//     state.actionKey with s.openPane(kind).
//
// Lines carry what enter and y act on (a span to jump to, a service to
// filter by, a value to copy), so keys need nothing else from the kind.
type paneKind int

const (
	paneNone paneKind = iota
	paneDetail
	paneCritical
	paneServices
	paneWarnings
	paneLogs
)

// paneSpec is what a kind of pane shows and how it behaves.
type paneSpec struct {
	// title is the pane's title line (without the key hints).
	title func(p *pane, c paneCtx) string
	// build returns the pane's lines at width w, each at most w cells
	// (longer ones are cut once, after building).
	build func(p *pane, c paneCtx, w int) []paneLine
	// focus tells whether opening the pane gives it the keyboard.
	focus bool
	// followsSelection rebuilds the pane when the selected span changes.
	followsSelection bool
	// sort is what the sort key does in the pane (nil: nothing); it
	// returns whether the cursor goes back to the first entry.
	sort func(p *pane) bool
	// countFromFirstSpan makes the "k/n" counter count from the first line
	// that holds a span: the lines before it (a summary) are no entries.
	countFromFirstSpan bool
}

// specOf returns the spec of a pane kind.
func specOf(k paneKind) paneSpec {
	switch k {
	case paneDetail:
		return paneSpec{title: func(*pane, paneCtx) string { return "Span detail" }, build: detailPaneLines,
			followsSelection: true}
	case paneCritical:
		return paneSpec{title: criticalTitle, build: criticalLines, focus: true, countFromFirstSpan: true,
			sort: func(p *pane) bool { p.critSort = (p.critSort + 1) % critModes; return true }}
	case paneServices:
		return paneSpec{title: servicesTitle, build: serviceLines, focus: true,
			sort: func(p *pane) bool { p.services.NextSort(); return false }}
	case paneWarnings:
		return paneSpec{title: func(*pane, paneCtx) string { return "Warnings" }, build: warningLines, focus: true}
	case paneLogs:
		return paneSpec{title: logsTitle, build: logPaneLines, focus: true}
	}
	return paneSpec{}
}

// paneCtx is what a pane's content is built from.
type paneCtx struct {
	st  *style.Sheet
	rd  *readings
	cfg *Config
	// sel is the selected span; service the waterfall's service filter
	// (-1: none).
	sel, service int32
	// logs is the trace's log lines (nil without --logs).
	logs *logState
}

// paneLine is one line of a pane, built when the pane's content changes
// (not per frame) and already cut to the pane width.
type paneLine struct {
	text    string // styled; its plain width is at most the pane width
	copy    string // what y copies; "" when the line holds no value
	section string // heading: the section enter folds; else its section
	heading bool
	span    int32 // span enter jumps to, or -1
	service int32 // service enter filters by, or -1
	// trace is another trace enter opens (a reference or link into it),
	// at traceSpan; "" for none.
	trace     backend.TraceID
	traceSpan backend.SpanID
}

// acts tells whether the line does something (the cursor starts on the
// first one that does).
func (l paneLine) acts() bool {
	return l.heading || l.span >= 0 || l.service >= 0 || l.trace != "" || l.copy != ""
}

// paneCacheKey says what a pane's lines were built from.
type paneCacheKey struct {
	kind     paneKind
	span     int32
	width    int
	analysed bool
	adjusted bool
	foldVer  int
	critSort int
	svcSort  int
	service  int32
	logsVer  int
}

// pane is the open pane.
type pane struct {
	kind  paneKind
	focus bool
	lines []paneLine
	win   widget.Window
	// h is the number of lines under the title, set by the layout.
	h   int
	key paneCacheKey

	// folded are the detail pane's folded sections; foldVer changes with
	// them.
	folded  map[string]bool
	foldVer int
	// critSort orders the critical-path pane; services sorts the services.
	critSort int
	services widget.Table
}

func newPane() pane {
	return pane{folded: map[string]bool{}, services: newServiceTable()}
}

// open shows a kind of pane; opening the open kind closes it.
func (p *pane) open(k paneKind) {
	if p.kind == k {
		p.close()
		return
	}
	p.kind = k
	p.focus = specOf(k).focus
	p.lines = nil
	p.key = paneCacheKey{}
}

func (p *pane) close() {
	p.kind = paneNone
	p.focus = false
	p.lines = nil
}

// setHeight sets the lines on screen under the title.
func (p *pane) setHeight(h int) {
	p.h = max(h, 1)
	p.win.Fix(len(p.lines), p.h)
}

// restyle drops the lines, which hold their styles, so that they are built
// again; the cache key is kept, so the cursor and scroll stay.
func (p *pane) restyle() { p.lines = nil }

// refresh rebuilds the lines if what they show changed.
func (p *pane) refresh(c paneCtx, width int) {
	if p.kind == paneNone || c.rd.td == nil {
		return
	}
	spec := specOf(p.kind)
	k := paneCacheKey{
		kind: p.kind, width: width, analysed: c.rd.an != nil, adjusted: c.rd.adjusted,
		foldVer: p.foldVer, service: c.service, span: -1, critSort: p.critSort, svcSort: p.services.SortBy,
	}
	if c.logs != nil {
		k.logsVer = c.logs.ver
	}
	if spec.followsSelection {
		k.span = c.sel
	}
	if k == p.key && p.lines != nil {
		return
	}
	keepCursor := k.kind == p.key.kind && k.span == p.key.span
	p.key = k
	w := max(width, 1)
	p.lines = spec.build(p, c, w)
	if !keepCursor {
		p.win = widget.Window{}
		for k, l := range p.lines {
			if l.acts() {
				p.win.Cursor = k
				break
			}
		}
	}
	p.win.Fix(len(p.lines), p.h)
}

// move moves the cursor to line r.
func (p *pane) move(r int) { p.win.MoveTo(r, len(p.lines), p.h) }

// current is the line under the cursor.
func (p *pane) current() (paneLine, bool) {
	if p.win.Cursor < 0 || p.win.Cursor >= len(p.lines) {
		return paneLine{}, false
	}
	return p.lines[p.win.Cursor], true
}

// sort does what the sort key does in this kind of pane.
func (p *pane) sort() {
	s := specOf(p.kind).sort
	if s == nil {
		return
	}
	if s(p) {
		// The cursor goes back to the top: after a reorder its line is
		// often far down in the new order.
		p.key = paneCacheKey{}
	}
}

// toggleSection folds or unfolds a detail section; the caller refreshes,
// then cursorToHeading keeps the cursor on its heading.
func (p *pane) toggleSection(sec string) {
	p.folded[sec] = !p.folded[sec]
	p.foldVer++
}

func (p *pane) cursorToHeading(sec string) {
	for k, l := range p.lines {
		if l.heading && l.section == sec {
			p.win.Cursor = k
			break
		}
	}
	p.win.Fix(len(p.lines), p.h)
}

// counter says where the cursor is, "k/n". In the critical pane it counts
// the entries (sections, or spans by span), not the summary line above
// them, which read as one more section; on the summary it says "-/n". The
// entries follow the summary, so no walk over them is needed per frame.
func (p *pane) counter() string {
	if !specOf(p.kind).countFromFirstSpan {
		return strconv.Itoa(p.win.Cursor+1) + "/" + strconv.Itoa(len(p.lines))
	}
	head := 0
	for head < len(p.lines) && p.lines[head].span < 0 {
		head++
	}
	at := "-"
	if p.win.Cursor >= head {
		at = strconv.Itoa(p.win.Cursor - head + 1)
	}
	return at + "/" + strconv.Itoa(len(p.lines)-head)
}

// view draws the pane in w×h: a title line, then its lines from the scroll
// window, the cursor line reversed while the pane has focus.
func (p *pane) view(c paneCtx, w, h int) []string {
	if h <= 0 || w <= 0 {
		return nil
	}
	st := c.st
	out := make([]string, 0, h)
	title := " " + specOf(p.kind).title(p, c)
	hint := "  tab: focus  esc: close"
	if p.focus {
		hint = "  tab: waterfall  esc: close"
	}
	if len(p.lines) > h-1 {
		hint = "  " + p.counter() + hint
	}
	tp := st.P.Bold
	if p.focus {
		tp = st.P.PaneTitle
	}
	out = append(out, tp.S(widget.PadRight(ansi.Truncate(title+hint, w, "…"), w)))
	lo, hi := p.win.Visible(len(p.lines), h-1)
	for k := lo; k < hi; k++ {
		line := p.lines[k].text
		// A line that came out too wide (tiny panes) is cut here, for the
		// rows on screen only: measuring every line when the pane is built
		// cost 20 ms on a million-span trace's critical path (issue 15).
		if ansi.StringWidth(line) > w {
			line = ansi.Truncate(line, w, "")
		}
		if p.focus && k == p.win.Cursor {
			line = st.P.Selected.S(widget.PadRight(ansi.Strip(line), w))
		}
		out = append(out, line)
	}
	return out
}

// heading is a foldable section title with a count (-1: none).
func (p *pane) heading(st *style.Sheet, name string, n int, w int) paneLine {
	mark := widget.FoldMark(true, p.folded[name], false)
	text := mark + " " + name
	if n >= 0 {
		text += " (" + format.Count(n) + ")"
	}
	return paneLine{
		text: st.P.Bold.S(ansi.Truncate(text, w, "…")), section: name, heading: true,
		span: -1, service: -1,
	}
}

// plainLine is a line of text (already sanitized) cut to w.
func plainLine(text string, p style.Paint, section string, w int) paneLine {
	return paneLine{text: p.S(ansi.Truncate(text, w, "…")), section: section, span: -1, service: -1}
}
