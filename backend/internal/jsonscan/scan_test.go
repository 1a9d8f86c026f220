package jsonscan

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// rawAll reads one value as compact JSON and checks nothing follows.
func rawAll(r io.Reader) ([]byte, error) {
	s := New(r)
	out := s.Raw(nil)
	if s.Err() == nil && !s.AtEOF() && s.Err() == nil {
		s.Fail("data after value")
	}
	return out, s.Err()
}

func decodeNumbers(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

func check(t *testing.T, in []byte) {
	t.Helper()
	valid := json.Valid(in)
	for name, r := range map[string]io.Reader{
		"bytes":   bytes.NewReader(in),
		"onebyte": iotest.OneByteReader(bytes.NewReader(in)),
		"half":    iotest.HalfReader(bytes.NewReader(in)),
	} {
		out, err := rawAll(r)
		var se *SyntaxError
		if err != nil && !errors.As(err, &se) {
			t.Fatalf("%s: untyped error %v", name, err)
		}
		if se != nil && (se.Offset < 0 || se.Offset > int64(len(in))) {
			t.Fatalf("%s: offset %d outside %d bytes", name, se.Offset, len(in))
		}
		if valid != (err == nil) {
			if err != nil && strings.Contains(err.Error(), "deeply") {
				continue
			}
			t.Fatalf("%s: json.Valid=%v but scanner err=%v for %q", name, valid, err, in)
		}
		if !valid {
			continue
		}
		// Numbers compare as text: 1E700 is valid JSON that no float64 holds.
		want, err := decodeNumbers(in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeNumbers(out)
		if err != nil {
			t.Fatalf("%s: own output invalid: %v: %q", name, err, out)
		}
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("%s: %q became %q", name, in, out)
		}
		// Skip must agree with Raw.
		s := New(bytes.NewReader(in))
		s.Skip()
		if s.Err() != nil || !s.AtEOF() {
			t.Fatalf("%s: Skip: %v", name, s.Err())
		}
	}
}

func TestScannerAgreesWithEncodingJSON(t *testing.T) {
	for _, in := range []string{
		`{}`, `[]`, `{"a":[1,2,{"b":null}],"c":"\u00e9\ud83d\ude00\n\"","d":-0.5e+10,"e":true,"f":false}`,
		`"\ud800"`, `"\udc00x"`, `"\ud800\u0041"`, `[1e5, 0, -0, 1.0]`, "  [ 1 ,\n 2 ] ",
		`[1,]`, `{"a":1,}`, `{"a" 1}`, `[01]`, `[1.]`, `[-]`, `[.5]`, `["\x"]`, "[\"\x01\"]", `[tru]`, `[nulll]`, `{"a":1}}`,
		`[` + strings.Repeat(`"long string ",`, 20000) + `1]`, `"` + strings.Repeat(`\n`, 70000) + `"`,
		strings.Repeat("[", 300) + strings.Repeat("]", 300),
	} {
		check(t, []byte(in))
	}
}

func TestDepthLimit(t *testing.T) {
	s := New(strings.NewReader(strings.Repeat("[", DefaultMaxDepth+1) + strings.Repeat("]", DefaultMaxDepth+1)))
	s.Skip()
	if s.Err() == nil || !strings.Contains(s.Err().Error(), "deeply") {
		t.Errorf("depth: %v", s.Err())
	}
	s = New(strings.NewReader(strings.Repeat("[", DefaultMaxDepth) + strings.Repeat("]", DefaultMaxDepth)))
	s.Skip()
	if s.Err() != nil {
		t.Errorf("at the limit: %v", s.Err())
	}
}

func TestIntAndFloat(t *testing.T) {
	s := NewBytes([]byte(`[123, "-45", "9223372036854775222", 99999999999999999999, -99999999999999999999, 1.9, "1e3", null, "", true]`))
	s.Array()
	want := []int64{123, -45, 9223372036854775222, 1<<63 - 1, -1 << 63, 1, 1000, 0, 0, 1}
	for i := 0; s.Next(); i++ {
		if got := s.Int(); got != want[i] {
			t.Errorf("element %d: %d, want %d", i, got, want[i])
		}
	}
	if s.Err() != nil {
		t.Fatal(s.Err())
	}
	s = NewBytes([]byte(`["NaN", "Infinity", 2.5, "x"]`))
	s.Array()
	s.Next()
	if f := s.Float(); f == f {
		t.Errorf("NaN: %v", f)
	}
	s.Next()
	if f := s.Float(); f < 1e308 {
		t.Errorf("Infinity: %v", f)
	}
	s.Next()
	if f := s.Float(); f != 2.5 {
		t.Errorf("2.5: %v", f)
	}
	s.Next()
	s.Float()
	if s.Err() == nil {
		t.Error(`"x" accepted as a float`)
	}
}

func FuzzScanner(f *testing.F) {
	for _, s := range []string{`{"a":[1,"b",{"c":null}]}`, `"\ud83d\ude00"`, `[1e5,-0.5]`, `[`, `{"a":}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) { check(t, in) })
}
