package analysis

import (
	"github.com/tracetui/tracetui/backend"
)

// errorReason is the most telling message of an error span, in order: its
// status message; an error.message, exception.message, message or
// error.object tag; such a field of one of its events; an "error" tag or
// event field that holds text rather than true (Zipkin's error tag, and
// OpenTracing's error events as HotROD logs them). The result is raw
// (sanitize before showing it).
//
// A shared version for the whole program is being added to this package
// (with the error-origin work); this private copy goes when it lands.
func errorReason(s *backend.Span) string {
	if s.Status.Message != "" {
		return s.Status.Message
	}
	for _, k := range reasonKeys {
		if kv, ok := s.Tag(k); ok {
			return kv.Value()
		}
	}
	for _, l := range s.Logs {
		for _, f := range l.Fields {
			if isReasonKey(f.Key) {
				return f.Value()
			}
		}
	}
	if kv, ok := s.Tag("error"); ok && isText(kv) {
		return kv.Str
	}
	for _, l := range s.Logs {
		for _, f := range l.Fields {
			if f.Key == "error" && isText(f) {
				return f.Str
			}
		}
	}
	return ""
}

var reasonKeys = [...]string{"error.message", "exception.message", "message", "error.object"}

func isReasonKey(k string) bool {
	for _, r := range reasonKeys {
		if k == r {
			return true
		}
	}
	return false
}

// isText reports a string value that says more than that there was an
// error.
func isText(kv backend.KeyValue) bool {
	if kv.Type != backend.TypeString {
		return false
	}
	switch kv.Str {
	case "", "true", "false", "True", "TRUE", "1":
		return false
	}
	return true
}
