package logs

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/testkit/logsynth"
)

// cpuTime is the process's user+system CPU time. The machine is shared, so
// wall time per op is noisy: cpu-MB/s (GC included) is the number to read.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measure runs lookup b.N times and reports CPU throughput, and the heap
// one result keeps (kept-B) after a collection.
func measure(b *testing.B, size int64, lookup func() *Result) {
	b.SetBytes(size)
	b.ReportAllocs()
	c := cpuTime()
	for b.Loop() {
		lookup()
	}
	cpu := cpuTime() - c
	b.ReportMetric(float64(size)*float64(b.N)/cpu.Seconds()/1e6, "cpu-MB/s")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	res := lookup()
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)), "kept-B")
	runtime.KeepAlive(res)
}

// benchFile writes a generated log file of about size bytes (gzip when z)
// and returns its path, the uncompressed size, and a trace in it.
func benchFile(b *testing.B, size int64, format string, z bool) (string, int64, backend.TraceID, int) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "app.log")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	cw := &countWriter{}
	var id backend.TraceID
	var n int
	if z {
		zw := gzip.NewWriter(f)
		id, n, err = logsynth.Big(teeWriter{zw, cw}, size, format, 1)
		if err == nil {
			err = zw.Close()
		}
	} else {
		bw := bufio.NewWriter(f)
		id, n, err = logsynth.Big(teeWriter{bw, cw}, size, format, 1)
		if err == nil {
			err = bw.Flush()
		}
	}
	if err != nil {
		b.Fatal(err)
	}
	return path, cw.n, id, n
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

type teeWriter struct {
	a, b interface{ Write([]byte) (int, error) }
}

func (t teeWriter) Write(p []byte) (int, error) {
	t.b.Write(p)
	return t.a.Write(p)
}

// BenchmarkLookup reads a generated file of many traces for the lines of
// one: the speed of opening a trace's logs. MB/s are of the text (after
// decompression); B/op is what one lookup allocates, the same at 16 and
// 128 MB: it follows the lines found, not the file.
func BenchmarkLookup(b *testing.B) {
	for _, size := range []int64{16 << 20, 128 << 20} {
		for _, format := range []string{"json", "logfmt"} {
			for _, z := range []bool{false, true} {
				name := fmt.Sprintf("%dMB/%s", size>>20, format)
				if z {
					name += "/gzip"
				}
				b.Run(name, func(b *testing.B) {
					path, n, id, want := benchFile(b, size, format, z)
					s, err := Open([]string{path}, nil)
					if err != nil {
						b.Fatal(err)
					}
					measure(b, n, func() *Result {
						res, err := s.Lookup(context.Background(), id, Options{})
						if err != nil || len(res.Lines) != want {
							b.Fatalf("%d lines, want %d (%v)", len(res.Lines), want, err)
						}
						return res
					})
				})
			}
		}
	}
}

// BenchmarkLookupEveryLine is the worst case: every line of a 32 MB file
// (in time order, as a log is) is the trace's, so every line is parsed and
// kept.
func BenchmarkLookupEveryLine(b *testing.B) {
	for _, format := range []string{"json", "logfmt", "mixed"} {
		b.Run(format, func(b *testing.B) {
			var sp []logsynth.Spelling
			for _, s := range logsynth.Spellings() {
				if format == "mixed" || s.JSON == (format == "json") {
					sp = append(sp, s)
				}
			}
			var big []byte
			at := int64(1795575601234567000)
			for i := 0; len(big) < 32<<20; i++ {
				at += 1000
				big = sp[i%len(sp)].Line(big, logsynth.Rec{Time: at, Level: "info", Service: "orders",
					Message: "GET /api/orders handled in 12ms", TraceID: tid, SpanID: backend.SpanIDFromUint64(uint64(i%50 + 1)),
					ExtraKey: "user", ExtraValue: "u" + strconv.Itoa(i%1000)})
			}
			path := filepath.Join(b.TempDir(), "one.log")
			if err := os.WriteFile(path, big, 0o600); err != nil {
				b.Fatal(err)
			}
			s, _ := Open([]string{path}, nil)
			measure(b, int64(len(big)), func() *Result {
				res, err := s.Lookup(context.Background(), tid, Options{MaxLines: 1 << 30, MaxBytes: 1 << 40})
				if err != nil || res.Files[0].Matched != res.Files[0].Lines {
					b.Fatalf("matched %d of %d (%v)", res.Files[0].Matched, res.Files[0].Lines, err)
				}
				return res
			})
		})
	}
}

// BenchmarkParse is the parser alone on the lines of every spelling.
func BenchmarkParse(b *testing.B) {
	var lines [][]byte
	var size int64
	for i, sp := range logsynth.Spellings() {
		r := logsynth.Rec{Time: int64(1795575601234567000 + i), Level: "info", Service: "orders", Message: "GET /api/orders handled in 12ms",
			TraceID: tid, SpanID: sid, ExtraKey: "user", ExtraValue: "u1234"}
		l := sp.Line(nil, r)
		lines = append(lines, l[:len(l)-1])
		size += int64(len(l))
	}
	p := newParser(time.UTC)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, l := range lines {
			if _, ok := p.parse(l); !ok {
				b.Fatal("not parsed")
			}
		}
	}
}
