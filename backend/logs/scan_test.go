package logs

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/file"
	"github.com/tracetui/tracetui/internal/testkit/logsynth"
)

const fixtures = "../../testdata/fixtures/"

func fixtureTraces(t *testing.T, names ...string) []*backend.Trace {
	t.Helper()
	var paths []string
	for _, n := range names {
		paths = append(paths, fixtures+n)
	}
	b, err := file.Open(paths, nil)
	if err != nil {
		t.Fatal(err)
	}
	return b.Traces()
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func gz(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(data)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func lookup(t *testing.T, id backend.TraceID, paths ...string) *Result {
	t.Helper()
	s, err := Open(paths, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Lookup(context.Background(), id, Options{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// Logs generated for real fixtures, in every spelling and both formats,
// with other traces' lines and garbage mixed in, plain and gzip: each
// trace's lookup finds exactly its lines, in time order, each attached to
// one of its spans, and counts the garbage.
func TestLookupFixtures(t *testing.T) {
	traces := fixtureTraces(t, "zipkin/yelp.json", "jaeger/example_trace.json", "zipkin/messaging-kafka.json")
	if len(traces) < 3 {
		t.Fatalf("%d traces", len(traces))
	}
	for _, format := range []string{"json", "logfmt", "mixed"} {
		var buf bytes.Buffer
		counts, err := logsynth.ForTraces(&buf, traces, logsynth.Options{Format: format, PerSpan: 3, Noise: 500, Garbage: 40, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		plain := writeFile(t, "app.log", buf.Bytes())
		zipped := writeFile(t, "app.log.gz", gz(t, buf.Bytes()))
		for _, path := range []string{plain, zipped} {
			for _, tr := range traces {
				res := lookup(t, tr.ID, path)
				name := format + " " + filepath.Base(path) + " " + string(tr.ID)
				if got, want := len(res.Lines), counts.Lines[tr.ID]; got != want || want == 0 {
					t.Errorf("%s: %d lines, want %d", name, got, want)
				}
				if got, want := res.ErrorCount(), counts.Errors[tr.ID]; got != want {
					t.Errorf("%s: %d error lines, want %d", name, got, want)
				}
				f := res.Files[0]
				// Empty garbage lines are not counted: they are not log lines.
				if want := int64(counts.Garbage - counts.Garbage/5); f.Unreadable != want || f.Malformed != 0 {
					t.Errorf("%s: unreadable %d malformed %d, want %d and 0", name, f.Unreadable, f.Malformed, want)
				}
				if f.Gzip != strings.HasSuffix(path, ".gz") {
					t.Errorf("%s: gzip %v", name, f.Gzip)
				}
				if !slices.IsSortedFunc(res.Lines, func(a, b Line) int { return int(min(max(a.Time-b.Time, -1), 1)) }) {
					t.Errorf("%s: lines not in time order", name)
				}
				g := res.GroupTrace(tr)
				if len(g.Trace) != 0 {
					t.Errorf("%s: %d lines not attached to a span", name, len(g.Trace))
				}
				n := 0
				for _, s := range tr.Spans {
					ids := g.BySpan[s.SpanID]
					n += len(ids)
					for _, i := range ids {
						l := res.Lines[i]
						// The text spelling writes milliseconds.
						if l.Time < s.Start-int64(time.Millisecond) || l.Time > s.End() {
							t.Errorf("%s: line at %d outside span %s [%d, %d]", name, l.Time, s.SpanID, s.Start, s.End())
						}
						if !strings.Contains(l.Message, s.Operation+": step") && !strings.Contains(l.Message, s.Operation+" failed") {
							t.Errorf("%s: line %q of span %s (%s)", name, l.Message, s.SpanID, s.Operation)
						}
						if l.Number <= 0 {
							t.Errorf("%s: line number %d", name, l.Number)
						}
					}
				}
				if n != len(res.Lines) {
					t.Errorf("%s: %d lines grouped, %d found", name, n, len(res.Lines))
				}
			}
		}
	}
}

// Every spelling is found, and the line numbers are those of the file.
func TestLookupEverySpelling(t *testing.T) {
	tr := fixtureTraces(t, "jaeger/example_trace.json")[0]
	s := &tr.Spans[0]
	var buf bytes.Buffer
	buf.WriteString("not a log line\n")
	for i, sp := range logsynth.Spellings() {
		// Whole milliseconds: the text spelling writes no finer.
		at := s.Start - s.Start%1e6 + int64(i)*1e6
		r := logsynth.Rec{Time: at, Level: "error", Service: "svc", Message: sp.Name,
			TraceID: tr.ID, SpanID: s.SpanID, ExtraKey: "k", ExtraValue: "v"}
		buf.Write(sp.Line(nil, r))
	}
	res := lookup(t, tr.ID, writeFile(t, "app.log", buf.Bytes()))
	if len(res.Lines) != len(logsynth.Spellings()) {
		t.Fatalf("found %d of %d spellings", len(res.Lines), len(logsynth.Spellings()))
	}
	for i, l := range res.Lines {
		sp := logsynth.Spellings()[i]
		// The text spelling's message starts with the thread, "[svc] ".
		if strings.TrimPrefix(l.Message, "[svc] ") != sp.Name || l.SpanID != s.SpanID || !l.Error || l.Number != int64(i+2) {
			t.Errorf("%s: %+v", sp.Name, l)
		}
		if sp.JSON != (l.Format == FormatJSON) {
			t.Errorf("%s: format %s", sp.Name, l.Format)
		}
		if !hasField(l.Fields, Field{"k", "v"}) {
			t.Errorf("%s: fields %q", sp.Name, l.Fields)
		}
	}
	if res.Files[0].Unreadable != 1 {
		t.Errorf("unreadable %d, want 1", res.Files[0].Unreadable)
	}
}

// Lines of another trace are not the trace's, even when they share its low
// half or hold its ID in their text; lines naming a span outside the trace
// or none are listed under the trace.
func TestLookupOtherTraces(t *testing.T) {
	const other = "1111111111111111a3ce929d0e0e4736"
	lines := []string{
		`{"trace_id":"` + other + `","msg":"same low half, other trace"}`,
		`{"trace_id":"` + tid[:31] + `7","msg":"one digit off"}`,
		`{"trace_id":"ffffffffffffffffffffffffffffffff","msg":"mentions ` + tid + ` in text"}`,
		`{"trace_id":"` + tid + `","span_id":"` + sid + `","msg":"mine"}`,
		`{"trace_id":"` + tid + `","span_id":"1234567890abcdef","msg":"span not in trace"}`,
		`{"trace_id":"` + tid + `","msg":"no span"}`,
		`{"dd.trace_id":"` + tidDec + `","msg":"datadog"}`,
	}
	res := lookup(t, tid, writeFile(t, "app.log", []byte(strings.Join(lines, "\n"))))
	var msgs []string
	for _, l := range res.Lines {
		msgs = append(msgs, l.Message)
	}
	want := []string{"mine", "span not in trace", "no span", "datadog"}
	if !slices.Equal(msgs, want) {
		t.Fatalf("found %q, want %q", msgs, want)
	}
	g := res.Group([]backend.SpanID{sid})
	if len(g.BySpan[sid]) != 1 || len(g.Trace) != 3 {
		t.Errorf("groups %+v", g)
	}
}

// Garbage, blank, binary and over-long lines are skipped and counted;
// CRLF endings and a last line without a newline are read; line numbers
// stay right across the read window.
func TestLookupGarbage(t *testing.T) {
	var buf bytes.Buffer
	mine := func(msg string) string { return `{"trace_id":"` + tid + `","msg":"` + msg + `"}` }
	buf.WriteString(mine("first") + "\r\n")
	buf.WriteString("\x00\x01\x02 binary\n")
	buf.WriteString("\n   \n")
	buf.WriteString(`{"trace_id":"` + tid + `", broken` + "\n") // malformed
	buf.WriteString(strings.Repeat("x", MaxLineBytes+10) + " " + tid + "\n")
	for buf.Len() < 3*MaxLineBytes {
		buf.WriteString(`{"trace_id":"ffffffffffffffffffffffffffffffff","msg":"filler"}` + "\n")
	}
	buf.WriteString(mine("last"))
	data := buf.Bytes()
	res := lookup(t, tid, writeFile(t, "app.log", data))
	f := res.Files[0]
	if len(res.Lines) != 2 || res.Lines[0].Message != "first" || res.Lines[1].Message != "last" {
		t.Fatalf("lines %+v", res.Lines)
	}
	wantLast := int64(bytes.Count(data, []byte{'\n'}) + 1)
	if res.Lines[0].Number != 1 || res.Lines[1].Number != wantLast {
		t.Errorf("line numbers %d, %d; want 1, %d", res.Lines[0].Number, res.Lines[1].Number, wantLast)
	}
	if f.Lines != wantLast || f.Unreadable != 1 || f.Malformed != 1 || f.TooLong != 1 || f.Matched != 2 {
		t.Errorf("stats %+v (want %d lines)", f, wantLast)
	}
	if f.Bytes != int64(len(data)) {
		t.Errorf("bytes %d, want %d", f.Bytes, len(data))
	}
}

// A file with no newline at all is one over-long line, read in bounded memory.
func TestLookupNoNewline(t *testing.T) {
	res := lookup(t, tid, writeFile(t, "one.log", bytes.Repeat([]byte("a="+tid+" "), MaxLineBytes/20)))
	if f := res.Files[0]; f.TooLong != 1 || f.Lines != 1 || len(res.Lines) != 0 {
		t.Errorf("%+v, %d lines", f, len(res.Lines))
	}
}

func TestLookupLimits(t *testing.T) {
	var buf bytes.Buffer
	for i := 0; i < 50; i++ {
		buf.WriteString(`{"trace_id":"` + tid + `","msg":"m"}` + "\n")
	}
	s, err := Open([]string{writeFile(t, "app.log", buf.Bytes())}, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Lookup(context.Background(), tid, Options{MaxLines: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Lines) != 10 || res.Dropped != 40 || res.Files[0].Matched != 50 {
		t.Errorf("kept %d dropped %d matched %d", len(res.Lines), res.Dropped, res.Files[0].Matched)
	}
	if !strings.Contains(res.Summary(), "40 more of this trace not kept") {
		t.Errorf("summary %q", res.Summary())
	}
}

// A truncated gzip file keeps the lines before the damage and says so; a
// zstd file is named; the other files are still read.
func TestLookupDamagedFiles(t *testing.T) {
	var buf bytes.Buffer
	for i := 0; i < 20000; i++ {
		buf.WriteString(`{"trace_id":"` + tid + `","msg":"m"}` + "\n")
	}
	z := gz(t, buf.Bytes())
	cut := writeFile(t, "cut.log.gz", z[:len(z)/2])
	zst := writeFile(t, "app.log.zst", []byte{0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0})
	good := writeFile(t, "good.log", []byte(`{"trace_id":"`+tid+`","msg":"good"}`))
	res := lookup(t, tid, cut, zst, good)
	if len(res.Warnings) != 2 || !strings.Contains(res.Warnings[0], "cut.log.gz") || !strings.Contains(res.Warnings[1], "zstd") {
		t.Errorf("warnings %q", res.Warnings)
	}
	if len(res.Lines) < 100 || res.Lines[len(res.Lines)-1].Message != "good" {
		t.Errorf("%d lines kept", len(res.Lines))
	}
}

// A pipe or stdin is read by one lookup only; the next says why.
func TestLookupStdinOnce(t *testing.T) {
	in := strings.NewReader(`{"trace_id":"` + tid + `","msg":"piped"}` + "\n")
	s, err := Open([]string{"-"}, in)
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Lookup(context.Background(), tid, Options{})
	if err != nil || len(res.Lines) != 1 || res.Files[0].Path != "standard input" {
		t.Fatalf("%+v %v", res, err)
	}
	res, err = s.Lookup(context.Background(), tid, Options{})
	if err != nil || len(res.Lines) != 0 || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "only once") {
		t.Errorf("second lookup: %+v %v", res, err)
	}
	if _, err := Open([]string{"-", "-"}, in); err == nil {
		t.Error("stdin twice accepted")
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open([]string{filepath.Join(t.TempDir(), "missing.log")}, nil); err == nil || !strings.Contains(err.Error(), "missing.log") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := Open([]string{t.TempDir()}, nil); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("directory: %v", err)
	}
	s, _ := Open(nil, nil)
	if _, err := s.Lookup(context.Background(), "xyz", Options{}); err == nil {
		t.Error("bad trace ID accepted")
	}
}

func TestLookupCancel(t *testing.T) {
	var buf bytes.Buffer
	logsynth.Big(&buf, 8<<20, "json", 1)
	s, _ := Open([]string{writeFile(t, "big.log", buf.Bytes())}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	_, err := s.Lookup(ctx, tid, Options{Progress: func(p Progress) {
		calls++
		if p.Size != int64(buf.Len()) || p.Read <= 0 || p.Read > p.Size || p.Files != 1 {
			t.Errorf("progress %+v", p)
		}
		cancel()
	}})
	if !errors.Is(err, context.Canceled) || calls != 1 {
		t.Errorf("err %v after %d progress calls", err, calls)
	}
}

// The generator's big file: the trace it names is found with all its lines.
func TestLookupBig(t *testing.T) {
	for _, format := range []string{"json", "logfmt"} {
		var buf bytes.Buffer
		id, n, err := logsynth.Big(&buf, 4<<20, format, 3)
		if err != nil {
			t.Fatal(err)
		}
		res := lookup(t, id, writeFile(t, "big.log", buf.Bytes()))
		if len(res.Lines) != n || res.Files[0].Unreadable != 0 || res.Files[0].Malformed != 0 {
			t.Errorf("%s: %d lines, want %d; %+v", format, len(res.Lines), n, res.Files[0])
		}
	}
}

// A chunk full of lines that hold the ID's text without being the trace's
// does not stay in memory for the one line that is.
func TestLookupDenseDecoys(t *testing.T) {
	var buf bytes.Buffer
	buf.WriteString(`{"trace_id":"` + tid + `","msg":"mine"}` + "\n")
	for buf.Len() < 4*MaxLineBytes {
		buf.WriteString(`{"trace_id":"ffffffffffffffffffffffffffffffff","msg":"about ` + tid + `"}` + "\n")
	}
	path := writeFile(t, "decoys.log", buf.Bytes())
	buf = bytes.Buffer{}
	s, err := Open([]string{path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var m1, m2 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m1)
	res, err := s.Lookup(context.Background(), tid, Options{})
	if err != nil || len(res.Lines) != 1 || res.Lines[0].Message != "mine" {
		t.Fatalf("%+v %v", res, err)
	}
	runtime.GC()
	runtime.ReadMemStats(&m2)
	if grew := int64(m2.HeapAlloc) - int64(m1.HeapAlloc); grew > 16<<10 {
		t.Errorf("one line of the trace keeps %d bytes", grew)
	}
	runtime.KeepAlive(res)
}
