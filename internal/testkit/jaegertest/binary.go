// Package jaegertest runs a real Jaeger v2 (built from the Jaeger module at
// a pinned version) for tests: every listener on 127.0.0.1 on free ports,
// in-memory storage, fixtures loaded through its OTLP/HTTP and Zipkin
// receivers with their timestamps moved to just before now.
//
// A test binary uses one Jaeger:
//
//	func TestMain(m *testing.M) { os.Exit(jaegertest.Main(m)) }
//	func TestX(t *testing.T) { j := jaegertest.Shared(t); ... j.BaseURL ... }
//
// When the binary is missing, Shared skips the test, unless CI=true, where it
// fails: CI must run against the real server.
package jaegertest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// Version is the Jaeger module version the harness runs (= Jaeger v2.12.0).
const Version = "v1.75.0"

// BinaryName is the file name of the built binary in the cache folder.
const BinaryName = "jaeger-" + Version

// EnvBinary names an explicit Jaeger binary, overriding the cache.
const EnvBinary = "TRACETUI_JAEGER_BIN"

const modulePath = "github.com/tracetui/tracetui"

// CachePath is where the binary is built and looked for:
// $XDG_CACHE_HOME/tracetui/jaeger-v1.75.0, else ~/.cache/tracetui/....
func CachePath() (string, error) {
	dir := os.Getenv("XDG_CACHE_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("no cache folder: set XDG_CACHE_HOME or HOME: %w", err)
		}
		dir = filepath.Join(home, ".cache")
	}
	return filepath.Join(dir, "tracetui", BinaryName), nil
}

// FindBinary returns the Jaeger binary to run: $TRACETUI_JAEGER_BIN when
// set (it must exist), else the cache path when the file is there.
func FindBinary() (string, error) { return jaegerTool().find() }

// program is one of the programs the harness builds into the cache: Jaeger
// and the HotROD traffic program differ only in these fields.
type program struct {
	name    string // in messages: "jaeger", "hotrod"
	version string
	env     string                 // the variable naming an explicit binary
	cache   func() (string, error) // where it is built and looked for
	dir     string                 // the module to build in, from the repository root
	pkg     string                 // the package to build in it
}

// jaegerTool is a function, not a variable: no package-level state.
func jaegerTool() program {
	return program{name: "jaeger", version: Version, env: EnvBinary, cache: CachePath,
		dir: filepath.Join("internal", "testkit", "tools"), pkg: "github.com/jaegertracing/jaeger/cmd/jaeger"}
}

// find returns the program's binary: the environment's, else the cache's.
func (p program) find() (string, error) {
	if e := os.Getenv(p.env); e != "" {
		if isExecutable(e) {
			return e, nil
		}
		return "", fmt.Errorf("%s=%s is not an executable file", p.env, e)
	}
	c, err := p.cache()
	if err != nil {
		return "", err
	}
	if !isExecutable(c) {
		return "", fmt.Errorf("%s binary not found at %s (build it with: go run ./internal/testkit/jaegertest/cmd/buildjaeger)", p.name, c)
	}
	return c, nil
}

// build builds the program into the cache unless it is already there (or
// the environment names one), and returns its path.
func (p program) build(ctx context.Context, out io.Writer) (string, error) {
	if found, err := p.find(); err == nil {
		return found, nil
	} else if os.Getenv(p.env) != "" {
		return "", err
	}
	dst, err := p.cache()
	if err != nil {
		return "", err
	}
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", err
	}
	// Build next to the target and rename, so that an interrupted build
	// never leaves a broken binary at the path tests look for.
	tmp := dst + ".tmp"
	cmd := exec.CommandContext(ctx, goTool(), "build", "-C", filepath.Join(root, p.dir), "-o", tmp, p.pkg)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Run(); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("building %s %s: %w", p.name, p.version, err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return "", err
	}
	return dst, nil
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular() && st.Mode().Perm()&0o111 != 0
}

// RepoRoot finds the tracetui module root: up from the working directory,
// else from this source file.
func RepoRoot() (string, error) {
	if wd, err := os.Getwd(); err == nil {
		if root, ok := findModuleRoot(wd); ok {
			return root, nil
		}
	}
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		if root, ok := findModuleRoot(filepath.Dir(file)); ok {
			return root, nil
		}
	}
	return "", errors.New("cannot find the tracetui module root (go.mod of " + modulePath + ")")
}

func findModuleRoot(dir string) (string, bool) {
	for {
		if isModule(filepath.Join(dir, "go.mod")) {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

func isModule(gomod string) bool {
	f, err := os.Open(gomod)
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "module ") {
			return strings.TrimSpace(strings.TrimPrefix(line, "module ")) == modulePath
		}
	}
	return false
}

// Build builds the Jaeger binary into the cache path unless it is already
// there (or $TRACETUI_JAEGER_BIN names one), and returns its path. It runs
// `go build` on the tool module in internal/testkit/tools, whose go.mod pins the
// Jaeger version; build output goes to the given writer (may be nil).
func Build(ctx context.Context, out io.Writer) (string, error) { return jaegerTool().build(ctx, out) }

// goTool is the go command to build with: go test gives its test binaries
// GOROOT; elsewhere the go on PATH.
func goTool() string {
	if root := os.Getenv("GOROOT"); root != "" {
		if p := filepath.Join(root, "bin", "go"); fileExists(p) {
			return p
		}
	}
	return "go"
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
