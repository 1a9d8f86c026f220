package otlp

import "testing"

// The 10,000-span size beside BenchmarkDecode's 1,000 and 100,000 (issue 6
// asks for decode at 1k, 10k and 100k), with json.Unmarshal into any as the
// yardstick on the same bytes.
func BenchmarkDecode10k(b *testing.B) {
	const n = 10_000
	codec().BenchDecode(b, n)
	codec().BenchUnmarshalAny(b, "unmarshal-any/", n)
}
