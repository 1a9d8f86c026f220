package report

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/logs"
	"github.com/tracetui/tracetui/internal/links"
	"github.com/tracetui/tracetui/internal/testkit/hostile"
)

// logsFixture is the yelp trace with a line for its root span, one for a
// span not in it, one with no span, no time and only fields, and one
// hostile.
func logsFixture(t *testing.T) (*logsResult, string) {
	a := analyseFixture(t, "yelp.json")
	tr := a.Tree
	root := tr.Trace.Spans[tr.Roots[0]]
	res := &logs.Result{
		TraceID: tr.Trace.ID,
		Lines: []logs.Line{
			{Time: tr.Start + 1_500_000, Level: "info", Service: root.Service, Message: "request in", SpanID: root.SpanID, TraceID: tr.Trace.ID},
			{Time: tr.Start + 2_000_000, Level: "error", Error: true, Service: "ghost", Message: "from elsewhere", SpanID: "1234567890abcdef", TraceID: tr.Trace.ID},
			{Time: tr.Start - 3_000_000, Level: "Notable-and-long", Message: "\x1b[2J\x1b]0;t\x07evil\u202e\nsecond line", TraceID: tr.Trace.ID},
			{Fields: []logs.Field{{Key: "k", Value: "v"}, {Key: "bare"}}, TraceID: tr.Trace.ID},
		},
		Files:    []logs.FileStats{{Path: "/var/log/app.log", Lines: 1000, Unreadable: 3, Matched: 4}},
		Warnings: []string{"app.log.gz: unexpected EOF"},
		Dropped:  2,
	}
	return &logsResult{a: a, res: res}, string(root.SpanID)
}

type logsResult struct {
	a   *analysis.Analysis
	res *logs.Result
}

func TestLogsText(t *testing.T) {
	f, _ := logsFixture(t)
	for _, width := range []int{20, 40, 80, 200} {
		for _, color := range []bool{false, true} {
			var b bytes.Buffer
			if err := LogsText(&b, f.a, f.res, TextOptions{Width: width, Color: color}); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			for _, l := range lines {
				if w := ansi.StringWidth(l); w > max(width, MinWidth) {
					t.Errorf("width %d: %d cells: %q", width, w, l)
				}
			}
			plain := ansi.Strip(out)
			if strings.ContainsAny(plain, "\x1b\x07\u202e") || strings.Contains(plain, "\n\n\n") {
				t.Errorf("controls left: %q", plain)
			}
			if width == 200 && !color {
				for _, want := range []string{
					"Logs: 4 lines (1 error); 1,000 lines read in app.log, 3 not JSON or logfmt, 2 more of this trace not kept",
					"logs: app.log.gz: unexpected EOF",
					"+1.5ms INFO  " + f.a.Tree.Trace.Spans[f.a.Tree.Roots[0]].Service,
					"ERROR ghost (span not in trace)",
					"-3ms NOTA… (no span)",
					"evil↵second line",
					"? -     (no span)",
					"k=v  bare",
				} {
					if !strings.Contains(out, want) {
						t.Errorf("missing %q in\n%s", want, out)
					}
				}
			}
			if color && !strings.Contains(out, "\x1b[31;1mERROR\x1b[0m") {
				t.Errorf("error level not red:\n%q", out)
			}
		}
	}
}

func TestShowJSONWithLogs(t *testing.T) {
	f, rootID := logsFixture(t)
	var b bytes.Buffer
	if err := ShowJSONWithLogs(&b, f.a, -1, f.res); err != nil {
		t.Fatal(err)
	}
	var got ShowWithLogs
	dec := json.NewDecoder(&b)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if len(got.Logs) != 4 || got.Logs[0].SpanID != rootID || *got.Logs[0].Time == "" || got.Logs[3].Time != nil {
		t.Fatalf("%+v", got.Logs)
	}
	if !strings.HasSuffix(*got.Logs[0].Time, "Z") || len(*got.Logs[0].Time) != len("2006-01-02T15:04:05.000000000Z") {
		t.Errorf("time %q", *got.Logs[0].Time)
	}
	if got.Logs[2].Message != f.res.Lines[2].Message {
		t.Errorf("JSON changed the message: %q", got.Logs[2].Message)
	}
	n := 0
	for _, w := range got.Warnings {
		if strings.HasPrefix(w, "logs: ") {
			n++
		}
	}
	if n != 2 {
		t.Errorf("warnings %q", got.Warnings)
	}
}

func TestLinksText(t *testing.T) {
	f, _ := logsFixture(t)
	ls := TraceLinks(f.a, links.Defaults("jaeger", "http://jaeger:16686/"))
	var b bytes.Buffer
	if err := LinksText(&b, ls, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	want := "\nLinks\n  Jaeger UI: http://jaeger:16686/trace/" + f.a.Tree.Trace.ID.Short() + "\n"
	if b.String() != want {
		t.Errorf("%q, want %q", b.String(), want)
	}
	b.Reset()
	LinksText(&b, nil, TextOptions{})
	if b.Len() != 0 {
		t.Errorf("no links printed %q", b.String())
	}
}

// Every hostile payload, in every part of a JSON and a logfmt log line
// read from a file, comes out of the Logs section and the links harmless
// and within the width.
func TestLogsTextHostile(t *testing.T) {
	a := analyseFixture(t, "yelp.json")
	tid := string(a.Tree.Trace.ID)
	sid := string(a.Tree.SpanIDs[0])
	var buf bytes.Buffer
	for _, p := range hostile.Payloads() {
		v := "x" + p.Text + "y"
		q, _ := json.Marshal(v)
		fmt.Fprintf(&buf, `{"trace_id":%q,"span_id":%q,"level":%s,"service":%s,"msg":%s,%s:%s,"n":{%s:%s}}`+"\n", tid, sid, q, q, q, q, q, q, q)
		fmt.Fprintf(&buf, "trace_id=%s level=%s service=%s msg=%s k=%s %s\n", tid, strconv.Quote(v), strconv.Quote(v), strconv.Quote(v), strconv.Quote(v), v)
	}
	path := filepath.Join(t.TempDir(), "evil.log")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	set, err := logs.Open([]string{path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := set.Lookup(context.Background(), a.Tree.Trace.ID, logs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Lines) != 2*len(hostile.Payloads()) {
		t.Fatalf("%d of %d hostile lines read", len(res.Lines), 2*len(hostile.Payloads()))
	}
	for _, width := range []int{40, 80, 200} {
		for _, color := range []bool{false, true} {
			var out bytes.Buffer
			if err := LogsText(&out, a, res, TextOptions{Width: width, Color: color}); err != nil {
				t.Fatal(err)
			}
			if color {
				hostile.AssertSafeStyled(t, out.String())
			} else {
				hostile.AssertSafe(t, out.String())
			}
			hostile.AssertWidth(t, out.String(), width)
		}
	}
	var js bytes.Buffer
	if err := ShowJSONWithLogs(&js, a, -1, res); err != nil {
		t.Fatal(err)
	}
	hostile.AssertSafe(t, js.String())

	// Links with the payloads as tag values: the printed form is safe.
	s := &a.Tree.Trace.Spans[0]
	for _, p := range hostile.Payloads() {
		sp := *s
		sp.Tags = []backend.KeyValue{backend.String("evil", p.Text)}
		tpl := []links.Template{{Type: links.ScopeSpan, Name: "{tag:evil}", URL: "https://x.example/?q={tag:evil}"}}
		ls := links.ForSpan(tpl, links.Trace{ID: a.Tree.Trace.ID}, &sp)
		var out bytes.Buffer
		LinksText(&out, ls, TextOptions{})
		hostile.AssertSafe(t, out.String())
	}
}

func TestSatSub(t *testing.T) {
	for _, c := range [][3]int64{
		{5, 3, 2}, {3, 5, -2},
		{math.MaxInt64, -1, math.MaxInt64}, {math.MinInt64, 1, math.MinInt64},
		{math.MaxInt64, math.MinInt64, math.MaxInt64}, {math.MinInt64, math.MaxInt64, math.MinInt64},
	} {
		if got := satSub(c[0], c[1]); got != c[2] {
			t.Errorf("satSub(%d, %d) = %d, want %d", c[0], c[1], got, c[2])
		}
	}
}
