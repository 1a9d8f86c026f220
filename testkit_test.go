package main

import (
	"os/exec"
	"strings"
	"testing"
)

// The binary must not carry test tooling: internal/testkit is for tests,
// benchmarks and scripts only.
func TestBinaryImportsNoTestkit(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps printed %d packages; expected the binary's whole graph", len(deps))
	}
	for _, p := range deps {
		if strings.Contains(p, "/internal/testkit") {
			t.Errorf("the binary imports %s", p)
		}
	}
}
