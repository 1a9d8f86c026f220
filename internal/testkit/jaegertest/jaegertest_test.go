package jaegertest

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

func repoFile(t *testing.T, rel string) []byte {
	t.Helper()
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestShiftZipkin(t *testing.T) {
	raw := repoFile(t, "testdata/fixtures/zipkin/skew.json")
	start := time.Date(2030, 1, 2, 3, 4, 5, 6000, time.UTC)
	out, traces, err := Shift(raw, "zipkin", start)
	if err != nil {
		t.Fatal(err)
	}
	var before, after []struct {
		Timestamp   int64 `json:"timestamp"`
		Duration    int64 `json:"duration"`
		Annotations []struct {
			Timestamp int64 `json:"timestamp"`
		} `json:"annotations"`
	}
	json.Unmarshal(raw, &before)
	if err := json.Unmarshal(out, &after); err != nil || len(after) != len(before) {
		t.Fatalf("%v %d", err, len(after))
	}
	earliest := slices.MinFunc(after, func(a, b struct {
		Timestamp   int64 `json:"timestamp"`
		Duration    int64 `json:"duration"`
		Annotations []struct {
			Timestamp int64 `json:"timestamp"`
		} `json:"annotations"`
	}) int {
		return int(a.Timestamp - b.Timestamp)
	}).Timestamp
	if earliest != start.UnixMicro() {
		t.Errorf("earliest %d, want %d", earliest, start.UnixMicro())
	}
	delta := after[0].Timestamp - before[0].Timestamp
	for i := range after {
		if after[i].Timestamp-before[i].Timestamp != delta || after[i].Duration != before[i].Duration {
			t.Errorf("span %d not shifted uniformly", i)
		}
		for k := range after[i].Annotations {
			if after[i].Annotations[k].Timestamp-before[i].Annotations[k].Timestamp != delta {
				t.Errorf("annotation %d/%d not shifted", i, k)
			}
		}
	}
	if len(traces) != 1 || traces[0].ID != "00000000000000001e223ff1f80f1c69" || traces[0].Spans != 4 ||
		!slices.Equal(traces[0].Services, []string{"servicea", "serviceb"}) || !traces[0].Start.Equal(start) {
		t.Errorf("traces %+v", traces)
	}
}

func TestShiftOTLPKeepsStringNumbers(t *testing.T) {
	raw := repoFile(t, "internal/testkit/jaegertest/testdata/correlation.json")
	start := time.Unix(1800000000, 0)
	out, traces, err := Shift(raw, "otlp", start)
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, want := range []string{
		`"startTimeUnixNano":"1800000000000000000"`,
		`"endTimeUnixNano":"1800000000250000000"`,
		`"timeUnixNano":"1800000000200000000"`,
		`"intValue":"502"`, // not a time: untouched
	} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %s", want)
		}
	}
	if len(traces) != 1 || traces[0].ID != CorrelationTraceID || traces[0].Spans != 3 ||
		!slices.Equal(traces[0].Services, []string{"billing", "checkout-api"}) {
		t.Errorf("traces %+v", traces)
	}
	if !strings.Contains(s, CorrelationValue) || !strings.Contains(s, RequestIDValue) {
		t.Error("correlation values lost")
	}
}

func TestShiftLeavesNumericIDsAlone(t *testing.T) {
	out, traces, err := Shift(repoFile(t, "testdata/fixtures/jaeger/otel_traces_01.json"), "otlp", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"traceId":"00000000000000010000000000000000"`) ||
		!strings.Contains(string(out), `"spanId":"0000000000000004"`) {
		t.Error("IDs rewritten")
	}
	if len(traces) != 2 || traces[0].ID != "00000000000000010000000000000000" {
		t.Errorf("traces %+v", traces)
	}
}

func TestConfigListensOnLoopbackOnly(t *testing.T) {
	cfg := config(1, 2, 3, 4, 5, 6)
	if strings.Contains(cfg, "0.0.0.0") || strings.Contains(cfg, "localhost") {
		t.Error("config names a non-loopback address")
	}
	for p := 1; p <= 6; p++ {
		if !strings.Contains(cfg, "127.0.0.1:"+strconv.Itoa(p)) && !strings.Contains(cfg, "port: "+strconv.Itoa(p)) {
			t.Errorf("port %d not in config", p)
		}
	}
}

func TestFindBinaryHonoursEnv(t *testing.T) {
	t.Setenv(EnvBinary, filepath.Join(t.TempDir(), "nope"))
	if _, err := FindBinary(); err == nil || !strings.Contains(err.Error(), EnvBinary) {
		t.Errorf("err %v", err)
	}
	t.Setenv(EnvBinary, "")
	t.Setenv("XDG_CACHE_HOME", "/x/cache")
	if p, _ := CachePath(); p != "/x/cache/tracetui/jaeger-v1.75.0" {
		t.Errorf("cache path %s", p)
	}
}

// TestRealJaeger checks the running server: ready, every listener on
// 127.0.0.1, every fixture trace fetchable and within the last hour.
func TestRealJaeger(t *testing.T) {
	j := Shared(t)
	var ids []string
	for _, tr := range j.Traces {
		ids = append(ids, string(tr.ID))
	}
	want := []string{
		"00000000000000001e223ff1f80f1c69", "5aab74dbb904746bb33447baae403ed6", "0000000000000000a03ee8fff1dcd9b9",
		"00000000000000000562809467078eab", "00000000000000010000000000000000", "00000000000000020000000000000000",
		"00000000000000000000000000000011", string(CorrelationTraceID),
	}
	if !slices.Equal(ids, want) {
		t.Fatalf("loaded %v", ids)
	}
	now := time.Now()
	for _, tr := range j.Traces {
		if now.Sub(tr.Start) > 30*time.Minute || tr.Start.After(now) {
			t.Errorf("%s starts at %v, not in the last half hour", tr.ID, tr.Start)
		}
	}
	if _, ok := j.Trace(CorrelationTraceID); !ok {
		t.Error("correlation trace not loaded")
	}
	resp, err := http.Get(j.BaseURL + "/api/services")
	if err != nil {
		t.Fatal(err)
	}
	var env struct{ Data []string }
	json.NewDecoder(resp.Body).Decode(&env)
	resp.Body.Close()
	for _, s := range []string{"servicea", "checkout-api", "billing", "service-x", "yelp_main/api_proxy"} {
		if !slices.Contains(env.Data, s) {
			t.Errorf("service %s missing from %v", s, env.Data)
		}
	}
	for _, u := range []string{j.HealthURL, j.MetricsURL} {
		r, err := http.Get(u)
		if err != nil {
			t.Errorf("%s: %v", u, err)
			continue
		}
		r.Body.Close()
		if r.StatusCode != 200 {
			t.Errorf("%s: %d", u, r.StatusCode)
		}
	}
	if runtime.GOOS == "linux" {
		addrs := listeners(t, j.cmd.Process.Pid)
		if len(addrs) < 6 {
			t.Errorf("only %d listeners: %v", len(addrs), addrs)
		}
		for _, a := range addrs {
			if !strings.HasPrefix(a, "127.0.0.1:") {
				t.Errorf("Jaeger listens on %s", a)
			}
		}
	}
}

// listeners reads the process's listening TCP sockets from /proc.
func listeners(t *testing.T, pid int) []string {
	t.Helper()
	fds, err := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/fd")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	inodes := map[string]bool{}
	for _, fd := range fds {
		l, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/fd/" + fd.Name())
		if err == nil && strings.HasPrefix(l, "socket:[") {
			inodes[strings.TrimSuffix(strings.TrimPrefix(l, "socket:["), "]")] = true
		}
	}
	var out []string
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n")[1:] {
			fields := strings.Fields(line)
			if len(fields) < 10 || fields[3] != "0A" || !inodes[fields[9]] {
				continue
			}
			out = append(out, decodeProcAddr(fields[1]))
		}
	}
	return out
}

func decodeProcAddr(s string) string {
	host, port, _ := strings.Cut(s, ":")
	p, _ := strconv.ParseUint(port, 16, 16)
	if len(host) == 8 {
		v, _ := strconv.ParseUint(host, 16, 32)
		return strconv.Itoa(int(v&0xff)) + "." + strconv.Itoa(int(v>>8&0xff)) + "." +
			strconv.Itoa(int(v>>16&0xff)) + "." + strconv.Itoa(int(v>>24)) + ":" + strconv.Itoa(int(p))
	}
	return "[" + host + "]:" + strconv.Itoa(int(p))
}

func TestPostAfterStartIsQueryable(t *testing.T) {
	j := Shared(t)
	body, traces, err := Shift(repoFile(t, "testdata/fixtures/otel-proto/trace.json"), "otlp", time.Now().Add(-time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := j.PostOTLP(ctx, body); err != nil {
		t.Fatal(err)
	}
	if len(traces) != 1 || traces[0].ID != backend.TraceID("5b8efff798038103d269b633813fc60c") {
		t.Fatalf("traces %+v", traces)
	}
	if err := j.WaitForTrace(ctx, traces[0].ID); err != nil {
		t.Fatal(err)
	}
}
