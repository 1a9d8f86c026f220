package httpc

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/testkit/hostile/hostilehttp"
)

// seenHeaders records, per request, the headers that carry credentials.
type seenHeaders struct {
	auth, apiKey, tenant string
}

func recorder(t *testing.T, into chan<- seenHeaders, then http.Handler) *httptest.Server {
	t.Helper()
	return serve(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case into <- seenHeaders{r.Header.Get("Authorization"), r.Header.Get("X-Api-Key"), r.Header.Get("X-Scope-OrgID")}:
		default:
			t.Error("more requests than expected")
		}
		then.ServeHTTP(w, r)
	})
}

// TestCredentialsOnlyToTheirOrigin: a redirect to another port of the same
// host or to another host gets neither the token, nor basic auth, nor any
// custom header; a redirect back to the origin gets them again.
func TestCredentialsOnlyToTheirOrigin(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts backend.HTTPOptions
		auth string
	}{
		{"token", backend.HTTPOptions{Token: secretToken}, "Bearer " + secretToken},
		{"basic", backend.HTTPOptions{Username: "alice", Password: secretPass},
			"Basic " + base64.StdEncoding.EncodeToString([]byte("alice:"+secretPass))},
		{"header", backend.HTTPOptions{Headers: []backend.Header{{Name: "Authorization", Value: "Bearer " + secretHeader}}},
			"Bearer " + secretHeader},
	} {
		t.Run(tc.name, func(t *testing.T) {
			otherSeen := make(chan seenHeaders, 4)
			originSeen := make(chan seenHeaders, 4)
			var origin *httptest.Server
			// other answers /back with a redirect to the origin, anything
			// else with JSON.
			other := recorder(t, otherSeen, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/back" {
					http.Redirect(w, r, origin.URL+"/home", http.StatusFound)
					return
				}
				jsonHandler(`{}`)(w, r)
			}))
			otherURL, _ := url.Parse(other.URL)
			origin = recorder(t, originSeen, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case "/port":
					// the same host, another port
					http.Redirect(w, r, other.URL+"/x", http.StatusFound)
				case "/host":
					http.Redirect(w, r, "http://localhost:"+otherURL.Port()+"/x", http.StatusTemporaryRedirect)
				case "/roundtrip":
					http.Redirect(w, r, other.URL+"/back", http.StatusFound)
				default:
					jsonHandler(`{}`)(w, r)
				}
			}))
			opts := tc.opts
			opts.URL = origin.URL
			opts.Headers = append(opts.Headers, backend.Header{Name: "X-Api-Key", Value: secretHeader + "-api"},
				backend.Header{Name: "X-Scope-OrgID", Value: "tenant-1"})
			c := newClient(t, opts)
			for _, path := range []string{"/port", "/host", "/roundtrip"} {
				if _, err := c.GetJSON(context.Background(), "x", path, nil); err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				if s := <-originSeen; s.auth != tc.auth || s.apiKey == "" || s.tenant != "tenant-1" {
					t.Errorf("%s: the origin got %+v", path, s)
				}
				if s := <-otherSeen; s != (seenHeaders{}) {
					t.Errorf("%s: the redirect target got %+v", path, s)
				}
				if path == "/roundtrip" {
					if s := <-originSeen; s.auth != tc.auth || s.tenant != "tenant-1" {
						t.Errorf("back at the origin after a redirect: %+v", s)
					}
				}
			}
		})
	}
}

// TestUnauthorizedAfterRedirectSaysWhy: a 401 from a host a redirect led to
// says that the credentials were not sent there.
func TestUnauthorizedAfterRedirectSaysWhy(t *testing.T) {
	other := serve(t, func(w http.ResponseWriter, r *http.Request) { http.Error(w, "who are you", http.StatusUnauthorized) })
	origin := httptest.NewServer(hostilehttp.Redirect(other.URL, http.StatusFound))
	t.Cleanup(origin.Close)
	c := newClient(t, backend.HTTPOptions{URL: origin.URL, Token: secretToken})
	_, err := c.Get(context.Background(), "x", "/api/services", nil)
	wantKind(t, err, backend.Unauthorized)
	if !strings.Contains(err.Error(), "redirected to "+strings.TrimPrefix(other.URL, "")) ||
		!strings.Contains(err.Error(), "not sent the credentials") {
		t.Errorf("message %q", err)
	}
}

// TestHTTPSDowngradeRefused: an https backend redirecting to plain http is
// not followed; the plain server never sees a request.
func TestHTTPSDowngradeRefused(t *testing.T) {
	var plainHits atomic.Int32
	plain := serve(t, func(w http.ResponseWriter, r *http.Request) {
		plainHits.Add(1)
		jsonHandler(`{}`)(w, r)
	})
	tlsSrv := httptest.NewTLSServer(hostilehttp.Redirect(plain.URL, http.StatusMovedPermanently))
	t.Cleanup(tlsSrv.Close)
	c := newClient(t, backend.HTTPOptions{URL: tlsSrv.URL, CACertFile: writeCA(t, tlsSrv), Token: secretToken})
	_, err := c.Get(context.Background(), "list services", "/api/services", nil)
	wantKind(t, err, backend.TLSError)
	if !strings.Contains(err.Error(), "refused a redirect from https to "+plain.URL) || !strings.Contains(err.Error(), "unencrypted") {
		t.Errorf("message %q", err)
	}
	if plainHits.Load() != 0 {
		t.Errorf("the plain-http server got %d requests", plainHits.Load())
	}
}

// TestEverySecretFormScrubbed: an error page that quotes a secret in any
// form it was configured or sent in shows none of them.
func TestEverySecretFormScrubbed(t *testing.T) {
	const tok = "tok/en+with&odd=chars\"1234"
	user, pass := "alice", "p@ss word/"+secretPass
	basic := base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
	hdrBasic := base64.StdEncoding.EncodeToString([]byte("bob:" + secretHeader))
	forms := []string{
		tok, url.QueryEscape(tok), url.PathEscape(tok), `tok/en+with&odd=chars\"1234`,
		pass, url.QueryEscape(pass), url.PathEscape(pass), basic,
		secretHeader, hdrBasic, "bob:" + secretHeader,
		"X-" + secretQuery,
	}
	var body strings.Builder
	for _, f := range forms {
		body.WriteString("[" + f + "] ")
	}
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { http.Error(w, body.String(), 500) })
	for _, opts := range []backend.HTTPOptions{
		{Token: tok},
		{Username: user, Password: pass},
		{Headers: []backend.Header{{Name: "Authorization", Value: "Bearer " + tok}}},
		{Headers: []backend.Header{{Name: "Proxy-Authorization", Value: "Basic " + hdrBasic}}},
		{Headers: []backend.Header{{Name: "X-Api-Key", Value: "X-" + secretQuery}}},
	} {
		opts.URL = srv.URL
		c := newClient(t, opts)
		_, err := c.Get(context.Background(), "x", "/", nil)
		wantKind(t, err, backend.BadResponse)
		msg := err.Error()
		var secret []string
		switch {
		case opts.Token != "":
			secret = forms[:4]
		case opts.Password != "":
			secret = forms[4:8]
		case strings.Contains(opts.Headers[0].Value, tok):
			secret = forms[:2]
		case strings.HasPrefix(opts.Headers[0].Value, "Basic"):
			secret = forms[8:11]
		default:
			secret = forms[11:]
		}
		for _, s := range secret {
			if strings.Contains(msg, s) {
				t.Errorf("%+v: %q in %q", opts, s, msg)
			}
		}
	}
}

// TestSplitSecretScrubbed: a secret that straddles the excerpt's cut, or is
// split by control bytes that cleaning drops, leaves no part of itself.
func TestSplitSecretScrubbed(t *testing.T) {
	secret := "Zq9" + strings.Repeat("SECRETPART", 6) + "Xy7"
	c := newClient(t, backend.HTTPOptions{URL: "http://h", Token: secret})
	window := backend.ExcerptWindow(ExcerptRunes)
	for cut := window - 40; cut <= window+40; cut += 3 {
		for _, n := range []int{cut + 40, window + 1000} {
			resp := &Response{Status: 500, ContentType: "text/plain", Body: hostilehttp.SplitSecret(secret, cut, n)}
			e := c.StatusError("x", resp)
			msg := e.Error()
			if strings.Contains(msg, "SECRETPART") || strings.Contains(msg, "Zq9") || strings.Contains(msg, "Xy7") {
				t.Fatalf("cut %d, body %d: part of the secret in %q", cut, n, msg)
			}
		}
	}
	// The same secret cut by a short excerpt of a decoder's message.
	for _, n := range []int{10, 40, 60, 100} {
		ex := c.Excerpt([]byte("bad value "+secret+" here"), n)
		if strings.Contains(ex, "Zq9") || strings.Contains(ex, "SECRETPART") {
			t.Errorf("excerpt of %d: %q", n, ex)
		}
	}
}

// heapGrowth reports how much the heap grew while f ran.
func heapGrowth(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestGzipBombCountedAsItStreams: a body that inflates to 256 MiB stops at
// the 1 MiB cap having allocated about that, whoever asked for gzip: the
// client by default or the user with their own Accept-Encoding header.
func TestGzipBombCountedAsItStreams(t *testing.T) {
	bomb := hostilehttp.GzipBomb(256 << 20)
	srv := httptest.NewServer(hostilehttp.ServeGzip(bomb))
	t.Cleanup(srv.Close)
	for _, hdr := range [][]backend.Header{nil, {{Name: "Accept-Encoding", Value: "gzip"}}} {
		c := newClient(t, backend.HTTPOptions{URL: srv.URL, MaxResponseBytes: 1 << 20, Headers: hdr})
		var err error
		grew := heapGrowth(func() { _, err = c.Get(context.Background(), "x", "/", nil) })
		wantKind(t, err, backend.TooLarge)
		if grew > 64<<20 {
			t.Errorf("headers %v: %d MiB allocated for a 1 MiB cap", hdr, grew>>20)
		}
	}
}

// TestUserAcceptEncodingStillDecoded: with the user's own Accept-Encoding
// header the body is still decompressed (before, it reached the decoder as
// gzip bytes).
func TestUserAcceptEncodingStillDecoded(t *testing.T) {
	want := `{"data":["a","b"]}`
	srv := httptest.NewServer(hostilehttp.ServeGzip(hostilehttp.Gzipped(want)))
	t.Cleanup(srv.Close)
	c := newClient(t, backend.HTTPOptions{URL: srv.URL, Headers: []backend.Header{{Name: "Accept-Encoding", Value: "gzip"}}})
	resp, err := c.GetJSON(context.Background(), "x", "/", nil)
	if err != nil || string(resp.Body) != want {
		t.Fatalf("%v %q", err, resp.Body)
	}
}

func TestCorruptOrUnknownEncoding(t *testing.T) {
	var hits atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", r.URL.Query().Get("enc"))
		io.WriteString(w, "not compressed at all, \x1b[31m")
	})
	c := newClient(t, backend.HTTPOptions{URL: srv.URL})
	for _, enc := range []string{"gzip", "deflate", "br"} {
		hits.Store(0)
		_, err := c.Get(context.Background(), "x", "/", url.Values{"enc": {enc}})
		wantKind(t, err, backend.BadResponse)
		if hits.Load() != 1 {
			t.Errorf("%s: %d attempts", enc, hits.Load())
		}
		if strings.Contains(err.Error(), "\x1b") {
			t.Errorf("%s: %q", enc, err)
		}
	}
}

// TestLyingContentLengthGivesNoTotal: a Content-Length beyond the response
// cap is a lie, and progress shows bytes loaded without a total.
func TestLyingContentLengthGivesNoTotal(t *testing.T) {
	release := make(chan struct{})
	body := []byte(strings.Repeat(" ", 5<<10))
	srv := httptest.NewServer(hostilehttp.LyingLength(1<<62, body, release))
	t.Cleanup(srv.Close)
	c := newClient(t, backend.HTTPOptions{URL: srv.URL, Retries: -1})
	var p backend.Progress
	arrived := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		_, err := c.Stream(backend.WithProgress(context.Background(), &p), "get trace", "/", nil,
			func(_ *Response, r io.Reader) error {
				_, err := io.ReadFull(r, make([]byte, len(body)))
				close(arrived)
				_, err2 := io.Copy(io.Discard, r)
				return errors.Join(err, err2)
			})
		done <- err
	}()
	<-arrived
	if p.Bytes() != int64(len(body)) || p.Total() != 0 {
		t.Errorf("progress %d of %d; want %d of unknown", p.Bytes(), p.Total(), len(body))
	}
	close(release)
	wantKind(t, <-done, backend.Unreachable)
}

// TestStreamDecodesAsItArrives: the reader gets the first half of a body
// before the server sends the second (which it sends only once the client
// has read the first): the body is not read whole first.
func TestStreamDecodesAsItArrives(t *testing.T) {
	half := strings.Repeat("a", 256<<10)
	firstRead := make(chan struct{})
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", fmt.Sprint(2*len(half)))
		io.WriteString(w, half)
		w.(http.Flusher).Flush()
		select {
		case <-firstRead:
		case <-time.After(10 * time.Second):
			t.Error("the client did not read the first half before the second was sent")
		}
		io.WriteString(w, half)
	})
	c := newClient(t, backend.HTTPOptions{URL: srv.URL, Timeout: 30 * time.Second})
	var total int64
	_, err := c.Stream(context.Background(), "x", "/", nil, func(_ *Response, r io.Reader) error {
		if _, err := io.ReadFull(r, make([]byte, len(half))); err != nil {
			return err
		}
		close(firstRead)
		n, err := io.Copy(io.Discard, r)
		total = int64(len(half)) + n
		return err
	})
	if err != nil || total != int64(2*len(half)) {
		t.Fatalf("%v, %d bytes", err, total)
	}
}

// TestResetMidBodyIsRetriedFromTheStart: a connection reset halfway through
// a body starts the request over, and the reader again from the start.
func TestResetMidBodyIsRetriedFromTheStart(t *testing.T) {
	body := `{"data":[` + strings.Repeat(`"x",`, 20000) + `"end"]}`
	var hits atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			conn, buf, _ := w.(http.Hijacker).Hijack()
			fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body[:len(body)/2])
			buf.Flush()
			conn.(*net.TCPConn).SetLinger(0)
			conn.Close()
			return
		}
		jsonHandler(body)(w, r)
	})
	c := newClient(t, backend.HTTPOptions{URL: srv.URL})
	var reads int
	var got string
	_, err := c.Stream(context.Background(), "x", "/", nil, func(_ *Response, r io.Reader) error {
		reads++
		b, err := io.ReadAll(r)
		got = string(b)
		return err
	})
	if err != nil || got != body || reads != 2 || hits.Load() != 2 {
		t.Fatalf("err %v, %d bytes, %d reads, %d hits", err, len(got), reads, hits.Load())
	}
}

// TestDecoderErrorIsNotABodyError: a reader that gives up on good bytes
// gets its own error back, not retried.
func TestDecoderErrorIsNotABodyError(t *testing.T) {
	var hits atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		jsonHandler(`{"x":1}`)(w, r)
	})
	c := newClient(t, backend.HTTPOptions{URL: srv.URL})
	mine := errors.New("not what I wanted")
	resp, err := c.Stream(context.Background(), "x", "/", nil, func(*Response, io.Reader) error { return mine })
	if !errors.Is(err, mine) || resp == nil || resp.Status != 200 || hits.Load() != 1 {
		t.Fatalf("%v %+v %d", err, resp, hits.Load())
	}
}

// Test429IsRetriedAfterRetryAfter: 429 is retried, and Retry-After, in
// seconds or as an HTTP date, is waited for.
func Test429IsRetriedAfterRetryAfter(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		atLeast     time.Duration
	}{
		{"seconds", "1", 900 * time.Millisecond},
		{"date", time.Now().Add(3 * time.Second).UTC().Format(http.TimeFormat), time.Second},
		{"none", "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var hits atomic.Int32
			srv := httptest.NewServer(hostilehttp.RetryAfter(http.StatusTooManyRequests, tc.value, 1, jsonHandler(`{}`), &hits))
			t.Cleanup(srv.Close)
			c := newClient(t, backend.HTTPOptions{URL: srv.URL, Timeout: 30 * time.Second})
			start := time.Now()
			if _, err := c.GetJSON(context.Background(), "x", "/", nil); err != nil {
				t.Fatal(err)
			}
			if waited := time.Since(start); waited < tc.atLeast {
				t.Errorf("retried after %s, Retry-After asked for %s", waited, tc.value)
			}
			if hits.Load() != 2 {
				t.Errorf("%d attempts", hits.Load())
			}
		})
	}
}

// TestRetryAfterBeyondTheDeadline: a Retry-After that would outlast the
// timeout ends the wait at once with an error that says so, instead of
// retrying early (three times in 0.6 s before) or sleeping into a timeout.
func TestRetryAfterBeyondTheDeadline(t *testing.T) {
	for _, status := range []int{http.StatusServiceUnavailable, http.StatusTooManyRequests} {
		var hits atomic.Int32
		srv := httptest.NewServer(hostilehttp.RetryAfter(status, "100", 100, jsonHandler(`{}`), &hits))
		t.Cleanup(srv.Close)
		c := newClient(t, backend.HTTPOptions{URL: srv.URL, Timeout: 20 * time.Second, Token: secretToken})
		start := time.Now()
		_, err := c.Get(context.Background(), "search", "/api/traces", nil)
		be := wantKind(t, err, backend.BadResponse)
		if be.Status != status || hits.Load() != 1 {
			t.Errorf("HTTP %d after %d attempts", be.Status, hits.Load())
		}
		if !strings.Contains(err.Error(), "the server asks to retry in 1m40s, beyond the 20s timeout") {
			t.Errorf("message %q", err)
		}
		if time.Since(start) > 10*time.Second {
			t.Errorf("waited %s", time.Since(start))
		}
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"":                     0,
		"0":                    0,
		"-3":                   0,
		"7":                    7 * time.Second,
		" 12 ":                 12 * time.Second,
		"soon":                 0,
		"99999999999999999999": 0,
		"9999999999":           365 * 24 * time.Hour,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
		now.Add(-time.Hour).Format(http.TimeFormat):       0,
	} {
		if got := retryAfter(v, now); got != want {
			t.Errorf("retryAfter(%q) = %s, want %s", v, got, want)
		}
	}
}

// TestCAFileIsBounded: --ca-cert naming a file that never ends fails on
// its size at once.
func TestCAFileIsBounded(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	_, err := New(backend.HTTPOptions{URL: "https://127.0.0.1:1", CACertFile: "/dev/zero"})
	wantKind(t, err, backend.TLSError)
	if !strings.Contains(err.Error(), "/dev/zero is larger than 16 MiB") {
		t.Errorf("message %q", err)
	}
}
