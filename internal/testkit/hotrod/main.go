// Command hotrod makes real traffic for the integration tests: it runs
// Jaeger's demo application HotROD (its four services, from the Jaeger
// module at v1.42.0, as a library) on 127.0.0.1, sends it a bounded number
// of /dispatch requests, and exports every span over OTLP/HTTP to the
// collector named by -otlp. The traces are real HotROD traces: a frontend
// calling customer (MySQL), driver (gRPC, redis) and route, with redis
// calls that fail at random (OTel status ERROR) and, for unknown customers,
// requests that fail with HTTP 500.
//
// HotROD's own command binds every service to 0.0.0.0; the tests must bind
// to 127.0.0.1 only, which is why this program starts the services itself.
// It lives in a module of its own (go.mod here) so that the Jaeger v1.42.0
// it builds against never meets the tests' Jaeger pin or tracetui's own
// dependencies.
//
//	hotrod -otlp http://127.0.0.1:4318 -requests 40 -concurrency 4
package main

import (
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/jaegertracing/jaeger/examples/hotrod/pkg/log"
	"github.com/jaegertracing/jaeger/examples/hotrod/pkg/tracing"
	"github.com/jaegertracing/jaeger/examples/hotrod/services/config"
	"github.com/jaegertracing/jaeger/examples/hotrod/services/customer"
	"github.com/jaegertracing/jaeger/examples/hotrod/services/driver"
	"github.com/jaegertracing/jaeger/examples/hotrod/services/frontend"
	"github.com/jaegertracing/jaeger/examples/hotrod/services/route"
	"github.com/jaegertracing/jaeger/pkg/metrics"
)

func main() {
	otlp := flag.String("otlp", "", "OTLP/HTTP endpoint of the collector, e.g. http://127.0.0.1:4318 (required)")
	requests := flag.Int("requests", 20, "number of /dispatch requests to send (1..10000)")
	concurrency := flag.Int("concurrency", 4, "requests in flight at once (1..64)")
	badShare := flag.Float64("unknown-customers", 0.1, "share of requests for an unknown customer (HTTP 500)")
	seed := flag.Int64("seed", 1, "seed for the choice of customers")
	scale := flag.Float64("delay-scale", 0.1, "HotROD's simulated delays times this (1 = HotROD's own)")
	flag.Parse()
	if *otlp == "" || *requests < 1 || *requests > 10000 || *concurrency < 1 || *concurrency > 64 {
		fmt.Fprintln(os.Stderr, "hotrod: -otlp is required; -requests 1..10000; -concurrency 1..64")
		os.Exit(2)
	}
	if err := run(*otlp, *requests, *concurrency, *badShare, *seed, *scale); err != nil {
		fmt.Fprintln(os.Stderr, "hotrod:", err)
		os.Exit(1)
	}
}

func run(otlp string, requests, concurrency int, badShare float64, seed int64, scale float64) error {
	// The OpenTelemetry SDK of HotROD's exporter reads its endpoint and batch
	// delay from the environment; a short delay gets the spans out quickly.
	os.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", otlp)
	os.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", otlp+"/v1/traces")
	os.Setenv("OTEL_BSP_SCHEDULE_DELAY", "100")

	scaleDelays(scale)
	// Several requests at once queue on the customer service's MySQL mutex,
	// as on HotROD's own page: that queueing is the slow tail worth finding.

	// HotROD logs every call to stdout; the tests want quiet. Its span
	// logger still writes each message into the span as an event.
	logger := log.NewFactory(zap.NewNop())

	ports, err := freePorts(4)
	if err != nil {
		return err
	}
	hp := func(i int) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(ports[i])) }
	frontendHP, customerHP, driverHP, routeHP := hp(0), hp(1), hp(2), hp(3)

	errc := make(chan error, 4)
	go func() { errc <- customer.NewServer(customerHP, "otlp", metrics.NullFactory, logger).Run() }()
	go func() { errc <- driver.NewServer(driverHP, "otlp", metrics.NullFactory, logger).Run() }()
	go func() {
		errc <- route.NewServer(routeHP, tracing.Init("route", "otlp", metrics.NullFactory, logger), logger).Run()
	}()
	go func() {
		opts := frontend.ConfigOptions{
			FrontendHostPort: frontendHP, CustomerHostPort: customerHP,
			DriverHostPort: driverHP, RouteHostPort: routeHP,
		}
		errc <- frontend.NewServer(opts, tracing.Init("frontend", "otlp", metrics.NullFactory, logger), logger).Run()
	}()

	base := "http://" + frontendHP
	if err := waitUp(frontendHP, 10*time.Second, errc); err != nil {
		return err
	}

	rng := rand.New(rand.NewSource(seed))
	customers := []string{"123", "392", "731", "567"}
	ids := make([]string, requests)
	for i := range ids {
		if rng.Float64() < badShare {
			ids[i] = strconv.Itoa(900 + rng.Intn(99)) // not in HotROD's database
		} else {
			ids[i] = customers[rng.Intn(len(customers))]
		}
	}

	client := &http.Client{Timeout: 30 * time.Second}
	work := make(chan string)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failed, ok int
	for w := 0; w < concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range work {
				resp, err := client.Get(base + "/dispatch?customer=" + id)
				mu.Lock()
				if err != nil {
					failed++
				} else {
					io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
					resp.Body.Close()
					if resp.StatusCode == http.StatusOK {
						ok++
					} else {
						failed++
					}
				}
				mu.Unlock()
			}
		}()
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()

	// The batch span processors export every 100 ms; the last spans of the
	// last requests need a few of those rounds (HotROD never shuts its
	// tracer providers down, so there is no flush to call).
	time.Sleep(2 * time.Second)
	fmt.Printf("requests %d ok %d failed %d\n", requests, ok, failed)
	return nil
}

// scaleDelays shortens HotROD's simulated latencies so that a test's
// traffic takes seconds, keeping their proportions (and so the shape of
// the traces) as HotROD has them.
func scaleDelays(f float64) {
	if f <= 0 || f > 1 {
		return
	}
	d := func(v time.Duration) time.Duration { return time.Duration(float64(v) * f) }
	config.MySQLGetDelay, config.MySQLGetDelayStdDev = d(config.MySQLGetDelay), d(config.MySQLGetDelayStdDev)
	config.RedisFindDelay, config.RedisFindDelayStdDev = d(config.RedisFindDelay), d(config.RedisFindDelayStdDev)
	config.RedisGetDelay, config.RedisGetDelayStdDev = d(config.RedisGetDelay), d(config.RedisGetDelayStdDev)
	config.RouteCalcDelay, config.RouteCalcDelayStdDev = d(config.RouteCalcDelay), d(config.RouteCalcDelayStdDev)
}

func freePorts(n int) ([]int, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	ports := make([]int, 0, n)
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// waitUp waits until the frontend accepts connections. It dials instead of
// asking for a page: every HTTP request to HotROD makes a trace, and the
// tests count one trace per /dispatch request.
func waitUp(hostPort string, limit time.Duration, errc <-chan error) error {
	deadline := time.Now().Add(limit)
	for {
		select {
		case err := <-errc:
			return fmt.Errorf("a HotROD service stopped: %v", err)
		case <-time.After(50 * time.Millisecond):
		}
		if c, err := net.DialTimeout("tcp", hostPort, time.Second); err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("HotROD's frontend did not listen within %s", limit)
		}
	}
}
