// Package shell holds what the screens of the tracetui shell share: request
// bookkeeping (IDs, cancellation, staleness), status messages and layout
// helpers that keep every view at an exact size.
//
// Value or pointer: Requests and Seq are shared by pointer (a screen and
// the root track the same requests); StatusMsg is a value that can only be
// made by Notice or Failure.
package shell

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/internal/textsafe"
)

// RequestID identifies one backend request; results carry it back so that a
// result nobody waits for any more is dropped.
type RequestID uint64

// Seq hands out request IDs that are unique in one program. It is used only
// on the Update goroutine.
type Seq struct{ n RequestID }

// Next returns a fresh ID.
func (s *Seq) Next() RequestID {
	s.n++
	return s.n
}

// Requests tracks the requests a screen has in flight. Leaving the screen
// cancels them all (CancelAll); a result whose ID is no longer tracked is
// stale. Used only on the Update goroutine.
type Requests struct {
	seq  *Seq
	live map[RequestID]request
}

type request struct {
	cancel context.CancelFunc
	label  string
	order  RequestID
}

// NewRequests starts tracking requests with IDs from seq.
func NewRequests(seq *Seq) *Requests {
	if seq == nil {
		seq = &Seq{}
	}
	return &Requests{seq: seq, live: map[RequestID]request{}}
}

// Start registers a request described by label ("searching…") and returns
// its ID and a context that Cancel, CancelAll or Finish end.
func (r *Requests) Start(parent context.Context, label string) (RequestID, context.Context) {
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithCancel(parent)
	id := r.seq.Next()
	r.live[id] = request{cancel: cancel, label: label, order: id}
	return id, ctx
}

// Finish reports whether the request is still awaited, and forgets it.
func (r *Requests) Finish(id RequestID) bool {
	req, ok := r.live[id]
	if ok {
		req.cancel()
		delete(r.live, id)
	}
	return ok
}

// Cancel ends one request; its result, if it still comes, is stale.
func (r *Requests) Cancel(id RequestID) {
	r.Finish(id)
}

// CancelAll ends every request of the screen.
func (r *Requests) CancelAll() {
	for id, req := range r.live {
		req.cancel()
		delete(r.live, id)
	}
}

// Busy reports whether a request is in flight and describes the newest one.
func (r *Requests) Busy() (bool, string) {
	var newest request
	for _, req := range r.live {
		if req.order > newest.order {
			newest = req
		}
	}
	return len(r.live) > 0, newest.label
}

// Fit cuts or pads one line to exactly width cells. The line may hold
// styles; it must hold no untrusted text that was not cleaned.
func Fit(line string, width int) string {
	if width <= 0 {
		return ""
	}
	w := ansi.StringWidth(line)
	switch {
	case w > width:
		line = ansi.Truncate(line, width, "…")
		if w := ansi.StringWidth(line); w < width {
			line += strings.Repeat(" ", width-w)
		}
		return line
	case w < width:
		return line + strings.Repeat(" ", width-w)
	}
	return line
}

// Wrap breaks one cleaned line into lines of at most width cells: at
// spaces where it can, inside a long word (a URL, an ID) where it must.
// For what a user has to read whole, such as an error, where cutting it
// with an ellipsis would hide the part that says what to do.
func Wrap(line string, width int) []string {
	if width <= 0 {
		return nil
	}
	out := strings.Split(ansi.Wrap(line, width, ""), "\n")
	for i, l := range out {
		out[i] = strings.TrimRight(l, " ")
	}
	return out
}

// Block joins lines into exactly height lines of exactly width cells.
func Block(lines []string, width, height int) string {
	if height <= 0 {
		return ""
	}
	var b strings.Builder
	for i := range height {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(lines) {
			b.WriteString(Fit(lines[i], width))
		} else {
			b.WriteString(strings.Repeat(" ", max(width, 0)))
		}
	}
	return b.String()
}

// Lines splits a rendered block into its lines.
func Lines(s string) []string {
	return strings.Split(s, "\n")
}

// DescribeError is an error for the status bar: one line, cleaned, with
// what the user can act on first. A *backend.Error leads with its kind,
// status and detail (the body excerpt, the TLS or network reason) and ends
// with the endpoint, so that a narrow status bar cuts the URL, not the
// reason (the backend is named on the status bar's right anyway).
func DescribeError(err error) string {
	if err == nil {
		return ""
	}
	var e *backend.Error
	if !errors.As(err, &e) {
		return OneLine(textsafe.Clean(OneLine(err.Error())))
	}
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op + ": ")
	}
	b.WriteString(e.Kind.String())
	if e.Status != 0 {
		b.WriteString(" (HTTP " + strconv.Itoa(e.Status) + ")")
	}
	if e.Kind == backend.DecodeError && e.Offset > 0 {
		b.WriteString(" at byte " + strconv.FormatInt(e.Offset, 10))
	}
	switch {
	case e.Excerpt != "":
		b.WriteString(": " + e.Excerpt)
	case e.Err != nil:
		b.WriteString(": " + e.Err.Error())
	}
	if e.URL != "" {
		b.WriteString(" · " + e.URL)
	}
	return OneLine(textsafe.Clean(OneLine(b.String())))
}

// Defaults fills what a screen's config left zero: the clock, the context,
// dark styles and a private request tracker. The search form and the trace
// list share it so that both start the same way outside the root (in tests).
func Defaults(now *func() time.Time, ctx *context.Context, st **style.Sheet, reqs **Requests) {
	if *now == nil {
		*now = time.Now
	}
	if *ctx == nil {
		*ctx = context.Background()
	}
	if *st == nil {
		*st = style.New(true)
	}
	if *reqs == nil {
		*reqs = NewRequests(nil)
	}
}
