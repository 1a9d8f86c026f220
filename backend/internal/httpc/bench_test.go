package httpc

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/tracetui/tracetui/backend"
)

// BenchmarkGetLargeBody reads a 64 MiB body, the size of a 100,000-span
// trace from Jaeger.
func BenchmarkGetLargeBody(b *testing.B) {
	body := make([]byte, 64<<20)
	for i := range body {
		body[i] = 'x'
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	}))
	defer srv.Close()
	c, err := New(backend.HTTPOptions{URL: srv.URL})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		res, err := c.Get(context.Background(), "get", "/t", nil)
		if err != nil || len(res.Body) != len(body) {
			b.Fatal(err)
		}
	}
}
