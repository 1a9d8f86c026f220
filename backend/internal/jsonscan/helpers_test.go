package jsonscan

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/tracetui/tracetui/backend"
)

func TestWarningTexts(t *testing.T) {
	for _, c := range []struct {
		kv   backend.KeyValue
		want []string
	}{
		{backend.KeyValue{Key: "w", Type: backend.TypeJSON, Str: `["a","b"]`}, []string{"a", "b"}},
		{backend.KeyValue{Key: "w", Type: backend.TypeJSON, Str: `[]`}, nil},
		{backend.KeyValue{Key: "w", Type: backend.TypeJSON, Str: `["a",`}, []string{`["a",`}},
		{backend.String("w", "clock skew"), []string{"clock skew"}},
		{backend.Int64("w", 7), []string{"7"}},
	} {
		if got := WarningTexts(c.kv); !reflect.DeepEqual(got, c.want) {
			t.Errorf("WarningTexts(%+v) = %q, want %q", c.kv, got, c.want)
		}
	}
}

func TestIsInteger(t *testing.T) {
	for in, want := range map[string]bool{"0": true, "-12": true, "1.5": false, "1e3": false, "2E1": false} {
		if got := IsInteger([]byte(in)); got != want {
			t.Errorf("IsInteger(%q) = %v", in, got)
		}
	}
}

func TestAppendStringMatchesAppendQuoted(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uote`, `back\slash`, "tab\tnl\n", "\x00\x1f", "é\xff"} {
		got := string(AppendString([]byte("x"), s))
		want := string(AppendQuoted([]byte("x"), []byte(s)))
		if got != want {
			t.Errorf("AppendString(%q) = %q, want %q", s, got, want)
		}
		if strings.ToValidUTF8(s, "") == s {
			var back string
			if err := json.Unmarshal([]byte(got[1:]), &back); err != nil || back != s {
				t.Errorf("AppendString(%q) reads back as %q, %v", s, back, err)
			}
		}
	}
}

func TestStrCacheValue(t *testing.T) {
	var c StrCache
	short := []byte("GET")
	if a, b := c.Value(short), c.Value([]byte("GET")); a != "GET" || b != "GET" {
		t.Fatalf("Value = %q, %q", a, b)
	}
	long := []byte(strings.Repeat("x", 65))
	if got := c.Value(long); got != string(long) {
		t.Fatalf("Value(long) = %q", got)
	}
	if got := c.Value(nil); got != "" {
		t.Fatalf("Value(nil) = %q", got)
	}
}

func TestFinish(t *testing.T) {
	for _, c := range []struct {
		in      string
		wantErr bool
		offset  int64
	}{
		{`{}`, false, 0},
		{"{}  \n", false, 0},
		{`{} x`, true, 3},
		{`{} {}`, true, 3},
		{`{"a":`, true, -2},
	} {
		s := NewBytes([]byte(c.in))
		s.Skip()
		err := Finish(s, "test")
		if (err != nil) != c.wantErr {
			t.Errorf("Finish after %q = %v", c.in, err)
			continue
		}
		if err == nil {
			continue
		}
		var be *backend.Error
		if !errors.As(err, &be) || be.Kind != backend.DecodeError || be.Op != "test" {
			t.Errorf("Finish after %q = %#v, want a DecodeError", c.in, err)
			continue
		}
		if c.offset >= 0 && be.Offset != c.offset {
			t.Errorf("Finish after %q: offset %d, want %d", c.in, be.Offset, c.offset)
		}
	}
}

func TestLastTraceID(t *testing.T) {
	var l LastTraceID
	if _, ok := l.Get([]byte("ab")); ok {
		t.Fatal("empty LastTraceID answers")
	}
	buf := []byte("ab")
	if got := l.Set(buf, "00ab"); got != "00ab" {
		t.Fatalf("Set = %q", got)
	}
	buf[0] = 'x' // the caller's buffer is reused: Set must have copied it
	if id, ok := l.Get([]byte("ab")); !ok || id != "00ab" {
		t.Fatalf("Get(ab) = %q, %v", id, ok)
	}
	if _, ok := l.Get([]byte("xb")); ok {
		t.Fatal("Get answers for other bytes")
	}
}

// failAfter accepts n bytes, then fails every write.
type failAfter struct {
	n     int
	wrote strings.Builder
}

var errFull = errors.New("full")

func (f *failAfter) Write(b []byte) (int, error) {
	if len(b) > f.n {
		f.wrote.Write(b[:f.n])
		n := f.n
		f.n = 0
		return n, errFull
	}
	f.n -= len(b)
	f.wrote.Write(b)
	return len(b), nil
}

func TestSink(t *testing.T) {
	var ok failAfter
	ok.n = 1 << 20
	s := NewSink(&ok)
	s.WriteString("ab")
	s.Write([]byte("cd"))
	if err := s.Close(); err != nil || ok.wrote.String() != "abcd" {
		t.Fatalf("Close = %v, wrote %q", err, ok.wrote.String())
	}

	// Past the buffer, a failed write is kept and what follows is dropped.
	bad := &failAfter{n: 10}
	s = NewSink(bad)
	s.Write(make([]byte, 128<<10))
	s.WriteString("more")
	if err := s.Close(); !errors.Is(err, errFull) {
		t.Fatalf("Close = %v, want the write error", err)
	}
	if bad.wrote.Len() != 10 {
		t.Fatalf("wrote %d bytes", bad.wrote.Len())
	}

	// A failure in the final flush is Close's error too.
	bad = &failAfter{n: 1}
	s = NewSink(bad)
	s.WriteString("abc")
	if err := s.Close(); !errors.Is(err, errFull) {
		t.Fatalf("Close = %v, want the flush error", err)
	}
}

// A non-hex ID keeps its text, made valid UTF-8 byte for byte as
// encoding/json would read it.
func TestIDsAreValidUTF8(t *testing.T) {
	for in, want := range map[string]string{
		"\x98": "\uFFFD", "a\xff\xfeb": "a\uFFFD\uFFFDb", "é-ok": "é-ok", "span-2_1": "span-2_1",
	} {
		if got := string(TraceID([]byte(in))); got != want {
			t.Errorf("TraceID(%q) = %q, want %q", in, got, want)
		}
		if got := string(SpanID([]byte(in))); got != want {
			t.Errorf("SpanID(%q) = %q, want %q", in, got, want)
		}
	}
}
