package demo

import (
	"strconv"
	"time"

	"github.com/tracetui/tracetui/backend"
)

// builder writes one catalogue trace. Spans are referred to by their index
// in t.Spans, since appending moves them.
type builder struct {
	t      *backend.Trace
	r      rng
	idBase uint64
	seq    uint64
	// inst picks the pod of each service; procs holds one *Process per pod
	// used, shared by that pod's spans as decoders do.
	inst  map[string]int
	procs map[string]*backend.Process
	// corr and reqID are tagged on every span (request_id only on the
	// services that log it); baggage is tagged as baggage.* everywhere and
	// logged as Jaeger baggage events at the gateway.
	corr    string
	reqID   string
	baggage []backend.KeyValue
	// clock shifts a service's timestamps, to simulate a host whose clock is
	// off (the skew trace).
	clock map[string]int64
	// lost spans never reached the store (the orphan trace).
	lost map[int]bool
}

func newBuilder(seed uint64, id backend.TraceID) *builder {
	r := newRng(seed)
	b := &builder{
		t:      &backend.Trace{ID: id},
		r:      r,
		idBase: r.next(),
		inst:   map[string]int{},
		procs:  map[string]*backend.Process{},
		corr:   correlationFor(seed),
		reqID:  requestIDFor(seed),
	}
	for _, svc := range ServiceNames() {
		b.inst[svc] = b.r.intn(instances(svc))
	}
	return b
}

func (b *builder) proc(svc string) *backend.Process {
	key := svc + "#" + strconv.Itoa(b.inst[svc])
	p := b.procs[key]
	if p == nil {
		p = newProcess(svc, b.inst[svc])
		b.procs[key] = p
	}
	return p
}

func (b *builder) d(lo, hi time.Duration) int64 { return b.r.dur(lo, hi) }

// start opens a span; parent < 0 makes a root.
func (b *builder) start(parent int, ref backend.RefType, svc, op string, kind backend.SpanKind, at int64) int {
	b.seq++
	s := backend.Span{
		TraceID:   b.t.ID,
		SpanID:    backend.SpanIDFromUint64(mix(b.idBase + b.seq*golden)),
		Service:   svc,
		Operation: op,
		Kind:      kind,
		Start:     at,
		Process:   b.proc(svc),
	}
	if parent >= 0 {
		s.References = []backend.Ref{{Type: ref, TraceID: b.t.ID, SpanID: b.t.Spans[parent].SpanID}}
	}
	b.t.Spans = append(b.t.Spans, s)
	return len(b.t.Spans) - 1
}

func (b *builder) child(parent int, op string, kind backend.SpanKind, at int64) int {
	return b.start(parent, backend.RefChildOf, b.t.Spans[parent].Service, op, kind, at)
}

func (b *builder) end(i int, at int64) { b.t.Spans[i].Duration = at - b.t.Spans[i].Start }

func (b *builder) endOf(i int) int64 { return b.t.Spans[i].End() }

func (b *builder) tag(i int, kvs ...backend.KeyValue) {
	b.t.Spans[i].Tags = append(b.t.Spans[i].Tags, kvs...)
}

func (b *builder) log(i int, at int64, kvs ...backend.KeyValue) {
	b.t.Spans[i].Logs = append(b.t.Spans[i].Logs, backend.Log{Time: at, Fields: kvs})
}

// fail marks a span as failed the way OpenTracing and OpenTelemetry
// instrumentation both do, so every reader finds it.
func (b *builder) fail(i int, msg string) {
	b.tag(i, backend.Bool("error", true), backend.String("otel.status_code", "ERROR"),
		backend.String("otel.status_description", msg))
	b.t.Spans[i].Status = backend.Status{Code: backend.StatusError, Message: msg}
}

// exception records a Jaeger error log with the object, message and stack.
func (b *builder) exception(i int, at int64, kind, object, msg, stack string) {
	b.log(i, at,
		backend.String("event", "error"),
		backend.String("error.kind", kind),
		backend.String("error.object", object),
		backend.String("message", msg),
		backend.String("stack", stack))
}

// body runs inside a server span from at and returns when it finished and
// the status it answered with (HTTP status or gRPC code).
type body func(srv int, at int64) (end int64, status int)

func httpPort(svc string) int64 {
	if svc == svcGateway {
		return 443
	}
	return 8080
}

// http makes an HTTP client span in the parent's service and the server span
// in svc, with the network in between.
func (b *builder) http(parent int, svc, method, route, target string, at int64, fn body) (int64, int) {
	op := method + " " + route
	cli := b.child(parent, op, backend.KindClient, at)
	srv := b.start(cli, backend.RefChildOf, svc, op, backend.KindServer, at+b.d(150*time.Microsecond, 900*time.Microsecond))
	end, status := fn(srv, b.t.Spans[srv].Start+b.d(20*time.Microsecond, 120*time.Microsecond))
	b.end(srv, end+b.d(20*time.Microsecond, 150*time.Microsecond))
	b.end(cli, b.endOf(srv)+b.d(150*time.Microsecond, 900*time.Microsecond))
	b.tag(cli,
		backend.String("http.method", method),
		backend.String("http.url", "http://"+svc+":"+strconv.FormatInt(httpPort(svc), 10)+target),
		backend.Int64("http.status_code", int64(status)),
		backend.String("net.peer.name", svc),
		backend.Int64("net.peer.port", httpPort(svc)),
		backend.String("peer.service", svc))
	b.tag(srv,
		backend.String("http.method", method),
		backend.String("http.route", route),
		backend.String("http.target", target),
		backend.String("http.scheme", "http"),
		backend.Int64("http.status_code", int64(status)),
		backend.String("net.host.name", svc))
	if status >= 500 {
		b.fail(srv, "HTTP "+strconv.Itoa(status))
	}
	if status >= 400 {
		// A 4xx is the caller's error, so only the client side counts it.
		b.fail(cli, "HTTP "+strconv.Itoa(status))
	}
	return b.endOf(cli), status
}

// grpc codes used by the shop.
const (
	codeOK                 = 0
	codeDeadlineExceeded   = 4
	codeFailedPrecondition = 9
	codeUnavailable        = 14
)

func grpcCodeName(c int) string {
	switch c {
	case codeOK:
		return "OK"
	case codeDeadlineExceeded:
		return "DEADLINE_EXCEEDED"
	case codeFailedPrecondition:
		return "FAILED_PRECONDITION"
	case codeUnavailable:
		return "UNAVAILABLE"
	}
	return "UNKNOWN"
}

// grpc makes a gRPC client/server pair; op is "payment.Charge" for the
// service shop.payment.v1.PaymentService and method Charge.
func (b *builder) grpc(parent int, svc, short, method string, at int64, fn body) (int64, int) {
	op := short + "." + method
	rpcService := "shop." + short + ".v1." + string(short[0]-'a'+'A') + short[1:] + "Service"
	cli := b.child(parent, op, backend.KindClient, at)
	srv := b.start(cli, backend.RefChildOf, svc, op, backend.KindServer, at+b.d(120*time.Microsecond, 700*time.Microsecond))
	end, code := fn(srv, b.t.Spans[srv].Start+b.d(15*time.Microsecond, 90*time.Microsecond))
	b.end(srv, end+b.d(15*time.Microsecond, 100*time.Microsecond))
	b.end(cli, b.endOf(srv)+b.d(120*time.Microsecond, 700*time.Microsecond))
	for _, i := range []int{cli, srv} {
		b.tag(i,
			backend.String("rpc.system", "grpc"),
			backend.String("rpc.service", rpcService),
			backend.String("rpc.method", method),
			backend.Int64("rpc.grpc.status_code", int64(code)))
	}
	b.tag(cli, backend.String("net.peer.name", svc), backend.Int64("net.peer.port", 50051),
		backend.String("peer.service", svc))
	if code != codeOK {
		b.fail(cli, grpcCodeName(code))
		b.fail(srv, grpcCodeName(code))
	}
	return b.endOf(cli), code
}

// sql runs one statement against the calling service's postgres database;
// table is "" for transaction control.
func (b *builder) sql(parent int, verb, table, stmt string, at, dur int64) int64 {
	svc := b.t.Spans[parent].Service
	db := dbName(svc)
	op := verb
	if table != "" {
		op += " " + table
	}
	i := b.child(parent, op, backend.KindClient, at)
	b.end(i, at+dur)
	b.tag(i,
		backend.String("db.system", "postgresql"),
		backend.String("db.name", db),
		backend.String("db.user", svc),
		backend.String("db.statement", stmt),
		backend.String("db.operation", verb))
	if table != "" {
		b.tag(i, backend.String("db.sql.table", table))
	}
	b.tag(i,
		backend.String("net.peer.name", db+"-db.shop.svc.cluster.local"),
		backend.Int64("net.peer.port", 5432),
		backend.String("peer.service", "postgres"))
	return at + dur
}

// redis runs one cache command; hit is reported for GETs.
func (b *builder) redis(parent int, cmd, key string, at int64, hit bool) int64 {
	i := b.child(parent, "redis "+cmd, backend.KindClient, at)
	b.end(i, at+b.d(90*time.Microsecond, 700*time.Microsecond))
	b.tag(i,
		backend.String("db.system", "redis"),
		backend.String("db.statement", cmd+" "+key),
		backend.Int64("db.redis.database_index", 0),
		backend.String("net.peer.name", "redis-master.shop.svc.cluster.local"),
		backend.Int64("net.peer.port", 6379),
		backend.String("peer.service", "redis"))
	if cmd == "GET" {
		b.tag(i, backend.Bool("cache.hit", hit))
	}
	return b.endOf(i)
}

// external calls a third party over HTTPS; only the client side is traced.
func (b *builder) external(parent int, method, host, path, peer string, at, dur int64, status int) int {
	i := b.child(parent, method+" "+path, backend.KindClient, at)
	b.end(i, at+dur)
	b.tag(i,
		backend.String("http.method", method),
		backend.String("http.url", "https://"+host+path),
		backend.Int64("http.status_code", int64(status)),
		backend.String("net.peer.name", host),
		backend.Int64("net.peer.port", 443),
		backend.String("peer.service", peer))
	if status >= 400 {
		b.fail(i, "HTTP "+strconv.Itoa(status))
	}
	return i
}

// publish sends a message to topic and returns when the producer is done;
// the consumer in svc picks it up later (FOLLOWS_FROM), possibly after the
// request that caused it has finished.
func (b *builder) publish(parent int, topic, svc string, at int64, handle func(c int, at int64) int64) int64 {
	p := b.child(parent, topic+" publish", backend.KindProducer, at)
	b.end(p, at+b.d(300*time.Microsecond, 1800*time.Microsecond))
	partition := int64(b.r.intn(12))
	offset := int64(180000 + b.r.intn(90000))
	b.tag(p,
		backend.String("messaging.system", "kafka"),
		backend.String("messaging.destination.name", topic),
		backend.String("messaging.operation", "publish"),
		backend.Int64("messaging.kafka.destination.partition", partition),
		backend.String("peer.service", "kafka"))
	c := b.start(p, backend.RefFollowsFrom, svc, topic+" process", backend.KindConsumer,
		b.endOf(p)+b.d(2*time.Millisecond, 45*time.Millisecond))
	b.tag(c,
		backend.String("messaging.system", "kafka"),
		backend.String("messaging.destination.name", topic),
		backend.String("messaging.operation", "process"),
		backend.String("messaging.kafka.consumer.group", svc),
		backend.Int64("messaging.kafka.destination.partition", partition),
		backend.Int64("messaging.kafka.message.offset", offset))
	b.end(c, handle(c, b.t.Spans[c].Start+b.d(30*time.Microsecond, 200*time.Microsecond))+b.d(30*time.Microsecond, 200*time.Microsecond))
	return b.endOf(p)
}

// root opens the gateway's server span for a request from a browser.
func (b *builder) root(method, route, target string, at int64) int {
	i := b.start(-1, backend.RefChildOf, svcGateway, method+" "+route, backend.KindServer, at)
	b.tag(i,
		backend.String("http.method", method),
		backend.String("http.route", route),
		backend.String("http.target", target),
		backend.String("http.scheme", "https"),
		backend.String("http.flavor", "2"),
		backend.String("http.user_agent", userAgent(b.r.intn(3))),
		backend.String("http.client_ip", "203.0.113."+strconv.Itoa(10+b.r.intn(200))),
		backend.String("net.host.name", "shop.example.com"))
	lt := at
	for _, kv := range b.baggage {
		lt += b.d(5*time.Microsecond, 20*time.Microsecond)
		b.log(i, lt,
			backend.String("event", "baggage"), backend.String("key", kv.Key), backend.String("value", kv.Str))
	}
	return i
}

// finishRoot closes the gateway span with the status the client saw.
func (b *builder) finishRoot(i int, at int64, status int) {
	b.end(i, at)
	b.tag(i, backend.Int64("http.status_code", int64(status)))
	if status >= 500 {
		b.fail(i, "HTTP "+strconv.Itoa(status))
	}
}

func userAgent(k int) string {
	switch k {
	case 0:
		return "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"
	case 1:
		return "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	}
	return "ShopApp/5.12.0 (iPhone; iOS 17.5.1)"
}

// requestIDServices log the gateway's request ID as well as the correlation ID.
func logsRequestID(svc string) bool { return svc == svcGateway || svc == svcOrder || svc == svcPayment }

// done applies clock skew, drops lost spans, adds the tags every span
// carries and finishes the spans.
func (b *builder) done() *backend.Trace {
	spans := b.t.Spans[:0]
	for i, s := range b.t.Spans {
		if b.lost[i] {
			continue
		}
		if off := b.clock[s.Service]; off != 0 {
			s.Start += off
			for j := range s.Logs {
				s.Logs[j].Time += off
			}
		}
		s.Tags = append(s.Tags, backend.String("correlation_id", b.corr))
		if logsRequestID(s.Service) {
			s.Tags = append(s.Tags, backend.String("request_id", b.reqID))
		}
		for _, kv := range b.baggage {
			s.Tags = append(s.Tags, backend.String("baggage."+kv.Key, kv.Str))
		}
		s.Finish()
		spans = append(spans, s)
	}
	b.t.Spans = spans
	return b.t
}
