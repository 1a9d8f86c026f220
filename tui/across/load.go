package across

import (
	"context"
	"strconv"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/tui/internal/shell"
)

// loader owns the analysis: the fetch goroutine adds traces to it and the
// result commands read it, never at the same time (mu); Update only gets
// their messages. Neither analysing a trace nor computing a result runs in
// Update.
type loader struct {
	mu sync.Mutex
	x  *analysis.Across
}

func newLoader() *loader { return &loader{x: analysis.NewAcross()} }

// maxNamed is how many traces that could not be fetched are named.
const maxNamed = 3

// progress counts the fetch: traces done (added or failed) of total, and
// the failures, the first few by ID with their error.
type progress struct {
	done, total, failed int
	named               []string
	firstErr            string
}

// text is "37/100 traces".
func (p progress) text() string {
	return strconv.Itoa(p.done) + "/" + strconv.Itoa(p.total) + " traces"
}

// event is one fetched trace, sent by the fetch goroutine.
type event struct {
	id  backend.TraceID
	err error
}

type (
	// fetchedMsg carries the traces fetched since the last one (it waits
	// for at least one), or the end of the fetch.
	fetchedMsg struct {
		req    shell.RequestID
		events []event
		end    bool
		err    error
		next   <-chan fetchItem
	}
	// resultMsg carries a result computed for a selection.
	resultMsg struct {
		seq int
		res *analysis.AcrossResult
		lat analysis.Latency
		// nb is the bucket count asked for (lat may have fewer: buckets
		// narrower than a microsecond are merged).
		nb int
	}
)

// fetchItem is what the fetch goroutine sends: a trace done, or the end.
type fetchItem struct {
	ev  event
	end bool
	err error
}

// start fetches the traces, 4 at a time, in a goroutine that adds each to
// the analysis as it arrives; a chain of commands brings the progress to
// Update. Close cancels it.
func (s *state) start() tea.Cmd {
	ids := make([]backend.TraceID, 0, len(s.cfg.Traces))
	for _, t := range s.cfg.Traces {
		ids = append(ids, t.TraceID)
	}
	if s.cfg.Backend == nil || len(ids) == 0 {
		s.fetching = false
		return s.askResult()
	}
	req, ctx := s.reqs.Start(s.cfg.Ctx, "analysing traces…")
	s.fetch, s.fetching, s.fetchCtx = req, true, ctx
	// Buffered for every trace and the end: the goroutine never waits for
	// Update, and ends when the fetch does.
	ch := make(chan fetchItem, len(ids)+1)
	b, ld, workers := s.cfg.Backend, s.ld, s.cfg.Workers
	go func() {
		err := backend.FetchTraces(ctx, b, ids, workers, func(id backend.TraceID, t *backend.Trace, err error) {
			if err == nil && t != nil {
				ld.mu.Lock()
				ld.x.Add(t)
				ld.mu.Unlock()
			}
			ch <- fetchItem{ev: event{id: id, err: err}}
		})
		ch <- fetchItem{end: true, err: err}
		close(ch)
	}()
	return waitFetched(ctx, req, ch)
}

// waitFetched waits for the next trace, then takes whatever else has
// arrived, so that a burst is one message.
func waitFetched(ctx context.Context, req shell.RequestID, ch <-chan fetchItem) tea.Cmd {
	return func() tea.Msg {
		msg := fetchedMsg{req: req, next: ch}
		take := func(it fetchItem, ok bool) bool {
			if !ok || it.end {
				msg.end, msg.err = true, it.err
				return false
			}
			msg.events = append(msg.events, it.ev)
			return true
		}
		select {
		case it, ok := <-ch:
			if !take(it, ok) {
				return msg
			}
		case <-ctx.Done():
			return fetchedMsg{req: req, end: true, err: ctx.Err()}
		}
		for {
			select {
			case it, ok := <-ch:
				if !take(it, ok) {
					return msg
				}
			default:
				return msg
			}
		}
	}
}

// askResult computes the result for the current selection in a command.
// The newest request wins: a result for an older selection is dropped
// when it arrives.
func (s *state) askResult() tea.Cmd {
	s.dirty = false
	s.seq++
	s.pending = s.seq
	seq, sel, ld, nb := s.seq, s.sel, s.ld, s.histBuckets()
	return func() tea.Msg {
		ld.mu.Lock()
		defer ld.mu.Unlock()
		return resultMsg{seq: seq, res: ld.x.Result(sel), lat: ld.x.Latency(sel, nb), nb: nb}
	}
}

// refresh asks for a result after traces arrived, unless one is being
// computed: then once it arrives (dirty), so that a burst of traces costs
// one result at a time, not one per trace.
func (s *state) refresh() tea.Cmd {
	if s.pending != 0 {
		s.dirty = true
		return nil
	}
	return s.askResult()
}

// onFetched counts the traces that arrived and asks for a new result.
func (s *state) onFetched(msg fetchedMsg) tea.Cmd {
	if msg.req != s.fetch || !s.fetching {
		return nil // stale: the screen left, or a newer fetch
	}
	p := &s.progress
	for _, ev := range msg.events {
		p.done++
		if ev.err != nil {
			p.failed++
			if len(p.named) < maxNamed {
				p.named = append(p.named, ev.id.Short())
			}
			if p.firstErr == "" {
				p.firstErr = shell.DescribeError(ev.err)
			}
		}
	}
	cmds := []tea.Cmd{s.refresh()}
	if !msg.end {
		cmds = append(cmds, waitFetched(s.fetchCtx, msg.req, msg.next))
		return tea.Batch(cmds...)
	}
	s.reqs.Finish(msg.req)
	s.fetching = false
	switch {
	case msg.err != nil:
		cmds = append(cmds, shell.StatusCmd("analysis stopped after "+p.text(), true))
	case p.failed > 0:
		text := strconv.Itoa(p.failed) + " of " + strconv.Itoa(p.total) + " traces could not be fetched (" +
			strings.Join(p.named, ", ")
		if p.failed > len(p.named) {
			text += ", …"
		}
		cmds = append(cmds, shell.StatusCmd(text+"): "+p.firstErr, true))
	}
	return tea.Batch(cmds...)
}

// onResult shows a result, unless a newer one was asked for.
func (s *state) onResult(msg resultMsg) tea.Cmd {
	if msg.seq != s.pending {
		return nil
	}
	s.pending = 0
	s.res, s.lat, s.buckets = msg.res, msg.lat, msg.nb
	s.rebuild()
	if s.dirty {
		return s.askResult()
	}
	return nil
}
