package analysis

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/demo"
)

// indexQueries are search box texts drawn from a trace's own content:
// pieces of its operations, services, tag keys and values (with and across
// the '=', in upper case too), span IDs, with filters, exclusions, status
// and kind terms, and words that match nothing.
func indexQueries(tr *backend.Trace) []string {
	qs := []string{
		"error", "ok", "status=error", "status_code:2", "kind=server", "span.kind=client", "kind=internal",
		"-http", "-", "nothing-matches-this", `"two words"`, "is:error", "is:critical", ">1ms", "<1ms",
		"svc:o op:get", "is:error -error error", "http.status_code=5", "=", "=t", "true", "1",
	}
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" && !strings.ContainsAny(s, " \"\t") {
			qs = append(qs, s, strings.ToUpper(s))
		}
	}
	kv := func(kvs []backend.KeyValue) {
		for _, x := range kvs {
			v := x.Value()
			add(x.Key)
			add(v)
			j := x.Key + "=" + v
			if len(x.Key) > 2 && len(v) > 2 {
				add(j[len(x.Key)-2 : len(x.Key)+3])
			}
			add("-" + x.Key[:len(x.Key)/2] + " " + v)
		}
	}
	for i := range tr.Spans {
		if i%7 != 0 {
			continue
		}
		s := &tr.Spans[i]
		add(s.Operation)
		if len(s.Operation) > 3 {
			add(s.Operation[1:4])
		}
		add("svc:" + s.Service)
		add(string(s.SpanID))
		add(s.Status.Message)
		kv(s.Tags)
		for _, l := range s.Logs {
			kv(l.Fields)
		}
		if s.Process != nil {
			kv(s.Process.Tags)
		}
		if len(qs) > 400 {
			break
		}
	}
	return qs
}

// checkIndexAgrees asserts that the index's matcher marks exactly the spans
// SpanQuery.Match marks, for every query.
func checkIndexAgrees(t *testing.T, tr *backend.Trace) {
	t.Helper()
	a := Analyze(tr)
	idx := NewSpanIndex(context.Background(), a.Tree)
	matched := 0
	for _, raw := range indexQueries(tr) {
		q, err := ParseSpanQuery(raw)
		if err != nil {
			continue
		}
		want := q.Match(a)
		m := q.Matcher(idx, a.Critical)
		for i := range want {
			if got := m.Match(int32(i)); got != want[i] {
				t.Fatalf("query %q, span %d (%s %s): index says %v, Match %v", raw, i, tr.Spans[i].Service, tr.Spans[i].Operation, got, want[i])
			}
			if want[i] {
				matched++
			}
		}
	}
	if matched == 0 {
		t.Fatal("no query matched any span: the comparison proves nothing")
	}
}

// TestSpanIndexAgreesWithMatch: the index is only a faster way to the
// same answer, on real fixtures of every format and on the demo.
func TestSpanIndexAgreesWithMatch(t *testing.T) {
	paths := []string{"jaeger-ui/testTrace.json", "jaeger/ui_01.json", "otel-proto/trace.json", "tempo/trace.json"}
	more, _ := filepath.Glob(fixtures + "zipkin/*.json")
	captured, _ := filepath.Glob(fixtures + "captured/*/*trace_*.json")
	for _, p := range append(more, captured...) {
		paths = append(paths, strings.TrimPrefix(p, fixtures))
	}
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			for _, tr := range decodeFixture(t, p) {
				checkIndexAgrees(t, tr)
			}
		})
	}
	t.Run("demo", func(t *testing.T) {
		checkIndexAgrees(t, demo.Generate(3000, 3, time.Unix(1e9, 0)))
	})
}

// TestSpanIndexSharesLists: equal tag lists, shared or not, are indexed
// once; an exclusion skips only the excluded keys of a shared list.
func TestSpanIndexSharesLists(t *testing.T) {
	shared := []backend.KeyValue{backend.String("Peer.Service", "Redis"), backend.Int64("retries", 3)}
	copyOf := append([]backend.KeyValue(nil), shared...)
	other := []backend.KeyValue{backend.String("db", "SQL")}
	tr := trace(
		sp("a", "", 0, 10, tags(shared...)),
		sp("b", "a", 1, 2, tags(shared...)),
		sp("c", "a", 3, 2, tags(copyOf...)),
		sp("d", "a", 5, 2, tags(other...)),
	)
	tr.Spans[1].Tags = tr.Spans[0].Tags
	idx := NewSpanIndex(context.Background(), BuildTree(tr))
	if len(idx.at) != 2 {
		t.Fatalf("%d lists indexed, want 2", len(idx.at))
	}
	for _, tc := range []struct {
		q    string
		want string
	}{
		{"redis", "abc"}, {"service=red", "abc"}, {"-peer redis", ""}, {"-peer retries=3", "abc"},
		{"sql", "d"}, {"s=3", "abc"}, {"3\x00", ""},
	} {
		q, _ := ParseSpanQuery(tc.q)
		m := q.Matcher(idx, nil)
		got := ""
		for i := range tr.Spans {
			if m.Match(int32(i)) {
				got += string(tr.Spans[i].SpanID)
			}
		}
		if got != tc.want {
			t.Errorf("%q matches %q, want %q", tc.q, got, tc.want)
		}
	}
}

// TestSpanIndexCanceled: a canceled build stops with no index.
func TestSpanIndexCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if idx := NewSpanIndex(ctx, BuildTree(demo.Generate(100, 1, time.Unix(1e9, 0)))); idx != nil {
		t.Fatal("a canceled build returned an index")
	}
}
