package analysis

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tracetui/tracetui/backend"
)

// sb builds hand-made spans compactly: sp("b", "a", 10, 20) is span b, child of
// a, from 10 to 30 ns.
type spanOpt func(*backend.Span)

func sp(id, parent string, start, dur int64, opts ...spanOpt) backend.Span {
	s := backend.Span{
		TraceID:   "t1",
		SpanID:    backend.SpanID(id),
		ParentID:  backend.SpanID(parent),
		Service:   "svc",
		Operation: "op-" + id,
		Start:     start,
		Duration:  dur,
	}
	if parent != "" {
		s.References = []backend.Ref{{Type: backend.RefChildOf, SpanID: backend.SpanID(parent)}}
	}
	for _, o := range opts {
		o(&s)
	}
	return s
}

func svc(name string) spanOpt { return func(s *backend.Span) { s.Service = name } }

func opName(name string) spanOpt { return func(s *backend.Span) { s.Operation = name } }

func kind(k backend.SpanKind) spanOpt { return func(s *backend.Span) { s.Kind = k } }

func errored() spanOpt { return func(s *backend.Span) { s.Error = true } }

func followsFrom() spanOpt {
	return func(s *backend.Span) {
		for i := range s.References {
			s.References[i].Type = backend.RefFollowsFrom
		}
	}
}

func tags(kvs ...backend.KeyValue) spanOpt {
	return func(s *backend.Span) { s.Tags = append(s.Tags, kvs...) }
}

func proc(p *backend.Process) spanOpt {
	return func(s *backend.Span) {
		s.Process = p
		s.Service = p.Service
	}
}

func logs(ls ...backend.Log) spanOpt { return func(s *backend.Span) { s.Logs = append(s.Logs, ls...) } }

func trace(spans ...backend.Span) *backend.Trace {
	return &backend.Trace{ID: "t1", Spans: spans}
}

// idx finds a span's index by its original ID (the first one with that ID).
func idx(t *testing.T, tr *Tree, id string) int32 {
	t.Helper()
	for i := range tr.Trace.Spans {
		if string(tr.Trace.Spans[i].SpanID) == id {
			return int32(i)
		}
	}
	t.Fatalf("no span %q", id)
	return -1
}

// ids maps indexes to unique span IDs for readable failures.
func ids(tr *Tree, list []int32) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = string(tr.SpanIDs[v])
	}
	return out
}

func sectionsString(tr *Tree, cp *CriticalPath) string {
	var b strings.Builder
	for _, s := range cp.Sections {
		fmt.Fprintf(&b, "%s[%d,%d] ", tr.SpanIDs[s.Span], s.Start, s.End)
	}
	return strings.TrimSpace(b.String())
}

func hasWarning(ws []string, sub string) bool {
	return slices.ContainsFunc(ws, func(w string) bool { return strings.Contains(w, sub) })
}
