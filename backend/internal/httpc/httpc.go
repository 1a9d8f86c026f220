// Package httpc is the HTTP plumbing shared by the Jaeger and Zipkin
// clients: GETs against one base URL with one deadline that covers retries,
// bodies that stream into their decoder with a cap on the decompressed bytes,
// credentials sent only to the origin they were configured for, and every
// failure mapped to a *backend.Error that never carries a secret.
//
// It is built on net/http alone. resty did the retries before, but it read
// every body whole before decoding could start, decompressed gzip outside
// the size cap, copied custom headers to every redirect target and knew no
// deadline shared by an operation's requests; each of those is a few lines
// here.
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
	"math/rand/v2"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/safeio"
)

// MaxRedirects ends redirect loops with a clear error.
const MaxRedirects = 10

// ExcerptRunes is the length, in cells, of the body excerpt kept in a
// BadResponse.
const ExcerptRunes = 200

// DefaultUserAgent is sent when HTTPOptions.UserAgent is empty.
const DefaultUserAgent = "tracetui"

// errorBodyLimit bounds the body of a non-2xx answer: only its start is
// shown, and a JSON error document is small.
const errorBodyLimit = 1 << 20

// Client does GETs against one base URL. It is safe for concurrent use.
type Client struct {
	hc      *http.Client
	base    *url.URL
	timeout time.Duration
	maxBody int64
	retries int
	// retryWait and retryMaxWait bound the backoff between attempts when
	// the server does not say how long to wait (Retry-After).
	retryWait, retryMaxWait time.Duration
	// header goes with every request, wherever a redirect leads.
	header http.Header
	// secrets are scrubbed from every error message, whatever produced
	// it, longest first; longest is the length of the first.
	secrets []string
	longest int
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
//
// Long by the options it applies one after another (URL, TLS, credentials, headers), not by its logic.
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
		base:         base,
		timeout:      opts.Timeout,
		maxBody:      opts.MaxResponseBytes,
		retries:      opts.Retries,
		retryWait:    cfg.retryWait,
		retryMaxWait: max(cfg.retryMaxWait, cfg.retryWait),
	}
	if c.timeout <= 0 {
		c.timeout = backend.DefaultTimeout
	}
	if c.maxBody <= 0 {
		c.maxBody = backend.DefaultMaxResponseBytes
	}
	switch {
	case c.retries == 0:
		c.retries = backend.DefaultRetries
	case c.retries < 0:
		c.retries = 0
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

	ua := opts.UserAgent
	if ua == "" {
		ua = DefaultUserAgent
	}
	c.header = http.Header{
		"Accept":          {"application/json"},
		"User-Agent":      {ua},
		"Accept-Encoding": {"gzip"},
	}
	// creds go to the configured origin only: custom headers (an API key,
	// a tenant), the token or basic auth.
	creds := http.Header{}
	for _, h := range opts.Headers {
		name := strings.TrimSpace(h.Name)
		if !validHeaderName(name) {
			return nil, fmt.Errorf("header name %q is not valid", backend.Excerpt([]byte(name), 60))
		}
		if strings.ContainsAny(h.Value, "\r\n\x00") {
			// The value is a secret as far as we know: name only the header.
			return nil, fmt.Errorf("value of header %q contains a line break or NUL", name)
		}
		creds.Set(name, h.Value)
		c.addHeaderSecret(h.Value)
	}
	switch {
	case opts.Token != "":
		creds.Set("Authorization", "Bearer "+opts.Token)
		c.addSecret(opts.Token)
	case username != "" || password != "":
		userpass := username + ":" + password
		creds.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(userpass)))
		c.addSecret(password)
		c.addSecret(base64.StdEncoding.EncodeToString([]byte(userpass)))
	}
	// A query in the base URL usually carries an API key.
	for _, vs := range base.Query() {
		for _, v := range vs {
			c.addSecret(v)
		}
	}
	slices.SortFunc(c.secrets, func(a, b string) int { return len(b) - len(a) })
	c.secrets = slices.Compact(c.secrets)
	if len(c.secrets) > 0 {
		c.longest = len(c.secrets[0])
	}

	// The transport is a clone of Go's default (proxy settings, HTTP/2,
	// pooling) that leaves gzip to this package, so that the size cap
	// counts decompressed bytes whoever asked for the encoding.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = tlsConf
	tr.DisableCompression = true
	c.hc = &http.Client{
		Transport:     &originTransport{base: tr, origin: originOf(base), creds: creds},
		CheckRedirect: checkRedirect,
	}
	return c, nil
}

// addSecret records a secret in every form it may come back in: as is and
// URL-encoded (query and path) and JSON-escaped, since an echoing server or
// a proxy's error page may quote the request in any of them.
func (c *Client) addSecret(s string) {
	// Very short values would scrub ordinary words out of messages; they are
	// too weak to be worth protecting that way anyway.
	if len(s) < 4 {
		return
	}
	forms := []string{s, url.QueryEscape(s), url.PathEscape(s)}
	for _, html := range []bool{true, false} {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(html)
		enc.Encode(s)
		j := strings.TrimSpace(b.String())
		forms = append(forms, j[1:len(j)-1])
	}
	for _, form := range forms {
		if !slices.Contains(c.secrets, form) {
			c.secrets = append(c.secrets, form)
		}
	}
}

// addHeaderSecret records a header value, and also its credential alone
// when the value has an auth scheme ("Bearer X" scrubs X too), and the
// decoded user:password of a Basic one.
func (c *Client) addHeaderSecret(v string) {
	c.addSecret(v)
	scheme, cred, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok {
		return
	}
	cred = strings.TrimSpace(cred)
	c.addSecret(cred)
	if strings.EqualFold(scheme, "basic") {
		if dec, err := base64.StdEncoding.DecodeString(cred); err == nil {
			c.addSecret(string(dec))
			if _, pw, ok := strings.Cut(string(dec), ":"); ok {
				c.addSecret(pw)
			}
		}
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
	pem, err := safeio.ReadFile(path, safeio.CALimit)
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

// Timeout is the bound on one operation's whole wait (see Bound).
func (c *Client) Timeout() time.Duration { return c.timeout }

// Bound gives ctx a deadline of Timeout from now, unless it already ends
// sooner. A backend operation that makes several requests (endpoint
// fallbacks, pages, a fan-out) calls it once, so that they share one
// deadline; each request bounds itself the same way, which can only keep
// the earlier deadline.
func (c *Client) Bound(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, c.timeout)
}

// Close releases idle connections.
func (c *Client) Close() { c.hc.CloseIdleConnections() }

// Response is a completed HTTP exchange. Body holds the whole (bounded) body
// for Get and for a non-2xx answer; a body streamed by Stream is not kept.
type Response struct {
	Status int
	// ContentType is the media type, lowercase, without parameters.
	ContentType string
	Body        []byte
	// URL is the request URL without credentials or query, fit for errors.
	URL string
	// elsewhere is the origin a redirect ended at when it is not the
	// configured one (credentials were not sent there), else "".
	elsewhere string
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

// Get fetches path under the base URL and reads the whole body (at most the
// size cap). A transport failure gives (nil, err). A non-2xx status gives
// the response (its body's first MiB included, so that callers can read the
// server's message or treat a 404 as empty) and an error of the kind the
// status means. op names the action in errors ("search").
func (c *Client) Get(ctx context.Context, op, path string, query url.Values) (*Response, error) {
	return c.Stream(ctx, op, path, query, func(resp *Response, body io.Reader) error {
		b, err := io.ReadAll(body)
		resp.Body = b
		return err
	})
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

// ReadFunc consumes a 2xx body as it arrives. It may be called again, from
// the start of a new body, when the connection fails mid-body and the
// request is retried.
type ReadFunc func(resp *Response, body io.Reader) error

// Stream fetches path and hands a 2xx body to read while it streams in:
// decoding overlaps the transfer and no copy of the body is kept. The size
// cap counts decompressed bytes; progress (backend.Progress in ctx) counts
// the bytes on the wire. Failures are as for Get. When the body fails (cut,
// reset, over the cap, past the deadline), that failure is returned,
// whatever read made of its truncated input; any other error of read's is
// returned as is, for the caller to map (DecodeError).
func (c *Client) Stream(ctx context.Context, op, path string, query url.Values, read ReadFunc) (*Response, error) {
	full := c.URL(path, query)
	shown := backend.RedactURL(full)
	rctx, cancel := c.Bound(ctx)
	defer cancel()
	for attempt := 0; ; attempt++ {
		a := c.attempt(ctx, rctx, op, full, shown, attempt, read)
		if !a.retry || attempt >= c.retries {
			return a.resp, a.err
		}
		wait := c.backoff(attempt)
		if a.retryAfter > 0 {
			wait = max(a.retryAfter, c.retryWait)
		}
		if dl, ok := rctx.Deadline(); ok && time.Until(dl) < wait {
			if a.retryAfter > 0 {
				// The server says when to come back; sleeping past the
				// deadline would only end in a timeout.
				e := c.StatusError(op, a.resp)
				e.Excerpt = fmt.Sprintf("the server asks to retry in %s, beyond the %s timeout", roundWait(a.retryAfter), c.timeout) +
					joinExcerpt(e.Excerpt)
				return a.resp, e
			}
			return a.resp, c.timeoutError(op, shown, a.resp)
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-rctx.Done():
			t.Stop()
			if ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return nil, &backend.Error{Kind: backend.Canceled, Op: op, URL: shown, Offset: -1, Err: context.Canceled}
			}
			return a.resp, c.timeoutError(op, shown, a.resp)
		}
	}
}

func joinExcerpt(ex string) string {
	if ex == "" {
		return ""
	}
	return ": " + ex
}

func roundWait(d time.Duration) time.Duration {
	if d >= time.Second {
		return d.Round(time.Second)
	}
	return d.Round(time.Millisecond)
}

// timeoutError is the error of a deadline that ran out while retrying.
func (c *Client) timeoutError(op, shown string, last *Response) *backend.Error {
	e := &backend.Error{Kind: backend.Timeout, Op: op, URL: shown, Offset: -1,
		Err: fmt.Errorf("no answer within %s", c.timeout)}
	if last != nil {
		e.Status = last.Status
		e.Err = fmt.Errorf("no answer within %s (the last attempt: HTTP %d)", c.timeout, last.Status)
	}
	return e
}

// backoff is the wait before retry attempt+1: exponential from retryWait,
// at most retryMaxWait, with jitter so that clients do not retry in step.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.retryWait << min(attempt, 20)
	if d <= 0 || d > c.retryMaxWait {
		d = c.retryMaxWait
	}
	return d/2 + rand.N(d/2+1)
}

// attemptResult is one try: the answer or failure, whether trying again
// could help and how long the server asked to wait.
type attemptResult struct {
	resp       *Response
	err        error
	retry      bool
	retryAfter time.Duration
}

func (c *Client) attempt(parent, rctx context.Context, op, full, shown string, attempt int, read ReadFunc) attemptResult {
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, full, nil)
	if err != nil {
		return attemptResult{err: &backend.Error{Kind: backend.KindOther, Op: op, URL: shown, Offset: -1, Err: errors.New("cannot build the request")}}
	}
	req.Header = c.header.Clone()
	res, err := c.hc.Do(req)
	if err != nil {
		return attemptResult{err: c.transportError(parent, rctx, op, shown, 0, -1, err), retry: shouldRetry(err, attempt)}
	}
	defer res.Body.Close()
	resp := &Response{
		Status:      res.StatusCode,
		ContentType: mediaType(res.Header.Get("Content-Type")),
		URL:         shown,
	}
	if res.Request != nil && originOf(res.Request.URL) != originOf(c.base) {
		resp.elsewhere = originOf(res.Request.URL)
	}
	body, err := c.body(rctx, res)
	if err != nil {
		return attemptResult{resp: resp, err: &backend.Error{Kind: backend.BadResponse, Op: op, URL: shown,
			Status: resp.Status, Offset: -1, Err: err}}
	}
	if !resp.OK() {
		// The start of an error body is enough for its message; a read
		// failure leaves what arrived.
		resp.Body, _ = io.ReadAll(io.LimitReader(body, errorBodyLimit))
		return attemptResult{resp: resp, err: c.StatusError(op, resp),
			retry: retryStatus(resp.Status), retryAfter: retryAfter(res.Header.Get("Retry-After"), time.Now())}
	}
	rerr := read(resp, body)
	if body.failed != nil {
		return attemptResult{resp: resp, err: c.transportError(parent, rctx, op, shown, resp.Status, c.maxBody-body.wire.left, body.failed),
			retry: shouldRetry(body.failed, attempt)}
	}
	if rerr != nil {
		return attemptResult{resp: resp, err: rerr}
	}
	// What read left (a decoder stops at the end of its value) is drained,
	// a little, so that the connection can be used again.
	io.CopyN(io.Discard, body, 64<<10)
	return attemptResult{resp: resp}
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date. 0 when
// absent or unreadable.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		return time.Duration(min(n, int64(365*24*time.Hour/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0)
	}
	return 0
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
	ex := c.BodyExcerpt(resp)
	if resp.elsewhere != "" && (kind == backend.Unauthorized || kind == backend.Forbidden) {
		ex = "redirected to " + c.Scrub(backend.Excerpt([]byte(resp.elsewhere), 80)) +
			", which is not sent the credentials" + joinExcerpt(ex)
	}
	return &backend.Error{
		Kind:    kind,
		Op:      op,
		URL:     resp.URL,
		Status:  resp.Status,
		Excerpt: ex,
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
	msg := "unexpected content type " + c.Excerpt([]byte(ct), 60) + joinExcerpt(c.BodyExcerpt(resp))
	return &backend.Error{
		Kind:    backend.BadResponse,
		Op:      op,
		URL:     resp.URL,
		Status:  resp.Status,
		Excerpt: msg,
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

// BodyExcerpt is a short, printable excerpt of a body, secrets scrubbed;
// HTML is reduced to its text so that an error page says something readable.
func (c *Client) BodyExcerpt(resp *Response) string {
	body := resp.Body
	if resp.ContentType == "text/html" || looksHTML(body) {
		body = stripTags(body)
	}
	return c.Excerpt(body, ExcerptRunes)
}

// Excerpt is backend.Excerpt that scrubs secrets before anything is cut or
// cleaned: a secret cut in two by the excerpt's end, or by a control byte
// that cleaning drops, would otherwise survive in part.
func (c *Client) Excerpt(text []byte, n int) string {
	if len(c.secrets) == 0 {
		return backend.Excerpt(text, n)
	}
	window := backend.ExcerptWindow(n) + c.longest
	s := c.Scrub(string(text[:min(len(text), window)]))
	if len(text) > window {
		// A secret that runs past the window left its start at the end;
		// drop as much as the longest secret, back to a rune boundary.
		cut := max(len(s)-c.longest, 0)
		for cut > 0 && cut < len(s) && s[cut]&0xc0 == 0x80 {
			cut--
		}
		s = s[:cut]
	}
	return backend.Excerpt([]byte(c.Scrub(backend.OneLine([]byte(s)))), n)
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

// Scrub replaces every secret (token, password, header value, in each of
// their forms) in s.
func (c *Client) Scrub(s string) string {
	for _, sec := range c.secrets {
		s = strings.ReplaceAll(s, sec, "[redacted]")
	}
	return s
}

// transportError maps a failure without a usable answer. parent is the
// caller's context, rctx the one bounded by the client's timeout; status is
// the answer's, and read the bytes of its body that arrived, when the
// failure came while reading the body (read is -1 otherwise).
func (c *Client) transportError(parent, rctx context.Context, op, shown string, status int, read int64, err error) *backend.Error {
	e := &backend.Error{Op: op, URL: shown, Status: status, Offset: -1}
	inner := err
	var ue *url.Error
	if errors.As(err, &ue) {
		// url.Error's text repeats the URL with its query; keep the cause.
		inner = ue.Err
	}
	var de *downgradeError
	var ce *corruptError
	switch {
	case errors.Is(err, errBodyTooLarge):
		e.Kind = backend.TooLarge
		inner = fmt.Errorf("body larger than %d bytes", c.maxBody)
	case errors.As(err, &de):
		e.Kind = backend.TLSError
		inner = de
	case errors.As(err, &ce):
		e.Kind = backend.BadResponse
		inner = ce
	case errors.Is(err, errRedirectLoop):
		e.Kind = backend.BadResponse
		inner = fmt.Errorf("redirect loop: stopped after %d redirects", MaxRedirects)
	case errors.Is(parent.Err(), context.Canceled):
		e.Kind = backend.Canceled
		inner = context.Canceled
	case rctx.Err() != nil || errors.Is(err, context.DeadlineExceeded):
		e.Kind = backend.Timeout
		inner = fmt.Errorf("no answer within %s", c.timeout)
		if read >= 0 {
			// The body streams into its decoder, so the bound covers
			// decoding too: say that the answer was coming, and how much.
			inner = fmt.Errorf("the answer was still arriving when %s had passed (%s read; a longer timeout gives it time)",
				c.timeout, mib(read))
		}
	default:
		e.Kind = Classify(inner)
	}
	e.Err = scrubbed{msg: c.Scrub(inner.Error()), err: inner}
	return e
}

// mib writes a byte count for a message.
func mib(n int64) string {
	if n < 1<<10 {
		return fmt.Sprintf("%d bytes", n)
	}
	if n < 1<<20 {
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

// scrubbed keeps the cause for errors.Is/As but shows a scrubbed message.
type scrubbed struct {
	msg string
	err error
}

func (s scrubbed) Error() string { return s.msg }
func (s scrubbed) Unwrap() error { return s.err }
