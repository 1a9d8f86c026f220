// Package tui is the tracetui program: a stack of screens (search → trace
// list → trace view), a short help line and a status bar, the full-help
// overlay, and the trace-ID / correlation-ID box reachable from every screen.
//
// Run starts it on a terminal; NewModel gives the same model for tests.
//
// Value or pointer: Model is a value holding a pointer to root, as Bubble
// Tea passes models by value; screens are pointers (the stack and the
// messages they send refer to them by identity); the parts of a screen are
// values inside it, changed through pointer receivers.
package tui

import (
	"context"
	"errors"
	"io"
	"os/signal"
	"reflect"
	"runtime/debug"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/paste"
	"github.com/tracetui/tracetui/internal/crash"
	"github.com/tracetui/tracetui/internal/links"
	"github.com/tracetui/tracetui/keymap"
	"github.com/tracetui/tracetui/tui/trace"
)

// Options configures the program.
type Options struct {
	Backend backend.Backend
	// BackendLabel describes the backend in the status bar, e.g.
	// "jaeger http://localhost:16686" or "demo". It must hold no secret.
	BackendLabel string
	// Profile is the config profile in use, shown in the status bar.
	Profile string
	// Demo says no backend was configured: the screen says so.
	Demo bool
	// InsecureTLS says TLS verification is off: the status bar says so.
	InsecureTLS bool
	// AllTime makes searches default to no time window, for trace files,
	// whose traces are usually older than any lookback.
	AllTime bool
	// InitialTraceID opens a trace at start: hex IDs directly, anything
	// else through a correlation lookup. The command line sets it to
	// Initial's first trace ID, else its correlation value.
	InitialTraceID string
	// Initial is the command line's TRACE_ID argument as paste.Parse read
	// it, or nil: trace IDs to try in order (Result.TraceIDs), then the
	// correlation value (backend.LookUp does both), the span to select and
	// its detail to show (Span), and what was recognised for the status
	// line (Summary). When set, it supersedes InitialTraceID.
	Initial *paste.Result
	// InitialTrace is a trace to open at start without fetching it: a
	// --file holding a single trace and no ID given. InitialTraceID is its
	// ID, so that a program that ignores this field fetches it instead.
	InitialTrace *backend.Trace
	// Load, when set and Backend is nil, builds the backend inside the
	// program: its first screen shows the load's progress (the bytes of a
	// backend.Progress that Load finds in its context, of the total it
	// sets), esc cancels it (Load must stop when ctx ends) and quits, and
	// a failure stays on screen as one line (and is Run's error). A loaded
	// backend with a Traces method holding one trace, and no ID given,
	// opens that trace as InitialTrace would. A --file is loaded so.
	Load func(ctx context.Context) (backend.Backend, error)
	// LoadLabel names what Load reads, for its screen ("big.json").
	LoadLabel string
	// CorrelationKeys are the tag keys a correlation ID is searched under;
	// nil means backend.DefaultCorrelationKeys.
	CorrelationKeys []string
	// KeyOverrides maps binding names to keys, from the config file
	// ({"list.refresh": ["ctrl+r"]}); see package keymap.
	KeyOverrides map[string][]string
	// Warnings are the command line's warnings (a config file with a secret
	// that others can read), printed on stderr before the screen is taken
	// and so never seen there: the status bar should show them. Plain text,
	// not yet sanitized.
	Warnings []string
	// Links are the link templates (the config file's, then the backend's
	// own UI): the span detail shows them, as OSC 8 hyperlinks when
	// Hyperlinks is set (else as plain text), and the trace view's
	// copy-link key copies the first trace link.
	Links      []links.Template
	Hyperlinks bool
	// Logs finds a trace's application log lines (--logs; a *logs.Set),
	// looked up when a trace opens; nil: none.
	Logs trace.LogSource
	// Input and Output default to the terminal (stdin/stdout).
	Input  io.Reader
	Output io.Writer
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// CrashError is what Run returns after a panic: the terminal is restored
// and the details are in a report file (see package crash).
type CrashError = crash.Error

// Run runs the program until the user quits, a signal (SIGINT, SIGTERM,
// SIGHUP) arrives or ctx ends; all three restore the terminal and return
// nil. Invalid key overrides are reported before the terminal is touched.
// A panic restores the terminal and returns a *CrashError naming a crash
// report (panic value and stack; no options, no environment).
func Run(ctx context.Context, opts Options) (err error) {
	keys, err := keymap.FromConfig(opts.KeyOverrides)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	return runProgram(ctx, newModel(ctx, opts, keys, nil), opts)
}

// runProgram runs a model (the root, or a test's wrapper of it) on the
// terminal with Run's panic and signal handling.
func runProgram(ctx context.Context, m tea.Model, opts Options) (err error) {
	popts := []tea.ProgramOption{
		// Signals end ctx instead, so that SIGHUP is handled too.
		tea.WithoutSignalHandler(),
		// Bubble Tea would print a full stack trace; we write a report.
		tea.WithoutCatchPanics(),
	}
	if opts.Input != nil {
		popts = append(popts, tea.WithInput(opts.Input))
	}
	if opts.Output != nil {
		popts = append(popts, tea.WithOutput(opts.Output))
	}
	p := tea.NewProgram(m, popts...)
	defer func() {
		if r := recover(); r != nil {
			// Kill restores the terminal; the event loop is gone already.
			p.Kill()
			err = crash.Write(r, debug.Stack(), "")
		}
	}()
	// The end of ctx (a signal) quits the program the ordinary way, so that
	// Bubble Tea waits for its input reader and restores the terminal.
	stopped := make(chan struct{})
	defer close(stopped)
	go func() {
		select {
		case <-ctx.Done():
			p.Quit()
		case <-stopped:
		}
	}()
	final, err := p.Run()
	if c, ok := final.(interface{ crashed() *crashInfo }); ok && c.crashed() != nil {
		ci := c.crashed()
		return crash.Write(ci.value, ci.stack, "")
	}
	if l, ok := final.(interface{ loadError() string }); ok && l.loadError() != "" {
		return errors.New(l.loadError())
	}
	if err == nil || errors.Is(err, tea.ErrInterrupted) {
		return nil
	}
	return err
}

// panicMsg carries a panic out of a command goroutine to the event loop,
// where Update re-raises it so that Run restores the terminal.
type panicMsg struct {
	value any
	stack []byte
}

type crashInfo struct {
	value any
	stack []byte
}

// guard wraps a command so that a panic in it becomes a panicMsg, and so do
// panics in the commands of a batch or sequence it returns.
func guard(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				msg = panicMsg{value: r, stack: debug.Stack()}
			}
		}()
		return guardMsg(cmd())
	}
}

// guardMsg wraps the commands inside a batch or a sequence. Bubble Tea's
// sequence type is unexported, so any slice of commands is rebuilt by
// reflection with the same type.
func guardMsg(msg tea.Msg) tea.Msg {
	if b, ok := msg.(tea.BatchMsg); ok {
		out := make(tea.BatchMsg, len(b))
		for i, c := range b {
			out[i] = guard(c)
		}
		return out
	}
	if msg == nil {
		return nil
	}
	v := reflect.ValueOf(msg)
	cmdType := reflect.TypeFor[tea.Cmd]()
	if v.Kind() != reflect.Slice || v.Type().Elem() != cmdType {
		return msg
	}
	out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
	for i := range v.Len() {
		c, _ := v.Index(i).Interface().(tea.Cmd)
		if g := guard(c); g != nil {
			out.Index(i).Set(reflect.ValueOf(g))
		}
	}
	return out.Interface()
}
