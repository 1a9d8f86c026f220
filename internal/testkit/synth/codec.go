package synth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"
	"testing/iotest"

	"github.com/tracetui/tracetui/backend"
)

// Codec is one trace format's decoder and encoder, for the checks and
// benchmarks that every format's tests repeat.
type Codec struct {
	// Format names the format in benchmark names ("format=jaeger/...").
	Format string
	Decode func(io.Reader) ([]*backend.Trace, error)
	Encode func(io.Writer, []*backend.Trace) error
}

// DecodeFile decodes the file dir+name, failing the test if that does not
// work; messages name the file by name alone.
func (c Codec) DecodeFile(t testing.TB, dir, name string) []*backend.Trace {
	t.Helper()
	b, err := os.ReadFile(dir + name)
	if err != nil {
		t.Fatal(err)
	}
	traces, err := c.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return traces
}

// WantDecodeError checks that err, from decoding in, is a DecodeError whose
// offset lies inside in.
func WantDecodeError(t testing.TB, name, in string, err error) {
	t.Helper()
	var be *backend.Error
	if !errors.As(err, &be) || be.Kind != backend.DecodeError {
		t.Errorf("%s: %v, want a decode error", name, err)
		return
	}
	if be.Offset < 0 || be.Offset > int64(len(in)) {
		t.Errorf("%s: offset %d outside the input", name, be.Offset)
	}
}

// WantErrorKinds decodes each file dir+name of cases and checks that it
// fails with an error of the given kind.
func (c Codec) WantErrorKinds(t testing.TB, dir string, cases map[string]backend.ErrorKind) {
	t.Helper()
	for name, kind := range cases {
		b, err := os.ReadFile(dir + name)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Decode(bytes.NewReader(b))
		if backend.KindOf(err) != kind {
			t.Errorf("%s: %v, want kind %v", name, err, kind)
		}
	}
}

// SeedFixtures adds every *.json file in the folders dir+sub to f's corpus.
func SeedFixtures(f *testing.F, dir string, subs ...string) {
	for _, d := range subs {
		files, _ := filepath.Glob(dir + d + "/*.json")
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
}

// FuzzDecode is the start of every decoder's fuzz target: in decodes the
// same whether read at once or one byte per read (which moves every token
// across window refills), and a failure is a *backend.Error whose
// DecodeError offset lies inside in. ok says whether in decoded.
func (c Codec) FuzzDecode(t *testing.T, in []byte) (traces []*backend.Trace, ok bool) {
	t.Helper()
	traces, err := c.Decode(bytes.NewReader(in))
	slow, slowErr := c.Decode(iotest.OneByteReader(bytes.NewReader(in)))
	if (err == nil) != (slowErr == nil) || !reflect.DeepEqual(traces, slow) {
		t.Fatalf("one-byte reads differ: %v / %v", err, slowErr)
	}
	if err != nil {
		var be *backend.Error
		if !errors.As(err, &be) {
			t.Fatalf("untyped error %T %v", err, err)
		}
		if be.Kind == backend.DecodeError && (be.Offset < 0 || be.Offset > int64(len(in))) {
			t.Fatalf("offset %d outside input of %d bytes", be.Offset, len(in))
		}
		return nil, false
	}
	return traces, true
}

// Reencode encodes traces and decodes the result, failing the test if
// either step fails.
func (c Codec) Reencode(t *testing.T, traces []*backend.Trace) []*backend.Trace {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Encode(&buf, traces); err != nil {
		t.Fatal(err)
	}
	again, err := c.Decode(&buf)
	if err != nil {
		t.Fatalf("re-decoding own output: %v\n%s", err, buf.Bytes())
	}
	return again
}

// Encoded returns Trace(n, 42) in c's format.
func (c Codec) Encoded(b *testing.B, n int) []byte {
	var buf bytes.Buffer
	if err := c.Encode(&buf, []*backend.Trace{Trace(n, 42)}); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchDecode runs the sub-benchmark "format=F/spans=n": decoding an n-span
// trace, with the heap the result keeps as a fraction of the JSON size
// (issue 6 wants less than the file) as the metric heap/json.
func (c Codec) BenchDecode(b *testing.B, n int) {
	data := c.Encoded(b, n)
	b.Run(fmt.Sprintf("format=%s/spans=%d", c.Format, n), func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			traces, err := c.Decode(bytes.NewReader(data))
			if err != nil || len(traces[0].Spans) != n {
				b.Fatal(err)
			}
		}
		b.ReportMetric(c.retained(b, data), "heap/json")
	})
}

func (c Codec) retained(b *testing.B, data []byte) float64 {
	b.StopTimer()
	defer b.StartTimer()
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	traces, err := c.Decode(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&m1)
	runtime.KeepAlive(traces)
	return float64(int64(m1.HeapAlloc)-int64(m0.HeapAlloc)) / float64(len(data))
}

// BenchUnmarshalAny runs the sub-benchmark prefix+"format=F/spans=n":
// json.Unmarshal into any of the bytes BenchDecode reads, the yardstick.
func (c Codec) BenchUnmarshalAny(b *testing.B, prefix string, n int) {
	data := c.Encoded(b, n)
	b.Run(fmt.Sprintf("%sformat=%s/spans=%d", prefix, c.Format, n), func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			var v any
			if err := json.Unmarshal(data, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}
