package compare

import (
	"context"
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/paste"
	"github.com/tracetui/tracetui/internal/present"
	"github.com/tracetui/tracetui/internal/textsafe"
	"github.com/tracetui/tracetui/tui/internal/shell"
)

// sideName is "A" or "B".
func sideName(k int) string { return string(rune('A' + k)) }

// fetch starts loading side k: its trace ID, or what the box asked for.
func (s *state) fetch(k int) tea.Cmd {
	sd := &s.side[k]
	s.reqs.Cancel(sd.req)
	what := "trace " + sideName(k)
	if sd.id != "" {
		what += " " + sd.id.Short()
	}
	id, ctx := s.reqs.Start(s.cfg.Ctx, "loading "+what+"…")
	sd.req, sd.loading = id, true
	b := s.cfg.Backend
	l := backend.Lookup{TraceIDs: []backend.TraceID{sd.id}}
	if sd.lookup != nil {
		l = *sd.lookup
	}
	return func() tea.Msg {
		t, notes, err := lookUp(ctx, b, l)
		return loadedMsg{id: id, side: k, trace: t, notes: notes, err: err}
	}
}

var errNoBackend = errors.New("no backend configured")

// lookUp finds one trace as the lookup box does (backend.LookUp: each
// trace ID, then the correlation value) and, for a correlation value,
// fetches the newest trace that carries it.
func lookUp(ctx context.Context, b backend.Backend, l backend.Lookup) (*backend.Trace, []string, error) {
	if b == nil {
		return nil, nil, errNoBackend
	}
	lr, err := backend.LookUp(ctx, b, l)
	if err != nil {
		return nil, lr.Notes, err
	}
	if lr.Trace != nil {
		return lr.Trace, lr.Notes, nil
	}
	found := lr.Correlation.Traces
	if len(found) == 0 {
		op := fmt.Sprintf("correlation ID %q", backend.Excerpt([]byte(l.Correlation), 60))
		var tried []string
		for _, id := range l.TraceIDs {
			tried = append(tried, id.Short())
		}
		if len(tried) > 0 {
			op = "trace " + strings.Join(tried, " or ") + ", or " + op
		}
		return nil, lr.Notes, &backend.Error{Kind: backend.NotFound, Offset: -1, Op: op}
	}
	notes := lr.Notes
	if len(found) > 1 {
		notes = append(notes, fmt.Sprintf("%d traces carry that correlation ID; comparing the newest, %s", len(found), found[0].TraceID.Short()))
	}
	t, err := b.Trace(ctx, found[0].TraceID, l.Options)
	return t, notes, err
}

// loaded takes one side's trace; with both, the comparison starts.
func (s *state) loaded(msg loadedMsg) tea.Cmd {
	sd := &s.side[msg.side]
	if !s.reqs.Finish(msg.id) || msg.id != sd.req {
		return nil
	}
	sd.loading = false
	if msg.err != nil {
		s.nextNote = ""
		s.reqs.CancelAll()
		for k := range s.side {
			s.side[k].loading = false
		}
		text := "trace " + sideName(msg.side) + ": " + describe(msg.err)
		if s.res != nil {
			// A new trace A failed: the comparison shown stays.
			s.phase = ready
			return shell.FailureCmd(text)
		}
		s.phase, s.failure = failed, text
		return shell.FailureCmd(text)
	}
	t := msg.trace
	if t == nil {
		t = &backend.Trace{ID: sd.id}
	}
	sd.t, sd.id = t, t.ID
	var note tea.Cmd
	if len(msg.notes) > 0 {
		note = shell.NoticeCmd(strings.Join(msg.notes, "; "))
	}
	for k := range s.side {
		if s.side[k].t == nil {
			return note
		}
	}
	return tea.Batch(note, s.analyse())
}

// analyse compares the two traces in a command.
func (s *state) analyse() tea.Cmd {
	s.phase = analysing
	id, _ := s.reqs.Start(s.cfg.Ctx, "comparing…")
	s.anReq = id
	a, b := s.side[analysis.SideA].t, s.side[analysis.SideB].t
	return func() tea.Msg {
		return comparedMsg{id: id, res: buildResult(a, b)}
	}
}

func (s *state) compared(msg comparedMsg) tea.Cmd {
	if !s.reqs.Finish(msg.id) || msg.id != s.anReq {
		return nil
	}
	s.phase, s.res = ready, msg.res
	if s.nextNote != "" {
		s.cfg.Note, s.nextNote = s.nextNote, ""
	}
	s.view = newTreeView(msg.res)
	s.view.fix(s.res, s.rowsHeight())
	return nil
}

// cancel stops the loads in flight: back to the comparison shown, or off
// the screen.
func (s *state) cancel() tea.Cmd {
	s.reqs.CancelAll()
	for k := range s.side {
		s.side[k].loading = false
	}
	if s.res != nil {
		s.phase = ready
		return shell.NoticeCmd("cancelled loading trace A")
	}
	return tea.Batch(shell.NoticeCmd("comparison cancelled"), func() tea.Msg { return BackMsg{} })
}

// describe is an error for the screen and the status bar: one line,
// cleaned.
func describe(err error) string {
	switch {
	case errors.Is(err, backend.ErrNotFound):
		return shell.DescribeError(err) + " (wrong ID, or past the backend's retention?)"
	case errors.Is(err, context.Canceled), errors.Is(err, backend.ErrCanceled):
		return "cancelled"
	}
	return shell.DescribeError(err)
}

// --- the box that asks for trace A ---

func (s *state) openBox() tea.Cmd {
	s.boxOpen, s.boxErr = true, ""
	s.box.SetValue("")
	return s.box.Focus()
}

func (s *state) closeBox() {
	s.boxOpen = false
	s.box.Blur()
}

// submitBox reads what was typed or pasted (backend/paste) and loads it as
// trace A; text that names nothing keeps the box open with the reason.
func (s *state) submitBox() tea.Cmd {
	text := strings.TrimSpace(s.box.Value())
	if text == "" {
		return nil
	}
	res, err := paste.Parse(text, paste.Options{CorrelationKeys: s.cfg.CorrelationKeys})
	if err != nil {
		s.boxErr = textsafe.Clean(err.Error())
		return nil
	}
	s.closeBox()
	l := backend.Lookup{TraceIDs: res.TraceIDs(), Correlation: res.Correlation, Keys: s.cfg.CorrelationKeys,
		Window: s.cfg.Window}
	sd := &s.side[analysis.SideA]
	sd.id, sd.t, sd.lookup = res.Trace, nil, &l
	var note tea.Cmd
	if res.Source != paste.SourceTraceID {
		note = shell.NoticeCmd(res.Summary())
	}
	s.nextNote = "A: " + res.Summary()
	return tea.Batch(note, s.start())
}

// --- the comparison's tables, built in a command ---

// result is a comparison with what drawing a row needs, computed once off
// the UI loop: cleaned names and their widths, the scale of the bars.
type result struct {
	c *analysis.Comparison
	t [2]*backend.Trace
	// svc and op are the nodes' cleaned names, w their widths.
	svc, op    []string
	svcW, opW  []int
	hue        []uint32
	last       []bool  // the node is the last of its siblings
	preOrder   []int32 // every node, tree order
	byIncrease []int32 // every node, largest critical-path increase first
	maxDur     int64   // the bars' time scale: the longest side of any node
	counts     [5]int  // nodes by analysis.Change
	// For ] and [, per order (0 tree, 1 sorted): each node's place in it
	// and the slower nodes in it, so that a key press scans nothing.
	place  [2][]int32
	slower [2][]int32
}

func buildResult(a, b *backend.Trace) *result {
	c := analysis.Compare(analysis.Analyze(a), analysis.Analyze(b))
	n := len(c.Tree.Nodes)
	r := &result{c: c, t: [2]*backend.Trace{a, b},
		svc: make([]string, n), op: make([]string, n), svcW: make([]int, n), opW: make([]int, n),
		hue: make([]uint32, n), last: make([]bool, n),
		preOrder: c.Tree.PreOrder(), byIncrease: c.ByCriticalIncrease(), maxDur: 1}
	clean := map[string]string{}
	get := func(s string) string {
		v, ok := clean[s]
		if !ok {
			v = textsafe.Clean(s)
			clean[s] = v
		}
		return v
	}
	for k := range c.Tree.Nodes {
		nd := &c.Tree.Nodes[k]
		r.svc[k], r.op[k] = get(nd.Service), get(nd.Operation)
		r.svcW[k], r.opW[k] = ansi.StringWidth(r.svc[k]), ansi.StringWidth(r.op[k])
		r.hue[k] = present.Hue(nd.Service)
		r.maxDur = max(r.maxDur, nd.Side[analysis.SideA].Duration, nd.Side[analysis.SideB].Duration)
		r.counts[c.Change(int32(k))]++
		sib := c.Tree.Roots
		if nd.Parent >= 0 {
			sib = c.Tree.Nodes[nd.Parent].Children
		}
		r.last[k] = len(sib) > 0 && sib[len(sib)-1] == int32(k)
	}
	for o, order := range [2][]int32{r.preOrder, r.byIncrease} {
		r.place[o] = make([]int32, n)
		for k, v := range order {
			r.place[o][v] = int32(k)
			if c.Change(v) == analysis.Slower {
				r.slower[o] = append(r.slower[o], v)
			}
		}
	}
	return r
}
