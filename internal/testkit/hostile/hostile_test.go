package hostile_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/file"
	"github.com/tracetui/tracetui/backend/jaegerjson"
	"github.com/tracetui/tracetui/backend/otlp"
	"github.com/tracetui/tracetui/backend/zipkin"
	"github.com/tracetui/tracetui/internal/testkit/hostile"
	"github.com/tracetui/tracetui/internal/textsafe"
)

func cases(t *testing.T) []hostile.Case {
	if testing.Short() {
		return hostile.Small()
	}
	return hostile.Traces()
}

func TestCasesAreWhatTheyClaim(t *testing.T) {
	all := hostile.Traces()
	seen := map[string]bool{}
	byName := map[string]*backend.Trace{}
	for _, c := range all {
		if c.Name == "" || c.About == "" || c.Trace == nil {
			t.Fatalf("incomplete case %+v", c)
		}
		if seen[c.Name] {
			t.Fatalf("duplicate case %q", c.Name)
		}
		seen[c.Name] = true
		byName[c.Name] = c.Trace
	}
	if n := len(hostile.Small()); n != len(all)-3 {
		t.Errorf("Small has %d cases, want %d", n, len(all)-3)
	}

	wide := byName["wide"]
	if len(wide.Spans) != 100_001 {
		t.Errorf("wide has %d spans", len(wide.Spans))
	}
	for i := 1; i < len(wide.Spans); i++ {
		if wide.Spans[i].ParentID != wide.Spans[0].SpanID {
			t.Fatalf("wide span %d has parent %q", i, wide.Spans[i].ParentID)
		}
	}

	deep := byName["deep"]
	if len(deep.Spans) != 100_000 || deep.Spans[0].ParentID != "" {
		t.Fatalf("deep has %d spans, root parent %q", len(deep.Spans), deep.Spans[0].ParentID)
	}
	for i := 1; i < len(deep.Spans); i++ {
		if deep.Spans[i].ParentID != deep.Spans[i-1].SpanID {
			t.Fatalf("deep span %d is not a child of span %d", i, i-1)
		}
	}
	if !deep.Spans[len(deep.Spans)-1].Error {
		t.Error("the deepest span should be the error origin")
	}

	ring := byName["deep-cycle"]
	for i, s := range ring.Spans {
		if s.ParentID != ring.Spans[(i+len(ring.Spans)-1)%len(ring.Spans)].SpanID {
			t.Fatalf("deep-cycle span %d breaks the ring", i)
		}
	}

	huge := byName["huge-values"]
	longest := 0
	for s := range hostile.Strings(huge) {
		longest = max(longest, len(s))
	}
	if longest < 1<<20 {
		t.Errorf("huge-values' longest string is %d bytes", longest)
	}

	// Every payload appears in the escapes case's service, operation, a tag
	// key, a tag value and a log field.
	esc := byName["escapes"]
	for _, p := range hostile.Payloads() {
		var svc, op, key, val, log bool
		for _, s := range esc.Spans {
			svc = svc || strings.Contains(s.Service, p.Text)
			op = op || strings.Contains(s.Operation, p.Text)
			for _, kv := range s.Tags {
				key = key || strings.Contains(kv.Key, p.Text)
				val = val || strings.Contains(kv.Str, p.Text)
			}
			for _, l := range s.Logs {
				for _, kv := range l.Fields {
					log = log || strings.Contains(kv.Str, p.Text)
				}
			}
		}
		if !svc || !op || !key || !val || !log {
			t.Errorf("payload %s missing: service %v operation %v key %v value %v log %v", p.Name, svc, op, key, val, log)
		}
	}

	// The payloads really are hostile: each one fails Check raw.
	for _, p := range hostile.Payloads() {
		if strings.HasPrefix(p.Name, "cjk") || p.Name == "combining" || p.Name == "zwj-emoji" || p.Name == "zero-width" {
			continue // width tests, not control data
		}
		if hostile.Check(p.Text, false) == nil {
			t.Errorf("payload %s passes Check raw; it tests nothing", p.Name)
		}
	}
}

func TestCleanMakesEveryCorpusStringSafe(t *testing.T) {
	for _, c := range cases(t) {
		t.Run(c.Name, func(t *testing.T) {
			n := 0
			seen := map[string]bool{}
			for s := range hostile.Strings(c.Trace) {
				if seen[s] {
					continue
				}
				seen[s] = true
				n++
				if err := hostile.Check(textsafe.Clean(s), false); err != nil {
					t.Fatalf("Clean(%.60q): %v", s, err)
				}
				if strings.Contains(textsafe.Clean(s), "\n") {
					t.Fatalf("Clean(%.60q) has a newline", s)
				}
				for _, l := range textsafe.CleanLines(s) {
					if err := hostile.Check(l, false); err != nil || strings.Contains(l, "\n") {
						t.Fatalf("CleanLines(%.60q): %v", s, err)
					}
				}
				for _, w := range []int{1, 12, 80} {
					tr := textsafe.Truncate(s, w)
					if err := hostile.Check(tr, false); err != nil {
						t.Fatalf("Truncate(%.60q, %d): %v", s, w, err)
					}
					hostile.AssertWidth(t, tr, w)
				}
			}
			if n == 0 {
				t.Fatal("no strings")
			}
		})
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		plain    bool // passes Check(in, false)
		styled   bool // passes Check(in, true)
		badStart int  // byte offset reported, when it fails plain
	}{
		{"empty", "", true, true, 0},
		{"text and newlines", "a b\nc\n", true, true, 0},
		{"unicode", "日本語 e\u0301 👨\u200d👩 ⇥↵␍", true, true, 0},
		{"sgr", "\x1b[1;38;2;255;0:0mred\x1b[0m", false, true, 0},
		{"bare sgr reset", "\x1b[m", false, true, 0},
		{"csi clear", "\x1b[2J", false, false, 0},
		{"osc title", "\x1b]0;t\x07", false, false, 0},
		{"sgr then osc", "\x1b[31m\x1b]0;t\x07", false, false, 0},
		{"unterminated sgr", "\x1b[31", false, false, 0},
		{"esc alone", "x\x1b", false, false, 1},
		{"tab", "a\tb", false, false, 1},
		{"cr", "a\r\n", false, false, 1},
		{"bel", "\x07", false, false, 0},
		{"nul", "\x00", false, false, 0},
		{"del", "a\x7f", false, false, 1},
		{"c1 csi", "ab\u009b2J", false, false, 2},
		{"c1 nel", "\u0085", false, false, 0},
		{"raw 0x9b", "\x9b2J", false, false, 0},
		{"invalid utf8", "ok\xff", false, false, 2},
		{"rlo", "\u202e", false, false, 0},
		{"isolate", "\u2066", false, false, 0},
		{"alm", "\u061c", false, false, 0},
		{"line separator", "\u2028", false, false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := hostile.Check(tc.in, false)
			if (err == nil) != tc.plain {
				t.Fatalf("Check(%q, false) = %v, want ok=%v", tc.in, err, tc.plain)
			}
			if err != nil && !strings.Contains(err.Error(), fmt.Sprintf("at byte %d", tc.badStart)) {
				t.Errorf("Check(%q) = %v, want offset %d", tc.in, err, tc.badStart)
			}
			if err := hostile.Check(tc.in, true); (err == nil) != tc.styled {
				t.Fatalf("Check(%q, true) = %v, want ok=%v", tc.in, err, tc.styled)
			}
		})
	}
}

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Errorf(string, ...any) { r.failed = true }

func TestAssertHelpers(t *testing.T) {
	tests := []struct {
		name string
		fn   func(testing.TB)
		fail bool
	}{
		{"safe", func(tb testing.TB) { hostile.AssertSafe(tb, "ok\n") }, false},
		{"unsafe", func(tb testing.TB) { hostile.AssertSafe(tb, "\x1b[31mx") }, true},
		{"styled sgr", func(tb testing.TB) { hostile.AssertSafeStyled(tb, "\x1b[31mx\x1b[0m") }, false},
		{"styled osc", func(tb testing.TB) { hostile.AssertSafeStyled(tb, "\x1b]52;c;AA\x07") }, true},
		{"width ok", func(tb testing.TB) { hostile.AssertWidth(tb, "日本\n\x1b[31mabcd\x1b[0m", 4) }, false},
		{"width over", func(tb testing.TB) { hostile.AssertWidth(tb, "ab\n日本語", 4) }, true},
	}
	for _, tc := range tests {
		r := &recorder{TB: t}
		tc.fn(r)
		if r.failed != tc.fail {
			t.Errorf("%s: failed=%v, want %v", tc.name, r.failed, tc.fail)
		}
	}
}

type decoder struct {
	decode func(io.Reader) ([]*backend.Trace, error)
	// keepsCount: the format keeps every span (Zipkin merges spans that
	// share an ID, as fragments of one span).
	keepsCount bool
}

// decoderFor reads a document format with its own decoder, and JSON Lines
// and gzip with the file backend's, which is what reads them in tracetui.
func decoderFor(t *testing.T, f hostile.Format) decoder {
	t.Helper()
	keeps := f.Base != "zipkin"
	if f.Packing != hostile.Plain {
		return decoder{file.Decode, keeps}
	}
	switch f.Base {
	case "jaeger":
		return decoder{jaegerjson.Decode, keeps}
	case "zipkin":
		return decoder{zipkin.Decode, keeps}
	case "otlp":
		return decoder{otlp.Decode, keeps}
	}
	t.Fatalf("no decoder for format %q", f.Name)
	return decoder{}
}

func decodeSafely(d decoder, data []byte) (ts []*backend.Trace, panicked any, err error) {
	defer func() { panicked = recover() }()
	ts, err = d.decode(bytes.NewReader(data))
	return ts, nil, err
}

func formatsByName() map[string]hostile.Format {
	m := map[string]hostile.Format{}
	for _, f := range hostile.Formats() {
		m[f.Name] = f
	}
	return m
}

// TestFormatsAreWhatTheyClaim: a JSON Lines file is several lines, each a
// whole document of its base format that parses alone, together holding
// every span; a gzip file decompresses to exactly the plain file.
func TestFormatsAreWhatTheyClaim(t *testing.T) {
	formats := formatsByName()
	var packings []hostile.Packing
	for _, f := range formats {
		if !slices.Contains(packings, f.Packing) {
			packings = append(packings, f.Packing)
		}
	}
	if len(packings) != 3 {
		t.Fatalf("packings %q, want plain, lines and gzip", packings)
	}
	cs := committed()
	files, err := hostile.WriteCorpus(t.TempDir(), cs)
	if err != nil {
		t.Fatal(err)
	}
	spans := map[string]int{}
	for _, c := range cs {
		spans[c.Name] = len(c.Trace.Spans)
	}
	plain := map[[2]string][]byte{}
	for _, f := range files {
		if formats[f.Format].Packing == hostile.Plain {
			data, err := os.ReadFile(f.Path)
			if err != nil {
				t.Fatal(err)
			}
			plain[[2]string{f.Case, f.Format}] = data
		}
	}
	checked := map[hostile.Packing]int{}
	for _, f := range files {
		format := formats[f.Format]
		data, err := os.ReadFile(f.Path)
		if err != nil {
			t.Fatal(err)
		}
		base := decoderFor(t, hostile.Format{Name: format.Base, Base: format.Base})
		switch format.Packing {
		case hostile.Lines:
			docs := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
			if len(docs) > 3 || spans[f.Case] > 1 && len(docs) < 2 {
				t.Errorf("%s: %d lines for %d spans", f.Path, len(docs), spans[f.Case])
			}
			got := 0
			for i, doc := range docs {
				ts, p, err := decodeSafely(base, []byte(doc))
				if p != nil || err != nil {
					t.Fatalf("%s line %d alone: %v %v", f.Path, i+1, err, p)
				}
				for _, tr := range ts {
					got += len(tr.Spans)
				}
			}
			if base.keepsCount && got != spans[f.Case] {
				t.Errorf("%s: lines hold %d spans, want %d", f.Path, got, spans[f.Case])
			}
		case hostile.Gzip:
			zr, err := gzip.NewReader(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("%s: %v", f.Path, err)
			}
			got, err := io.ReadAll(zr)
			if err != nil {
				t.Fatalf("%s: %v", f.Path, err)
			}
			if want := plain[[2]string{f.Case, format.Base}]; want == nil || !bytes.Equal(got, want) {
				t.Errorf("%s does not decompress to the %s file", f.Path, format.Base)
			}
		}
		checked[format.Packing]++
	}
	if checked[hostile.Lines] == 0 || checked[hostile.Gzip] == 0 {
		t.Fatalf("checked %v", checked)
	}
}

// TestCorpusRoundTrip writes every case in every format and reads it back:
// no panic, no error, spans kept, and every decoded string cleans to safe
// text. Cut-off copies of the small files must fail cleanly, not panic.
func TestCorpusRoundTrip(t *testing.T) {
	files := hostile.Corpus(t, true)
	formats := formatsByName()
	if len(files) != len(cases(t))*len(formats) {
		t.Fatalf("%d files for %d cases", len(files), len(cases(t)))
	}
	want := map[string]int{}
	big := map[string]bool{}
	for _, c := range cases(t) {
		want[c.Name] = len(c.Trace.Spans)
		big[c.Name] = c.Big
	}
	for _, f := range files {
		format := formats[f.Format]
		d := decoderFor(t, format)
		t.Run(f.Case+"."+f.Format, func(t *testing.T) {
			data, err := os.ReadFile(f.Path)
			if err != nil {
				t.Fatal(err)
			}
			ts, p, err := decodeSafely(d, data)
			if p != nil {
				t.Fatalf("%s decoder panicked: %v", f.Format, p)
			}
			if err != nil {
				t.Fatalf("%s decoder: %v", f.Format, err)
			}
			got := 0
			for _, tr := range ts {
				got += len(tr.Spans)
				for s := range hostile.Strings(tr) {
					if err := hostile.Check(textsafe.Clean(s), false); err != nil {
						t.Fatalf("decoded string %.60q: %v", s, err)
					}
				}
			}
			if d.keepsCount && got != want[f.Case] {
				t.Errorf("%d spans decoded, %d written", got, want[f.Case])
			}
			if want[f.Case] > 0 && got == 0 {
				t.Errorf("no spans decoded, %d written", want[f.Case])
			}
			if big[f.Case] || len(data) > 4<<20 {
				return
			}
			for _, cut := range cuts(len(data)) {
				_, p, err := decodeSafely(d, data[:cut])
				if p != nil {
					t.Fatalf("%s decoder panicked on the first %d bytes: %v", f.Format, cut, p)
				}
				if err == nil && !wholeDocuments(format.Packing, data, cut) {
					t.Errorf("%s decoder accepted the first %d of %d bytes", f.Format, cut, len(data))
				}
			}
		})
	}
}

// wholeDocuments tells whether the first cut bytes of data are still a
// valid file: only trailing white space was cut, or, in JSON Lines, the cut
// fell at the end of a line. Any cut of a gzip stream loses its checksum.
func wholeDocuments(p hostile.Packing, data []byte, cut int) bool {
	switch p {
	case hostile.Gzip:
		return false
	case hostile.Lines:
		k := len(bytes.TrimRight(data[:cut], " \t\r\n"))
		return k > 0 && data[k] == '\n'
	}
	return cut >= len(bytes.TrimSpace(data))
}

func cuts(n int) []int {
	var cs []int
	for _, c := range []int{0, 1, 2, 10, n / 3, n / 2, n - 2, n - 1} {
		if c >= 0 && c < n {
			cs = append(cs, c)
		}
	}
	return cs
}
