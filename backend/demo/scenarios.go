package demo

import (
	"strconv"
	"time"

	"github.com/tracetui/tracetui/backend"
)

type scenario uint8

const (
	scCheckout scenario = iota
	scBrowse
	scProduct
	scLogin
	scSearch
	scOrderStatus
	scRefund
	scBatch
)

// fault is the one thing that goes wrong (or is odd) in a trace.
type fault uint8

const (
	_ fault = iota // no fault: the zero value
	// declined: the payment provider declines; payment-service fails,
	// order-service answers 500 and the gateway 502.
	declined
	// retry: an inventory pod is draining; the call is retried on another.
	retry
	// skew: the payment pod's clock is behind.
	skew
	// orphan: the gateway's client span was lost before it reached the store.
	orphan
	// slow: a query without a usable index.
	slow
	// lockTimeout: a stock row stays locked until the statement times out;
	// the error propagates up as 503.
	lockTimeout
	// mailDown: the mail provider fails in the asynchronous consumer; the
	// request itself succeeds.
	mailDown
	// sessionDown: redis refuses connections while a session is created.
	sessionDown
	// badPassword: a 401, an error only on the calling side.
	badPassword
)

func gap(b *builder) int64 { return b.d(10*time.Microsecond, 80*time.Microsecond) }

func sku(b *builder) string { return "SKU-" + strconv.Itoa(10000+b.r.intn(89999)) }

// authenticate checks the caller's session with user-service.
func (b *builder) authenticate(root int, t int64, user int) int64 {
	sid := string(appendHex(nil, b.r.next(), 16))
	t, _ = b.http(root, svcUser, "GET", "/sessions/{id}", "/sessions/"+sid, t, func(s int, t int64) (int64, int) {
		t = b.redis(s, "GET", "session:"+sid, t, true)
		b.log(s, t,
			backend.String("event", "session.valid"),
			backend.Int64("user_id", int64(user)),
			backend.Int64("expires_in_s", int64(600+b.r.intn(3000))),
			backend.String("auth.method", "bearer"))
		return t, 200
	})
	return t + gap(b)
}

func (b *builder) checkout(at int64, items int, f fault) {
	user := 1000 + b.r.intn(90000)
	orderID := 500000 + b.r.intn(400000)
	root := b.root("POST", "/api/checkout", "/api/checkout", at)
	t := b.authenticate(root, at+b.d(60*time.Microsecond, 250*time.Microsecond), user)
	toOrder := len(b.t.Spans)
	t, status := b.http(root, svcOrder, "POST", "/orders", "/orders", t, func(srv int, t int64) (int64, int) {
		b.log(srv, t,
			backend.String("event", "order.received"),
			backend.Int64("user_id", int64(user)),
			backend.Int64("items", int64(items)),
			backend.String("cart_id", "cart_"+string(appendHex(nil, b.r.next(), 10))))
		t = b.sql(srv, "SELECT", "carts",
			"SELECT c.id, ci.sku, ci.quantity, ci.unit_price_cents FROM carts c JOIN cart_items ci ON ci.cart_id = c.id WHERE c.user_id = $1 AND c.status = 'open'",
			t, b.d(600*time.Microsecond, 2500*time.Microsecond)) + gap(b)

		// Stock is checked for every item at once.
		skus := make([]string, items)
		end := t
		for k := range skus {
			skus[k] = sku(b)
			e, _ := b.grpc(srv, svcInventory, "inventory", "CheckStock", t+int64(k)*b.d(20*time.Microsecond, 90*time.Microsecond), func(s int, t int64) (int64, int) {
				hit := b.r.percent(65)
				t = b.redis(s, "GET", "stock:"+skus[k], t, hit)
				if !hit {
					t = b.sql(s, "SELECT", "stock", "SELECT available, reserved FROM stock WHERE sku = $1", t, b.d(400*time.Microsecond, 3*time.Millisecond))
					t = b.redis(s, "SET", "stock:"+skus[k]+" EX 30", t, false)
				}
				return t, codeOK
			})
			end = max(end, e)
		}
		t = end + gap(b)

		var code int
		for attempt := 1; ; attempt++ {
			cli := len(b.t.Spans)
			t, code = b.reserve(srv, t, skus, f, attempt)
			b.tag(cli, backend.Int64("retry.attempt", int64(attempt)))
			if code != codeUnavailable || attempt == 2 {
				break
			}
			backoff := 25 * ms
			b.log(srv, t,
				backend.String("event", "retry"),
				backend.String("rpc.method", "inventory.Reserve"),
				backend.Int64("attempt", int64(attempt+1)),
				backend.Int64("backoff_ms", backoff/ms),
				backend.String("reason", grpcCodeName(code)))
			// The balancer sends the retry to another pod.
			b.inst[svcInventory] = (b.inst[svcInventory] + 1) % instances(svcInventory)
			t += backoff
		}
		if code != codeOK {
			b.exception(srv, t, "StockUnavailable", "*fmt.wrapError",
				"place order "+strconv.Itoa(orderID)+": reserve stock: rpc error: code = DeadlineExceeded desc = canceling statement due to statement timeout",
				stackOrderHandler)
			return t + gap(b), 503
		}

		amount := int64(1999 + b.r.intn(40000))
		t, code = b.charge(srv, t, orderID, amount, f)
		if code != codeOK {
			b.exception(srv, t, "InternalError", "*fmt.wrapError",
				"place order "+strconv.Itoa(orderID)+": charge payment: rpc error: code = FailedPrecondition desc = payment declined: insufficient_funds",
				stackOrderHandler)
			return t + gap(b), 500
		}
		t = b.sql(srv, "INSERT", "orders",
			"INSERT INTO orders (id, user_id, status, total_cents, currency) VALUES ($1, $2, 'paid', $3, $4)",
			t, b.d(700*time.Microsecond, 3*time.Millisecond))
		t = b.sql(srv, "UPDATE", "carts", "UPDATE carts SET status = 'ordered' WHERE id = $1", t, b.d(400*time.Microsecond, 2*time.Millisecond))
		b.log(srv, t,
			backend.String("event", "order.placed"),
			backend.Int64("order_id", int64(orderID)),
			backend.Int64("total_cents", amount),
			backend.String("currency", "EUR"))
		return t + gap(b), 201
	})
	if f == orphan {
		b.lost = map[int]bool{toOrder: true}
	}
	if status >= 500 && status != 503 {
		status = 502
	}
	b.finishRoot(root, t+gap(b), status)
}

// reserve holds stock for the order's items in one transaction.
func (b *builder) reserve(parent int, t int64, skus []string, f fault, attempt int) (int64, int) {
	return b.grpc(parent, svcInventory, "inventory", "Reserve", t, func(s int, t int64) (int64, int) {
		if f == retry && attempt == 1 {
			t += b.d(1500*time.Microsecond, 4*time.Millisecond)
			b.exception(s, t, "Unavailable", "*pgconn.ConnectError",
				"reserve stock: failed to connect to `host=inventory-db.shop.svc.cluster.local user=inventory-service database=inventory`: server is shutting down",
				stackInventory)
			return t, codeUnavailable
		}
		t = b.sql(s, "BEGIN", "", "BEGIN", t, b.d(150*time.Microsecond, 500*time.Microsecond))
		for _, k := range skus {
			if f == lockTimeout {
				t = b.sql(s, "SELECT", "stock", "SELECT available, reserved FROM stock WHERE sku = $1 FOR UPDATE", t, 2000*ms)
				q := len(b.t.Spans) - 1
				b.fail(q, "ERROR: canceling statement due to statement timeout (SQLSTATE 57014)")
				b.log(q, t, backend.String("event", "error"), backend.String("error.kind", "pgconn.PgError"),
					backend.String("message", "canceling statement due to statement timeout"),
					backend.String("sqlstate", "57014"), backend.String("sku", k))
				t = b.sql(s, "ROLLBACK", "", "ROLLBACK", t, b.d(150*time.Microsecond, 500*time.Microsecond))
				b.exception(s, t, "StatementTimeout", "*pgconn.PgError",
					"reserve "+k+": canceling statement due to statement timeout (statement_timeout=2s)", stackInventory)
				return t, codeDeadlineExceeded
			}
			t = b.sql(s, "UPDATE", "stock",
				"UPDATE stock SET reserved = reserved + $2 WHERE sku = $1 AND available - reserved >= $2",
				t, b.d(300*time.Microsecond, 1800*time.Microsecond))
		}
		t = b.sql(s, "COMMIT", "", "COMMIT", t, b.d(300*time.Microsecond, 1200*time.Microsecond))
		for _, k := range skus {
			t = b.redis(s, "DEL", "stock:"+k, t, false)
		}
		return t, codeOK
	})
}

// charge asks payment-service to charge the customer's card.
func (b *builder) charge(parent int, t int64, orderID int, amount int64, f fault) (int64, int) {
	return b.grpc(parent, svcPayment, "payment", "Charge", t, func(s int, t int64) (int64, int) {
		b.tag(s, backend.Int64("order.id", int64(orderID)), backend.Int64("payment.amount_cents", amount),
			backend.String("payment.currency", "EUR"))
		t = b.sql(s, "SELECT", "payment_methods",
			"SELECT token, brand, last4 FROM payment_methods WHERE user_id = $1 AND is_default", t, b.d(400*time.Microsecond, 2*time.Millisecond))
		status := 200
		if f == declined {
			status = 402
		}
		p := b.external(s, "POST", "api.payments.example", "/v1/charges", "payment-provider", t, b.d(90*time.Millisecond, 420*time.Millisecond), status)
		b.tag(p, backend.String("payment.provider", "examplepay"),
			backend.String("idempotency_key", "ord-"+strconv.Itoa(orderID)))
		t = b.endOf(p)
		if f == declined {
			b.tag(p, backend.String("payment.decline_code", "insufficient_funds"))
			b.exception(s, t, "PaymentDeclined", "*charge.DeclinedError",
				"payment declined: insufficient_funds (visa ending 4242)", stackPayment)
			t = b.sql(s, "INSERT", "payments",
				"INSERT INTO payments (order_id, amount_cents, currency, status, decline_code) VALUES ($1, $2, $3, 'declined', $4)",
				t, b.d(500*time.Microsecond, 2*time.Millisecond))
			return t + gap(b), codeFailedPrecondition
		}
		b.log(s, t,
			backend.String("event", "charge.authorized"),
			backend.String("charge_id", "ch_"+string(appendHex(nil, b.r.next(), 14))),
			backend.Int64("amount_cents", amount),
			backend.String("currency", "EUR"),
			backend.String("card.brand", "visa"))
		t = b.sql(s, "INSERT", "payments",
			"INSERT INTO payments (order_id, amount_cents, currency, status, charge_id) VALUES ($1, $2, $3, 'captured', $4)",
			t, b.d(500*time.Microsecond, 2*time.Millisecond))
		t = b.publish(s, "payment-events", svcNotify, t, func(c int, t int64) int64 {
			return b.notify(c, t, "receipt", f == mailDown)
		})
		return t + gap(b), codeOK
	})
}

// notify sends the customer an e-mail from the notification consumer.
func (b *builder) notify(c int, t int64, template string, fail bool) int64 {
	user := int64(1000 + b.r.intn(90000))
	t, _ = b.grpc(c, svcUser, "user", "GetContact", t, func(s int, t int64) (int64, int) {
		t = b.sql(s, "SELECT", "users", "SELECT email, locale, marketing_opt_in FROM users WHERE id = $1", t, b.d(300*time.Microsecond, 1500*time.Microsecond))
		return t, codeOK
	})
	status := 202
	if fail {
		status = 503
	}
	m := b.external(c, "POST", "api.mailer.example", "/v3/mail/send", "email-provider", t, b.d(40*time.Millisecond, 180*time.Millisecond), status)
	t = b.endOf(m)
	if fail {
		b.exception(c, t, "MailUnavailable", "*mail.StatusError",
			"send "+template+": mail provider answered 503 Service Unavailable; message moved to payment-events.retry",
			stackNotify)
		b.fail(c, "send "+template+" failed")
		return t
	}
	b.log(c, t,
		backend.String("event", "email.sent"),
		backend.String("template", template),
		backend.Int64("user_id", user),
		backend.String("message_id", "msg_"+string(appendHex(nil, b.r.next(), 12))))
	return t
}

func (b *builder) browse(at int64, f fault) {
	category := [...]string{"shoes", "jackets", "backpacks", "tents"}[b.r.intn(4)]
	page := 1 + b.r.intn(4)
	target := "/api/products?category=" + category + "&page=" + strconv.Itoa(page)
	root := b.root("GET", "/api/products", target, at)
	t, status := b.http(root, svcInventory, "GET", "/products", target[4:], at+b.d(60*time.Microsecond, 250*time.Microsecond), func(s int, t int64) (int64, int) {
		key := "catalog:" + category + ":" + strconv.Itoa(page)
		hit := f != slow && b.r.percent(50)
		t = b.redis(s, "GET", key, t, hit)
		if hit {
			return t, 200
		}
		q := b.d(2*time.Millisecond, 9*time.Millisecond)
		if f == slow {
			q = b.d(1100*time.Millisecond, 1400*time.Millisecond)
		}
		// Products and their stock are loaded at once.
		e1 := b.sql(s, "SELECT", "products",
			"SELECT id, sku, name, price_cents, image_url FROM products WHERE category = $1 ORDER BY popularity DESC LIMIT 24 OFFSET $2", t, q)
		if f == slow {
			b.log(len(b.t.Spans)-1, e1,
				backend.String("event", "slow_query"),
				backend.Int64("duration_ms", (e1-t)/ms),
				backend.Int64("threshold_ms", 500),
				backend.String("plan", "Seq Scan on products (rows=184213)"))
		}
		e2 := b.sql(s, "SELECT", "stock", "SELECT sku, available - reserved FROM stock WHERE sku = ANY($1)", t+b.d(20*time.Microsecond, 60*time.Microsecond), b.d(1*time.Millisecond, 4*time.Millisecond))
		t = b.redis(s, "SET", key+" EX 60", max(e1, e2), false)
		return t, 200
	})
	b.finishRoot(root, t+gap(b), status)
}

func (b *builder) product(at int64) {
	id := sku(b)
	root := b.root("GET", "/api/products/{id}", "/api/products/"+id, at)
	t, status := b.http(root, svcInventory, "GET", "/products/{id}", "/products/"+id, at+b.d(60*time.Microsecond, 250*time.Microsecond), func(s int, t int64) (int64, int) {
		t = b.redis(s, "GET", "product:"+id, t, false)
		end := t
		for k, q := range [...][2]string{
			{"products", "SELECT id, name, description, price_cents FROM products WHERE sku = $1"},
			{"stock", "SELECT available, reserved FROM stock WHERE sku = $1"},
			{"reviews", "SELECT avg(rating), count(*) FROM reviews WHERE sku = $1"},
		} {
			end = max(end, b.sql(s, "SELECT", q[0], q[1], t+int64(k)*b.d(15*time.Microsecond, 50*time.Microsecond), b.d(500*time.Microsecond, 4*time.Millisecond)))
		}
		t = b.redis(s, "SET", "product:"+id+" EX 300", end, false)
		return t, 200
	})
	b.finishRoot(root, t+gap(b), status)
}

func (b *builder) login(at int64, f fault) {
	user := 1000 + b.r.intn(90000)
	root := b.root("POST", "/api/login", "/api/login", at)
	t, status := b.http(root, svcUser, "POST", "/login", "/login", at+b.d(60*time.Microsecond, 250*time.Microsecond), func(s int, t int64) (int64, int) {
		t = b.sql(s, "SELECT", "users", "SELECT id, password_hash, failed_logins, locked_until FROM users WHERE email = $1", t, b.d(500*time.Microsecond, 2500*time.Microsecond))
		v := b.child(s, "password.Verify", backend.KindInternal, t)
		b.end(v, t+b.d(45*time.Millisecond, 95*time.Millisecond))
		b.tag(v, backend.String("hash.algorithm", "argon2id"), backend.Int64("hash.memory_kib", 65536))
		t = b.endOf(v)
		if f == badPassword {
			b.log(s, t,
				backend.String("event", "login.failed"),
				backend.String("reason", "bad_password"),
				backend.Int64("user_id", int64(user)),
				backend.Int64("failed_logins", 3))
			t = b.sql(s, "UPDATE", "users", "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1", t, b.d(500*time.Microsecond, 2*time.Millisecond))
			return t, 401
		}
		sid := string(appendHex(nil, b.r.next(), 16))
		t = b.redis(s, "SET", "session:"+sid+" EX 3600", t, false)
		if f == sessionDown {
			r := len(b.t.Spans) - 1
			b.fail(r, "dial tcp 10.43.0.12:6379: connect: connection refused")
			b.exception(s, t, "SessionStoreUnavailable", "*net.OpError",
				"create session: dial tcp 10.43.0.12:6379: connect: connection refused", stackUser)
			return t + gap(b), 500
		}
		b.log(s, t,
			backend.String("event", "login.succeeded"),
			backend.Int64("user_id", int64(user)),
			backend.String("session_id", sid),
			backend.Bool("mfa", b.r.percent(30)))
		return t, 200
	})
	if status >= 500 {
		status = 502
	}
	b.finishRoot(root, t+gap(b), status)
}

func (b *builder) search(at int64, f fault) {
	terms := [...]string{"running shoes", "rain jacket", "2 person tent", "merino socks"}[b.r.intn(4)]
	q := ""
	for _, c := range terms {
		if c == ' ' {
			c = '+'
		}
		q += string(c)
	}
	root := b.root("GET", "/api/search", "/api/search?q="+q, at)
	t, status := b.http(root, svcInventory, "GET", "/products/search", "/products/search?q="+q, at+b.d(60*time.Microsecond, 250*time.Microsecond), func(s int, t int64) (int64, int) {
		key := "search:" + string(appendHex(nil, hashString(terms), 12))
		t = b.redis(s, "GET", key, t, false)
		dur := b.d(8*time.Millisecond, 35*time.Millisecond)
		if f == slow {
			dur = b.d(2300*time.Millisecond, 2600*time.Millisecond)
		}
		start := t
		t = b.sql(s, "SELECT", "products",
			"SELECT id, sku, name, ts_rank(search_vector, query) AS rank FROM products, plainto_tsquery('english', $1) query WHERE search_vector @@ query ORDER BY rank DESC LIMIT 50",
			t, dur)
		if f == slow {
			b.log(len(b.t.Spans)-1, t,
				backend.String("event", "slow_query"),
				backend.Int64("duration_ms", (t-start)/ms),
				backend.Int64("threshold_ms", 500),
				backend.String("plan", "Seq Scan on products; Filter: (search_vector @@ query); Rows Removed by Filter: 1840213"))
		}
		t = b.redis(s, "SET", key+" EX 120", t, false)
		b.log(s, t, backend.String("event", "search.done"), backend.String("query", terms),
			backend.Int64("results", int64(b.r.intn(50))), backend.Bool("cache.hit", false))
		return t, 200
	})
	b.finishRoot(root, t+gap(b), status)
}

func (b *builder) orderStatus(at int64, f fault) {
	user := 1000 + b.r.intn(90000)
	id := strconv.Itoa(500000 + b.r.intn(400000))
	root := b.root("GET", "/api/orders/{id}", "/api/orders/"+id, at)
	t := b.authenticate(root, at+b.d(60*time.Microsecond, 250*time.Microsecond), user)
	toOrder := len(b.t.Spans)
	t, status := b.http(root, svcOrder, "GET", "/orders/{id}", "/orders/"+id, t, func(s int, t int64) (int64, int) {
		t = b.sql(s, "SELECT", "orders", "SELECT id, status, total_cents, currency, created_at FROM orders WHERE id = $1 AND user_id = $2", t, b.d(400*time.Microsecond, 2*time.Millisecond))
		t = b.sql(s, "SELECT", "order_items", "SELECT sku, quantity, unit_price_cents FROM order_items WHERE order_id = $1", t, b.d(400*time.Microsecond, 2*time.Millisecond))
		t, _ = b.grpc(s, svcInventory, "inventory", "GetShipment", t, func(s int, t int64) (int64, int) {
			t = b.sql(s, "SELECT", "shipments", "SELECT carrier, tracking_number, status, eta FROM shipments WHERE order_id = $1", t, b.d(400*time.Microsecond, 2*time.Millisecond))
			return t, codeOK
		})
		return t, 200
	})
	if f == orphan {
		b.lost = map[int]bool{toOrder: true}
	}
	b.finishRoot(root, t+gap(b), status)
}

func (b *builder) refund(at int64) {
	user := 1000 + b.r.intn(90000)
	orderID := 500000 + b.r.intn(400000)
	id := strconv.Itoa(orderID)
	root := b.root("POST", "/api/orders/{id}/refund", "/api/orders/"+id+"/refund", at)
	t := b.authenticate(root, at+b.d(60*time.Microsecond, 250*time.Microsecond), user)
	t, status := b.http(root, svcOrder, "POST", "/orders/{id}/refund", "/orders/"+id+"/refund", t, func(s int, t int64) (int64, int) {
		t = b.sql(s, "SELECT", "orders", "SELECT id, status, total_cents, charge_id FROM orders WHERE id = $1 AND user_id = $2 FOR UPDATE", t, b.d(500*time.Microsecond, 2*time.Millisecond))
		amount := int64(1999 + b.r.intn(40000))
		t, _ = b.grpc(s, svcPayment, "payment", "Refund", t, func(p int, t int64) (int64, int) {
			t = b.sql(p, "SELECT", "payments", "SELECT charge_id, amount_cents, status FROM payments WHERE order_id = $1", t, b.d(400*time.Microsecond, 2*time.Millisecond))
			x := b.external(p, "POST", "api.payments.example", "/v1/refunds", "payment-provider", t, b.d(120*time.Millisecond, 380*time.Millisecond), 200)
			t = b.endOf(x)
			t = b.sql(p, "UPDATE", "payments", "UPDATE payments SET status = 'refunded', refunded_at = now() WHERE order_id = $1", t, b.d(400*time.Microsecond, 2*time.Millisecond))
			t = b.publish(p, "payment-events", svcNotify, t, func(c int, t int64) int64 { return b.notify(c, t, "refund", false) })
			return t + gap(b), codeOK
		})
		t = b.sql(s, "UPDATE", "orders", "UPDATE orders SET status = 'refunded' WHERE id = $1", t, b.d(400*time.Microsecond, 2*time.Millisecond))
		b.log(s, t,
			backend.String("event", "order.refunded"),
			backend.Int64("order_id", int64(orderID)),
			backend.Int64("amount_cents", amount),
			backend.String("reason", "customer_request"))
		return t + gap(b), 200
	})
	b.finishRoot(root, t+gap(b), status)
}
