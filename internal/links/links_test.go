package links

import (
	"net/url"
	"strings"
	"testing"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/textsafe"
)

const (
	tid = "4bf92f3577b34da6a3ce929d0e0e4736"
	sid = "00f067aa0ba902b7"
)

func span(tags ...backend.KeyValue) *backend.Span {
	return &backend.Span{
		TraceID: tid, SpanID: sid, Service: "payment", Operation: "POST /charge",
		Start: 1_795_575_601_234_567_000, Duration: 2_000_000,
		Tags:    tags,
		Process: &backend.Process{Service: "payment", Tags: []backend.KeyValue{backend.String("hostname", "pay-1")}},
	}
}

func trace(root *backend.Span) Trace {
	return Trace{ID: tid, Start: 1_795_575_601_234_567_000, End: 1_795_575_601_534_000_001, Root: root}
}

func TestExpand(t *testing.T) {
	tpls := []Template{
		{Type: ScopeTrace, Name: "Logs of {service}", URL: "https://kibana.example/app/discover#/?_a=(query:'trace.id:{traceID32}')&_g=(time:(from:{startMillis},to:{endMillis}))"},
		{Type: ScopeSpan, Name: "Span logs", URL: "https://logs.example/search?trace={traceID}&span={spanID}&from={spanStartMillis}&to={spanEndMillis}"},
		{Type: ScopeService, Name: "{service} dashboard on {tag:hostname}", URL: "https://grafana.example/d/svc?var-service={service}&var-op={operation}&host={tag:hostname}"},
		{Type: ScopeSpan, Name: "needs a tag", URL: "https://x.example/{tag:http.url}"},
	}
	if err := Validate(tpls); err != nil {
		t.Fatal(err)
	}
	s := span()
	tr := trace(s)
	got := ForTrace(tpls, tr)
	if len(got) != 1 || got[0].Name != "Logs of payment" ||
		got[0].URL != "https://kibana.example/app/discover#/?_a=(query:'trace.id:"+tid+"')&_g=(time:(from:1795575601234,to:1795575601535))" {
		t.Errorf("trace links %+v", got)
	}
	got = ForSpan(tpls, tr, s)
	want := []Link{
		{ScopeSpan, "Span logs", "https://logs.example/search?trace=" + tid + "&span=" + sid + "&from=1795575601234&to=1795575601237"},
		{ScopeService, "payment dashboard on pay-1", "https://grafana.example/d/svc?var-service=payment&var-op=POST%20%2Fcharge&host=pay-1"},
	}
	if len(got) != len(want) {
		t.Fatalf("span links %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("link %d = %+v\nwant %+v", i, got[i], want[i])
		}
	}
	// The span's own tag wins over its process's; a present tag brings the
	// link that needed it.
	s2 := span(backend.String("hostname", "tag-host"), backend.String("http.url", "https://shop/x?a=1"))
	got = ForSpan(tpls, tr, s2)
	if len(got) != 3 || !strings.HasSuffix(got[1].URL, "host=tag-host") || got[2].URL != "https://x.example/https%3A%2F%2Fshop%2Fx%3Fa%3D1" {
		t.Errorf("with tags: %+v", got)
	}
}

// A 64-bit trace ID is written as Jaeger shows it; {traceID32} is whole.
func TestTraceIDForms(t *testing.T) {
	tr := Trace{ID: "0000000000000000a3ce929d0e0e4736"}
	l := ForTrace([]Template{{Type: ScopeTrace, URL: "https://j/trace/{traceID}/{traceID32}"}}, tr)
	if len(l) != 1 || l[0].URL != "https://j/trace/a3ce929d0e0e4736/0000000000000000a3ce929d0e0e4736" || l[0].Name != l[0].URL {
		t.Errorf("%+v", l)
	}
}

// Hostile tag values cannot end a parameter, add one, or put a control
// character, a space or non-ASCII in a URL; the visible text keeps them
// until it is cleaned for display.
func TestExpandHostile(t *testing.T) {
	evil := []string{
		"x&admin=1#frag",
		"\x1b]8;;https://evil.example\x07click\x1b]8;;\x07",
		"\x1b]52;c;aGk=\x07",
		"a b\tc\nd\re",
		"\u202e\u2066gnp.exe",
		"../../etc/passwd?",
		"%2e%2e",
		"\xff\xfe invalid",
		"{traceID}",
		"\x00\x7f\u0085\u009b",
	}
	tpl := []Template{{Type: ScopeSpan, Name: "host {tag:h}", URL: "https://logs.example/q?host={tag:h}&trace={traceID}"}}
	for _, v := range evil {
		s := span(backend.String("h", v))
		links := ForSpan(tpl, trace(s), s)
		if len(links) != 1 {
			t.Fatalf("%q: %d links", v, len(links))
		}
		l := links[0]
		if !SafeURL(l.URL) {
			t.Errorf("%q: unsafe URL %q", v, l.URL)
		}
		u, err := url.Parse(l.URL)
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		q := u.Query()
		if len(q) != 2 || q.Get("host") != v || q.Get("trace") != tid || u.Fragment != "" || u.Path != "/q" {
			t.Errorf("%q: URL %q reads as %v #%q", v, l.URL, q, u.Fragment)
		}
		if l.Name != "host "+v {
			t.Errorf("%q: name %q", v, l.Name)
		}
		for _, out := range []string{Hyperlink(l.URL, l.Name), Plain(l)} {
			// The only escape sequences are the hyperlink's own two.
			rest := strings.Replace(strings.Replace(out, "\x1b]8;;"+l.URL+"\x07", "", 1), "\x1b]8;;\x07", "", 1)
			if strings.ContainsAny(rest, "\x1b\x07\x00\n\r\t\u202e\u009b") || rest != textsafe.Clean(rest) {
				t.Errorf("%q: output carries controls: %q", v, out)
			}
		}
	}
}

func TestHyperlink(t *testing.T) {
	if got := Hyperlink("https://j.example/trace/1", "open"); got != "\x1b]8;;https://j.example/trace/1\x07open\x1b]8;;\x07" {
		t.Errorf("%q", got)
	}
	for _, target := range []string{"https://x\x1b]0;t\x07", "javascript:alert(1)", "https://a b", "https://é.example", ""} {
		if got := Hyperlink(target, "t\x1b[2Jext"); got != "text" {
			t.Errorf("target %q: %q", target, got)
		}
	}
	if got := Plain(Link{Name: "Jaeger UI", URL: "https://j/trace/1"}); got != "Jaeger UI: https://j/trace/1" {
		t.Errorf("%q", got)
	}
	if got := Plain(Link{Name: "https://j/trace/1", URL: "https://j/trace/1"}); got != "https://j/trace/1" {
		t.Errorf("%q", got)
	}
}

func TestValidate(t *testing.T) {
	bad := map[string]Template{
		"type must be":         {Type: "process", URL: "https://x/{traceID}"},
		"must start with http": {Type: ScopeTrace, URL: "javascript:alert({traceID})"},
		"unknown placeholder":  {Type: ScopeTrace, URL: "https://x/{trace_id}"},
		"{spanID} in a trace":  {Type: ScopeTrace, URL: "https://x/{spanID}"},
		"without '{'":          {Type: ScopeSpan, URL: "https://x/}{spanID}"},
		"control character":    {Type: ScopeSpan, URL: "https://x/\x1b[2J{spanID}"},
		"unknown placeholder ": {Type: ScopeSpan, Name: "{nope}", URL: "https://x/"},
	}
	for want, tpl := range bad {
		err := Validate([]Template{tpl})
		if err == nil || !strings.Contains(err.Error(), strings.TrimSpace(want)) {
			t.Errorf("%+v: %v, want %q", tpl, err, want)
		}
	}
	// A template's literal non-ASCII and spaces are encoded, its URL
	// syntax kept.
	l := ForTrace([]Template{{Type: ScopeTrace, URL: "https://x.example/a b/é?q=%22{traceID}%22#top"}}, trace(nil))
	if len(l) != 1 || l[0].URL != "https://x.example/a%20b/%C3%A9?q=%22"+tid+"%22#top" {
		t.Errorf("%+v", l)
	}
	// Placeholders that need a root span give no trace link without one.
	if l := ForTrace([]Template{{Type: ScopeTrace, URL: "https://x/{service}"}}, trace(nil)); len(l) != 0 {
		t.Errorf("%+v", l)
	}
}

func TestDefaults(t *testing.T) {
	s := span()
	tr := trace(s)
	j := Defaults("jaeger", "https://user:secret@ops.example/jaeger/?x=1#y")
	if err := Validate(j); err != nil {
		t.Fatal(err)
	}
	if l := ForTrace(j, tr); len(l) != 1 || l[0].URL != "https://ops.example/jaeger/trace/"+tid {
		t.Errorf("jaeger trace %+v", l)
	}
	if l := ForSpan(j, tr, s); len(l) != 1 || l[0].URL != "https://ops.example/jaeger/trace/"+tid+"?uiFind="+sid {
		t.Errorf("jaeger span %+v", l)
	}
	z := Defaults("zipkin", "http://zipkin:9411")
	if l := ForTrace(z, tr); len(l) != 1 || l[0].URL != "http://zipkin:9411/zipkin/traces/"+tid || l[0].Name != "Zipkin" {
		t.Errorf("zipkin %+v", l)
	}
	if d := Defaults("jaeger", "http://h/{x}"); len(d) != 2 || Validate(d) != nil || !strings.Contains(d[0].URL, "%7Bx%7D") {
		t.Errorf("braces in base: %+v", d)
	}
	for _, k := range [][2]string{{"file", ""}, {"demo", ""}, {"jaeger", "ftp://x"}, {"jaeger", "::"}} {
		if d := Defaults(k[0], k[1]); d != nil {
			t.Errorf("%v: %+v", k, d)
		}
	}
}

func TestEscape(t *testing.T) {
	if got := Escape("a b&c=d/é-_.!~*'()"); got != "a%20b%26c%3Dd%2F%C3%A9-_.!~*'()" {
		t.Errorf("%q", got)
	}
}
