package analysis

import (
	"slices"

	"github.com/tracetui/tracetui/backend"
)

// errorReason is the most telling message of an error span: its status
// message, else an error or exception message tag, else such a field of one
// of its events. The result is raw (sanitize before showing it).
//
// A shared version for the whole program is being added to this package
// (with the error-origin work); this private copy goes when it lands.
func errorReason(s *backend.Span) string {
	if s.Status.Message != "" {
		return s.Status.Message
	}
	keys := [...]string{"error.message", "exception.message", "message", "error.object"}
	for _, k := range keys {
		if kv, ok := s.Tag(k); ok {
			return kv.Value()
		}
	}
	for _, l := range s.Logs {
		for _, f := range l.Fields {
			if slices.Contains(keys[:], f.Key) {
				return f.Value()
			}
		}
	}
	return ""
}
