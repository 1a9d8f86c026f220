package zipkin

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tracetui/tracetui/backend"
)

// The encoding/json decoder that Decode replaced, kept as a reference: the
// streaming decoder must read every input the same way (differential test
// and fuzz target below). Only the wire layer is kept; both share the
// normalizer.

type refEndpoint struct {
	ServiceName refString `json:"serviceName"`
	IPv4        refString `json:"ipv4"`
	IPv6        refString `json:"ipv6"`
	Port        refInt    `json:"port"`
}

type refAnnotation struct {
	Timestamp refInt    `json:"timestamp"`
	Value     refString `json:"value"`
}

type refSpan struct {
	TraceID        refString            `json:"traceId"`
	ID             refString            `json:"id"`
	ParentID       refString            `json:"parentId"`
	Name           refString            `json:"name"`
	Kind           refString            `json:"kind"`
	Timestamp      refInt               `json:"timestamp"`
	Duration       refInt               `json:"duration"`
	LocalEndpoint  *refEndpoint         `json:"localEndpoint"`
	RemoteEndpoint *refEndpoint         `json:"remoteEndpoint"`
	Annotations    refAnnotations       `json:"annotations"`
	Tags           map[string]refString `json:"tags"`
	Debug          refBool              `json:"debug"`
	Shared         refBool              `json:"shared"`
}

// refAnnotations differs from the old decoder on purpose: encoding/json
// decoded a repeated "annotations" key over the earlier elements, field by
// field; Decode takes the last list as it is.
type refAnnotations []refAnnotation

func (a *refAnnotations) UnmarshalJSON(b []byte) error {
	var v []refAnnotation
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*a = v
	return nil
}

type refString string

func (s *refString) UnmarshalJSON(b []byte) error {
	if len(b) >= 2 && b[0] == '"' {
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = refString(v)
		return nil
	}
	if string(b) == "null" {
		*s = ""
		return nil
	}
	// Objects and arrays: compact, as the streaming decoder writes them.
	var c bytes.Buffer
	if err := json.Compact(&c, b); err != nil {
		return err
	}
	*s = refString(c.String())
	return nil
}

type refInt struct {
	V  int64
	OK bool
}

func (n *refInt) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		b = []byte(s)
	}
	s := string(bytes.TrimSpace(b))
	*n = refInt{}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		*n = refInt{V: v, OK: true}
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil && !errors.Is(err, strconv.ErrRange), math.IsNaN(f):
	case f >= math.MaxInt64:
		*n = refInt{V: math.MaxInt64, OK: true}
	case f <= math.MinInt64:
		*n = refInt{V: math.MinInt64, OK: true}
	default:
		*n = refInt{V: int64(f), OK: true}
	}
	return nil
}

type refBool bool

func (v *refBool) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case "true", `"true"`, `"TRUE"`, `"True"`:
		*v = true
	default:
		*v = false
	}
	return nil
}

func refDecode(in []byte) ([]*backend.Trace, error) {
	t := bytes.TrimSpace(in)
	if len(t) == 0 || t[0] != '[' {
		return nil, errors.New("not a list")
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(in, &elems); err != nil {
		return nil, err
	}
	n := newNormalizer()
	seq := int32(0)
	clean := func(w *refSpan) *zspan {
		seq++
		z := &zspan{
			traceID: backend.TraceIDFromWire(string(w.TraceID)),
			id:      backend.SpanIDFromWire(string(w.ID)),
			parent:  backend.SpanIDFromWire(string(w.ParentID)),
			name:    string(w.Name),
			kind:    strings.ToUpper(string(w.Kind)),
			debug:   bool(w.Debug),
			seq:     seq,
		}
		ep := func(w *refEndpoint) endpoint {
			if w == nil {
				return endpoint{}
			}
			e := endpoint{service: string(w.ServiceName), ipv4: string(w.IPv4), ipv6: string(w.IPv6)}
			if w.Port.OK && w.Port.V > 0 {
				e.port = w.Port.V
			}
			return e
		}
		z.local = n.local(ep(w.LocalEndpoint))
		z.remote = n.remote(ep(w.RemoteEndpoint))
		if z.parent == z.id || z.parent == zeroSpanID {
			z.parent = ""
		}
		if w.Timestamp.OK {
			z.ts = w.Timestamp.V
		}
		if w.Duration.OK {
			z.dur, z.hasDur = w.Duration.V, true
		}
		z.shared = bool(w.Shared) && z.kind != "CLIENT"
		for _, a := range w.Annotations {
			z.anns = append(z.anns, annotation{ts: a.Timestamp.V, value: string(a.Value)})
		}
		z.anns = sortAnnotations(z.anns)
		for k, v := range w.Tags {
			z.tags = append(z.tags, tag{k, string(v)})
		}
		slices.SortFunc(z.tags, func(a, b tag) int { return strings.Compare(a.k, b.k) })
		return z
	}
	spans := func(raw []json.RawMessage) ([]*zspan, error) {
		var out []*zspan
		for _, r := range raw {
			var w *refSpan
			if err := json.Unmarshal(r, &w); err != nil {
				return nil, err
			}
			if w != nil {
				out = append(out, clean(w))
			}
		}
		return out, nil
	}
	if len(elems) == 0 || bytes.TrimSpace(elems[0])[0] != '[' {
		zs, err := spans(elems)
		if err != nil {
			return nil, err
		}
		return n.traces(zs), nil
	}
	var traces []*backend.Trace
	for _, e := range elems {
		if bytes.TrimSpace(e)[0] != '[' {
			return nil, errors.New("not a list of traces")
		}
		var group []json.RawMessage
		if err := json.Unmarshal(e, &group); err != nil {
			return nil, err
		}
		zs, err := spans(group)
		if err != nil {
			return nil, err
		}
		traces = append(traces, n.traces(zs)...)
	}
	return traces, nil
}

// sameText maps every invalid UTF-8 byte and U+FFFD to '?': encoding/json
// replaced invalid bytes, the scanner keeps them for the sanitizer.
func sameText(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		var b strings.Builder
		for _, r := range l {
			if r == utf8.RuneError {
				r = '?'
			}
			b.WriteRune(r)
		}
		out[i] = b.String()
	}
	return out
}

func compareWithReference(t *testing.T, in []byte) {
	t.Helper()
	got, err := Decode(bytes.NewReader(in))
	want, refErr := refDecode(in)
	if (err != nil) != (refErr != nil) {
		// The scanner nests at most 256 deep, encoding/json 10000.
		if err != nil && strings.Contains(err.Error(), "nested too deeply") {
			return
		}
		t.Fatalf("error %v, reference error %v", err, refErr)
	}
	if err != nil {
		return
	}
	if len(got) != len(want) {
		t.Fatalf("%d traces, reference %d", len(got), len(want))
	}
	for i := range got {
		if got[i].ID != want[i].ID || !slices.Equal(got[i].Warnings, want[i].Warnings) {
			t.Fatalf("trace %d: %q %v, reference %q %v", i, got[i].ID, got[i].Warnings, want[i].ID, want[i].Warnings)
		}
		if g, w := sameText(canon(got[i])), sameText(canon(want[i])); !slices.Equal(g, w) {
			t.Fatalf("trace %d differs\n got %v\nwant %v", i, g, w)
		}
	}
}

func referenceInputs() []string {
	return []string{
		`[{"TRACEID":"1","Id":"2","NAME":"n","localendpoint":{"SERVICENAME":"s","IPV4":"1.2.3.4","Port":80}}]`,
		`[{"traceId":"1","id":"2","tags":{"a":"1"},"tags":{"b":"2","a":"3"}}]`,
		`[{"traceId":"1","id":"2","tags":{"a":"1"},"tags":null,"tags":{"b":"2"}}]`,
		`[{"traceId":"1","id":"2","localEndpoint":{"serviceName":"a"},"localEndpoint":{"ipv4":"1"}}]`,
		`[{"traceId":"1","id":"2","localEndpoint":{"serviceName":"a"},"localEndpoint":null}]`,
		`[{"traceId":"1","id":"2","annotations":[{"value":"x","timestamp":3}],"annotations":[null,{"value":"y"}]}]`,
		`[{"traceId":"1","id":"2","timestamp":" 12 ","duration":"1e3","debug":"True","shared":1}]`,
		`[{"traceId":"1","id":"2","timestamp":{},"duration":[1],"debug":{"a":1},"kind":"ſerver"}]`,
		`[{"traceId":{"a": [1, 2]},"id":12,"parentId":true,"name":false,"kind":null}]`,
		`[{"traceId":"1","id":"2","tags":{"a":"\u00e9\ud83d\ude00\ud800x","k\"q":"v\\"}}]`,
		`[{"traceId":"1","id":"2","remoteEndpoint":{"serviceName":"r","port":"-1"},"remoteEndpoint":{"ipv6":"::1"}}]`,
		`[null,{"traceId":"1","id":"1"},null]`,
		`[[null],[],[{"traceId":"1","id":"1"}]]`,
		`[[{"traceId":"1","id":"1"}],null]`,
		`[{"traceId":"1","id":"1"},[]]`,
		`[{"traceId":"1","id":"2","port":"x","unknown":{"deep":[[[{}]]]}}]`,
		`[{"traceId":"1","id":"2","timestamp":99999999999999999999,"duration":-99999999999999999999}]`,
		"[{\"traceId\":\"1\",\"id\":\"2\",\"name\":\"a\xffb\"}]",
	}
}

func TestDecodeMatchesReference(t *testing.T) {
	for _, path := range fixtureNames(t) {
		b := readFile(t, path)
		compareWithReference(t, b)
	}
	compareWithReference(t, synthetic(3000))
	for _, in := range referenceInputs() {
		t.Run(in, func(t *testing.T) { compareWithReference(t, []byte(in)) })
	}
}

func FuzzDecodeMatchesReference(f *testing.F) {
	for _, path := range fixtureNames(f) {
		f.Add(readFile(f, path))
	}
	for _, in := range referenceInputs() {
		f.Add([]byte(in))
	}
	f.Fuzz(compareWithReference)
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
