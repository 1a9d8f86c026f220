package shell

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/backend"
)

func TestRequests(t *testing.T) {
	seq := &Seq{}
	a, b := NewRequests(seq), NewRequests(seq)
	id1, ctx1 := a.Start(context.Background(), "one")
	id2, ctx2 := b.Start(context.Background(), "two")
	if id1 == id2 {
		t.Fatal("two screens got the same request ID")
	}
	if busy, label := a.Busy(); !busy || label != "one" {
		t.Errorf("Busy = %v %q", busy, label)
	}
	if b.Finish(id1) {
		t.Error("a screen accepted another screen's result")
	}
	if !a.Finish(id1) {
		t.Error("live request reported stale")
	}
	if a.Finish(id1) {
		t.Error("a result was accepted twice")
	}
	if !errors.Is(ctx1.Err(), context.Canceled) {
		t.Error("finishing a request should release its context")
	}
	b.CancelAll()
	if ctx2.Err() == nil {
		t.Error("CancelAll left a request running")
	}
	if b.Finish(id2) {
		t.Error("a cancelled request's result must be stale")
	}
	if busy, _ := b.Busy(); busy {
		t.Error("busy after CancelAll")
	}
}

func TestBusyNewestLabel(t *testing.T) {
	r := NewRequests(nil)
	r.Start(context.Background(), "old")
	r.Start(context.Background(), "new")
	if _, label := r.Busy(); label != "new" {
		t.Errorf("label = %q, want the newest", label)
	}
}

func TestBlock(t *testing.T) {
	out := Block([]string{"short", strings.Repeat("x", 30), "日本語テキスト"}, 10, 4)
	lines := Lines(out)
	if len(lines) != 4 {
		t.Fatalf("%d lines", len(lines))
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w != 10 {
			t.Errorf("line %d %q has width %d", i, l, w)
		}
	}
	if !strings.HasSuffix(lines[1], "…") {
		t.Errorf("long line not cut with an ellipsis: %q", lines[1])
	}
}

func TestDescribeErrorPutsTheReasonFirst(t *testing.T) {
	e := &backend.Error{Kind: backend.TLSError, Op: "search", URL: "https://jaeger.example/api/v3/traces",
		Err: errors.New("x509: certificate signed by unknown authority\n\x1b[2J")}
	got := DescribeError(e)
	want := "search: TLS error: x509: certificate signed by unknown authority"
	if !strings.HasPrefix(got, want) || !strings.HasSuffix(got, " · https://jaeger.example/api/v3/traces") {
		t.Errorf("got %q", got)
	}
	if strings.ContainsAny(got, "\n\x1b") {
		t.Errorf("not one clean line: %q", got)
	}
	d := DescribeError(&backend.Error{Kind: backend.DecodeError, Op: "get trace", Offset: 4096, Err: io.ErrUnexpectedEOF})
	if d != "get trace: decode error at byte 4096: unexpected EOF" {
		t.Errorf("decode: %q", d)
	}
	if DescribeError(errors.New("plain\nerror")) != "plain error" || DescribeError(nil) != "" {
		t.Error("plain errors")
	}
}

// Wrap keeps every word of a long line, each line within the width, and
// breaks a word longer than the width (a URL) instead of overflowing.
func TestWrap(t *testing.T) {
	line := "trace 00000000deadbeef: not found (wrong ID, or past the backend's retention?) http://localhost:16686/api/v3/traces/00000000deadbeef"
	for _, w := range []int{1, 7, 20, 33, 80, 200} {
		lines := Wrap(line, w)
		for _, l := range lines {
			if ansi.StringWidth(l) > w {
				t.Errorf("width %d: line %q is wider", w, l)
			}
		}
		if got := strings.Join(lines, ""); strings.ReplaceAll(got, " ", "") != strings.ReplaceAll(line, " ", "") {
			t.Errorf("width %d: wrapping lost text: %q", w, lines)
		}
		if w == 200 && len(lines) != 1 {
			t.Errorf("width %d: %d lines for one that fits", w, len(lines))
		}
	}
	if Wrap("x", 0) != nil {
		t.Error("width 0 should give no lines")
	}
}
