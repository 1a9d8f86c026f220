package textsafe

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestWrapWords(t *testing.T) {
	got := WrapWords("keys: correlation_id, x-request-id abcdefghijkl", 16)
	want := []string{"keys:", "correlation_id,", "x-request-id", "abcdefghijkl"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q", got)
	}
	if got := WrapWords("abcdefghij", 4); strings.Join(got, "|") != "abcd|efgh|ij" {
		t.Errorf("long word: %q", got)
	}
}

func TestWrapWordsFitsWide(t *testing.T) {
	for _, l := range WrapWords("日本語のテキスト 幅 two-cell words", 5) {
		if w := ansi.StringWidth(l); w > 5 {
			t.Errorf("%q is %d cells wide", l, w)
		}
	}
}
