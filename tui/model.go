package tui

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/present"
	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/internal/textsafe"
	"github.com/tracetui/tracetui/keymap"
	"github.com/tracetui/tracetui/tui/across"
	"github.com/tracetui/tracetui/tui/internal/shell"
	"github.com/tracetui/tracetui/tui/internal/widget"
	"github.com/tracetui/tracetui/tui/list"
	"github.com/tracetui/tracetui/tui/search"
	"github.com/tracetui/tracetui/tui/trace"
)

// Model is the root model: the screen stack, the status bar, the help
// overlay and the lookup box. It implements tea.Model.
type Model struct {
	*root
}

// root holds the state behind a pointer: screens and requests are shared
// with commands by identity, and a copy per message would buy nothing.
type root struct {
	opts Options
	ctx  context.Context
	keys keymap.KeyMap
	now  func() time.Time
	seq  *shell.Seq

	dark   bool
	styles *style.Sheet
	help   help.Model

	stack []screen
	// formIdle is true while the search form has not loaded its services:
	// a trace opened at start (by ID, or a file's one trace) leaves the
	// form alone until the user goes back to it, so that the backend's
	// catalogue (a scan of every span of a file) does not compete with
	// the trace's first frame (issue 15).
	formIdle bool
	width    int
	height   int

	status shell.StatusMsg
	// helpOpen shows the full help of the top screen; helpWin scrolls it.
	helpOpen bool
	helpWin  widget.Window
	lookup   lookupBox

	spin    spinner.Model
	ticking bool

	crash *crashInfo
}

// NewModel builds the program's model for tests and for embedding; Run is
// the way to start it on a terminal. Invalid key overrides are shown in the
// status bar (Run reports them before starting instead).
func NewModel(opts Options) Model {
	keys, err := keymap.FromConfig(opts.KeyOverrides)
	return newModel(context.Background(), opts, keys, err)
}

func newModel(ctx context.Context, opts Options, keys keymap.KeyMap, keyErr error) Model {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.BackendLabel == "" && opts.Backend != nil {
		opts.BackendLabel = opts.Backend.Name()
	}
	r := &root{
		opts:   opts,
		ctx:    ctx,
		keys:   keys,
		now:    opts.Now,
		seq:    &shell.Seq{},
		dark:   true,
		width:  80,
		height: 24,
		spin:   spinner.New(spinner.WithSpinner(spinner.MiniDot)),
	}
	r.setStyles(true)
	r.lookup = newLookupBox(r.styles)
	r.lookup.keys = opts.CorrelationKeys
	if len(opts.Warnings) > 0 {
		// Printed on stderr too, before the screen was taken: here they
		// are seen (a config file with a secret that others can read).
		r.status = shell.Notice("warning: " + strings.Join(opts.Warnings, "; "))
	}
	if keyErr != nil {
		r.status = shell.Failure(keyErr.Error())
	}
	r.stack = []screen{r.newSearch()}
	if opts.Load != nil && opts.Backend == nil {
		r.stack = append(r.stack, r.newLoad())
	}
	return Model{r}
}

// crashed reports a panic caught in a command, for Run.
func (r *root) crashed() *crashInfo { return r.crash }

func (r *root) setStyles(dark bool) {
	s := style.New(dark)
	r.dark = dark
	r.styles = s
	r.help = help.New()
	r.help.Styles = shell.HelpStyles(s)
	for _, sc := range r.stack {
		sc.setStyles(r.styles)
	}
	r.lookup.setStyles(r.styles)
}

// Init loads the first screen, asks the terminal for its background colour
// and, when an initial trace ID was given, looks it up.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor}
	if m.loading() {
		// The form waits for the backend (backendReady).
		m.formIdle = true
		cmds = append(cmds, m.top().init())
	} else if o := m.opts; o.InitialTrace != nil || o.Initial != nil || strings.TrimSpace(o.InitialTraceID) != "" {
		// A trace opened at start: the form loads its services only when
		// the user goes back to it (or the lookup fails).
		m.formIdle = true
		cmds = append(cmds, m.initial())
	} else {
		cmds = append(cmds, m.stack[0].init())
	}
	return guard(tea.Batch(cmds...))
}

func (r *root) top() screen { return r.stack[len(r.stack)-1] }

// bodySize is the area screens draw in: everything above the help line
// and the status bar.
func (r *root) bodySize() (int, int) {
	return r.width, max(r.height-2, 0)
}

// push puts a screen on the stack and starts it.
func (r *root) push(s screen) tea.Cmd {
	r.helpOpen = false
	s.setSize(r.bodySize())
	r.stack = append(r.stack, s)
	return tea.Batch(s.init(), r.startSpinner())
}

// pop leaves the top screen (never the search form), cancelling its
// requests.
func (r *root) pop() {
	if len(r.stack) <= 1 {
		return
	}
	r.top().close()
	r.stack = r.stack[:len(r.stack)-1]
}

// wakeForm starts the search form (its service list) once it is shown
// for the first time after a trace opened at start.
func (r *root) wakeForm() tea.Cmd {
	if !r.formIdle || len(r.stack) != 1 {
		return nil
	}
	r.formIdle = false
	return r.stack[0].init()
}

// remove takes a screen off the stack wherever it is (a trace that failed
// to load while another screen was pushed above it).
func (r *root) remove(s screen) {
	for i, sc := range r.stack {
		if sc == s && i > 0 {
			sc.close()
			r.stack = append(r.stack[:i], r.stack[i+1:]...)
			return
		}
	}
}

func (r *root) closeAll() {
	for _, s := range r.stack {
		s.close()
	}
}

// busy reports the request in flight on the top screen, or anywhere.
func (r *root) busy() (bool, string) {
	if b, label := r.top().busy(); b {
		return b, label
	}
	for _, s := range r.stack {
		if b, label := s.busy(); b {
			return b, label
		}
	}
	return false, ""
}

// spinView draws the program's one spinner: the screens that show one
// (a list loading, a trace loading) draw this frame, and only the root's
// spinner ticks, while any screen is busy.
func (r *root) spinView() string { return r.spin.View() }

func (r *root) startSpinner() tea.Cmd {
	if r.ticking {
		return nil
	}
	r.ticking = true
	return r.spin.Tick
}

// Update routes a message: keys to the overlay, the lookup box or the top
// screen; results to every screen (each keeps only its own); screen
// requests (open, back, status) to the stack.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	if busy, _ := m.busy(); busy {
		cmd = tea.Batch(cmd, m.startSpinner())
	}
	return m, guard(cmd)
}

func (r *root) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case panicMsg:
		r.crash = &crashInfo{value: msg.value, stack: msg.stack}
		r.closeAll()
		return tea.Quit
	case tea.WindowSizeMsg:
		r.width, r.height = max(msg.Width, 0), max(msg.Height, 0)
		w, h := r.bodySize()
		for _, s := range r.stack {
			s.setSize(w, h)
		}
		r.lookup.setWidth(r.width)
		return nil
	case tea.BackgroundColorMsg:
		if dark := msg.IsDark(); dark != r.dark {
			r.setStyles(dark)
		}
		return nil
	case tea.KeyPressMsg:
		// A terminal without bracketed paste types a paste as keys: their
		// text is cleaned as a paste is.
		if msg.Text != "" && !textsafe.IsClean(msg.Text) {
			if msg.Text = textsafe.Clipboard(msg.Text); msg.Text == "" {
				return nil
			}
		}
		return r.key(msg)
	case tea.PasteMsg:
		// Every paste, whichever field it goes to, passes the one clipboard
		// cleaning path: no bidi control, escape sequence or line break
		// reaches a field (and its echo on the screen).
		msg.Content = textsafe.Clipboard(msg.Content)
		if r.lookup.open {
			return r.lookup.update(msg)
		}
		return r.top().update(msg)
	case spinner.TickMsg:
		if msg.ID == r.spin.ID() {
			if busy, _ := r.busy(); !busy {
				r.ticking = false
				return nil
			}
			var cmd tea.Cmd
			r.spin, cmd = r.spin.Update(msg)
			return cmd
		}
	case search.SubmitMsg:
		return r.push(r.newList(msg.Spec))
	case list.OpenMsg:
		return r.push(r.newTrace(msg.TraceID))
	case list.AnalyzeMsg:
		return r.push(r.newAcross(msg))
	case across.MoreMsg:
		return r.moreAcross()
	case trace.OpenTraceMsg:
		s := r.newTrace(msg.Trace)
		s.span = msg.Span // selected with its detail, as a pasted span is
		return r.push(s)
	case across.OpenMsg:
		s := r.newTrace(msg.TraceID)
		s.span = msg.SpanID // selected with its detail, as a pasted span is
		return r.push(s)
	case list.BackMsg, trace.BackMsg, across.BackMsg:
		r.pop()
		return r.wakeForm()
	case cancelledMsg:
		r.remove(msg.screen)
		r.status = shell.Notice(msg.text)
		return r.wakeForm()
	case failedMsg:
		r.remove(msg.screen)
		r.status = shell.Failure(msg.text)
		return r.wakeForm()
	case shell.StatusMsg:
		r.status = msg
		return nil
	case replaceMsg:
		return r.replace(msg)
	case backendReadyMsg:
		return r.backendReady(msg)
	case search.LookupMsg:
		return r.lookUpText(msg.Text)
	}
	if cmd, ok := r.compareMsg(msg); ok {
		return cmd
	}
	// Results, ticks and the trace view's own messages: every screen takes
	// what is its own (request IDs, spinner IDs, model tokens).
	var cmds []tea.Cmd
	for _, s := range r.stack {
		cmds = append(cmds, s.update(msg))
	}
	return tea.Batch(cmds...)
}

// typesNothing reports whether a key press types no text, so that it may
// act as a global key while a text field has the focus.
func typesNothing(k tea.KeyPressMsg) bool { return k.Text == "" }

func (r *root) key(k tea.KeyPressMsg) tea.Cmd {
	// Errors and notices stay until the next key.
	r.status = shell.StatusMsg{}
	g := r.keys.Global
	if key.Matches(k, g.ForceQuit) {
		r.closeAll()
		return tea.Quit
	}
	if r.helpOpen {
		return r.helpKey(k)
	}
	if r.lookup.open {
		return r.lookupKey(k)
	}
	top := r.top()
	global := !top.capturing() || typesNothing(k)
	switch {
	case global && key.Matches(k, g.Quit):
		r.closeAll()
		return tea.Quit
	case global && key.Matches(k, g.Help):
		r.helpOpen, r.helpWin = true, widget.Window{}
		return nil
	case r.loading():
		// No backend to look anything up in yet.
		return top.update(k)
	case global && key.Matches(k, g.Lookup), key.Matches(k, g.Lookup) && emptyField(top):
		return r.lookup.show()
	}
	if cmd, ok := r.compareKey(top, k); ok {
		return cmd
	}
	return top.update(k)
}

func (r *root) helpKey(k tea.KeyPressMsg) tea.Cmd {
	h := r.keys.Help
	switch {
	case key.Matches(k, h.Close), key.Matches(k, r.keys.Global.Help):
		r.helpOpen = false
	case key.Matches(k, h.Down):
		r.scrollHelp(1)
	case key.Matches(k, h.Up):
		r.scrollHelp(-1)
	case key.Matches(k, r.keys.Global.Lookup) && (!r.top().capturing() || typesNothing(k)):
		// The overlay is often where a user looks the key up: it then
		// does what it says, as on the screen under it.
		r.helpOpen = false
		return r.lookup.show()
	}
	return nil
}

func (r *root) lookupKey(k tea.KeyPressMsg) tea.Cmd {
	lk := r.keys.Lookup
	switch {
	case key.Matches(k, lk.Cancel), key.Matches(k, r.keys.Global.Lookup) && typesNothing(k):
		r.lookup.hide()
		return nil
	case key.Matches(k, lk.Submit):
		value := strings.TrimSpace(r.lookup.input.Value())
		if value == "" {
			r.lookup.hide()
			return nil
		}
		r.lookup.remember(value)
		r.lookup.hide()
		return r.lookUpText(value)
	case key.Matches(k, lk.Older):
		r.lookup.older()
		return nil
	case key.Matches(k, lk.Newer):
		r.lookup.newer()
		return nil
	}
	return r.lookup.update(k)
}

// lookUp opens a trace by ID, or lists the traces tagged with a
// correlation ID.
func (r *root) lookUp(value string) tea.Cmd {
	if backend.LooksLikeTraceID(value) {
		id, err := backend.ParseTraceID(value)
		if err == nil {
			return r.push(r.newTrace(id))
		}
	}
	return r.push(r.newCorrelationList(value))
}

// View draws the top screen (or the help overlay), the help line (or the
// lookup box) and the status bar, at exactly the terminal's size.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "tracetui"
	return v
}

func (r *root) render() string {
	if r.width <= 0 || r.height <= 0 {
		return ""
	}
	var lines []string
	w, h := r.bodySize()
	status := r.statusBar()
	// A long error's extra lines cover the bottom of the body rather than
	// resizing the screens: the error goes with the next key.
	h -= len(status) - 1
	if h > 0 {
		var body string
		if r.helpOpen {
			body = r.helpView(w, h)
		} else {
			body = r.top().view()
		}
		lines = append(lines, shell.Lines(body)...)
		lines = lines[:min(len(lines), h)]
		for len(lines) < h {
			lines = append(lines, "")
		}
	}
	if r.height >= 2 {
		if r.lookup.open {
			lines = append(lines, r.lookup.view(r.keys.Lookup, r.width))
		} else {
			lines = append(lines, r.helpLine())
		}
	}
	lines = append(lines, status...)
	return shell.Block(lines, r.width, r.height)
}

// helpLine is the short help of the top screen and the lookup key, with
// help and quit kept at the right end: they are how to find everything
// else and how to leave.
func (r *root) helpLine() string {
	hm := r.help
	if r.helpOpen {
		hm.SetWidth(r.width)
		return hm.ShortHelpView(r.keys.Help.ShortHelp())
	}
	top := r.top()
	global := globalHelp(r.keys.Global, top.capturing())
	var right []key.Binding
	left := top.shortHelp()
	for _, b := range global {
		if b.Help().Desc == r.keys.Global.Lookup.Help().Desc {
			if r.loading() {
				continue // no backend to look anything up in yet
			}
			left = append(left, b)
		} else {
			right = append(right, b)
		}
	}
	hm.SetWidth(0)
	rightView := hm.ShortHelpView(right)
	rw := ansi.StringWidth(rightView)
	if rw+10 > r.width {
		hm.SetWidth(r.width)
		return hm.ShortHelpView(append(left, right...))
	}
	return shell.Fit(shortHelpFit(hm, left, r.width-rw-3), r.width-rw) + rightView
}

// shortHelpFit is the short help of as many bindings as fit in width,
// whole, then an ellipsis when some are left out. Bubbles' own cut adds an
// item that overflows when its ellipsis has no room, and cutting that
// again glued the ellipsis to whatever came next.
func shortHelpFit(hm help.Model, bindings []key.Binding, width int) string {
	hm.SetWidth(0)
	if v := hm.ShortHelpView(bindings); ansi.StringWidth(v) <= width {
		return v
	}
	const tail = " …"
	for n := len(bindings) - 1; n > 0; n-- {
		if v := hm.ShortHelpView(bindings[:n]); ansi.StringWidth(v)+ansi.StringWidth(tail) <= width {
			return v + hm.Styles.Ellipsis.Render(tail)
		}
	}
	return ""
}

// globalHelp lists the global bindings as they work now: while typing,
// only their keys that type nothing.
func globalHelp(g keymap.Global, capturing bool) []key.Binding {
	out := []key.Binding{g.Lookup, g.Help, g.Quit}
	if !capturing {
		// One key each is enough on the help line; ? lists them all.
		for i, b := range out {
			if ks := b.Keys(); len(ks) > 1 && b.Enabled() {
				out[i] = key.NewBinding(key.WithKeys(ks...), key.WithHelp(ks[0], b.Help().Desc))
			}
		}
		return out
	}
	out = append(out, g.ForceQuit)
	kept := out[:0]
	for _, b := range out {
		var keys []string
		for _, k := range b.Keys() {
			if len([]rune(k)) > 1 {
				keys = append(keys, k)
			}
		}
		if len(keys) == 0 || !b.Enabled() {
			continue
		}
		nb := key.NewBinding(key.WithKeys(keys...), key.WithHelp(strings.Join(keys, "/"), b.Help().Desc))
		kept = append(kept, nb)
	}
	return kept
}

// statusBar shows, left, an error, the request in flight or a notice, and
// right, the backend, profile, demo and TLS notices. An error keeps its
// space; the right side gives way first. An error too long for the bar
// wraps onto lines above it (up to a third of the body): cut with an
// ellipsis, it would hide what to do.
func (r *root) statusBar() []string {
	st := r.styles
	var left string
	leftStyle := st.StatusBar
	busy, label := r.busy()
	switch {
	case r.status.Err():
		left = present.ErrorMark + " " + r.status.Text()
		leftStyle = st.StatusError
	case r.lookup.open && r.lookup.summary != "":
		// What the typed or pasted text is read as, live.
		left = shell.Label(r.lookup.summary)
	case busy:
		// Busy labels are built from data too ("loading trace ID…"):
		// they pass through the same sanitizer as every status line.
		left = r.spin.View() + " " + shell.Label(label)
	case r.status.Text() != "":
		left = r.status.Text()
	}
	var right []string
	// Notices come in a long and a short form; the short one leaves room
	// for an error. TLS stays spelled out: it is about safety.
	var notices, short []string
	if r.opts.Demo {
		notices = append(notices, "demo data: no backend configured")
		short = append(short, "demo")
	}
	if r.opts.InsecureTLS {
		notices = append(notices, "TLS verification off")
		short = append(short, "TLS verification off")
	}
	if r.opts.BackendLabel != "" && !r.opts.Demo {
		right = append(right, textsafe.Clean(r.opts.BackendLabel))
	}
	if r.opts.Profile != "" {
		right = append(right, "profile "+textsafe.Clean(r.opts.Profile))
	}
	if ansi.StringWidth(left)+ansi.StringWidth(strings.Join(notices, " · "))+4 > r.width {
		notices = short
	}
	var above []string
	if r.status.Err() || (!busy && left != "") {
		// Errors, notices and the lookup box's summary wrap too: "no
		// trace …; found trace … by correlation ID" cut in half would hide
		// what was found.
		above, left = r.wrapError(left, notices)
	}
	out := make([]string, 0, len(above)+1)
	for _, l := range above {
		out = append(out, leftStyle.Render(shell.Fit(" "+l, r.width)))
	}
	return append(out, statusLine(st, r.width, " "+left, leftStyle, right, notices))
}

// wrapError splits an error too long for the status bar into the lines
// above the bar and what stays on it, beside the notices. Lines after the
// first are indented under the text, past the ✗.
func (r *root) wrapError(text string, notices []string) (above []string, last string) {
	noticeW := 0
	if len(notices) > 0 {
		noticeW = ansi.StringWidth(" " + strings.Join(notices, " · ") + " ")
	}
	room := r.width - 1 - noticeW // the bar's leading space, then the text
	_, bodyH := r.bodySize()
	spare := bodyH / 3
	if ansi.StringWidth(text) <= room || spare <= 0 || r.width < 12 {
		return nil, text
	}
	const indent = "  "
	lines := shell.Wrap(text, r.width-1)
	if len(lines) > 1 {
		lines = append(lines[:1], shell.Wrap(strings.Join(lines[1:], " "), r.width-1-len(indent))...)
		for k := 1; k < len(lines); k++ {
			lines[k] = indent + lines[k]
		}
	}
	// The bar's line is narrower (the notices): whatever of the last line
	// does not fit there gets a line of its own above.
	if end := lines[len(lines)-1]; ansi.StringWidth(end) > room {
		lines = append(lines, indent)
	}
	if len(lines)-1 > spare {
		lines = lines[:spare+1]
		lines[spare-1] = ansi.Truncate(lines[spare-1]+" "+strings.TrimSpace(lines[spare]), r.width-1, "…")
		lines[spare] = indent
	}
	last = lines[len(lines)-1]
	if last == indent {
		// Nothing left for the bar: the notices get its whole width.
		last = ""
	}
	return lines[:len(lines)-1], last
}
