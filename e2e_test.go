package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/backend/demo"
	"github.com/tracetui/tracetui/internal/testkit/jaegertest"
)

func TestMain(m *testing.M) { os.Exit(jaegertest.Main(m)) }

// tmuxSession is the real binary running in a detached tmux session.
type tmuxSession struct {
	t    *testing.T
	name string
}

func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "tracetui")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func startTmux(t *testing.T, w, h int, args ...string) *tmuxSession {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if jaegertest.InCI() {
			t.Fatal("tmux is required in CI (.ci/run installs it)")
		}
		t.Skip("tmux not installed")
	}
	// The pid keeps two test runs on one machine out of each other's sessions.
	name := "tracetui-e2e-" + strconv.Itoa(os.Getpid()) + "-" + strings.ReplaceAll(t.Name(), "/", "-")
	cfg := filepath.Join(t.TempDir(), "empty.yaml")
	if err := os.WriteFile(cfg, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := append([]string{args[0], "--config", cfg}, args[1:]...)
	exec.Command("tmux", "kill-session", "-t", name).Run()
	c := exec.Command("tmux", "new-session", "-d", "-s", name, "-x", itoa(w), "-y", itoa(h), strings.Join(quoteAll(cmd), " ")+"; sleep 60")
	c.Env = append(os.Environ(), "TERM=xterm-256color")
	if out, err := c.CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v %s", err, out)
	}
	s := &tmuxSession{t: t, name: name}
	t.Cleanup(func() { exec.Command("tmux", "kill-session", "-t", name).Run() })
	return s
}

func quoteAll(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return out
}

func itoa(i int) string { return strconv.Itoa(i) }

func (s *tmuxSession) screen() string {
	out, err := exec.Command("tmux", "capture-pane", "-p", "-t", s.name).Output()
	if err != nil {
		return ""
	}
	return string(out)
}

// waitFor polls the screen until it holds every string, or fails.
func (s *tmuxSession) waitFor(what ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var scr string
	for time.Now().Before(deadline) {
		scr = s.screen()
		ok := true
		for _, w := range what {
			ok = ok && strings.Contains(scr, w)
		}
		if ok {
			return scr
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("screen never showed %q:\n%s", what, scr)
	return ""
}

func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	if out, err := exec.Command("tmux", append([]string{"send-keys", "-t", s.name}, keys...)...).CombinedOutput(); err != nil {
		s.t.Fatalf("send-keys: %v %s", err, out)
	}
}

func checkScreen(t *testing.T, scr string, w, h int) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(scr, "\n"), "\n")
	if len(lines) > h {
		t.Errorf("%d lines on a %d-line screen", len(lines), h)
	}
	for _, l := range lines {
		if n := ansi.StringWidth(l); n > w { // cells: a wide rune takes two
			t.Errorf("line wider than %d: %q", w, l)
		}
	}
}

// TestTmuxJaegerTraceID opens a trace by ID against the real Jaeger, as
// `tracetui --jaeger URL TRACE_ID`, and reads the screen at 80×24.
func TestTmuxJaegerTraceID(t *testing.T) {
	j := jaegertest.Shared(t)
	bin := buildBinary(t)
	id := jaegertest.CorrelationTraceID
	s := startTmux(t, 80, 24, bin, "--jaeger", j.BaseURL, string(id))
	scr := s.waitFor(string(id.Short())[:16], "checkout-api", "billing")
	checkScreen(t, scr, 80, 24)
	s.keys("c")
	scr = s.waitFor("Critical path")
	checkScreen(t, scr, 80, 24)
	// Escape and a key sent together read as alt+key: send them apart.
	s.keys("Escape")
	time.Sleep(300 * time.Millisecond)
	s.keys("e")
	s.waitFor("error origin")
	s.keys("q")
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) && strings.Contains(s.screen(), "checkout-api") {
		time.Sleep(100 * time.Millisecond)
	}
	if strings.Contains(s.screen(), "checkout-api") {
		t.Fatalf("q did not quit:\n%s", s.screen())
	}
}

// TestTmuxDemoCorrelation opens the demo by correlation ID at 200×50.
func TestTmuxDemoCorrelation(t *testing.T) {
	bin := buildBinary(t)
	s := startTmux(t, 200, 50, bin, demo.ErrorCorrelationID)
	scr := s.waitFor(string(demo.ErrorTraceID), "payment-service")
	checkScreen(t, scr, 200, 50)
	s.keys("s")
	s.waitFor("order-service")
	s.keys("q", "q")
}
