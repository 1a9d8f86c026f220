package jaegertest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
)

// The correlation fixture (internal/testkit/jaegertest/testdata/correlation.json):
// a 128-bit trace of checkout-api and billing whose root carries
// correlation_id and whose billing span carries request_id.
const (
	CorrelationKey                     = "correlation_id"
	CorrelationValue                   = "corr-7f3a9c41"
	CorrelationTraceID backend.TraceID = "c0ffee00c0ffee00c0ffee00c0ffee01"
	RequestIDKey                       = "request_id"
	RequestIDValue                     = "req-55aa"
)

// Fixtures are the files Start loads, relative to the repository root:
// Zipkin JSON (.../zipkin/...) through the Zipkin receiver, the rest as OTLP
// JSON through OTLP/HTTP.
func Fixtures() []string {
	return []string{
		"testdata/fixtures/zipkin/skew.json",            // 64-bit ID 1e223ff1f80f1c69, shared span, clock skew
		"testdata/fixtures/zipkin/messaging.json",       // 128-bit ID, producer/consumer
		"testdata/fixtures/zipkin/yelp.json",            // 16 spans, 6 services
		"testdata/fixtures/zipkin/messaging-kafka.json", // error spans
		"testdata/fixtures/jaeger/otel_traces_01.json",  // two traces with high-half IDs
		"testdata/fixtures/jaeger/example_trace.json",
		"internal/testkit/jaegertest/testdata/correlation.json",
	}
}

// Trace is one trace loaded into the server.
type Trace struct {
	ID backend.TraceID
	// Source is the fixture path relative to the repository root.
	Source string
	// Format is "zipkin" or "otlp".
	Format string
	// Services are the services of the trace's spans, sorted.
	Services []string
	// Spans is the number of spans sent.
	Spans int
	// Start is the earliest span start after the shift to now.
	Start time.Time
}

// Jaeger is a running Jaeger v2. All addresses are on 127.0.0.1.
type Jaeger struct {
	// BaseURL is the query service (UI, /api and /api/v3), e.g. http://127.0.0.1:41686.
	BaseURL string
	// QueryGRPC is the query service's gRPC address (host:port).
	QueryGRPC string
	// OTLPURL is the OTLP/HTTP receiver (POST {OTLPURL}/v1/traces).
	OTLPURL string
	// ZipkinURL is the Zipkin receiver (POST {ZipkinURL}/api/v2/spans).
	ZipkinURL string
	// HealthURL answers 200 once every component is up.
	HealthURL string
	// MetricsURL is the collector's own Prometheus endpoint.
	MetricsURL string
	// Traces are the loaded fixture traces, in load order.
	Traces []Trace

	dir     string
	logPath string
	cmd     *exec.Cmd
	exited  chan struct{}
	stopped sync.Once
}

// ErrNoBinary is wrapped by Start when no Jaeger binary is found.
var ErrNoBinary = errors.New("no jaeger binary")

// Start finds the binary, starts Jaeger, waits until it is ready, loads
// Fixtures with their times shifted to the last few minutes, and waits
// until every loaded trace can be fetched. ctx bounds all of it.
func Start(ctx context.Context) (*Jaeger, error) {
	bin, err := FindBinary()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoBinary, err)
	}
	root, err := RepoRoot()
	if err != nil {
		return nil, err
	}
	var j *Jaeger
	// A free port picked here may be taken by someone else before Jaeger
	// binds it; a fresh set of ports fixes that.
	for attempt := 0; ; attempt++ {
		j, err = launch(ctx, bin)
		if err == nil {
			break
		}
		if attempt == 2 || ctx.Err() != nil {
			return nil, err
		}
	}
	if err := j.loadFixtures(ctx, root, time.Now()); err != nil {
		j.Stop()
		return nil, err
	}
	return j, nil
}

func freePorts(n int) ([]int, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	ports := make([]int, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// config is the Jaeger v2 (OpenTelemetry collector) configuration: memory
// storage, the query extension, OTLP/HTTP and Zipkin receivers, a health
// check, and the collector's own metrics, every one on 127.0.0.1.
func config(queryHTTP, queryGRPC, otlpHTTP, zipkin, health, metrics int) string {
	return fmt.Sprintf(`service:
  extensions: [jaeger_storage, jaeger_query, healthcheckv2]
  pipelines:
    traces:
      receivers: [otlp, zipkin]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: basic
      readers:
        - pull:
            exporter:
              prometheus:
                host: 127.0.0.1
                port: %[6]d
    logs:
      level: info
extensions:
  healthcheckv2:
    use_v2: true
    http:
      endpoint: 127.0.0.1:%[5]d
  jaeger_query:
    enable_tracing: false
    storage:
      traces: memstore
    http:
      endpoint: 127.0.0.1:%[1]d
    grpc:
      endpoint: 127.0.0.1:%[2]d
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 100000
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:%[3]d
  zipkin:
    endpoint: 127.0.0.1:%[4]d
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
`, queryHTTP, queryGRPC, otlpHTTP, zipkin, health, metrics)
}

func launch(ctx context.Context, bin string) (*Jaeger, error) {
	ports, err := freePorts(6)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "tracetui-jaeger-")
	if err != nil {
		return nil, err
	}
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte(config(ports[0], ports[1], ports[2], ports[3], ports[4], ports[5])), 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	logPath := filepath.Join(dir, "jaeger.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	defer logFile.Close()
	addr := func(p int) string { return "127.0.0.1:" + strconv.Itoa(p) }
	j := &Jaeger{
		BaseURL:    "http://" + addr(ports[0]),
		QueryGRPC:  addr(ports[1]),
		OTLPURL:    "http://" + addr(ports[2]),
		ZipkinURL:  "http://" + addr(ports[3]),
		HealthURL:  "http://" + addr(ports[4]) + "/status",
		MetricsURL: "http://" + addr(ports[5]) + "/metrics",
		dir:        dir,
		logPath:    logPath,
		exited:     make(chan struct{}),
	}
	j.cmd = exec.Command(bin, "--config", cfg)
	j.cmd.Dir = dir
	j.cmd.Stdout, j.cmd.Stderr = logFile, logFile
	j.cmd.Env = cleanEnv()
	setProcAttr(j.cmd)
	if err := j.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	go func() {
		j.cmd.Wait()
		close(j.exited)
	}()
	if err := j.waitReady(ctx); err != nil {
		j.Stop()
		return nil, err
	}
	return j, nil
}

// cleanEnv drops variables that would change where Jaeger listens or what
// it exports; the config file says everything.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "OTEL_") || strings.HasPrefix(kv, "JAEGER_") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// client is for the harness's own requests; it never goes through a proxy.
func client() *http.Client {
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
}

func (j *Jaeger) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	hc := client()
	ready := func() bool {
		for _, u := range []string{j.HealthURL, j.BaseURL + "/api/services"} {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
			resp, err := hc.Do(req)
			if err != nil {
				return false
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return false
			}
		}
		return true
	}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		if ready() {
			return nil
		}
		select {
		case <-j.exited:
			return fmt.Errorf("jaeger exited during startup:\n%s", j.LogTail(40))
		case <-ctx.Done():
			return fmt.Errorf("jaeger not ready: %w\n%s", ctx.Err(), j.LogTail(40))
		case <-tick.C:
		}
	}
}

// LogTail returns the last n lines of Jaeger's log, for failure messages.
func (j *Jaeger) LogTail(n int) string {
	b, err := os.ReadFile(j.logPath)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// Stop ends Jaeger (SIGTERM, then SIGKILL after 10s) and removes its
// folder. It is safe to call more than once.
func (j *Jaeger) Stop() error {
	var err error
	j.stopped.Do(func() {
		if j.cmd != nil && j.cmd.Process != nil {
			if terr := terminate(j.cmd.Process); terr != nil {
				j.cmd.Process.Kill()
			}
			select {
			case <-j.exited:
			case <-time.After(10 * time.Second):
				j.cmd.Process.Kill()
				<-j.exited
			}
		}
		err = os.RemoveAll(j.dir)
	})
	return err
}

// Trace returns the loaded trace with the given ID.
func (j *Jaeger) Trace(id backend.TraceID) (Trace, bool) {
	for _, t := range j.Traces {
		if t.ID == id {
			return t, true
		}
	}
	return Trace{}, false
}

// TracesFrom returns the traces loaded from one fixture file.
func (j *Jaeger) TracesFrom(source string) []Trace {
	var out []Trace
	for _, t := range j.Traces {
		if t.Source == source {
			out = append(out, t)
		}
	}
	return out
}

// ShiftSpacing is the gap between the start times given to successive
// fixtures; the first starts ShiftSpacing*len(Fixtures()) before now, so all
// lie within the last few minutes (a one-hour search finds them all).
const ShiftSpacing = 20 * time.Second

func (j *Jaeger) loadFixtures(ctx context.Context, root string, now time.Time) error {
	files := Fixtures()
	for i, rel := range files {
		raw, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			return err
		}
		format := "otlp"
		if strings.Contains(rel, "/zipkin/") {
			format = "zipkin"
		}
		target := now.Add(-ShiftSpacing * time.Duration(len(files)-i)).Truncate(time.Microsecond)
		body, traces, err := Shift(raw, format, target)
		if err != nil {
			return fmt.Errorf("%s: %w", rel, err)
		}
		if format == "zipkin" {
			err = j.PostZipkin(ctx, body)
		} else {
			err = j.PostOTLP(ctx, body)
		}
		if err != nil {
			return fmt.Errorf("loading %s: %w", rel, err)
		}
		for k := range traces {
			traces[k].Source = rel
		}
		j.Traces = append(j.Traces, traces...)
	}
	for _, t := range j.Traces {
		if err := j.WaitForTrace(ctx, t.ID); err != nil {
			return err
		}
	}
	return nil
}

// PostOTLP sends OTLP JSON to the OTLP/HTTP receiver.
func (j *Jaeger) PostOTLP(ctx context.Context, body []byte) error {
	return post(ctx, j.OTLPURL+"/v1/traces", body)
}

// PostZipkin sends Zipkin v2 JSON to the Zipkin receiver.
func (j *Jaeger) PostZipkin(ctx context.Context, body []byte) error {
	return post(ctx, j.ZipkinURL+"/api/v2/spans", body)
}

func post(ctx context.Context, url string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("POST %s: HTTP %d: %s", url, resp.StatusCode, backend.Excerpt(msg, 300))
	}
	return nil
}

// WaitForTrace polls /api/traces/{id} until the trace is there.
func (j *Jaeger) WaitForTrace(ctx context.Context, id backend.TraceID) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	hc := client()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, j.BaseURL+"/api/traces/"+string(id), nil)
		resp, err := hc.Do(req)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("trace %s not queryable: %w\n%s", id, ctx.Err(), j.LogTail(20))
		case <-j.exited:
			return fmt.Errorf("jaeger exited:\n%s", j.LogTail(40))
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Shift moves every timestamp of a Zipkin ("zipkin") or OTLP ("otlp") JSON
// document so that its earliest span starts at start, and reports the traces
// in it. Numbers keep their JSON form (OTLP writes nanoseconds as strings).
func Shift(raw []byte, format string, start time.Time) ([]byte, []Trace, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, nil, err
	}
	// Zipkin times are µs, OTLP ns.
	unit := int64(1)
	keys := []string{"startTimeUnixNano", "endTimeUnixNano", "timeUnixNano"}
	minKey := "startTimeUnixNano"
	if format == "zipkin" {
		unit = 1000
		keys = []string{"timestamp"}
		minKey = "timestamp"
	}
	earliest := int64(0)
	walk(doc, []string{minKey}, func(v int64) int64 {
		if v > 0 && (earliest == 0 || v < earliest) {
			earliest = v
		}
		return v
	})
	if earliest == 0 {
		return nil, nil, errors.New("no span start time found")
	}
	delta := start.UnixNano()/unit - earliest
	walk(doc, keys, func(v int64) int64 {
		if v > 0 {
			return v + delta
		}
		return v
	})
	out, err := json.Marshal(doc)
	if err != nil {
		return nil, nil, err
	}
	var traces []Trace
	if format == "zipkin" {
		traces, err = zipkinTraces(out)
	} else {
		traces, err = otlpTraces(out)
	}
	return out, traces, err
}

// walk calls f on every integer value (number or numeric string) of the
// named fields of objects anywhere in v, and stores what f returns. Other
// fields are left alone: IDs such as "0000000000000004" look numeric too.
func walk(v any, keys []string, f func(v int64) int64) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if !slices.Contains(keys, k) {
				walk(val, keys, f)
				continue
			}
			switch n := val.(type) {
			case json.Number:
				if i, err := n.Int64(); err == nil {
					x[k] = json.Number(strconv.FormatInt(f(i), 10))
				}
			case string:
				if i, err := strconv.ParseInt(n, 10, 64); err == nil {
					x[k] = strconv.FormatInt(f(i), 10)
				}
			}
		}
	case []any:
		for _, e := range x {
			walk(e, keys, f)
		}
	}
}

type collected struct {
	order    []backend.TraceID
	byID     map[backend.TraceID]*Trace
	services map[backend.TraceID]map[string]bool
}

func newCollected() *collected {
	return &collected{byID: map[backend.TraceID]*Trace{}, services: map[backend.TraceID]map[string]bool{}}
}

func (c *collected) add(format, rawID, service string, startNs int64) error {
	id, err := backend.ParseTraceID(rawID)
	if err != nil {
		return fmt.Errorf("trace ID %q: %w", rawID, err)
	}
	t := c.byID[id]
	if t == nil {
		t = &Trace{ID: id, Format: format}
		c.byID[id] = t
		c.services[id] = map[string]bool{}
		c.order = append(c.order, id)
	}
	t.Spans++
	if service != "" {
		c.services[id][service] = true
	}
	if startNs > 0 && (t.Start.IsZero() || startNs < t.Start.UnixNano()) {
		t.Start = time.Unix(0, startNs)
	}
	return nil
}

func (c *collected) traces() []Trace {
	out := make([]Trace, 0, len(c.order))
	for _, id := range c.order {
		t := *c.byID[id]
		for s := range c.services[id] {
			t.Services = append(t.Services, s)
		}
		slices.Sort(t.Services)
		out = append(out, t)
	}
	return out
}

func zipkinTraces(b []byte) ([]Trace, error) {
	type span struct {
		TraceID       string `json:"traceId"`
		Timestamp     int64  `json:"timestamp"`
		LocalEndpoint struct {
			ServiceName string `json:"serviceName"`
		} `json:"localEndpoint"`
	}
	var spans []span
	if err := json.Unmarshal(b, &spans); err != nil {
		var nested [][]span
		if err2 := json.Unmarshal(b, &nested); err2 != nil {
			return nil, err
		}
		for _, n := range nested {
			spans = append(spans, n...)
		}
	}
	c := newCollected()
	for _, s := range spans {
		if err := c.add("zipkin", s.TraceID, s.LocalEndpoint.ServiceName, s.Timestamp*1000); err != nil {
			return nil, err
		}
	}
	return c.traces(), nil
}

func otlpTraces(b []byte) ([]Trace, error) {
	var doc struct {
		ResourceSpans []struct {
			Resource struct {
				Attributes []struct {
					Key   string `json:"key"`
					Value struct {
						StringValue string `json:"stringValue"`
					} `json:"value"`
				} `json:"attributes"`
			} `json:"resource"`
			ScopeSpans []struct {
				Spans []struct {
					TraceID           string      `json:"traceId"`
					StartTimeUnixNano json.Number `json:"startTimeUnixNano"`
				} `json:"spans"`
			} `json:"scopeSpans"`
		} `json:"resourceSpans"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	c := newCollected()
	for _, rs := range doc.ResourceSpans {
		service := ""
		for _, a := range rs.Resource.Attributes {
			if a.Key == "service.name" {
				service = a.Value.StringValue
			}
		}
		for _, ss := range rs.ScopeSpans {
			for _, s := range ss.Spans {
				start, _ := strconv.ParseInt(string(s.StartTimeUnixNano), 10, 64)
				if err := c.add("otlp", s.TraceID, service, start); err != nil {
					return nil, err
				}
			}
		}
	}
	return c.traces(), nil
}

// registry holds the one Jaeger of a test binary. It is process-wide by
// nature (one server shared by every test, stopped by Main), which is why
// it is the package's only variable.
type registry struct {
	mu      sync.Mutex
	started bool
	j       *Jaeger
	err     error
	// hotrod is a second server, filled with HotROD traffic (SharedHotROD).
	hotrod struct {
		started bool
		j       *Jaeger
		run     HotRODRun
		err     error
	}
}

var shared registry

// Shared returns the test binary's Jaeger, starting it on first use. With
// no binary it skips the test, or fails it when CI=true. Use Main in
// TestMain so that the server is stopped.
func Shared(t testing.TB) *Jaeger {
	t.Helper()
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if !shared.started {
		shared.started = true
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		shared.j, shared.err = Start(ctx)
		cancel()
	}
	if shared.err != nil {
		if errors.Is(shared.err, ErrNoBinary) && !InCI() {
			t.Skipf("skipping: %v", shared.err)
		}
		t.Fatalf("real Jaeger unavailable: %v", shared.err)
	}
	return shared.j
}

// InCI reports CI=true, where a missing Jaeger is a failure.
func InCI() bool { return os.Getenv("CI") == "true" }

// Main runs the tests and stops the shared Jaeger afterwards; use it as
// os.Exit(jaegertest.Main(m)). With CI=true and no binary it fails at once
// with a clear message.
func Main(m *testing.M) int {
	if InCI() {
		if _, err := FindBinary(); err != nil {
			fmt.Fprintf(os.Stderr, "FAIL: CI=true requires the real Jaeger: %v\n", err)
			return 1
		}
	}
	code := m.Run()
	shared.mu.Lock()
	defer shared.mu.Unlock()
	for _, j := range []*Jaeger{shared.j, shared.hotrod.j} {
		if j == nil {
			continue
		}
		if err := j.Stop(); err != nil {
			fmt.Fprintf(os.Stderr, "stopping jaeger: %v\n", err)
		}
	}
	return code
}
