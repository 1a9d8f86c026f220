package file

import (
	"bufio"
	"strings"
	"testing"
)

// valueReader hands over exactly one document, whatever the sizes of the
// reads and wherever a string's quotes and escapes fall between them.
func TestValueReaderSplitsDocuments(t *testing.T) {
	docs := []string{
		`{"a":"x\"}]{[","b":["\\",{"c":"\\\""}]}`,
		`[{"k":"}}}"},"\\\\\\"]`,
		`{"e":"é \u0022 \\n"}`,
		`{}`,
		`{"stack":"` + strings.Repeat(`at f (x.go:1)\n\t`, 50) + `\\"}`,
	}
	in := strings.Join(docs, "\n") + "\n"
	for size := 1; size <= 9; size++ {
		br := bufio.NewReaderSize(strings.NewReader(in), 16)
		for i, want := range docs {
			if _, err := skipSpace(br, i == 0); err != nil {
				t.Fatal(err)
			}
			vr := &valueReader{br: br}
			var got []byte
			buf := make([]byte, size)
			for {
				n, err := vr.Read(buf)
				got = append(got, buf[:n]...)
				if err != nil {
					break
				}
			}
			if string(got) != want || vr.n != int64(len(want)) {
				t.Errorf("read size %d, document %d: got %q (n=%d), want %q", size, i, got, vr.n, want)
			}
		}
	}
}
