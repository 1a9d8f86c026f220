package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/tracetui/tracetui/backend/file"
	"github.com/tracetui/tracetui/backend/logs"
)

// genlogs's output for a fixture, gzip'd, gives every span its lines.
func TestRun(t *testing.T) {
	fix := filepath.Join("..", "..", "..", "testdata", "fixtures", "zipkin", "yelp.json")
	out := filepath.Join(t.TempDir(), "app.log.gz")
	if err := run([]string{fix}, "mixed", 3, 20, 2, "", 1, out, true); err != nil {
		t.Fatal(err)
	}
	b, err := file.Open([]string{fix}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tr := b.Traces()[0]
	set, err := logs.Open([]string{out}, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := set.Lookup(context.Background(), tr.ID, logs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := res.GroupTrace(tr)
	if len(res.Lines) != 3*len(tr.Spans) || len(g.Trace) != 0 || !res.Files[0].Gzip || res.Files[0].Unreadable != 2 {
		t.Errorf("%d lines for %d spans, %d unattached; %+v", len(res.Lines), len(tr.Spans), len(g.Trace), res.Files[0])
	}
	for _, s := range tr.Spans {
		if len(g.BySpan[s.SpanID]) != 3 {
			t.Errorf("span %s: %d lines", s.SpanID, len(g.BySpan[s.SpanID]))
		}
	}
	if err := run(nil, "json", 1, 0, 0, "", 1, out, false); err == nil {
		t.Error("no -trace and no -size accepted")
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"500MB": 500 << 20, "2gb": 2 << 30, "64KB": 64 << 10, "1000": 1000} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "MB", "-1MB", "lots"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) accepted", in)
		}
	}
}
