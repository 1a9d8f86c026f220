package trace

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"

	tea "charm.land/bubbletea/v2"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/logs"
	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/internal/present"
	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/internal/textsafe"
	"github.com/tracetui/tracetui/tui/internal/shell"
)

// The trace's application log lines (--logs): looked up in a command once
// the span tree is built, with a request ID (a result for a lookup that was
// stopped or a view that was left is dropped), progress for the status bar
// and esc to stop. The lines are cleaned and laid out per span off the UI
// loop (buildLogIndex), so the panes and the waterfall only read them.

// LogSource finds the log lines of a trace; *logs.Set is one.
type LogSource interface {
	Lookup(ctx context.Context, id backend.TraceID, opt logs.Options) (*logs.Result, error)
}

// logPhase is where the lookup of the trace's log lines is.
type logPhase uint8

const (
	logsOff     logPhase = iota // no log source configured
	logsIdle                    // configured; starts when the tree is built
	logsReading                 // a lookup is in flight
	logsDone
	logsStopped // stopped with esc; L reads again
	logsFailed
)

// maxLogText bounds the bytes of one log line's text kept for display: a
// hostile 1 MB message would otherwise wrap into thousands of pane lines.
// y copies the whole message.
const maxLogText = 2 << 10

// logEntry is one log line, cleaned and laid out once.
type logEntry struct {
	// span is the span index the line names, -1 for none or one not in the
	// trace.
	span   int32
	offset string // "+12.3ms" from the trace's start, "?" without a time
	level  string // upper case, at most logLevelW cells, "-" for none
	err    bool
	// where is "service operation" of its span, or the line's service and
	// why it has none ("(no span)", "(span … not in trace)").
	where string
	text  string // message, then key=value fields; cleaned
	// fields is where text's fields start (they are drawn dim).
	fields int
	hay    string // lower-case text the filter searches
	copy   string // what y copies: the message as written, cleaned
}

// logIndex is the trace's log lines, ready to draw.
type logIndex struct {
	entries []logEntry
	// bySpan lists each span's entries, in time order.
	bySpan map[int32][]int32
	// marks[i] is 0 for a span without lines, 1 with lines, 2 with an error
	// line among them.
	marks      []uint8
	unattached int
	errors     int
	summary    string // cleaned Result.Summary
	warnings   []string
}

// logProgress is a lookup's progress, written by its goroutine and read
// by the status bar.
type logProgress struct {
	read, size  atomic.Int64
	file, files atomic.Int32
	path        atomic.Pointer[string]
}

func (p *logProgress) set(pr logs.Progress) {
	p.read.Store(pr.Read)
	p.size.Store(pr.Size)
	p.file.Store(int32(pr.File))
	p.files.Store(int32(pr.Files))
	name := filepath.Base(pr.Path)
	p.path.Store(&name)
}

// label says how far the lookup is: "reading logs: 45% of app.log (esc
// stops)". The status bar cleans it.
func (p *logProgress) label() string {
	text := "reading logs"
	if name := p.path.Load(); name != nil {
		read, size := p.read.Load(), p.size.Load()
		switch {
		case size > 0:
			text += ": " + strconv.FormatInt(min(read*100/size, 100), 10) + "% of " + *name
		default:
			text += ": " + format.Count(int(read>>20)) + " MiB of " + *name
		}
		if n := p.files.Load(); n > 1 {
			text += " (file " + strconv.Itoa(int(p.file.Load())) + "/" + strconv.Itoa(int(n)) + ")"
		}
	}
	return text + "… esc stops"
}

// logState is the lookup and its result.
type logState struct {
	src   LogSource
	phase logPhase
	req   shell.RequestID
	prog  *logProgress
	idx   *logIndex
	err   string
	// ver changes with phase and idx, for the panes' cache.
	ver int
	box logFilter
	// shown counts the lines the filter keeps, as the logs pane was last
	// built (its title reads it every frame).
	shown int
	// laid is every entry's pane lines at one width and style sheet, so
	// that typing in the filter only picks lines (measuring and wrapping
	// 20,000 lines took 350 ms a key).
	laid struct {
		w   int
		st  *style.Sheet
		idx *logIndex
		at  [][]paneLine
	}
}

// filtered notes a change of the filter: the logs pane is built again
// with its cursor on the first line.
func (s *state) filtered() {
	s.logs.ver++
	if s.pane.kind == paneLogs {
		s.pane.key = paneCacheKey{}
	}
}

// logsMsg carries a lookup's lines, laid out.
type logsMsg struct {
	token *int
	req   shell.RequestID
	idx   *logIndex
	err   error
}

// startLogs looks the trace's lines up in a command. Nothing happens
// without a source, before the tree, or while a lookup runs.
func (s *state) startLogs() tea.Cmd {
	l := &s.logs
	if l.src == nil || s.rd.td == nil || l.phase == logsReading {
		return nil
	}
	id, ctx := s.reqs.Start(s.cfg.Ctx, "reading logs…")
	l.req, l.phase, l.prog, l.err = id, logsReading, &logProgress{}, ""
	l.ver++
	src, tr, td, token, prog, loc := l.src, s.rd.raw.trace, s.rd.raw.td, s.token, l.prog, s.cfg.Location
	return func() tea.Msg {
		res, err := src.Lookup(ctx, tr.ID, logs.Options{Location: loc, Progress: prog.set})
		if err != nil {
			return logsMsg{token: token, req: id, err: err}
		}
		return logsMsg{token: token, req: id, idx: buildLogIndex(res, tr, td)}
	}
}

// gotLogs installs a lookup's result; a stale one is dropped.
func (s *state) gotLogs(msg logsMsg) tea.Cmd {
	l := &s.logs
	if msg.token != s.token || msg.req != l.req || !s.reqs.Finish(msg.req) {
		return nil
	}
	l.ver++
	if msg.err != nil {
		l.phase, l.err = logsFailed, shell.DescribeError(msg.err)
		return statusCmd("logs: "+l.err+" (L tries again)", true)
	}
	l.phase, l.idx = logsDone, msg.idx
	s.wf.logMarks = msg.idx.marks
	text := "logs: " + msg.idx.summary
	if len(msg.idx.warnings) > 0 {
		text += "; " + msg.idx.warnings[0]
	}
	return statusCmd(text, len(msg.idx.warnings) > 0)
}

// stopLogs stops a lookup in flight; false when none is.
func (s *state) stopLogs() bool {
	l := &s.logs
	if l.phase != logsReading {
		return false
	}
	s.reqs.Cancel(l.req)
	l.phase = logsStopped
	l.ver++
	return true
}

// logsKey is the logs pane's key: it opens (or closes) the pane, and reads
// the logs again after a stop or a failure.
func (s *state) logsKey() tea.Cmd {
	switch s.logs.phase {
	case logsOff:
		return statusCmd("no log files: start with --logs PATH (or logs: in a profile)", false)
	case logsStopped, logsFailed:
		if s.pane.kind != paneLogs {
			s.openPane(paneLogs)
		}
		return s.startLogs()
	}
	s.openPane(paneLogs)
	return nil
}

// Busy reports a log lookup in flight and how far it is, for the status
// bar (whose spinner redraws it).
func (m Model) Busy() (bool, string) {
	if m.s == nil || m.s.logs.phase != logsReading {
		return false, ""
	}
	return true, m.s.logs.prog.label()
}

// Column widths of a log line.
const (
	logOffsetW = 8
	logLevelW  = 5
)

// buildLogIndex cleans and lays out the lines of res for trace tr, whose
// tree is td. It runs in the lookup's command.
func buildLogIndex(res *logs.Result, tr *backend.Trace, td *treeData) *logIndex {
	tree := td.tree
	spans := make(map[backend.SpanID]int32, len(tree.SpanIDs))
	for i, id := range tree.SpanIDs {
		spans[id] = int32(i)
	}
	idx := &logIndex{
		entries: make([]logEntry, len(res.Lines)),
		bySpan:  map[int32][]int32{},
		marks:   make([]uint8, len(tr.Spans)),
		summary: textsafe.Clean(res.Summary()),
	}
	for _, w := range res.Warnings {
		idx.warnings = append(idx.warnings, textsafe.Clean(w))
	}
	for k := range res.Lines {
		l := &res.Lines[k]
		e := logEntry{span: -1, err: l.Error, offset: "?", level: "-"}
		if si, ok := spans[l.SpanID]; ok && l.SpanID != "" {
			e.span = si
			e.where = td.services[td.svc[si]] + " " + td.ops[si]
			idx.bySpan[si] = append(idx.bySpan[si], int32(k))
			idx.marks[si] = max(idx.marks[si], 1)
			if l.Error {
				idx.marks[si] = 2
			}
		} else {
			idx.unattached++
			e.where = textsafe.Truncate(l.Service, 40)
			if e.where != "" {
				e.where += " "
			}
			if l.SpanID == "" {
				e.where += "(no span)"
			} else {
				e.where += "(span " + textsafe.Truncate(string(l.SpanID), 16) + " not in trace)"
			}
		}
		if l.Error {
			idx.errors++
		}
		if l.Time != 0 {
			d := present.Sub(l.Time, tree.Start)
			e.offset = format.Duration(d)
			if d >= 0 {
				e.offset = "+" + e.offset
			}
		}
		if lv := textsafe.Truncate(strings.ToUpper(l.Level), logLevelW); lv != "" {
			e.level = lv
		}
		e.text, e.fields = logText(l)
		e.hay = strings.ToLower(e.level + " " + e.where + " " + e.text)
		e.copy = copyValue(l.Message)
		if e.copy == "" {
			e.copy = e.text
		}
		idx.entries[k] = e
	}
	return idx
}

// logText is a line's message then its fields, cleaned and bounded; fields
// is the byte offset where the fields start.
func logText(l *logs.Line) (text string, fields int) {
	var b strings.Builder
	b.WriteString(textsafe.Clean(boundBytes(l.Message, maxLogText)))
	fields = b.Len()
	for _, f := range l.Fields {
		if b.Len() >= maxLogText {
			break
		}
		if b.Len() > 0 {
			b.WriteString("  ")
		}
		b.WriteString(textsafe.Truncate(f.Key, 40))
		if f.Value != "" {
			b.WriteString("=" + textsafe.Truncate(f.Value, 200))
		}
	}
	return b.String(), fields
}

// boundBytes cuts s to at most n bytes at a rune boundary.
func boundBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xc0 == 0x80 {
		n--
	}
	return s[:n] + textsafe.Ellipsis
}
