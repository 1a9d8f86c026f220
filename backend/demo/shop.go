package demo

import (
	"strconv"

	"github.com/tracetui/tracetui/backend"
)

const (
	svcGateway   = "api-gateway"
	svcUser      = "user-service"
	svcOrder     = "order-service"
	svcInventory = "inventory-service"
	svcPayment   = "payment-service"
	svcNotify    = "notification-service"
)

// ServiceNames lists the shop's services, callers first (a fresh slice).
func ServiceNames() []string {
	return []string{svcGateway, svcUser, svcOrder, svcInventory, svcPayment, svcNotify}
}

// instances is how many pods run each service; traces spread over them so
// that process tags differ from span to span as in a real cluster.
func instances(svc string) int {
	switch svc {
	case svcOrder, svcInventory:
		return 3
	}
	return 2
}

func serviceVersion(svc string) string {
	switch svc {
	case svcGateway:
		return "2.8.1"
	case svcUser:
		return "1.22.0"
	case svcOrder:
		return "3.4.7"
	case svcInventory:
		return "1.9.3"
	case svcPayment:
		return "4.0.2"
	}
	return "0.17.5"
}

const podAlphabet = "bcdfghjklmnpqrstvwxz2456789"

// newProcess builds the process of pod k of a service: Kubernetes-style pod
// name as hostname and host.name, a pod IP, and the usual resource tags.
func newProcess(svc string, k int) *backend.Process {
	h := hashString(svc + "#" + strconv.Itoa(k))
	name := appendHex([]byte(svc+"-"), h>>28, 9)
	name = append(name, '-')
	for i := 0; i < 5; i++ {
		name = append(name, podAlphabet[(h>>(5*uint(i)))%uint64(len(podAlphabet))])
	}
	host := string(name)
	ip := "10.42." + strconv.Itoa(int(h>>40&0x3f)+1) + "." + strconv.Itoa(int(h>>48&0xfd)+2)
	return &backend.Process{Service: svc, Tags: []backend.KeyValue{
		backend.String("hostname", host),
		backend.String("ip", ip),
		backend.String("host.name", host),
		backend.String("service.version", serviceVersion(svc)),
		backend.String("service.namespace", "shop"),
		backend.String("deployment.environment", "production"),
		backend.String("telemetry.sdk.language", "go"),
		backend.String("telemetry.sdk.name", "opentelemetry"),
	}}
}

// dbName is the database each service owns.
func dbName(svc string) string {
	switch svc {
	case svcUser:
		return "users"
	case svcInventory:
		return "inventory"
	case svcPayment:
		return "payments"
	}
	return "orders"
}

const stackOrderHandler = `goroutine 1842 [running]:
github.com/shop/order-service/internal/checkout.(*Handler).PlaceOrder(0xc0003a2f00, {0x1a2b3c0, 0xc000514a80})
	/src/internal/checkout/handler.go:212 +0x3c5
github.com/shop/order-service/internal/httpapi.(*Server).postOrders(0xc00012c1e0, {0x1a2f5e8, 0xc0004b81c0}, 0xc000511b00)
	/src/internal/httpapi/orders.go:88 +0x1f4
net/http.HandlerFunc.ServeHTTP(0xc000012345, {0x1a2f5e8, 0xc0004b81c0}, 0xc000511b00)
	/usr/local/go/src/net/http/server.go:2294 +0x29`

const stackPayment = `goroutine 733 [running]:
github.com/shop/payment-service/internal/charge.(*Service).Charge(0xc000188000, {0x16f2e40, 0xc00031c5a0}, 0xc0002e8370)
	/src/internal/charge/service.go:147 +0x6d2
github.com/shop/payment-service/internal/grpcapi.(*server).Charge(0xc0001a6000, {0x16f2e40, 0xc00031c5a0}, 0xc0002e8370)
	/src/internal/grpcapi/server.go:61 +0xa8
google.golang.org/grpc.(*Server).processUnaryRPC(0xc0001b4000, {0x16f8a00, 0xc0000f2000}, 0xc000302120)
	/go/pkg/mod/google.golang.org/grpc@v1.74.2/server.go:1431 +0x1012`

const stackInventory = `goroutine 2210 [running]:
github.com/shop/inventory-service/internal/store.(*Stock).Reserve(0xc00020e0a0, {0x1721e80, 0xc0004f7e30}, {0xc0003b4fc0, 0x3, 0x4})
	/src/internal/store/stock.go:96 +0x2e1
github.com/shop/inventory-service/internal/grpcapi.(*server).Reserve(0xc0001d2000, {0x1721e80, 0xc0004f7e30}, 0xc0004a8f50)
	/src/internal/grpcapi/server.go:74 +0x15a`

const stackUser = `goroutine 418 [running]:
github.com/shop/user-service/internal/session.(*Store).Create(0xc000170f00, {0x15c2a60, 0xc0003e2cc0}, 0xc00026a1e0)
	/src/internal/session/store.go:58 +0x1b7
github.com/shop/user-service/internal/httpapi.(*Server).login(0xc00014e000, {0x15c6f28, 0xc00039a000}, 0xc000398100)
	/src/internal/httpapi/login.go:41 +0x3ee`

const stackNotify = `goroutine 96 [running]:
github.com/shop/notification-service/internal/mail.(*Sender).Send(0xc0000c8120, {0x14b9d00, 0xc0002a6060}, 0xc00011e480)
	/src/internal/mail/sender.go:73 +0x52c
github.com/shop/notification-service/internal/consumer.(*Consumer).handle(0xc0000be090, {0x14b9d00, 0xc0002a6060}, 0xc0001a4000)
	/src/internal/consumer/consumer.go:112 +0x2b5`
