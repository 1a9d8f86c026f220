package cli

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/jaegerjson"
	"github.com/tracetui/tracetui/internal/testkit/synth"
)

// stopBound is how long a signalled command may take to exit in these
// tests: the promise is a second, and a loaded machine gets some slack.
// Before, a 1,000,000-span show took 25 s and a blocked read forever.
const stopBound = 3 * time.Second

func buildTracetui(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "tracetui")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/tracetui/tracetui").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// proc is the binary running with its streams in the test's hands.
type proc struct {
	t      *testing.T
	cmd    *exec.Cmd
	stderr bytes.Buffer
	done   chan error
}

func start(t *testing.T, bin string, stdin io.Reader, stdout io.Writer, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, done: make(chan error, 1)}
	p.cmd = exec.Command(bin, append(isolate(t), args...)...)
	p.cmd.Stdin = stdin
	p.cmd.Stdout = stdout
	if stdout == nil {
		p.cmd.Stdout = io.Discard
	}
	p.cmd.Stderr = &p.stderr
	p.cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+t.TempDir())
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// signal sends sig and checks that the process exits with want within
// stopBound, saying why on stderr.
func (p *proc) signal(sig syscall.Signal, want int) {
	p.t.Helper()
	sent := time.Now()
	if err := p.cmd.Process.Signal(sig); err != nil {
		p.t.Fatal(err)
	}
	select {
	case <-p.done:
	case <-time.After(stopBound):
		p.t.Fatalf("still running %s after %s", stopBound, sig)
	}
	took := time.Since(sent)
	if code := p.cmd.ProcessState.ExitCode(); code != want {
		p.t.Errorf("exit %d after %s, want %d; stderr %q", code, sig, want, p.stderr.String())
	}
	if !strings.Contains(p.stderr.String(), "tracetui: stopped by "+signalName(sig)) {
		p.t.Errorf("stderr %q", p.stderr.String())
	}
	p.t.Logf("exited %s after %s", took.Round(time.Millisecond), sig)
}

// endlessSpans writes a Jaeger document whose span list never ends, until
// the reader goes away; started reports the first MiB written.
func endlessSpans(w io.WriteCloser, started chan<- struct{}) {
	defer w.Close()
	io.WriteString(w, `{"data":[{"traceID":"1","processes":{"p1":{"serviceName":"s"}},"spans":[`)
	span := []byte(strings.Repeat(`{"traceID":"1","spanID":"2","operationName":"op","startTime":1,"duration":1,"processID":"p1"},`, 1000))
	written := 0
	for {
		n, err := w.Write(span)
		if err != nil {
			return
		}
		if written < 1<<20 && written+n >= 1<<20 {
			close(started)
		}
		written += n
	}
}

// TestSignalsEndPrintCommands runs the real binary and signals it while it
// decodes, waits on a server, waits on a pipe, or prints into a pipe that
// nobody reads: each ends within the bound with 128+signal.
func TestSignalsEndPrintCommands(t *testing.T) {
	bin := buildTracetui(t)

	t.Run("decoding", func(t *testing.T) {
		pr, pw := io.Pipe()
		started := make(chan struct{})
		go endlessSpans(pw, started)
		p := start(t, bin, pr, nil, "show", "--file", "-")
		<-started
		p.signal(syscall.SIGINT, 130)
		pr.Close()
	})

	t.Run("waiting for a server", func(t *testing.T) {
		entered := make(chan struct{}, 1)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case entered <- struct{}{}:
			default:
			}
			<-r.Context().Done()
		}))
		defer srv.Close()
		p := start(t, bin, nil, nil, "search", "--jaeger", srv.URL, "--service", "s", "--timeout", "1m")
		<-entered
		p.signal(syscall.SIGTERM, 143)
	})

	t.Run("blocked on stdin", func(t *testing.T) {
		pr, pw, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer pw.Close()
		defer pr.Close()
		p := start(t, bin, pr, nil, "show", "--file", "-")
		time.Sleep(300 * time.Millisecond) // let it reach the read
		p.signal(syscall.SIGTERM, 143)
	})

	t.Run("config is a pipe", func(t *testing.T) {
		fifo := filepath.Join(t.TempDir(), "fifo")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Skip("no mkfifo:", err)
		}
		p := start(t, bin, nil, nil, "--config", fifo, "show", "--demo", "x")
		time.Sleep(300 * time.Millisecond)
		p.signal(syscall.SIGINT, 130)
	})

	t.Run("printing into a full pipe", func(t *testing.T) {
		var buf bytes.Buffer
		if err := jaegerjson.Encode(&buf, []*backend.Trace{synth.Trace(5000, 1)}); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), "t.json")
		if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		pr, pw, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer pr.Close()
		p := start(t, bin, nil, pw, "show", "--file", file, "--width", "200")
		pw.Close()
		// The output is far more than a pipe holds: wait for the first
		// bytes, then stop reading.
		if _, err := pr.Read(make([]byte, 1)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
		p.signal(syscall.SIGINT, 130)
	})
}

// TestConfigDevZeroEndsAtOnce: --config /dev/zero fails on its size instead
// of reading forever (it needed SIGKILL).
func TestConfigDevZeroEndsAtOnce(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); errors.Is(err, os.ErrNotExist) {
		t.Skip("no /dev/zero")
	}
	r := run(t, nil, "", "--config", "/dev/zero", "show", "--demo", "x")
	if r.code != ExitRuntime || !strings.Contains(r.stderr, "/dev/zero is larger than 1 MiB") {
		t.Errorf("exit %d: %q", r.code, r.stderr)
	}
}
