package zipkin

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/tracetui/tracetui/backend"
)

// Tag and process-tag keys that carry Zipkin endpoint fields. The local
// endpoint becomes the span's Process (host.* as OpenTelemetry names them,
// which is also what clock-skew host detection reads); the remote endpoint
// becomes peer.* span tags, as Jaeger's Zipkin converter names them.
const (
	TagHostIP   = "host.ip"
	TagHostIPv6 = "host.ipv6"
	TagHostPort = "host.port"
	TagPeerSvc  = "peer.service"
	TagPeerIPv4 = "peer.ipv4"
	TagPeerIPv6 = "peer.ipv6"
	TagPeerPort = "peer.port"
	// TagDebug is set (bool true) on spans that Zipkin marked debug.
	TagDebug = "zipkin.debug"
)

// Warnings added to spans whose times had to be made up.
const (
	warnNoTimestampParent = "Zipkin span has no timestamp; start taken from its parent"
	warnNoTimestampTrace  = "Zipkin span has no timestamp; start taken from the trace's first span"
	warnNoTimestamp       = "Zipkin span has no timestamp"
	warnNoDuration        = "Zipkin span has no duration (still in progress or one-way)"
	warnBadDuration       = "Zipkin span has a negative duration; shown as 0"
	warnClamped           = "Zipkin span timestamp out of range; clamped"
	warnNoTraceID         = "spans without a traceId were grouped together"
)

// maxMicros is the largest µs value whose ns form fits an int64.
const maxMicros = math.MaxInt64 / 1000

type endpoint struct {
	service, ipv4, ipv6 string
	port                int64
}

func (e endpoint) empty() bool { return e == endpoint{} }

// localEndpoint is one distinct local endpoint of a Decode call with its
// *Process, made when the first span of the endpoint is converted.
type localEndpoint struct {
	endpoint
	proc *backend.Process
}

type annotation struct {
	ts    int64
	value string
}

// tag is one Zipkin tag; a span's tags are kept sorted by key.
type tag struct{ k, v string }

// zspan is one Zipkin span while it is being cleaned and merged.
type zspan struct {
	traceID    backend.TraceID
	id, parent backend.SpanID
	name, kind string
	ts, dur    int64 // µs; 0 means absent, as in Zipkin
	hasDur     bool
	// local is shared by the spans with equal local endpoints and never
	// changed in place; it is never nil once the span is read.
	local *localEndpoint
	// remote is shared by the spans with equal remote endpoints and never
	// changed in place; nil when absent.
	remote *endpoint
	anns   []annotation
	tags   []tag
	debug  bool
	shared bool
	// newID is the derived ID of a shared server half, "" otherwise.
	newID backend.SpanID
	// fixedParent is set once the parent was decided by shared-span handling.
	fixedParent bool
	dead        bool // merged into another fragment
	// seq is the arrival order, which decides where merged fragments go.
	seq      int32
	warnings []string
}

func (z *zspan) finalID() backend.SpanID {
	if z.newID != "" {
		return z.newID
	}
	return z.id
}

// normalizer holds what is shared across the traces of one Decode call: the
// string interner, one *Process per distinct local endpoint, and scratch
// for building the spans' small slices.
type normalizer struct {
	in     *backend.Interner
	locals map[endpoint]*localEndpoint
	// recent caches locals: the map hashes three strings on every span,
	// and the endpoints' strings are interned, so that comparing them is
	// cheap.
	recent  [recentEndpoints]*localEndpoint
	remotes map[endpoint]*endpoint
	kvBuf   []backend.KeyValue
	logBuf  []backend.Log
}

func newNormalizer() *normalizer {
	return &normalizer{in: backend.NewInterner(), locals: make(map[endpoint]*localEndpoint),
		remotes: make(map[endpoint]*endpoint)}
}

// local returns the one shared copy of a local endpoint.
func (n *normalizer) local(e endpoint) *localEndpoint {
	slot := &n.recent[e.slot()]
	if p := *slot; p != nil && p.endpoint == e {
		return p
	}
	p, ok := n.locals[e]
	if !ok {
		p = &localEndpoint{endpoint: e}
		n.locals[e] = p
	}
	*slot = p
	return p
}

// slot is a cheap hash of an endpoint for normalizer.recent: lengths and
// last bytes tell apart the endpoints of one trace well enough, and a
// collision costs only a map lookup.
func (e endpoint) slot() int {
	h := uint(len(e.service))*31 + uint(len(e.ipv4))*7 + uint(len(e.ipv6)) + uint(e.port)
	if len(e.service) > 0 {
		h = h*33 + uint(e.service[len(e.service)-1])
	}
	if len(e.ipv4) > 0 {
		h = h*33 + uint(e.ipv4[len(e.ipv4)-1])
	}
	return int(h % recentEndpoints)
}

const recentEndpoints = 64

// remote returns the one shared copy of a remote endpoint, nil for an empty one.
func (n *normalizer) remote(e endpoint) *endpoint {
	if e.empty() {
		return nil
	}
	if p, ok := n.remotes[e]; ok {
		return p
	}
	p := &e
	n.remotes[e] = p
	return p
}

func sortAnnotations(a []annotation) []annotation {
	if len(a) < 2 {
		return a
	}
	slices.SortFunc(a, func(x, y annotation) int {
		return cmp.Or(cmp.Compare(x.ts, y.ts), strings.Compare(x.value, y.value))
	})
	return slices.Compact(a)
}

// traces groups spans by trace ID and normalizes each trace.
func (n *normalizer) traces(zs []*zspan) []*backend.Trace {
	return n.tracesOf(zs, !allOneTrace(zs))
}

// tracesOf is traces for a caller that knows whether the spans are of more
// than one trace ID (mixed).
func (n *normalizer) tracesOf(zs []*zspan, mixed bool) []*backend.Trace {
	// Nearly every input is one trace: then there is nothing to group, and
	// no other group for a 64-bit ID to fold into.
	if len(zs) > 0 && !mixed {
		return []*backend.Trace{n.build(zs[0].traceID, zs)}
	}
	var order []backend.TraceID
	groups := make(map[backend.TraceID][]*zspan)
	for _, z := range zs {
		if _, ok := groups[z.traceID]; !ok {
			order = append(order, z.traceID)
		}
		groups[z.traceID] = append(groups[z.traceID], z)
	}
	// A trace whose instrumentation mixes 64- and 128-bit IDs reports the
	// same trace under both; Zipkin keeps the longer ID. Fold a 64-bit group
	// into the one 128-bit group with the same low half.
	wide := make(map[string][]backend.TraceID)
	for _, id := range order {
		if id.Valid() && string(id[:16]) != zeros16 {
			wide[string(id[16:])] = append(wide[string(id[16:])], id)
		}
	}
	out := make([]*backend.Trace, 0, len(order))
	for _, id := range order {
		if id.Valid() && string(id[:16]) == zeros16 {
			if w := wide[string(id[16:])]; len(w) == 1 {
				for _, z := range groups[id] {
					z.traceID = w[0]
				}
				groups[w[0]] = append(groups[w[0]], groups[id]...)
				delete(groups, id)
				continue
			}
		}
	}
	for _, id := range order {
		spans, ok := groups[id]
		if !ok {
			continue
		}
		out = append(out, n.build(id, spans))
	}
	return out
}

func allOneTrace(zs []*zspan) bool {
	if len(zs) == 0 {
		return true
	}
	id := zs[0].traceID
	for _, z := range zs[1:] {
		if z.traceID != id {
			return false
		}
	}
	return true
}

const (
	zeros16    = "0000000000000000"
	zeroSpanID = backend.SpanID(zeros16)
)

// build merges fragments, separates shared halves and converts one trace.
func (n *normalizer) build(id backend.TraceID, spans []*zspan) *backend.Trace {
	t := &backend.Trace{ID: id}
	if id == "" {
		t.Warnings = append(t.Warnings, warnNoTraceID)
	}
	x := newSpanIndex(spans)
	dups := n.mergeFragments(spans, x)
	splitShared(spans, x, dups)
	first, missing := startTimes(spans)
	// Only spans without a timestamp need their parents looked up.
	var byID *idMap[*zspan]
	if missing {
		byID = newIDMap[*zspan](len(spans))
		for _, z := range spans {
			if _, dup := byID.get(z.finalID()); !dup && !z.dead {
				byID.put(z.finalID(), z)
			}
		}
	}
	// Counted first, the spans' references, tags and logs each come from
	// one exact-size array per trace. The same pass settles the times, as
	// every pass over a big trace's spans is a pass of cache misses.
	live, refs, kvs, logs := 0, 0, 0, 0
	for _, z := range spans {
		if z.dead {
			continue
		}
		settleTimes(z, first, byID, len(spans))
		live++
		if z.parent != "" {
			refs++
		}
		kvs += len(z.tags) + len(z.anns) + z.extraTags()
		logs += len(z.anns)
	}
	a := spanArrays{refs: make([]backend.Ref, refs), kvs: make([]backend.KeyValue, kvs),
		logs: make([]backend.Log, logs)}
	// Spans are built in place: a 240-byte struct copied in costs write
	// barriers while the collector runs, which it does during a big decode.
	t.Spans = make([]backend.Span, live)
	i := 0
	for _, z := range spans {
		if !z.dead {
			n.convert(z, &t.Spans[i], &a)
			i++
		}
	}
	return t
}

// spanArrays are the backing arrays of one trace's small slices.
type spanArrays struct {
	refs []backend.Ref
	kvs  []backend.KeyValue
	logs []backend.Log
}

// carve returns a copy of src from the front of *buf, its capacity cut so
// that an append by a reader copies instead of overwriting a neighbour; nil
// for an empty src. Should the count have been short, src gets its own array.
func carve[T any](buf *[]T, src []T) []T {
	n := len(src)
	if n == 0 {
		return nil
	}
	var out []T
	if len(*buf) >= n {
		out, *buf = (*buf)[:n:n], (*buf)[n:]
	} else {
		out = make([]T, n)
	}
	copy(out, src)
	return out
}

// extraTags counts the tags that convert adds to the span's own.
func (z *zspan) extraTags() int {
	n := 0
	if r := z.remote; r != nil {
		for _, set := range [...]bool{r.service != "", r.ipv4 != "", r.ipv6 != "", r.port != 0} {
			if set {
				n++
			}
		}
	}
	if z.debug {
		n++
	}
	return n
}

// mergeFragments merges spans reported more than once (same ID, same shared
// flag, compatible endpoints), as Zipkin Lens's mergeV2ById does, and
// returns the live spans of those IDs. The merged span takes the place of
// its earliest fragment, so output order does not depend on arrival order.
func (n *normalizer) mergeFragments(spans []*zspan, x *spanIndex) *dupGroups {
	dups := &dupGroups{}
	if len(x.repeated) == 0 {
		return dups
	}
	dups.ids = make([]backend.SpanID, len(x.repeated))
	dups.groups = make([][]*zspan, len(x.repeated))
	// One backing array for all groups; each group's capacity is cut so
	// that nothing appends into its neighbour.
	all := make([]*zspan, 0, len(x.repeated)+x.chained)
	for g, first := range x.repeated {
		start := len(all)
		for j := first; j >= 0; j = x.next[j] - 1 {
			all = append(all, spans[j])
		}
		dups.ids[g] = spans[first].id
		dups.groups[g] = all[start:len(all):len(all)]
	}
	for g, sorted := range dups.groups {
		slices.SortStableFunc(sorted, cleanupOrder)
		// live reuses sorted's storage: it is written only at or behind
		// the index being read.
		live := sorted[:0]
		for i := 0; i < len(sorted); i++ {
			cur, host := sorted[i], sorted[i]
			ep := cur.local.endpoint
			for i+1 < len(sorted) && sorted[i+1].shared == cur.shared && mergeEndpoint(&ep, sorted[i+1].local.endpoint) {
				next := sorted[i+1]
				mergeInto(cur, next)
				next.dead = true
				if next.seq < host.seq {
					host = next
				}
				i++
			}
			cur.local = n.local(ep)
			if host != cur {
				*host = *cur
				cur.dead = true
			}
			live = append(live, host)
		}
		// Some instrumentation leaves out the shared flag on the server
		// half; clients sort first, so a server right after one is it.
		for i := 1; i < len(live); i++ {
			if live[i-1].kind == "CLIENT" && live[i].kind == "SERVER" && !live[i].shared {
				live[i].shared = true
			}
		}
		dups.groups[g] = live
	}
	return dups
}

// dupGroups holds the spans of each ID reported more than once.
type dupGroups struct {
	ids    []backend.SpanID
	groups [][]*zspan
}

// cleanupOrder sorts one ID's spans: unshared before shared, a client first
// among unshared, then by endpoint with empty endpoints first so that their
// data joins the first span of the same endpoint.
func cleanupOrder(a, b *zspan) int {
	if c := sharedOrder(a, b); c != 0 {
		return c
	}
	if a.local.empty() != b.local.empty() {
		if a.local.empty() {
			return -1
		}
		return 1
	}
	return cmp.Or(strings.Compare(a.local.service, b.local.service),
		strings.Compare(a.local.ipv4, b.local.ipv4),
		strings.Compare(a.local.ipv6, b.local.ipv6))
}

func sharedOrder(a, b *zspan) int {
	switch {
	case !a.shared && !b.shared:
		ac, bc := a.kind == "CLIENT", b.kind == "CLIENT"
		switch {
		case ac && !bc:
			return -1
		case bc && !ac:
			return 1
		}
		return 0
	case !a.shared:
		return -1
	case !b.shared:
		return 1
	}
	return 0
}

// mergeEndpoint folds next into cur when no field conflicts.
func mergeEndpoint(cur *endpoint, next endpoint) bool {
	conflict := func(a, b string) bool { return a != "" && b != "" && a != b }
	if conflict(cur.service, next.service) || conflict(cur.ipv4, next.ipv4) || conflict(cur.ipv6, next.ipv6) ||
		(cur.port != 0 && next.port != 0 && cur.port != next.port) {
		return false
	}
	if cur.service == "" {
		cur.service = next.service
	}
	if cur.ipv4 == "" {
		cur.ipv4 = next.ipv4
	}
	if cur.ipv6 == "" {
		cur.ipv6 = next.ipv6
	}
	if cur.port == 0 {
		cur.port = next.port
	}
	return true
}

// mergeInto folds fragment r into l: l's fields win where both are set,
// except tags, where the later fragment wins (as Zipkin does).
func mergeInto(l, r *zspan) {
	if l.traceID == "" {
		l.traceID = r.traceID
	}
	if l.parent == "" && r.parent != l.id {
		l.parent = r.parent
	}
	if l.name == "" {
		l.name = r.name
	}
	if l.kind == "" {
		l.kind = r.kind
	}
	if l.ts == 0 {
		l.ts = r.ts
	}
	if l.dur == 0 {
		l.dur, l.hasDur = r.dur, r.hasDur || l.hasDur
	}
	switch {
	case l.remote == nil:
		l.remote = r.remote
	case r.remote != nil:
		e := *l.remote
		mergeEndpoint(&e, *r.remote)
		l.remote = &e
	}
	if len(r.anns) > 0 {
		l.anns = sortAnnotations(append(l.anns, r.anns...))
	}
	if len(r.tags) > 0 {
		l.tags = mergeTags(l.tags, r.tags)
	}
	l.debug = l.debug || r.debug
	l.shared = l.shared || r.shared
	l.warnings = append(l.warnings, r.warnings...)
}

// splitShared gives every shared server half that reuses its client's span
// ID a derived ID of its own and makes it a child of the client half, as
// Jaeger's span-ID deduper does (IDs 1, 2, … not used in the trace). The
// children of a shared ID are then attributed to the half on their own
// endpoint, as Zipkin's span-node builder does, falling back to the server
// half (Jaeger's choice) when the endpoints say nothing.
func splitShared(spans []*zspan, x *spanIndex, dups *dupGroups) {
	var order []int
	total := 0
	for g, group := range dups.groups {
		if len(group) > 1 {
			order = append(order, g)
			total += len(group)
		}
	}
	if len(order) == 0 {
		return
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(string(dups.ids[a]), string(dups.ids[b])) })
	// Derived IDs count up from 1, skipping IDs in the trace. No more than
	// one per span is needed, so only IDs up to twice the span count can be
	// in the way: a bitmap of those replaces a lookup per candidate.
	var next uint64
	var taken []uint64
	newID := func() backend.SpanID {
		if taken == nil {
			limit := uint64(2*len(spans) + 1)
			taken = make([]uint64, limit/64+1)
			for i, k := range x.keys {
				if x.hex[i] && k < limit {
					taken[k/64] |= 1 << (k % 64)
				}
			}
		}
		for {
			next++
			if next/64 < uint64(len(taken)) && taken[next/64]&(1<<(next%64)) != 0 {
				continue
			}
			return hexSpanID(next)
		}
	}
	type halves struct {
		client  *zspan   // the unshared span with this ID, if any
		servers []*zspan // shared halves, in endpoint order
	}
	split := make([]halves, len(dups.groups))
	servers := make([]*zspan, 0, total)
	// The split IDs get a table of their own: every span's parent is
	// looked up, and a few IDs fit the cache where the whole trace's do not.
	byKey := newKeyTable(len(order))
	var byOther map[backend.SpanID]int32
	for _, g := range order {
		id := dups.ids[g]
		h := &split[g]
		start := len(servers)
		for _, z := range dups.groups[g] {
			if z.shared {
				servers = append(servers, z)
			} else if h.client == nil {
				h.client = z
			}
		}
		h.servers = servers[start:len(servers):len(servers)]
		if len(h.servers) == 0 {
			continue // unshared duplicates: left for the tree to report
		}
		slices.SortStableFunc(h.servers, cleanupOrder)
		for i, s := range h.servers {
			if h.client == nil && i == 0 {
				continue // a server whose client did not report keeps its ID
			}
			s.newID = newID()
			if h.client != nil {
				s.parent = id
				s.fixedParent = true
			}
		}
		if k, ok := hexKey(id); ok {
			byKey.put(k, int32(g))
		} else {
			if byOther == nil {
				byOther = make(map[backend.SpanID]int32)
			}
			byOther[id] = int32(g)
		}
	}
	for _, z := range spans {
		if z.dead || z.fixedParent || z.parent == "" {
			continue
		}
		var g int32
		var ok bool
		if k, hex := hexKey(z.parent); hex {
			g, ok = byKey.get(k)
		} else {
			g, ok = byOther[z.parent]
		}
		if !ok {
			continue
		}
		h := &split[g]
		if target := chooseParent(z.local, h.client, h.servers); target != nil {
			z.parent = target.finalID()
		}
	}
}

// chooseParent picks which half of a shared ID a child belongs to.
func chooseParent(ep *localEndpoint, client *zspan, servers []*zspan) *zspan {
	for _, s := range servers {
		if !ep.empty() && s.local == ep {
			return s
		}
	}
	same := func(a, b string) bool { return a != "" && a == b }
	for _, s := range servers {
		if same(ep.service, s.local.service) {
			return s
		}
	}
	if client != nil && (same(ep.service, client.local.service) || (!ep.empty() && client.local == ep)) {
		return client
	}
	if ep.service == "" {
		for _, s := range servers {
			if same(ep.ipv4, s.local.ipv4) || same(ep.ipv6, s.local.ipv6) {
				return s
			}
		}
		if client != nil && (same(ep.ipv4, client.local.ipv4) || same(ep.ipv6, client.local.ipv6)) {
			return client
		}
	}
	return servers[0]
}

// startTimes and settleTimes settle missing and out-of-range times: a
// span without a timestamp starts at its earliest annotation, else at its
// parent's start, else at the trace's first start, and says so in a
// warning. startTimes does the annotations and the clamping, and returns
// the trace's first start and whether a span is still without one.
func startTimes(spans []*zspan) (first int64, missing bool) {
	for _, z := range spans {
		if z.dead {
			continue
		}
		if z.ts == 0 && len(z.anns) > 0 && z.anns[0].ts != 0 {
			z.ts = z.anns[0].ts
		}
		if z.ts > maxMicros || z.ts < -maxMicros {
			z.ts = max(min(z.ts, maxMicros), -maxMicros)
			z.warnings = append(z.warnings, warnClamped)
		}
		if z.ts != 0 && (first == 0 || z.ts < first) {
			first = z.ts
		}
		missing = missing || z.ts == 0
	}
	return first, missing
}

// settleTimes does the rest for one live span, in span order: a span whose
// start came from its parent's may be the parent of a later one. byID (of
// the n spans) is needed only when startTimes found a span missing.
func settleTimes(z *zspan, first int64, byID *idMap[*zspan], n int) {
	switch {
	case z.dur < 0:
		z.dur = 0
		z.warnings = append(z.warnings, warnBadDuration)
	case z.dur == 0 && !z.hasDur && z.ts != 0:
		z.warnings = append(z.warnings, warnNoDuration)
	}
	if z.ts == 0 {
		// Walk up iteratively; the step bound ends parent cycles.
		ts := int64(0)
		p := z.parent
		for steps := 0; p != "" && steps < n; steps++ {
			ps, ok := byID.get(p)
			if !ok || ps == z {
				break
			}
			if ps.ts != 0 {
				ts = ps.ts
				break
			}
			p = ps.parent
		}
		switch {
		case ts != 0:
			z.ts = ts
			z.warnings = append(z.warnings, warnNoTimestampParent)
		case first != 0:
			z.ts = first
			z.warnings = append(z.warnings, warnNoTimestampTrace)
		default:
			z.warnings = append(z.warnings, warnNoTimestamp)
		}
	}
	// Keep the end representable too.
	if z.dur > maxMicros-z.ts && z.ts >= 0 {
		z.dur = maxMicros - z.ts
	}
}

// convert builds the model span.
func (n *normalizer) convert(z *zspan, s *backend.Span, a *spanArrays) {
	s.TraceID = z.traceID
	s.SpanID = z.finalID()
	s.Service = z.local.service
	s.Operation = z.name
	s.Kind = spanKind(z.kind)
	s.Start = z.ts * 1000
	s.Duration = z.dur * 1000
	if z.local.proc == nil {
		z.local.proc = newProcess(z.local.endpoint)
	}
	s.Process = z.local.proc
	s.Warnings = z.warnings
	if z.parent != "" {
		ref := [1]backend.Ref{{Type: backend.RefChildOf, TraceID: z.traceID, SpanID: z.parent}}
		s.References = carve(&a.refs, ref[:])
	}
	kvs := n.kvBuf[:0]
	for _, t := range z.tags {
		kvs = append(kvs, backend.String(t.k, t.v))
		if t.k == "error" {
			// Zipkin marks a failed span with an error tag of any value,
			// even an empty one; the value is the message.
			s.Status = backend.Status{Code: backend.StatusError, Message: t.v}
		}
	}
	if r := z.remote; r != nil {
		if r.service != "" {
			kvs = append(kvs, backend.String(TagPeerSvc, r.service))
		}
		if r.ipv4 != "" {
			kvs = append(kvs, backend.String(TagPeerIPv4, r.ipv4))
		}
		if r.ipv6 != "" {
			kvs = append(kvs, backend.String(TagPeerIPv6, r.ipv6))
		}
		if r.port != 0 {
			kvs = append(kvs, backend.Int64(TagPeerPort, r.port))
		}
	}
	if z.debug {
		kvs = append(kvs, backend.Bool(TagDebug, true))
	}
	s.Tags = carve(&a.kvs, kvs)
	n.kvBuf = kvs
	if len(z.anns) > 0 {
		logs := n.logBuf[:0]
		for _, an := range z.anns {
			ev := [1]backend.KeyValue{backend.String("event", an.value)}
			logs = append(logs, backend.Log{Time: clampMicros(an.ts) * 1000, Fields: carve(&a.kvs, ev[:])})
		}
		s.Logs = carve(&a.logs, logs)
		n.logBuf = logs
	}
	s.Finish()
}

// spanKind is backend.ParseSpanKind for the upper-case kinds that the
// decoder leaves, without its lower-casing copy.
func spanKind(k string) backend.SpanKind {
	switch k {
	case "":
		return backend.KindUnspecified
	case "CLIENT":
		return backend.KindClient
	case "SERVER":
		return backend.KindServer
	case "PRODUCER":
		return backend.KindProducer
	case "CONSUMER":
		return backend.KindConsumer
	}
	return backend.ParseSpanKind(k)
}

// hexSpanID is backend.SpanIDFromUint64 with one allocation instead of two.
func hexSpanID(v uint64) backend.SpanID {
	var b [16]byte
	for i := range b {
		b[i] = "0123456789abcdef"[v>>(60-4*i)&0xf]
	}
	return backend.SpanID(b[:])
}

func clampMicros(v int64) int64 { return max(min(v, maxMicros), -maxMicros) }

// newProcess builds the *Process of a local endpoint.
func newProcess(e endpoint) *backend.Process {
	p := &backend.Process{Service: e.service}
	switch {
	case e.ipv4 != "":
		p.Tags = append(p.Tags, backend.String(TagHostIP, e.ipv4))
		if e.ipv6 != "" {
			p.Tags = append(p.Tags, backend.String(TagHostIPv6, e.ipv6))
		}
	case e.ipv6 != "":
		p.Tags = append(p.Tags, backend.String(TagHostIP, e.ipv6))
	}
	if e.port != 0 {
		p.Tags = append(p.Tags, backend.Int64(TagHostPort, e.port))
	}
	return p
}
