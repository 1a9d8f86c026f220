package cli

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/backend/file"
	"github.com/tracetui/tracetui/internal/report"
	"github.com/tracetui/tracetui/internal/testkit/logsynth"
)

// genLogs writes generated log lines for a fixture's traces, plus extra
// lines, and returns the file and the line count of the first trace.
func genLogs(t *testing.T, fix string, extra ...string) (string, int) {
	t.Helper()
	b, err := file.Open([]string{fix}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	c, err := logsynth.ForTraces(&buf, b.Traces(), logsynth.Options{Format: "mixed", Noise: 100, Garbage: 5, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range extra {
		buf.WriteString(e + "\n")
	}
	p := filepath.Join(t.TempDir(), "app.log")
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p, c.Lines[b.Traces()[0].ID]
}

const hostileLine = `{"trace_id":"0000000000000000a03ee8fff1dcd9b9","level":"error","msg":"\u001b]0;pwned\u0007\u001b[2Jcleared\u202e\u009b31m","service":"\u001b[31mevil"}`

func TestShowLogsJSON(t *testing.T) {
	fix := fixture("zipkin", "yelp.json")
	logFile, n := genLogs(t, fix, hostileLine)
	r := run(t, nil, "", append(isolate(t), "show", "--file", fix, "--logs", logFile, "-o", "json")...)
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	var st report.ShowWithLogs
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		t.Fatal(err)
	}
	checkShow(t, st.ShowTrace)
	if len(st.Logs) != n+1 {
		t.Fatalf("%d log lines, want %d", len(st.Logs), n+1)
	}
	spans := map[string]bool{}
	for _, id := range append(st.ErrorSpanIDs, st.RootSpanIDs...) {
		spans[id] = true
	}
	evil := 0
	for i, l := range st.Logs {
		if l.Time == nil && l.Message != "" && !strings.Contains(l.Message, "pwned") {
			t.Errorf("line %d has no time: %+v", i, l)
		}
		if i > 0 && l.Time != nil && st.Logs[i-1].Time != nil && *l.Time < *st.Logs[i-1].Time {
			t.Errorf("line %d out of time order", i)
		}
		if strings.Contains(l.Message, "pwned") {
			evil++
			// JSON keeps the text exact; the output escapes the controls.
			if !strings.Contains(l.Message, "\x1b]0;pwned") || l.Level != "error" || l.SpanID != "" {
				t.Errorf("hostile line %+v", l)
			}
		}
	}
	if evil != 1 || strings.ContainsAny(r.stdout, "\x1b\x07\u202e\u009b") {
		t.Errorf("hostile line: %d found; raw controls in output: %v", evil, strings.ContainsAny(r.stdout, "\x1b\x07\u202e\u009b"))
	}

	// Without --logs there is no "logs" key.
	r = run(t, nil, "", append(isolate(t), "show", "--file", fix, "-o", "json")...)
	if strings.Contains(r.stdout, `"logs"`) {
		t.Error("logs key without --logs")
	}
}

func TestShowLogsText(t *testing.T) {
	fix := fixture("zipkin", "yelp.json")
	logFile, n := genLogs(t, fix, hostileLine)
	gz := logFile + ".gz"
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	data, _ := os.ReadFile(logFile)
	zw.Write(data)
	zw.Close()
	os.WriteFile(gz, b.Bytes(), 0o600)
	for _, width := range []int{80, 140} {
		r := run(t, nil, "", append(isolate(t), "show", "--file", fix, "--logs", gz, "--width", itoa(width), "--color", "never")...)
		if r.code != 0 {
			t.Fatalf("%+v", r)
		}
		_, section, ok := strings.Cut(r.stdout, "\nLogs: ")
		if !ok {
			t.Fatalf("no Logs section:\n%s", r.stdout)
		}
		lines := strings.Split(strings.TrimRight(section, "\n"), "\n")
		if !strings.HasPrefix(lines[0], itoa(n+1)+" lines (1 error)") || !strings.Contains(lines[0], "app.log.gz") {
			t.Errorf("heading %q", lines[0])
		}
		rows := 0
		for _, l := range strings.Split(r.stdout, "\n") {
			if w := ansi.StringWidth(l); w > width {
				t.Errorf("line wider than %d (%d): %q", width, w, l)
			}
			// The OSC sequence goes whole, "pwned" with it.
			if strings.Contains(l, "ERROR") && strings.Contains(l, "cleared") {
				rows++
				if !strings.Contains(l, "(no span)") {
					t.Errorf("hostile row %q", l)
				}
			}
		}
		if rows != 1 || strings.Contains(r.stdout, "pwned") || strings.ContainsAny(r.stdout, "\x1b\x07\u202e\u009b") {
			t.Errorf("width %d: %d hostile rows; controls in text: %v", width, rows, strings.ContainsAny(r.stdout, "\x1b\x07\u202e\u009b"))
		}
	}
}

func TestShowLinks(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "c.yaml")
	os.WriteFile(cfg, []byte(`links:
  - type: trace
    name: Logs of {service}
    url: https://kibana.example/app/discover#/?_a=(query:'trace.id:{traceID}')&from={startMillis}
`), 0o600)
	r := run(t, nil, "", "--config", cfg, "show", "--file", fixture("zipkin", "yelp.json"), "--color", "never")
	if r.code != 0 || !strings.Contains(r.stdout, "\nLinks\n  Logs of ") ||
		!strings.Contains(r.stdout, ": https://kibana.example/app/discover#/?_a=(query:'trace.id:a03ee8fff1dcd9b9')&from=1571896375") {
		t.Errorf("%+v", r)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("links:\n  - type: trace\n    url: https://x/{nope}\n"), 0o600)
	r = run(t, nil, "", "--config", bad, "show", "--demo", "abc")
	if r.code != ExitRuntime || !strings.Contains(r.stderr, "unknown placeholder {nope}") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("bad template: %+v", r)
	}
}

func TestShowLogsErrors(t *testing.T) {
	fix := fixture("zipkin", "yelp.json")
	r := run(t, nil, "", append(isolate(t), "show", "--file", fix, "--logs", filepath.Join(t.TempDir(), "nope.log"))...)
	if r.code != ExitRuntime || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "nope.log") {
		t.Errorf("missing file: %+v", r)
	}
	data, _ := os.ReadFile(fix)
	r = run(t, nil, string(data), append(isolate(t), "show", "--file", "-", "--logs", "-")...)
	if r.code != ExitUsage {
		t.Errorf("stdin twice: %+v", r)
	}
	// Logs from stdin.
	logFile, n := genLogs(t, fix)
	logs, _ := os.ReadFile(logFile)
	r = run(t, nil, string(logs), append(isolate(t), "show", "--file", fix, "--logs", "-", "-o", "json")...)
	var st report.ShowWithLogs
	if err := json.Unmarshal([]byte(r.stdout), &st); r.code != 0 || err != nil || len(st.Logs) != n {
		t.Errorf("stdin logs: %d lines, want %d; %v %+v", len(st.Logs), n, err, r.stderr)
	}
}
