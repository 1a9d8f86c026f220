// Package httpc is the HTTP plumbing shared by the Jaeger and Zipkin
// clients: one resty client built from backend.HTTPOptions, GET with a
// deadline that covers retries, bounded bodies, and every failure mapped to a
// *backend.Error that never carries a secret.
package httpc

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/tracetui/tracetui/backend"
)

// MaxRedirects ends redirect loops with a clear error.
const MaxRedirects = 10

// ExcerptRunes is the length of the body excerpt kept in a BadResponse.
const ExcerptRunes = 200

// DefaultUserAgent is sent when HTTPOptions.UserAgent is empty.
const DefaultUserAgent = "tracetui"

// Client does GETs against one base URL. It is safe for concurrent use.
type Client struct {
	rc      *resty.Client
	base    *url.URL
	timeout time.Duration
	maxBody int64
	// secrets are scrubbed from every error message, whatever produced it.
	secrets []string
}

// Option tunes a Client beyond what HTTPOptions says.
type Option func(*config)

type config struct {
	retryWait, retryMaxWait time.Duration
}

// WithRetryWait sets the first and the largest wait between retries
// (defaults 100ms and 2s); tests shorten them.
func WithRetryWait(first, max time.Duration) Option {
	return func(c *config) { c.retryWait, c.retryMaxWait = first, max }
}

// New builds a client. It fails on a malformed URL, an unreadable CA file or
// a header that cannot be sent; the error names no secret.
func New(opts backend.HTTPOptions, options ...Option) (*Client, error) {
	cfg := config{retryWait: 100 * time.Millisecond, retryMaxWait: 2 * time.Second}
	for _, o := range options {
		o(&cfg)
	}
	base, err := parseBase(opts.URL)
	if err != nil {
		return nil, err
	}
	c := &Client{
		base:    base,
		timeout: opts.Timeout,
		maxBody: opts.MaxResponseBytes,
	}
	if c.timeout <= 0 {
		c.timeout = backend.DefaultTimeout
	}
	if c.maxBody <= 0 {
		c.maxBody = backend.DefaultMaxResponseBytes
	}
	retries := opts.Retries
	switch {
	case retries == 0:
		retries = backend.DefaultRetries
	case retries < 0:
		retries = 0
	}
	for _, sec := range []struct{ what, v string }{{"token", opts.Token}, {"username", opts.Username}, {"password", opts.Password}} {
		if strings.ContainsAny(sec.v, "\r\n\x00") {
			// Go would refuse to send it, as an "unreachable" error naming
			// the header; say what is wrong, without the value.
			return nil, fmt.Errorf("the %s contains a line break or NUL (a file or variable with two lines?)", sec.what)
		}
	}
	username, password := opts.Username, opts.Password
	if base.User != nil {
		// Credentials written into the URL are used like --user would be,
		// and never kept in the URL that errors show.
		if username == "" && password == "" {
			username = base.User.Username()
			password, _ = base.User.Password()
		}
		base.User = nil
	}

	tlsConf := &tls.Config{InsecureSkipVerify: opts.InsecureSkipVerify} //nolint:gosec // the user asked for it
	if opts.CACertFile != "" {
		pool, err := loadCAs(opts.CACertFile)
		if err != nil {
			return nil, err
		}
		tlsConf.RootCAs = pool
	}

	// The transport is built here rather than by resty so that response
	// bodies can be counted for loading screens (backend.Progress).
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = tlsConf
	rc := resty.NewWithClient(&http.Client{Transport: bodyTransport{base: tr, max: c.maxBody}}).
		SetLogger(quietLogger{}).
		SetRedirectPolicy(resty.FlexibleRedirectPolicy(MaxRedirects)).
		SetRetryCount(retries).
		SetRetryWaitTime(cfg.retryWait).
		SetRetryMaxWaitTime(cfg.retryMaxWait).
		AddRetryCondition(shouldRetry).
		SetHeader("Accept", "application/json")
	ua := opts.UserAgent
	if ua == "" {
		ua = DefaultUserAgent
	}
	rc.SetHeader("User-Agent", ua)
	for _, h := range opts.Headers {
		name := strings.TrimSpace(h.Name)
		if !validHeaderName(name) {
			return nil, fmt.Errorf("header name %q is not valid", backend.Excerpt([]byte(name), 60))
		}
		if strings.ContainsAny(h.Value, "\r\n\x00") {
			// The value is a secret as far as we know: name only the header.
			return nil, fmt.Errorf("value of header %q contains a line break or NUL", name)
		}
		rc.SetHeader(name, h.Value)
		c.addSecret(h.Value)
	}
	switch {
	case opts.Token != "":
		rc.SetAuthToken(opts.Token)
		c.addSecret(opts.Token)
	case username != "" || password != "":
		rc.SetBasicAuth(username, password)
		c.addSecret(password)
		c.addSecret(base64.StdEncoding.EncodeToString([]byte(username + ":" + password)))
	}
	// A query in the base URL usually carries an API key.
	for _, vs := range base.Query() {
		for _, v := range vs {
			c.addSecret(v)
			c.addSecret(url.QueryEscape(v))
		}
	}
	c.rc = rc
	return c, nil
}

func (c *Client) addSecret(s string) {
	// Very short values would scrub ordinary words out of messages; they are
	// too weak to be worth protecting that way anyway.
	if len(s) >= 4 {
		c.secrets = append(c.secrets, s)
	}
}

func parseBase(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, errors.New("no URL given")
	}
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("URL %s is not valid", backend.RedactURL(raw))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("URL %s: scheme must be http or https", backend.RedactURL(raw))
	}
	if u.Host == "" {
		return nil, fmt.Errorf("URL %s has no host", backend.RedactURL(raw))
	}
	u.Fragment = ""
	u.RawFragment = ""
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	return u, nil
}

func loadCAs(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, &backend.Error{Kind: backend.TLSError, Op: "read CA file", Offset: -1, Err: err}
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, &backend.Error{Kind: backend.TLSError, Op: "read CA file", Offset: -1,
			Err: fmt.Errorf("%s holds no PEM certificate", path)}
	}
	return pool, nil
}

func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r >= 0x7f || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) {
			return false
		}
	}
	return true
}

// BaseURL is the base URL without credentials, query or trailing slash.
func (c *Client) BaseURL() string { return backend.RedactURL(c.base.String()) }

// Timeout is the bound on each request's whole wait.
func (c *Client) Timeout() time.Duration { return c.timeout }

// Close releases idle connections.
func (c *Client) Close() { c.rc.GetClient().CloseIdleConnections() }

// Response is a completed HTTP exchange with its whole (bounded) body.
type Response struct {
	Status int
	// ContentType is the media type, lowercase, without parameters.
	ContentType string
	Body        []byte
	// URL is the request URL without credentials or query, fit for errors.
	URL string
}

// IsJSON reports whether the server declared a JSON body. Jaeger answers
// unknown routes with 200 text/html, so this is how endpoints are detected.
func (r *Response) IsJSON() bool {
	return r.ContentType == "application/json" || strings.HasSuffix(r.ContentType, "+json")
}

// OK reports a 2xx status.
func (r *Response) OK() bool { return r.Status >= 200 && r.Status < 300 }

// URL builds the full request URL for a path under the base URL. The path is
// used as given (escape path segments with url.PathEscape).
func (c *Client) URL(path string, query url.Values) string {
	u := *c.base
	u.User = nil
	p := "/" + strings.TrimLeft(path, "/")
	rawBase := u.EscapedPath()
	u.RawPath = ""
	full, err := url.Parse(rawBase + p)
	if err == nil {
		u.Path = full.Path
		u.RawPath = full.RawPath
	}
	q := u.Query()
	for k, vs := range query {
		for _, v := range vs {
			q.Add(k, v)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// Get fetches path under the base URL. A transport failure gives (nil, err).
// A non-2xx status gives the response (body included, so that callers can
// read the server's message or treat a 404 as empty) and an error of the
// kind the status means. op names the action in errors ("search").
func (c *Client) Get(ctx context.Context, op, path string, query url.Values) (*Response, error) {
	full := c.URL(path, query)
	shown := backend.RedactURL(full)
	rctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	res, err := c.rc.R().SetContext(rctx).Get(full)
	if err != nil {
		return nil, c.transportError(ctx, rctx, op, shown, res, err)
	}
	resp := &Response{
		Status:      res.StatusCode(),
		ContentType: mediaType(res.Header().Get("Content-Type")),
		Body:        res.Body(),
		URL:         shown,
	}
	if !resp.OK() {
		if rctx.Err() != nil && ctx.Err() == nil && shouldRetry(res, nil) {
			// The deadline ran out during an attempt that would have been
			// retried: resty hands back that attempt's answer, but what
			// ended the wait is the timeout.
			return resp, &backend.Error{Kind: backend.Timeout, Op: op, URL: shown, Status: resp.Status, Offset: -1,
				Err: fmt.Errorf("no answer within %s (the last attempt: HTTP %d)", c.timeout, resp.Status)}
		}
		return resp, c.StatusError(op, resp)
	}
	return resp, nil
}

// GetJSON is Get that also requires a JSON content type.
func (c *Client) GetJSON(ctx context.Context, op, path string, query url.Values) (*Response, error) {
	resp, err := c.Get(ctx, op, path, query)
	if err != nil {
		return resp, err
	}
	if !resp.IsJSON() {
		return resp, c.ContentTypeError(op, resp)
	}
	return resp, nil
}

func mediaType(ct string) string {
	if ct == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(strings.SplitN(ct, ";", 2)[0]))
	}
	return mt
}

// StatusError maps a non-2xx response to its error kind: 401 Unauthorized,
// 403 Forbidden, 404 NotFound, anything else BadResponse, with a short,
// sanitized excerpt of the body.
func (c *Client) StatusError(op string, resp *Response) *backend.Error {
	kind := backend.BadResponse
	switch resp.Status {
	case http.StatusUnauthorized:
		kind = backend.Unauthorized
	case http.StatusForbidden:
		kind = backend.Forbidden
	case http.StatusNotFound:
		kind = backend.NotFound
	}
	return &backend.Error{
		Kind:    kind,
		Op:      op,
		URL:     resp.URL,
		Status:  resp.Status,
		Excerpt: c.Scrub(BodyExcerpt(resp)),
		Offset:  -1,
	}
}

// ContentTypeError is the BadResponse for a body that is not what the
// endpoint should send.
func (c *Client) ContentTypeError(op string, resp *Response) *backend.Error {
	ct := resp.ContentType
	if ct == "" {
		ct = "none"
	}
	ex := BodyExcerpt(resp)
	msg := "unexpected content type " + backend.Excerpt([]byte(ct), 60)
	if ex != "" {
		msg += ": " + ex
	}
	return &backend.Error{
		Kind:    backend.BadResponse,
		Op:      op,
		URL:     resp.URL,
		Status:  resp.Status,
		Excerpt: c.Scrub(msg),
		Offset:  -1,
	}
}

// DecodeError is the error for a body that does not hold what op expected.
// A format decoder's *backend.Error gains the request's URL and status: a
// decode failure keeps the decoder's op after op (it says which format
// failed), an error the server reported in its body takes op alone. Any
// other error is taken for encoding/json's, placed at the byte where
// decoding stopped. Quoted body text is scrubbed like every other message.
func (c *Client) DecodeError(op string, resp *Response, err error) *backend.Error {
	var be *backend.Error
	if !errors.As(err, &be) {
		be = &backend.Error{Kind: backend.DecodeError, Offset: -1, Err: err}
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			// Offset counts the bytes read, the offending one included.
			be.Offset = max(se.Offset-1, 0)
		case errors.As(err, &te):
			be.Offset = te.Offset
		}
	}
	e := *be
	switch {
	case e.Op == "" || e.Kind != backend.DecodeError:
		e.Op = op
	case !strings.HasPrefix(e.Op, op):
		e.Op = op + ": " + e.Op
	}
	if e.URL == "" {
		e.URL = resp.URL
	}
	if e.Status == 0 {
		e.Status = resp.Status
	}
	e.Excerpt = c.Scrub(e.Excerpt)
	if e.Err != nil {
		e.Err = scrubbed{msg: c.Scrub(e.Err.Error()), err: e.Err}
	}
	return &e
}

// BodyExcerpt is a short, printable excerpt of a body; HTML is reduced to
// its text so that an error page says something readable.
func BodyExcerpt(resp *Response) string {
	body := resp.Body
	if resp.ContentType == "text/html" || looksHTML(body) {
		body = stripTags(body)
	}
	return backend.Excerpt(body, ExcerptRunes)
}

func looksHTML(b []byte) bool {
	s := strings.ToLower(strings.TrimSpace(string(b[:min(len(b), 64)])))
	return strings.HasPrefix(s, "<!doctype html") || strings.HasPrefix(s, "<html")
}

// stripTags drops markup and the content of script and style elements.
func stripTags(b []byte) []byte {
	// An excerpt needs the page's start, not all of a body that may be
	// hundreds of MiB.
	b = b[:min(len(b), 256<<10)]
	out := make([]byte, 0, min(len(b), 4096))
	// ASCII folding only: Unicode lowercasing changes byte lengths (the
	// Kelvin sign, invalid bytes), and the offsets below index both slices.
	lowerB := make([]byte, len(b))
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		lowerB[i] = c
	}
	lower := string(lowerB)
	for i := 0; i < len(b) && len(out) < 4096; {
		if b[i] != '<' {
			out = append(out, b[i])
			i++
			continue
		}
		for _, skip := range []string{"script", "style"} {
			if strings.HasPrefix(lower[i+1:], skip) {
				if end := strings.Index(lower[i:], "</"+skip); end >= 0 {
					i += end + 2
				}
			}
		}
		end := strings.IndexByte(lower[i:], '>')
		if end < 0 {
			break
		}
		i += end + 1
		out = append(out, ' ')
	}
	return out
}

// Scrub replaces every secret (token, password, header value) in s.
func (c *Client) Scrub(s string) string {
	for _, sec := range c.secrets {
		s = strings.ReplaceAll(s, sec, "[redacted]")
	}
	return s
}

// transportError maps a failure without a usable response. parent is the
// caller's context, rctx the one bounded by the client's timeout.
func (c *Client) transportError(parent, rctx context.Context, op, shown string, res *resty.Response, err error) *backend.Error {
	e := &backend.Error{Op: op, URL: shown, Offset: -1}
	inner := err
	var ue *url.Error
	if errors.As(err, &ue) {
		// url.Error's text repeats the URL with its query; keep the cause.
		inner = ue.Err
	}
	switch {
	case errors.Is(err, errBodyTooLarge), errors.Is(err, resty.ErrResponseBodyTooLarge):
		e.Kind = backend.TooLarge
		if res != nil {
			e.Status = res.StatusCode()
		}
		inner = fmt.Errorf("body larger than %d bytes", c.maxBody)
	case errors.Is(parent.Err(), context.Canceled):
		e.Kind = backend.Canceled
		inner = context.Canceled
	case rctx.Err() != nil || errors.Is(err, context.DeadlineExceeded):
		e.Kind = backend.Timeout
		inner = fmt.Errorf("no answer within %s", c.timeout)
	default:
		e.Kind = Classify(inner)
		if e.Kind == backend.BadResponse && strings.Contains(inner.Error(), "redirects") {
			inner = fmt.Errorf("redirect loop: stopped after %d redirects", MaxRedirects)
		}
	}
	e.Err = scrubbed{msg: c.Scrub(inner.Error()), err: inner}
	return e
}

// scrubbed keeps the cause for errors.Is/As but shows a scrubbed message.
type scrubbed struct {
	msg string
	err error
}

func (s scrubbed) Error() string { return s.msg }
func (s scrubbed) Unwrap() error { return s.err }

type quietLogger struct{}

func (quietLogger) Errorf(string, ...any) {}
func (quietLogger) Warnf(string, ...any)  {}
func (quietLogger) Debugf(string, ...any) {}

// bodyTransport caps each response body at max bytes (after gzip decoding,
// which the transport does) and counts it into the request context's
// backend.Progress. It replaces resty's own body limit, which reads 512 bytes
// at a time and copies a 70 MB trace over and over.
type bodyTransport struct {
	base http.RoundTripper
	max  int64
}

// errBodyTooLarge ends the read of a body over the limit.
var errBodyTooLarge = errors.New("response body too large")

func (t bodyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := t.base.RoundTrip(req)
	if err != nil || res == nil || res.Body == nil {
		return res, err
	}
	prog := backend.ProgressFrom(req.Context())
	if prog != nil && res.ContentLength > 0 && !res.Uncompressed {
		prog.SetTotal(res.ContentLength)
	}
	res.Body = &limitedBody{ReadCloser: res.Body, left: t.max, prog: prog}
	return res, nil
}

type limitedBody struct {
	io.ReadCloser
	left int64
	prog *backend.Progress
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, errBodyTooLarge
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	if b.prog != nil {
		b.prog.Add(int64(n))
	}
	if b.left < 0 {
		return n, errBodyTooLarge
	}
	return n, err
}
