package present

import (
	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend"
)

// SpanStatus is a span's status line in the span detail of `show` and of
// the TUI: "error: redis timeout", "error (tag): payment declined", "ok",
// "unset"; "" for a span with neither a status nor an error. The reason is
// analysis.ErrorReason's (status message, else an exception or error
// event, else error tags), so that both say the same. The text is raw:
// callers clean it.
func SpanStatus(s *backend.Span) string {
	if !s.Error && s.Status.Code == backend.StatusUnset {
		return ""
	}
	st := "ok"
	switch {
	case s.Status.Code == backend.StatusError:
		st = "error"
	case s.Error:
		st = "error (tag)"
	case s.Status.Code == backend.StatusUnset:
		st = "unset"
	}
	if s.Error || s.Status.Code == backend.StatusError {
		if m := analysis.ErrorReason(s); m != "" {
			st += ": " + m
		}
	} else if s.Status.Message != "" {
		st += ": " + s.Status.Message
	}
	return st
}
