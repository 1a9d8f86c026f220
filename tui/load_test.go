package tui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"go.uber.org/goleak"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/file"
	"github.com/tracetui/tracetui/backend/paste"
)

// startLoad builds a program whose backend loads on its first screen and
// runs Init's commands in goroutines: their messages come back on the
// returned channel, for the test to deliver, so that a load that blocks
// does not block the test.
func startLoad(t *testing.T, opts Options) (*driver, <-chan tea.Msg) {
	t.Helper()
	if opts.Now == nil {
		opts.Now = clock
	}
	d := &driver{t: t, m: NewModel(opts), w: 80, h: 24}
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	if d.screen() != "loading" {
		t.Fatalf("first screen is %s, not the loading screen", d.screen())
	}
	out := make(chan tea.Msg, 16)
	spawn(d.m.Init(), out)
	return d, out
}

// spawn runs cmd in a goroutine, and the commands of a batch it returns
// each in their own, sending every other message to out.
func spawn(cmd tea.Cmd, out chan<- tea.Msg) {
	if cmd == nil {
		return
	}
	go func() {
		msg := cmd()
		if b, ok := msg.(tea.BatchMsg); ok {
			for _, c := range b {
				spawn(c, out)
			}
			return
		}
		out <- msg
	}()
}

func TestLoadScreenShowsBytesOfTotal(t *testing.T) {
	release := make(chan struct{})
	load := func(ctx context.Context) (backend.Backend, error) {
		p := backend.ProgressFrom(ctx)
		if p == nil {
			return nil, errors.New("no progress in the load's context")
		}
		p.SetTotal(100 << 20)
		p.Add(25 << 20)
		select {
		case <-release:
			return shop(), nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	d, msgs := startLoad(t, Options{Load: load, LoadLabel: "big.json"})
	defer close(release)
	// The poll reads the counter the load has moved.
	deadline := time.Now().Add(10 * time.Second)
	var v string
	for {
		d.send(loadPollMsg{screen: d.m.top().(*loadScreen)})
		v = d.view()
		if strings.Contains(v, "25.0 MiB of 100.0 MiB (25%)") || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, want := range []string{"Loading big.json", "25.0 MiB of 100.0 MiB (25%)", "esc cancels and quits", "██████████░"} {
		if !strings.Contains(v, want) {
			t.Errorf("loading screen lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "trace ID") {
		t.Errorf("the help line offers the lookup box while loading:\n%s", v)
	}
	// The lookup box has no backend to ask yet: ':' does nothing.
	d.press(":")
	if d.m.lookup.open {
		t.Error("the lookup box opened before the backend was loaded")
	}
	_ = msgs
}

// slowJaeger is an endless Jaeger JSON document served a few spans per
// read, a millisecond apart: a decode that only ends when its reader does.
type slowJaeger struct {
	started bool
	reads   atomic.Int64
}

func (s *slowJaeger) Read(p []byte) (int, error) {
	s.reads.Add(1)
	time.Sleep(time.Millisecond)
	if !s.started {
		s.started = true
		return copy(p, `{"data":[{"traceID":"0af7651916cd43dd8448eb211c80319c","spans":[`), nil
	}
	const span = `{"traceID":"0af7651916cd43dd8448eb211c80319c","spanID":"b7ad6b7169203331","operationName":"op","startTime":1,"duration":1,"processID":"p1"},`
	n := 0
	for n+len(span) <= len(p) && n < 4096 {
		n += copy(p[n:], span)
	}
	return n, nil
}

// TestLoadEscCancelsTheDecode: esc on the loading screen quits and the
// decoder, reading an endless slow stream, stops at its next read; no
// goroutine is left behind.
func TestLoadEscCancelsTheDecode(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	slow := &slowJaeger{}
	var err error
	done := make(chan struct{})
	load := func(ctx context.Context) (backend.Backend, error) {
		defer close(done)
		var b *file.Backend
		b, err = file.OpenContext(ctx, []string{"-"}, slow)
		if b == nil {
			return nil, err
		}
		return b, err
	}
	d, msgs := startLoad(t, Options{Load: load, LoadLabel: "stdin"})
	for slow.reads.Load() < 20 {
		time.Sleep(time.Millisecond)
	}
	d.send(loadPollMsg{screen: d.m.top().(*loadScreen)})
	if v := d.view(); !strings.Contains(v, "KiB read") {
		t.Errorf("no bytes read shown for a stream of unknown size:\n%s", v)
	}
	d.press("esc")
	if !d.quit {
		t.Error("esc on the loading screen did not quit")
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the decode went on after esc")
	}
	if !errors.Is(err, context.Canceled) && !errors.Is(err, backend.ErrCanceled) {
		t.Errorf("the load ended with %v, not a cancellation", err)
	}
	// Its answer, delivered late, changes nothing.
	msg := await[backendLoadedMsg](t, msgs)
	d.send(msg)
	if d.screen() != "loading" {
		t.Errorf("a cancelled load's answer opened %s", d.screen())
	}
	n := slow.reads.Load()
	time.Sleep(20 * time.Millisecond)
	if slow.reads.Load() != n {
		t.Error("the stream is still read after the load returned")
	}
}

// TestLoadFailureIsOneCleanLine: a file that is not JSON leaves its error
// on the loading screen, one line, cleaned, and Run's error says it too.
func TestLoadFailureIsOneCleanLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(path, []byte("not json \x1b[31mred\x1b[0m\nsecond line"), 0o600); err != nil {
		t.Fatal(err)
	}
	load := func(ctx context.Context) (backend.Backend, error) {
		return file.OpenContext(ctx, []string{path}, nil)
	}
	d := newDriver(t, Options{Load: load, LoadLabel: "bad.json"}, 80, 24)
	if d.screen() != "loading" {
		t.Fatalf("a failed load left %s", d.screen())
	}
	v := d.view()
	var text []string
	for _, l := range strings.Split(v, "\n")[2:] {
		if strings.TrimSpace(l) == "" {
			break
		}
		text = append(text, strings.TrimSpace(l))
	}
	line := strings.Join(text, " ")
	if !strings.HasPrefix(line, "cannot load bad.json") || !strings.Contains(line, "not Jaeger, Zipkin or OTLP JSON") ||
		!strings.Contains(line, `"not json red second line"`) {
		t.Fatalf("no one-line error on the screen:\n%s", v)
	}
	if raw := d.m.View().Content; strings.Contains(raw, "\x1b[31mred") {
		t.Errorf("the error reached the screen raw:\n%q", raw)
	}
	if got := d.m.loadError(); !strings.HasPrefix(got, "cannot load bad.json: ") {
		t.Errorf("Run's error would be %q", got)
	}
	d.press("esc")
	if !d.quit {
		t.Error("esc after a failed load did not quit")
	}
}

const twoTraces = `{"data":[
{"traceID":"0af7651916cd43dd8448eb211c80319c","spans":[
 {"traceID":"0af7651916cd43dd8448eb211c80319c","spanID":"b7ad6b7169203331","operationName":"GET /","startTime":1700000000000000,"duration":2000,"processID":"p1"},
 {"traceID":"0af7651916cd43dd8448eb211c80319c","spanID":"00f067aa0ba902b7","operationName":"query","references":[{"refType":"CHILD_OF","traceID":"0af7651916cd43dd8448eb211c80319c","spanID":"b7ad6b7169203331"}],"startTime":1700000000000500,"duration":1000,"processID":"p2"}],
 "processes":{"p1":{"serviceName":"frontend"},"p2":{"serviceName":"db"}}}
%s]}`

const second = `,{"traceID":"1af7651916cd43dd8448eb211c80319c","spans":[
 {"traceID":"1af7651916cd43dd8448eb211c80319c","spanID":"c7ad6b7169203331","operationName":"POST /","startTime":1700000000000000,"duration":2000,"processID":"p1"}],
 "processes":{"p1":{"serviceName":"frontend"}}}`

func writeTraces(t *testing.T, extra string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "traces.json")
	if err := os.WriteFile(path, []byte(strings.Replace(twoTraces, "%s", extra, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func fileLoad(path string) func(context.Context) (backend.Backend, error) {
	return func(ctx context.Context) (backend.Backend, error) {
		return file.OpenContext(ctx, []string{path}, nil)
	}
}

// TestLoadedSingleTraceOpens: a file of one trace opens it once loaded,
// with the span a pasted argument named selected; a file of several
// shows the search form over the loaded backend.
func TestLoadedSingleTraceOpens(t *testing.T) {
	path := writeTraces(t, "")
	d := newDriver(t, Options{Load: fileLoad(path), LoadLabel: "traces.json"}, 80, 24)
	if d.screen() != "trace view" {
		t.Fatalf("a file of one trace opened %s:\n%s", d.screen(), d.view())
	}
	if v := d.view(); !strings.Contains(v, "frontend") || !strings.Contains(v, "GET /") {
		t.Errorf("the trace view does not show the file's trace:\n%s", v)
	}
	if !strings.HasPrefix(d.m.opts.BackendLabel, "file ") {
		t.Errorf("backend label %q", d.m.opts.BackendLabel)
	}
	d.press("esc")
	if d.screen() != "search" {
		t.Errorf("esc from the trace left %s", d.screen())
	}

	// A pasted span keeps its selection.
	res, err := paste.Parse("00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01", paste.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d = newDriver(t, Options{Load: fileLoad(path), Initial: &res, InitialTraceID: string(res.Trace)}, 80, 24)
	if d.screen() != "trace view" || d.selectedSpan() != "00f067aa0ba902b7" {
		t.Errorf("a pasted span after the load: %s, span %s", d.screen(), d.selectedSpan())
	}

	path = writeTraces(t, second)
	d = newDriver(t, Options{Load: fileLoad(path), AllTime: true}, 80, 24)
	if d.screen() != "search" {
		t.Fatalf("a file of two traces opened %s", d.screen())
	}
	d.press("enter")
	if d.screen() != "trace list" || !strings.Contains(d.view(), "POST /") {
		t.Errorf("the search over the loaded file:\n%s", d.view())
	}
}
