package jaegertest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
)

// HotRODVersion is the Jaeger module version whose demo application,
// HotROD, makes the tests' real traffic (internal/testkit/hotrod pins it).
const HotRODVersion = "v1.42.0"

// HotRODBinaryName is the file name of the built traffic program in the
// cache folder, next to the Jaeger binary.
const HotRODBinaryName = "hotrod-" + HotRODVersion

// EnvHotRODBinary names an explicit HotROD traffic binary, overriding the
// cache.
const EnvHotRODBinary = "TRACETUI_HOTROD_BIN"

// HotRODService is the service of every HotROD trace's root span.
const HotRODService = "frontend"

// HotRODCachePath is where the traffic program is built and looked for.
func HotRODCachePath() (string, error) {
	p, err := CachePath()
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(p), HotRODBinaryName), nil
}

// FindHotROD returns the traffic program to run: $TRACETUI_HOTROD_BIN when
// set (it must exist), else the cache path when the file is there.
func FindHotROD() (string, error) { return hotrodTool().find() }

// hotrodTool is a function, not a variable: no package-level state.
func hotrodTool() program {
	return program{name: "hotrod", version: HotRODVersion, env: EnvHotRODBinary, cache: HotRODCachePath,
		dir: filepath.Join("internal", "testkit", "hotrod"), pkg: "."}
}

// BuildHotROD builds the traffic program (internal/testkit/hotrod, a module
// of its own) into the cache unless it is already there, and returns its
// path.
func BuildHotROD(ctx context.Context, out io.Writer) (string, error) {
	return hotrodTool().build(ctx, out)
}

// HotRODOptions shape a run of traffic.
type HotRODOptions struct {
	// Requests is the number of /dispatch requests (default 40).
	Requests int
	// Concurrency is the number in flight at once (default 4); requests
	// queue on HotROD's MySQL mutex, which makes a slow tail.
	Concurrency int
	// Seed picks the customers (default 1).
	Seed int64
}

// HotRODRun is what a run left in Jaeger.
type HotRODRun struct {
	// TraceIDs are the traces whose root is HotROD's frontend, one per
	// request, as Jaeger's search returns them.
	TraceIDs []backend.TraceID
	// Spans is the number of spans in those traces.
	Spans int
	// Output is the traffic program's last line ("requests 40 ok 37 failed 3").
	Output string
}

// RunHotROD sends HotROD traffic into this Jaeger and waits until every
// request's trace is complete in storage: the frontend's trace count equals
// the number of requests and the span count has stopped changing.
func (j *Jaeger) RunHotROD(ctx context.Context, opts HotRODOptions) (HotRODRun, error) {
	if opts.Requests <= 0 {
		opts.Requests = 40
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 4
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	bin, err := FindHotROD()
	if err != nil {
		return HotRODRun{}, fmt.Errorf("%w: %v", ErrNoBinary, err)
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-otlp", j.OTLPURL,
		"-requests", strconv.Itoa(opts.Requests), "-concurrency", strconv.Itoa(opts.Concurrency),
		"-seed", strconv.FormatInt(opts.Seed, 10))
	cmd.Env = cleanEnv()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return HotRODRun{}, fmt.Errorf("hotrod: %v: %s", err, backend.Excerpt(stderr.Bytes(), 500))
	}
	// HotROD's customer client prints each URL it calls; the program's own
	// summary is the last line.
	out := bytes.TrimSpace(stdout.Bytes())
	if i := bytes.LastIndexByte(out, '\n'); i >= 0 {
		out = out[i+1:]
	}
	run := HotRODRun{Output: string(out)}

	// Poll until every request's trace is there and the span count holds
	// still for two rounds: spans of one trace come from four services'
	// exporters, so a trace can be listed before its last spans arrive.
	last, steady := -1, 0
	for {
		ids, spans, err := j.frontendTraces(ctx, opts.Requests)
		if err == nil && len(ids) >= opts.Requests {
			if spans == last {
				steady++
			} else {
				steady = 0
			}
			last = spans
			if steady >= 2 {
				run.TraceIDs, run.Spans = ids, spans
				return run, nil
			}
		}
		select {
		case <-ctx.Done():
			return HotRODRun{}, fmt.Errorf("hotrod traces not complete in Jaeger (%d of %d traces seen): %w", len(ids), opts.Requests, ctx.Err())
		case <-j.exited:
			return HotRODRun{}, fmt.Errorf("jaeger exited:\n%s", j.LogTail(40))
		case <-time.After(300 * time.Millisecond):
		}
	}
}

// frontendTraces lists the traces of HotROD's frontend in the last hour
// (Jaeger's v1 search, whole traces) with their total span count.
func (j *Jaeger) frontendTraces(ctx context.Context, want int) ([]backend.TraceID, int, error) {
	q := url.Values{"service": {HotRODService}, "lookback": {"1h"}, "limit": {strconv.Itoa(want * 2)}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, j.BaseURL+"/api/traces?"+q.Encode(), nil)
	if err != nil {
		return nil, 0, err
	}
	resp, err := client().Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, 0, fmt.Errorf("search: HTTP %d", resp.StatusCode)
	}
	var body struct {
		Data []struct {
			TraceID string            `json:"traceID"`
			Spans   []json.RawMessage `json:"spans"`
		} `json:"data"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 256<<20)).Decode(&body); err != nil {
		return nil, 0, err
	}
	var ids []backend.TraceID
	spans := 0
	for _, t := range body.Data {
		id, err := backend.ParseTraceID(t.TraceID)
		if err != nil {
			return nil, 0, err
		}
		ids = append(ids, id)
		spans += len(t.Spans)
	}
	return ids, spans, nil
}

// SharedHotROD returns a Jaeger of its own holding HotROD traffic
// (DefaultHotRODRequests requests, with failing redis calls and unknown
// customers), started once per test binary and stopped by Main. Without
// the Jaeger or the HotROD binary the test is skipped, or fails with
// CI=true.
func SharedHotROD(t testing.TB) (*Jaeger, HotRODRun) {
	t.Helper()
	shared.mu.Lock()
	defer shared.mu.Unlock()
	h := &shared.hotrod
	if !h.started {
		h.started = true
		h.j, h.run, h.err = startHotROD()
	}
	if h.err != nil {
		if errors.Is(h.err, ErrNoBinary) && !InCI() {
			t.Skipf("skipping: %v", h.err)
		}
		t.Fatalf("real Jaeger with HotROD traffic unavailable: %v", h.err)
	}
	return h.j, h.run
}

// DefaultHotRODRequests is the number of requests SharedHotROD sends.
const DefaultHotRODRequests = 60

func startHotROD() (*Jaeger, HotRODRun, error) {
	if _, err := FindHotROD(); err != nil {
		return nil, HotRODRun{}, fmt.Errorf("%w: %v", ErrNoBinary, err)
	}
	bin, err := FindBinary()
	if err != nil {
		return nil, HotRODRun{}, fmt.Errorf("%w: %v", ErrNoBinary, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	var j *Jaeger
	for attempt := 0; ; attempt++ {
		j, err = launch(ctx, bin)
		if err == nil {
			break
		}
		if attempt == 2 || ctx.Err() != nil {
			return nil, HotRODRun{}, err
		}
	}
	run, err := j.RunHotROD(ctx, HotRODOptions{Requests: DefaultHotRODRequests})
	if err != nil {
		j.Stop()
		return nil, HotRODRun{}, err
	}
	return j, run, nil
}
