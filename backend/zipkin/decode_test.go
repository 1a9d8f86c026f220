package zipkin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/tracetui/tracetui/backend"
)

const fixtureDir = "../../testdata/fixtures/zipkin"

func decodeFile(t *testing.T, name string) *backend.Trace {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, name))
	if err != nil {
		t.Fatal(err)
	}
	traces, err := Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(traces) != 1 {
		t.Fatalf("%s: %d traces, want 1", name, len(traces))
	}
	return traces[0]
}

func decodeString(t *testing.T, s string) []*backend.Trace {
	t.Helper()
	traces, err := Decode(strings.NewReader(s))
	if err != nil {
		t.Fatalf("decode %s: %v", s, err)
	}
	return traces
}

func spanByID(t *testing.T, tr *backend.Trace, id string) *backend.Span {
	t.Helper()
	var found *backend.Span
	for i := range tr.Spans {
		if string(tr.Spans[i].SpanID) == id {
			if found != nil {
				t.Fatalf("span %s appears twice", id)
			}
			found = &tr.Spans[i]
		}
	}
	if found == nil {
		t.Fatalf("span %s not found", id)
	}
	return found
}

// find returns the one span with this service and operation.
func find(t *testing.T, tr *backend.Trace, service, op string) *backend.Span {
	t.Helper()
	var found *backend.Span
	for i := range tr.Spans {
		s := &tr.Spans[i]
		if s.Service == service && s.Operation == op {
			if found != nil {
				t.Fatalf("%s/%s appears twice", service, op)
			}
			found = s
		}
	}
	if found == nil {
		t.Fatalf("%s/%s not found", service, op)
	}
	return found
}

func serviceCounts(tr *backend.Trace) map[string]int {
	m := map[string]int{}
	for _, s := range tr.Spans {
		m[s.Service]++
	}
	return m
}

func errorIDs(tr *backend.Trace) []string {
	var ids []string
	for _, s := range tr.Spans {
		if s.Error {
			ids = append(ids, string(s.SpanID))
		}
	}
	sort.Strings(ids)
	return ids
}

func checkParent(t *testing.T, s *backend.Span, want string) {
	t.Helper()
	if string(s.ParentID) != want {
		t.Errorf("span %s (%s/%s): parent %q, want %q", s.SpanID, s.Service, s.Operation, s.ParentID, want)
	}
	if want == "" {
		if len(s.References) != 0 {
			t.Errorf("span %s: root has references %v", s.SpanID, s.References)
		}
		return
	}
	if len(s.References) != 1 || s.References[0].Type != backend.RefChildOf || string(s.References[0].SpanID) != want ||
		s.References[0].TraceID != s.TraceID {
		t.Errorf("span %s: references %v, want one CHILD_OF %s", s.SpanID, s.References, want)
	}
}

func tagValue(s *backend.Span, key string) string {
	kv, ok := s.Tag(key)
	if !ok {
		return "<none>"
	}
	return kv.Value()
}

func processTag(s *backend.Span, key string) string {
	if s.Process == nil {
		return "<no process>"
	}
	for _, kv := range s.Process.Tags {
		if kv.Key == key {
			return kv.Value()
		}
	}
	return "<none>"
}

func TestDecodeSkew(t *testing.T) {
	tr := decodeFile(t, "skew.json")
	if tr.ID != "00000000000000001e223ff1f80f1c69" {
		t.Errorf("trace ID %s", tr.ID)
	}
	if len(tr.Spans) != 4 {
		t.Fatalf("%d spans, want 4 (client and server halves kept apart)", len(tr.Spans))
	}
	if got := serviceCounts(tr); got["servicea"] != 2 || got["serviceb"] != 2 || len(got) != 2 {
		t.Errorf("services %v", got)
	}
	root := spanByID(t, tr, "bf396325699c84bf")
	checkParent(t, root, "")
	if root.Kind != backend.KindServer || root.Operation != "get" || root.Start != 1470150004071068000 || root.Duration != 99411000 {
		t.Errorf("root %+v", root)
	}
	client := spanByID(t, tr, "74280ae0c10d8062")
	checkParent(t, client, "bf396325699c84bf")
	if client.Kind != backend.KindClient || client.Service != "servicea" || client.Start != 1470150004074202000 {
		t.Errorf("client half %+v", client)
	}
	// The shared server half gets Jaeger's first synthetic ID.
	server := spanByID(t, tr, "0000000000000001")
	checkParent(t, server, "74280ae0c10d8062")
	if server.Kind != backend.KindServer || server.Service != "serviceb" || server.Start != 1470150004008761000 ||
		server.Duration != 93577000 || len(server.Warnings) != 0 {
		t.Errorf("server half %+v", server)
	}
	async := spanByID(t, tr, "43210ae0c10d1234")
	checkParent(t, async, "0000000000000001")
	if async.Kind != backend.KindUnspecified || async.Duration != 65000000 {
		t.Errorf("async %+v", async)
	}
	if async.Process != server.Process {
		t.Error("spans of one endpoint should share one *Process")
	}
	if got := processTag(async, TagHostIP); got != "192.0.0.0" {
		t.Errorf("host.ip %q", got)
	}
	if got := processTag(root, TagHostIP); got != "127.0.0.0" {
		t.Errorf("host.ip %q", got)
	}
	if len(tr.Warnings) != 0 {
		t.Errorf("warnings %v", tr.Warnings)
	}
}

func TestDecodeYelp(t *testing.T) {
	tr := decodeFile(t, "yelp.json")
	if tr.ID != "0000000000000000a03ee8fff1dcd9b9" {
		t.Errorf("trace ID %s", tr.ID)
	}
	if len(tr.Spans) != 16 {
		t.Fatalf("%d spans, want 16", len(tr.Spans))
	}
	want := map[string]int{"routing": 1, "unknown": 1, "yelp_main/api_proxy": 1, "yelp-main": 7, "mobile_api": 5, "spectre": 1}
	if got := serviceCounts(tr); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("services %v, want %v", got, want)
	}
	// 2e8c… is shared but nobody reported its client: it keeps its ID and is the root.
	root := spanByID(t, tr, "2e8cfb154b59a41f")
	checkParent(t, root, "")
	// Derived IDs go to shared IDs in sorted order: 668e…, 7a77…, f5f2….
	proxy := spanByID(t, tr, "0000000000000001")
	checkParent(t, proxy, "668ed78ad94b35a1")
	if proxy.Service != "yelp_main/api_proxy" || proxy.Operation != "post api proxy proxy" {
		t.Errorf("0001 is %s/%s", proxy.Service, proxy.Operation)
	}
	if len(proxy.Logs) != 1 || proxy.Logs[0].Time != 1571896375355436000 ||
		proxy.Logs[0].Fields[0].Key != "event" || proxy.Logs[0].Fields[0].Str != "py_zipkin.logging_end" {
		t.Errorf("annotation as log: %+v", proxy.Logs)
	}
	spectre := spanByID(t, tr, "0000000000000002")
	checkParent(t, spectre, "7a778764a0d0b594")
	if spectre.Service != "spectre" {
		t.Errorf("0002 is %s", spectre.Service)
	}
	mobile := spanByID(t, tr, "0000000000000003")
	checkParent(t, mobile, "f5f268651b2a2b34")
	if mobile.Service != "mobile_api" || mobile.Operation != "post /location/update/v4" {
		t.Errorf("0003 is %s/%s", mobile.Service, mobile.Operation)
	}
	checkParent(t, spanByID(t, tr, "668ed78ad94b35a1"), "2e8cfb154b59a41f")
	checkParent(t, spanByID(t, tr, "f5f268651b2a2b34"), "2e8cfb154b59a41f")
	// Children of a shared ID go to the server half on their side.
	for _, id := range []string{"15fc03927f0f68df", "7a778764a0d0b594", "6a65182ea4f684c3", "cb4d73f31cd90cae"} {
		checkParent(t, spanByID(t, tr, id), "0000000000000003")
	}
	for _, id := range []string{"241cea1aa4cb2884", "e7d1a2d5a788ac81"} {
		checkParent(t, spanByID(t, tr, id), "0000000000000001")
	}
	for _, id := range []string{"0facde7c9130fd93", "50b57281525a99d8", "2b68987704862c4f", "b593cd7513dc736e"} {
		checkParent(t, spanByID(t, tr, id), "241cea1aa4cb2884")
	}
	// Remote endpoints become peer tags, local ports process tags.
	blt := spanByID(t, tr, "15fc03927f0f68df")
	if tagValue(blt, TagPeerSvc) != "blt" || tagValue(blt, TagPeerPort) != "31882" {
		t.Errorf("peer tags of 15fc: %v", blt.Tags)
	}
	if kv, _ := blt.Tag(TagPeerPort); kv.Type != backend.TypeInt64 {
		t.Errorf("peer.port type %v", kv.Type)
	}
	if got := processTag(spanByID(t, tr, "6a65182ea4f684c3"), TagHostPort); got != "31049" {
		t.Errorf("host.port %q", got)
	}
	if len(errorIDs(tr)) != 0 {
		t.Errorf("errors %v", errorIDs(tr))
	}
}

func TestDecodeMessaging128(t *testing.T) {
	tr := decodeFile(t, "messaging.json")
	if tr.ID != "5aab74dbb904746bb33447baae403ed6" || tr.ID.Short() != "5aab74dbb904746bb33447baae403ed6" {
		t.Errorf("trace ID %s", tr.ID)
	}
	if len(tr.Spans) != 4 {
		t.Fatalf("%d spans", len(tr.Spans))
	}
	for _, s := range tr.Spans {
		if s.TraceID != tr.ID {
			t.Errorf("span %s trace %s", s.SpanID, s.TraceID)
		}
	}
	if got := serviceCounts(tr); got["frontend"] != 2 || got["backend"] != 2 {
		t.Errorf("services %v", got)
	}
	root := spanByID(t, tr, "b33447baae403ed6")
	checkParent(t, root, "")
	if tagValue(root, TagPeerIPv6) != "::1" || tagValue(root, TagPeerPort) != "54602" {
		t.Errorf("root peer tags %v", root.Tags)
	}
	prod := spanByID(t, tr, "05e3ac9a4f6e3b90")
	checkParent(t, prod, "b33447baae403ed6")
	if prod.Kind != backend.KindProducer || tagValue(prod, TagPeerSvc) != "rabbitmq" {
		t.Errorf("producer %+v", prod)
	}
	cons := spanByID(t, tr, "e457b5a2e4d86bd1")
	checkParent(t, cons, "05e3ac9a4f6e3b90")
	if cons.Kind != backend.KindConsumer || cons.Duration != 14000 {
		t.Errorf("consumer %+v", cons)
	}
	checkParent(t, spanByID(t, tr, "4ad2db84ac76def7"), "e457b5a2e4d86bd1")
	// Two services on one IP are two endpoints, two processes.
	if prod.Process == cons.Process {
		t.Error("different services share a process")
	}
}

func TestDecodeMessagingKafka(t *testing.T) {
	tr := decodeFile(t, "messaging-kafka.json")
	if len(tr.Spans) != 28 {
		t.Fatalf("%d spans", len(tr.Spans))
	}
	if got := serviceCounts(tr); got["servicea"] != 22 || got["serviceb"] != 6 {
		t.Errorf("services %v", got)
	}
	want := []string{"2f77d5b0b8e0de35", "4a64a63e4b58e665", "568b33e6af8a225a"}
	if got := errorIDs(tr); !slices.Equal(got, want) {
		t.Errorf("error spans %v, want %v", got, want)
	}
	// An empty error tag still marks an error; the value is the message.
	empty := spanByID(t, tr, "568b33e6af8a225a")
	if empty.Status.Code != backend.StatusError || empty.Status.Message != "" || tagValue(empty, "error") != "" {
		t.Errorf("empty error tag: %+v", empty.Status)
	}
	some := spanByID(t, tr, "2f77d5b0b8e0de35")
	if some.Status.Message != "some error" {
		t.Errorf("status %+v", some.Status)
	}
	// The root's span ID equals the trace ID's low half.
	checkParent(t, spanByID(t, tr, "0562809467078eab"), "")
	checkParent(t, spanByID(t, tr, "b4a2a87ee7f003bc"), "2e22a0564764943a")
	checkParent(t, spanByID(t, tr, "2f77d5b0b8e0de35"), "b4a2a87ee7f003bc")
	roots := 0
	for _, s := range tr.Spans {
		if s.ParentID == "" {
			roots++
		}
	}
	if roots != 1 {
		t.Errorf("%d roots", roots)
	}
}

func TestDecodeSimpleDB(t *testing.T) {
	tr := decodeFile(t, "simple-db-p6.json")
	if len(tr.Spans) != 5 {
		t.Fatalf("%d spans", len(tr.Spans))
	}
	if got := serviceCounts(tr); got["bootifulmeters"] != 5 || len(got) != 1 {
		t.Errorf("services %v", got)
	}
	checkParent(t, spanByID(t, tr, "19f84f102048e047"), "")
	for _, id := range []string{"5d532ef6fed52445", "e4efd924fec0624c", "8b1e63c0f49a81f7", "544e854ede87b217"} {
		s := spanByID(t, tr, id)
		checkParent(t, s, "19f84f102048e047")
		if s.Kind != backend.KindClient || tagValue(s, TagPeerSvc) != "app_db" {
			t.Errorf("db call %s: %v %v", id, s.Kind, s.Tags)
		}
	}
	procs := map[*backend.Process]bool{}
	for _, s := range tr.Spans {
		procs[s.Process] = true
	}
	if len(procs) != 1 {
		t.Errorf("%d processes for one endpoint", len(procs))
	}
}

func TestDecodeAscend(t *testing.T) {
	tr := decodeFile(t, "ascend.json")
	if len(tr.Spans) != 8 {
		t.Fatalf("%d spans", len(tr.Spans))
	}
	if got := serviceCounts(tr); got["mobile-gateway"] != 3 || got["content-service"] != 3 || got["auth-service"] != 2 {
		t.Errorf("services %v", got)
	}
	checkParent(t, spanByID(t, tr, "ef86c83c0a05a6d6"), "")
	checkParent(t, spanByID(t, tr, "ecc00062ceef4bf0"), "ef86c83c0a05a6d6")
	checkParent(t, spanByID(t, tr, "52b1ab4956917c39"), "ef86c83c0a05a6d6")
	auth := spanByID(t, tr, "0000000000000001")
	checkParent(t, auth, "52b1ab4956917c39")
	if auth.Service != "auth-service" || auth.Kind != backend.KindServer {
		t.Errorf("0001 %s %v", auth.Service, auth.Kind)
	}
	content := spanByID(t, tr, "0000000000000002")
	checkParent(t, content, "ecc00062ceef4bf0")
	if content.Service != "content-service" || tagValue(content, TagPeerIPv4) != "10.230.16.208" ||
		tagValue(content, TagPeerPort) != "3400" {
		t.Errorf("0002 %s %v", content.Service, content.Tags)
	}
	checkParent(t, spanByID(t, tr, "c21c6c51ac71b3ba"), "0000000000000002")
	checkParent(t, spanByID(t, tr, "e6422f7ff7d78099"), "0000000000000002")
	checkParent(t, spanByID(t, tr, "80c0d1d62f437a1b"), "0000000000000001")
}

// jaegerView reads a captured Jaeger v1 API trace: for each span its
// (service, operation, start µs) and its parent's.
func jaegerView(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		Data []struct {
			Spans []struct {
				SpanID     string `json:"spanID"`
				Operation  string `json:"operationName"`
				StartTime  int64  `json:"startTime"`
				ProcessID  string `json:"processID"`
				References []struct {
					RefType string `json:"refType"`
					SpanID  string `json:"spanID"`
				} `json:"references"`
			} `json:"spans"`
			Processes map[string]struct {
				ServiceName string `json:"serviceName"`
			} `json:"processes"`
		} `json:"data"`
	}
	if err := json.Unmarshal(b, &env); err != nil {
		t.Fatal(err)
	}
	if len(env.Data) != 1 {
		t.Fatalf("%d traces in capture", len(env.Data))
	}
	d := env.Data[0]
	keys := map[string]string{}
	for _, s := range d.Spans {
		keys[s.SpanID] = fmt.Sprintf("%s/%s@%d", d.Processes[s.ProcessID].ServiceName, s.Operation, s.StartTime)
	}
	out := map[string]string{}
	for _, s := range d.Spans {
		parent := ""
		if len(s.References) > 0 {
			parent = keys[s.References[0].SpanID]
		}
		out[keys[s.SpanID]] = parent
	}
	if len(out) != len(d.Spans) {
		t.Fatalf("capture has ambiguous span keys")
	}
	return out
}

func ourView(tr *backend.Trace) map[string]string {
	keys := map[backend.SpanID]string{}
	for _, s := range tr.Spans {
		keys[s.SpanID] = fmt.Sprintf("%s/%s@%d", s.Service, s.Operation, s.Start/1000)
	}
	out := map[string]string{}
	for _, s := range tr.Spans {
		out[keys[s.SpanID]] = keys[s.ParentID]
	}
	return out
}

// Jaeger normalized the same Zipkin data on ingest: same spans, same tree.
func TestDecodeMatchesJaeger(t *testing.T) {
	for _, c := range []struct{ fixture, capture string }{
		{"skew.json", "trace_skew_1e223ff1f80f1c69.json"},
		{"yelp.json", "trace_yelp_a03ee8fff1dcd9b9.json"},
		{"messaging-kafka.json", "trace_messaging-kafka_0562809467078eab.json"},
	} {
		t.Run(c.fixture, func(t *testing.T) {
			tr := decodeFile(t, c.fixture)
			want := jaegerView(t, filepath.Join("../../testdata/fixtures/captured/jaeger-v1.76.0", c.capture))
			got := ourView(tr)
			if len(got) != len(tr.Spans) || len(got) != len(want) {
				t.Fatalf("%d spans (%d keys), Jaeger has %d", len(tr.Spans), len(got), len(want))
			}
			for k, p := range want {
				if gp, ok := got[k]; !ok {
					t.Errorf("span %s missing", k)
				} else if gp != p {
					t.Errorf("span %s: parent %q, Jaeger %q", k, gp, p)
				}
			}
		})
	}
}

func fixtureNames(t testing.TB) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(fixtureDir, "*.json"))
	if err != nil || len(m) != 6 {
		t.Fatalf("fixtures: %v %v", m, err)
	}
	return m
}

// canon is a trace reduced to what must survive re-ordering and round
// trips, one line per span, sorted.
func canon(tr *backend.Trace) []string {
	var lines []string
	for _, s := range tr.Spans {
		var tags []string
		for _, kv := range s.Tags {
			tags = append(tags, kv.Key+"="+kv.Value())
		}
		sort.Strings(tags)
		var logs []string
		for _, l := range s.Logs {
			for _, f := range l.Fields {
				logs = append(logs, fmt.Sprintf("%d:%s=%s", l.Time, f.Key, f.Value()))
			}
		}
		var ptags []string
		if s.Process != nil {
			for _, kv := range s.Process.Tags {
				ptags = append(ptags, kv.Key+"="+kv.Value())
			}
		}
		lines = append(lines, fmt.Sprintf("%s %s<-%s %s/%s %v %d+%d err=%v tags=%v logs=%v proc=%v warn=%v",
			s.TraceID, s.SpanID, s.ParentID, s.Service, s.Operation, s.Kind, s.Start, s.Duration, s.Error,
			tags, logs, ptags, s.Warnings))
	}
	sort.Strings(lines)
	return lines
}

func TestDecodeOrderIndependent(t *testing.T) {
	for _, path := range fixtureNames(t) {
		b, _ := os.ReadFile(path)
		var raw []json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			t.Fatal(err)
		}
		want := canon(decodeFile(t, filepath.Base(path)))
		rng := rand.New(rand.NewSource(int64(len(raw))))
		for i := 0; i < 5; i++ {
			rng.Shuffle(len(raw), func(a, b int) { raw[a], raw[b] = raw[b], raw[a] })
			shuffled, _ := json.Marshal(raw)
			got := decodeString(t, string(shuffled))
			if len(got) != 1 || !slices.Equal(canon(got[0]), want) {
				t.Fatalf("%s: shuffled input decodes differently", filepath.Base(path))
			}
		}
	}
}

func TestDecodeNestedForm(t *testing.T) {
	var all []json.RawMessage
	var want []string
	for _, path := range fixtureNames(t) {
		b, _ := os.ReadFile(path)
		all = append(all, b)
		want = append(want, canon(decodeFile(t, filepath.Base(path)))...)
	}
	nested, _ := json.Marshal(all)
	traces := decodeString(t, string(nested))
	if len(traces) != 6 {
		t.Fatalf("%d traces from [[span]] of 6", len(traces))
	}
	var got []string
	for _, tr := range traces {
		got = append(got, canon(tr)...)
	}
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Error("[[span]] decodes differently from the files one by one")
	}
	// The same spans as one flat list are grouped by trace ID.
	var flat []json.RawMessage
	for _, b := range all {
		var spans []json.RawMessage
		_ = json.Unmarshal(b, &spans)
		flat = append(flat, spans...)
	}
	fb, _ := json.Marshal(flat)
	traces = decodeString(t, string(fb))
	if len(traces) != 6 {
		t.Fatalf("%d traces from a flat list of 6 traces' spans", len(traces))
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	for _, path := range fixtureNames(t) {
		tr := decodeFile(t, filepath.Base(path))
		var buf bytes.Buffer
		if err := Encode(&buf, tr); err != nil {
			t.Fatal(err)
		}
		again := decodeString(t, buf.String())
		if len(again) != 1 {
			t.Fatalf("%s: %d traces after round trip", filepath.Base(path), len(again))
		}
		if got, want := canon(again[0]), canon(tr); !slices.Equal(got, want) {
			t.Errorf("%s: round trip differs\n got %v\nwant %v", filepath.Base(path), got, want)
		}
	}
}

func TestEncodeFromOtherSources(t *testing.T) {
	tr := &backend.Trace{ID: "0000000000000000000000000000abcd", Spans: []backend.Span{{
		TraceID: "0000000000000000000000000000abcd", SpanID: "0000000000000001", Service: "svc", Operation: "op",
		Kind: backend.KindInternal, Start: 1_000_000_999, Duration: 500, Status: backend.Status{Code: backend.StatusError, Message: "boom"},
		Tags: []backend.KeyValue{backend.Int64("n", 7), backend.Bool("b", true)},
		Logs: []backend.Log{{Time: 1_000_002_000, Fields: []backend.KeyValue{backend.String("event", "x"), backend.String("k", "v")}}},
	}}}
	tr.Spans[0].Finish()
	var buf bytes.Buffer
	if err := Encode(&buf, tr); err != nil {
		t.Fatal(err)
	}
	var spans []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &spans); err != nil {
		t.Fatalf("%v: %s", err, buf.String())
	}
	s := spans[0]
	if s["traceId"] != "000000000000abcd" || s["id"] != "0000000000000001" || s["kind"] != nil ||
		s["timestamp"] != float64(1000000) || s["duration"] != float64(1) {
		t.Errorf("span %v", s)
	}
	tags := s["tags"].(map[string]any)
	if tags["error"] != "boom" || tags["n"] != "7" || tags["b"] != "true" {
		t.Errorf("tags %v", tags)
	}
	anns := s["annotations"].([]any)
	if anns[0].(map[string]any)["value"] != "event=x k=v" {
		t.Errorf("annotations %v", anns)
	}
}

func TestDecodeNormalization(t *testing.T) {
	t.Run("pads and lowercases IDs, drops self-parent", func(t *testing.T) {
		tr := decodeString(t, `[{"traceId":"ABC","id":"1F","parentId":"1f","name":"a","timestamp":10,"duration":5}]`)[0]
		if tr.ID != "00000000000000000000000000000abc" {
			t.Errorf("trace ID %s", tr.ID)
		}
		s := tr.Spans[0]
		if s.SpanID != "000000000000001f" || s.ParentID != "" || len(s.References) != 0 {
			t.Errorf("span %s parent %q refs %v", s.SpanID, s.ParentID, s.References)
		}
		if s.Start != 10000 || s.Duration != 5000 {
			t.Errorf("times %d %d", s.Start, s.Duration)
		}
	})
	t.Run("all-zero parent means root", func(t *testing.T) {
		tr := decodeString(t, `[{"traceId":"1","id":"1","parentId":"0000000000000000","timestamp":1,"duration":1}]`)[0]
		if tr.Spans[0].ParentID != "" {
			t.Errorf("parent %q", tr.Spans[0].ParentID)
		}
	})
	t.Run("deep nesting is an error, not a crash", func(t *testing.T) {
		deep := `[{"traceId":"1","id":"1","tags":{"a":` + strings.Repeat("[", 200000) + strings.Repeat("]", 200000) + `}}]`
		_, err := Decode(strings.NewReader(deep))
		if !errors.Is(err, backend.ErrDecode) {
			t.Errorf("got %v", err)
		}
	})
	t.Run("merges fragments of one span", func(t *testing.T) {
		tr := decodeString(t, `[
			{"traceId":"1","id":"2","parentId":"1","name":"get","kind":"CLIENT","timestamp":100,"localEndpoint":{"serviceName":"a"},"tags":{"x":"1"}},
			{"traceId":"1","id":"1","name":"root","timestamp":50,"duration":500,"localEndpoint":{"serviceName":"a"}},
			{"traceId":"1","id":"2","duration":30,"localEndpoint":{"serviceName":"a","ipv4":"10.0.0.1"},"annotations":[{"timestamp":110,"value":"ws"},{"timestamp":100,"value":"cs"}],"tags":{"y":"2"}},
			{"traceId":"1","id":"2","annotations":[{"timestamp":100,"value":"cs"}]}
		]`)[0]
		if len(tr.Spans) != 2 {
			t.Fatalf("%d spans, want 2", len(tr.Spans))
		}
		s := tr.Spans[0]
		if s.SpanID != "0000000000000002" || s.ParentID != "0000000000000001" || s.Operation != "get" ||
			s.Kind != backend.KindClient || s.Start != 100000 || s.Duration != 30000 {
			t.Errorf("merged %+v", s)
		}
		if tagValue(&s, "x") != "1" || tagValue(&s, "y") != "2" || processTag(&s, TagHostIP) != "10.0.0.1" {
			t.Errorf("merged tags %v process %+v", s.Tags, s.Process)
		}
		if len(s.Logs) != 2 || s.Logs[0].Fields[0].Str != "cs" || s.Logs[1].Fields[0].Str != "ws" {
			t.Errorf("annotations not merged, sorted and deduplicated: %+v", s.Logs)
		}
		if len(s.Warnings) != 0 {
			t.Errorf("warnings %v", s.Warnings)
		}
	})
	t.Run("fragments with IDs that are not hex merge too", func(t *testing.T) {
		tr := decodeString(t, `[
			{"traceId":"1","id":"span-a","name":"a","timestamp":1,"localEndpoint":{"serviceName":"s"}},
			{"traceId":"1","id":"span-b","parentId":"span-a","name":"b","timestamp":2,"duration":1},
			{"traceId":"1","id":"span-a","duration":5,"tags":{"k":"v"}}]`)[0]
		if len(tr.Spans) != 2 {
			t.Fatalf("%d spans, want 2", len(tr.Spans))
		}
		a := spanByID(t, tr, "span-a")
		if a.Duration != 5000 || tagValue(a, "k") != "v" || a.Service != "s" {
			t.Errorf("merged %+v", a)
		}
		checkParent(t, spanByID(t, tr, "span-b"), "span-a")
	})
	t.Run("different endpoints with one ID are not merged", func(t *testing.T) {
		tr := decodeString(t, `[
			{"traceId":"1","id":"2","name":"a","timestamp":1,"duration":1,"localEndpoint":{"serviceName":"a"}},
			{"traceId":"1","id":"2","name":"b","timestamp":1,"duration":1,"localEndpoint":{"serviceName":"b"}}]`)[0]
		if len(tr.Spans) != 2 {
			t.Fatalf("%d spans", len(tr.Spans))
		}
	})
	t.Run("server half without shared flag is still split off", func(t *testing.T) {
		tr := decodeString(t, `[
			{"traceId":"1","id":"2","kind":"SERVER","name":"s","timestamp":2,"duration":1,"localEndpoint":{"serviceName":"b"}},
			{"traceId":"1","id":"2","kind":"CLIENT","name":"c","timestamp":1,"duration":3,"localEndpoint":{"serviceName":"a"}}]`)[0]
		if len(tr.Spans) != 2 {
			t.Fatalf("%d spans", len(tr.Spans))
		}
		server := find(t, tr, "b", "s")
		if server.SpanID != "0000000000000001" || server.ParentID != "0000000000000002" {
			t.Errorf("server %s <- %s", server.SpanID, server.ParentID)
		}
	})
	t.Run("derived IDs skip IDs in use", func(t *testing.T) {
		tr := decodeString(t, `[
			{"traceId":"1","id":"1","name":"root","timestamp":1,"duration":9,"localEndpoint":{"serviceName":"a"}},
			{"traceId":"1","id":"2","parentId":"1","kind":"CLIENT","name":"c","timestamp":2,"duration":5,"localEndpoint":{"serviceName":"a"}},
			{"traceId":"1","id":"2","parentId":"1","kind":"SERVER","shared":true,"name":"s","timestamp":3,"duration":3,"localEndpoint":{"serviceName":"b"}},
			{"traceId":"1","id":"4","parentId":"2","name":"child-of-client","timestamp":2,"duration":1,"localEndpoint":{"serviceName":"a"}},
			{"traceId":"1","id":"5","parentId":"2","name":"child-of-server","timestamp":4,"duration":1,"localEndpoint":{"serviceName":"b"}},
			{"traceId":"1","id":"6","parentId":"2","name":"no-endpoint","timestamp":4,"duration":1}]`)[0]
		server := find(t, tr, "b", "s")
		if server.SpanID != "0000000000000003" || server.ParentID != "0000000000000002" {
			t.Errorf("server %s <- %s", server.SpanID, server.ParentID)
		}
		if p := find(t, tr, "a", "child-of-client").ParentID; p != "0000000000000002" {
			t.Errorf("client-side child under %s", p)
		}
		if p := find(t, tr, "b", "child-of-server").ParentID; p != "0000000000000003" {
			t.Errorf("server-side child under %s", p)
		}
		if p := find(t, tr, "", "no-endpoint").ParentID; p != "0000000000000003" {
			t.Errorf("child without endpoint under %s, want the server half as Jaeger does", p)
		}
	})
	t.Run("shared flag on a client is ignored", func(t *testing.T) {
		tr := decodeString(t, `[{"traceId":"1","id":"2","kind":"CLIENT","shared":true,"name":"c","timestamp":1,"duration":1}]`)[0]
		if tr.Spans[0].SpanID != "0000000000000002" {
			t.Errorf("span %s", tr.Spans[0].SpanID)
		}
	})
	t.Run("two servers answering one client", func(t *testing.T) {
		tr := decodeString(t, `[
			{"traceId":"1","id":"2","kind":"CLIENT","name":"c","timestamp":1,"duration":9,"localEndpoint":{"serviceName":"a"}},
			{"traceId":"1","id":"2","kind":"SERVER","shared":true,"name":"s","timestamp":2,"duration":1,"localEndpoint":{"serviceName":"b","ipv4":"10.0.0.1"}},
			{"traceId":"1","id":"2","kind":"SERVER","shared":true,"name":"s","timestamp":3,"duration":1,"localEndpoint":{"serviceName":"b","ipv4":"10.0.0.2"}},
			{"traceId":"1","id":"7","parentId":"2","name":"work","timestamp":3,"duration":1,"localEndpoint":{"serviceName":"b","ipv4":"10.0.0.2"}}]`)[0]
		if len(tr.Spans) != 4 {
			t.Fatalf("%d spans", len(tr.Spans))
		}
		ids := map[backend.SpanID]*backend.Span{}
		for i := range tr.Spans {
			ids[tr.Spans[i].SpanID] = &tr.Spans[i]
		}
		if len(ids) != 4 {
			t.Fatalf("IDs not unique: %v", canon(tr))
		}
		work := find(t, tr, "b", "work")
		parent := ids[work.ParentID]
		if parent == nil || processTag(parent, TagHostIP) != "10.0.0.2" || parent.ParentID != "0000000000000002" {
			t.Errorf("work attributed to %+v", parent)
		}
	})
	t.Run("missing timestamps and durations", func(t *testing.T) {
		tr := decodeString(t, `[
			{"traceId":"1","id":"1","name":"root","timestamp":1000,"duration":50},
			{"traceId":"1","id":"2","parentId":"1","name":"nots"},
			{"traceId":"1","id":"3","parentId":"2","name":"grandchild"},
			{"traceId":"1","id":"4","parentId":"9","name":"orphan"},
			{"traceId":"1","id":"5","parentId":"1","name":"ann","annotations":[{"timestamp":1010,"value":"x"}],"duration":-3}]`)[0]
		for _, c := range []struct {
			op    string
			start int64
			warn  string
		}{
			{"nots", 1000000, warnNoTimestampParent},
			{"grandchild", 1000000, warnNoTimestampParent},
			{"orphan", 1000000, warnNoTimestampTrace},
			{"ann", 1010000, warnBadDuration},
		} {
			s := find(t, tr, "", c.op)
			if s.Start != c.start || s.Duration != 0 || !slices.Contains(s.Warnings, c.warn) {
				t.Errorf("%s: start %d dur %d warnings %v", c.op, s.Start, s.Duration, s.Warnings)
			}
		}
		if s := find(t, tr, "", "root"); len(s.Warnings) != 0 {
			t.Errorf("root warnings %v", s.Warnings)
		}
	})
	t.Run("no timestamp anywhere", func(t *testing.T) {
		tr := decodeString(t, `[{"traceId":"1","id":"1","parentId":"2"},{"traceId":"1","id":"2","parentId":"1"}]`)[0]
		for _, s := range tr.Spans {
			if s.Start != 0 || !slices.Contains(s.Warnings, warnNoTimestamp) {
				t.Errorf("%s: %d %v", s.SpanID, s.Start, s.Warnings)
			}
		}
	})
	t.Run("64- and 128-bit IDs of one trace are one trace", func(t *testing.T) {
		traces := decodeString(t, `[
			{"traceId":"0000000000000000463ac35c9f6413ad","id":"1","name":"a","timestamp":1,"duration":1},
			{"traceId":"48485a3953bb6124463ac35c9f6413ad","id":"2","parentId":"1","name":"b","timestamp":1,"duration":1},
			{"traceId":"463ac35c9f6413ad","id":"3","parentId":"1","name":"c","timestamp":1,"duration":1},
			{"traceId":"ffff","id":"1","name":"other","timestamp":1,"duration":1}]`)
		if len(traces) != 2 || len(traces[0].Spans) != 3 || len(traces[1].Spans) != 1 {
			t.Fatalf("%d traces", len(traces))
		}
		for _, s := range traces[0].Spans {
			if s.TraceID != "48485a3953bb6124463ac35c9f6413ad" {
				t.Errorf("span %s in trace %s", s.SpanID, s.TraceID)
			}
		}
	})
	t.Run("debug flag, lenient values", func(t *testing.T) {
		tr := decodeString(t, `[{"traceId":"1","id":"1","name":"a","timestamp":"1000","duration":2.9,"debug":true,
			"tags":{"n":42,"b":true,"o":{"x":[1]},"nul":null},"localEndpoint":{"serviceName":"s","port":"8080"},
			"remoteEndpoint":null,"annotations":null,"kind":"server"}]`)[0]
		s := tr.Spans[0]
		if s.Start != 1000000 || s.Duration != 2000 || s.Kind != backend.KindServer {
			t.Errorf("%+v", s)
		}
		if tagValue(&s, TagDebug) != "true" || tagValue(&s, "n") != "42" || tagValue(&s, "b") != "true" ||
			tagValue(&s, "o") != `{"x":[1]}` || tagValue(&s, "nul") != "" {
			t.Errorf("tags %v", s.Tags)
		}
		if processTag(&s, TagHostPort) != "8080" {
			t.Errorf("process %+v", s.Process)
		}
	})
	t.Run("timestamps beyond int64 ns are clamped", func(t *testing.T) {
		tr := decodeString(t, `[{"traceId":"1","id":"1","timestamp":1e300,"duration":99999999999999999999}]`)[0]
		s := tr.Spans[0]
		if s.Start <= 0 || s.End() < s.Start || !slices.Contains(s.Warnings, warnClamped) {
			t.Errorf("%d %d %v", s.Start, s.Duration, s.Warnings)
		}
	})
	t.Run("empty list and nulls", func(t *testing.T) {
		if got := decodeString(t, `[]`); len(got) != 0 {
			t.Errorf("%d traces", len(got))
		}
		if got := decodeString(t, ` [ null ] `); len(got) != 0 {
			t.Errorf("%d traces", len(got))
		}
		if got := decodeString(t, `[[],[]]`); len(got) != 0 {
			t.Errorf("%d traces", len(got))
		}
	})
	t.Run("missing trace ID", func(t *testing.T) {
		tr := decodeString(t, `[{"id":"1","timestamp":1,"duration":1}]`)[0]
		if tr.ID != "" || !slices.Contains(tr.Warnings, warnNoTraceID) {
			t.Errorf("%q %v", tr.ID, tr.Warnings)
		}
	})
}

func TestDecodeErrors(t *testing.T) {
	for _, c := range []struct {
		in  string
		off int64
	}{
		{``, 0},
		{`{"traceId":"1"}`, 0},
		{`[{"traceId":"1","id":"1"}`, -1},
		{`[{"traceId":"1","id":"1"},{"traceId":`, -1},
		{`[{"traceId":"1","id":"1"}] x`, 26},
		{`[{"traceId":"1","id":"1","annotations":{"a":1}}]`, -1},
		{`[[{"traceId":"1","id":"1"}], {"traceId":"1"}]`, 29},
		{`[1, 2]`, -1},
		{`[{"traceId":"1", "id": tru}]`, 26},
	} {
		_, err := Decode(strings.NewReader(c.in))
		var be *backend.Error
		if !errors.As(err, &be) || be.Kind != backend.DecodeError {
			t.Errorf("%q: %v, want a DecodeError", c.in, err)
			continue
		}
		if c.off >= 0 && be.Offset != c.off {
			t.Errorf("%q: offset %d, want %d (%v)", c.in, be.Offset, c.off, err)
		}
		if be.Offset < 0 || be.Offset > int64(len(c.in)) {
			t.Errorf("%q: offset %d out of range", c.in, be.Offset)
		}
		if !errors.Is(err, backend.ErrDecode) {
			t.Errorf("%q: errors.Is(ErrDecode) false", c.in)
		}
	}
}
