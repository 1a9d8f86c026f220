package main

import (
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend/file"
	"github.com/tracetui/tracetui/internal/testkit/logsynth"
)

// TestTmuxLogs opens a real fixture with a generated log file (gzip, every
// spelling of the trace ID, lines of other traces and garbage mixed in),
// as `tracetui --file F --logs L`, and reads a span's lines at 80×24: the
// header counts them, the span detail lists them, the logs pane lists the
// trace's and enter jumps to a span.
func TestTmuxLogs(t *testing.T) {
	fixture := filepath.Join("testdata", "fixtures", "jaeger", "ui_01.json")
	b, err := file.Open([]string{fixture}, nil)
	if err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(t.TempDir(), "app.log.gz")
	f, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	counts, err := logsynth.ForTraces(zw, b.Traces(), logsynth.Options{Format: "mixed", PerSpan: 2, Noise: 40, Garbage: 3, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	tr := b.Traces()[0]
	want := counts.Lines[tr.ID]
	if want == 0 {
		t.Fatal("no lines generated for the fixture's trace")
	}

	bin := buildBinary(t)
	s := startTmux(t, 80, 24, bin, "--file", fixture, "--logs", logPath)
	scr := s.waitFor(itoa(want)+" logs (L)", "≡")
	checkScreen(t, scr, 80, 24)

	// The root's detail, its Span section folded: its own lines (and, as
	// ui_01 gives another span the root's ID, that span's lines too: a
	// line names a span by ID).
	root := tr.Spans[0]
	for _, sp := range tr.Spans {
		if sp.ParentID == "" {
			root = sp
			break
		}
	}
	s.keys("d")
	s.waitFor("Span detail")
	s.keys("Tab")
	time.Sleep(200 * time.Millisecond)
	s.keys("h")
	scr = s.waitFor("Log lines (", root.Operation+": step 1 of 2", root.Operation+": step 2 of 2")
	checkScreen(t, scr, 80, 24)

	// The logs pane: every line of the trace; enter on the last one jumps
	// to its span.
	s.keys("L")
	scr = s.waitFor("Log lines · " + itoa(want) + " lines")
	checkScreen(t, scr, 80, 24)
	if !strings.Contains(scr, "read in app.log.gz") {
		t.Errorf("the logs pane does not say what it read:\n%s", scr)
	}
	s.keys("G")
	time.Sleep(200 * time.Millisecond)
	s.keys("Enter")
	deadline := time.Now().Add(5 * time.Second)
	for scr = s.screen(); strings.Contains(scr, "row 1/") && time.Now().Before(deadline); scr = s.screen() {
		time.Sleep(100 * time.Millisecond)
	}
	checkScreen(t, scr, 80, 24)
	if !strings.Contains(scr, "row 3/5") || !strings.Contains(scr, ">  ≡└─▾ service-y reference-test") {
		t.Errorf("enter on the last line (reference-test's) did not select its span:\n%s", scr)
	}
	s.keys("q")
}
