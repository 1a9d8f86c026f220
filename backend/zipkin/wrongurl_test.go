package zipkin

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
)

// Zipkin answers an empty search with 200 []: its 404 means a wrong URL and
// must not read as "no traces".
func TestSearchWrongPrefixIsAnError(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	c, err := New(backend.HTTPOptions{URL: srv.URL + "/wrong-prefix", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	got, err := c.Search(context.Background(), backend.Query{Service: "frontend", Tags: []backend.Tag{{Key: "a", Value: "b"}}})
	if err == nil {
		t.Errorf("search behind a wrong prefix: %v and no error", got)
	}
}
