package trace

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/internal/testkit/hostile"
	"github.com/tracetui/tracetui/keymap"
	"github.com/tracetui/tracetui/tui/internal/widget"
)

// Goldens hold views with styles stripped; one holds the coloured view.
// Regenerate with `go test ./tui/trace -run Golden -update`.
func TestGolden(t *testing.T) {
	screens := []struct {
		name string
		keys []string
	}{
		{"waterfall", []string{"j", "J"}},
		{"detail", []string{"j", "j", "d"}},
		{"critical", []string{"c"}},
		{"critical-by-span", []string{"c", "o"}},
		{"services", []string{"s"}},
		{"folded", []string{"j", "J", "h", "1", "+"}},
		{"search", []string{"/", "r", "e", "d", "i", "s", "enter"}},
		{"warnings", []string{"w"}},
		{"zoom", []string{"G", "p", "z"}},
		{"errors-only", []string{"x", "e"}},
	}
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		for _, sc := range screens {
			t.Run(sc.name+"_"+itoa(sz[0])+"x"+itoa(sz[1]), func(t *testing.T) {
				m, o := newModel(t, dispatchTrace(), sz[0], sz[1])
				m = press(t, m, o, sc.keys...)
				v := m.View()
				checkView(t, v, sz[0], sz[1])
				hostile.AssertSafeStyled(t, v)
				golden.RequireEqual(t, ansi.Strip(v))
			})
		}
	}
}

func TestGoldenColour(t *testing.T) {
	m, o := newModel(t, dispatchTrace(), 100, 16)
	m = press(t, m, o, "j", "J", "/", "r", "e", "d", "i", "s", "enter")
	v := m.View()
	checkView(t, v, 100, 16)
	hostile.AssertSafeStyled(t, v)
	golden.RequireEqual(t, v)
}

// TestLightBackground checks the light palette draws the same text.
func TestLightBackground(t *testing.T) {
	dark, _ := newModel(t, dispatchTrace(), 80, 24)
	light := New(Config{Keys: dark.s.keys, Dark: false, Now: dark.s.cfg.Now, Location: dark.s.cfg.Location}, dispatchTrace())
	light.SetSize(80, 24)
	light = run(t, light, light.Init(), &outcome{})
	if ansi.Strip(light.View()) != ansi.Strip(dark.View()) {
		t.Fatal("light and dark views differ in text")
	}
	if light.View() == dark.View() {
		t.Fatal("light and dark views have the same colours")
	}
}

// hostileKeys are key sequences that bring every pane and mode to screen.
var hostileKeys = [][]string{
	nil,
	{"G"},
	{"d"},
	{"j", "d", "tab", "G"},
	{"c"},
	{"s"},
	{"w"},
	{"e", "d"},
	{"/", "a", "enter"},
	{"z", "R", "1", "0", "m", "a"},
}

// TestHostileTraces renders every hostile case on every screen: no panic,
// every line within the width, exactly the height, and no escape sequence
// but our own styles.
func TestHostileTraces(t *testing.T) {
	cases := hostile.Small()
	if !testing.Short() {
		cases = hostile.Traces()
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			keys := hostileKeys
			if c.Big {
				keys = [][]string{nil, {"G", "d"}, {"c", "G"}, {"e"}}
			}
			for _, sz := range [][2]int{{80, 24}, {133, 41}} {
				for _, ks := range keys {
					m, o := newModel(t, c.Trace, sz[0], sz[1])
					m = press(t, m, o, ks...)
					v := m.View()
					checkView(t, v, sz[0], sz[1])
					hostile.AssertSafeStyled(t, v)
					for _, s := range o.status {
						hostile.AssertSafe(t, s.Text())
					}
					if t.Failed() {
						t.Fatalf("%s at %dx%d after %q:\n%s", c.About, sz[0], sz[1], ks, ansi.Strip(v))
					}
				}
			}
		})
	}
}

// TestHostileNamesStayText puts every payload in the names, tags and logs
// of one span and checks the view shows the ordinary text around them.
func TestHostileNamesStayText(t *testing.T) {
	for _, p := range hostile.Payloads() {
		t.Run(p.Name, func(t *testing.T) {
			tr := buildTrace("66", []spanSpec{
				{id: "1", service: "svc" + p.Text + "A", op: "op" + p.Text + "B", dur: 10,
					tags: []backend.KeyValue{backend.String("k"+p.Text, "v"+p.Text+"C")},
					logs: []backend.Log{{Time: t0, Fields: []backend.KeyValue{backend.String("event", p.Text)}}},
				},
			})
			m, o := newModel(t, tr, 120, 30)
			m = press(t, m, o, "d")
			v := m.View()
			checkView(t, v, 120, 30)
			hostile.AssertSafeStyled(t, v)
			plain := ansi.Strip(v)
			if !strings.Contains(plain, "svc") || !strings.Contains(plain, "op") {
				t.Fatalf("names lost:\n%s", plain)
			}
		})
	}
}

func TestNiceStep(t *testing.T) {
	for _, c := range []struct{ raw, want int64 }{
		{0, 1}, {1, 1}, {3, 5}, {7, 10}, {11, 20}, {150, 200}, {25_000_000, 50_000_000},
		{1<<63 - 1, 1<<63 - 1}, {6_000_000_000_000_000_000, 6_000_000_000_000_000_000},
	} {
		if got := widget.NiceStep(c.raw); got != c.want {
			t.Errorf("niceStep(%d) = %d, want %d", c.raw, got, c.want)
		}
	}
}

// TestSetStyles: a view restyled for the other background draws exactly what
// a view built for that background draws, keeping its pane, cursor and
// selection; and back again.
func TestSetStyles(t *testing.T) {
	tr := dispatchTrace()
	// More services than either palette has colours, so that hues beyond
	// the light palette's size are drawn.
	for k := range 12 {
		tr.Spans = append(tr.Spans, tr.Spans[len(tr.Spans)-1])
		sp := &tr.Spans[len(tr.Spans)-1]
		sp.SpanID = backend.SpanIDFromWire(itoa(100 + k))
		sp.Service = "svc-" + itoa(k)
		sp.Process = &backend.Process{Service: sp.Service}
	}
	keys := []string{"j", "j", "c", "j", "o", "/", "r", "e", "d", "i", "s", "enter"}
	build := func(dark bool, keys ...string) Model {
		m := New(Config{Keys: keymap.DefaultTrace(), Dark: dark, Now: func() time.Time { return now }, Location: time.UTC}, tr)
		m.SetSize(120, 40)
		o := &outcome{}
		m = run(t, m, m.Init(), o)
		return press(t, m, o, keys...)
	}
	dark := build(true, keys...)
	light := build(false, keys...)
	before := dark.View()
	if before == light.View() {
		t.Fatal("light and dark views are the same; the test shows nothing")
	}
	cursor, sel := dark.s.pane.win.Cursor, dark.Selected()
	dark.SetStyles(style.New(false))
	if got := dark.View(); got != light.View() {
		t.Fatalf("after SetStyles(light) the view differs from a light one:\n%q\n%q", got, light.View())
	}
	if dark.s.pane.win.Cursor != cursor || dark.Selected() != sel || dark.s.pane.kind != paneCritical {
		t.Fatal("SetStyles moved the pane cursor, the selection or closed the pane")
	}
	dark.SetStyles(style.New(true))
	if dark.View() != before {
		t.Fatal("SetStyles(dark) did not restore the dark view")
	}
	checkView(t, dark.View(), 120, 40)

	// Before the tree arrives (and with analysis still to come) too.
	m := New(Config{Keys: keymap.DefaultTrace(), Dark: true, Now: func() time.Time { return now }, Location: time.UTC}, tr)
	m.SetSize(120, 40)
	cmd := m.Init()
	m.SetStyles(style.New(false))
	m = run(t, m, cmd, &outcome{})
	if m.View() != build(false).View() {
		t.Fatal("SetStyles before the tree arrived: the view differs from a light one")
	}
	var zero Model
	zero.SetStyles(style.New(true)) // no panic on the zero Model
}

// The header's counts line gives way least important first (the relative
// time, then the depth, the date, the services…) and never drops the
// errors, the warnings or the skew-adjusted notice, however narrow; a
// shorter item later in the line never takes the place of a dropped one.
func TestHeaderDropsByPriority(t *testing.T) {
	m, o := newModel(t, skewFixture(t), 80, 24)
	m = press(t, m, o, "a")
	header := strings.Split(ansi.Strip(m.View()), "\n")[1]
	for _, want := range []string{"skew-adjusted", "warning", "(w)"} {
		if !strings.Contains(header, want) {
			t.Errorf("80 wide: header %q lacks %q", header, want)
		}
	}
	if strings.Contains(header, "depth") && !strings.Contains(header, "service") {
		t.Errorf("80 wide: header %q keeps the depth but not the services", header)
	}

	m, _ = newModel(t, dispatchTrace(), 120, 24)
	full := strings.Split(ansi.Strip(m.View()), "\n")[1]
	order := []string{" ago)", "depth ", "UTC", " services", " spans", "duration "}
	for _, k := range order {
		if !strings.Contains(full, k) {
			t.Fatalf("120 wide: header %q lacks %q", full, k)
		}
	}
	for w := 120; w >= 20; w-- {
		m.SetSize(w, 24)
		v := m.View()
		checkView(t, v, w, 24)
		h := strings.Split(ansi.Strip(v), "\n")[1]
		for _, must := range []string{"3 errors", "1 warning (w)"} {
			if w >= 40 && !strings.Contains(h, must) {
				t.Errorf("%d wide: header %q lacks %q", w, h, must)
			}
		}
		// While an item is there, every more important one is too.
		kept := ""
		for _, k := range order {
			has := strings.Contains(h, k)
			if kept != "" && !has {
				t.Errorf("%d wide: header %q drops %q but keeps the less important %q", w, h, k, kept)
			}
			if has && kept == "" {
				kept = k
			}
		}
	}
}
