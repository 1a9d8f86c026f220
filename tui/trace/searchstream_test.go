package trace

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/tui/internal/widget"
)

// runSearch runs a search's steps to the end outside a model and returns
// what the box would hold.
func runSearch(td *treeData, an *analysisData, raw string) *searchResult {
	b := &searchBox{seq: 1}
	j := &searchJob{ctx: context.Background(), seq: 1, td: td, an: an, raw: raw}
	for cmd := j.stepCmd(); cmd != nil; {
		cmd = b.receive(cmd().(searchMsg), len(td.pos))
	}
	return b.res
}

// typeKeys sends keys to the model and returns the commands they started,
// without running them.
func typeKeys(m Model, keys ...string) (Model, []tea.Cmd) {
	var cmds []tea.Cmd
	for _, k := range keys {
		var cmd tea.Cmd
		m, cmd = m.Update(keyMsg(k))
		cmds = append(cmds, cmd)
	}
	return m, cmds
}

// searchMsgs runs a command (and the commands of its batches) and returns
// the search steps it produced.
func searchMsgs(cmd tea.Cmd) []searchMsg {
	if cmd == nil {
		return nil
	}
	var out []searchMsg
	switch msg := cmd().(type) {
	case searchMsg:
		out = append(out, msg)
	case tea.BatchMsg:
		for _, c := range msg {
			out = append(out, searchMsgs(c)...)
		}
	}
	return out
}

// TestSearchStaleStepDropped: the step of an older query that arrives after
// a newer query started changes nothing, and the older query's context is
// canceled, so its step stops without matching.
func TestSearchStaleStepDropped(t *testing.T) {
	m, _ := newModel(t, dispatchTrace(), 80, 24)
	m, _ = typeKeys(m, "/")
	m, old := typeKeys(m, "r")
	m, cmds := typeKeys(m, "e", "d")
	// The command of "r" runs now, late: its job is canceled.
	late := searchMsgs(old[0])
	if len(late) != 1 || late[0].part != nil || late[0].job.next != 0 {
		t.Fatalf("the older search was not canceled: %+v", late)
	}
	// Even a stale step with hits is dropped.
	stale := late[0]
	stale.part = &searchPart{hits: []int32{0}, done: true}
	m, next := m.Update(stale)
	if next != nil || m.s.box.res != nil {
		t.Fatalf("a stale step was taken: %+v", m.s.box.res)
	}
	if !strings.Contains(m.View(), "searching…") {
		t.Fatal("no 'searching…' while the newer search runs")
	}
	m = run(t, m, tea.Batch(cmds...), &outcome{})
	// "red" matches the two redis spans (and "redis timeout").
	if r := m.s.box.res; r == nil || !r.done || len(r.order) != 2 {
		t.Fatalf("result of 'red': %+v", r)
	}
	if !strings.Contains(m.View(), "2 matches") {
		t.Fatalf("count not shown:\n%s", m.View())
	}
}

// TestSearchStreams: on a trace bigger than one step, the count grows step
// by step (shown with "…" until done), each step asks for the next, and
// the final result is analysis.SpanQuery.Match's.
func TestSearchStreams(t *testing.T) {
	n := 2*searchChunk + 100
	m, _ := newModel(t, genTrace(n, 3), 100, 30)
	m, cmds := typeKeys(m, "/", "o", "r")
	steps := searchMsgs(cmds[2])
	if len(steps) != 1 {
		t.Fatalf("%d steps from the last key", len(steps))
	}
	var parts int
	for step := &steps[0]; ; parts++ {
		var next tea.Cmd
		m, next = m.Update(*step)
		r := m.s.box.res
		if r == nil {
			t.Fatal("no result after a step")
		}
		if next == nil {
			if !r.done {
				t.Fatal("no next step before the end")
			}
			break
		}
		if r.done || !strings.Contains(m.View(), "matches…") {
			t.Fatalf("step %d: done %v, view without a partial count", parts, r.done)
		}
		msgs := searchMsgs(next)
		if len(msgs) != 1 {
			t.Fatalf("%d messages from a step", len(msgs))
		}
		step = &msgs[0]
	}
	if parts != 2 {
		t.Fatalf("%d steps before the last, want 2", parts)
	}
	q, _ := analysis.ParseSpanQuery("or")
	want := q.Match(&analysis.Analysis{Tree: m.s.rd.td.tree, Critical: m.s.rd.an.critical})
	r := m.s.box.res
	count := 0
	for i, ok := range want {
		if ok != r.match[i] {
			t.Fatalf("span %d: match %v, want %v", i, r.match[i], ok)
		}
		if ok {
			count++
		}
	}
	if count == 0 || count != len(r.order) {
		t.Fatalf("%d in order, %d matches", len(r.order), count)
	}
	for k := 1; k < len(r.order); k++ {
		if m.s.rd.td.pos[r.order[k]] <= m.s.rd.td.pos[r.order[k-1]] {
			t.Fatal("matches out of waterfall order")
		}
	}
	if strings.Contains(m.View(), "matches…") {
		t.Fatal("done but still shown as partial")
	}
}

// TestSearchEscCancels: esc while a search runs cancels it; its step then
// does nothing.
func TestSearchEscCancels(t *testing.T) {
	m, _ := newModel(t, dispatchTrace(), 80, 24)
	m, cmds := typeKeys(m, "/", "r", "esc")
	steps := searchMsgs(cmds[1])
	if len(steps) != 1 || steps[0].part != nil {
		t.Fatalf("the search ran after esc: %+v", steps)
	}
	if m.s.box.query != "" || m.s.box.res != nil || m.s.box.cancel != nil {
		t.Fatal("esc left the search behind")
	}
}

// TestPadNumber: the critical pane's fast padding agrees with
// widget.PadLeft on what durations and shares look like.
func TestPadNumber(t *testing.T) {
	for _, s := range []string{"", "1ms", "570µs", "1m02s", "100.0%", "12345678", "µµµµµµµµ", "é1"} {
		for _, w := range []int{0, 3, 6, 7} {
			if got, want := padNumber(s, w), widget.PadLeft(s, w); got != want {
				t.Errorf("padNumber(%q, %d) = %q, want %q", s, w, got, want)
			}
		}
	}
}
