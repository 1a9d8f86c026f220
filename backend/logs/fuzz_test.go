package logs

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tracetui/tracetui/internal/testkit/logsynth"
)

func seedLines(f *testing.F) {
	for _, sp := range logsynth.Spellings() {
		f.Add(string(sp.Line(nil, logsynth.Rec{Time: 1795575601234567000, Level: "error", Service: "svc", Message: "m \"q\" \\ x=y",
			TraceID: tid, SpanID: sid, ExtraKey: "k", ExtraValue: "v"})))
	}
	for _, s := range []string{
		`{"log":"{\"trace_id\":\"` + tid + `\",\"msg\":\"{\\\"a\\\":1}\"}"}`,
		`2026-11-25T03:00:01Z stdout F {"trace_id":"` + tid + `"}`,
		`[trace_id=` + tid + `] x="unterminated`,
		`{"a":{"b":{"c":{"d":{"e":[1,{"f":null}]}}}},"trace_id":"` + tid + `"}`,
		"trace_id=" + tid + " msg=\"\\u00e9\\ud800\\u12\"",
		"\xff\xfe{\x00",
	} {
		f.Add(s)
	}
}

// FuzzParse: any line parses or not without panicking, and what it gives
// is well formed.
func FuzzParse(f *testing.F) {
	seedLines(f)
	p := newParser(time.UTC)
	f.Fuzz(func(t *testing.T, line string) {
		l, ok := p.parse([]byte(line))
		if !ok {
			return
		}
		if l.TraceID != "" && (!l.TraceID.Valid() || isZeroHex(string(l.TraceID))) {
			t.Errorf("trace ID %q", l.TraceID)
		}
		if l.SpanID != "" && (len(l.SpanID) != 16 || !isHex(string(l.SpanID))) {
			t.Errorf("span ID %q", l.SpanID)
		}
		if l.Format != FormatJSON && l.Format != FormatLogfmt {
			t.Errorf("format %d", l.Format)
		}
	})
}

// FuzzLookup: any input read as a log file gives consistent counts.
func FuzzLookup(f *testing.F) {
	seedLines(f)
	f.Fuzz(func(t *testing.T, data string) {
		data = strings.Repeat(data+"\n", 3)
		s, err := Open([]string{"-"}, strings.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.Lookup(context.Background(), tid, Options{Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		f := res.Files[0]
		if f.Bytes != int64(len(data)) || f.Matched != int64(len(res.Lines)) || f.Unreadable+f.Malformed+f.TooLong+f.Matched > f.Lines {
			t.Errorf("stats %+v for %d lines kept", f, len(res.Lines))
		}
		for _, l := range res.Lines {
			if !l.matches(tid) || l.Number < 1 || l.Number > f.Lines {
				t.Errorf("line %+v", l)
			}
		}
	})
}
