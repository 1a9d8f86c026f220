// Package file is a Backend over trace files: Jaeger JSON, Zipkin JSON and
// OTLP JSON, one document or many (JSON Lines, as the OpenTelemetry
// collector's file exporter writes), optionally gzip-compressed, the format
// told from the content.
package file

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/internal/jsonscan"
	"github.com/tracetui/tracetui/backend/jaegerjson"
	"github.com/tracetui/tracetui/backend/otlp"
	"github.com/tracetui/tracetui/backend/zipkin"
	"github.com/tracetui/tracetui/internal/safeio"
)

// detectWindow is how much of a document Detect may look at; the deciding
// key is nearly always the first one.
const detectWindow = 64 << 10

// detectFirst is how much Detect looks at first: enough for every real
// document's deciding key, and small, so that a file of many tiny
// documents never moves a big window for each.
const detectFirst = 512

// Backend serves the traces loaded from files. It is read-only after Open
// and safe for concurrent use.
type Backend struct {
	name   string
	traces []*backend.Trace
	byID   map[backend.TraceID]int

	// The search index (a summary of every trace) is built on first
	// search: `show --file` and a trace opened by ID never need it, and on
	// a 1,000,000-span trace it costs a set of every span ID.
	indexOnce sync.Once
	summaries []backend.TraceSummary
	// The services and operations the search form lists are gathered on
	// first use too, in one pass over the spans with no summary.
	catalogOnce sync.Once
	services    []string
	ops         map[string][]backend.Operation
}

// Open loads every file ("-" is stdin) and merges them: spans of one trace
// ID found in several documents or files end up in one trace.
func Open(paths []string, stdin io.Reader) (*Backend, error) {
	return OpenContext(context.Background(), paths, stdin)
}

// OpenContext is Open that stops reading, and so decoding, when ctx ends
// (a signal, or esc on the TUI's loading screen): every input is read
// through safeio.Reader. A backend.Progress in ctx (backend.WithProgress)
// counts the bytes read, of the files' total size when every input is a
// regular file (gzip: the compressed bytes, of the compressed size).
func OpenContext(ctx context.Context, paths []string, stdin io.Reader) (*Backend, error) {
	if len(paths) == 0 {
		return nil, &backend.Error{Kind: backend.KindOther, Op: "open files", Offset: -1, Err: errors.New("no file given")}
	}
	if p := backend.ProgressFrom(ctx); p != nil {
		p.SetTotal(totalSize(paths))
	}
	b := &Backend{byID: map[backend.TraceID]int{}}
	var names []string
	for _, p := range paths {
		name := p
		var r io.Reader
		if p == "-" {
			name = "stdin"
			if stdin == nil {
				return nil, &backend.Error{Kind: backend.KindOther, Op: "read stdin", Offset: -1, Err: errors.New("no standard input")}
			}
			r = safeio.Reader(ctx, stdin)
		} else {
			f, err := os.Open(p)
			if err != nil {
				kind := backend.KindOther
				if errors.Is(err, os.ErrNotExist) {
					kind = backend.NotFound
				}
				return nil, &backend.Error{Kind: kind, Op: "open " + p, Offset: -1, Err: unwrapPath(err)}
			}
			r = safeio.Reader(ctx, f)
			defer f.Close()
		}
		traces, err := Decode(backend.CountingReader(ctx, r))
		if err != nil {
			var be *backend.Error
			if errors.As(err, &be) {
				be.Op = "read " + name + ": " + be.Op
				return nil, be
			}
			return nil, &backend.Error{Kind: backend.DecodeError, Op: "read " + name, Offset: -1, Err: err}
		}
		b.add(traces)
		names = append(names, name)
	}
	// After the merge: a trace's parts may come from several documents.
	for _, t := range b.traces {
		backend.PlaceUntimed(t)
	}
	b.name = "file " + strings.Join(names, ", ")
	return b, nil
}

// totalSize is the sum of the sizes of paths, or 0 (unknown) when one of
// them is stdin or not a regular file (a pipe, a device).
func totalSize(paths []string) int64 {
	var n int64
	for _, p := range paths {
		if p == "-" {
			return 0
		}
		fi, err := os.Stat(p)
		if err != nil || !fi.Mode().IsRegular() {
			return 0
		}
		n += fi.Size()
	}
	return n
}

// Check reports the first path that cannot be opened for reading, as
// OpenContext would, without reading it: the TUI loads files on its own
// loading screen, and a mistyped path is still a one-line error before
// the terminal is taken.
func Check(paths []string) error {
	if len(paths) == 0 {
		return &backend.Error{Kind: backend.KindOther, Op: "open files", Offset: -1, Err: errors.New("no file given")}
	}
	for _, p := range paths {
		if p == "-" {
			continue
		}
		f, err := os.Open(p)
		if err != nil {
			kind := backend.KindOther
			if errors.Is(err, os.ErrNotExist) {
				kind = backend.NotFound
			}
			return &backend.Error{Kind: kind, Op: "open " + p, Offset: -1, Err: unwrapPath(err)}
		}
		f.Close()
	}
	return nil
}

// unwrapPath drops the *PathError wrapper, whose message repeats the path.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Decode reads every document of a stream in any supported format and
// returns its traces (spans of one trace ID in several documents merged). A
// decode error's offset counts from the start of the stream (of the
// decompressed stream for gzip input).
//
// One scanner reads the whole stream and each format's decoder keeps its
// caches from one document to the next: a JSON Lines file of millions of
// tiny documents costs about its bytes, not a decoder's set-up per line.
func Decode(r io.Reader) ([]*backend.Trace, error) {
	// The small buffer only serves to peek at the gzip magic: reads of the
	// scanner's size go around it, straight into the scanner's window.
	br := bufio.NewReaderSize(r, 4096)
	var src io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(bufio.NewReaderSize(br, 64<<10))
		if err != nil {
			return nil, &backend.Error{Kind: backend.DecodeError, Op: "gunzip", Offset: -1, Err: err}
		}
		defer zr.Close()
		src = zr
	}
	s := jsonscan.New(src)
	s.SkipBOM()
	var (
		out   []*backend.Trace
		byID  = map[backend.TraceID]*backend.Trace{}
		later = map[backend.TraceID][]*backend.Trace{} // parts after the first, joined at the end
		docs  int
		dec   decoders
	)
	for {
		kind := s.Peek()
		if kind == jsonscan.EOF {
			break
		}
		offset := s.Offset()
		if err := s.Err(); err != nil {
			return nil, &backend.Error{Kind: backend.DecodeError, Op: "read", Offset: offset, Err: err}
		}
		format, prefix := detect(s)
		if format == Unknown {
			return nil, &backend.Error{Kind: backend.DecodeError, Op: "detect format", Offset: offset,
				Err: fmt.Errorf("not Jaeger, Zipkin or OTLP JSON (starts with %q)", backend.Excerpt(prefix, 40))}
		}
		traces, err := dec.next(format, s)
		if err != nil {
			var be *backend.Error
			if errors.As(err, &be) {
				if docs > 0 {
					be.Op = fmt.Sprintf("%s (document %d, %s)", be.Op, docs+1, format)
				}
				return nil, be
			}
			return nil, &backend.Error{Kind: backend.DecodeError, Op: "decode " + format.String(), Offset: offset, Err: err}
		}
		docs++
		for _, t := range traces {
			if byID[t.ID] != nil {
				later[t.ID] = append(later[t.ID], t)
				continue
			}
			byID[t.ID] = t
			out = append(out, t)
		}
	}
	if err := s.Err(); err != nil {
		return nil, &backend.Error{Kind: backend.DecodeError, Op: "read", Offset: s.Offset(), Err: err}
	}
	if docs == 0 {
		return nil, &backend.Error{Kind: backend.DecodeError, Op: "read", Offset: s.Offset(), Err: errors.New("no JSON in the input")}
	}
	for id, parts := range later {
		join(byID[id], parts)
	}
	return out, nil
}

// detect tells the format of the document at s's position from as few
// bytes as decide it, and returns the bytes it looked at.
func detect(s *jsonscan.Scanner) (Format, []byte) {
	for n := detectFirst; ; n *= 8 {
		prefix := s.PeekBytes(min(n, detectWindow))
		f := Detect(prefix)
		if f != Unknown || len(prefix) < n || n >= detectWindow {
			return f, prefix
		}
	}
}

// decoders holds one stream decoder per format, made on first use, so that
// documents of one format share caches.
type decoders struct {
	jaeger *jaegerjson.Stream
	zipkin *zipkin.Stream
	otlp   *otlp.Stream
}

// next decodes the document of the given format at s's position.
func (d *decoders) next(f Format, s *jsonscan.Scanner) ([]*backend.Trace, error) {
	switch f {
	case JaegerJSON:
		if d.jaeger == nil {
			d.jaeger = jaegerjson.NewStream()
		}
		return d.jaeger.Next(s)
	case ZipkinJSON:
		if d.zipkin == nil {
			d.zipkin = zipkin.NewStream()
		}
		return d.zipkin.Next(s)
	case OTLPJSON:
		if d.otlp == nil {
			d.otlp = otlp.NewStream()
		}
		return d.otlp.Next(s)
	}
	// Empty: a list with nothing in it.
	s.Skip()
	if err := s.Err(); err != nil {
		return nil, jsonscan.DecodeError("read empty list", err)
	}
	return nil, nil
}

// join adds the spans and warnings of parts to first (same trace ID) in one
// exact-size copy: JSON Lines split a big trace into hundreds of batches, and
// appending them one by one copied and cleared the growing span slice again
// and again (a sixth of the decode time at 100,000 spans).
func join(first *backend.Trace, parts []*backend.Trace) {
	n := len(first.Spans)
	for _, t := range parts {
		n += len(t.Spans)
	}
	spans := make([]backend.Span, 0, n)
	spans = append(spans, first.Spans...)
	var seen map[string]bool // first's warnings, once a part has any
	for _, t := range parts {
		spans = append(spans, t.Spans...)
		t.Spans = nil
		if len(t.Warnings) > 0 && seen == nil {
			seen = make(map[string]bool, len(first.Warnings))
			for _, w := range first.Warnings {
				seen[w] = true
			}
		}
		// A set, not a search of the list: a batch each with a warning of
		// its own made the search quadratic.
		for _, w := range t.Warnings {
			if !seen[w] {
				seen[w] = true
				first.Warnings = append(first.Warnings, w)
			}
		}
	}
	first.Spans = spans
}

// merge adds the spans and warnings of t to prev (same trace ID).
func merge(prev, t *backend.Trace) {
	prev.Spans = append(prev.Spans, t.Spans...)
	for _, w := range t.Warnings {
		if !slices.Contains(prev.Warnings, w) {
			prev.Warnings = append(prev.Warnings, w)
		}
	}
}

func (b *Backend) add(traces []*backend.Trace) {
	for _, t := range traces {
		if i, ok := b.byID[t.ID]; ok {
			merge(b.traces[i], t)
			continue
		}
		b.byID[t.ID] = len(b.traces)
		b.traces = append(b.traces, t)
	}
}

func (b *Backend) index() {
	b.summaries = make([]backend.TraceSummary, len(b.traces))
	for i, t := range b.traces {
		b.summaries[i] = backend.Summarize(t)
	}
}

// catalog gathers the services and each service's operations with their
// kinds. Neighbouring spans mostly share a service and an operation (and
// the decoders share one string for all equal ones), so the maps are only
// asked when either changes.
func (b *Backend) catalog() {
	type opKey struct {
		service, name string
		kind          backend.SpanKind
	}
	svc := map[string]bool{}
	seen := map[opKey]bool{}
	b.ops = map[string][]backend.Operation{}
	var last opKey
	first := true
	for _, t := range b.traces {
		for k := range t.Spans {
			sp := &t.Spans[k]
			key := opKey{sp.Service, sp.Operation, sp.Kind}
			if !first && key == last {
				continue
			}
			first, last = false, key
			if seen[key] {
				continue
			}
			seen[key] = true
			svc[sp.Service] = true
			b.ops[sp.Service] = append(b.ops[sp.Service], backend.Operation{Name: sp.Operation, Kind: sp.Kind.String()})
		}
	}
	for s := range svc {
		b.services = append(b.services, s)
	}
	slices.Sort(b.services)
	for _, ops := range b.ops {
		slices.SortFunc(ops, func(x, y backend.Operation) int {
			if c := strings.Compare(x.Name, y.Name); c != 0 {
				return c
			}
			return strings.Compare(x.Kind, y.Kind)
		})
	}
}

// Name says which files were loaded.
func (b *Backend) Name() string { return b.name }

// Traces returns every loaded trace in the order first seen (the first
// file's first trace first). The traces are shared; do not modify them.
func (b *Backend) Traces() []*backend.Trace { return b.traces }

// Services lists the services of all loaded spans, sorted.
func (b *Backend) Services(ctx context.Context) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, canceled(err)
	}
	b.catalogOnce.Do(b.catalog)
	return slices.Clone(b.services), nil
}

// Operations lists a service's operations with their span kinds; an empty
// service gives none.
func (b *Backend) Operations(ctx context.Context, service string) ([]backend.Operation, error) {
	if err := ctx.Err(); err != nil {
		return nil, canceled(err)
	}
	b.catalogOnce.Do(b.catalog)
	return slices.Clone(b.ops[service]), nil
}

// Search matches traces with Jaeger's rules (backend.MatchTrace). Unlike a
// server, a zero Start or End means no time condition: files are usually
// older than the default look-back.
func (b *Backend) Search(ctx context.Context, q backend.Query) ([]backend.TraceSummary, error) {
	var startNs, endNs int64
	if !q.Start.IsZero() {
		startNs = q.Start.UnixNano()
	}
	if !q.End.IsZero() {
		endNs = q.End.UnixNano()
	}
	b.indexOnce.Do(b.index)
	var out []backend.TraceSummary
	for i, t := range b.traces {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, canceled(err)
			}
		}
		if backend.MatchTrace(t, q, startNs, endNs) {
			out = append(out, b.summaries[i])
		}
	}
	out = backend.NewestFirst(out, q.EffectiveLimit())
	for i := range out {
		out[i].Services = slices.Clone(out[i].Services)
	}
	return out, nil
}

// Trace returns a loaded trace; an unknown ID is a NotFound error.
func (b *Backend) Trace(ctx context.Context, id backend.TraceID, _ backend.TraceOptions) (*backend.Trace, error) {
	if err := ctx.Err(); err != nil {
		return nil, canceled(err)
	}
	if i, ok := b.byID[id]; ok {
		return b.traces[i], nil
	}
	if i, ok := b.byID[backend.TraceIDFromWire(string(id))]; ok {
		return b.traces[i], nil
	}
	return nil, &backend.Error{Kind: backend.NotFound, Op: "get trace " + backend.TraceIDFromWire(string(id)).Short(), Offset: -1,
		Err: errors.New("trace not in the loaded files")}
}

func canceled(err error) error {
	kind := backend.Canceled
	if errors.Is(err, context.DeadlineExceeded) {
		kind = backend.Timeout
	}
	return &backend.Error{Kind: kind, Offset: -1, Err: err}
}
