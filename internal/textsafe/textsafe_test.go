package textsafe

import (
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"

	"github.com/charmbracelet/x/ansi"
)

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// Clean text passes through.
		{"empty", "", ""},
		{"ascii", "GET /api/orders?id=42", "GET /api/orders?id=42"},
		{"utf8", "grüße 日本語 🚀", "grüße 日本語 🚀"},
		{"replacement char kept", "a\uFFFDb", "a\uFFFDb"},
		{"combining kept", "e\u0301", "e\u0301"},
		{"zwj kept", "👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧"},

		// Visible whitespace.
		{"tab", "a\tb", "a" + TabMarker + "b"},
		{"newline", "a\nb", "a" + NewlineMarker + "b"},
		{"crlf is one newline", "a\r\nb", "a" + NewlineMarker + "b"},
		{"lone cr", "a\rb", "a" + CRMarker + "b"},
		{"cr at end", "a\r", "a" + CRMarker},
		{"line separator", "a\u2028b\u2029c", "a" + NewlineMarker + "b" + NewlineMarker + "c"},

		// CSI, 7-bit.
		{"csi clear screen", "a\x1b[2Jb", "ab"},
		{"csi sgr", "\x1b[1;31mred\x1b[0m", "red"},
		{"csi private", "x\x1b[?1049hy", "xy"},
		{"csi with intermediate", "x\x1b[0 qy", "xy"},
		{"csi unterminated at end", "abc\x1b[12;3", "abc"},
		{"csi bare at end", "abc\x1b[", "abc"},
		{"csi aborted by non-ascii", "a\x1b[12é", "aé"},
		{"csi aborted by CAN", "a\x1b[12\x18b", "ab"},
		{"csi aborted by esc starts new", "a\x1b[12\x1b]0;t\x07b", "ab"},
		{"csi ignores DEL and C0 inside", "a\x1b[1\x7f\x012Jb", "ab"},
		{"decrqss via csi DA", "a\x1b[cb\x1b[>0c", "ab"},
		{"csi device status report", "\x1b[6n", ""},

		// OSC, 7-bit.
		{"osc title bel", "a\x1b]0;pwned\x07b", "ab"},
		{"osc title st", "a\x1b]2;pwned\x1b\\b", "ab"},
		{"osc 52 clipboard", "x\x1b]52;c;cm0gLXJmIH4K\x07y", "xy"},
		{"osc 8 hyperlink", "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"osc unterminated", "safe\x1b]0;title without end\nmore", "safe"},
		{"osc ended by esc non-st", "a\x1b]0;t\x1b[2Jb", "ab"},
		{"osc ended by CAN", "a\x1b]0;t\x18b", "ab"},
		{"osc ended by SUB", "a\x1b]0;t\x1ab", "ab"},
		{"osc ended by 8-bit ST", "a\x1b]0;t\u009cb", "ab"},
		{"osc body with newline and utf8", "a\x1b]0;日\nb\x07c", "ac"},
		{"osc body with invalid utf8", "a\x1b]0;\xff\xfe\x07c", "ac"},

		// DCS, APC, PM, SOS, 7-bit.
		{"dcs decrqss", "a\x1bP$qm\x1b\\b", "ab"},
		{"dcs sixel-ish", "a\x1bPq#0;2;0;0;0~-\x1b\\b", "ab"},
		{"apc", "a\x1b_Gf=100;AAAA\x1b\\b", "ab"},
		{"pm", "a\x1b^private\x1b\\b", "ab"},
		{"sos", "a\x1bXstart of string\x1b\\b", "ab"},
		{"dcs unterminated", "a\x1bP$q", "a"},
		{"apc bel terminated", "a\x1b_x\x07b", "ab"},

		// 8-bit C1 forms (as UTF-8 encoded runes).
		{"c1 csi", "a\u009b2Jb", "ab"},
		{"c1 csi sgr", "\u009b31mred", "red"},
		{"c1 csi unterminated", "a\u009b12", "a"},
		{"c1 osc bel", "a\u009d0;t\u0007b", "ab"},
		{"c1 osc c1 st", "a\u009d52;c;AAAA\u009cb", "ab"},
		{"c1 osc 7-bit st", "a\u009d0;t\x1b\\b", "ab"},
		{"c1 dcs", "a\u0090$qm\u009cb", "ab"},
		{"c1 apc", "a\u009fx\u009cb", "ab"},
		{"c1 pm", "a\u009ex\u009cb", "ab"},
		{"c1 sos", "a\u0098x\u009cb", "ab"},
		{"c1 string ended by other c1 csi", "a\u009dx\u009b2Jb", "ab"},
		{"c1 nel dropped", "a\u0085b", "ab"},
		{"c1 st alone dropped", "a\u009cb", "ab"},
		{"c1 ind dropped", "a\u0084b", "ab"},

		// Raw 8-bit bytes are not UTF-8: replaced, and what follows is text.
		{"raw 0x9b byte", "a\x9b2Jb", "a\uFFFD2Jb"},
		{"raw 0x9d byte", "a\x9d0;t\x07b", "a\uFFFD0;tb"},

		// Two-byte and intermediate ESC sequences.
		{"esc 7 save cursor", "a\x1b7b", "ab"},
		{"esc c reset", "a\x1bcb", "ab"},
		{"esc charset", "a\x1b(0b", "ab"},
		{"esc # 8 alignment", "a\x1b#8b", "ab"},
		{"esc lone st", "a\x1b\\b", "ab"},
		{"esc intermediates at end", "a\x1b(", "a"},
		{"esc at end", "abc\x1b", "abc"},
		{"esc esc", "a\x1b\x1b[2Jb", "ab"},
		{"esc then newline", "a\x1b\nb", "a" + NewlineMarker + "b"},
		{"esc then utf8", "a\x1bé", "aé"},

		// Nested and overlapping.
		{"nested osc in dcs", "a\x1bP\x1b]0;t\x07\x1b\\b", "ab"},
		{"sgr inside osc", "a\x1b]0;\x1b[31m\x07b", "ab"},
		{"removal does not splice a sequence", "\x1b\x1b[0m[2J", "[2J"},
		{"esc split by bidi", "\x1b\u202e[2J", "[2J"},

		// Other controls.
		{"bel", "a\x07b", "ab"},
		{"backspace", "a\bb", "ab"},
		{"nul", "a\x00b", "ab"},
		{"del", "a\x7fb", "ab"},
		{"form feed and vt", "a\f\vb", "ab"},

		// Bidi controls.
		{"rlo", "file\u202egnp.exe", "filegnp.exe"},
		{"all embeddings", "\u202a\u202b\u202c\u202d\u202ex", "x"},
		{"isolates", "\u2066\u2067\u2068\u2069x", "x"},
		{"marks", "a\u200eb\u200fc\u061cd", "abcd"},

		// Invalid UTF-8.
		{"lone continuation", "a\x80b", "a\uFFFDb"},
		{"run collapses", "a\xff\xfe\xfdb", "a\uFFFDb"},
		{"truncated multibyte", "a\xe6\x97", "a\uFFFD"},
		{"surrogate half", "a\xed\xa0\x80b", "a\uFFFDb"},
		{"overlong nul", "a\xc0\x80b", "a\uFFFDb"},
		{"invalid then valid", "\xffé", "\uFFFDé"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Clean(tc.in)
			if got != tc.want {
				t.Fatalf("Clean(%q) = %q, want %q", tc.in, got, tc.want)
			}
			checkSafe(t, got, false)
			if again := Clean(got); again != got {
				t.Fatalf("not idempotent: Clean(%q) = %q", got, again)
			}
		})
	}
}

func TestCleanFastPathDoesNotAllocate(t *testing.T) {
	for _, s := range []string{"plain ascii text", "grüße 日本語 🚀 e\u0301"} {
		got := ""
		allocs := testing.AllocsPerRun(100, func() { got = Clean(s) })
		if allocs != 0 {
			t.Errorf("Clean(%q) allocates %v times", s, allocs)
		}
		if got != s {
			t.Errorf("Clean(%q) = %q", s, got)
		}
		// Same backing array: the input is returned, not a copy.
		if unsafe.StringData(got) != unsafe.StringData(s) {
			t.Errorf("Clean(%q) copied a clean string", s)
		}
	}
}

func TestCleanLines(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", []string{""}},
		{"one line", "abc", []string{"abc"}},
		{"lf", "a\nb", []string{"a", "b"}},
		{"crlf", "a\r\nb", []string{"a", "b"}},
		{"trailing newline", "a\n", []string{"a", ""}},
		{"blank lines kept", "a\n\nb", []string{"a", "", "b"}},
		{"lone cr visible", "a\rb", []string{"a" + CRMarker + "b"}},
		{"line separator", "a\u2028b", []string{"a", "b"}},
		{"tab visible", "a\tb\nc", []string{"a" + TabMarker + "b", "c"}},
		{"escapes removed per line", "\x1b[31mred\x1b[0m\n\x1b]0;t\x07ok", []string{"red", "ok"}},
		{"osc spanning newline eats it", "a\x1b]0;x\ny\x07b\nc", []string{"ab", "c"}},
		{"bidi and invalid", "\u202eab\xff\ncd", []string{"ab\uFFFD", "cd"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := CleanLines(tc.in)
			if strings.Join(got, "\x00") != strings.Join(tc.want, "\x00") || len(got) != len(tc.want) {
				t.Fatalf("CleanLines(%q) = %q, want %q", tc.in, got, tc.want)
			}
			for _, l := range got {
				checkSafe(t, l, false)
			}
		})
	}
}

func TestWidth(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int
	}{
		{"ascii", "abc", 3},
		{"cjk is wide", "日本語", 6},
		{"combining is zero", "e\u0301", 1},
		{"several combining", "a\u0301\u0302\u0303b", 2},
		{"zwj family is one glyph", "👨\u200d👩\u200d👧", 2},
		{"markers are one cell", TabMarker + NewlineMarker + CRMarker, 3},
		{"replacement is one cell", "\uFFFD", 1},
		{"escapes do not count", "\x1b[31mab\x1b]0;title\x07", 2},
		{"controls do not count", "a\rb\x08", 3}, // a ␍ b
		{"bidi does not count", "\u202eab", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ansi.StringWidth(Clean(tc.in)); got != tc.want {
				t.Fatalf("width of Clean(%q) = %d, want %d", tc.in, got, tc.want)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		width int
		want  string
	}{
		{"fits", "abc", 5, "abc"},
		{"exact", "abcde", 5, "abcde"},
		{"cut", "abcdef", 5, "abcd…"},
		{"cjk cut on cell boundary", "日本語テキスト", 5, "日本…"},
		{"cjk cut mid glyph", "日本語テキスト", 4, "日…"},
		{"combining stays with base", "e\u0301e\u0301e\u0301e\u0301", 3, "e\u0301e\u0301…"},
		{"escapes removed before measuring", "\x1b]0;a very long title\x07abc", 3, "abc"},
		{"tab marker counts one", "a\tb", 3, "a" + TabMarker + "b"},
		{"zero width", "abc", 0, ""},
		{"negative width", "abc", -3, ""},
		{"width one", "abc", 1, "…"},
		{"empty", "", 3, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Truncate(tc.in, tc.width)
			if got != tc.want {
				t.Fatalf("Truncate(%q, %d) = %q, want %q", tc.in, tc.width, got, tc.want)
			}
			if w := ansi.StringWidth(got); w > max(tc.width, 0) {
				t.Fatalf("Truncate(%q, %d) is %d cells wide", tc.in, tc.width, w)
			}
			checkSafe(t, got, false)
		})
	}
}

// TestTruncatePrefixBoundaries cuts probes at every byte of strings whose
// cleaned form changes when cut early: multibyte runes, CR LF, escapes,
// combining marks and ZWJ emoji that join across the cut.
func TestTruncatePrefixBoundaries(t *testing.T) {
	inputs := []string{
		strings.Repeat("日本語テキスト", 6),
		strings.Repeat("a\r\n", 30),
		strings.Repeat("e\u0301\u0302\u0303", 30),
		strings.Repeat("👨\u200d👩\u200d👧\u200d👦", 15),
		strings.Repeat("🇯🇵🇺🇸", 15),
		strings.Repeat("ab\x1b]0;title\x07cd\x1b[31m", 10),
		strings.Repeat("x\xe6\x97\xa5\xff", 20),
		"abc\x1b]0;" + strings.Repeat("never terminated ", 20),
	}
	for _, s := range inputs {
		for _, w := range []int{1, 2, 3, 7, 10, 25} {
			want := ansi.Truncate(Clean(s), w, Ellipsis)
			for probe := 1; probe <= len(s); probe++ {
				if got := truncate(s, w, probe); got != want {
					t.Fatalf("truncate(%q, %d, probe %d) = %q, want %q", s, w, probe, got, want)
				}
			}
			if got := Truncate(s, w); got != want {
				t.Fatalf("Truncate(%q, %d) = %q, want %q", s, w, got, want)
			}
		}
	}
}

func TestTruncateHugeValueReadsAPrefix(t *testing.T) {
	// Not a timing check: Clean of the whole value would allocate a megabyte.
	s := strings.Repeat("abcdefghi\t", 100_000)
	var got string
	allocs := testing.AllocsPerRun(5, func() { got = Truncate(s, 10) })
	if got != "abcdefghi…" {
		t.Fatalf("Truncate = %q", got)
	}
	if allocs > 20 {
		t.Fatalf("Truncate allocates %v times", allocs)
	}
}

func TestFit(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  string
	}{
		{"ab", 4, "ab  "},
		{"abcdef", 4, "abc…"},
		{"日本語", 5, "日本…"},
		{"日本語", 6, "日本語"},
		{"日本語", 4, "日… "},
		{"\x1b[2Jx", 2, "x "},
		{"x", 0, ""},
	}
	for _, tc := range tests {
		got := Fit(tc.in, tc.width)
		if got != tc.want {
			t.Errorf("Fit(%q, %d) = %q, want %q", tc.in, tc.width, got, tc.want)
		}
		if w := ansi.StringWidth(got); w != max(tc.width, 0) {
			t.Errorf("Fit(%q, %d) is %d cells wide", tc.in, tc.width, w)
		}
	}
}

func TestIsClean(t *testing.T) {
	for _, s := range []string{"", "abc", "日本", "\uFFFD", TabMarker} {
		if !IsClean(s) {
			t.Errorf("IsClean(%q) = false", s)
		}
	}
	for _, s := range []string{"\x1b", "a\n", "\t", "\u009b", "\u202e", "\xff", "\x7f", "\u2028"} {
		if IsClean(s) {
			t.Errorf("IsClean(%q) = true", s)
		}
	}
}

// checkSafe fails unless s is valid UTF-8 without any control, DEL, C1 or
// bidi control (newline allowed only when lines is set).
func checkSafe(t *testing.T, s string, lines bool) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("output %q is not valid UTF-8", s)
	}
	for _, r := range s {
		if r == '\n' && lines {
			continue
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || isBidi(r) || r == 0x2028 || r == 0x2029 {
			t.Fatalf("output %q contains %U", s, r)
		}
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{
		"", "plain", "a\x1b[2Jb", "\x1b]52;c;AAAA\x07", "\x1bP$qm\x1b\\", "\u009b31m", "\u009d0;t\u009c",
		"\xff\xfe", "\u202eabc", "日本語\te\u0301\r\n", "\x1b", "\x1b[", "\x1b]", "\x1b\x1b\x1b", "\r", "\u0085\u2028",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Clean(s)
		checkSafe(t, got, false)
		if !IsClean(got) {
			t.Fatalf("IsClean(Clean(%q)) = false", s)
		}
		if again := Clean(got); again != got {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, got, again)
		}
		if IsClean(s) && got != s {
			t.Fatalf("clean input %q changed to %q", s, got)
		}
		lines := CleanLines(s)
		if len(lines) == 0 {
			t.Fatalf("CleanLines(%q) returned no lines", s)
		}
		for _, l := range lines {
			checkSafe(t, l, false)
		}
		for _, w := range []int{0, 1, 2, 5, 40} {
			tr := Truncate(s, w)
			whole := ""
			if w > 0 {
				whole = ansi.Truncate(got, w, Ellipsis)
			}
			for _, probe := range []int{1, 3, 7} {
				if p := truncate(s, w, probe); p != whole {
					t.Fatalf("truncate(%q, %d, probe %d) = %q, truncating the whole gives %q", s, w, probe, p, whole)
				}
			}
			if tr != whole {
				t.Fatalf("Truncate(%q, %d) = %q, truncating the whole gives %q", s, w, tr, whole)
			}
			checkSafe(t, tr, false)
			if ansi.StringWidth(tr) > w {
				t.Fatalf("Truncate(%q, %d) = %q is wider", s, w, tr)
			}
		}
	})
}

func BenchmarkClean(b *testing.B) {
	cases := []struct{ name, s string }{
		{"ascii", "GET /api/v1/orders/{id} HTTP/1.1 status=200"},
		{"utf8", "grüße aus 日本語テキスト e\u0301 🚀 done"},
		{"dirty", "\x1b[31mERROR\x1b[0m\tcould not\r\nconnect \x1b]0;t\x07to db\u202e"},
		{"long-clean", strings.Repeat("abcdefghij", 100)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.s)))
			for b.Loop() {
				_ = Clean(c.s)
			}
		})
	}
}

func BenchmarkTruncate(b *testing.B) {
	cases := []struct{ name, s string }{
		{"short", "grüße aus 日本語テキスト e\u0301 🚀 and a rather long operation name"},
		{"ascii", "frontend-gateway HTTP GET /api/v1/orders/{orderId}/items"},
		{"1MB", strings.Repeat("abcdefghi\t", 100_000)},
		{"1MB-ascii", strings.Repeat("abcdefghij", 100_000)},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = Truncate(c.s, 40)
			}
		})
	}
}
