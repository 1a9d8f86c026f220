package trace

import (
	"context"
	"sort"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/internal/textsafe"
	"github.com/tracetui/tracetui/tui/internal/shell"
)

// searchResult is what the search found so far (searchrun.go): which spans
// match and the matches in waterfall (pre-)order for n/N, done once every
// span was looked at; err is the query's error (a filter that does not
// parse), shown in the box's place.
type searchResult struct {
	match []bool
	order []int32
	err   string
	done  bool
}

// searchBox is the in-trace search: the text field while typing, the query
// it last ran and that query's result. Searches run in commands with a
// sequence number, so that a slower, older search never overwrites a newer
// one, and a context that a newer query cancels.
type searchBox struct {
	input     textinput.Model
	capturing bool
	query     string
	seq       int
	res       *searchResult
	cancel    context.CancelFunc
}

func newSearchBox(st *style.Sheet) searchBox {
	in := textinput.New()
	in.SetStyles(shell.InputStyles(st))
	in.Prompt = "/"
	in.Placeholder = "text, is:error is:critical svc:NAME op:NAME >10ms <1s"
	in.CharLimit = 256
	return searchBox{input: in}
}

// open gives the box the keyboard, with the last query to edit.
func (b *searchBox) open() tea.Cmd {
	b.capturing = true
	b.input.SetValue(b.query)
	b.input.CursorEnd()
	return b.input.Focus()
}

// accept leaves the box, keeping the query.
func (b *searchBox) accept() {
	b.input.Blur()
	b.capturing = false
}

// clear forgets the query and its result and leaves the box.
func (b *searchBox) clear() {
	b.stop()
	b.seq++
	b.query = ""
	b.res = nil
	b.input.SetValue("")
	b.input.Blur()
	b.capturing = false
}

// edit gives a key or a paste to the text field; changed tells whether the
// text changed (and a new search is due).
func (b *searchBox) edit(msg tea.Msg) (cmd tea.Cmd, changed bool) {
	before := b.input.Value()
	b.input, cmd = b.input.Update(msg)
	return cmd, b.input.Value() != before
}

// stop cancels the running search, if any.
func (b *searchBox) stop() {
	if b.cancel != nil {
		b.cancel()
		b.cancel = nil
	}
}

// start runs the field's text as a search over a reading, in steps of
// commands (searchrun.go), canceling the previous search.
func (b *searchBox) start(r reading, token *int) tea.Cmd {
	b.stop()
	b.seq++
	b.query = strings.TrimSpace(b.input.Value())
	b.res = nil
	if b.query == "" || r.td == nil {
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	b.cancel = cancel
	j := &searchJob{ctx: ctx, token: token, seq: b.seq, td: r.td, an: r.an, raw: b.query}
	return j.stepCmd()
}

// matches is the result's per-span match table, nil without a usable
// result (none yet, or a query that did not parse).
func (b *searchBox) matches() []bool {
	if b.res == nil {
		return nil
	}
	return b.res.match
}

// matchIndex is span sel's index among the matches, or -1; pos is the
// waterfall order of the spans.
func (b *searchBox) matchIndex(sel int32, pos []int32) int {
	m := b.matches()
	if m == nil || sel < 0 || !m[sel] {
		return -1
	}
	p := pos[sel]
	return sort.Search(len(b.res.order), func(k int) bool { return pos[b.res.order[k]] >= p })
}

// line is the box while typing: the field, then the count of matches or
// the query's error, in exactly the width.
func (b *searchBox) line(st *style.Sheet, width int) string {
	count := ""
	switch {
	case b.query == "":
	case b.res == nil:
		count = "  searching…"
	case b.res.err != "":
		count = "  " + b.res.err
	default:
		count = "  " + format.Count(len(b.res.order)) + " match"
		if len(b.res.order) != 1 {
			count += "es"
		}
		if !b.res.done {
			count += "…"
		}
	}
	count = ansi.Truncate(count, max(width/2, 0), "…")
	return ansi.Truncate(b.input.View(), max(width-ansi.StringWidth(count), 0), "") + st.P.Dim.S(count)
}

// summary is the query and where the selection is among its matches, for
// the footer once the box is closed: "/redis 1/2".
func (b *searchBox) summary(sel int32, pos []int32) string {
	q := "/" + ansi.Truncate(textsafe.Clean(b.query), 24, "…")
	switch {
	case b.res == nil:
		return q + " searching…"
	case b.res.err != "":
		return q + " " + b.res.err
	}
	at := "-"
	if k := b.matchIndex(sel, pos); k >= 0 {
		at = format.Count(k + 1)
	}
	q += " " + at + "/" + format.Count(len(b.res.order))
	if !b.res.done {
		q += "…"
	}
	return q
}
