package demo

import (
	"slices"
	"testing"

	"github.com/tracetui/tracetui/backend"
)

// shape says which deliberate irregularities a trace may have.
type shape struct {
	orphans int  // spans whose parent is missing
	skew    bool // spans on another host may lie outside their parent
}

func hostOf(s *backend.Span) string {
	if s.Process == nil {
		return ""
	}
	for _, kv := range s.Process.Tags {
		if kv.Key == "host.name" {
			return kv.Str
		}
	}
	return ""
}

// checkWellFormed asserts the properties every demo trace has; it reports
// through t and returns the number of problems so callers can stop early.
func checkWellFormed(t *testing.T, tr *backend.Trace, want shape) int {
	t.Helper()
	problems := 0
	fail := func(format string, args ...any) {
		t.Helper()
		problems++
		if problems <= 10 {
			t.Errorf("trace %s: "+format, append([]any{tr.ID}, args...)...)
		}
	}
	if !tr.ID.Valid() {
		fail("trace ID is not 32 hex")
	}
	services := ServiceNames()
	byID := make(map[backend.SpanID]int, len(tr.Spans))
	for i := range tr.Spans {
		s := &tr.Spans[i]
		if _, dup := byID[s.SpanID]; dup {
			fail("duplicate span ID %s", s.SpanID)
		}
		byID[s.SpanID] = i
		if id, err := backend.ParseSpanID(string(s.SpanID)); err != nil || id != s.SpanID || id == "0000000000000000" {
			fail("span ID %q is not 16 lowercase hex", s.SpanID)
		}
	}
	roots, orphans := 0, 0
	for i := range tr.Spans {
		s := &tr.Spans[i]
		if s.TraceID != tr.ID {
			fail("span %s has trace ID %s", s.SpanID, s.TraceID)
		}
		if !slices.Contains(services, s.Service) {
			fail("span %s has unknown service %q", s.SpanID, s.Service)
		}
		if s.Process == nil || s.Process.Service != s.Service || hostOf(s) == "" {
			fail("span %s has no process of its service with a host.name", s.SpanID)
		}
		if s.Operation == "" || s.Kind == backend.KindUnspecified {
			fail("span %s has no operation or kind", s.SpanID)
		}
		if s.Start <= 0 || s.Duration <= 0 {
			fail("span %s has start %d duration %d", s.SpanID, s.Start, s.Duration)
		}
		if s.Start%1000 != 0 || s.Duration%1000 != 0 {
			fail("span %s times are not whole microseconds", s.SpanID)
		}
		// Finish must already have run: running it again changes nothing.
		again := *s
		again.Finish()
		if again.ParentID != s.ParentID || again.Error != s.Error {
			fail("span %s was not finished", s.SpanID)
		}
		for _, l := range s.Logs {
			if l.Time < s.Start || l.Time > s.End() {
				fail("span %s has a log outside the span", s.SpanID)
			}
			if len(l.Fields) == 0 {
				fail("span %s has an empty log", s.SpanID)
			}
		}
		if s.ParentID == "" {
			roots++
			if len(s.References) != 0 {
				fail("root %s has references", s.SpanID)
			}
			continue
		}
		pi, ok := byID[s.ParentID]
		if !ok {
			orphans++
			continue
		}
		p := &tr.Spans[pi]
		ref := s.References[0]
		switch s.Kind {
		case backend.KindServer:
			if p.Kind != backend.KindClient || p.Service == s.Service {
				fail("server span %s (%s) has parent %s of kind %v in %s", s.SpanID, s.Service, p.SpanID, p.Kind, p.Service)
			}
		case backend.KindConsumer:
			if p.Kind != backend.KindProducer || ref.Type != backend.RefFollowsFrom {
				fail("consumer span %s does not follow from a producer", s.SpanID)
			}
		default:
			if p.Service != s.Service {
				fail("%v span %s is in %s but its parent is in %s", s.Kind, s.SpanID, s.Service, p.Service)
			}
		}
		if ref.Type == backend.RefFollowsFrom {
			if s.Start < p.Start {
				fail("async span %s starts before the span it follows", s.SpanID)
			}
			continue
		}
		inside := s.Start >= p.Start && s.End() <= p.End()
		if !inside && !(want.skew && hostOf(s) != hostOf(p)) {
			fail("span %s [%d,%d] lies outside its parent %s [%d,%d]", s.SpanID, s.Start, s.End(), p.SpanID, p.Start, p.End())
		}
	}
	if orphans != want.orphans {
		fail("%d spans with a missing parent, want %d", orphans, want.orphans)
	}
	if roots != 1 {
		fail("%d roots, want 1", roots)
	}
	return problems
}
