package cli

import (
	"encoding/binary"
	"io"
	"os"
	"runtime/debug"
)

// A trace decoded from JSON takes about half to all of the JSON's size in
// memory. With the default GOGC the heap may grow to twice what is live
// before a collection, so a big file's peak RSS lands near twice its size.
// A soft limit a little above the file size makes the collector work harder
// only near the peak; it is soft, so a trace that needs more still loads
// (slower) instead of failing.
const (
	// softLimitNum/softLimitDen is the limit as a fraction of the input.
	softLimitNum, softLimitDen = 6, 5
	// minLimitedInput is the input size below which the default collector
	// is left alone: the peak is small and a limit would only cost time.
	minLimitedInput = 16 << 20
)

// limitMemory sets a soft memory limit from the size of the trace files
// about to be loaded and returns a func that restores the previous limit.
// It leaves the limit alone when the user set GOMEMLIMIT, when the size is
// unknown (a pipe on stdin) or when the input is small.
func limitMemory(env Env, paths []string) (restore func()) {
	noop := func() {}
	if env.Getenv != nil && env.Getenv("GOMEMLIMIT") != "" {
		return noop
	}
	size, ok := inputSize(paths, env.Stdin)
	if !ok {
		return noop
	}
	limit := softLimit(size)
	if limit <= 0 {
		return noop
	}
	prev := debug.SetMemoryLimit(limit)
	if prev < limit {
		// Someone (a test, an embedding program) already set a lower one.
		debug.SetMemoryLimit(prev)
		return noop
	}
	return func() { debug.SetMemoryLimit(prev) }
}

// softLimit is the memory limit for decoding size bytes of JSON; 0 for no
// limit.
func softLimit(size int64) int64 {
	if size < minLimitedInput {
		return 0
	}
	const maxSize = (1<<63 - 1) / softLimitNum
	if size > maxSize {
		return 0
	}
	return size * softLimitNum / softLimitDen
}

// inputSize adds up the decoded sizes of the files: the file size, or for
// gzip the uncompressed size its trailer records. ok is false when any size
// is unknown.
func inputSize(paths []string, stdin io.Reader) (total int64, ok bool) {
	for _, p := range paths {
		var f *os.File
		if p == "-" {
			sf, isFile := stdin.(*os.File)
			if !isFile {
				return 0, false
			}
			f = sf
		} else {
			of, err := os.Open(p)
			if err != nil {
				// file.Open reports it properly.
				return 0, false
			}
			defer of.Close()
			f = of
		}
		n, ok := fileSize(f)
		if !ok {
			return 0, false
		}
		total += n
	}
	return total, len(paths) > 0
}

// fileSize reads only through ReadAt, so that stdin's position is kept.
func fileSize(f *os.File) (int64, bool) {
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return 0, false
	}
	size := fi.Size()
	var magic [2]byte
	if _, err := f.ReadAt(magic[:], 0); err != nil || magic != [2]byte{0x1f, 0x8b} {
		return size, true
	}
	// The gzip trailer's ISIZE is the uncompressed size modulo 2^32 of the
	// last member only; when it is smaller than the compressed file it is
	// surely wrong, and the size is unknown.
	var trailer [4]byte
	if size < 18 {
		return 0, false
	}
	if _, err := f.ReadAt(trailer[:], size-4); err != nil {
		return 0, false
	}
	isize := int64(binary.LittleEndian.Uint32(trailer[:]))
	if isize < size {
		return 0, false
	}
	return isize, true
}
