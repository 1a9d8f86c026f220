package demo

import (
	"strconv"
	"time"

	"github.com/tracetui/tracetui/backend"
)

// Generate builds a trace of exactly spans spans (none when spans <= 0): a
// batch order import at the gateway that order-service processes in chunks
// of orders, each order checking stock, charging the card and notifying the
// customer asynchronously, with the occasional declined payment. The same
// seed and start give the same trace, and a smaller trace is a prefix of a
// bigger one with the same seed. Span IDs, tags, references and logs are
// carved from a few large blocks and strings repeat by reference, so the
// trace costs little more than its spans (about 600 bytes a span) and
// 100,000 spans take a fraction of a second (BenchmarkGenerate).
func Generate(spans int, seed int64, start time.Time) *backend.Trace {
	return generate(spans, uint64(seed), start.Truncate(time.Microsecond).UnixNano())
}

// unitsPerChunk is how many orders a chunk processes at once; unitSpans is
// the size of one order's subtree.
const (
	unitsPerChunk = 25
	unitSpans     = 16
)

// block hands out sub-slices of large allocations, so that millions of
// small slices cost a few allocations; each sub-slice is capped so that an
// append by a caller cannot run into its neighbour.
type block[T any] struct {
	free []T
	size int
}

func (a *block[T]) take(src ...T) []T {
	if len(src) == 0 {
		return nil
	}
	if cap(a.free)-len(a.free) < len(src) {
		a.free = make([]T, 0, max(len(src), a.size))
	}
	n := len(a.free)
	a.free = append(a.free, src...)
	return a.free[n:len(a.free):len(a.free)]
}

type gen struct {
	t     *backend.Trace
	n     int
	ids   string // n span IDs of 16 hex digits, back to back
	r     rng
	tags  block[backend.KeyValue]
	refs  block[backend.Ref]
	logs  block[backend.Log]
	procs map[string][]*backend.Process
	corr  backend.KeyValue
	skus  []string
}

func generate(n int, seed uint64, start int64) *backend.Trace {
	t := &backend.Trace{ID: traceIDFor(seed, false)}
	if n <= 0 {
		return t
	}
	g := &gen{
		t:     t,
		n:     n,
		r:     newRng(seed),
		tags:  block[backend.KeyValue]{size: min(6*n, 1<<13)},
		refs:  block[backend.Ref]{size: min(n, 1<<12)},
		logs:  block[backend.Log]{size: min(n/unitSpans+2, 1<<10)},
		procs: map[string][]*backend.Process{},
		corr:  backend.String("correlation_id", correlationFor(seed)),
	}
	t.Spans = make([]backend.Span, 0, n)
	base := g.r.next()
	buf := make([]byte, 0, 16*n)
	for i := 1; i <= n; i++ {
		v := mix(base + uint64(i)*golden)
		if v == 0 {
			v = golden
		}
		buf = appendHex(buf, v, 16)
	}
	g.ids = string(buf)
	for _, svc := range ServiceNames() {
		for k := range instances(svc) {
			g.procs[svc] = append(g.procs[svc], newProcess(svc, k))
		}
	}
	g.skus = make([]string, 64)
	for i := range g.skus {
		g.skus[i] = "GET stock:SKU-" + strconv.Itoa(10000+g.r.intn(89999))
	}
	g.run(start, seed)
	return t
}

func (g *gen) full() bool { return len(g.t.Spans) == g.n }

func (g *gen) proc(svc string, k int) *backend.Process {
	p := g.procs[svc]
	return p[k%len(p)]
}

// add appends a span whose parent is the span at index parent (none if < 0).
func (g *gen) add(parent int, ref backend.RefType, proc *backend.Process, op string, kind backend.SpanKind, start, dur int64, tags ...backend.KeyValue) int {
	i := len(g.t.Spans)
	s := backend.Span{
		TraceID:   g.t.ID,
		SpanID:    backend.SpanID(g.ids[16*i : 16*i+16]),
		Service:   proc.Service,
		Operation: op,
		Kind:      kind,
		Start:     start,
		Duration:  dur,
		Process:   proc,
		Tags:      g.tags.take(tags...),
	}
	if parent >= 0 {
		s.References = g.refs.take(backend.Ref{Type: ref, TraceID: g.t.ID, SpanID: g.t.Spans[parent].SpanID})
	}
	for _, kv := range s.Tags {
		if kv.Key == "error" {
			s.Status = backend.Status{Code: backend.StatusError, Message: "payment declined"}
		}
	}
	s.Finish()
	g.t.Spans = append(g.t.Spans, s)
	return i
}

func (g *gen) log(i int, at int64, fields ...backend.KeyValue) {
	s := &g.t.Spans[i]
	s.Logs = g.logs.take(backend.Log{Time: at, Fields: g.tags.take(fields...)})
}

func (g *gen) d(lo, hi time.Duration) int64 { return g.r.dur(lo, hi) }

func (g *gen) run(start int64, seed uint64) {
	gw := g.proc(svcGateway, int(seed))
	ord := g.proc(svcOrder, int(seed))
	reqID := backend.String("request_id", requestIDFor(seed))
	root := g.add(-1, 0, gw, "POST /api/orders/import", backend.KindServer, start, 0,
		backend.String("http.method", "POST"),
		backend.String("http.route", "/api/orders/import"),
		backend.String("http.target", "/api/orders/import"),
		backend.String("http.scheme", "https"),
		backend.Int64("http.status_code", 202),
		backend.String("http.user_agent", "shop-admin-cli/1.4.0"),
		backend.String("baggage.tenant", "shop-eu"),
		g.corr, reqID)
	g.log(root, start+g.d(5*time.Microsecond, 30*time.Microsecond),
		backend.String("event", "baggage"), backend.String("key", "tenant"), backend.String("value", "shop-eu"))
	t := start + g.d(60*time.Microsecond, 250*time.Microsecond)
	end := t
	cli, srv := -1, -1
	if !g.full() {
		cli = g.add(root, backend.RefChildOf, gw, "POST /orders/import", backend.KindClient, t, 0,
			backend.String("http.method", "POST"),
			backend.String("http.url", "http://order-service:8080/orders/import"),
			backend.Int64("http.status_code", 202),
			backend.String("net.peer.name", svcOrder),
			backend.String("peer.service", svcOrder),
			g.corr)
		t += g.d(150*time.Microsecond, 900*time.Microsecond)
		end = t
	}
	if !g.full() {
		srv = g.add(cli, backend.RefChildOf, ord, "POST /orders/import", backend.KindServer, t, 0,
			backend.String("http.method", "POST"),
			backend.String("http.route", "/orders/import"),
			backend.Int64("http.status_code", 202),
			g.corr, reqID)
		t += g.d(20*time.Microsecond, 120*time.Microsecond)
		end = t
	}
	for chunk := 0; !g.full(); chunk++ {
		t += g.d(50*time.Microsecond, 300*time.Microsecond)
		c := g.add(srv, backend.RefChildOf, ord, "import.ProcessChunk", backend.KindInternal, t, 0,
			backend.Int64("import.chunk", int64(chunk)),
			backend.Int64("import.chunk_size", unitsPerChunk),
			g.corr)
		// The orders of a chunk run in parallel.
		chunkEnd := t
		for k := 0; k < unitsPerChunk && !g.full(); k++ {
			chunkEnd = max(chunkEnd, g.unit(c, chunk*unitsPerChunk+k, t+int64(k)*g.d(20*time.Microsecond, 120*time.Microsecond)))
		}
		chunkEnd += g.d(30*time.Microsecond, 200*time.Microsecond)
		g.t.Spans[c].Duration = chunkEnd - t
		t, end = chunkEnd, chunkEnd
	}
	// Close the header spans around whatever was generated.
	if srv >= 0 {
		end += g.d(20*time.Microsecond, 150*time.Microsecond)
		g.t.Spans[srv].Duration = end - g.t.Spans[srv].Start
	}
	if cli >= 0 {
		end += g.d(150*time.Microsecond, 900*time.Microsecond)
		g.t.Spans[cli].Duration = end - g.t.Spans[cli].Start
	}
	end += g.d(40*time.Microsecond, 300*time.Microsecond)
	g.t.Spans[root].Duration = end - start
}

// unit emits one order's spans, as many as fit, and returns when the order
// was done (its asynchronous notification may run on).
//
// Long by the story it tells: an order's spans in the order they happen.
func (g *gen) unit(parent, k int, at int64) int64 {
	lat := func() int64 { return g.d(120*time.Microsecond, 700*time.Microsecond) }
	pause := func() int64 { return g.d(10*time.Microsecond, 80*time.Microsecond) }
	// Every 37th order is declined, so that any trace of a few hundred spans
	// or more has errors.
	declined := k%37 == 11
	orderID := int64(700000 + k)
	skuKey := g.skus[g.r.intn(len(g.skus))]
	ord := g.proc(svcOrder, k)
	inv := g.proc(svcInventory, k/3)
	pay := g.proc(svcPayment, k/5)
	note := g.proc(svcNotify, k/7)

	// Times first, so that parents know their ends when they are emitted.
	u0s := at
	u1s := u0s + pause()
	u1e := u1s + g.d(300*time.Microsecond, 2*time.Millisecond)
	u2s := u1e + pause()
	u3s := u2s + lat()
	u4s := u3s + pause()
	u4e := u4s + g.d(90*time.Microsecond, 600*time.Microsecond)
	u5s := u4e + pause()
	u5e := u5s + g.d(400*time.Microsecond, 3*time.Millisecond)
	u3e := u5e + pause()
	u2e := u3e + lat()
	u6s := u2e + pause()
	u7s := u6s + lat()
	u8s := u7s + g.d(300*time.Microsecond, 1500*time.Microsecond)
	u8e := u8s + g.d(40*time.Millisecond, 250*time.Millisecond)
	u9s := u8e + pause()
	u9e := u9s + g.d(400*time.Microsecond, 2*time.Millisecond)
	u7e := u9e + pause()
	u6e := u7e + lat()
	u10s := u6e + pause()
	u10e := u10s + g.d(400*time.Microsecond, 2*time.Millisecond)
	u11s := u10e + pause()
	u11e := u11s + g.d(200*time.Microsecond, 1500*time.Microsecond)
	u12s := u11e + g.d(1*time.Millisecond, 30*time.Millisecond)
	u13s := u12s + pause()
	u14s := u13s + lat()
	u14e := u14s + g.d(300*time.Microsecond, 1500*time.Microsecond)
	u13e := u14e + lat()
	u15s := u13e + pause()
	u15e := u15s + g.d(30*time.Millisecond, 150*time.Millisecond)
	u12e := u15e + pause()
	u0e := u11e + pause()

	status := int64(200)
	var errTags [2]backend.KeyValue
	nErr := 0
	if declined {
		status = 402
		errTags = [2]backend.KeyValue{backend.Bool("error", true), backend.String("otel.status_code", "ERROR")}
		nErr = 2
	}
	grpc := func(svc, method string) [3]backend.KeyValue {
		return [3]backend.KeyValue{
			backend.String("rpc.system", "grpc"),
			backend.String("rpc.service", svc),
			backend.String("rpc.method", method),
		}
	}
	child := backend.RefChildOf

	u0 := g.add(parent, child, ord, "order.Import", backend.KindInternal, u0s, u0e-u0s,
		append([]backend.KeyValue{backend.Int64("order.id", orderID), backend.String("baggage.tenant", "shop-eu"), g.corr}, errTags[:nErr]...)...)
	event := "order.imported"
	if declined {
		event = "order.rejected"
	}
	g.log(u0, u0e, backend.String("event", event), backend.Int64("order.id", orderID),
		backend.Int64("items", int64(1+k%4)), backend.Int64("total_cents", int64(1999+(k*7919)%40000)))
	if g.full() {
		return u0e
	}
	g.add(u0, child, ord, "SELECT orders", backend.KindClient, u1s, u1e-u1s,
		backend.String("db.system", "postgresql"), backend.String("db.name", "orders"),
		backend.String("db.statement", "SELECT id FROM orders WHERE external_id = $1"),
		backend.String("net.peer.name", "orders-db.shop.svc.cluster.local"), g.corr)
	if g.full() {
		return u0e
	}
	rpc := grpc("shop.inventory.v1.InventoryService", "Reserve")
	u2 := g.add(u0, child, ord, "inventory.Reserve", backend.KindClient, u2s, u2e-u2s,
		rpc[0], rpc[1], rpc[2], backend.Int64("rpc.grpc.status_code", 0), backend.String("net.peer.name", svcInventory), g.corr)
	if g.full() {
		return u0e
	}
	u3 := g.add(u2, child, inv, "inventory.Reserve", backend.KindServer, u3s, u3e-u3s,
		rpc[0], rpc[1], rpc[2], backend.Int64("rpc.grpc.status_code", 0), g.corr)
	if g.full() {
		return u0e
	}
	g.add(u3, child, inv, "redis GET", backend.KindClient, u4s, u4e-u4s,
		backend.String("db.system", "redis"), backend.String("db.statement", skuKey),
		backend.Bool("cache.hit", k%3 != 0), backend.String("net.peer.name", "redis-master.shop.svc.cluster.local"), g.corr)
	if g.full() {
		return u0e
	}
	g.add(u3, child, inv, "UPDATE stock", backend.KindClient, u5s, u5e-u5s,
		backend.String("db.system", "postgresql"), backend.String("db.name", "inventory"),
		backend.String("db.statement", "UPDATE stock SET reserved = reserved + $2 WHERE sku = $1 AND available - reserved >= $2"),
		backend.String("net.peer.name", "inventory-db.shop.svc.cluster.local"), g.corr)
	if g.full() {
		return u0e
	}
	rpc = grpc("shop.payment.v1.PaymentService", "Charge")
	code := int64(0)
	if declined {
		code = codeFailedPrecondition
	}
	u6 := g.add(u0, child, ord, "payment.Charge", backend.KindClient, u6s, u6e-u6s,
		append([]backend.KeyValue{rpc[0], rpc[1], rpc[2], backend.Int64("rpc.grpc.status_code", code),
			backend.String("net.peer.name", svcPayment), g.corr}, errTags[:nErr]...)...)
	if g.full() {
		return u0e
	}
	u7 := g.add(u6, child, pay, "payment.Charge", backend.KindServer, u7s, u7e-u7s,
		append([]backend.KeyValue{rpc[0], rpc[1], rpc[2], backend.Int64("rpc.grpc.status_code", code), g.corr}, errTags[:nErr]...)...)
	if declined {
		g.log(u7, u8e, backend.String("event", "error"), backend.String("error.object", "*charge.DeclinedError"),
			backend.String("message", "payment declined: insufficient_funds"), backend.String("stack", stackPayment))
	}
	if g.full() {
		return u0e
	}
	g.add(u7, child, pay, "POST /v1/charges", backend.KindClient, u8s, u8e-u8s,
		append([]backend.KeyValue{backend.String("http.method", "POST"), backend.String("http.url", "https://api.payments.example/v1/charges"),
			backend.Int64("http.status_code", status), backend.String("peer.service", "payment-provider"), g.corr}, errTags[:nErr]...)...)
	if g.full() {
		return u0e
	}
	g.add(u7, child, pay, "INSERT payments", backend.KindClient, u9s, u9e-u9s,
		backend.String("db.system", "postgresql"), backend.String("db.name", "payments"),
		backend.String("db.statement", "INSERT INTO payments (order_id, amount_cents, currency, status) VALUES ($1, $2, $3, $4)"),
		backend.String("net.peer.name", "payments-db.shop.svc.cluster.local"), g.corr)
	if g.full() {
		return u0e
	}
	g.add(u0, child, ord, "INSERT orders", backend.KindClient, u10s, u10e-u10s,
		backend.String("db.system", "postgresql"), backend.String("db.name", "orders"),
		backend.String("db.statement", "INSERT INTO orders (id, external_id, status, total_cents) VALUES ($1, $2, $3, $4)"),
		backend.String("net.peer.name", "orders-db.shop.svc.cluster.local"), g.corr)
	if g.full() {
		return u0e
	}
	u11 := g.add(u0, child, ord, "order-events publish", backend.KindProducer, u11s, u11e-u11s,
		backend.String("messaging.system", "kafka"), backend.String("messaging.destination.name", "order-events"),
		backend.String("messaging.operation", "publish"), g.corr)
	if g.full() {
		return u0e
	}
	u12 := g.add(u11, backend.RefFollowsFrom, note, "order-events process", backend.KindConsumer, u12s, u12e-u12s,
		backend.String("messaging.system", "kafka"), backend.String("messaging.destination.name", "order-events"),
		backend.String("messaging.operation", "process"), g.corr)
	if g.full() {
		return u0e
	}
	rpc = grpc("shop.user.v1.UserService", "GetContact")
	u13 := g.add(u12, child, note, "user.GetContact", backend.KindClient, u13s, u13e-u13s,
		rpc[0], rpc[1], rpc[2], backend.Int64("rpc.grpc.status_code", 0), backend.String("net.peer.name", svcUser), g.corr)
	if g.full() {
		return u0e
	}
	g.add(u13, child, g.proc(svcUser, k/11), "user.GetContact", backend.KindServer, u14s, u14e-u14s,
		rpc[0], rpc[1], rpc[2], backend.Int64("rpc.grpc.status_code", 0), g.corr)
	if g.full() {
		return u0e
	}
	g.add(u12, child, note, "POST /v3/mail/send", backend.KindClient, u15s, u15e-u15s,
		backend.String("http.method", "POST"), backend.String("http.url", "https://api.mailer.example/v3/mail/send"),
		backend.Int64("http.status_code", 202), backend.String("peer.service", "email-provider"), g.corr)
	return u0e
}
