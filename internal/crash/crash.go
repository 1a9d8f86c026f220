// Package crash is the one crash writer: the TUI's recover (a panic in
// Update, View or a command) and the command line's (a panic anywhere else)
// both turn a panic into an Error through Write, so that the panic value is
// sanitized the same way on stderr and in the report file.
package crash

import (
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/tracetui/tracetui/internal/textsafe"
)

// Error is what a recovered panic becomes: the value on one clean line, and
// the report file that holds the stack.
type Error struct {
	// Summary is the panic value, cleaned and cut to one line.
	Summary string
	// Report is the path of the crash report, or "" when it could not be
	// written.
	Report string
}

func (e *Error) Error() string {
	if e.Report == "" {
		return "tracetui crashed: " + e.Summary + " (no crash report could be written)"
	}
	return "tracetui crashed: " + e.Summary + "; crash report: " + e.Report
}

// Write writes a crash report for a recovered panic value and its stack to
// a new file in the temporary directory. The panic value may hold untrusted
// text (a span's name in an index-out-of-range message, a server's bytes),
// so it is sanitized in both places it goes. Only the panic and the stack
// are written (and the version, when given): no options, no environment, no headers, so that no token
// ends up in a file users attach to bug reports.
func Write(value any, stack []byte, version string) *Error {
	if r, ok := value.(*Relayed); ok {
		value, stack = r.Value, r.Stack // where it happened
	}
	text := fmt.Sprint(value)
	e := &Error{Summary: textsafe.Truncate(text, 200)}
	f, err := os.CreateTemp("", "tracetui-crash-*.txt")
	if err != nil {
		return e
	}
	defer f.Close()
	fmt.Fprintln(f, "tracetui crash report")
	if version != "" {
		fmt.Fprintln(f, "version: "+textsafe.Clean(version))
	}
	fmt.Fprintf(f, "time: %s\ngo: %s %s/%s\npanic: %s\n\n%s", time.Now().UTC().Format(time.RFC3339),
		runtime.Version(), runtime.GOOS, runtime.GOARCH, textsafe.Clean(text), stack)
	e.Report = f.Name()
	return e
}
