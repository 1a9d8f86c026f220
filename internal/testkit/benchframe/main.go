// Command benchframe times tracetui's TUI on a trace file, for
// scripts/bench-big: it starts `tracetui --file FILE TRACE_ID` in a private
// tmux server and polls the screen, as scripts/bench-jaeger does for
// Jaeger, and reports
//
//   - first screen: from process start to the first screen with anything
//     drawn on it (the loading screen, since the TUI loads files itself);
//   - first frame: from process start to the first screen that shows the
//     trace header and a waterfall row (the root's service and a bar);
//   - analysis done: to the first screen whose root row draws the critical
//     path (full blocks), which the view adds once the analysis is in;
//   - peak RSS: the process's VmHWM read from /proc at that moment, before
//     it is told to quit.
//
// The best (smallest) frame and done times of the runs count, and the
// largest peak RSS, so that one lucky run cannot pass a target. The last
// line is machine-readable: "frame_s=… done_s=… hwm_kib=…".
//
//	go run ./internal/testkit/benchframe -tracetui ./tracetui -file big.json -id ID -root api-gateway
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type options struct {
	tracetui, file, id, root string
	runs                     int
	poll, wait               time.Duration
	width, height            int
	env                      []string
}

func main() {
	var o options
	var env string
	flag.StringVar(&o.tracetui, "tracetui", "", "tracetui binary to measure (required)")
	flag.StringVar(&o.file, "file", "", "trace file to open (required)")
	flag.StringVar(&o.id, "id", "", "trace ID to open (required)")
	flag.StringVar(&o.root, "root", "", "service of the root span, which the first waterfall row names (required)")
	flag.IntVar(&o.runs, "runs", 3, "runs; the best times and the largest peak RSS count")
	flag.DurationVar(&o.poll, "poll", 20*time.Millisecond, "how often the screen is captured")
	flag.DurationVar(&o.wait, "timeout", 3*time.Minute, "give up on a run after this long")
	flag.IntVar(&o.width, "width", 120, "terminal width")
	flag.IntVar(&o.height, "height", 40, "terminal height")
	flag.StringVar(&env, "env", "", "extra NAME=VALUE environment for tracetui, comma-separated (e.g. GOMEMLIMIT=off)")
	flag.Parse()
	if o.tracetui == "" || o.file == "" || o.id == "" || o.root == "" || o.runs < 1 || o.poll <= 0 {
		flag.Usage()
		os.Exit(2)
	}
	for _, p := range []*string{&o.tracetui, &o.file} {
		if abs, err := filepath.Abs(*p); err == nil {
			*p = abs
		}
	}
	if env != "" {
		o.env = strings.Split(env, ",")
	}
	os.Exit(run(o))
}

func run(o options) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	tm, err := newTmux(ctx, o.width, o.height)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchframe:", err)
		return 1
	}
	defer tm.close()
	var best result
	for i := 0; i < o.runs; i++ {
		r, err := once(ctx, o, tm, i)
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchframe:", err)
			return 1
		}
		fmt.Printf("  run %d: first screen %6.2f s, first frame %6.2f s, analysis done %6.2f s (CPU %6.2f s), peak RSS %7.1f MiB\n",
			i+1, r.screen.Seconds(), r.frame.Seconds(), r.done.Seconds(), r.cpu.Seconds(), float64(r.hwm)/1024)
		if i == 0 || r.screen < best.screen {
			best.screen = r.screen
		}
		if i == 0 || r.frame < best.frame {
			best.frame = r.frame
		}
		if i == 0 || r.done < best.done {
			best.done = r.done
		}
		best.hwm = max(best.hwm, r.hwm)
	}
	fmt.Printf("frame_s=%.3f done_s=%.3f hwm_kib=%d screen_s=%.3f\n", best.frame.Seconds(), best.done.Seconds(), best.hwm, best.screen.Seconds())
	return 0
}

type result struct {
	screen, frame, done time.Duration
	hwm                 int64 // KiB
	// cpu is the process's user+system time when the analysis showed:
	// on a shared machine, wall time alone says little.
	cpu time.Duration
}

// cpuTime reads a process's user and system time from /proc (clock ticks
// of 1/100 s, as on every Linux this runs on), or 0.
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// The command name may hold spaces: the fields start after its ')'.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+s) * 10 * time.Millisecond
}

// once starts one TUI and waits for its first frame and its analysis.
func once(ctx context.Context, o options, tm *tmux, run int) (result, error) {
	var r result
	session := "run" + strconv.Itoa(run)
	args := []string{"new-session", "-d", "-s", session, "-x", strconv.Itoa(o.width), "-y", strconv.Itoa(o.height),
		"-e", "TERM=xterm-256color", "-e", "COLORTERM="}
	for _, e := range o.env {
		args = append(args, "-e", e)
	}
	args = append(args, "--", o.tracetui, "--file", o.file, o.id)
	defer tm.cmd(context.Background(), "kill-session", "-t", session)
	start := time.Now()
	if err := tm.cmd(ctx, args...); err != nil {
		return r, err
	}
	pid, err := tm.panePID(ctx, session)
	if err != nil {
		return r, err
	}
	deadline := time.NewTimer(o.wait)
	defer deadline.Stop()
	tick := time.NewTicker(o.poll)
	defer tick.Stop()
	last := ""
	for {
		screen, dead, err := tm.capture(ctx, session)
		at := time.Since(start)
		if err == nil {
			last = screen
			if r.screen == 0 && strings.TrimSpace(screen) != "" {
				r.screen = at
			}
			if r.frame == 0 && firstFrame(screen, o.id, o.root) {
				r.frame = at
			}
			if r.frame != 0 && analysed(screen, o.root) {
				r.done = at
				r.hwm, err = peakRSS(pid)
				r.cpu = cpuTime(pid)
				tm.cmd(context.Background(), "send-keys", "-t", session, "q")
				return r, err
			}
			if dead {
				return r, fmt.Errorf("tracetui exited before its analysis showed; last screen:\n%s", strings.TrimRight(screen, "\n "))
			}
		}
		select {
		case <-ctx.Done():
			return r, ctx.Err()
		case <-deadline.C:
			return r, fmt.Errorf("no analysed waterfall within %s; last screen:\n%s", o.wait, strings.TrimRight(last, "\n "))
		case <-tick.C:
		}
	}
}

// firstFrame reports the trace view's first frame: a header line "Trace
// <id>" and, below it, a waterfall row that names the root's service and
// draws a bar (scripts/bench-jaeger's test, with the same glyphs).
func firstFrame(screen, id, root string) bool {
	return rootRow(screen, id, root) != ""
}

// analysed reports a root row drawn with the critical path's full blocks,
// which only the analysis adds.
func analysed(screen, root string) bool {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, root) && strings.Contains(l, "█") {
			return true
		}
	}
	return false
}

func rootRow(screen, id, root string) string {
	if strings.Contains(screen, "Loading trace") {
		return ""
	}
	lines := strings.Split(screen, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(strings.TrimSpace(l), "Trace ") || !strings.Contains(l, strings.TrimLeft(id, "0")) {
			continue
		}
		for _, row := range lines[i+1:] {
			if strings.Contains(row, root) && strings.ContainsAny(row, barGlyphs) {
				return row
			}
		}
		return ""
	}
	return ""
}

// barGlyphs are the block characters a waterfall bar is drawn with.
const barGlyphs = "█▓▒░▏▎▍▌▋▊▉"

// peakRSS reads a process's peak resident set size (VmHWM) in KiB.
func peakRSS(pid int) (int64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		}
	}
	return 0, errors.New("no VmHWM in /proc/" + strconv.Itoa(pid) + "/status")
}

// tmux is a private tmux server (its own socket, no user config) that holds
// one idle session, so that a measured run pays for a new session only.
type tmux struct{ socket string }

func newTmux(ctx context.Context, w, h int) (*tmux, error) {
	if _, err := exec.LookPath("tmux"); err != nil {
		return nil, errors.New("tmux is needed")
	}
	tm := &tmux{socket: "benchframe-" + strconv.Itoa(os.Getpid())}
	if err := tm.cmd(ctx, "-f", "/dev/null", "new-session", "-d", "-s", "idle", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h), "sleep", "86400"); err != nil {
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

func (tm *tmux) panePID(ctx context.Context, session string) (int, error) {
	out, err := exec.CommandContext(ctx, "tmux", "-L", tm.socket, "display-message", "-p", "-t", session, "#{pane_pid}").Output()
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(out)))
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
