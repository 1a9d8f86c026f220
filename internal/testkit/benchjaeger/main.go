// Command benchjaeger measures issue 6's second target: a 100,000-span trace
// fetched from the real Jaeger of the integration tests must reach its first
// waterfall frame in the TUI within 1.2× the time `show --file` takes on the
// same trace as a Jaeger JSON file.
//
// It starts Jaeger with the test harness (internal/testkit/jaegertest), loads a
// demo.Generate trace through OTLP/HTTP, waits until /api/traces/{id} returns
// every span, writes the same trace as Jaeger JSON to a temporary file, and
// then takes the best of -runs for:
//
//	(a) tracetui show --file FILE --output json          (wall time)
//	(b) tracetui --jaeger URL TRACE_ID in tmux at 120×40 (until the first waterfall frame)
//	(c) tracetui show --jaeger URL TRACE_ID --output json (wall time, for reference)
//
// Usage (scripts/bench-jaeger builds the binaries and runs this):
//
//	go run ./internal/testkit/benchjaeger -tracetui /path/to/tracetui [-spans N] [-runs N] [-screens DIR] [-check]
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/demo"
	"github.com/tracetui/tracetui/backend/jaeger"
	"github.com/tracetui/tracetui/backend/jaegerjson"
	"github.com/tracetui/tracetui/backend/otlp"
	"github.com/tracetui/tracetui/internal/testkit/jaegertest"
)

// target is issue 6's bound on (TUI first frame) / (show --file).
const target = 1.2

// batchSpans keeps each OTLP/HTTP POST far below the collector receiver's
// default 20 MiB request limit (about 700 bytes of OTLP JSON per span).
const batchSpans = 10000

type options struct {
	tracetui string
	spans    int
	runs     int
	poll     time.Duration
	wait     time.Duration
	timeout  string
	screens  string
	check    bool
	serve    bool
	parts    bool
}

func main() {
	var o options
	flag.StringVar(&o.tracetui, "tracetui", "", "tracetui binary to measure (required)")
	flag.IntVar(&o.spans, "spans", 100000, "spans in the generated trace")
	flag.IntVar(&o.runs, "runs", 3, "runs per measurement; the best counts")
	flag.DurationVar(&o.poll, "poll", 20*time.Millisecond, "how often the tmux screen is captured")
	flag.DurationVar(&o.wait, "frame-timeout", 2*time.Minute, "give up on a TUI run after this long")
	flag.StringVar(&o.timeout, "timeout", "", "passed to tracetui as --timeout when set (its default is 10s)")
	flag.StringVar(&o.screens, "screens", "", "write every distinct screen of the first TUI run into this folder")
	flag.BoolVar(&o.check, "check", false, "exit 1 when the target is missed")
	flag.BoolVar(&o.parts, "breakdown", true, "also split the fetch into server wait, transfer, decode and tree, for /api/traces and /api/v3/traces, in this process")
	flag.BoolVar(&o.serve, "serve", false, "load the trace, print the URL, trace ID and file, and keep Jaeger up until interrupted (for profiling)")
	flag.Parse()
	if o.tracetui == "" || o.spans < 1 || o.runs < 1 || o.poll <= 0 {
		flag.Usage()
		os.Exit(2)
	}
	if abs, err := filepath.Abs(o.tracetui); err == nil {
		o.tracetui = abs
	}
	os.Exit(run(o))
}

// run returns the exit code; it exists so that every deferred cleanup (Jaeger,
// tmux, temp files) runs before the process exits, signals included.
func run(o options) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	logf := func(format string, a ...any) { fmt.Fprintf(os.Stderr, "benchjaeger: "+format+"\n", a...) }

	printMachine()

	work, err := os.MkdirTemp("", "benchjaeger-")
	if err != nil {
		logf("%v", err)
		return 1
	}
	defer os.RemoveAll(work)

	logf("starting Jaeger %s", jaegertest.Version)
	startCtx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	j, err := jaegertest.Start(startCtx)
	cancel()
	if err != nil {
		logf("%v", err)
		return 1
	}
	defer j.Stop()

	t := demo.Generate(o.spans, 1, time.Now().Add(-2*time.Minute).Truncate(time.Microsecond))
	id := string(t.ID)
	logf("loading %d spans of trace %s through OTLP/HTTP", len(t.Spans), id)
	began := time.Now()
	if err := load(ctx, j, t); err != nil {
		logf("%v", err)
		return 1
	}
	if err := waitAll(ctx, j, t.ID, len(t.Spans)); err != nil {
		logf("%v", err)
		return 1
	}
	logf("Jaeger returns all %d spans (%.1fs after the first POST)", len(t.Spans), time.Since(began).Seconds())

	file := filepath.Join(work, "trace.json")
	size, err := writeJaegerJSON(file, t)
	if err != nil {
		logf("%v", err)
		return 1
	}
	rootService := ""
	for i := range t.Spans {
		if t.Spans[i].ParentID == "" && t.Spans[i].Service != "" {
			rootService = t.Spans[i].Service
			break
		}
	}
	if rootService == "" {
		logf("the generated trace has no root span with a service")
		return 1
	}
	t = nil // the measured processes need the memory more than we do
	runtime.GC()
	cfg := filepath.Join(work, "config.yaml")
	if err := os.WriteFile(cfg, nil, 0o600); err != nil {
		logf("%v", err)
		return 1
	}
	respSize, gz := responseSize(ctx, j.BaseURL, id)
	fmt.Printf("jaeger:  %s (module %s) at %s; trace %s\n", j.BaseURL, jaegertest.Version, "127.0.0.1", id)
	fmt.Printf("trace:   %d spans; Jaeger JSON file %.1f MB; /api/traces response %.1f MB (gzip %s)\n",
		o.spans, float64(size)/1e6, float64(respSize)/1e6, gz)
	fmt.Println()

	if o.serve {
		fmt.Printf("serving: --jaeger %s %s   (file %s); interrupt to stop\n", j.BaseURL, id, file)
		<-ctx.Done()
		return 0
	}

	global := []string{"--config", cfg}
	if o.timeout != "" {
		global = append(global, "--timeout", o.timeout)
	}
	showFile := append(append([]string{"show"}, global...), "--file", file, "--output", "json")
	showJaeger := append(append([]string{"show"}, global...), "--jaeger", j.BaseURL, id, "--output", "json")
	tuiArgs := append(append([]string{}, global...), "--jaeger", j.BaseURL, id)

	a, err := bestWall(ctx, o, "show --file --output json", showFile, o.spans)
	if err != nil {
		logf("%v", err)
		return 1
	}
	tm, err := newTmux(ctx)
	if err != nil {
		logf("%v", err)
		return 1
	}
	defer tm.close()
	b, err := bestFrame(ctx, o, tm, tuiArgs, id, rootService)
	if err != nil {
		logf("%v", err)
		return 1
	}
	esc, err := escCancels(ctx, o, tm, tuiArgs, id, rootService)
	if err != nil {
		logf("%v", err)
		return 1
	}
	c, err := bestWall(ctx, o, "show --jaeger --output json", showJaeger, o.spans)
	if err != nil {
		logf("%v", err)
		return 1
	}

	if o.parts {
		if err := breakdown(ctx, o, j.BaseURL, backend.TraceID(id)); err != nil {
			logf("%v", err)
			return 1
		}
	}

	ratio := b.frame.Seconds() / a.Seconds()
	verdict := "met"
	if ratio > target {
		verdict = "NOT MET"
	}
	fmt.Println()
	fmt.Printf("  %-44s %6.2f s\n", "(a) show --file FILE --output json", a.Seconds())
	fmt.Printf("  %-44s %6.2f s   progress shown: %s\n", "(b) TUI --jaeger: first waterfall frame", b.frame.Seconds(), yesNo(b.progressAll, b.progressAny, o.runs))
	fmt.Printf("  %-44s %s\n", "esc while loading", esc)
	fmt.Printf("  %-44s %6.2f s\n", "(c) show --jaeger URL ID --output json", c.Seconds())
	fmt.Printf("  %-44s %6.2f (target <= %.2f) %s\n", "(b)/(a) first frame / show --file", ratio, target, verdict)
	fmt.Printf("  %-44s %6.2f\n", "(c)/(a) show --jaeger / show --file", c.Seconds()/a.Seconds())
	fmt.Printf("load:    %s (after the runs)\n", loadavg())
	if verdict != "met" && o.check {
		return 1
	}
	return 0
}

func printMachine() {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	fmt.Printf("machine: %d cores, %s, %s, %s/%s\n", runtime.NumCPU(), model, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Printf("load:    %s (1, 5, 15 min; the machine may be shared)\n", loadavg())
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// load posts the trace in batches of spans. Spans keep their own trace ID,
// parent and process, so each batch is a valid OTLP document on its own.
func load(ctx context.Context, j *jaegertest.Jaeger, t *backend.Trace) error {
	var buf bytes.Buffer
	for lo := 0; lo < len(t.Spans); lo += batchSpans {
		part := &backend.Trace{ID: t.ID, Spans: t.Spans[lo:min(lo+batchSpans, len(t.Spans))]}
		buf.Reset()
		if err := otlp.Encode(&buf, []*backend.Trace{part}); err != nil {
			return err
		}
		if err := j.PostOTLP(ctx, buf.Bytes()); err != nil {
			return fmt.Errorf("spans %d-%d: %w", lo, lo+len(part.Spans)-1, err)
		}
	}
	return nil
}

// waitAll polls /api/traces/{id} until it returns n spans: the receiver
// acknowledges a batch before the storage exporter has written it.
func waitAll(ctx context.Context, j *jaegertest.Jaeger, id backend.TraceID, n int) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	hc := &http.Client{Transport: &http.Transport{Proxy: nil}}
	got := 0
	for {
		// raw=true: the server's adjusters would make each poll seconds slower.
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, j.BaseURL+"/api/traces/"+string(id)+"?raw=true", nil)
		if err != nil {
			return err
		}
		if resp, err := hc.Do(req); err == nil {
			if resp.StatusCode == http.StatusOK {
				if traces, err := jaegerjson.Decode(resp.Body); err == nil && len(traces) > 0 {
					got = len(traces[0].Spans)
				}
			}
			resp.Body.Close()
			if got == n {
				return nil
			}
			if got > n {
				return fmt.Errorf("got %d spans of trace %s from Jaeger, more than the %d sent", got, id, n)
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("got %d of %d spans from Jaeger: %w\n%s", got, n, ctx.Err(), j.LogTail(20))
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func writeJaegerJSON(path string, t *backend.Trace) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	err = jaegerjson.Encode(w, []*backend.Trace{t})
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// responseSize reports how many bytes /api/traces/{id} sends as tracetui
// asks for it, and whether the server compressed them.
func responseSize(ctx context.Context, base, id string) (int64, string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/traces/"+id+"?raw=true", nil)
	if err != nil {
		return 0, "unknown"
	}
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := (&http.Client{Transport: &http.Transport{Proxy: nil, DisableCompression: true}}).Do(req)
	if err != nil {
		return 0, "unknown"
	}
	defer resp.Body.Close()
	n, _ := io.Copy(io.Discard, resp.Body)
	if resp.Header.Get("Content-Encoding") == "gzip" {
		return n, "offered and used"
	}
	return n, "offered, not used"
}

// bestWall runs tracetui with args runs times and returns the best wall
// time; every run must succeed and report all spans.
func bestWall(ctx context.Context, o options, label string, args []string, spans int) (time.Duration, error) {
	var best time.Duration
	fmt.Printf("  %-30s", label)
	for i := 0; i < o.runs; i++ {
		var out, errb bytes.Buffer
		cmd := exec.CommandContext(ctx, o.tracetui, args...)
		cmd.Stdout, cmd.Stderr = &out, &errb
		start := time.Now()
		err := cmd.Run()
		d := time.Since(start)
		if err != nil {
			fmt.Println()
			return 0, fmt.Errorf("%s: %v\n%s", label, err, backend.Excerpt(errb.Bytes(), 2000))
		}
		var res struct {
			SpanCount int `json:"spanCount"`
		}
		if err := json.Unmarshal(out.Bytes(), &res); err != nil || res.SpanCount != spans {
			fmt.Println()
			return 0, fmt.Errorf("%s reported %d spans, not %d (%v)", label, res.SpanCount, spans, err)
		}
		fmt.Printf(" %6.2fs", d.Seconds())
		if i == 0 || d < best {
			best = d
		}
	}
	fmt.Printf("   best %.2fs\n", best.Seconds())
	return best, nil
}

// tmux is a private tmux server (its own socket, no user config) that holds
// one idle session, so that a measured run pays for a new session only, not
// for starting the server.
type tmux struct {
	socket string
}

func newTmux(ctx context.Context) (*tmux, error) {
	if _, err := exec.LookPath("tmux"); err != nil {
		return nil, errors.New("tmux is needed")
	}
	tm := &tmux{socket: "benchjaeger-" + strconv.Itoa(os.Getpid())}
	if err := tm.cmd(ctx, "-f", "/dev/null", "new-session", "-d", "-s", "idle", "-x", "120", "-y", "40", "sleep", "86400"); err != nil {
		return nil, err
	}
	// A run that crashes keeps its last screen, so that the error can be shown.
	if err := tm.cmd(ctx, "set-option", "-g", "remain-on-exit", "on"); err != nil {
		tm.close()
		return nil, err
	}
	return tm, nil
}

func (tm *tmux) cmd(ctx context.Context, args ...string) error {
	out, err := exec.CommandContext(ctx, "tmux", append([]string{"-L", tm.socket}, args...)...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("tmux %s: %v: %s", strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return nil
}

// capture returns the pane's screen and whether its process has exited,
// in one tmux call so that polling costs one process per tick.
func (tm *tmux) capture(ctx context.Context, session string) (string, bool, error) {
	out, err := exec.CommandContext(ctx, "tmux", "-L", tm.socket, "capture-pane", "-p", "-t", session,
		";", "display-message", "-p", "-t", session, "#{pane_dead}").Output()
	if err != nil {
		return "", false, err
	}
	s := strings.TrimSuffix(string(out), "\n")
	i := strings.LastIndexByte(s, '\n')
	return s[:i+1], s[i+1:] == "1", nil
}

// close ends the private server and with it any session left over; it
// uses a fresh context because it also runs after a signal.
func (tm *tmux) close() {
	exec.Command("tmux", "-L", tm.socket, "kill-server").Run()
}

type frameResult struct {
	frame                    time.Duration
	progressAll, progressAny bool
}

// byteCount is how the loading screen shows progress ("12.3 MiB", "812 B");
// spanCount the other accepted form ("41,000 spans").
var (
	byteCount = regexp.MustCompile(`\b\d+(\.\d+)? (B|KiB|MiB|GiB|kB|MB|GB)\b`)
	spanCount = regexp.MustCompile(`\b\d[\d,]* (of [\d,]+ )?spans\b`)
)

// progressShown reports a loading screen that says how much has arrived.
func progressShown(screen string) bool {
	return byteCount.MatchString(screen) || spanCount.MatchString(screen)
}

// firstFrame reports the trace view's first frame: a header line "Trace
// <id>" and, below it, a waterfall row, which names the root's service and
// draws a bar. The loading screen also names the trace and may draw a
// progress bar, so it is told apart by its "Loading trace" line. A frame
// drawn before the analysis finishes counts (issue 6 asks for exactly that).
func firstFrame(screen, id, rootService string) bool {
	if strings.Contains(screen, "Loading trace") {
		return false
	}
	lines := strings.Split(screen, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(strings.TrimSpace(l), "Trace ") || !strings.Contains(l, strings.TrimLeft(id, "0")) {
			continue
		}
		for _, row := range lines[i+1:] {
			if strings.Contains(row, rootService) && strings.ContainsAny(row, barGlyphs) {
				return true
			}
		}
		return false
	}
	return false
}

// barGlyphs are the block characters a waterfall bar is drawn with (full,
// shaded and eighth blocks).
const barGlyphs = "█▓▒░▏▎▍▌▋▊▉"

// bestFrame starts the TUI runs times and returns the best time to the
// first waterfall frame, and whether progress showed before it.
func bestFrame(ctx context.Context, o options, tm *tmux, args []string, id, rootService string) (frameResult, error) {
	var best frameResult
	seenAll, seenAny := true, false
	fmt.Printf("  %-30s", "TUI --jaeger: first frame")
	for i := 0; i < o.runs; i++ {
		screens := ""
		if i == 0 {
			screens = o.screens
		}
		d, progress, err := oneFrame(ctx, o, tm, args, id, rootService, i, screens)
		if err != nil {
			fmt.Println()
			return best, err
		}
		mark := ""
		if progress {
			mark = "p"
		}
		fmt.Printf(" %6.2fs%-1s", d.Seconds(), mark)
		seenAll = seenAll && progress
		seenAny = seenAny || progress
		if i == 0 || d < best.frame {
			best.frame = d
		}
	}
	best.progressAll, best.progressAny = seenAll, seenAny
	fmt.Printf("  best %.2fs (p: progress seen)\n", best.frame.Seconds())
	return best, nil
}

func oneFrame(ctx context.Context, o options, tm *tmux, args []string, id, rootService string, run int, screens string) (time.Duration, bool, error) {
	session := "run" + strconv.Itoa(run)
	newArgs := append([]string{"new-session", "-d", "-s", session, "-x", "120", "-y", "40",
		"-e", "TERM=xterm-256color", "-e", "COLORTERM=", "--", o.tracetui}, args...)
	defer tm.cmd(context.Background(), "kill-session", "-t", session)
	if screens != "" {
		if err := os.MkdirAll(screens, 0o755); err != nil {
			return 0, false, err
		}
	}
	start := time.Now()
	if err := tm.cmd(ctx, newArgs...); err != nil {
		return 0, false, err
	}
	deadline := time.NewTimer(o.wait)
	defer deadline.Stop()
	tick := time.NewTicker(o.poll)
	defer tick.Stop()
	progress := false
	last, n := "", 0
	for {
		screen, dead, err := tm.capture(ctx, session)
		at := time.Since(start)
		if err == nil {
			if screens != "" && screen != last {
				n++
				name := filepath.Join(screens, fmt.Sprintf("%03d-%06dms.txt", n, at.Milliseconds()))
				os.WriteFile(name, []byte(screen), 0o644)
				last = screen
			}
			if firstFrame(screen, id, rootService) {
				tm.cmd(context.Background(), "send-keys", "-t", session, "q")
				return at, progress, nil
			}
			progress = progress || progressShown(screen)
			if dead {
				return 0, progress, fmt.Errorf("tracetui exited before its first frame; last screen:\n%s", strings.TrimRight(screen, "\n "))
			}
		}
		select {
		case <-ctx.Done():
			return 0, progress, ctx.Err()
		case <-deadline.C:
			return 0, progress, fmt.Errorf("no waterfall frame within %s; last screen:\n%s", o.wait, strings.TrimRight(last+screen, "\n "))
		case <-tick.C:
		}
	}
}

func yesNo(all, any bool, runs int) string {
	switch {
	case all:
		return "yes"
	case any:
		return "in some runs"
	}
	if runs > 0 {
		return "no"
	}
	return "-"
}

// breakdown says where the time of a Jaeger fetch goes, best of o.runs for
// each part: the server's wait before the first byte (Jaeger builds the whole
// answer before sending it), the body transfer, decoding, and the span tree
// the waterfall needs; then the jaeger client end to end (as tracetui uses
// it, /api/traces, and forced to api_v3) for comparison.
func breakdown(ctx context.Context, o options, base string, id backend.TraceID) error {
	fmt.Println()
	fmt.Println("where the time goes (in this process, best of each):")
	hc := &http.Client{Transport: &http.Transport{Proxy: nil}}
	endpoints := []struct {
		name, path string
		decode     func(io.Reader) ([]*backend.Trace, error)
	}{
		{"/api/traces raw (tracetui)", "/api/traces/" + string(id) + "?raw=true", jaegerjson.Decode},
		{"/api/traces (Jaeger UI)", "/api/traces/" + string(id), jaegerjson.Decode},
		{"/api/v3/traces raw", "/api/v3/traces/" + string(id) + "?raw_traces=true", otlp.Decode},
		{"/api/v3/traces", "/api/v3/traces/" + string(id), otlp.Decode},
	}
	for _, ep := range endpoints {
		var wait, transfer, decode, tree time.Duration
		var size int
		for i := 0; i < o.runs; i++ {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+ep.path, nil)
			if err != nil {
				return err
			}
			start := time.Now()
			resp, err := hc.Do(req)
			if err != nil {
				return err
			}
			headers := time.Since(start)
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				return err
			}
			read := time.Since(start) - headers
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("GET %s: HTTP %d", ep.path, resp.StatusCode)
			}
			runtime.GC()
			start = time.Now()
			traces, err := ep.decode(bytes.NewReader(body))
			dec := time.Since(start)
			if err != nil || len(traces) == 0 {
				return fmt.Errorf("decoding %s: %v", ep.path, err)
			}
			start = time.Now()
			analysis.BuildTree(traces[0])
			tr := time.Since(start)
			size = len(body)
			if i == 0 || headers < wait {
				wait = headers
			}
			if i == 0 || read < transfer {
				transfer = read
			}
			if i == 0 || dec < decode {
				decode = dec
			}
			if i == 0 || tr < tree {
				tree = tr
			}
		}
		fmt.Printf("  %-28s %5.1f MB: server wait %5.2fs  transfer %5.2fs  decode %5.2fs  tree %5.2fs\n",
			ep.name, float64(size)/1e6, wait.Seconds(), transfer.Seconds(), decode.Seconds(), tree.Seconds())
	}
	for _, c := range []struct {
		name string
		api  jaeger.API
	}{{"jaeger client, default", jaeger.APIAuto}, {"jaeger client, api_v3", jaeger.APIv3}} {
		cl, err := jaeger.New(backend.HTTPOptions{URL: base, Timeout: 2 * time.Minute}, jaeger.WithAPI(c.api))
		if err != nil {
			return err
		}
		var best time.Duration
		for i := 0; i < o.runs; i++ {
			runtime.GC()
			start := time.Now()
			t, err := cl.Trace(ctx, id, backend.TraceOptions{})
			d := time.Since(start)
			if err != nil {
				cl.Close()
				return fmt.Errorf("%s: %w", c.name, err)
			}
			if len(t.Spans) != o.spans {
				cl.Close()
				return fmt.Errorf("%s: %d spans, not %d", c.name, len(t.Spans), o.spans)
			}
			if i == 0 || d < best {
				best = d
			}
		}
		cl.Close()
		fmt.Printf("  %-28s Trace() %5.2fs\n", c.name, best.Seconds())
	}
	return nil
}

// escCancels starts the TUI once more, presses esc while the loading screen
// is up, and says whether and how fast the loading screen went away with
// the program still running (esc goes back; it does not quit).
func escCancels(ctx context.Context, o options, tm *tmux, args []string, id, rootService string) (string, error) {
	const session = "esc"
	newArgs := append([]string{"new-session", "-d", "-s", session, "-x", "120", "-y", "40",
		"-e", "TERM=xterm-256color", "-e", "COLORTERM=", "--", o.tracetui}, args...)
	defer tm.cmd(context.Background(), "kill-session", "-t", session)
	if err := tm.cmd(ctx, newArgs...); err != nil {
		return "", err
	}
	start := time.Now()
	var pressed time.Time
	for time.Since(start) < o.wait {
		screen, dead, err := tm.capture(ctx, session)
		if err == nil {
			loading := strings.Contains(screen, "Loading trace")
			switch {
			case dead:
				return "no: tracetui exited", nil
			case pressed.IsZero() && loading && time.Since(start) > 500*time.Millisecond:
				if err := tm.cmd(ctx, "send-keys", "-t", session, "Escape"); err != nil {
					return "", err
				}
				pressed = time.Now()
			case !pressed.IsZero() && firstFrame(screen, id, rootService):
				return "NO: the trace view appeared after esc", nil
			case !pressed.IsZero() && !loading:
				if o.screens != "" {
					os.WriteFile(filepath.Join(o.screens, "after-esc.txt"), []byte(screen), 0o644)
				}
				return fmt.Sprintf("cancels (loading screen gone %d ms after the key, %.1fs into the load)",
					time.Since(pressed).Milliseconds(), pressed.Sub(start).Seconds()), nil
			case pressed.IsZero() && !loading && time.Since(start) > 2*time.Second:
				return "not measured: the trace loaded before esc could be pressed", nil
			}
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(o.poll):
		}
	}
	if pressed.IsZero() {
		return "not measured: no loading screen", nil
	}
	return "NO: still loading " + o.wait.String() + " after esc", nil
}
