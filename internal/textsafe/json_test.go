package textsafe

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"unicode/utf8"
)

func TestEscapeJSON(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"a":"plain"}`, `{"a":"plain"}`},
		{"{\n\t\"a\": \"日本\"\r\n}", "{\n\t\"a\": \"日本\"\r\n}"},
		{"\"a\u009b2J\"", `"a\u009b2J"`},
		{"\"\u009d0;t\u009c\"", `"\u009d0;t\u009c"`},
		{"\"\x7f\"", `"\u007f"`},
		{"\"\u202egnp\u2066\u2069\u200e\u200f\u061c\"", `"\u202egnp\u2066\u2069\u200e\u200f\u061c"`},
		{"\"\u2028\u2029\"", `"\u2028\u2029"`},
		{"\"\x1b\x00\"", `"\u001b\u0000"`},
		{"\"\xff\"", `"\ufffd"`},
	}
	for _, tc := range tests {
		got := string(EscapeJSON([]byte(tc.in)))
		if got != tc.want {
			t.Errorf("EscapeJSON(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestEscapeJSONCleanDoesNotCopy(t *testing.T) {
	in := []byte(`{"a":"日本 plain"}`)
	if out := EscapeJSON(in); &out[0] != &in[0] {
		t.Error("clean JSON was copied")
	}
}

func FuzzEscapeJSON(f *testing.F) {
	for _, s := range []string{"", "plain", "\u009b2J", "\x7f\u202e\u2028", "\x1b]0;t\x07", "\xff", "日本\t\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		enc, err := json.MarshalIndent(map[string]any{"k" + s: []string{s, s + s}}, "", "\t")
		if err != nil {
			t.Fatal(err)
		}
		out := EscapeJSON(enc)
		if !utf8.Valid(out) {
			t.Fatalf("invalid UTF-8: %q", out)
		}
		for _, r := range string(out) {
			if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || isC1(r) || isBidi(r) || isLineSep(r) {
				t.Fatalf("EscapeJSON left %U in %q", r, out)
			}
		}
		var a, b any
		if err := json.Unmarshal(enc, &a); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(out, &b); err != nil {
			t.Fatalf("EscapeJSON broke the JSON: %v\n%q", err, out)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("EscapeJSON changed the value: %q -> %q", enc, out)
		}
		if again := EscapeJSON(out); !bytes.Equal(again, out) {
			t.Fatalf("not idempotent: %q -> %q", out, again)
		}
	})
}
