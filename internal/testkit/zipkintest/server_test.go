package zipkintest

import (
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const fixtures = "../../../testdata/fixtures/zipkin"

func loaded(t *testing.T) *Server {
	t.Helper()
	s := New(WithClock(func() time.Time { return time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC) }))
	t.Cleanup(s.Close)
	m, _ := filepath.Glob(filepath.Join(fixtures, "*.json"))
	if len(m) != 6 {
		t.Fatalf("fixtures %v", m)
	}
	for _, f := range m {
		if err := s.AddFile(f); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func get(t *testing.T, s *Server, path string) (int, string, string) {
	t.Helper()
	res, err := http.Get(s.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Content-Type"), string(b)
}

func getTraces(t *testing.T, s *Server, path string) [][]map[string]any {
	t.Helper()
	code, ct, body := get(t, s, path)
	if code != 200 || ct != "application/json" {
		t.Fatalf("%s: %d %s %s", path, code, ct, body)
	}
	var traces [][]map[string]any
	if err := json.Unmarshal([]byte(body), &traces); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return traces
}

func traceIDs(traces [][]map[string]any) string {
	var ids []string
	for _, tr := range traces {
		ids = append(ids, tr[0]["traceId"].(string))
	}
	return strings.Join(ids, ",")
}

func TestNames(t *testing.T) {
	s := loaded(t)
	code, ct, body := get(t, s, "/api/v2/services")
	want := `["auth-service","backend","bootifulmeters","content-service","frontend","mobile-gateway","mobile_api","routing","servicea","serviceb","spectre","unknown","yelp-main","yelp_main/api_proxy"]`
	if code != 200 || ct != "application/json" || body != want {
		t.Errorf("services: %d %s %s", code, ct, body)
	}
	if _, _, body := get(t, s, "/api/v2/spans?serviceName=serviceb"); body != `["async","on-message","poll","post"]` {
		t.Errorf("spans: %s", body)
	}
	if _, _, body := get(t, s, "/api/v2/spans?serviceName=ServiceB"); body != `["async","on-message","poll","post"]` {
		t.Errorf("service names are case-insensitive in Zipkin: %s", body)
	}
	if _, _, body := get(t, s, "/api/v2/remoteServices?serviceName=bootifulmeters"); body != `["app_db"]` {
		t.Errorf("remoteServices: %s", body)
	}
	code, ct, body = get(t, s, "/api/v2/spans")
	if code != 400 || !strings.HasPrefix(ct, "text/plain") || !strings.Contains(body, "serviceName") {
		t.Errorf("spans without serviceName: %d %s %s", code, ct, body)
	}
}

func TestTraceLookup(t *testing.T) {
	s := loaded(t)
	code, ct, body := get(t, s, "/api/v2/trace/1e223ff1f80f1c69")
	var spans []map[string]any
	if code != 200 || ct != "application/json" || json.Unmarshal([]byte(body), &spans) != nil || len(spans) != 4 {
		t.Fatalf("trace: %d %s %s", code, ct, body)
	}
	// Raw: both halves of the shared span are returned as stored.
	if spans[1]["id"] != "74280ae0c10d8062" || spans[3]["id"] != "74280ae0c10d8062" {
		t.Errorf("server changed spans: %v", spans)
	}
	code, ct, body = get(t, s, "/api/v2/trace/00000000000000001e223ff1f80f1c69")
	if code != 404 || body != "00000000000000001e223ff1f80f1c69 not found" || !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("strict lookup of a padded 64-bit ID: %d %s %q", code, ct, body)
	}
	if code, _, body := get(t, s, "/api/v2/trace/5aab74dbb904746bb33447baae403ed6"); code != 200 || !strings.Contains(body, "rabbitmq") {
		t.Errorf("128-bit trace: %d", code)
	}
	if code, _, body := get(t, s, "/api/v2/trace/XYZ"); code != 400 || !strings.Contains(body, "lower-hex") {
		t.Errorf("bad ID: %d %s", code, body)
	}
}

func TestTraceMany(t *testing.T) {
	s := loaded(t)
	traces := getTraces(t, s, "/api/v2/traceMany?traceIds=1e223ff1f80f1c69,a03ee8fff1dcd9b9,0000000000000bad")
	if got := traceIDs(traces); got != "1e223ff1f80f1c69,a03ee8fff1dcd9b9" {
		t.Errorf("traceMany: %s", got)
	}
	for q, msg := range map[string]string{
		"traceIds=":                 "traceIds parameter is empty",
		"traceIds=1e223ff1f80f1c69": "Use /api/v2/trace/{traceId} endpoint to retrieve a single trace",
		"traceIds=1e223ff1f80f1c69,1e223ff1f80f1c69": "redundant traceId: 1e223ff1f80f1c69",
	} {
		code, ct, body := get(t, s, "/api/v2/traceMany?"+q)
		if code != 400 || body != msg || !strings.HasPrefix(ct, "text/plain") {
			t.Errorf("%s: %d %s %q", q, code, ct, body)
		}
	}
}

// endTs 2019-12-01 and a 5-year lookback cover every fixture.
const window = "endTs=1575158400000&lookback=157680000000"

func TestSearch(t *testing.T) {
	s := loaded(t)
	for _, c := range []struct{ query, want string }{
		{window, "a03ee8fff1dcd9b9,19f84f102048e047,0562809467078eab,ef86c83c0a05a6d6,5aab74dbb904746bb33447baae403ed6,1e223ff1f80f1c69"},
		{window + "&limit=2", "a03ee8fff1dcd9b9,19f84f102048e047"},
		{window + "&serviceName=servicea", "0562809467078eab,1e223ff1f80f1c69"},
		{window + "&serviceName=serviceb&spanName=async", "1e223ff1f80f1c69"},
		{window + "&annotationQuery=error", "0562809467078eab"},
		{window + "&annotationQuery=error%3Dsome%20error", "0562809467078eab"},
		{window + "&annotationQuery=error%3Dnope", ""},
		// A bare term matches an annotation value too.
		{window + "&annotationQuery=py_zipkin.logging_end", "a03ee8fff1dcd9b9"},
		// Terms may be met by different spans of the trace.
		{window + "&annotationQuery=habitat%3Duswest1bprod%20and%20py_zipkin.logging_end", "a03ee8fff1dcd9b9"},
		{window + "&serviceName=routing&annotationQuery=py_zipkin.logging_end", ""},
		{window + "&minDuration=200000", "19f84f102048e047,0562809467078eab"},
		{window + "&minDuration=1&maxDuration=20", "0562809467078eab,5aab74dbb904746bb33447baae403ed6"},
		// endTs and lookback are milliseconds.
		{"endTs=1543622400000&lookback=2592000000", "19f84f102048e047,0562809467078eab"},
		{"", ""}, // the clock says 2020 and the default lookback is one day
	} {
		if got := traceIDs(getTraces(t, s, "/api/v2/traces?"+c.query)); got != c.want {
			t.Errorf("%s: got %s, want %s", c.query, got, c.want)
		}
	}
	for q, msg := range map[string]string{
		"maxDuration=5":               "maxDuration is only valid with minDuration",
		"minDuration=5&maxDuration=1": "maxDuration < minDuration",
		"limit=0":                     "limit <= 0",
		"lookback=-1":                 "lookback <= 0",
		"minDuration=1.5":             `For input string: "1.5"`,
	} {
		code, ct, body := get(t, s, "/api/v2/traces?"+q)
		if code != 400 || body != msg || !strings.HasPrefix(ct, "text/plain") {
			t.Errorf("%s: %d %s %q", q, code, ct, body)
		}
	}
}

func TestDependenciesAndAutocomplete(t *testing.T) {
	s := loaded(t)
	s.SetDependencies([]Link{{Parent: "servicea", Child: "serviceb", CallCount: 3}, {Parent: "a", Child: "b", CallCount: 2, ErrorCount: 1}})
	_, _, body := get(t, s, "/api/v2/dependencies?endTs=1")
	if body != `[{"parent":"servicea","child":"serviceb","callCount":3},{"parent":"a","child":"b","callCount":2,"errorCount":1}]` {
		t.Errorf("dependencies: %s", body)
	}
	if code, _, _ := get(t, s, "/api/v2/dependencies"); code != 400 {
		t.Errorf("dependencies without endTs: %d", code)
	}
	if _, _, body := get(t, s, "/api/v2/autocompleteKeys"); body != `[]` {
		t.Errorf("keys: %s", body)
	}
	s.SetAutocompleteKeys("habitat")
	if _, _, body := get(t, s, "/api/v2/autocompleteKeys"); body != `["habitat"]` {
		t.Errorf("keys: %s", body)
	}
	if _, _, body := get(t, s, "/api/v2/autocompleteValues?key=habitat"); body != `["uswest1aprod","uswest1bprod"]` {
		t.Errorf("values: %s", body)
	}
	if _, _, body := get(t, s, "/api/v2/autocompleteValues?key=ecosystem"); body != `[]` {
		t.Errorf("values of a key not configured: %s", body)
	}
}

func TestPostSpans(t *testing.T) {
	s := New()
	defer s.Close()
	res, err := http.Post(s.URL+"/api/v2/spans", "application/json",
		strings.NewReader(`[{"traceId":"abc","id":"1","name":"x","timestamp":1,"localEndpoint":{"serviceName":"Svc"}}]`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 202 {
		t.Fatalf("POST: %d", res.StatusCode)
	}
	if _, _, body := get(t, s, "/api/v2/services"); body != `["svc"]` {
		t.Errorf("services: %s", body)
	}
	if code, _, body := get(t, s, "/api/v2/trace/0000000000000abc"); code != 200 || !strings.Contains(body, `"id":"1"`) {
		t.Errorf("trace: %d %s", code, body)
	}
	if got := s.Requests(); len(got) != 3 || got[2].Path != "/api/v2/trace/0000000000000abc" {
		t.Errorf("requests %v", got)
	}
}
