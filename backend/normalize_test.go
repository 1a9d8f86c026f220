package backend

import (
	"context"
	"testing"
	"time"
)

func TestFinish(t *testing.T) {
	cases := []struct {
		name       string
		span       Span
		wantParent SpanID
		wantErr    bool
	}{
		{"child of first", Span{TraceID: "t", SpanID: "c", References: []Ref{{Type: RefFollowsFrom, SpanID: "f"}, {Type: RefChildOf, SpanID: "p"}}}, "p", false},
		{"follows from when no child of", Span{TraceID: "t", SpanID: "c", References: []Ref{{Type: RefLink, SpanID: "l"}, {Type: RefFollowsFrom, SpanID: "f"}}}, "f", false},
		{"child of another trace is not the parent", Span{TraceID: "t", SpanID: "c", References: []Ref{{Type: RefChildOf, TraceID: "other", SpanID: "x"}, {Type: RefChildOf, TraceID: "t", SpanID: "p"}}}, "p", false},
		{"self parent dropped", Span{TraceID: "t", SpanID: "c", References: []Ref{{Type: RefChildOf, SpanID: "c"}}}, "", false},
		{"links only: root", Span{TraceID: "t", SpanID: "c", References: []Ref{{Type: RefLink, SpanID: "l"}}}, "", false},
		// Jaeger shows an OTel link as FOLLOWS_FROM: one to another trace is
		// a link of a root, never its parent.
		{"follows from another trace: root", Span{TraceID: "t", SpanID: "c", References: []Ref{{Type: RefFollowsFrom, TraceID: "other", SpanID: "l"}}}, "", false},
		{"child of another trace only: root", Span{TraceID: "t", SpanID: "c", References: []Ref{{Type: RefChildOf, TraceID: "other", SpanID: "l"}}}, "", false},
		{"follows from another trace, then this one", Span{TraceID: "t", SpanID: "c", References: []Ref{{Type: RefFollowsFrom, TraceID: "other", SpanID: "l"}, {Type: RefFollowsFrom, TraceID: "t", SpanID: "f"}}}, "f", false},
		{"64-bit reference in a 128-bit trace", Span{TraceID: "0000000000000001000000000000000a", SpanID: "c",
			References: []Ref{{Type: RefChildOf, TraceID: "0000000000000000000000000000000a", SpanID: "p"}}}, "p", false},
		{"reference to another 128-bit trace with the same low half", Span{TraceID: "0000000000000001000000000000000a", SpanID: "c",
			References: []Ref{{Type: RefChildOf, TraceID: "0000000000000002000000000000000a", SpanID: "p"}}}, "", false},
		{"error=true bool", Span{Tags: []KeyValue{Bool("error", true)}}, "", true},
		{"error string message then bool", Span{Tags: []KeyValue{String("error", "boom"), Bool("error", true)}}, "", true},
		{"error=false", Span{Tags: []KeyValue{Bool("error", false)}}, "", false},
		{"error=TRUE string", Span{Tags: []KeyValue{String("error", "TRUE")}}, "", true},
		{"status error", Span{Status: Status{Code: StatusError}}, "", true},
	}
	for _, c := range cases {
		s := c.span
		s.Finish()
		if s.ParentID != c.wantParent || s.Error != c.wantErr {
			t.Errorf("%s: parent %q error %v, want %q %v", c.name, s.ParentID, s.Error, c.wantParent, c.wantErr)
		}
	}
}

func TestSummarize(t *testing.T) {
	tr := &Trace{ID: "t", Spans: []Span{
		{SpanID: "b", ParentID: "a", Service: "db", Start: 20, Duration: 50, Error: true},
		{SpanID: "a", Service: "api", Operation: "GET /", Start: 10, Duration: 100},
		{SpanID: "c", ParentID: "a", Service: "db", Start: 30, Duration: 90},
	}}
	s := Summarize(tr)
	if s.RootService != "api" || s.RootOperation != "GET /" || s.Start != 10 || s.Duration != 110 || s.SpanCount != 3 || s.ErrorCount != 1 {
		t.Fatalf("%+v", s)
	}
	if len(s.Services) != 2 || s.Services[0].Name != "db" || s.Services[0].SpanCount != 2 || s.Services[0].ErrorCount != 1 {
		t.Fatalf("services %+v", s.Services)
	}
	if got := Summarize(&Trace{ID: "e"}); got.SpanCount != 0 || got.RootService != "" {
		t.Fatalf("empty: %+v", got)
	}
}

func TestMatch(t *testing.T) {
	p := &Process{Service: "api", Tags: []KeyValue{String("host.name", "h1")}}
	sp := Span{Service: "api", Operation: "GET /", Duration: int64(50 * time.Millisecond), Process: p,
		Tags: []KeyValue{Int64("http.status_code", 500)},
		Logs: []Log{{Fields: []KeyValue{String("event", "retry")}}}, Error: true}
	tr := &Trace{Spans: []Span{sp}}
	for name, c := range map[string]struct {
		q    Query
		want bool
	}{
		"service":         {Query{Service: "api"}, true},
		"wrong service":   {Query{Service: "db"}, false},
		"int tag as text": {Query{Tags: []Tag{{"http.status_code", "500"}}}, true},
		"process tag":     {Query{Tags: []Tag{{"host.name", "h1"}}}, true},
		"log field":       {Query{Tags: []Tag{{"event", "retry"}}}, true},
		"derived error":   {Query{Tags: []Tag{{"error", "true"}}}, true},
		"all tags must":   {Query{Tags: []Tag{{"host.name", "h1"}, {"x", "y"}}}, false},
		"min duration":    {Query{MinDuration: 10 * time.Millisecond}, true},
		"min too big":     {Query{MinDuration: time.Second}, false},
		"max too small":   {Query{MaxDuration: time.Millisecond}, false},
		"operation":       {Query{Operation: "GET /"}, true},
		"wrong operation": {Query{Operation: "POST /"}, false},
	} {
		if got := MatchTrace(tr, c.q, 0, 0); got != c.want {
			t.Errorf("%s: %v", name, got)
		}
	}
	if MatchTrace(tr, Query{}, 1, 2) {
		t.Error("a trace outside the window matched")
	}
}

func TestIDs(t *testing.T) {
	for in, want := range map[string]TraceID{
		"1e223ff1f80f1c69":                 "00000000000000001e223ff1f80f1c69",
		"ABC":                              "00000000000000000000000000000abc",
		"4BF92F3577B34DA6A3CE929D0E0E4736": "4bf92f3577b34da6a3ce929d0e0e4736",
		"W47/95gDgQPSabYzgT/HAA==":         "5b8efff798038103d269b633813fc700",
		"AAAAAAAAAAE=":                     "00000000000000000000000000000001",
	} {
		got, err := ParseTraceID(in)
		if err != nil || got != want {
			t.Errorf("ParseTraceID(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "xyz!", "0123456789abcdef0123456789abcdef0", "not base64 at all"} {
		if _, err := ParseTraceID(bad); err == nil {
			t.Errorf("ParseTraceID(%q) accepted", bad)
		}
	}
	if s := TraceID("00000000000000001e223ff1f80f1c69").Short(); s != "1e223ff1f80f1c69" {
		t.Error(s)
	}
	if s := TraceID("4bf92f3577b34da6a3ce929d0e0e4736").Short(); s != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Error(s)
	}
	if id, err := ParseSpanID("AAAAAAAAAAE="); err != nil || id != "0000000000000001" {
		t.Error(id, err)
	}
	if got := SpanIDFromWire("span-2_1"); got != "span-2_1" {
		t.Error(got)
	}
}

func TestErrors(t *testing.T) {
	e := &Error{Kind: NotFound, Op: "get trace", URL: RedactURL("https://user:pw@host/api?token=x"), Status: 404, Offset: -1}
	if msg := e.Error(); msg != "get trace: not found (HTTP 404) from https://host/api" {
		t.Fatal(msg)
	}
	if KindOf(e) != NotFound {
		t.Fatal("KindOf")
	}
	if ex := Excerpt([]byte("<html>\n\x1b[31mbad\x07\u202e</html>"), 100); ex != "<html> bad</html>" {
		t.Fatalf("%q", ex)
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://user:pw@host:8443/jaeger/?apikey=k#f": "https://host:8443/jaeger/",
		// No "//": Go reads "bob:s3cret@host" as scheme "bob" and opaque
		// "s3cret@host", so the password is not in User.
		"bob:s3cret@host:16686":   "host:16686",
		"http:/bob:s3cret@host":   "host",
		"bob:s3cret@host/x?t=abc": "host/x",
		"localhost:16686":         "localhost:16686",
		"http://h/users/@me":      "http://h/users/@me",
	} {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// fakeBackend answers searches from a table keyed by service and tag.
type fakeBackend struct {
	services []string
	hits     map[string][]TraceSummary // "service key=value"
	fail     map[string]error
}

func (f *fakeBackend) Name() string { return "fake" }
func (f *fakeBackend) Services(context.Context) ([]string, error) {
	return f.services, nil
}
func (f *fakeBackend) Operations(context.Context, string) ([]Operation, error) { return nil, nil }
func (f *fakeBackend) Trace(context.Context, TraceID, TraceOptions) (*Trace, error) {
	return nil, &Error{Kind: NotFound}
}
func (f *fakeBackend) Search(ctx context.Context, q Query) ([]TraceSummary, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	k := q.Service + " " + q.Tags[0].Key + "=" + q.Tags[0].Value
	if err := f.fail[k]; err != nil {
		return nil, err
	}
	return f.hits[k], nil
}

func TestFindByCorrelation(t *testing.T) {
	fb := &fakeBackend{
		services: []string{"a", "b", "c"},
		hits: map[string][]TraceSummary{
			"a correlation_id=X": {{TraceID: "t1", Start: 1}},
			"b request_id=X":     {{TraceID: "t2", Start: 2}, {TraceID: "t1", Start: 1}},
		},
		fail: map[string]error{"c x-request-id=X": &Error{Kind: BadResponse}},
	}
	got, err := FindByCorrelation(context.Background(), fb, nil, "X", Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].TraceID != "t2" || got[1].TraceID != "t1" {
		t.Fatalf("merged newest first, once each: %+v", got)
	}
	// Every search failing is an error; cancellation is a typed one.
	all := &fakeBackend{services: []string{"a"}, fail: map[string]error{}}
	for _, k := range DefaultCorrelationKeys() {
		all.fail["a "+k+"=X"] = &Error{Kind: Unauthorized}
	}
	if _, err := FindByCorrelation(context.Background(), all, nil, "X", Query{}); KindOf(err) != Unauthorized {
		t.Fatalf("all failed: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := FindByCorrelation(ctx, fb, nil, "X", Query{}); KindOf(err) != Canceled {
		t.Fatalf("canceled: %v", err)
	}
}

func TestLooksLikeTraceID(t *testing.T) {
	for s, want := range map[string]bool{
		"1e223ff1f80f1c69": true, " ABCDEF ": true, "0123456789abcdef0123456789abcdef": true,
		"AAAAAAAAAAE=": true, "AAAAAAAAAAAAAAAAAAAAAQ==": true, // padded base64 of 8 and 16 bytes
		"AAAAAAAAAAAAAAAAAAAAAQ": false, // unpadded: a request ID as likely as a trace ID
		"req-42":                 false, "0123456789abcdef0123456789abcdef0": false, "": false, "!!!!!!!!!!!=": false,
	} {
		if got := LooksLikeTraceID(s); got != want {
			t.Errorf("LooksLikeTraceID(%q) = %v", s, got)
		}
	}
}
