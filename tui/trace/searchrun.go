package trace

import (
	"context"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/tracetui/tracetui/analysis"
)

// The in-trace search runs off the Bubble Tea loop, in steps (issue 15: at
// a million spans one scan took 1.5 s and every key started another).
// A search is a job: each step matches the next searchChunk spans in
// waterfall order in a command, and its message carries the hits back;
// Update merges them (so the count grows on screen) and starts the next
// step. A newer query cancels the job's context, so the older one stops
// within a few thousand spans, and its messages, carrying an old sequence
// number, are dropped. Matching reads the trace's SpanIndex (lower-cased
// text, built once per reading, the first time the box opens).

// searchChunk is how many spans one step matches: small enough that the
// count moves several times a second at a million spans, large enough that
// the steps' messages and redraws cost little beside the matching.
const searchChunk = 1 << 15

// lazyIndex builds a reading's search index once, on first use, in a
// command. A build cut short by a canceled search leaves nothing, and the
// next search builds again.
type lazyIndex struct {
	mu  sync.Mutex
	idx *analysis.SpanIndex
}

// get returns the index, building it if needed; nil when ctx is canceled
// first.
func (l *lazyIndex) get(ctx context.Context, tree *analysis.Tree) *analysis.SpanIndex {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.idx == nil {
		l.idx = analysis.NewSpanIndex(ctx, tree)
	}
	return l.idx
}

// searchJob is one query's work in progress. Only the command of its
// current step touches it; Update passes it on to the next step.
type searchJob struct {
	ctx   context.Context
	token *int
	seq   int
	td    *treeData
	an    *analysisData
	raw   string
	m     *analysis.SpanMatcher
	// next is the position in tree.Order the next step starts at.
	next int
}

// searchPart is one step's outcome: the spans that matched, in waterfall
// order after the previous step's, whether the search is done, or the
// query's error (a filter that does not parse), which ends it.
type searchPart struct {
	hits []int32
	done bool
	err  string
}

// stepCmd runs the job's next step in a command.
func (j *searchJob) stepCmd() tea.Cmd {
	return func() tea.Msg {
		return searchMsg{token: j.token, seq: j.seq, job: j, part: j.step()}
	}
}

// step matches the next chunk of spans; nil when the job was canceled.
func (j *searchJob) step() *searchPart {
	if j.ctx.Err() != nil {
		return nil
	}
	if j.m == nil {
		q, err := analysis.ParseSpanQuery(j.raw)
		if err != nil {
			return &searchPart{err: err.Error(), done: true}
		}
		if q.Critical && j.an == nil {
			return &searchPart{err: "is:critical: analysis still running", done: true}
		}
		if !q.Active() {
			return &searchPart{done: true}
		}
		idx := j.td.search.get(j.ctx, j.td.tree)
		if idx == nil {
			return nil
		}
		var cp *analysis.CriticalPath
		if j.an != nil {
			cp = j.an.critical
		}
		j.m = q.Matcher(idx, cp)
	}
	order := j.td.tree.Order
	end := min(j.next+searchChunk, len(order))
	p := &searchPart{}
	for k := j.next; k < end; k++ {
		if k&4095 == 0 && j.ctx.Err() != nil {
			return nil
		}
		if i := order[k]; j.m.Match(i) {
			p.hits = append(p.hits, i)
		}
	}
	j.next = end
	p.done = end == len(order)
	return p
}

// receive merges a step's outcome into the box's result and returns the
// next step; stale steps (an older query's) and canceled ones are dropped.
// n is the number of spans.
func (b *searchBox) receive(msg searchMsg, n int) tea.Cmd {
	p := msg.part
	if msg.seq != b.seq || p == nil {
		return nil
	}
	if b.res == nil {
		b.res = &searchResult{}
		if p.err == "" {
			b.res.match = make([]bool, n)
		}
	}
	if p.err != "" {
		b.res.err, b.res.done = p.err, true
		return nil
	}
	for _, i := range p.hits {
		b.res.match[i] = true
	}
	b.res.order = append(b.res.order, p.hits...)
	b.res.done = p.done
	if p.done {
		return nil
	}
	return msg.job.stepCmd()
}

// warmSearch builds the reading's search index in a command when the box
// opens, so that it is (mostly) ready by the time the first letter is
// typed.
func (s *state) warmSearch() tea.Cmd {
	td := s.rd.td
	if td == nil {
		return nil
	}
	return func() tea.Msg {
		td.search.get(context.Background(), td.tree)
		return nil
	}
}
