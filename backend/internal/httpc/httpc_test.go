package httpc

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/tracetui/tracetui/backend"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	secretToken  = "tok-SECRET-1234567890"
	secretPass   = "pw-SECRET-abcdef"
	secretHeader = "hdr-SECRET-zyxwvu"
	secretQuery  = "q-SECRET-qqqqqq"
)

// newClient builds a client with fast retries and closes it at test end.
func newClient(t *testing.T, opts backend.HTTPOptions) *Client {
	t.Helper()
	c, err := New(opts, WithRetryWait(time.Millisecond, 5*time.Millisecond))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

func serve(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func jsonHandler(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		io.WriteString(w, body)
	}
}

func wantKind(t *testing.T, err error, kind backend.ErrorKind) *backend.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("want %v error, got nil", kind)
	}
	var be *backend.Error
	if !errors.As(err, &be) {
		t.Fatalf("want *backend.Error, got %T: %v", err, err)
	}
	if be.Kind != kind {
		t.Fatalf("want kind %v, got %v: %v", kind, be.Kind, err)
	}
	if strings.ContainsAny(err.Error(), "\n\r") {
		t.Fatalf("error message is not one line: %q", err.Error())
	}
	return be
}

func TestGetJoinsPrefixQueryAndSendsAuthAndHeaders(t *testing.T) {
	type seen struct {
		path, rawPath, query, auth, hdr, ua, accept, acceptEnc string
	}
	got := make(chan seen, 1)
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		got <- seen{r.URL.Path, r.URL.RawPath, r.URL.RawQuery, r.Header.Get("Authorization"),
			r.Header.Get("X-Scope-OrgID"), r.Header.Get("User-Agent"), r.Header.Get("Accept"),
			r.Header.Get("Accept-Encoding")}
		jsonHandler(`{"ok":true}`)(w, r)
	})
	c := newClient(t, backend.HTTPOptions{
		URL:       srv.URL + "/jaeger/",
		Token:     secretToken,
		Headers:   []backend.Header{{Name: "X-Scope-OrgID", Value: "tenant-1"}},
		UserAgent: "tracetui/test",
	})
	resp, err := c.GetJSON(context.Background(), "list", "/api/services/"+url.PathEscape("a/b c")+"/operations",
		url.Values{"service": {"x y"}, "query.num_traces": {"20"}})
	if err != nil {
		t.Fatalf("GetJSON: %v", err)
	}
	if resp.Status != 200 || resp.ContentType != "application/json" || string(resp.Body) != `{"ok":true}` || !resp.IsJSON() {
		t.Fatalf("response = %+v", resp)
	}
	s := <-got
	if s.path != "/jaeger/api/services/a/b c/operations" || s.rawPath != "/jaeger/api/services/a%2Fb%20c/operations" {
		t.Errorf("path %q raw %q", s.path, s.rawPath)
	}
	q, _ := url.ParseQuery(s.query)
	if q.Get("service") != "x y" || q.Get("query.num_traces") != "20" {
		t.Errorf("query %q", s.query)
	}
	if s.auth != "Bearer "+secretToken {
		t.Errorf("authorization %q", s.auth)
	}
	if s.hdr != "tenant-1" || s.ua != "tracetui/test" || s.accept != "application/json" {
		t.Errorf("headers %+v", s)
	}
	if !strings.Contains(s.acceptEnc, "gzip") {
		t.Errorf("Accept-Encoding %q does not offer gzip", s.acceptEnc)
	}
	if c.BaseURL() != srv.URL+"/jaeger" {
		t.Errorf("BaseURL %q", c.BaseURL())
	}
}

func TestBasicAuthFromOptionsAndFromURL(t *testing.T) {
	got := make(chan [2]string, 2)
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		u, p, _ := r.BasicAuth()
		got <- [2]string{u, p}
		jsonHandler(`[]`)(w, r)
	})
	c := newClient(t, backend.HTTPOptions{URL: srv.URL, Username: "alice", Password: secretPass})
	if _, err := c.Get(context.Background(), "x", "/", nil); err != nil {
		t.Fatal(err)
	}
	if g := <-got; g != [2]string{"alice", secretPass} {
		t.Errorf("basic auth %v", g)
	}
	u, _ := url.Parse(srv.URL)
	u.User = url.UserPassword("bob", secretPass)
	c2 := newClient(t, backend.HTTPOptions{URL: u.String()})
	if _, err := c2.Get(context.Background(), "x", "/", nil); err != nil {
		t.Fatal(err)
	}
	if g := <-got; g != [2]string{"bob", secretPass} {
		t.Errorf("basic auth from URL %v", g)
	}
	if strings.Contains(c2.BaseURL(), secretPass) || strings.Contains(c2.BaseURL(), "bob") {
		t.Errorf("BaseURL keeps credentials: %q", c2.BaseURL())
	}
}

func TestGzipBodyIsDecoded(t *testing.T) {
	want := strings.Repeat(`{"data":["svc"]}`, 100)
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			t.Errorf("no gzip offered")
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		io.WriteString(zw, want)
		zw.Close()
	})
	c := newClient(t, backend.HTTPOptions{URL: srv.URL})
	resp, err := c.GetJSON(context.Background(), "x", "/", nil)
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != want {
		t.Fatalf("body not decoded: %d bytes", len(resp.Body))
	}
}

func TestStatusKinds(t *testing.T) {
	cases := []struct {
		status int
		kind   backend.ErrorKind
	}{
		{401, backend.Unauthorized},
		{403, backend.Forbidden},
		{404, backend.NotFound},
		{400, backend.BadResponse},
		{500, backend.BadResponse},
		{501, backend.BadResponse},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			var hits atomic.Int32
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				http.Error(w, `{"errors":[{"msg":"went wrong"}]}`, tc.status)
			})
			c := newClient(t, backend.HTTPOptions{URL: srv.URL, Retries: 3})
			resp, err := c.Get(context.Background(), "list services", "/api/services", nil)
			be := wantKind(t, err, tc.kind)
			if be.Status != tc.status || resp == nil || resp.Status != tc.status {
				t.Errorf("status %d, resp %+v", be.Status, resp)
			}
			if !strings.Contains(be.Excerpt, "went wrong") {
				t.Errorf("excerpt %q", be.Excerpt)
			}
			if !strings.HasPrefix(err.Error(), "list services: ") || !strings.Contains(err.Error(), srv.URL+"/api/services") {
				t.Errorf("message %q", err.Error())
			}
			if hits.Load() != 1 {
				t.Errorf("HTTP %d was tried %d times; only 502/503/504 are retried", tc.status, hits.Load())
			}
		})
	}
}

func TestHTMLErrorPageExcerpt(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(500)
		io.WriteString(w, "<!DOCTYPE html><html><head><style>body{color:red}</style><title>Oops</title></head>"+
			"<body><h1>Internal \x1b[31mServer\x1b[0m Error</h1><script>alert(1)</script></body></html>")
	})
	c := newClient(t, backend.HTTPOptions{URL: srv.URL})
	_, err := c.Get(context.Background(), "x", "/", nil)
	be := wantKind(t, err, backend.BadResponse)
	if strings.ContainsAny(be.Excerpt, "<>\x1b") || strings.Contains(be.Excerpt, "alert") || strings.Contains(be.Excerpt, "color") {
		t.Errorf("excerpt keeps markup or escapes: %q", be.Excerpt)
	}
	if !strings.Contains(be.Excerpt, "Oops") || !strings.Contains(be.Excerpt, "Internal") {
		t.Errorf("excerpt lost the text: %q", be.Excerpt)
	}
}

// TestHTMLExcerptOfNonASCII: lowercasing may shrink a body (the Kelvin
// sign is three bytes, its "k" one) or grow it (invalid bytes become
// U+FFFD), so the tag search must not index one with the other's offsets.
func TestHTMLExcerptOfNonASCII(t *testing.T) {
	for name, body := range map[string]string{
		"shrinks": "<html>" + strings.Repeat("\u212a", 40) + "<b>bold</b><script>x</script>end",
		"grows":   "<html>" + strings.Repeat("\xff", 40) + "<STYLE>p{}</STYLE>text<i>",
	} {
		resp := &Response{Status: 500, ContentType: "text/html", Body: []byte(body)}
		ex := (&Client{}).BodyExcerpt(resp)
		if strings.ContainsAny(ex, "<>") || strings.Contains(ex, "p{}") || strings.Contains(ex, "x end") {
			t.Errorf("%s: excerpt %q", name, ex)
		}
	}
}

func TestLongBodyExcerptIsShort(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, strings.Repeat("x", 100000), 500)
	})
	c := newClient(t, backend.HTTPOptions{URL: srv.URL})
	_, err := c.Get(context.Background(), "x", "/", nil)
	be := wantKind(t, err, backend.BadResponse)
	if n := len([]rune(be.Excerpt)); n > ExcerptRunes+1 {
		t.Errorf("excerpt has %d runes", n)
	}
}

func TestWrongContentType(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<html><body>jaeger ui</body></html>")
	})
	c := newClient(t, backend.HTTPOptions{URL: srv.URL})
	resp, err := c.Get(context.Background(), "x", "/api/v3/trace-summaries", nil)
	if err != nil || resp.IsJSON() || resp.ContentType != "text/html" {
		t.Fatalf("Get: %v %+v", err, resp)
	}
	_, err = c.GetJSON(context.Background(), "x", "/api/v3/trace-summaries", nil)
	be := wantKind(t, err, backend.BadResponse)
	if be.Status != 200 || !strings.Contains(err.Error(), "text/html") {
		t.Errorf("error %q", err)
	}
}

func TestRetriesOn502503504ThenSucceeds(t *testing.T) {
	for _, status := range []int{502, 503, 504} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			var hits atomic.Int32
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				if hits.Add(1) <= 2 {
					http.Error(w, "busy", status)
					return
				}
				jsonHandler(`{}`)(w, r)
			})
			c := newClient(t, backend.HTTPOptions{URL: srv.URL, Retries: 3})
			resp, err := c.GetJSON(context.Background(), "x", "/", nil)
			if err != nil || resp.Status != 200 {
				t.Fatalf("%v %+v", err, resp)
			}
			if hits.Load() != 3 {
				t.Errorf("%d attempts, want 3", hits.Load())
			}
		})
	}
}

func TestRetriesExhausted(t *testing.T) {
	var hits atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, "bad gateway", http.StatusBadGateway)
	})
	c := newClient(t, backend.HTTPOptions{URL: srv.URL, Retries: 2})
	_, err := c.Get(context.Background(), "x", "/", nil)
	be := wantKind(t, err, backend.BadResponse)
	if be.Status != 502 || hits.Load() != 3 {
		t.Errorf("status %d after %d attempts, want 502 after 3", be.Status, hits.Load())
	}

	hits.Store(0)
	c0 := newClient(t, backend.HTTPOptions{URL: srv.URL, Retries: -1})
	_, err = c0.Get(context.Background(), "x", "/", nil)
	wantKind(t, err, backend.BadResponse)
	if hits.Load() != 1 {
		t.Errorf("negative Retries still retried: %d attempts", hits.Load())
	}
}

func TestResetConnectionIsRetriedThenUnreachable(t *testing.T) {
	var hits atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		if tc, ok := conn.(*net.TCPConn); ok {
			tc.SetLinger(0) // close with RST
		}
		conn.Close()
	})
	c := newClient(t, backend.HTTPOptions{URL: srv.URL, Retries: 2})
	_, err := c.Get(context.Background(), "x", "/", nil)
	wantKind(t, err, backend.Unreachable)
	if hits.Load() < 3 {
		t.Errorf("reset connection tried %d times, want at least 3", hits.Load())
	}
}

func TestResetThenSuccess(t *testing.T) {
	var hits atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.(*net.TCPConn).SetLinger(0)
			conn.Close()
			return
		}
		jsonHandler(`{}`)(w, r)
	})
	c := newClient(t, backend.HTTPOptions{URL: srv.URL})
	if _, err := c.GetJSON(context.Background(), "x", "/", nil); err != nil {
		t.Fatal(err)
	}
}

func freeClosedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestRefusedIsUnreachable(t *testing.T) {
	c := newClient(t, backend.HTTPOptions{URL: "http://" + freeClosedPort(t), Token: secretToken})
	_, err := c.Get(context.Background(), "list services", "/api/services", url.Values{"k": {secretQuery}})
	be := wantKind(t, err, backend.Unreachable)
	if !errors.Is(err, syscall.ECONNREFUSED) || !errors.Is(err, backend.ErrUnreachable) {
		t.Errorf("cause lost: %v", err)
	}
	if strings.Contains(err.Error(), secretQuery) || strings.Contains(be.URL, "?") {
		t.Errorf("query string in error: %q", err)
	}
}

func TestRefusedWhileRetryingIsRetried(t *testing.T) {
	// The first answer is a 503, then the server goes away: the refusals
	// that follow are retried until the retries run out.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	srv.Listener.Close()
	srv.Listener = l
	var hits atomic.Int32
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Connection", "close")
		http.Error(w, "restarting", http.StatusServiceUnavailable)
		go l.Close()
	})
	srv.Start()
	t.Cleanup(srv.Close)
	var attempts atomic.Int32
	c := newClient(t, backend.HTTPOptions{URL: srv.URL, Retries: 3})
	ot := c.hc.Transport.(*originTransport)
	ot.base = countingTransport{base: ot.base, n: &attempts}
	_, err = c.Get(context.Background(), "x", "/", nil)
	if err == nil {
		t.Fatal("no error")
	}
	if hits.Load() != 1 || attempts.Load() != 4 {
		t.Errorf("%d hits, %d attempts; want 1 hit and 4 attempts", hits.Load(), attempts.Load())
	}
}

func TestTimeoutBoundsWholeWait(t *testing.T) {
	var hits atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		<-r.Context().Done()
	})
	c := newClient(t, backend.HTTPOptions{URL: srv.URL, Timeout: 150 * time.Millisecond, Token: secretToken})
	_, err := c.Get(context.Background(), "get trace", "/api/traces/1", nil)
	wantKind(t, err, backend.Timeout)
	if !errors.Is(err, backend.ErrTimeout) {
		t.Error("errors.Is ErrTimeout")
	}
	if hits.Load() != 1 {
		t.Errorf("a timed-out request was retried (%d attempts)", hits.Load())
	}
}

func TestTimeoutWhileRetrying(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "busy", http.StatusServiceUnavailable)
	})
	c, err := New(backend.HTTPOptions{URL: srv.URL, Timeout: 100 * time.Millisecond, Retries: 50},
		WithRetryWait(20*time.Millisecond, 40*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Get(context.Background(), "x", "/", nil)
	wantKind(t, err, backend.Timeout)
}

func TestCanceled(t *testing.T) {
	entered := make(chan struct{})
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-r.Context().Done()
	})
	c := newClient(t, backend.HTTPOptions{URL: srv.URL})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-entered
		cancel()
	}()
	_, err := c.Get(ctx, "x", "/", nil)
	wantKind(t, err, backend.Canceled)
	if !errors.Is(err, backend.ErrCanceled) {
		t.Error("errors.Is ErrCanceled")
	}

	done, cancel2 := context.WithCancel(context.Background())
	cancel2()
	_, err = c.Get(done, "x", "/", nil)
	wantKind(t, err, backend.Canceled)
}

func TestTooLarge(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, strings.Repeat(" ", 10000))
	})
	c := newClient(t, backend.HTTPOptions{URL: srv.URL, MaxResponseBytes: 1000})
	_, err := c.Get(context.Background(), "x", "/", nil)
	wantKind(t, err, backend.TooLarge)

	c2 := newClient(t, backend.HTTPOptions{URL: srv.URL, MaxResponseBytes: 10000})
	if _, err := c2.Get(context.Background(), "x", "/", nil); err != nil {
		t.Errorf("body of exactly the limit: %v", err)
	}
}

func TestGzipBombIsBoundedAfterDecoding(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(make([]byte, 4<<20))
	zw.Close()
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(buf.Bytes())
	})
	c := newClient(t, backend.HTTPOptions{URL: srv.URL, MaxResponseBytes: 1 << 20})
	_, err := c.Get(context.Background(), "x", "/", nil)
	wantKind(t, err, backend.TooLarge)
}

func TestRedirectLoop(t *testing.T) {
	var hits atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, "/loop?n="+fmt.Sprint(hits.Load()), http.StatusFound)
	})
	c := newClient(t, backend.HTTPOptions{URL: srv.URL})
	_, err := c.Get(context.Background(), "x", "/start", nil)
	wantKind(t, err, backend.BadResponse)
	if !strings.Contains(err.Error(), "redirect") {
		t.Errorf("message %q does not say redirect", err)
	}
	if n := hits.Load(); n != MaxRedirects {
		t.Errorf("%d requests, want %d", n, MaxRedirects)
	}
}

func TestRedirectFollowedKeepsAuthOnSameHost(t *testing.T) {
	var auth atomic.Value
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/new", http.StatusMovedPermanently)
			return
		}
		auth.Store(r.Header.Get("Authorization"))
		jsonHandler(`{}`)(w, r)
	})
	c := newClient(t, backend.HTTPOptions{URL: srv.URL, Token: secretToken})
	if _, err := c.GetJSON(context.Background(), "x", "/old", nil); err != nil {
		t.Fatal(err)
	}
	if auth.Load() != "Bearer "+secretToken {
		t.Errorf("auth after redirect %v", auth.Load())
	}
}

func writeCA(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ca.pem")
	b := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTLS(t *testing.T) {
	srv := httptest.NewTLSServer(jsonHandler(`{}`))
	t.Cleanup(srv.Close)

	c := newClient(t, backend.HTTPOptions{URL: srv.URL})
	_, err := c.Get(context.Background(), "x", "/", nil)
	wantKind(t, err, backend.TLSError)
	if !errors.Is(err, backend.ErrTLS) {
		t.Error("errors.Is ErrTLS")
	}

	ca := newClient(t, backend.HTTPOptions{URL: srv.URL, CACertFile: writeCA(t, srv)})
	if _, err := ca.GetJSON(context.Background(), "x", "/", nil); err != nil {
		t.Errorf("with CA file: %v", err)
	}
	skip := newClient(t, backend.HTTPOptions{URL: srv.URL, InsecureSkipVerify: true})
	if _, err := skip.GetJSON(context.Background(), "x", "/", nil); err != nil {
		t.Errorf("with skip-verify: %v", err)
	}
}

func TestTLSClientAgainstPlainServer(t *testing.T) {
	srv := serve(t, jsonHandler(`{}`))
	c := newClient(t, backend.HTTPOptions{URL: strings.Replace(srv.URL, "http://", "https://", 1)})
	_, err := c.Get(context.Background(), "x", "/", nil)
	wantKind(t, err, backend.TLSError)
}

func TestBadCAFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(p, []byte("not a certificate"), 0o600)
	_, err := New(backend.HTTPOptions{URL: "http://127.0.0.1:1", CACertFile: p})
	wantKind(t, err, backend.TLSError)
	_, err = New(backend.HTTPOptions{URL: "http://127.0.0.1:1", CACertFile: filepath.Join(t.TempDir(), "missing.pem")})
	wantKind(t, err, backend.TLSError)
}

func TestNewRejectsBadInput(t *testing.T) {
	for _, tc := range []backend.HTTPOptions{
		{URL: ""},
		{URL: "ftp://host/"},
		{URL: "http://"},
		{URL: "http://h", Headers: []backend.Header{{Name: "Bad Name", Value: "v"}}},
		{URL: "http://h", Headers: []backend.Header{{Name: "X-Key", Value: secretHeader + "\r\nX-Evil: 1"}}},
		{URL: "http://" + secretPass + "@[::1"},
		{URL: "http://h", Token: secretHeader + "\n"},
		{URL: "http://h", Username: "u", Password: secretPass + "\r\n"},
	} {
		_, err := New(tc)
		if err == nil {
			t.Errorf("New(%+v) accepted", tc)
			continue
		}
		if strings.Contains(err.Error(), secretHeader) || strings.Contains(err.Error(), secretPass) {
			t.Errorf("secret in %q", err)
		}
	}
	c, err := New(backend.HTTPOptions{URL: "localhost:16686"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.BaseURL() != "http://localhost:16686" {
		t.Errorf("scheme-less URL became %q", c.BaseURL())
	}
}

// TestSecretsNeverInErrors runs every failure with every kind of secret set
// and a server that echoes the request back in its error bodies.
func TestSecretsNeverInErrors(t *testing.T) {
	echo := func(status int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			var b strings.Builder
			fmt.Fprintf(&b, "%s %s\n", r.Method, r.URL.String())
			for k, v := range r.Header {
				fmt.Fprintf(&b, "%s: %s\n", k, strings.Join(v, ","))
			}
			u, p, _ := r.BasicAuth()
			fmt.Fprintf(&b, "basic %s %s\n", u, p)
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(status)
			io.WriteString(w, b.String())
		}
	}
	mux := http.NewServeMux()
	for _, st := range []int{200, 400, 401, 403, 404, 500, 502} {
		mux.HandleFunc(fmt.Sprintf("/s%d", st), echo(st))
	}
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop?"+r.URL.RawQuery, http.StatusFound)
	})
	srv := serve(t, mux.ServeHTTP)
	check := func(name string, err error) {
		t.Helper()
		if err == nil {
			t.Errorf("%s: no error", name)
			return
		}
		msg := err.Error()
		for _, s := range []string{secretToken, secretPass, secretHeader, secretQuery} {
			if strings.Contains(msg, s) {
				t.Errorf("%s: secret %q in %q", name, s, msg)
			}
		}
	}
	// The request's own query holds no secret of the user's, but an echoing
	// server must not get one into an error through the URL either; the base
	// URL's query may hold an API key, which is scrubbed even from bodies.
	q := url.Values{"token": {secretQuery}}
	for _, auth := range []backend.HTTPOptions{
		{Token: secretToken, Headers: []backend.Header{{Name: "X-Api-Key", Value: secretHeader}}},
		{Username: "u", Password: secretPass},
	} {
		opts := auth
		opts.URL = srv.URL + "/?apikey=" + secretQuery
		opts.Timeout = 200 * time.Millisecond
		c := newClient(t, opts)
		for _, st := range []int{400, 401, 403, 404, 500, 502} {
			_, err := c.Get(context.Background(), "x", fmt.Sprintf("/s%d", st), nil)
			check(fmt.Sprint(st), err)
		}
		_, err := c.GetJSON(context.Background(), "x", "/s200", nil)
		check("content type", err)
		_, err = c.Get(context.Background(), "x", "/slow", q)
		check("timeout", err)
		_, err = c.Get(context.Background(), "x", "/loop", q)
		check("redirect", err)

		opts.URL = "http://" + freeClosedPort(t)
		_, err = newClient(t, opts).Get(context.Background(), "x", "/", q)
		check("refused", err)
	}
	u, _ := url.Parse(srv.URL)
	u.User = url.UserPassword("bob", secretPass)
	u.RawQuery = "apikey=" + secretQuery
	c := newClient(t, backend.HTTPOptions{URL: u.String() + "#frag"})
	_, err := c.Get(context.Background(), "x", "/s500", nil)
	check("userinfo URL", err)
}

func TestClassify(t *testing.T) {
	cases := []struct {
		err  error
		want backend.ErrorKind
	}{
		{&url.Error{Op: "Get", URL: "http://x", Err: &net.DNSError{Err: "no such host", Name: "x", IsNotFound: true}}, backend.Unreachable},
		{&net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, backend.Unreachable},
		{&net.OpError{Op: "read", Err: os.NewSyscallError("read", syscall.ECONNRESET)}, backend.Unreachable},
		{io.ErrUnexpectedEOF, backend.Unreachable},
		{context.DeadlineExceeded, backend.Timeout},
		{context.Canceled, backend.Canceled},
		{errors.New("tls: failed to verify certificate: x509: certificate signed by unknown authority"), backend.TLSError},
	}
	for _, tc := range cases {
		if got := Classify(tc.err); got != tc.want {
			t.Errorf("Classify(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

func TestURLBuilding(t *testing.T) {
	for _, tc := range []struct{ base, path, want string }{
		{"http://h:1", "/api/services", "http://h:1/api/services"},
		{"http://h:1/", "api/services", "http://h:1/api/services"},
		{"http://h:1/jaeger", "/api/v3/traces", "http://h:1/jaeger/api/v3/traces"},
		{"http://h:1/jaeger/", "/api/v3/traces", "http://h:1/jaeger/api/v3/traces"},
		{"http://h:1/a%2Fb/", "/api/traces/" + url.PathEscape("x/y"), "http://h:1/a%2Fb/api/traces/x%2Fy"},
	} {
		c, err := New(backend.HTTPOptions{URL: tc.base})
		if err != nil {
			t.Fatal(err)
		}
		if got := c.URL(tc.path, nil); got != tc.want {
			t.Errorf("URL(%q, %q) = %q, want %q", tc.base, tc.path, got, tc.want)
		}
		c.Close()
	}
	c, _ := New(backend.HTTPOptions{URL: "http://h/?org=1"})
	defer c.Close()
	if got := c.URL("/x", url.Values{"a": {"b c"}}); got != "http://h/x?a=b+c&org=1" {
		t.Errorf("base query not kept: %q", got)
	}
}

func TestProgressCountsBody(t *testing.T) {
	body := strings.Repeat("x", 100_000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		io.WriteString(w, body)
	}))
	defer srv.Close()
	c, err := New(backend.HTTPOptions{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var p backend.Progress
	if _, err := c.Get(backend.WithProgress(context.Background(), &p), "get", "/x", nil); err != nil {
		t.Fatal(err)
	}
	if p.Bytes() != int64(len(body)) || p.Total() != int64(len(body)) {
		t.Fatalf("progress %d of %d, want %d", p.Bytes(), p.Total(), len(body))
	}
}

// TestStallMidBody: a server that sends half a body and then hangs must end
// in a timeout within the bound, not hang the client.
func TestStallMidBody(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "1000")
		io.WriteString(w, `{"data":[{"traceID":"ab`)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	c := newClient(t, backend.HTTPOptions{URL: srv.URL, Timeout: 200 * time.Millisecond})
	_, err := c.Get(context.Background(), "get trace", "/api/traces/1", nil)
	wantKind(t, err, backend.Timeout)
	// The bound covers the body, decoding included: the message says the
	// answer was coming, so that the remedy (a longer timeout) is clear.
	if !strings.Contains(err.Error(), "the answer was still arriving when 200ms had passed (23 bytes read;") {
		t.Errorf("message %q", err)
	}
}

// TestDNSFailure: a name that cannot resolve (.invalid is reserved for
// that) is unreachable, or a timeout where the resolver itself cannot be
// reached; either way a typed, one-line error.
func TestDNSFailure(t *testing.T) {
	c := newClient(t, backend.HTTPOptions{URL: "http://tracetui-no-such-host.invalid:16686", Timeout: 3 * time.Second})
	_, err := c.Get(context.Background(), "services", "/api/services", nil)
	var be *backend.Error
	if !errors.As(err, &be) || (be.Kind != backend.Unreachable && be.Kind != backend.Timeout) {
		t.Fatalf("want unreachable or timeout, got %v", err)
	}
}

func TestDecodeError(t *testing.T) {
	c := newClient(t, backend.HTTPOptions{URL: "http://h", Token: secretToken})
	resp := &Response{Status: 200, ContentType: "application/json", URL: "http://h/api/x", Body: []byte(`{"a": tru}`)}

	var v any
	jsonErr := json.Unmarshal(resp.Body, &v)
	e := c.DecodeError("search", resp, jsonErr)
	if e.Kind != backend.DecodeError || e.Op != "search" || e.URL != resp.URL || e.Status != 200 {
		t.Errorf("JSON error: %+v", e)
	}
	if want := int64(strings.Index(string(resp.Body), "}")); e.Offset != want {
		t.Errorf("JSON error at byte %d, want %d (the offending byte)", e.Offset, want)
	}
	if !errors.As(e, new(*json.SyntaxError)) {
		t.Errorf("the JSON error is not kept as the cause: %v", e)
	}

	dec := &backend.Error{Kind: backend.DecodeError, Op: "decode Zipkin JSON", Offset: 7,
		Err: errors.New("bad span near " + secretToken)}
	e = c.DecodeError("get trace ab", resp, dec)
	if e.Op != "get trace ab: decode Zipkin JSON" || e.Offset != 7 || e.URL != resp.URL {
		t.Errorf("decoder error: %+v", e)
	}
	if strings.Contains(e.Error(), secretToken) {
		t.Errorf("secret in %q", e.Error())
	}
	if dec.URL != "" || dec.Op != "decode Zipkin JSON" {
		t.Errorf("the decoder's error was changed in place: %+v", dec)
	}

	server := &backend.Error{Kind: backend.NotFound, Op: "Jaeger response", Offset: -1, Excerpt: "trace not found " + secretToken}
	e = c.DecodeError("get trace ab", resp, server)
	if e.Kind != backend.NotFound || e.Op != "get trace ab" || strings.Contains(e.Error(), secretToken) {
		t.Errorf("server's error: %+v", e)
	}
}

// TestTLSWrongHost: a certificate from a trusted CA but for another name is
// a TLS error, not a silent success (httptest's certificate names
// example.com and 127.0.0.1, not localhost).
func TestTLSWrongHost(t *testing.T) {
	srv := httptest.NewTLSServer(jsonHandler(`{}`))
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, backend.HTTPOptions{URL: "https://localhost:" + u.Port(), CACertFile: writeCA(t, srv)})
	_, err = c.Get(context.Background(), "x", "/", nil)
	wantKind(t, err, backend.TLSError)
}

// countingTransport counts the attempts that reach the network.
type countingTransport struct {
	base http.RoundTripper
	n    *atomic.Int32
}

func (t countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.n.Add(1)
	return t.base.RoundTrip(req)
}
