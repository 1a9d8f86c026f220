package tui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/demo"
	"github.com/tracetui/tracetui/backend/logs"
	"github.com/tracetui/tracetui/internal/format"
	"github.com/tracetui/tracetui/internal/links"
	"github.com/tracetui/tracetui/internal/testkit/logsynth"
)

// TestTeatestLogsAndLinks runs the program in Bubble Tea's event loop on
// the demo's declined checkout with a generated log file and a link
// template: the lookup starts when the trace opens, the header counts the
// lines, the span detail draws its link as an OSC 8 hyperlink that reaches
// the terminal, and L lists the lines.
func TestTeatestLogsAndLinks(t *testing.T) {
	b := demo.New(testNow)
	tr, err := b.Trace(context.Background(), demo.ErrorTraceID, backend.TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "app.log")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	counts, err := logsynth.ForTraces(f, []*backend.Trace{tr}, logsynth.Options{Format: "mixed", Noise: 20, Garbage: 2, Seed: 3})
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	set, err := logs.Open([]string{path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := NewModel(Options{
		Backend: b, BackendLabel: "demo", Now: clock, InitialTraceID: string(demo.ErrorTraceID),
		Logs: set, Hyperlinks: true,
		Links: []links.Template{{Type: links.ScopeSpan, Name: "logs of {service}", URL: "https://logs.example/?span={spanID}"}},
	})
	// A terminal's colour profile: with none (NoTTY, teatest's default)
	// the renderer drops hyperlinks along with colours.
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ANSI)))
	var out bytes.Buffer
	waitFor := func(raw bool, s string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
			out.Write(b)
			if raw {
				return bytes.Contains(out.Bytes(), []byte(s))
			}
			return bytes.Contains([]byte(ansi.Strip(out.String())), []byte(s))
		}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	}
	// The renderer writes what changed, so the header's count is looked
	// for alone.
	waitFor(false, format.Count(counts.Lines[tr.ID])+" logs (L)")
	tm.Send(tea.KeyPressMsg{Code: 'd', Text: "d"})
	waitFor(false, "Span detail")
	// Fold the Span section: the links follow it.
	tm.Send(tea.KeyPressMsg{Code: tea.KeyTab})
	tm.Send(tea.KeyPressMsg{Code: 'h', Text: "h"})
	root := tr.Spans[0]
	for _, sp := range tr.Spans {
		if sp.ParentID == "" {
			root = sp
		}
	}
	waitFor(true, "https://logs.example/?span="+string(root.SpanID))
	if !bytes.Contains(out.Bytes(), []byte("\x1b]8;")) {
		t.Error("no OSC 8 hyperlink reached the terminal")
	}
	tm.Send(tea.KeyPressMsg{Code: 'L', Text: "L"})
	waitFor(false, "Log lines · "+format.Count(counts.Lines[tr.ID])+" lines")
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second))
}
