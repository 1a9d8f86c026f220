package hostile

import (
	"bytes"
	"fmt"
)

// Input is a hostile file: bytes that attack how a reader splits and
// reads documents rather than what a trace holds.
type Input struct {
	Name, About string
	// Data builds the file with n documents (or lines); tests pick sizes
	// that show how the cost grows.
	Data func(n int) []byte
	// Spans is how many spans the n-document file holds in all, Traces
	// how many traces they make once merged by trace ID, and Warnings how
	// many distinct warnings those traces carry in all.
	Spans, Traces, Warnings func(n int) int
}

// Inputs returns the hostile files.
func Inputs() []Input {
	none := func(int) int { return 0 }
	same := func(n int) int { return n }
	one := func(n int) int { return min(n, 1) }
	return []Input{
		{"tiny-documents", "JSON Lines of empty documents of every format, one a line: a reader that sets up a decoder per document (issue 14: 4.2 million lines, 50 MB, took 154 s)",
			TinyDocuments, none, none, none},
		{"one-span-documents", "JSON Lines of one-span documents of one trace, every format in turn: a million batches a reader must merge without quadratic copying",
			OneSpanDocuments, same, one, none},
		{"warning-documents", "JSON Lines of one-span documents of one trace, each with a server error of its own: merging must not search the warnings so far for each",
			WarningDocuments, same, one, same},
	}
}

// TinyDocuments returns n empty trace documents of every format in turn,
// one a line (about 15 bytes each).
func TinyDocuments(n int) []byte {
	tinyDocs := [...]string{
		`{"data":[]}`,
		`{"resourceSpans":[]}`,
		`[]`,
		`{"data":null,"total":0,"limit":0,"offset":0,"errors":null}`,
		`{"batches":[]}`,
		` [ ] `,
	}
	var b bytes.Buffer
	b.Grow(n * 20)
	for i := range n {
		b.WriteString(tinyDocs[i%len(tinyDocs)])
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// OneSpanDocuments returns n one-span documents, one a line, Jaeger, OTLP
// and Zipkin in turn, all of one trace: span i+1 is the child of span i, so
// that the merged trace is one chain.
func OneSpanDocuments(n int) []byte {
	const tid = "5afe5afe5afe5afe0000000000000001"
	var b bytes.Buffer
	b.Grow(n * 300)
	for i := range n {
		id := fmt.Sprintf("%016x", i+1)
		start := 1_700_000_000_000_000 + int64(i) // µs
		// The first span is the root; each other's parent is the one before.
		jref, oparent, zparent := "", "", ""
		if i > 0 {
			parent := fmt.Sprintf("%016x", i)
			jref = fmt.Sprintf(`{"refType":"CHILD_OF","traceID":%q,"spanID":%q}`, tid, parent)
			oparent = parent
			zparent = fmt.Sprintf(`"parentId":%q,`, parent)
		}
		switch i % 3 {
		case 0:
			fmt.Fprintf(&b, `{"data":[{"traceID":%q,"spans":[{"traceID":%q,"spanID":%q,"operationName":"op","references":[%s],"startTime":%d,"duration":1,"processID":"p1"}],"processes":{"p1":{"serviceName":"svc"}}}]}`,
				tid, tid, id, jref, start)
		case 1:
			fmt.Fprintf(&b, `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},"scopeSpans":[{"spans":[{"traceId":%q,"spanId":%q,"parentSpanId":%q,"name":"op","startTimeUnixNano":"%d000","endTimeUnixNano":"%d000"}]}]}]}`,
				tid, id, oparent, start, start+1)
		default:
			fmt.Fprintf(&b, `[{"traceId":%q,"id":%q,%s"name":"op","timestamp":%d,"duration":1,"localEndpoint":{"serviceName":"svc"}}]`,
				tid, id, zparent, start)
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// WarningDocuments returns n one-span Jaeger documents of one trace, one a
// line, each with an envelope error about that trace, every message
// different: n distinct warnings to merge.
func WarningDocuments(n int) []byte {
	const tid = "5afe5afe5afe5afe0000000000000002"
	var b bytes.Buffer
	b.Grow(n * 250)
	for i := range n {
		fmt.Fprintf(&b, `{"data":[{"traceID":%q,"spans":[{"traceID":%q,"spanID":"%016x","operationName":"op","startTime":%d,"duration":1,"processID":"p1"}],"processes":{"p1":{"serviceName":"svc"}}}],"errors":[{"code":500,"msg":"storage shard %d timed out","traceID":%q}]}`,
			tid, tid, i+1, 1_700_000_000_000_000+int64(i), i, tid)
		b.WriteByte('\n')
	}
	return b.Bytes()
}
