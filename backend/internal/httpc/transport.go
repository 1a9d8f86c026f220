package httpc

import (
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/tracetui/tracetui/backend"
)

// originTransport adds the configured credentials and custom headers to a
// request only when it goes to the configured origin (scheme, host and
// port), so that no redirect, to another host or another port of the same
// host, carries them. http.Client copies a request's own headers to a
// redirect; these were never in it.
type originTransport struct {
	base   http.RoundTripper
	origin string
	creds  http.Header
}

func (t *originTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if len(t.creds) > 0 && originOf(req.URL) == t.origin {
		req = req.Clone(req.Context())
		for k, v := range t.creds {
			req.Header[k] = v
		}
	}
	return t.base.RoundTrip(req)
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the
// pooled connections.
func (t *originTransport) CloseIdleConnections() {
	if ci, ok := t.base.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

// originOf is scheme://host:port, lowercase, with the scheme's default port
// written out.
func originOf(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		switch scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// errRedirectLoop ends a chain of more than MaxRedirects redirects.
var errRedirectLoop = errors.New("too many redirects")

// downgradeError is a redirect from https to plain http: the request, and
// whatever comes back, would travel unencrypted.
type downgradeError struct{ to string }

func (e *downgradeError) Error() string {
	return "refused a redirect from https to " + e.to + ": it would travel unencrypted"
}

func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= MaxRedirects {
		return errRedirectLoop
	}
	if req.URL.Scheme != "https" {
		for _, v := range via {
			if v.URL.Scheme == "https" {
				return &downgradeError{to: originOf(req.URL)}
			}
		}
	}
	return nil
}

// errBodyTooLarge ends the read of a body over the limit.
var errBodyTooLarge = errors.New("response body too large")

// corruptError is a compressed body that does not decompress.
type corruptError struct {
	encoding string
	err      error
}

func (e *corruptError) Error() string {
	return fmt.Sprintf("the %s body is corrupt: %v", e.encoding, e.err)
}

func (e *corruptError) Unwrap() error { return e.err }

// body wraps a response body: the bytes on the wire are counted into the
// context's backend.Progress and capped, decompressed here whatever asked
// for the encoding (us by default, or the user's own Accept-Encoding
// header), and the decompressed bytes capped again, as they stream: a gzip
// bomb stops at the cap, not after inflating whole.
func (c *Client) body(ctx context.Context, res *http.Response) (*bodyReader, error) {
	wire := &capped{r: res.Body, left: c.maxBody, prog: backend.ProgressFrom(ctx)}
	if wire.prog != nil {
		wire.prog.Restart()
		wire.prog.SetLimit(c.maxBody)
		wire.prog.SetTotal(res.ContentLength)
	}
	b := &bodyReader{wire: wire}
	switch enc := strings.ToLower(strings.TrimSpace(res.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
		b.r = wire
		return b, nil
	case "gzip", "x-gzip", "deflate":
		b.encoding = enc
		b.r = &capped{r: &lazyDecompressor{src: wire, enc: enc}, left: c.maxBody}
		return b, nil
	default:
		return nil, fmt.Errorf("content encoding %q is not supported", backend.Excerpt([]byte(enc), 40))
	}
}

// bodyReader remembers the first failure of the body itself (cut, reset,
// over the cap, corrupt encoding), which a decoder reading it may report as
// something else.
type bodyReader struct {
	r        io.Reader
	wire     *capped
	encoding string
	failed   error
}

func (b *bodyReader) Read(p []byte) (int, error) {
	if b.failed != nil {
		return 0, b.failed
	}
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF {
		switch {
		case b.wire.err != nil:
			err = b.wire.err
		case b.encoding != "" && !errors.Is(err, errBodyTooLarge):
			err = &corruptError{encoding: b.encoding, err: err}
		}
		b.failed = err
	}
	return n, err
}

// capped fails with errBodyTooLarge after left bytes, and counts bytes
// into prog when it has one. err is its first failure.
type capped struct {
	r    io.Reader
	left int64
	prog *backend.Progress
	err  error
}

func (c *capped) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, errBodyTooLarge
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.prog != nil {
		c.prog.Add(int64(n))
	}
	if c.left < 0 {
		err = errBodyTooLarge
	}
	if err != nil && err != io.EOF && c.err == nil {
		c.err = err
	}
	return n, err
}

// lazyDecompressor starts decompressing at the first read: gzip.NewReader
// reads the header at once, which must not happen outside the body's read.
type lazyDecompressor struct {
	src io.Reader
	enc string
	r   io.Reader
}

func (l *lazyDecompressor) Read(p []byte) (int, error) {
	if l.r == nil {
		var err error
		if l.enc == "deflate" {
			l.r, err = zlib.NewReader(l.src)
		} else {
			l.r, err = gzip.NewReader(l.src)
		}
		if err != nil {
			return 0, err
		}
	}
	return l.r.Read(p)
}
