// Package hostilehttp is the hostile corpus's network half: behaviours of a
// Jaeger or Zipkin (or whatever sits at their URL) that try to steal
// credentials, exhaust memory, hold the client forever or get bytes onto the
// user's terminal. Each is an http.Handler for httptest on loopback; the
// tests of the HTTP plumbing and the command line run against them. It
// imports nothing of the project, so that the HTTP plumbing's own tests can
// use it.
package hostilehttp

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Redirect answers every request with a redirect to target followed by the
// request's path and query: a server that sends the client, and whatever
// headers it carries, elsewhere (another host, another port of the same
// host, plain http).
func Redirect(target string, status int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, strings.TrimRight(target, "/")+r.URL.RequestURI(), status)
	})
}

// EchoRequest answers with status and the whole request as text: method,
// URL, every header, the basic auth decoded. A proxy's error page may quote
// the request like this; whatever the client shows of it must not hold a
// secret.
func EchoRequest(status int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		fmt.Fprintf(&b, "%s %s\n", r.Method, r.URL.String())
		for k, v := range r.Header {
			fmt.Fprintf(&b, "%s: %s\n", k, strings.Join(v, ","))
		}
		if u, p, ok := r.BasicAuth(); ok {
			fmt.Fprintf(&b, "basic %s %s\n", u, p)
		}
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(status)
		io.WriteString(w, b.String())
	})
}

// SplitSecret is a body of n bytes or more with secret placed so that its
// first half ends exactly at byte cut: an excerpt cut at that byte before
// secrets are replaced keeps half a secret. Control bytes sit inside a
// second copy of the secret, so that cleaning (which drops them) would
// rejoin it after scrubbing.
func SplitSecret(secret string, cut, n int) []byte {
	half := len(secret) / 2
	var b bytes.Buffer
	b.WriteString("error: ")
	if cut > b.Len()+len(secret)+4 {
		b.WriteString(secret[:half] + "\x07\x1b[0m" + secret[half:] + " ")
	}
	for b.Len() < cut-half {
		b.WriteByte('x')
	}
	b.WriteString(secret)
	for b.Len() < n {
		b.WriteByte('y')
	}
	return b.Bytes()
}

// GzipBomb is a gzip body that inflates to size bytes of JSON white space
// from a few KiB on the wire: a cap counted on the compressed bytes, or
// applied after inflating whole, lets it take the memory. It is made of
// one-MiB gzip members, which a gzip reader reads as one stream.
func GzipBomb(size int64) []byte {
	var member bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
	zw.Write(bytes.Repeat([]byte(" "), 1<<20))
	zw.Close()
	n := int((size + 1<<20 - 1) >> 20)
	return bytes.Repeat(member.Bytes(), n)
}

// ServeGzip answers with body as gzip-encoded JSON, whatever the request
// offered: servers and proxies that compress regardless exist.
func ServeGzip(body []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	})
}

// Gzipped compresses s, for a well-formed compressed body.
func Gzipped(s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	io.WriteString(zw, s)
	zw.Close()
	return b.Bytes()
}

// LyingLength declares a Content-Length of declared bytes (8 EiB, say),
// sends body, then waits for release (or the client to go) before closing
// the connection: a progress display that believes the header promises a
// total that will never come.
func LyingLength(declared int64, body []byte, release <-chan struct{}) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", declared)
		buf.Write(body)
		buf.Flush()
		select {
		case <-release:
		case <-time.After(time.Minute):
		}
	})
}

// RetryAfter answers the first times requests with status and a Retry-After
// header of value (seconds, or an HTTP date), then hands over to next.
// hits counts every request.
func RetryAfter(status int, value string, times int32, next http.Handler, hits *atomic.Int32) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) <= times {
			if value != "" {
				w.Header().Set("Retry-After", value)
			}
			http.Error(w, "slow down", status)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Unsolicited answers with body as JSON, then, a moment later, writes a
// second response nobody asked for onto the idle keep-alive connection,
// holding marker. Go's HTTP client logs such bytes, quoted, through the
// standard logger ("Unsolicited response received on idle HTTP channel
// starting with …"), which prints to stderr unless silenced.
func Unsolicited(body, marker string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
		buf.Flush()
		time.Sleep(20 * time.Millisecond)
		fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nX-Marker: %s\r\nContent-Length: 0\r\n\r\n", marker)
		buf.Flush()
		// Give the client's idle reader time to see them before closing:
		// it closes the connection when it has.
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		buf.ReadByte()
	})
}
