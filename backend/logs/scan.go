package logs

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tracetui/tracetui/backend"
)

// Limits of a Lookup.
const (
	// MaxLineBytes is the longest line read; longer lines are counted and
	// skipped, so that a file without newlines cannot grow the buffer.
	MaxLineBytes = 1 << 20
	// DefaultMaxLines and DefaultMaxBytes bound what one Lookup keeps.
	DefaultMaxLines = 100_000
	DefaultMaxBytes = 256 << 20
	// progressEvery is how many bytes pass between progress reports.
	progressEvery = 4 << 20
)

// Options tune a Lookup.
type Options struct {
	// Location is the zone of times written without one; time.Local when nil.
	Location *time.Location
	// MaxLines and MaxBytes bound the lines kept (DefaultMaxLines,
	// DefaultMaxBytes when 0); the lines past them are counted in Dropped.
	MaxLines int
	MaxBytes int64
	// Progress, when set, is called every few megabytes and at the end of
	// each file, from the Lookup's goroutine.
	Progress func(Progress)
}

// Progress reports a Lookup's reading.
type Progress struct {
	Path string
	// File counts from 1 to Files.
	File, Files int
	// Read and Size are bytes of the file as stored (compressed for gzip);
	// Size is 0 when unknown (a pipe).
	Read, Size int64
}

// Set is the log files given with --logs. It holds no open file: each
// Lookup opens and reads them. Safe for concurrent use.
type Set struct {
	paths []string
	stdin io.Reader
	mu    sync.Mutex
	// once marks sources that can be read only once (pipes, stdin); read
	// marks those already read.
	once, read []bool
}

// Open checks that every path can be read and returns the set. "-" is
// stdin. Pipes and stdin can be read by one Lookup only.
func Open(paths []string, stdin io.Reader) (*Set, error) {
	s := &Set{paths: slices.Clone(paths), stdin: stdin, once: make([]bool, len(paths)), read: make([]bool, len(paths))}
	stdins := 0
	for i, p := range paths {
		if p == "-" {
			if stdin == nil {
				return nil, errors.New("logs: no standard input to read")
			}
			stdins++
			s.once[i] = true
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("logs: %w", err)
		}
		if st.IsDir() {
			return nil, fmt.Errorf("logs: %s is a directory", p)
		}
		s.once[i] = !st.Mode().IsRegular()
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("logs: %w", err)
		}
		f.Close()
	}
	if stdins > 1 {
		return nil, errors.New("logs: standard input (-) given more than once")
	}
	return s, nil
}

// Paths returns the files of the set, as given.
func (s *Set) Paths() []string { return slices.Clone(s.paths) }

// ErrReadOnce is wrapped in the error of a Lookup that would read a pipe or
// stdin a second time.
var ErrReadOnce = errors.New("can be read only once")

// Lookup reads every file of the set and returns the lines of trace id.
// A read error in one file becomes a warning and the other files are still
// read; ctx cancels (and its error is returned).
func (s *Set) Lookup(ctx context.Context, id backend.TraceID, opt Options) (*Result, error) {
	if !id.Valid() || isZeroHex(string(id)) {
		return nil, fmt.Errorf("logs: %q is not a trace ID", string(id))
	}
	if opt.MaxLines <= 0 {
		opt.MaxLines = DefaultMaxLines
	}
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = DefaultMaxBytes
	}
	sc := &scanner{
		id:    id,
		mi:    newMultiIndex(needles(id)),
		p:     newParser(opt.Location),
		opt:   opt,
		files: len(s.paths),
		res:   &Result{TraceID: id},
	}
	for i, path := range s.paths {
		if err := s.claim(i); err != nil {
			sc.res.Warnings = append(sc.res.Warnings, err.Error())
			continue
		}
		err := sc.file(ctx, i, path, s.stdin)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil {
			sc.res.Warnings = append(sc.res.Warnings, oneLine(err.Error()))
		}
	}
	sc.res.Lines = sc.lines.sorted()
	return sc.res, nil
}

func (s *Set) claim(i int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.once[i] {
		return nil
	}
	if s.read[i] {
		name := s.paths[i]
		if name == "-" {
			name = "standard input"
		}
		return fmt.Errorf("%s %w (a pipe): the logs of one trace only", name, ErrReadOnce)
	}
	s.read[i] = true
	return nil
}

// needles are the texts a line of trace id must contain: the low half of
// the ID in hex (the whole of a 64-bit ID, and part of a 128-bit one
// however it is written), in lower and upper case, and its decimal value
// (Datadog). A 64-bit ID is looked for without its leading zeros, which
// some tracers drop.
func needles(id backend.TraceID) [][]byte {
	low := string(id[16:])
	if isZeroHex(string(id[:16])) {
		low = strings.TrimLeft(low, "0")
	}
	out := [][]byte{[]byte(low)}
	if up := strings.ToUpper(low); up != low {
		out = append(out, []byte(up))
	}
	v, _ := strconv.ParseUint(string(id[16:]), 16, 64)
	if dec := strconv.FormatUint(v, 10); dec != low {
		out = append(out, []byte(dec))
	}
	return out
}

// scanner is one Lookup's state.
type scanner struct {
	id     backend.TraceID
	mi     *multiIndex
	p      *parser
	opt    Options
	res    *Result
	files  int
	lines  lineStore
	kept   int64 // bytes of line text kept
	starts []int // scratch: candidate line starts in a chunk
	ends   []int // and their ends
}

// countingReader counts the bytes read from the file as stored.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}

func (sc *scanner) file(ctx context.Context, idx int, path string, stdin io.Reader) error {
	st := FileStats{Path: path}
	defer func() { sc.res.Files = append(sc.res.Files, st) }()
	var size int64
	var raw io.Reader
	if path == "-" {
		raw = stdin
		st.Path = "standard input"
	} else {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
		}
		raw = f
	}
	cr := &countingReader{r: raw}
	br := bufio.NewReaderSize(cr, 64<<10)
	var r io.Reader = br
	magic, _ := br.Peek(6)
	switch {
	case len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b:
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("%s: %w", st.Path, err)
		}
		defer zr.Close()
		st.Gzip, r = true, zr
	case bytes.HasPrefix(magic, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		return fmt.Errorf("%s is zstd-compressed: decompress it first (zstd -d)", st.Path)
	case bytes.HasPrefix(magic, []byte("BZh")):
		return fmt.Errorf("%s is bzip2-compressed: decompress it first (bunzip2)", st.Path)
	case bytes.HasPrefix(magic, []byte{0xfd, '7', 'z', 'X', 'Z', 0}):
		return fmt.Errorf("%s is xz-compressed: decompress it first (xz -d)", st.Path)
	}
	report := func() {
		if sc.opt.Progress != nil {
			sc.opt.Progress(Progress{Path: st.Path, File: idx + 1, Files: sc.files, Read: cr.n, Size: size})
		}
	}

	buf := make([]byte, MaxLineBytes)
	n := 0
	skipping := false // inside a line longer than the buffer
	var lastReport int64
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		m, rerr := readSome(r, buf[n:], 64<<10)
		n += m
		st.Bytes += int64(m)
		eof := rerr == io.EOF
		if rerr != nil && !eof {
			sc.chunk(&st, idx, buf[:n], true, &skipping)
			return fmt.Errorf("%s: %w", st.Path, rerr)
		}
		end := n
		if !eof {
			end = bytes.LastIndexByte(buf[:n], '\n') + 1
		}
		switch {
		case end > 0:
			sc.chunk(&st, idx, buf[:end], eof, &skipping)
			n = copy(buf, buf[end:n])
		case n == len(buf):
			// A line longer than the buffer: count it once and drop its
			// bytes up to its newline.
			if !skipping {
				st.TooLong++
				st.Lines++
			}
			skipping, n = true, 0
		}
		if cr.n-lastReport >= progressEvery {
			lastReport = cr.n
			report()
		}
		if eof {
			report()
			return nil
		}
	}
}

// readSome reads into b until it holds at least want bytes (or b is full),
// the input ends or fails. Small reads (a pipe, inflate's output) are
// gathered so that each chunk is searched in one go.
func readSome(r io.Reader, b []byte, want int) (int, error) {
	want = min(want, len(b))
	n := 0
	for tries := 0; n < want; tries++ {
		m, err := r.Read(b[n:])
		n += m
		if err != nil {
			return n, err
		}
		if m == 0 && tries > 100 {
			return n, io.ErrNoProgress
		}
	}
	return n, nil
}

// chunk reads the whole lines of b (ending in '\n', or at the end of the
// input when last).
//
// Kept in one function: it is the per-line loop of the scan, run at gigabytes per second, where a call per line shows.
func (sc *scanner) chunk(st *FileStats, idx int, b []byte, last bool, skipping *bool) {
	if *skipping {
		nl := bytes.IndexByte(b, '\n')
		if nl < 0 {
			if last {
				*skipping = false
			}
			return
		}
		b = b[nl+1:]
		*skipping = false
	}
	base := st.Lines
	// Count the lines and those of neither shape. A JSON line starts with
	// '{' (or has " {" and ends with '}': a prefixed JSON line); a logfmt
	// line has a key=value somewhere.
	for off := 0; off < len(b); {
		e := bytes.IndexByte(b[off:], '\n')
		if e < 0 {
			e = len(b)
		} else {
			e += off
		}
		line := b[off:e]
		off = e + 1
		st.Lines++
		if !lineShape(line) && len(trimSpace(line)) > 0 {
			st.Unreadable++
		}
	}

	// Lines that hold the ID's text are the only ones parsed.
	sc.starts = sc.starts[:0]
	for pos := 0; pos < len(b); {
		h := sc.mi.index(b[pos:])
		if h < 0 {
			break
		}
		h += pos
		sc.starts = append(sc.starts, bytes.LastIndexByte(b[:h], '\n')+1)
		e := bytes.IndexByte(b[h:], '\n')
		if e < 0 {
			break
		}
		pos = h + e + 1
	}
	// Where the trace's lines are most of the chunk (a file of one
	// service's requests, a trace's own export), the chunk is made a string
	// once and the lines are slices of it: one allocation instead of one a
	// line, which at this density costs no memory the lines would not.
	sc.ends = sc.ends[:0]
	total := 0
	for _, start := range sc.starts {
		e := bytes.IndexByte(b[start:], '\n')
		if e < 0 {
			e = len(b)
		} else {
			e += start
		}
		sc.ends = append(sc.ends, e)
		total += e - start
	}
	var src string
	if 2*total >= len(b) {
		src = string(b)
	}
	firstKept, keptBytes := sc.lines.n, 0
	number, at := base, 0
	for k, start := range sc.starts {
		number += int64(bytes.Count(b[at:start], []byte{'\n'}))
		at = start
		e := sc.ends[k]
		line := b[start:e]
		var l Line
		var ok bool
		if src != "" {
			l, ok = sc.p.parseIn(line, src[start:e])
		} else {
			l, ok = sc.p.parse(line)
		}
		if !ok {
			if lineShape(line) {
				st.Malformed++
			}
			continue
		}
		if !l.matches(sc.id) {
			continue
		}
		st.Matched++
		if sc.lines.n >= sc.opt.MaxLines || sc.kept+int64(len(line)) > sc.opt.MaxBytes {
			sc.res.Dropped++
			continue
		}
		sc.kept += int64(len(line))
		keptBytes += len(line)
		l.Source, l.Number = idx, number+1
		sc.lines.add(l)
	}
	// Lines that held the ID's text but were not the trace's (its text in
	// another trace's message): the lines kept must not hold the whole
	// chunk for themselves.
	if src != "" && 2*keptBytes < len(b) {
		for i := firstKept; i < sc.lines.n; i++ {
			sc.lines.at(i).detach()
		}
	}
}

// lineShape reports whether a line looks like JSON (an object, maybe after
// a prefix: " {" and a closing brace) or logfmt (a key=value somewhere).
func lineShape(line []byte) bool {
	line = trimSpace(line)
	if len(line) == 0 {
		return false
	}
	if line[0] == '{' || line[len(line)-1] == '}' && bytes.Contains(line, []byte(" {")) {
		return true
	}
	for j := 0; j < len(line); {
		k := bytes.IndexByte(line[j:], '=')
		if k < 0 {
			return false
		}
		j += k
		if j > 0 && line[j-1] > ' ' {
			return true
		}
		j++
	}
	return false
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
