package tagfuzz

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/go-logfmt/logfmt"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/testkit/hostile"
	"github.com/tracetui/tracetui/tui/search"
)

// FuzzLogfmtTags: ParseTags never panics, rejects multi-line input, returns
// only tags with a key and a value, and reads back what logfmt writes.
func FuzzLogfmtTags(f *testing.F) {
	seeds := []string{
		"", "error=true", "error=true http.status_code=500", `"http.url"="/a b"`, `k="v \"q\" \\ x"`,
		"k", "k=", `k=""`, "=v", "a=1 a=2", "k=v\nx=y", "k=\x1b[2J", `k="unterminated`, "k==v", "日本=語",
		"\xff=\xfe", "  spaced   =  out  ",
	}
	for _, p := range hostile.Payloads() {
		seeds = append(seeds, "k="+p.Text, p.Text+"=v", `k="`+p.Text+`"`)
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tags, err := search.ParseTags(s)
		if err != nil {
			if tags != nil {
				t.Fatalf("ParseTags(%q) = %v with error %v", s, tags, err)
			}
			return
		}
		if strings.ContainsAny(s, "\r\n") && len(tags) > 0 {
			t.Fatalf("ParseTags(%q) = %q across a line break", s, tags)
		}
		if strings.TrimSpace(s) == "" && len(tags) != 0 {
			t.Fatalf("ParseTags(%q) = %v for blank input", s, tags)
		}
		for _, tg := range tags {
			if tg.Key == "" || tg.Value == "" {
				t.Fatalf("ParseTags(%q) gave an empty key or value: %q", s, tags)
			}
		}
		// What logfmt writes for these tags parses back to them. Its
		// encoder replaces invalid UTF-8 and drops controls from keys, so
		// only printable text can round-trip.
		var buf bytes.Buffer
		enc := logfmt.NewEncoder(&buf)
		for _, tg := range tags {
			if !printable(tg.Key) || !printable(tg.Value) {
				return
			}
			if err := enc.EncodeKeyval(tg.Key, tg.Value); err != nil {
				return // a key logfmt cannot write (e.g. with a space); nothing to compare
			}
		}
		again, err := search.ParseTags(buf.String())
		if err != nil {
			t.Fatalf("ParseTags(%q) (re-encoded from %q): %v", buf.String(), s, err)
		}
		if !slices.Equal(again, tags) {
			t.Fatalf("round trip of %q: %q then %q", s, tags, again)
		}
	})
}

func printable(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl)
}

// TestParseTagsKnown pins the parser on inputs whose answer is known, so the
// fuzz target's properties are checked against something real.
func TestParseTagsKnown(t *testing.T) {
	got, err := search.ParseTags(`error=true http.status_code=500 http.url="/a b"`)
	want := []backend.Tag{{Key: "error", Value: "true"}, {Key: "http.status_code", Value: "500"}, {Key: "http.url", Value: "/a b"}}
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("got %q, %v; want %q", got, err, want)
	}
	for _, bad := range []string{"k", "k=", "a=1\nb=2", `k="open`, `"quoted"=key`} {
		if tags, err := search.ParseTags(bad); err == nil {
			t.Errorf("ParseTags(%q) = %q, want an error", bad, tags)
		}
	}
}
