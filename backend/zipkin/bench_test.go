package zipkin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// synthetic writes a Zipkin v2 trace of n spans: a wide, deep tree over ten
// services where every fifth span is an RPC reported as a shared
// client/server pair, and every seventh has an annotation and an error tag.
func synthetic(n int) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	ts := int64(1_700_000_000_000_000)
	written := 0
	for i := 1; written < n; i++ {
		if written > 0 {
			b.WriteByte(',')
		}
		parent := ""
		if i > 1 {
			parent = fmt.Sprintf(`"parentId":"%016x",`, i/3+1)
		}
		svc := fmt.Sprintf("service-%d", i%10)
		extra := ""
		if i%7 == 0 {
			extra = fmt.Sprintf(`,"annotations":[{"timestamp":%d,"value":"retry"}],"tags":{"error":"boom","http.status_code":"500"}`, ts+int64(i)+1)
		}
		kind := ""
		if i%5 == 0 && written+1 < n {
			kind = `"kind":"CLIENT",`
		}
		fmt.Fprintf(&b, `{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736",%s"id":"%016x",%s"name":"op-%d","timestamp":%d,"duration":%d,"localEndpoint":{"serviceName":"%s","ipv4":"10.0.0.%d"}%s}`,
			parent, i, kind, i%50, ts+int64(i), 1000+i%900, svc, i%10, extra)
		written++
		if kind != "" {
			fmt.Fprintf(&b, `,{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736",%s"id":"%016x","kind":"SERVER","shared":true,"name":"op-%d","timestamp":%d,"duration":%d,"localEndpoint":{"serviceName":"remote-%d","ipv4":"10.1.0.%d"}}`,
				parent, i, i%50, ts+int64(i)+2, 500+i%400, i%10, i%10)
			written++
		}
	}
	b.WriteByte(']')
	return b.Bytes()
}

func TestSynthetic(t *testing.T) {
	in := synthetic(1000)
	traces, err := Decode(bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(traces) != 1 || len(traces[0].Spans) != 1000 {
		t.Fatalf("%d traces", len(traces))
	}
	ids := map[string]bool{}
	errs := 0
	for _, s := range traces[0].Spans {
		ids[string(s.SpanID)] = true
		if s.Error {
			errs++
		}
	}
	if len(ids) != 1000 {
		t.Errorf("%d unique IDs, want 1000", len(ids))
	}
	if errs == 0 || strings.Count(string(in), `"error"`) != errs {
		t.Errorf("%d errors", errs)
	}
}

func BenchmarkDecode(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("spans=%d", n), func(b *testing.B) {
			in := synthetic(n) // here, so that -bench filters skip building the other sizes
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			for b.Loop() {
				traces, err := Decode(bytes.NewReader(in))
				if err != nil || len(traces[0].Spans) != n {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkUnmarshalAny is the yardstick of issue 6: json.Unmarshal of the
// same bytes into any, side by side with BenchmarkDecode.
func BenchmarkUnmarshalAny(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("spans=%d", n), func(b *testing.B) {
			in := synthetic(n) // here, so that -bench filters skip building the other sizes
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			for b.Loop() {
				var v any
				if err := json.Unmarshal(in, &v); err != nil || len(v.([]any)) != n {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkEncode(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		traces, err := Decode(bytes.NewReader(synthetic(n)))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("spans=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := Encode(&bytes.Buffer{}, traces[0]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
