package cli

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend/logs"
	"github.com/tracetui/tracetui/internal/config"
)

// TestTUIOptionsLogsAndLinks: the interactive view gets the --logs files
// as a log set and the link templates (the backend's own UI included).
func TestTUIOptionsLogsAndLinks(t *testing.T) {
	log := filepath.Join(t.TempDir(), "app.log")
	if err := os.WriteFile(log, []byte(`{"traceId":"5e1ec7ed5e1ec7ed5e1ec7ed5e1ec7ed","msg":"hi"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	getenv := func(string) string { return "" }
	r, err := config.Resolve(config.Flags{Jaeger: "http://127.0.0.1:16686", Logs: []string{log}, Timeout: time.Second}, nil, getenv)
	if err != nil {
		t.Fatal(err)
	}
	b, err := openBackend(context.Background(), Env{Getenv: getenv}, r)
	if err != nil {
		t.Fatal(err)
	}
	opts, err := tuiOptions(Env{Getenv: getenv}, r, b, nil)
	if err != nil {
		t.Fatal(err)
	}
	set, ok := opts.Logs.(*logs.Set)
	if !ok || len(set.Paths()) != 1 || set.Paths()[0] != log {
		t.Errorf("Logs = %#v, want the set of %s", opts.Logs, log)
	}
	if len(opts.Links) != 2 || opts.Links[0].Name != "Jaeger UI" {
		t.Errorf("Links = %+v, want Jaeger UI's trace and span pages", opts.Links)
	}

	// Without --logs the option stays nil (not a nil *Set in an interface).
	r, _ = config.Resolve(config.Flags{Jaeger: "http://127.0.0.1:16686", Timeout: time.Second}, nil, getenv)
	if opts, err := tuiOptions(Env{Getenv: getenv}, r, b, nil); err != nil || opts.Logs != nil {
		t.Errorf("no --logs: Logs = %#v, %v", opts.Logs, err)
	}

	// A log file that cannot be read is an error before the screen opens.
	r, _ = config.Resolve(config.Flags{Jaeger: "http://127.0.0.1:16686", Logs: []string{log + ".missing"}, Timeout: time.Second}, nil, getenv)
	if _, err := tuiOptions(Env{Getenv: getenv}, r, b, nil); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing log file: %v", err)
	}
}

func TestHyperlinks(t *testing.T) {
	for _, tc := range []struct {
		term, env string
		want      bool
	}{
		{"xterm-256color", "", true},
		{"tmux-256color", "", true},
		{"linux", "", false},
		{"dumb", "", false},
		{"", "", false},
		{"xterm-256color", "0", false},
		{"linux", "1", true},
		{"xterm", "never", false},
	} {
		env := Env{Getenv: func(k string) string {
			switch k {
			case "TERM":
				return tc.term
			case "TRACETUI_HYPERLINKS":
				return tc.env
			}
			return ""
		}}
		if got := hyperlinks(env); got != tc.want {
			t.Errorf("TERM=%q TRACETUI_HYPERLINKS=%q: %v, want %v", tc.term, tc.env, got, tc.want)
		}
	}
}
