package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tracetui/tracetui/internal/cli"
	"github.com/tracetui/tracetui/internal/config"
	"github.com/tracetui/tracetui/keymap"
)

var updateReadme = flag.Bool("update", false, "rewrite the README's key table from keymap")

const keysBegin, keysEnd = "<!-- keys:begin (generated from keymap: go test . -update) -->\n", "<!-- keys:end -->"

// TestReadmeKeyTable keeps the README's key table equal to the bindings.
func TestReadmeKeyTable(t *testing.T) {
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	i, j := strings.Index(readme, keysBegin), strings.Index(readme, keysEnd)
	if i < 0 || j < i {
		t.Fatal("README.md lacks the key table markers")
	}
	want := keymap.MarkdownTable()
	got := readme[i+len(keysBegin) : j]
	if got == want {
		return
	}
	if *updateReadme {
		if err := os.WriteFile("README.md", []byte(readme[:i+len(keysBegin)]+want+readme[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatalf("README.md key table is stale; run go test . -update\nwant:\n%s", want)
}

// TestReadmeFlags checks that the README names every command-line flag.
func TestReadmeFlags(t *testing.T) {
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for cmd, names := range cli.FlagNames() {
		for _, n := range names {
			if n == "help" {
				continue
			}
			if !strings.Contains(string(data), "--"+n) {
				t.Errorf("README.md does not mention %s flag --%s", cmd, n)
			}
		}
	}
}

// TestReadmeConfigExample loads the README's config file example: what it
// shows, the link templates included, must be valid.
func TestReadmeConfigExample(t *testing.T) {
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "\n## Config file\n")
	if !ok {
		t.Fatal("README.md has no Config file section")
	}
	_, rest, ok = strings.Cut(rest, "```yaml\n")
	body, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("the Config file section has no yaml block")
	}
	p := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	f, _, err := config.Load(p, true)
	if err != nil {
		t.Fatalf("the README's config example: %v", err)
	}
	if len(f.Links) == 0 || len(f.Profiles) == 0 {
		t.Errorf("the example lost its links or profiles: %+v", f)
	}
}
