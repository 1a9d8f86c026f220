package logs_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/logs"
	"github.com/tracetui/tracetui/internal/textsafe"
)

// Open the --logs files once; look a trace up when it is opened (in a
// command, with a context the screen cancels), then sort its lines by span.
func Example() {
	dir, _ := os.MkdirTemp("", "logs")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "app.log")
	os.WriteFile(path, []byte(`{"time":"2026-11-25T03:00:01.5Z","level":"error","service":"payment","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7","msg":"card declined","card":"visa"}
time=2026-11-25T03:00:01Z level=info trace_id=4bf92f3577b34da6a3ce929d0e0e4736 msg="charging \u001b[31mcard"
not a log line
`), 0o600)

	set, err := logs.Open([]string{path}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := set.Lookup(context.Background(), "4bf92f3577b34da6a3ce929d0e0e4736", logs.Options{
		Location: time.UTC,
		Progress: func(p logs.Progress) { /* p.Read of p.Size bytes of file p.File of p.Files */ },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	g := res.Group([]backend.SpanID{"00f067aa0ba902b7"})
	fmt.Println(textsafe.Clean(res.Summary()))
	for _, l := range res.Lines {
		fmt.Println(l.Level, l.Error, l.SpanID == "", textsafe.Clean(l.Message), l.Fields)
	}
	fmt.Println(len(g.BySpan["00f067aa0ba902b7"]), "line of the span,", len(g.Trace), "of the trace")
	// Output:
	// 2 lines (1 error); 3 lines read in app.log, 1 not JSON or logfmt
	// info false true charging card []
	// error true false card declined [{card visa}]
	// 1 line of the span, 1 of the trace
}
