// Package search is the search form: service and operation pickers filled
// from the backend, tags in logfmt, a lookback (presets or custom), min and
// max duration and a limit. Submitting sends a SubmitMsg with the Spec.
//
// Value or pointer: Model is a value, like a Bubble Tea model: Update
// returns the changed copy; its pickers are values inside it. Methods that
// only draw take a value receiver and never change the model.
package search

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/paste"
	"github.com/tracetui/tracetui/internal/style"
	"github.com/tracetui/tracetui/keymap"
	"github.com/tracetui/tracetui/tui/internal/shell"
)

// Config configures the form.
type Config struct {
	Keys    keymap.Search
	Styles  *style.Sheet
	Backend backend.Backend
	// Requests tracks this screen's requests; nil makes a private tracker.
	Requests *shell.Requests
	Ctx      context.Context
	Now      func() time.Time
	// Notice is a line shown under the title, e.g. that this is the demo.
	Notice string
	// AllTime offers, and starts on, a search with no time window: trace
	// files are usually older than any lookback.
	AllTime bool
}

// SubmitMsg carries a valid search to the root.
type SubmitMsg struct{ Spec Spec }

type servicesMsg struct {
	id    shell.RequestID
	names []string
	err   error
}

type operationsMsg struct {
	id      shell.RequestID
	service string
	names   []string
	err     error
}

type field int

const (
	fService field = iota
	fOperation
	fTags
	fLookback
	fRange
	fMinDur
	fMaxDur
	fLimit
)

func (f field) label() string {
	return [...]string{"Service", "Operation", "Tags", "Lookback", "Range", "Min duration", "Max duration", "Limit"}[f]
}

// defaultLookback is the preset selected at start: one hour, as Jaeger UI.
const defaultLookback = 3

// Model is the search form.
type Model struct {
	cfg  Config
	reqs *shell.Requests

	services   picker
	operations picker
	tags       textinput.Model
	rng        textinput.Model
	minDur     textinput.Model
	maxDur     textinput.Model
	limit      textinput.Model
	// lookback indexes m.presets(); len(m.presets()) is "custom".
	lookback int

	focus    field
	errs     map[field]string
	svcReq   shell.RequestID
	opsReq   shell.RequestID
	opsFor   string // the service whose operations are listed or loading
	attempts int    // submits, so that errors show only once the user tried

	width, height int
}

func newInput(st *style.Sheet, placeholder string, limit int) textinput.Model {
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = placeholder
	in.CharLimit = limit
	in.SetStyles(shell.InputStyles(st))
	return in
}

// New builds the form; Init loads the services.
func New(cfg Config) Model {
	shell.Defaults(&cfg.Now, &cfg.Ctx, &cfg.Styles, &cfg.Requests)
	reqs := cfg.Requests
	st := cfg.Styles
	m := Model{
		cfg:        cfg,
		reqs:       reqs,
		services:   newPicker(st, "type to filter"),
		operations: newPicker(st, "type to filter"),
		tags:       newInput(st, "error=true http.status_code=500", 1000),
		rng:        newInput(st, "90m, 3d or 10:00 .. 10:30", 100),
		minDur:     newInput(st, "e.g. 100ms", 20),
		maxDur:     newInput(st, "e.g. 5s", 20),
		limit:      newInput(st, "20", 5),
		lookback:   defaultLookback,
		errs:       map[field]string{},
	}
	if cfg.AllTime {
		m.lookback = len(Lookbacks()) // all time
	}
	if cfg.AllTime {
		m.lookback = len(Lookbacks()) // all time, the last preset
	}
	m.operations.note = "pick a service to list its operations"
	m.services.retry = cfg.Keys.Reload.Help().Key
	m.operations.retry = cfg.Keys.Reload.Help().Key
	m.services.input.Focus()
	return m
}

// Init loads the service list.
func (m *Model) Init() tea.Cmd { return m.loadServices() }

func (m *Model) loadServices() tea.Cmd {
	if m.cfg.Backend == nil {
		return nil
	}
	m.reqs.Cancel(m.svcReq)
	id, ctx := m.reqs.Start(m.cfg.Ctx, "loading services…")
	m.svcReq = id
	m.services.loading, m.services.err = true, nil
	b := m.cfg.Backend
	return func() tea.Msg {
		names, err := b.Services(ctx)
		return servicesMsg{id: id, names: names, err: err}
	}
}

// loadOperations fetches the operations of the chosen service when it
// changed; the previous load, if any, is cancelled.
func (m *Model) loadOperations() tea.Cmd {
	svc := m.services.value()
	if svc == m.opsFor {
		return nil
	}
	m.opsFor = svc
	m.reqs.Cancel(m.opsReq)
	m.opsReq = 0
	m.operations.input.SetValue("")
	m.operations.setItems(nil)
	m.operations.err = nil
	m.operations.loading = false
	if svc == "" || m.cfg.Backend == nil {
		m.operations.note = "pick a service to list its operations"
		return nil
	}
	m.operations.loading = true
	id, ctx := m.reqs.Start(m.cfg.Ctx, "loading operations…")
	m.opsReq = id
	b := m.cfg.Backend
	return func() tea.Msg {
		ops, err := b.Operations(ctx, svc)
		names := make([]string, 0, len(ops))
		for _, o := range ops {
			names = append(names, o.Name)
		}
		slices.Sort(names)
		return operationsMsg{id: id, service: svc, names: slices.Compact(names), err: err}
	}
}

// Close cancels the form's requests.
func (m *Model) Close() { m.reqs.CancelAll() }

// Busy reports a request in flight and what it is.
func (m Model) Busy() (bool, string) { return m.reqs.Busy() }

// Capturing reports whether a text field has the keyboard (everything but
// the lookback chooser).
func (m Model) Capturing() bool { return m.focus != fLookback }

// SetSize sets the size the form draws at.
func (m *Model) SetSize(w, h int) { m.width, m.height = max(w, 0), max(h, 0) }

// SetStyles swaps the style sheet (background change).
func (m *Model) SetStyles(st *style.Sheet) {
	m.cfg.Styles = st
	for _, in := range []*textinput.Model{&m.services.input, &m.operations.input, &m.tags, &m.rng, &m.minDur, &m.maxDur, &m.limit} {
		in.SetStyles(shell.InputStyles(st))
	}
}

// Focused returns the label of the focused field.
func (m Model) Focused() string { return m.focus.label() }

func (m Model) custom() bool { return m.lookback == len(m.presets()) }

// presets are the lookbacks offered: Lookbacks(), and all time for backends
// that search without a window (files).
func (m Model) presets() []time.Duration {
	if m.cfg.AllTime {
		return append(Lookbacks(), AllTime)
	}
	return Lookbacks()
}

func (m Model) fields() []field {
	f := []field{fService, fOperation, fTags, fLookback}
	if m.custom() {
		f = append(f, fRange)
	}
	return append(f, fMinDur, fMaxDur, fLimit)
}

func (m *Model) input(f field) *textinput.Model {
	switch f {
	case fService:
		return &m.services.input
	case fOperation:
		return &m.operations.input
	case fTags:
		return &m.tags
	case fRange:
		return &m.rng
	case fMinDur:
		return &m.minDur
	case fMaxDur:
		return &m.maxDur
	case fLimit:
		return &m.limit
	}
	return nil
}

// setFocus moves the focus; leaving the service picker loads its operations.
func (m *Model) setFocus(f field) tea.Cmd {
	if in := m.input(m.focus); in != nil {
		in.Blur()
	}
	m.focus = f
	var cmds []tea.Cmd
	if in := m.input(f); in != nil {
		cmds = append(cmds, in.Focus())
	}
	return tea.Batch(cmds...)
}

func (m *Model) step(d int) tea.Cmd {
	fs := m.fields()
	i := slices.Index(fs, m.focus)
	if i < 0 {
		i = 0
	}
	return m.setFocus(fs[(i+d+len(fs))%len(fs)])
}

// Spec validates the form and returns the search it describes.
func (m Model) Spec() (Spec, error) {
	errs := m.validate()
	if len(errs) > 0 {
		for _, f := range m.fields() {
			if e, ok := errs[f]; ok {
				return Spec{}, errors.New(f.label() + ": " + e)
			}
		}
	}
	s := Spec{Service: m.services.value(), Operation: m.operations.value()}
	s.Tags, _ = ParseTags(m.tags.Value())
	if m.custom() {
		s.Lookback, s.Start, s.End, _ = ParseRange(m.rng.Value(), m.cfg.Now())
	} else {
		s.Lookback = m.presets()[m.lookback]
	}
	s.MinDuration, _ = ParseDuration(m.minDur.Value())
	s.MaxDuration, _ = ParseDuration(m.maxDur.Value())
	s.Limit, _ = ParseLimit(m.limit.Value())
	return s, nil
}

// validate checks every field and returns the problems by field.
func (m Model) validate() map[field]string {
	errs := map[field]string{}
	if _, err := ParseTags(m.tags.Value()); err != nil {
		errs[fTags] = err.Error()
	}
	if m.custom() {
		if _, _, _, err := ParseRange(m.rng.Value(), m.cfg.Now()); err != nil {
			errs[fRange] = err.Error()
		}
	}
	minD, err := ParseDuration(m.minDur.Value())
	if err != nil {
		errs[fMinDur] = err.Error()
	}
	maxD, err := ParseDuration(m.maxDur.Value())
	if err != nil {
		errs[fMaxDur] = err.Error()
	} else if maxD > 0 && minD > maxD {
		errs[fMaxDur] = "the max duration is below the min duration"
	}
	if _, err := ParseLimit(m.limit.Value()); err != nil {
		errs[fLimit] = err.Error()
	}
	return errs
}

// Update handles keys (when the form is on top) and its own results.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case servicesMsg:
		if !m.reqs.Finish(msg.id) {
			return m, nil
		}
		m.services.loading = false
		if msg.err != nil {
			m.services.err = msg.err
			return m, status("could not load services: "+shell.DescribeError(msg.err), true)
		}
		names := slices.Clone(msg.names)
		slices.Sort(names)
		m.services.setItems(slices.Compact(names))
		return m, m.loadOperations()
	case operationsMsg:
		if !m.reqs.Finish(msg.id) {
			return m, nil
		}
		m.operations.loading = false
		if msg.err != nil {
			m.operations.err = msg.err
			return m, status("could not load operations: "+shell.DescribeError(msg.err), true)
		}
		m.operations.note = "this service lists no operations"
		m.operations.setItems(msg.names)
		return m, nil
	case tea.PasteMsg:
		return m.toInput(msg)
	case tea.KeyPressMsg:
		return m.updateKey(msg)
	}
	return m, nil
}

func status(text string, isErr bool) tea.Cmd { return shell.StatusCmd(text, isErr) }

func (m Model) updateKey(k tea.KeyPressMsg) (Model, tea.Cmd) {
	keys := m.cfg.Keys
	picking := m.focus == fService || m.focus == fOperation
	switch {
	case key.Matches(k, keys.Submit):
		return m.submit()
	case key.Matches(k, keys.NextField):
		return m, tea.Batch(m.step(1), m.loadOperations())
	case key.Matches(k, keys.PrevField):
		return m, tea.Batch(m.step(-1), m.loadOperations())
	case key.Matches(k, keys.Reload):
		if m.operations.err != nil {
			// Reload retries the operations too, once the services are in.
			m.opsFor = ""
		}
		return m, m.loadServices()
	case key.Matches(k, keys.Up):
		if picking {
			m.picker().move(-1, m.pickerRows())
			return m, m.loadOperations()
		}
		return m, m.step(-1)
	case key.Matches(k, keys.Down):
		if picking {
			m.picker().move(1, m.pickerRows())
			return m, m.loadOperations()
		}
		return m, m.step(1)
	case m.focus == fLookback && key.Matches(k, keys.PrevChoice):
		m.lookback = max(m.lookback-1, 0)
		return m, nil
	case m.focus == fLookback && key.Matches(k, keys.NextChoice):
		m.lookback = min(m.lookback+1, len(m.presets()))
		return m, nil
	}
	return m.toInput(k)
}

// picker is the service picker, or the operation picker when it has the
// focus.
func (m *Model) picker() *picker {
	if m.focus == fOperation {
		return &m.operations
	}
	return &m.services
}

// toInput gives a key or paste to the focused text field.
func (m Model) toInput(msg tea.Msg) (Model, tea.Cmd) {
	switch m.focus {
	case fService:
		cmd := m.services.update(msg)
		return m, tea.Batch(cmd, m.loadOperations())
	case fOperation:
		return m, m.operations.update(msg)
	case fLookback:
		return m, nil
	}
	in := m.input(m.focus)
	var cmd tea.Cmd
	*in, cmd = in.Update(msg)
	m.errs = m.validate()
	if m.attempts == 0 {
		// Until the first submit an empty field is not an error yet.
		for f := range m.errs {
			if in := m.input(f); in != nil && strings.TrimSpace(in.Value()) == "" {
				delete(m.errs, f)
			}
		}
	}
	return m, cmd
}

func (m Model) submit() (Model, tea.Cmd) {
	if text, ok := m.pastedID(); ok {
		return m, func() tea.Msg { return LookupMsg{Text: text} }
	}
	m.attempts++
	m.errs = m.validate()
	spec, err := m.Spec()
	if err != nil {
		for _, f := range m.fields() {
			if _, bad := m.errs[f]; bad {
				cmd := m.setFocus(f)
				return m, tea.Batch(cmd, status(err.Error(), true))
			}
		}
		return m, status(err.Error(), true)
	}
	return m, func() tea.Msg { return SubmitMsg{Spec: spec} }
}

// ShortHelp is the form's help line; the lookback chooser shows its keys.
func (m Model) ShortHelp() []key.Binding {
	k := m.cfg.Keys
	if m.focus == fLookback {
		return []key.Binding{k.PrevChoice, k.NextChoice, k.NextField, k.Submit}
	}
	if _, ok := m.pastedID(); ok {
		// Enter looks the ID up: the help line says so.
		look := k.Submit
		look.SetHelp(look.Help().Key, "look up")
		return []key.Binding{k.NextField, look}
	}
	return k.ShortHelp()
}

// FullHelp lists every form binding.
func (m Model) FullHelp() [][]key.Binding { return m.cfg.Keys.FullHelp() }

// LookupMsg asks the root to look up what was typed or pasted into the
// Service field: it reads as a trace reference (paste.Result.Confident),
// not as a service name.
type LookupMsg struct{ Text string }

// FocusedEmpty reports whether the focused field holds no text (the
// lookback chooser never does).
func (m Model) FocusedEmpty() bool {
	switch m.focus {
	case fService:
		return m.services.input.Value() == ""
	case fOperation:
		return m.operations.input.Value() == ""
	case fLookback:
		return true
	}
	return m.input(m.focus).Value() == ""
}

// pastedID returns the Service field's text when no listed service matches
// it and it reads as a trace reference for sure (a trace ID, a
// traceparent, a URL): it is looked up, not searched as a service name.
func (m Model) pastedID() (string, bool) {
	if !m.services.typed() {
		return "", false
	}
	text := strings.TrimSpace(m.services.input.Value())
	res, err := paste.Parse(text, paste.Options{})
	if err != nil || !res.Confident() {
		return "", false
	}
	return text, true
}

// lookupOffer says what enter will do with an ID in the Service field.
func (m Model) lookupOffer() string {
	text, ok := m.pastedID()
	if !ok {
		return ""
	}
	res, _ := paste.Parse(text, paste.Options{})
	what := "a trace ID"
	if res.Source != paste.SourceTraceID {
		what = "a " + res.Source
	}
	return "looks like " + what + ": " + m.cfg.Keys.Submit.Help().Key + " looks it up"
}
