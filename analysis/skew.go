package analysis

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tracetui/tracetui/backend"
)

// MaxSkewAdjustment caps the shift the adjusted view applies to one span.
// Hosts kept by NTP drift by milliseconds; a larger computed shift more
// likely means broken timestamps (wrong units, a stuck clock) than a clock
// offset, and moving a span by more than this would hide that (jaeger#2053
// caps for the same reason). The raw view is always available.
const MaxSkewAdjustment = int64(time.Minute)

// hostTagRank ranks the process (resource) tags that name a host, most
// specific first (lower is better): OpenTelemetry's host.id, Zipkin endpoint
// IPs as decoded here, Jaeger clients' ip and hostname; 0 for other keys.
func hostTagRank(key string) int {
	switch key {
	case "host.id":
		return 1
	case "host.ip":
		return 2
	case "ip":
		return 3
	case "host.ipv6":
		return 4
	case "host.name":
		return 5
	case "hostname":
		return 6
	}
	return 0
}

// hostClass groups host tags by what they name, so that one process's
// host.ip and another's ip compare equal.
func hostClass(rank int) string {
	switch rank {
	case 1:
		return "id:"
	case 5, 6:
		return "name:"
	}
	return "ip:"
}

// hostKey identifies a span's clock: a host tag of its process, else Jaeger
// v2's net.host.ip span tag, else the process itself, else the service.
type hostKey struct {
	// class and tag: a host tag's class (hostClass) and value, kept apart
	// so that comparing two spans' hosts builds no string.
	class, tag string
	proc       *backend.Process
	svc        string
}

func spanHost(s *backend.Span) hostKey {
	if s.Process != nil {
		best, bestRank := -1, 0
		for k, kv := range s.Process.Tags {
			if r := hostTagRank(kv.Key); r > 0 && (best < 0 || r < bestRank) && kv.Value() != "" {
				best, bestRank = k, r
			}
		}
		if best >= 0 {
			return hostKey{class: hostClass(bestRank), tag: s.Process.Tags[best].Value()}
		}
	}
	if kv, ok := s.Tag("net.host.ip"); ok && kv.Value() != "" {
		return hostKey{class: hostClass(2), tag: kv.Value()}
	}
	if s.Process != nil {
		return hostKey{proc: s.Process}
	}
	return hostKey{svc: s.Service}
}

// sameHost reports whether two spans ran on one clock. Spans of one
// process always did.
func sameHost(a, b *backend.Span) bool {
	if a.Process != nil && a.Process == b.Process {
		return true
	}
	return spanHost(a) == spanHost(b)
}

// calculateSkew is Jaeger's symmetric-latency estimate of how far a child on
// another host must move to sit inside its parent: a child longer than its
// parent (or one that does not block it) is only kept from starting before
// the parent; a child inside needs nothing; otherwise it is centred.
func calculateSkew(ps, pd, cs, cd int64, blocking bool) int64 {
	if cd > pd || !blocking {
		if cs < ps {
			return ps - cs
		}
		return 0
	}
	if cs >= ps && cs+cd <= ps+pd {
		return 0
	}
	latency := (pd - cd) / 2
	return ps + latency - cs
}

// DetectSkew finds spans whose times cannot be right next to their parent's
// on another host (a child starting before its parent, or a blocking child
// ending after it) and computes the adjusted view's shift for them the way
// Jaeger's and Zipkin's adjusters do: walking down from the roots, a child on
// another host is compared with its parent as already shifted, and a shift is
// inherited by same-host descendants. Shifts beyond MaxSkewAdjustment are
// not applied (Delta 0) and say so. Skew.Warning says what was seen and
// what the adjusted view does; raw times stay the default.
func DetectSkew(tree *Tree) []Skew {
	return DetectSkewLimit(tree, MaxSkewAdjustment)
}

// DetectSkewLimit is DetectSkew with another cap (ns); 0 or less disables
// adjustment while still detecting.
func DetectSkewLimit(tree *Tree, maxDelta int64) []Skew {
	spans := tree.Trace.Spans
	eff := make([]int64, len(spans))
	skews := []Skew{}
	// Tree order jumps around the span structs; the common case (a
	// consistent child) only needs these compact copies.
	starts, ends := intervals(spans)
	nb := nonBlockingFlags(tree)
	for _, v := range tree.Order {
		p := tree.Parent[v]
		if p < 0 {
			continue
		}
		cs, cd := starts[v], ends[v]-starts[v]
		pStart, pd := starts[p], ends[p]-starts[p]
		blocking := !nb[v]
		rawBad := cs < pStart || (blocking && cs+cd > pStart+pd)
		adjStart := pStart + eff[p]
		delta := calculateSkew(adjStart, pd, cs, cd, blocking)
		if !rawBad && delta == 0 && eff[p] == 0 {
			continue // consistent, and nothing to inherit: no host lookup needed
		}
		s, ps := &spans[v], &spans[p]
		if sameHost(s, ps) {
			eff[v] = eff[p]
			continue
		}
		if !rawBad && delta == 0 {
			continue
		}
		sk := Skew{Span: v, Shift: delta, limit: maxDelta}
		switch {
		case cs < pStart:
			sk.seen, sk.gap = seenStartsBefore, pStart-cs
		case rawBad:
			sk.seen, sk.gap = seenEndsAfter, cs+cd-pStart-pd
		default:
			sk.seen = seenOutsideShifted
		}
		if delta != 0 && maxDelta > 0 && delta <= maxDelta && delta >= -maxDelta {
			sk.Delta = delta
		}
		eff[v] = sk.Delta
		skews = append(skews, sk)
	}
	countInherited(tree, skews, eff)
	return skews
}

// skewSeen is what made a span's times inconsistent with its parent's.
type skewSeen uint8

const (
	seenStartsBefore   skewSeen = iota // it starts before its parent
	seenEndsAfter                      // a blocking child ends after its parent
	seenOutsideShifted                 // it falls outside its parent once that moved
)

// Warning says what was seen and what the adjusted view does, naming the
// span and its parent by their IDs in tree (the raw tree or its adjusted
// copy: both have the same spans and IDs).
func (sk *Skew) Warning(tree *Tree) string {
	v := sk.Span
	if v < 0 || int(v) >= len(tree.Parent) {
		return "clock skew"
	}
	s := &tree.Trace.Spans[v]
	parent := backend.SpanID("?")
	if p := tree.Parent[v]; p >= 0 {
		parent = tree.SpanIDs[p]
	}
	var seen string
	switch sk.seen {
	case seenStartsBefore:
		seen = fmt.Sprintf("starts %s before its parent %s", fmtNs(sk.gap), parent)
	case seenEndsAfter:
		seen = fmt.Sprintf("ends %s after its parent %s", fmtNs(sk.gap), parent)
	default:
		seen = fmt.Sprintf("falls outside its parent %s once the parent is shifted", parent)
	}
	var does string
	switch {
	case sk.Shift == 0:
		does = "no shift computed (the child outlasts its parent or does not block it)"
	case sk.limit <= 0:
		does = fmt.Sprintf("clock skew adjustment disabled; not applying the computed shift of %s", fmtSigned(sk.Shift))
	case sk.Delta == 0:
		does = fmt.Sprintf("computed shift of %s exceeds the %s cap; not applied", fmtSigned(sk.Shift), fmtNs(sk.limit))
	default:
		does = fmt.Sprintf("the adjusted view shifts it by %s", fmtSigned(sk.Delta))
	}
	w := fmt.Sprintf("clock skew: span %s (%s %s) on another host %s; %s", tree.SpanIDs[v], s.Service, s.Operation, seen, does)
	if sk.Inherited > 0 {
		w += fmt.Sprintf(" with %d same-host descendant span(s)", sk.Inherited)
	}
	return w
}

// SkewWarnings are the trace-level warnings for skews: each in full when
// there are few, else a count first and the first few (in tree order) after
// it, so that a trace with 300,000 skewed spans costs ten formatted lines,
// not 300,000.
func SkewWarnings(tree *Tree, skews []Skew) []string {
	if len(skews) == 0 {
		return nil
	}
	var out []string
	if len(skews) > maxListedWarnings {
		shifted, moved := 0, 0
		for k := range skews {
			if skews[k].Delta != 0 {
				shifted++
				moved += int(skews[k].Inherited)
			}
		}
		out = append(out, fmt.Sprintf("clock skew: %s spans are inconsistent with their parent on another host; "+
			"the adjusted view shifts %s of them and %s same-host descendants; the first %d follow",
			thousands(len(skews)), thousands(shifted), thousands(moved), maxListedWarnings))
	}
	for k := range skews[:min(len(skews), maxListedWarnings)] {
		out = append(out, skews[k].Warning(tree))
	}
	return out
}

// thousands writes n with comma separators: 321160 is 321,160.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// countInherited counts for each applied skew how many same-host
// descendants move with it.
func countInherited(tree *Tree, skews []Skew, eff []int64) {
	if len(skews) == 0 {
		return
	}
	n := len(eff)
	own := make([]int32, n) // 1 + index into skews, 0 when none
	for k, sk := range skews {
		own[sk.Span] = int32(k) + 1
	}
	src := make([]int32, n) // 1 + index of the skew whose shift span i carries
	for _, v := range tree.Order {
		switch p := tree.Parent[v]; {
		case own[v] != 0:
			src[v] = own[v]
		case p >= 0 && eff[v] != 0 && src[p] != 0:
			src[v] = src[p]
			skews[src[v]-1].Inherited++
		}
	}
}

// AdjustedStarts returns each span's start in the adjusted view: raw start
// plus its own Skew delta, or the delta its parent carries when on the same
// host. Spans with no skew and no shifted same-host ancestor keep raw times.
// Apply the same per-span difference to logs (AdjustedTrace does).
func AdjustedStarts(tree *Tree, skews []Skew) []int64 {
	spans := tree.Trace.Spans
	n := len(spans)
	starts := make([]int64, n)
	eff := make([]int64, n)
	has := make([]bool, n)
	for _, sk := range skews {
		if sk.Span >= 0 && int(sk.Span) < n {
			eff[sk.Span], has[sk.Span] = sk.Delta, true
		}
	}
	for _, v := range tree.Order {
		if p := tree.Parent[v]; !has[v] && p >= 0 && eff[p] != 0 && sameHost(&spans[v], &spans[p]) {
			eff[v] = eff[p]
		}
		starts[v] = spans[v].Start + eff[v]
	}
	return starts
}

// AdjustedTrace returns a copy of the trace in the adjusted view: shifted
// spans get new start and log times and a warning saying by how much; the
// trace gets a warning counting them. The input is not modified; tags and
// other slices are shared. Analyze the copy for adjusted statistics and
// critical path.
func AdjustedTrace(tree *Tree, skews []Skew) *backend.Trace {
	src := tree.Trace
	starts := AdjustedStarts(tree, skews)
	out := &backend.Trace{ID: src.ID, Spans: make([]backend.Span, len(src.Spans)), Warnings: src.Warnings}
	copy(out.Spans, src.Spans)
	shifted := 0
	// A shift is inherited by whole subtrees: one text per distinct shift,
	// not one per span.
	texts := map[int64]string{}
	for i := range out.Spans {
		s := &out.Spans[i]
		d := starts[i] - s.Start
		if d == 0 {
			continue
		}
		shifted++
		s.Start = starts[i]
		if len(s.Logs) > 0 {
			logs := make([]backend.Log, len(s.Logs))
			for k, l := range s.Logs {
				logs[k] = backend.Log{Time: l.Time + d, Fields: l.Fields}
			}
			s.Logs = logs
		}
		text, ok := texts[d]
		if !ok {
			text = fmt.Sprintf("clock skew: timestamps shifted by %s in the adjusted view", fmtSigned(d))
			texts[d] = text
		}
		s.Warnings = append(s.Warnings[:len(s.Warnings):len(s.Warnings)], text)
	}
	if shifted > 0 {
		out.Warnings = append(src.Warnings[:len(src.Warnings):len(src.Warnings)],
			fmt.Sprintf("adjusted view: %d span(s) shifted to correct clock skew; raw times differ", shifted))
	}
	return out
}

func fmtNs(ns int64) string { return time.Duration(ns).String() }

func fmtSigned(ns int64) string {
	if ns >= 0 {
		return "+" + fmtNs(ns)
	}
	return fmtNs(ns)
}
