package search

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/internal/testkit/fakebackend"
	"github.com/tracetui/tracetui/internal/testkit/keytest"
	"github.com/tracetui/tracetui/keymap"
	"github.com/tracetui/tracetui/tui/internal/shell"
)

var testNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func newForm(t *testing.T, b backend.Backend) Model {
	t.Helper()
	st := style.New(true)
	m := New(Config{Keys: keymap.DefaultSearch(), Styles: st, Backend: b, Now: func() time.Time { return testNow }})
	m.SetSize(80, 21)
	m, _ = run(t, m, m.Init())
	return m
}

// run executes cmd and feeds the form's own results back; it returns the
// messages meant for the root.
func run(t *testing.T, m Model, cmd tea.Cmd) (Model, []tea.Msg) {
	t.Helper()
	var out []tea.Msg
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case servicesMsg, operationsMsg:
			var next tea.Cmd
			m, next = m.Update(msg)
			queue = append(queue, next)
		default:
			out = append(out, msg)
		}
	}
	return m, out
}

func keyMsg(s string) tea.KeyPressMsg { return keytest.Press(s) }

func press(t *testing.T, m Model, keys ...string) (Model, []tea.Msg) {
	t.Helper()
	var all []tea.Msg
	for _, k := range keys {
		var cmd tea.Cmd
		m, cmd = m.Update(keyMsg(k))
		var out []tea.Msg
		m, out = run(t, m, cmd)
		all = append(all, out...)
	}
	return m, all
}

// typeText types s one key at a time.
func typeText(t *testing.T, m Model, s string) Model {
	t.Helper()
	for _, r := range s {
		k := string(r)
		if r == ' ' {
			k = "space"
		}
		m, _ = press(t, m, k)
	}
	return m
}

func submitted(t *testing.T, out []tea.Msg) (Spec, bool) {
	t.Helper()
	for _, msg := range out {
		if s, ok := msg.(SubmitMsg); ok {
			return s.Spec, true
		}
	}
	return Spec{}, false
}

func TestSubmitDefaults(t *testing.T) {
	m := newForm(t, fakebackend.Shop(testNow))
	_, out := press(t, m, "enter")
	spec, ok := submitted(t, out)
	if !ok {
		t.Fatalf("enter did not submit: %v", out)
	}
	want := Spec{Lookback: time.Hour}
	if !equalSpec(spec, want) {
		t.Errorf("spec %+v, want %+v", spec, want)
	}
}

func equalSpec(a, b Spec) bool {
	return a.Service == b.Service && a.Operation == b.Operation && slices.Equal(a.Tags, b.Tags) &&
		a.Lookback == b.Lookback && a.Start.Equal(b.Start) && a.End.Equal(b.End) &&
		a.MinDuration == b.MinDuration && a.MaxDuration == b.MaxDuration && a.Limit == b.Limit
}

func TestServicePickerFiltersAndLoadsOperations(t *testing.T) {
	fb := fakebackend.Shop(testNow)
	m := newForm(t, fb)
	if !m.Capturing() {
		t.Error("the service picker should capture typing")
	}
	m = typeText(t, m, "ordr") // fuzzy: orders
	if got := m.services.value(); got != "orders" {
		t.Fatalf("filter 'ordr' chose %q", got)
	}
	if !slices.Contains(fb.Calls(), "operations orders") {
		t.Errorf("operations not loaded for the chosen service: %v", fb.Calls())
	}
	// The operation picker lists orders' operations.
	m, _ = press(t, m, "tab")
	if m.Focused() != "Operation" {
		t.Fatalf("focus %s", m.Focused())
	}
	if got := m.operations.raw; !slices.Equal(got, []string{"POST /orders", "SELECT orders", "reserve"}) {
		t.Errorf("operations %v", got)
	}
	m, _ = press(t, m, "down", "down")
	if got := m.operations.value(); got != "SELECT orders" {
		t.Errorf("down down chose %q", got)
	}
	// Changing the service reloads the operations and drops the old choice.
	m, _ = press(t, m, "shift+tab", "backspace", "backspace", "backspace", "backspace")
	m = typeText(t, m, "pay")
	if m.services.value() != "payment" {
		t.Fatalf("service %q", m.services.value())
	}
	if m.operations.value() != "" || !slices.Equal(m.operations.raw, []string{"charge"}) {
		t.Errorf("operations after service change: value %q list %v", m.operations.value(), m.operations.raw)
	}
	_, out := press(t, m, "enter")
	spec, _ := submitted(t, out)
	if spec.Service != "payment" || spec.Operation != "" {
		t.Errorf("spec %+v", spec)
	}
}

func TestServicePickerArrows(t *testing.T) {
	m := newForm(t, fakebackend.Shop(testNow))
	if m.services.value() != "" {
		t.Errorf("initial service %q, want any", m.services.value())
	}
	m, _ = press(t, m, "down")
	if m.services.value() != "gateway" {
		t.Errorf("down chose %q", m.services.value())
	}
	m, _ = press(t, m, "up", "up")
	if m.services.value() != "" {
		t.Errorf("up past the top chose %q", m.services.value())
	}
}

func TestTypedServiceWhenListFails(t *testing.T) {
	fb := fakebackend.Shop(testNow)
	fb.Errs = map[string]error{"services": &backend.Error{Kind: backend.Unreachable, Op: "services"}}
	st := style.New(true)
	m := New(Config{Keys: keymap.DefaultSearch(), Styles: st, Backend: fb, Now: func() time.Time { return testNow }})
	m.SetSize(80, 21)
	m, out := run(t, m, m.Init())
	if len(out) != 1 || !out[0].(shell.StatusMsg).Err() {
		t.Errorf("a failed service list should reach the status bar: %v", out)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "could not load") || !strings.Contains(v, "ctrl+r retries") {
		t.Errorf("view does not explain the failure:\n%s", v)
	}
	m = typeText(t, m, "billing")
	_, out = press(t, m, "enter")
	if spec, _ := submitted(t, out); spec.Service != "billing" {
		t.Errorf("typed service not used: %+v", spec)
	}
	// ctrl+r retries.
	fb.Errs = nil
	m, _ = press(t, m, "ctrl+r")
	if m.services.err != nil || len(m.services.raw) != 6 {
		t.Errorf("reload: err %v, %d services", m.services.err, len(m.services.raw))
	}
}

func TestTagsValidation(t *testing.T) {
	m := newForm(t, fakebackend.Shop(testNow))
	m, _ = press(t, m, "tab", "tab")
	if m.Focused() != "Tags" {
		t.Fatalf("focus %s", m.Focused())
	}
	m = typeText(t, m, "error")
	if !strings.Contains(ansi.Strip(m.View()), `✗ tag "error" has no`) {
		t.Errorf("no inline error:\n%s", ansi.Strip(m.View()))
	}
	m, out := press(t, m, "enter")
	if _, ok := submitted(t, out); ok {
		t.Error("an invalid form was submitted")
	}
	var statusErr bool
	for _, msg := range out {
		if s, ok := msg.(shell.StatusMsg); ok && s.Err() && strings.Contains(s.Text(), "Tags") {
			statusErr = true
		}
	}
	if !statusErr {
		t.Errorf("submit with an error should say so: %v", out)
	}
	m = typeText(t, m, "=true http.status_code=500")
	if strings.Contains(ansi.Strip(m.View()), "✗") {
		t.Errorf("error stays after the fix:\n%s", ansi.Strip(m.View()))
	}
	_, out = press(t, m, "enter")
	spec, ok := submitted(t, out)
	if !ok || !slices.Equal(spec.Tags, []backend.Tag{{Key: "error", Value: "true"}, {Key: "http.status_code", Value: "500"}}) {
		t.Errorf("tags %+v (submitted %v)", spec.Tags, ok)
	}
}

func focusField(t *testing.T, m Model, label string) Model {
	t.Helper()
	for range 10 {
		if m.Focused() == label {
			return m
		}
		m, _ = press(t, m, "tab")
	}
	t.Fatalf("no field %q", label)
	return m
}

func TestLookback(t *testing.T) {
	m := newForm(t, fakebackend.Shop(testNow))
	m = focusField(t, m, "Lookback")
	if m.Capturing() {
		t.Error("the lookback chooser types nothing: q and ? must stay global")
	}
	m, _ = press(t, m, "right", "l")
	_, out := press(t, m, "enter")
	if spec, _ := submitted(t, out); spec.Lookback != 6*time.Hour {
		t.Errorf("two steps right of 1h: %v", spec.Lookback)
	}
	for range 20 {
		m, _ = press(t, m, "left")
	}
	_, out = press(t, m, "enter")
	if spec, _ := submitted(t, out); spec.Lookback != 5*time.Minute {
		t.Errorf("far left: %v", spec.Lookback)
	}
	// Custom: a Range field appears after Lookback.
	for range 20 {
		m, _ = press(t, m, "right")
	}
	m, _ = press(t, m, "tab")
	if m.Focused() != "Range" {
		t.Fatalf("after custom lookback, tab went to %s", m.Focused())
	}
	m, out = press(t, m, "enter")
	if _, ok := submitted(t, out); ok {
		t.Error("custom lookback with an empty range was submitted")
	}
	m = typeText(t, m, "10:00 .. 10:30")
	_, out = press(t, m, "enter")
	spec, ok := submitted(t, out)
	if !ok || spec.Lookback != 0 || !spec.Start.Equal(time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)) ||
		!spec.End.Equal(time.Date(2026, 11, 25, 10, 30, 0, 0, time.UTC)) {
		t.Errorf("custom range spec %+v", spec)
	}
}

func TestDurationsAndLimit(t *testing.T) {
	m := newForm(t, fakebackend.Shop(testNow))
	m = focusField(t, m, "Min duration")
	m = typeText(t, m, "2s")
	m, _ = press(t, m, "tab")
	m = typeText(t, m, "1s")
	if !strings.Contains(ansi.Strip(m.View()), "below the min duration") {
		t.Errorf("max < min not flagged:\n%s", ansi.Strip(m.View()))
	}
	m, _ = press(t, m, "backspace", "backspace")
	m = typeText(t, m, "5s")
	m, _ = press(t, m, "tab")
	m = typeText(t, m, "x")
	if !strings.Contains(ansi.Strip(m.View()), "limit is a number") {
		t.Errorf("bad limit not flagged:\n%s", ansi.Strip(m.View()))
	}
	m, _ = press(t, m, "backspace")
	m = typeText(t, m, "50")
	_, out := press(t, m, "enter")
	spec, ok := submitted(t, out)
	if !ok || spec.MinDuration != 2*time.Second || spec.MaxDuration != 5*time.Second || spec.Limit != 50 {
		t.Errorf("spec %+v (ok %v)", spec, ok)
	}
}

func TestQuitKeyTypesInTextFields(t *testing.T) {
	m := newForm(t, fakebackend.Shop(testNow))
	m = focusField(t, m, "Tags")
	m, out := press(t, m, "q")
	if len(out) != 0 || m.tags.Value() != "q" {
		t.Errorf("q in a text field: value %q out %v", m.tags.Value(), out)
	}
}

func TestStaleOperationsDropped(t *testing.T) {
	fb := fakebackend.Shop(testNow)
	m := newForm(t, fb)
	// Choose gateway, then orders, and deliver gateway's operations last.
	m, cmd1 := m.Update(keyMsg("down"))
	m, cmd2 := m.Update(keyMsg("down")) // inventory
	m, _ = run(t, m, cmd2)
	if m.operations.value() != "" || !slices.Equal(m.operations.raw, []string{"reserve"}) {
		t.Fatalf("inventory operations %v", m.operations.raw)
	}
	m, _ = run(t, m, cmd1)
	if !slices.Equal(m.operations.raw, []string{"reserve"}) {
		t.Errorf("a stale operations result replaced the current one: %v", m.operations.raw)
	}
}

func TestCloseCancels(t *testing.T) {
	fb := fakebackend.Shop(testNow)
	fb.Block = make(chan struct{})
	st := style.New(true)
	m := New(Config{Keys: keymap.DefaultSearch(), Styles: st, Backend: fb})
	cmd := m.Init()
	done := make(chan tea.Msg)
	go func() { done <- cmd() }()
	if busy, label := m.Busy(); !busy || label != "loading services…" {
		t.Errorf("busy %v %q", busy, label)
	}
	m.Close()
	msg := <-done
	if sm, ok := msg.(servicesMsg); !ok || !errors.Is(sm.err, backend.ErrCanceled) {
		t.Errorf("cancelled load returned %#v", msg)
	}
	m, _ = m.Update(msg)
	if m.services.err != nil {
		t.Error("a cancelled result should be dropped")
	}
}

func checkView(t *testing.T, v string, w, h int) {
	t.Helper()
	lines := strings.Split(v, "\n")
	if len(lines) != h {
		t.Errorf("%dx%d: %d lines", w, h, len(lines))
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw != w {
			t.Errorf("%dx%d: line %d has width %d: %q", w, h, i, lw, ansi.Strip(l))
		}
		for _, r := range ansi.Strip(l) {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0x202e {
				t.Errorf("%dx%d: line %d holds control %U", w, h, i, r)
			}
		}
	}
}

func TestViewInvariants(t *testing.T) {
	fb := fakebackend.Shop(testNow)
	fb.ServiceList = append(fb.ServiceList, "evil\x1b]52;c;AAAA\x07svc", "bidi\u202eecivres", strings.Repeat("long-service-", 20))
	m := newForm(t, fb)
	for _, f := range []string{"Service", "Operation", "Tags", "Lookback", "Min duration", "Max duration", "Limit"} {
		m = focusField(t, m, f)
		for _, size := range [][2]int{{80, 21}, {120, 37}, {250, 67}, {50, 15}, {30, 6}} {
			m.SetSize(size[0], size[1])
			checkView(t, m.View(), size[0], size[1])
		}
	}
}

func TestGolden(t *testing.T) {
	// The root gives the form the screen less the help line and status bar.
	for _, size := range [][2]int{{80, 22}, {120, 38}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]+2), func(t *testing.T) {
			m := newForm(t, fakebackend.Shop(testNow))
			m.SetSize(size[0], size[1])
			m = typeText(t, m, "o")
			golden.RequireEqual(t, ansi.Strip(m.View()))
		})
	}
	t.Run("tags-error", func(t *testing.T) {
		m := newForm(t, fakebackend.Shop(testNow))
		m.cfg.Notice = "No backend configured: this is the embedded demo."
		m.SetSize(80, 22)
		m = focusField(t, m, "Tags")
		m = typeText(t, m, "error http.status_code=500")
		golden.RequireEqual(t, ansi.Strip(m.View()))
	})
}

// The picker's load error and its hint wrap within the panel instead of
// being cut: they are what the user must read to go on.
func TestPickerErrorWraps(t *testing.T) {
	st := style.New(true)
	p := newPicker(st, "type to filter")
	p.retry = "ctrl+r"
	p.err = &backend.Error{Kind: backend.Unreachable, Op: "services", URL: "http://localhost:16686/api/v3/services"}
	for _, w := range []int{34, 20} {
		lines := p.listView(st, "Services", w, 12)
		for _, l := range lines {
			if lw := ansi.StringWidth(l); lw > w {
				t.Errorf("%d wide: line %q is %d wide", w, ansi.Strip(l), lw)
			}
		}
		// Spaces aside: a URL longer than the panel breaks inside.
		text := strings.Join(strings.Fields(ansi.Strip(strings.Join(lines, ""))), "")
		for _, want := range []string{"could not load: " + p.err.Error(), "ctrl+r retries; you can still type a name"} {
			if want = strings.Join(strings.Fields(want), ""); !strings.Contains(text, want) {
				t.Errorf("%d wide: panel %q lacks %q", w, text, want)
			}
		}
	}
}

// A filtered picker's title says how many names match out of how many.
func TestPickerTitleCountsMatches(t *testing.T) {
	st := style.New(true)
	p := newPicker(st, "type to filter")
	p.setItems([]string{"gateway", "users", "orders", "inventory", "payment", "notification"})
	if h := ansi.Strip(p.listView(st, "Services", 40, 10)[0]); h != "Services (6)" {
		t.Errorf("unfiltered title %q", h)
	}
	p.input.SetValue("ord")
	p.refilter()
	n := len(p.matches)
	if n == 0 || n == 6 {
		t.Fatalf("filter ord matched %d names: the test shows nothing", n)
	}
	if h, want := ansi.Strip(p.listView(st, "Services", 40, 10)[0]), "Services ("+strconv.Itoa(n)+"/6)"; h != want {
		t.Errorf("filtered title %q, want %q", h, want)
	}
}

// However long the wrapped error, the panel never draws more lines than its
// height: the screen below it stays where it is.
func TestPickerErrorFitsHeight(t *testing.T) {
	st := style.New(true)
	p := newPicker(st, "type to filter")
	p.retry = "ctrl+r"
	p.err = &backend.Error{Kind: backend.Unreachable, Op: "services", URL: "http://localhost:16686/" + strings.Repeat("very/long/path/", 20)}
	for _, h := range []int{0, 1, 3, 6} {
		if lines := p.listView(st, "Services", 12, h); len(lines) > h {
			t.Errorf("height %d: %d lines", h, len(lines))
		}
	}
}
