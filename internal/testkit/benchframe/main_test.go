package main

import (
	"os"
	"testing"
)

func TestScreens(t *testing.T) {
	const id = "00000000000000000000000000000abc"
	loading := "Loading trace abc\n▒▒▒▒ 12.0 MiB\n"
	first := "Trace 00000000000000000000000000000abc  api: GET /\n" +
		"   service operation       0    1s\n" +
		">  ▾ api GET /             ▒▒▒▒▒▒▒▒   1s\n"
	done := "Trace 00000000000000000000000000000abc  api: GET /\n" +
		">  ▾ api GET /             █▒▒▒▒▒▒█   1s\n"
	other := "Trace 00000000000000000000000000000def  api: GET /\n>  ▾ api GET /  ▒▒▒\n"
	cases := []struct {
		name        string
		screen      string
		frame, done bool
	}{
		{"loading", loading, false, false},
		{"first frame", first, true, false},
		{"analysed", done, true, true},
		{"another trace", other, false, false},
		{"no bar", "Trace " + id + "\n> api GET /\n", false, false},
	}
	for _, c := range cases {
		if got := firstFrame(c.screen, id, "api"); got != c.frame {
			t.Errorf("%s: firstFrame = %v", c.name, got)
		}
		if got := c.frame && analysed(c.screen, "api"); got != c.done {
			t.Errorf("%s: analysed = %v", c.name, got)
		}
	}
}

func TestPeakRSS(t *testing.T) {
	kib, err := peakRSS(os.Getpid())
	if err != nil || kib <= 0 {
		t.Fatalf("peak RSS of this test: %d KiB, %v", kib, err)
	}
	if _, err := peakRSS(-1); err == nil {
		t.Error("no error for a process that does not exist")
	}
}
