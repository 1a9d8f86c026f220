// Package cli is tracetui's command line: flags, subcommands, exit codes.
// main.go only hands it the process's arguments and streams, which lets the
// tests run every command in-process.
package cli

import (
	"errors"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/config"
	"github.com/tracetui/tracetui/internal/crash"
	"github.com/tracetui/tracetui/tui"
)

// Exit codes (DESIGN.md, Command line).
const (
	ExitOK      = 0
	ExitRuntime = 1
	ExitUsage   = 2
)

// Env is the process environment a command runs in.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Now is time.Now outside tests.
	Now func() time.Time
	// StdoutIsTerminal decides --color auto and whether the TUI can run.
	StdoutIsTerminal bool
	// Exit is os.Exit in the binary and nil in tests. Main calls it only
	// when a print command has not stopped within exitGrace of a signal
	// (a read blocked on a pipe, an analysis that does not look at its
	// context); the TUI, which must restore the terminal, is never cut off.
	Exit func(code int)
}

// exitGrace is how long a print command has to stop by itself after a
// signal before Main ends the process: well within the second a user waits.
const exitGrace = 500 * time.Millisecond

// usageError marks mistakes on the command line: exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// globals holds the values of the global flags.
type globals struct {
	jaeger, zipkin     string
	files              []string
	demo               bool
	profile            string
	configPath         string
	headers            []string
	timeout            time.Duration
	caCert             string
	insecureSkipVerify bool
	maxResponseMB      int64
	correlationKeys    []string
	logs               []string
	cpuProfile         string
	stopProfile        func() error // set while a CPU profile runs (profile.go)
}

// Main runs tracetui with the given arguments and returns the exit code.
func Main(args []string, env Env) (code int) {
	defer func() {
		if v := recover(); v != nil {
			// The one crash writer (it takes a relayed panic's own stack), as the TUI's: the value is sanitized.
			fmt.Fprintln(env.Stderr, crash.Write(v, debug.Stack(), Version()).Error())
			code = ExitRuntime
		}
	}()
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if env.Now == nil {
		env.Now = time.Now
	}
	// Libraries log through the standard logger: net/http quotes a server's
	// bytes ("Unsolicited response received on idle HTTP channel
	// starting with …"), which may hold anything, request headers included.
	// None of it is for the user's terminal, nor for the TUI's screen.
	log.SetOutput(io.Discard)

	g := &globals{}
	root := newRoot(env, g)
	ctx, caught, stop := handleSignals(env, !runsTUI(root, args))
	defer stop()
	root.SetArgs(args)
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	err := g.finishProfile(root.ExecuteContext(ctx))
	if sig := caught(); sig != 0 {
		// Whatever the command made of its cancelled context, the signal
		// is why it ended.
		fmt.Fprintln(env.Stderr, "tracetui: stopped by "+signalName(sig))
		return 128 + int(sig)
	}
	if err == nil {
		return ExitOK
	}
	msg := oneLine(err.Error())
	if !errors.As(err, new(*tui.CrashError)) { // it names the program itself
		msg = "tracetui: " + msg
	}
	fmt.Fprintln(env.Stderr, msg)
	var ue *usageError
	var ce *config.UsageError
	if errors.As(err, &ue) || errors.As(err, &ce) || isCobraUsage(err) {
		fmt.Fprintln(env.Stderr, "Run 'tracetui --help' for usage.")
		return ExitUsage
	}
	return ExitRuntime
}

// isCobraUsage recognises cobra's own argument errors, which it returns as
// plain errors. Flag errors arrive as usageError already. Only the start of
// the message counts: a runtime error may quote a server or a file name
// that contains these words anywhere else.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command ", "accepts ", "requires "} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

func newRoot(env Env, g *globals) *cobra.Command {
	root := &cobra.Command{
		Use:   "tracetui [flags] [TRACE_ID | CORRELATION_ID | traceparent | URL | log line]",
		Short: "A terminal UI for distributed traces in Jaeger, Zipkin or files",
		Long: `tracetui finds a trace by ID, correlation ID or search in Jaeger, Zipkin or trace
files, and shows where the time went (waterfall, critical path, self time per service)
and where the error started. With no backend it opens an embedded demo.

The argument may be whatever was copied that names a trace: a trace ID, a traceparent,
B3, uber-trace-id or X-Amzn-Trace-Id header, a Jaeger UI, Zipkin, Grafana Explore or
Tempo URL, a JSON or logfmt log line (quoted), or a correlation ID.`,
		Args:          cobra.MaximumNArgs(1),
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTUI(cmd, env, g, args)
		},
	}
	root.PersistentPreRunE = func(*cobra.Command, []string) error { return g.startProfile(env) }
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err.Error()} })
	pf := root.PersistentFlags()
	pf.StringVar(&g.jaeger, "jaeger", "", "Jaeger query URL, e.g. http://localhost:16686 (env "+config.EnvJaegerURL+")")
	pf.StringVar(&g.zipkin, "zipkin", "", "Zipkin URL, e.g. http://localhost:9411 (env "+config.EnvZipkinURL+")")
	pf.StringArrayVar(&g.files, "file", nil, "trace file: Jaeger, Zipkin or OTLP JSON, or JSON Lines; repeatable; - for stdin")
	pf.BoolVar(&g.demo, "demo", false, "use the embedded demo traces")
	pf.StringVar(&g.profile, "profile", "", "profile from the config file")
	pf.StringVar(&g.configPath, "config", "", "config file (default "+config.DefaultPath()+")")
	pf.StringArrayVar(&g.headers, "header", nil, `extra HTTP header "Key: Value"; repeatable`)
	pf.DurationVar(&g.timeout, "timeout", backend.DefaultTimeout, "bound on the whole command's waiting (requests, retries, fallbacks)")
	pf.StringVar(&g.caCert, "ca-cert", "", "PEM file of extra trusted CA certificates")
	pf.BoolVar(&g.insecureSkipVerify, "insecure-skip-verify", false, "do not verify the server's TLS certificate")
	pf.Int64Var(&g.maxResponseMB, "max-response-mb", backend.DefaultMaxResponseBytes>>20, "largest response body accepted, in MiB")
	pf.StringArrayVar(&g.correlationKeys, "correlation-key", nil, "tag key a correlation ID is looked up under; repeatable; replaces the profile's and the default keys")
	pf.StringArrayVar(&g.logs, "logs", nil, "application log file (JSON Lines or logfmt, gzip or not) to show a trace's lines from; repeatable; - for stdin")
	pf.StringVar(&g.cpuProfile, "cpuprofile", "", "write a CPU profile of the run to this file, for a performance report (env "+EnvCPUProfile+")")
	root.AddCommand(newShow(env, g), newSearch(env, g), newVersion(env))
	root.AddCommand(newAnalyze(env, g), newDiff(env, g))
	root.CompletionOptions.HiddenDefaultCmd = true
	return root
}

func newVersion(env Env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintln(env.Stdout, "tracetui "+Version())
			return err
		},
	}
}

// Version is the module version from the build info ("(devel)" for a
// source build).
func Version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok || info.Main.Version == "" {
		return "(devel)"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
	}
	return v
}

// setup loads the config and resolves the backend.
func setup(cmd *cobra.Command, env Env, g *globals) (*config.Resolved, *config.File, error) {
	path, explicit := g.configPath, g.configPath != ""
	if !explicit {
		path = config.DefaultPath()
	}
	f, warns, err := config.Load(path, explicit)
	if err != nil {
		return nil, nil, err
	}
	fl := config.Flags{
		Jaeger: g.jaeger, Zipkin: g.zipkin, Files: g.files, Demo: g.demo, Profile: g.profile,
		Headers: g.headers, Timeout: g.timeout, TimeoutSet: cmd.Flags().Changed("timeout"),
		CACert: g.caCert, InsecureSkipVerify: g.insecureSkipVerify, CorrelationKeys: g.correlationKeys,
		Logs: g.logs,
	}
	// More MiB than int64 bytes can hold would wrap around to a cap that
	// reads as unset (or negative), and the default would apply unsaid.
	if g.maxResponseMB <= 0 || g.maxResponseMB > math.MaxInt64>>20 {
		return nil, nil, usagef("--max-response-mb must be between 1 and %d", int64(math.MaxInt64>>20))
	}
	if cmd.Flags().Changed("max-response-mb") {
		// Unset, the profile's max_response_bytes (or the default) stands.
		fl.MaxResponseBytes = g.maxResponseMB << 20
	}
	if g.timeout <= 0 {
		return nil, nil, usagef("--timeout must be positive")
	}
	r, err := config.Resolve(fl, f, env.Getenv)
	if err != nil {
		return nil, nil, err
	}
	r.Warnings = append(append(warns, r.Warnings...), config.SecretFileWarnings(f, r.Profile)...)
	for _, w := range r.Warnings {
		fmt.Fprintln(env.Stderr, "tracetui: warning: "+w)
	}
	return r, f, nil
}

func oneLine(s string) string { return backend.Excerpt([]byte(s), 400) }

// FlagNames lists the long flag names of each command ("" is the root and
// its global flags), so that a test can check the README names them all.
func FlagNames() map[string][]string {
	root := newRoot(Env{}, &globals{})
	out := map[string][]string{}
	root.PersistentFlags().VisitAll(func(f *pflag.Flag) { out[""] = append(out[""], f.Name) })
	for _, c := range root.Commands() {
		c.Flags().VisitAll(func(f *pflag.Flag) {
			if root.PersistentFlags().Lookup(f.Name) == nil {
				out[c.Name()] = append(out[c.Name()], f.Name)
			}
		})
	}
	return out
}
