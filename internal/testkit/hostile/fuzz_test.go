package hostile_test

import (
	"strings"
	"testing"

	"github.com/tracetui/tracetui/backend"
)

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func FuzzParseTraceID(f *testing.F) {
	for _, s := range []string{
		"", "1", "abc", "ABCDEF0123456789", "0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef0",
		"AAAAAAAAAAE=", "AAAAAAAAAAAAAAAAAAAAAQ==", "AAAAAAAAAAE", "-_-_-_-_-_8", " 42 ", "\x1b[2J", "zz", "日本",
		"span-2_1", "0x10", "====",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tid, err := backend.ParseTraceID(s)
		if err == nil {
			if len(tid) != 32 || !isLowerHex(string(tid)) || !tid.Valid() {
				t.Fatalf("ParseTraceID(%q) = %q", s, tid)
			}
			if again, err := backend.ParseTraceID(string(tid)); err != nil || again != tid {
				t.Fatalf("ParseTraceID(%q) = %q, %v; not stable", tid, again, err)
			}
			if short := tid.Short(); !strings.HasSuffix(string(tid), short) || (len(short) != 16 && len(short) != 32) {
				t.Fatalf("%q.Short() = %q", tid, short)
			}
		} else if tid != "" {
			t.Fatalf("ParseTraceID(%q) = %q with error %v", s, tid, err)
		}
		if hexIn := strings.TrimSpace(s); len(hexIn) >= 1 && len(hexIn) <= 32 && isLowerHex(strings.ToLower(hexIn)) {
			want := strings.Repeat("0", 32-len(hexIn)) + strings.ToLower(hexIn)
			if err != nil || string(tid) != want {
				t.Fatalf("ParseTraceID(%q) = %q, %v; want %q", s, tid, err, want)
			}
		}
		if w := backend.TraceIDFromWire(s); err == nil && w != tid || err != nil && string(w) != s {
			t.Fatalf("TraceIDFromWire(%q) = %q", s, w)
		}

		sid, err := backend.ParseSpanID(s)
		if err == nil {
			if len(sid) != 16 || !isLowerHex(string(sid)) {
				t.Fatalf("ParseSpanID(%q) = %q", s, sid)
			}
			if again, err := backend.ParseSpanID(string(sid)); err != nil || again != sid {
				t.Fatalf("ParseSpanID(%q) = %q, %v; not stable", sid, again, err)
			}
		} else if sid != "" {
			t.Fatalf("ParseSpanID(%q) = %q with error %v", s, sid, err)
		}
		if w := backend.SpanIDFromWire(s); s != "" && (err == nil && w != sid || err != nil && string(w) != s) {
			t.Fatalf("SpanIDFromWire(%q) = %q", s, w)
		}
		_ = backend.LooksLikeTraceID(s)
	})
}
