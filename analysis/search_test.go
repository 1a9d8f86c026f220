package analysis

import (
	"slices"
	"testing"

	"github.com/tracetui/tracetui/backend"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		text    string
		include []string
		exclude []string
	}{
		{"", nil, nil},
		{"  GET   users ", []string{"get", "users"}, nil},
		{`"http.status_code=500" db`, []string{"http.status_code=500", "db"}, nil},
		{`-http.url foo`, []string{"foo"}, []string{"http.url"}},
		{`a"b c"d`, []string{"a", "b c", "d"}, nil},
		{`"unclosed word`, []string{"unclosed", "word"}, nil},
		{`"" x`, []string{"x"}, nil},
		{"tab\tsep\nline", []string{"tab", "sep", "line"}, nil},
	}
	for _, tc := range tests {
		q := ParseQuery(tc.text)
		if !slices.Equal(q.Include, tc.include) || !slices.Equal(q.Exclude, tc.exclude) {
			t.Errorf("ParseQuery(%q) = %q / %q, want %q / %q", tc.text, q.Include, q.Exclude, tc.include, tc.exclude)
		}
	}
}

func TestSearch(t *testing.T) {
	pr := &backend.Process{Service: "payments", Tags: []backend.KeyValue{backend.String("hostname", "pay-7f9c")}}
	tr := BuildTree(trace(
		sp("0000000000000001", "", 0, 100, svc("Gateway"), opName("GET /checkout"),
			tags(backend.String("http.url", "https://shop/checkout?user=Alice"), backend.Int64("http.status_code", 200))),
		sp("0000000000000002", "0000000000000001", 10, 50, proc(pr), opName("charge"),
			tags(backend.Bool("error", true)), kind(backend.KindClient),
			logs(backend.Log{Time: 20, Fields: []backend.KeyValue{backend.String("event", "retry"), backend.String("reason", "Card Declined")}})),
		sp("0000000000000003", "0000000000000001", 60, 10, svc("db"), opName("SELECT orders"),
			func(s *backend.Span) { s.Status = backend.Status{Code: backend.StatusError, Message: "deadlock"} }),
		sp("0000000000000003", "0000000000000001", 70, 10, svc("db"), opName("SELECT users")),
	))
	tests := []struct {
		query string
		want  []int
	}{
		{"", nil},
		{"checkout", []int{0}},        // operation and tag value
		{"GATEWAY", []int{0}},         // service, case-insensitive
		{"payments", []int{1}},        // service via process
		{"pay-7f9c", []int{1}},        // process tag value
		{"hostname", []int{1}},        // process tag key
		{"declined", []int{1}},        // log field value
		{"event=retry", []int{1}},     // key=value of a log field
		{"status_code=200", []int{0}}, // key=value across the '=' with int value
		{"code=2", []int{0}},          // crosses the '=' mid-key and mid-value
		{"error=true", []int{1}},      // bool tag
		{"select users", []int{2, 3}}, // any term matches; span 0 has "user=" but not "users"
		{"-http.url alice", nil},      // the only match was in an excluded key
		{"-url user=alice", nil},
		{"user=alice", []int{0}},
		{"0000000000000002", []int{1}},   // span ID, exact
		{"000000000000000", nil},         // a span ID prefix is not a match… unless in some text
		{"0000000000000003#2", []int{3}}, // the renamed duplicate
		{"deadlock", []int{2}},           // status message
		{"status=error", []int{2}},       // status prefix
		{"status=2", []int{2}},
		{"kind=client", []int{1}},
		{"-status status=error", nil},
		{"-", nil}, // an empty exclude fragment hides every attribute, as in Jaeger UI
	}
	for _, tc := range tests {
		got := Search(tr, tc.query)
		var gotIdx []int
		for i, m := range got {
			if m {
				gotIdx = append(gotIdx, i)
			}
		}
		if len(got) != 4 || !slices.Equal(gotIdx, tc.want) {
			t.Errorf("Search(%q) = %v, want %v", tc.query, gotIdx, tc.want)
		}
	}
}

func TestInJoined(t *testing.T) {
	tests := []struct {
		key, val, term string
		want           bool
	}{
		{"http.method", "get", "method=g", true},
		{"http.method", "get", "=get", true},
		{"http.method", "get", "method=", true},
		{"http.method", "get", "=", true},
		{"http.method", "get", "method=post", false},
		{"a=b", "c", "b=c", true}, // the joint is the second '='
		{"a", "b=c", "a=b=c", true},
		{"a", "b", "x=b", false},
	}
	for _, tc := range tests {
		joined := tc.key + "=" + tc.val
		direct := contains(joined, tc.term)
		got := contains(tc.key, tc.term) || contains(tc.val, tc.term) || inJoined([]byte(tc.key), []byte(tc.val), []byte(tc.term))
		if got != tc.want || direct != tc.want {
			t.Errorf("%q in %q: got %v (direct %v), want %v", tc.term, joined, got, direct, tc.want)
		}
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func TestFilter(t *testing.T) {
	a := Analyze(trace(
		sp("a", "", 0, 100, svc("gw")),
		sp("b", "a", 10, 30, svc("users"), errored()),
		sp("c", "a", 50, 40, svc("orders")),
		sp("d", "a", 20, 5, svc("orders"), errored()),
	))
	tests := []struct {
		f    FilterOptions
		want []string
	}{
		{FilterOptions{}, []string{"a", "b", "c", "d"}},
		{FilterOptions{Service: "orders"}, []string{"c", "d"}},
		{FilterOptions{ErrorsOnly: true}, []string{"b", "d"}},
		{FilterOptions{MinDuration: 30}, []string{"a", "b", "c"}},
		{FilterOptions{CriticalOnly: true}, []string{"a", "b", "c"}},
		{FilterOptions{Service: "orders", ErrorsOnly: true}, []string{"d"}},
		{FilterOptions{Query: "users orders", MinDuration: 35}, []string{"c"}},
		{FilterOptions{Query: "-x"}, nil},
	}
	for _, tc := range tests {
		got := Filter(a, tc.f)
		var gotIDs []string
		for i, m := range got {
			if m {
				gotIDs = append(gotIDs, string(a.Tree.SpanIDs[i]))
			}
		}
		if !slices.Equal(gotIDs, tc.want) {
			t.Errorf("Filter(%+v) = %v, want %v", tc.f, gotIDs, tc.want)
		}
		if tc.f.Active() == (tc.f == FilterOptions{}) {
			t.Errorf("Active(%+v) wrong", tc.f)
		}
	}
}
