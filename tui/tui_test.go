package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/testkit/fakebackend"
	"github.com/tracetui/tracetui/internal/testkit/keytest"
	"github.com/tracetui/tracetui/keymap"
	"github.com/tracetui/tracetui/tui/search"
)

var testNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func clock() time.Time { return testNow }

// driver runs a Model the way the program would, synchronously: commands
// run at once and their messages go back into Update. Spinner ticks are not
// fed back (they would re-arm timers), and nor are the terminal requests
// Bubble Tea handles itself.
type driver struct {
	t    *testing.T
	m    Model
	w, h int
	quit bool
	// out collects messages Bubble Tea would handle (clipboard, quit).
	out []tea.Msg
}

func newDriver(t *testing.T, opts Options, w, h int) *driver {
	t.Helper()
	if opts.Now == nil {
		opts.Now = clock
	}
	d := &driver{t: t, m: NewModel(opts), w: w, h: h}
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	d.run(d.m.Init())
	return d
}

func shop() *fakebackend.Backend {
	b := fakebackend.Shop(testNow)
	b.Label = "fake http://localhost:16686"
	return b
}

func (d *driver) send(msg tea.Msg) {
	d.t.Helper()
	model, cmd := d.m.Update(msg)
	d.m = model.(Model)
	d.run(cmd)
}

func (d *driver) run(cmd tea.Cmd) {
	d.t.Helper()
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 && !d.quit {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		switch msg := msg.(type) {
		case nil, spinner.TickMsg, loadTickMsg, loadPollMsg:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case tea.QuitMsg:
			d.quit = true
			d.out = append(d.out, msg)
		default:
			if isInternal(msg) {
				d.out = append(d.out, msg)
				continue
			}
			model, next := d.m.Update(msg)
			d.m = model.(Model)
			queue = append(queue, next)
		}
	}
}

// isInternal tells Bubble Tea's own requests (background colour, clipboard)
// from messages meant for the model.
func isInternal(msg tea.Msg) bool {
	t := reflect.TypeOf(msg)
	n := t.Name()
	return t.PkgPath() == "charm.land/bubbletea/v2" && n != "" && !unicode.IsUpper([]rune(n)[0])
}

func keyMsg(s string) tea.KeyPressMsg { return keytest.Press(s) }

func (d *driver) press(keys ...string) {
	d.t.Helper()
	for _, k := range keys {
		d.send(keyMsg(k))
	}
}

func (d *driver) typeText(s string) {
	d.t.Helper()
	for _, r := range s {
		d.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func (d *driver) screen() string { return d.m.top().name() }

func (d *driver) view() string {
	d.t.Helper()
	v := d.m.View()
	checkLayout(d.t, v.Content, d.w, d.h)
	return ansi.Strip(v.Content)
}

// checkLayout asserts the view fills the terminal exactly: h lines of w
// cells, with no control character outside the styles.
func checkLayout(t *testing.T, v string, w, h int) {
	t.Helper()
	lines := strings.Split(v, "\n")
	if len(lines) != h {
		t.Errorf("%dx%d: view has %d lines", w, h, len(lines))
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw != w {
			t.Errorf("%dx%d: line %d is %d wide: %q", w, h, i, lw, ansi.Strip(l))
		}
		for _, r := range ansi.Strip(l) {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
				t.Errorf("%dx%d: line %d holds control %U", w, h, i, r)
			}
		}
	}
}

func TestStackSearchListTraceAndBack(t *testing.T) {
	d := newDriver(t, Options{Backend: shop()}, 80, 24)
	if d.screen() != "search" {
		t.Fatalf("starts on %s", d.screen())
	}
	d.press("enter")
	if d.screen() != "trace list" {
		t.Fatalf("enter on the form opened %s", d.screen())
	}
	v := d.view()
	if !strings.Contains(v, "3 shown") || !strings.Contains(v, "gateway GET /checkout") {
		t.Errorf("list view:\n%s", v)
	}
	d.press("j", "enter") // the second newest: 4bf92f…
	if d.screen() != "trace view" {
		t.Fatalf("enter on the list opened %s", d.screen())
	}
	if v := d.view(); !strings.Contains(v, "4bf92f3577b34da6a3ce929d0e0e4736") {
		t.Errorf("trace view does not show the trace ID:\n%s", v)
	}
	d.press("esc")
	if d.screen() != "trace list" {
		t.Fatalf("esc from the trace went to %s", d.screen())
	}
	d.press("esc")
	if d.screen() != "search" {
		t.Fatalf("esc from the list went to %s", d.screen())
	}
	d.press("esc")
	if d.screen() != "search" || d.quit {
		t.Errorf("esc on the form must not leave it (screen %s, quit %v)", d.screen(), d.quit)
	}
}

func TestQuitRules(t *testing.T) {
	d := newDriver(t, Options{Backend: shop()}, 80, 24)
	d.press("q")
	if d.quit {
		t.Fatal("q quit while the service filter had the keyboard")
	}
	d.press("backspace", "enter")
	d.press("/")
	d.press("q")
	if d.quit {
		t.Fatal("q quit while the list filter had the keyboard")
	}
	d.press("esc", "q")
	if !d.quit {
		t.Error("q on the list did not quit")
	}

	d = newDriver(t, Options{Backend: shop()}, 80, 24)
	d.press("ctrl+c")
	if !d.quit {
		t.Error("ctrl+c while typing did not quit")
	}
}

func TestQuitCancelsRequests(t *testing.T) {
	b := shop()
	b.Block = make(chan struct{})
	// Init's services request is blocked; run its command by hand.
	m := NewModel(Options{Backend: b, Now: clock})
	cmd := m.Init()
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	for _, s := range m.stack {
		if busy, _ := s.busy(); !busy {
			t.Fatal("form not busy while services load")
		}
	}
	m.Update(keyMsg("ctrl+c"))
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("quitting left a request running")
	}
}

func TestHelpOverlayListsEveryBinding(t *testing.T) {
	d := newDriver(t, Options{Backend: shop()}, 250, 70)
	check := func(screen string, groups [][]keymapBinding) {
		t.Helper()
		d.press("f1")
		if !d.m.helpOpen {
			t.Fatalf("%s: f1 did not open help", screen)
		}
		v := d.view()
		if !strings.Contains(v, "Keys: "+screen) {
			t.Errorf("help title for %s:\n%s", screen, v)
		}
		for _, g := range groups {
			for _, b := range g {
				if !strings.Contains(v, b.key) || !strings.Contains(v, b.desc) {
					t.Errorf("%s help lacks %q %q", screen, b.key, b.desc)
				}
			}
		}
		d.press("esc")
		if d.m.helpOpen {
			t.Errorf("%s: esc did not close help", screen)
		}
	}
	km := keymap.DefaultKeyMap()
	// The form's field has the focus: the global keys listed are those
	// that type nothing.
	check("search", helpOf(km.Search.FullHelp(), [][]key.Binding{globalHelp(km.Global, true)}))
	d.press("enter")
	check("trace list", helpOf(km.List.FullHelp(), km.Global.FullHelp()))
	d.press("enter")
	check("trace view", helpOf(km.Trace.FullHelp(), km.Global.FullHelp()))
}

type keymapBinding struct{ key, desc string }

func helpOf(groups ...[][]key.Binding) [][]keymapBinding {
	var out [][]keymapBinding
	for _, gs := range groups {
		for _, g := range gs {
			var col []keymapBinding
			for _, b := range g {
				col = append(col, keymapBinding{b.Help().Key, b.Help().Desc})
			}
			out = append(out, col)
		}
	}
	return out
}

func TestHelpOverlayScrollsAtSmallSizes(t *testing.T) {
	d := newDriver(t, Options{Backend: shop()}, 80, 24)
	d.press("enter", "enter", "?")
	first := d.view()
	for range 40 {
		d.press("j")
	}
	scrolled := d.view()
	if first == scrolled {
		t.Error("the trace view's help does not fit 80x24 and must scroll")
	}
	if !strings.Contains(scrolled, "trace ID") {
		t.Errorf("the end of the help (global keys) is not reachable:\n%s", scrolled)
	}
	d.press("q")
	if d.quit || d.m.helpOpen {
		t.Errorf("q in the help overlay should close it, not quit (quit %v, open %v)", d.quit, d.m.helpOpen)
	}
}

func TestShortHelpAlwaysVisible(t *testing.T) {
	d := newDriver(t, Options{Backend: shop()}, 80, 24)
	lines := strings.Split(d.view(), "\n")
	if help := lines[len(lines)-2]; !strings.Contains(help, "enter search") || !strings.Contains(help, "f1 help") || !strings.Contains(help, "ctrl+c quit") {
		t.Errorf("search help line %q", help)
	}
	d.press("enter")
	lines = strings.Split(d.view(), "\n")
	if help := lines[len(lines)-2]; !strings.Contains(help, "enter open") || !strings.Contains(help, "? help") || !strings.Contains(help, "q quit") {
		t.Errorf("list help line %q", help)
	}
}

func TestLookupByIDAndHistory(t *testing.T) {
	b := shop()
	d := newDriver(t, Options{Backend: b}, 80, 24)
	d.press("ctrl+t") // works while the form is typing
	if !d.m.lookup.open {
		t.Fatal("ctrl+t did not open the lookup box")
	}
	if v := d.view(); !strings.Contains(v, ": trace ID, traceparent, Jaeger URL") {
		t.Errorf("lookup box not drawn:\n%s", v)
	}
	d.typeText("4BF92F3577B34DA6A3CE929D0E0E4736")
	d.press("enter")
	if d.screen() != "trace view" || d.m.lookup.open {
		t.Fatalf("lookup by ID: screen %s, box open %v", d.screen(), d.m.lookup.open)
	}
	if !strings.Contains(d.view(), "4bf92f3577b34da6a3ce929d0e0e4736") {
		t.Error("wrong trace opened")
	}
	// ":" works where nothing is typed; the box remembers lookups.
	d.press(":")
	d.typeText("a1")
	d.press("enter")
	if d.screen() != "trace view" || !strings.Contains(d.view(), "00000000000000a1") && !strings.Contains(d.view(), "Trace a1") {
		t.Errorf("lookup of a short ID:\n%s", d.view())
	}
	d.press(":", "up")
	if got := d.m.lookup.input.Value(); got != "a1" {
		t.Errorf("up: %q", got)
	}
	d.press("up")
	if got := d.m.lookup.input.Value(); got != "4BF92F3577B34DA6A3CE929D0E0E4736" {
		t.Errorf("up up: %q", got)
	}
	d.press("up")
	if got := d.m.lookup.input.Value(); got != "4BF92F3577B34DA6A3CE929D0E0E4736" {
		t.Errorf("up past the oldest: %q", got)
	}
	d.press("down", "down")
	if got := d.m.lookup.input.Value(); got != "" {
		t.Errorf("down back to the draft: %q", got)
	}
	d.press("esc")
	if d.m.lookup.open || d.screen() != "trace view" {
		t.Errorf("esc should close only the box")
	}
}

func TestLookupByCorrelation(t *testing.T) {
	b := shop()
	d := newDriver(t, Options{Backend: b, CorrelationKeys: []string{"correlation_id"}}, 80, 24)
	d.press("ctrl+t")
	d.typeText("corr-b2")
	d.press("enter")
	// One match: the list is pushed and the trace opens at once.
	if d.screen() != "trace view" {
		t.Fatalf("single correlation match: screen %s", d.screen())
	}
	d.press("esc")
	if d.screen() != "trace list" || !strings.Contains(d.view(), `correlation ID "corr-b2"`) {
		t.Errorf("behind the trace: %s\n%s", d.screen(), d.view())
	}
	d.press("ctrl+t")
	d.typeText("nothing-here")
	d.press("enter")
	v := d.view()
	want := `no trace with correlation ID "nothing-here" in the last 24h (keys: correlation_id)`
	if d.screen() != "trace list" || !strings.Contains(statusText(v), "✗ "+want[:60]) || !strings.Contains(strings.Join(strings.Fields(v), " "), want) {
		t.Errorf("unknown correlation ID:\n%s", v)
	}
}

// A correlation ID comes from a log line that may be hours old: lookups
// search at least the last 24 hours whatever the form's lookback (1h).
func TestLookupByCorrelationSearchesADay(t *testing.T) {
	b := shop()
	old := b.Traces[2] // b2, 20 minutes old: make it 3 hours old
	for i := range old.Spans {
		old.Spans[i].Start -= int64(3 * time.Hour)
	}
	d := newDriver(t, Options{Backend: b, InitialTraceID: "corr-b2"}, 80, 24)
	if d.screen() != "trace view" || !strings.Contains(d.view(), "POST /orders") {
		t.Fatalf("a 3h-old trace by correlation ID: %s\n%s", d.screen(), d.view())
	}
	qs := b.Queries()
	if len(qs) == 0 {
		t.Fatal("no search made")
	}
	for _, q := range qs {
		if got := q.End.Sub(q.Start); got != 24*time.Hour {
			t.Errorf("window %v, want 24h", got)
		}
		if len(q.Tags) != 1 || q.Tags[0].Value != "corr-b2" {
			t.Errorf("tags %v", q.Tags)
		}
	}
	// Every default key was tried, and the miss names them.
	d.press("ctrl+t")
	d.typeText("nope")
	d.press("enter")
	v := d.view()
	for _, k := range backend.DefaultCorrelationKeys() {
		if !strings.Contains(v, k) {
			t.Errorf("the miss does not name key %q:\n%s", k, v)
		}
	}
	if !strings.Contains(statusText(v), `✗ no trace with correlation ID "nope" in the last 24h (keys:`) {
		t.Errorf("status %q", statusText(v))
	}
	d.press("j")
	if strings.Contains(statusText(d.view()), "✗") {
		t.Error("the miss outlived the next key")
	}
}

func TestCorrelationSpec(t *testing.T) {
	day := 24 * time.Hour
	start := testNow.Add(-72 * time.Hour)
	for _, c := range []struct {
		name  string
		form  search.Spec
		ok    bool
		want  time.Duration
		fixed bool
		limit int
	}{
		{"invalid form", search.Spec{Lookback: time.Hour}, false, day, false, 0},
		{"short lookback", search.Spec{Lookback: time.Hour, Limit: 50}, true, day, false, 50},
		{"long lookback", search.Spec{Lookback: 7 * day}, true, 7 * day, false, 0},
		{"short range", search.Spec{Start: start, End: start.Add(time.Hour)}, true, day, false, 0},
		{"long range", search.Spec{Start: start, End: start.Add(48 * time.Hour)}, true, 0, true, 0},
	} {
		got := correlationSpec(c.form, c.ok)
		if got.Lookback != c.want || (c.fixed && !got.Start.Equal(start)) || got.Limit != c.limit {
			t.Errorf("%s: %+v", c.name, got)
		}
	}
}

func TestInitialTraceID(t *testing.T) {
	d := newDriver(t, Options{Backend: shop(), InitialTraceID: "4bf92f3577b34da6a3ce929d0e0e4736"}, 80, 24)
	if d.screen() != "trace view" {
		t.Fatalf("initial ID opened %s", d.screen())
	}
	d.press("esc")
	if d.screen() != "search" {
		t.Errorf("esc from the initial trace: %s", d.screen())
	}
	d = newDriver(t, Options{Backend: shop(), InitialTraceID: "corr-a1"}, 80, 24)
	if d.screen() != "trace view" || !strings.Contains(d.view(), "a1") {
		t.Errorf("initial correlation ID: %s", d.screen())
	}
}

func TestErrorsStayUntilNextKey(t *testing.T) {
	d := newDriver(t, Options{Backend: shop()}, 80, 24)
	d.press("ctrl+t")
	d.typeText("deadbeef")
	d.press("enter")
	if d.screen() != "search" {
		t.Errorf("a failed trace load should leave its screen: %s", d.screen())
	}
	status := statusText(d.view())
	if !strings.Contains(status, `✗ not found: no trace 00000000deadbeef, and no trace with correlation ID "deadbeef"`) {
		t.Fatalf("status bar: %q", status)
	}
	// Other messages do not clear it.
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	if !strings.Contains(statusText(d.view()), "not found") {
		t.Error("the error vanished without a key")
	}
	d.press("tab")
	if strings.Contains(statusText(d.view()), "not found") {
		t.Error("the error outlived the next key")
	}
}

// statusText is the status area of a stripped view: the status bar and,
// above it, the lines of an error too long for it (its first line starts
// with ✗, the others are indented under its text), joined with spaces.
func statusText(v string) string {
	lines := strings.Split(v, "\n")
	k := len(lines) - 1
	for j := k - 1; j >= 0; j-- {
		if strings.HasPrefix(lines[j], " ✗ ") {
			k = j
			break
		}
		if !strings.HasPrefix(lines[j], "   ") || strings.TrimSpace(lines[j]) == "" {
			break
		}
	}
	parts := make([]string, 0, len(lines)-k)
	for _, l := range lines[k:] {
		parts = append(parts, strings.TrimSpace(l))
	}
	return strings.Join(parts, " ")
}

// An error too long for the status bar wraps onto lines above it, within
// the width, instead of being cut: it is the one thing a user must read.
// The help line stays, and the next key takes the error away.
func TestLongErrorsWrap(t *testing.T) {
	for _, w := range []int{80, 40, 24} {
		d := newDriver(t, Options{Backend: shop(), InsecureTLS: true}, w, 24)
		d.press("ctrl+t")
		d.typeText("deadbeef")
		d.press("enter")
		v := d.view()
		want := `✗ not found: no trace 00000000deadbeef, and no trace with correlation ID "deadbeef" in the last 24h`
		if got := statusText(v); !strings.Contains(got, want) || !strings.Contains(got, "TLS verification off") {
			t.Errorf("%d wide: status %q, want %q and the TLS notice\n%s", w, got, want, v)
		}
		if w >= 40 && !strings.Contains(v, "quit") {
			t.Errorf("%d wide: the help line went\n%s", w, v)
		}
		d.press("tab")
		if v := d.view(); strings.Contains(v, "not found") {
			t.Errorf("%d wide: the error outlived the next key\n%s", w, v)
		}
	}
}

func TestEscCancelsTraceLoadAtOnce(t *testing.T) {
	b := shop()
	d := newDriver(t, Options{Backend: b}, 80, 24)
	d.press("enter")
	b.Block = make(chan struct{})
	b.Started = make(chan string, 1)
	// Open the trace by hand so that the blocked request runs in a goroutine.
	model, cmd := d.m.Update(keyMsg("enter"))
	d.m = model.(Model)
	open := cmd()
	model, cmd = d.m.Update(open)
	d.m = model.(Model)
	if d.screen() != "trace view" {
		t.Fatalf("screen %s", d.screen())
	}
	v := d.view()
	if !strings.Contains(v, "Loading trace") || !strings.Contains(v, "esc cancels") {
		t.Errorf("loading view:\n%s", v)
	}
	if busy, label := d.m.busy(); !busy || !strings.Contains(label, "loading trace") {
		t.Errorf("status bar should show the request: %v %q", busy, label)
	}
	results := make(chan tea.Msg, 4)
	go func() {
		for _, c := range flatten(cmd) {
			results <- c()
		}
	}()
	<-b.Started
	d.press("esc")
	if d.screen() != "trace list" {
		t.Fatalf("esc while loading: screen %s", d.screen())
	}
	if !strings.Contains(statusText(d.view()), "cancelled loading trace") {
		t.Errorf("status %q", statusText(d.view()))
	}
	// The request ends because its context was cancelled, not because the
	// backend answered.
	var loaded tea.Msg
	for loaded == nil {
		select {
		case msg := <-results:
			if _, ok := msg.(traceLoadedMsg); ok {
				loaded = msg
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the trace request was not cancelled")
		}
	}
	if !errors.Is(loaded.(traceLoadedMsg).err, backend.ErrCanceled) {
		t.Errorf("request ended with %v", loaded.(traceLoadedMsg).err)
	}
	// Its late result changes nothing.
	d.send(loaded)
	if d.screen() != "trace list" || strings.Contains(statusText(d.view()), "✗") {
		t.Errorf("a stale result had an effect: %s %q", d.screen(), statusText(d.view()))
	}
	close(b.Block)
}

// flatten runs a batch command's outer layer and returns its commands.
func flatten(cmd tea.Cmd) []tea.Cmd {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Cmd
		for _, c := range b {
			out = append(out, flatten(c)...)
		}
		return out
	}
	return []tea.Cmd{func() tea.Msg { return msg }}
}

func TestLeavingListCancelsSearch(t *testing.T) {
	b := shop()
	d := newDriver(t, Options{Backend: b}, 80, 24)
	b.Block = make(chan struct{})
	model, cmd := d.m.Update(keyMsg("enter"))
	d.m = model.(Model)
	submit := cmd()
	model, cmd = d.m.Update(submit)
	d.m = model.(Model)
	if d.screen() != "trace list" {
		t.Fatalf("screen %s", d.screen())
	}
	done := make(chan []tea.Msg, 1)
	go func() {
		var msgs []tea.Msg
		for _, c := range flatten(cmd) {
			msgs = append(msgs, c())
		}
		done <- msgs
	}()
	d.press("esc")
	if d.screen() != "search" {
		t.Fatalf("esc while searching: %s", d.screen())
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("leaving the list did not cancel its search")
	}
	close(b.Block)
}

func TestStatusBarNotices(t *testing.T) {
	d := newDriver(t, Options{Backend: shop(), Demo: true, InsecureTLS: true, Profile: "prod"}, 120, 30)
	status := statusText(d.view())
	for _, want := range []string{"demo data: no backend configured", "TLS verification off", "profile prod"} {
		if !strings.Contains(status, want) {
			t.Errorf("status bar lacks %q: %q", want, status)
		}
	}
	if !strings.Contains(d.view(), "Demo data: no backend configured") {
		t.Error("the search screen should say this is the demo")
	}
	d = newDriver(t, Options{Backend: shop(), InsecureTLS: true}, 80, 24)
	status = statusText(d.view())
	if !strings.Contains(status, "fake http://localhost:16686") || !strings.Contains(status, "TLS verification off") {
		t.Errorf("status bar %q", status)
	}
	// An error shortens the demo notice but keeps the TLS one.
	d = newDriver(t, Options{Backend: shop(), Demo: true, InsecureTLS: true}, 80, 24)
	d.press("ctrl+t")
	d.typeText("deadbeef")
	d.press("enter")
	status = statusText(d.view())
	if !strings.Contains(status, "TLS verification off") || !strings.Contains(status, "not found") {
		t.Errorf("status with an error: %q", status)
	}
}

func TestBackendErrorsInStatusBar(t *testing.T) {
	b := shop()
	b.Errs = map[string]error{"search": &backend.Error{Kind: backend.Unauthorized, Op: "search", Status: 401, URL: "http://localhost:16686/api/v3/traces"}}
	d := newDriver(t, Options{Backend: b}, 80, 24)
	d.press("enter")
	v := d.view()
	if !strings.Contains(statusText(v), "✗ search failed: search: unauthorized (HTTP 401)") {
		t.Errorf("status %q", statusText(v))
	}
	if !strings.Contains(v, "Check the token") {
		t.Errorf("list should say what to do:\n%s", v)
	}
	// The TUI stays usable: back, fix, retry.
	b.Errs = nil
	d.press("r")
	if !strings.Contains(d.view(), "3 shown") {
		t.Errorf("retry after the error:\n%s", d.view())
	}
}

func TestKeyOverrides(t *testing.T) {
	d := newDriver(t, Options{Backend: shop(), KeyOverrides: map[string][]string{"list.refresh": {"ctrl+r"}, "global.quit": {"x"}}}, 80, 24)
	d.press("enter")
	b := d.m.opts.Backend.(*fakebackend.Backend)
	before := len(b.Calls())
	d.press("r")
	if len(b.Calls()) != before {
		t.Error("r still refreshes after the override")
	}
	d.press("ctrl+r")
	if len(b.Calls()) != before+1 {
		t.Errorf("ctrl+r did not refresh: %v", b.Calls()[before:])
	}
	d.press("q")
	if d.quit {
		t.Error("q still quits after global.quit was moved")
	}
	d.press("x")
	if !d.quit {
		t.Error("x should quit")
	}

	d = newDriver(t, Options{Backend: shop(), KeyOverrides: map[string][]string{"list.refresh": {"s"}}}, 80, 24)
	if s := statusText(d.view()); !strings.Contains(s, `key "s" is bound to list.sort and list.refresh`) {
		t.Errorf("conflict not shown at start-up: %q", s)
	}
	err := Run(context.Background(), Options{Backend: shop(), KeyOverrides: map[string][]string{"nope": {"x"}}})
	if err == nil || !strings.Contains(err.Error(), `unknown binding "nope"`) {
		t.Errorf("Run with a bad override: %v", err)
	}
}

func TestViewInvariantsEverywhere(t *testing.T) {
	b := shop()
	b.Traces[0].Spans[0].Operation = "GET /\x1b]0;owned\x07\x1b[2J\u202eevil\tname\n"
	b.ServiceList = append(b.ServiceList, "svc\x9b31m\x1b[5mblink")
	for _, size := range [][2]int{{80, 24}, {120, 40}, {200, 50}, {250, 70}, {40, 12}, {20, 4}, {10, 2}, {5, 1}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			d := newDriver(t, Options{Backend: b, Demo: true, InsecureTLS: true, Profile: "p"}, size[0], size[1])
			d.view()
			d.press("f1")
			d.view()
			d.press("esc", "enter")
			d.view()
			d.press("?")
			d.view()
			d.press("esc", "/", "g")
			d.view()
			d.press("enter", "j", "enter")
			d.view()
			d.press(":")
			d.view()
			d.press("esc", "?")
			d.view()
		})
	}
}

func TestBackgroundColour(t *testing.T) {
	d := newDriver(t, Options{Backend: shop()}, 80, 24)
	if !d.m.dark {
		t.Fatal("dark by default")
	}
	d.send(tea.BackgroundColorMsg{Color: whiteColor{}})
	if d.m.dark || d.m.styles.Dark {
		t.Error("a white background should switch to light styles")
	}
	d.view()
}

// TestBackgroundColourRestylesOpenTrace: a trace view already on screen
// takes the new background's colours too.
func TestBackgroundColourRestylesOpenTrace(t *testing.T) {
	d := newDriver(t, Options{Backend: shop(), InitialTraceID: "4bf92f3577b34da6a3ce929d0e0e4736"}, 80, 24)
	if d.screen() != "trace view" {
		t.Fatalf("initial ID opened %s", d.screen())
	}
	// The last lines are the shell's help and status bar, which restyle on
	// their own; compare only the trace view above them.
	body := func() string {
		lines := strings.Split(d.m.View().Content, "\n")
		return strings.Join(lines[:len(lines)-3], "\n")
	}
	dark := body()
	d.send(tea.BackgroundColorMsg{Color: whiteColor{}})
	light := body()
	if light == dark {
		t.Fatal("the open trace view kept its dark colours on a light background")
	}
	if ansi.Strip(light) != ansi.Strip(dark) {
		t.Error("restyling changed the text, not only the colours")
	}
}

type whiteColor struct{}

func (whiteColor) RGBA() (r, g, b, a uint32) { return 0xffff, 0xffff, 0xffff, 0xffff }

func TestGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		name := fmt.Sprintf("%dx%d", size[0], size[1])
		t.Run("search-"+name, func(t *testing.T) {
			d := newDriver(t, Options{Backend: shop(), BackendLabel: "jaeger http://localhost:16686", Profile: "staging"}, size[0], size[1])
			golden.RequireEqual(t, d.view())
		})
		t.Run("list-"+name, func(t *testing.T) {
			d := newDriver(t, Options{Backend: shop(), BackendLabel: "jaeger http://localhost:16686", Profile: "staging"}, size[0], size[1])
			d.press("enter", "j")
			golden.RequireEqual(t, d.view())
		})
	}
	t.Run("list-colour", func(t *testing.T) {
		d := newDriver(t, Options{Backend: shop(), Demo: true, InsecureTLS: true}, 80, 24)
		d.press("enter")
		golden.RequireEqual(t, d.m.View().Content)
	})
	t.Run("help-list-80x24", func(t *testing.T) {
		d := newDriver(t, Options{Backend: shop()}, 80, 24)
		d.press("enter", "?")
		golden.RequireEqual(t, d.view())
	})
}

func TestCrashReport(t *testing.T) {
	t.Setenv("TRACETUI_TOKEN", "s3cr3t-token")
	b := shop()
	b.Panic = "services"
	// An io.Pipe, not an *os.File: Bubble Tea's kill path closes a file
	// while its reader may still poll it.
	r, w := io.Pipe()
	defer w.Close()
	err := Run(context.Background(), Options{Backend: b, BackendLabel: "fake", Input: r, Output: discard{}})
	var ce *CrashError
	if !errors.As(err, &ce) {
		t.Fatalf("Run after a panic returned %v", err)
	}
	if !strings.Contains(ce.Summary, "services panicked on purpose") || ce.Report == "" {
		t.Fatalf("crash error %+v", ce)
	}
	if strings.Count(err.Error(), "\n") != 0 {
		t.Errorf("the crash line must be one line: %q", err)
	}
	defer os.Remove(ce.Report)
	report, rerr := os.ReadFile(ce.Report)
	if rerr != nil {
		t.Fatal(rerr)
	}
	if !strings.Contains(string(report), "panicked on purpose") || !strings.Contains(string(report), "goroutine") {
		t.Errorf("report lacks the panic or the stack:\n%s", report)
	}
	if strings.Contains(string(report), "s3cr3t-token") {
		t.Error("the crash report holds a secret")
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func TestCrashOnEventLoop(t *testing.T) {
	// A panic raised in Update itself, not in a command.
	// An io.Pipe, not an *os.File: Bubble Tea's kill path closes a file
	// while its reader may still poll it.
	r, w := io.Pipe()
	defer w.Close()
	m := panicky{NewModel(Options{Backend: shop(), Now: clock})}
	err := runProgram(context.Background(), m, Options{Input: r, Output: discard{}})
	var ce *CrashError
	if !errors.As(err, &ce) || !strings.Contains(ce.Summary, "update panicked") {
		t.Fatalf("runProgram: %v", err)
	}
	os.Remove(ce.Report)
}

// panicky panics on the first window size, in the event loop.
type panicky struct{ Model }

func (p panicky) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.WindowSizeMsg); ok {
		panic("update panicked")
	}
	next, cmd := p.Model.Update(msg)
	return panicky{next.(Model)}, cmd
}

func TestRunEndsOnContextAndSignal(t *testing.T) {
	// An io.Pipe, not an *os.File: Bubble Tea's kill path closes a file
	// while its reader may still poll it.
	r, w := io.Pipe()
	defer w.Close()
	b := shop()
	b.Block = make(chan struct{})
	b.Started = make(chan string, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, Options{Backend: b, Input: r, Output: discard{}}) }()
	<-b.Started
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not end when its context did")
	}
}

func TestGuardWrapsBatchesAndSequences(t *testing.T) {
	boom := func() tea.Msg { panic("inner") }
	for name, cmd := range map[string]tea.Cmd{
		"plain":    boom,
		"batch":    tea.Batch(boom, func() tea.Msg { return nil }),
		"sequence": tea.Sequence(boom, func() tea.Msg { return nil }),
	} {
		msg := guard(cmd)()
		found := false
		var walk func(tea.Msg)
		walk = func(m tea.Msg) {
			if _, ok := m.(panicMsg); ok {
				found = true
				return
			}
			v := reflect.ValueOf(m)
			if v.Kind() == reflect.Slice {
				for i := range v.Len() {
					if c, _ := v.Index(i).Interface().(tea.Cmd); c != nil {
						walk(c())
					}
				}
			}
		}
		walk(msg)
		if !found {
			t.Errorf("%s: panic not turned into a message", name)
		}
	}
}

func TestRunEndsOnSIGHUP(t *testing.T) {
	// An io.Pipe, not an *os.File: Bubble Tea's kill path closes a file
	// while its reader may still poll it.
	r, w := io.Pipe()
	defer w.Close()
	b := shop()
	b.Block = make(chan struct{})
	b.Started = make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- Run(context.Background(), Options{Backend: b, Input: r, Output: discard{}}) }()
	// Run has registered for the signal before the model starts, and the
	// model's first request is under way.
	<-b.Started
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run after SIGHUP: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not end on SIGHUP")
	}
}

// When the screen's short help is cut, its ellipsis keeps a separator
// before help and quit at the right end, at every width of every screen.
func TestShortHelpEllipsisSeparated(t *testing.T) {
	for w := 40; w <= 160; w++ {
		d := newDriver(t, Options{Backend: shop()}, w, 30)
		for _, keys := range [][]string{nil, {"enter"}, {"enter"}} {
			d.press(keys...)
			lines := strings.Split(d.view(), "\n")
			help := lines[len(lines)-2]
			if strings.Contains(help, "…") && !strings.Contains(help, "… ") {
				t.Errorf("%d wide, %s: ellipsis glued to the next item: %q", w, d.screen(), help)
			}
		}
	}
}

// The help overlay lists only the global keys that work on the screen
// under it: on the search form, ":" types into the focused field, so only
// ctrl+t is given for the lookup box. ctrl+t with the overlay open closes
// it and opens the box.
func TestHelpOverlayGlobalKeysAndLookup(t *testing.T) {
	d := newDriver(t, Options{Backend: shop()}, 120, 40)
	d.press("f1")
	v := d.view()
	if strings.Contains(v, ":/ctrl+t") || !strings.Contains(v, "ctrl+t") {
		t.Errorf("search form's help should give ctrl+t alone for the lookup box:\n%s", v)
	}
	d.press("ctrl+t")
	if d.m.helpOpen || !d.m.lookup.open {
		t.Fatalf("ctrl+t in the help overlay: help open %v, lookup open %v", d.m.helpOpen, d.m.lookup.open)
	}
	d.press("esc")
	d.press("enter")
	d.press("f1")
	if v := d.view(); !strings.Contains(v, ":/ctrl+t") {
		t.Errorf("trace list's help should give both lookup keys:\n%s", v)
	}
	// On a screen where ":" works, it opens the box from the overlay too.
	d.press(":")
	if d.m.helpOpen || !d.m.lookup.open {
		t.Fatalf(": in the list's help overlay: help open %v, lookup open %v", d.m.helpOpen, d.m.lookup.open)
	}
}
