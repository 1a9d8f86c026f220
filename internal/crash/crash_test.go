package crash

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// TestWriteSanitizes: a panic value carrying escape sequences and line
// breaks reaches neither stderr nor the report raw.
func TestWriteSanitizes(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	e := Write(errors.New("bad span \x1b]8;;http://evil\x07click\x1b]8;;\x07\nsecond line\u202e"), []byte("goroutine 1 [running]:\n"), "dev")
	if e.Report == "" {
		t.Fatal("no report written")
	}
	for _, s := range []string{e.Error(), e.Summary} {
		if strings.ContainsAny(s, "\x1b\x07\n\u202e") {
			t.Errorf("%q holds a control", s)
		}
	}
	if !strings.Contains(e.Summary, "bad span click") {
		t.Errorf("summary %q lost the text", e.Summary)
	}
	data, err := os.ReadFile(e.Report)
	if err != nil {
		t.Fatal(err)
	}
	head, stack, _ := strings.Cut(string(data), "\n\n")
	if strings.ContainsAny(head, "\x1b\x07\u202e") || !strings.Contains(head, "panic: bad span click") {
		t.Errorf("report head %q", head)
	}
	if !strings.Contains(stack, "goroutine 1") {
		t.Errorf("report lost the stack: %q", stack)
	}
}

// TestRelayedPanic: a panic caught in a worker goroutine is raised again
// in the waiting goroutine, and the report carries the worker's stack.
func TestRelayedPanic(t *testing.T) {
	var c Catcher
	cancelled := false
	c.OnPanic = func() { cancelled = true }
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer c.Catch()
		workerThatPanics()
	}()
	<-done
	if !c.Caught() || !cancelled {
		t.Fatalf("caught %v, OnPanic ran %v", c.Caught(), cancelled)
	}
	defer func() {
		v := recover()
		r, ok := v.(*Relayed)
		if !ok || r.Value != "boom" || !strings.Contains(string(r.Stack), "workerThatPanics") {
			t.Fatalf("rethrown %#v", v)
		}
		e := Write(v, []byte("the waiting goroutine's stack"), "")
		if e.Summary != "boom" {
			t.Errorf("summary %q, want the worker's value", e.Summary)
		}
		if e.Report != "" {
			defer os.Remove(e.Report)
			b, err := os.ReadFile(e.Report)
			if err != nil || !strings.Contains(string(b), "workerThatPanics") {
				t.Errorf("the report lacks the worker's stack: %v", err)
			}
		}
	}()
	c.Rethrow()
	t.Fatal("Rethrow did not panic")
}

func workerThatPanics() { panic("boom") }
