// Package tracepairs makes the trace pairs of the comparison tests from a
// real-looking trace: the same request with one call slowed down, or with
// one call failed and retried. The analysis tests of Compare and the
// comparison screen's tests both use them.
package tracepairs

import (
	"fmt"
	"slices"
	"testing"

	"github.com/tracetui/tracetui/backend"
)

// FindSpan is the index of the first span of service and op; the test
// fails when there is none.
func FindSpan(t testing.TB, tr *backend.Trace, service, op string) int {
	t.Helper()
	for i := range tr.Spans {
		if tr.Spans[i].Service == service && tr.Spans[i].Operation == op {
			return i
		}
	}
	t.Fatalf("no span %s %s", service, op)
	return -1
}

// Ancestors returns the indexes of span i's ancestors.
func Ancestors(tr *backend.Trace, i int) map[int]bool {
	byID := map[backend.SpanID]int{}
	for k := range tr.Spans {
		byID[tr.Spans[k].SpanID] = k
	}
	out := map[int]bool{}
	for p, ok := byID[tr.Spans[i].ParentID]; ok && !out[p]; p, ok = byID[tr.Spans[p].ParentID] {
		out[p] = true
	}
	return out
}

// SlowDown makes span i take extra ns longer, as a slow call would: its
// ancestors end later by as much and everything that started after it
// ended moves along.
func SlowDown(tr *backend.Trace, i int, extra int64) *backend.Trace {
	c := &backend.Trace{ID: "b0" + tr.ID[2:], Spans: slices.Clone(tr.Spans)}
	end := tr.Spans[i].End()
	anc := Ancestors(tr, i)
	for k := range c.Spans {
		s := &c.Spans[k]
		switch {
		case k == i || anc[k]:
			s.Duration += extra
		case s.Start >= end:
			s.Start += extra
		}
	}
	return c
}

// WithRetry makes span i fail and repeats its whole subtree right after it,
// as a client retrying a call would.
func WithRetry(tr *backend.Trace, i int) *backend.Trace {
	d, end := tr.Spans[i].Duration, tr.Spans[i].End()
	c := SlowDown(tr, i, 0)
	c.ID = "c0" + tr.ID[2:] // apart from a slowed copy of the same trace
	anc := Ancestors(tr, i)
	for k := range c.Spans {
		s := &c.Spans[k]
		switch {
		case anc[k]:
			s.Duration += d
		case s.Start >= end:
			s.Start += d
		}
	}
	// The subtree of i, copied with new IDs.
	in := map[backend.SpanID]bool{tr.Spans[i].SpanID: true}
	newID := map[backend.SpanID]backend.SpanID{}
	for changed := true; changed; {
		changed = false
		for k := range tr.Spans {
			s := &tr.Spans[k]
			if !in[s.SpanID] && in[s.ParentID] {
				in[s.SpanID], changed = true, true
			}
		}
	}
	for k := range tr.Spans {
		s := tr.Spans[k]
		if !in[s.SpanID] {
			continue
		}
		newID[s.SpanID] = backend.SpanID(fmt.Sprintf("%016x", 0xabc000+k))
	}
	for k := range tr.Spans {
		s := tr.Spans[k]
		if !in[s.SpanID] {
			continue
		}
		s.SpanID = newID[s.SpanID]
		if p, ok := newID[s.ParentID]; ok {
			s.ParentID = p
		}
		s.References = []backend.Ref{{Type: backend.RefChildOf, TraceID: s.TraceID, SpanID: s.ParentID}}
		s.Start += d
		c.Spans = append(c.Spans, s)
	}
	c.Spans[i].Error = true
	return c
}
