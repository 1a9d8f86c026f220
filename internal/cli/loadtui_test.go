package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/tracetui/tracetui/internal/config"
)

// The TUI loads a --file itself: the options are built with no backend
// (no label yet, no trace chosen: the TUI opens a single trace once it is
// loaded), and the loading screen names the files as given.
func TestTUIOptionsBeforeLoad(t *testing.T) {
	r, err := config.Resolve(config.Flags{Files: []string{"big.json", "-"}, Timeout: time.Second}, nil, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	opts, err := tuiOptions(Env{Stderr: &stderr}, r, nil, nil)
	if err != nil || opts.Backend != nil || opts.BackendLabel != "" || opts.InitialTrace != nil || !opts.AllTime {
		t.Errorf("options before the load: %+v, %v", opts, err)
	}
	if got := loadLabel(r.Files); got != "big.json, stdin" {
		t.Errorf("loadLabel = %q", got)
	}
}
