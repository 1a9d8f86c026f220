package backend

import "time"

// Header is one extra HTTP header sent with every request.
type Header struct {
	Name, Value string
}

// HTTPOptions configures an HTTP backend client (Jaeger, Zipkin). It is
// plain data so that the command line and the config file can fill it in
// without importing any HTTP code.
type HTTPOptions struct {
	// URL is the base URL, possibly with a path prefix (https://host/jaeger/).
	URL string
	// Token is sent as "Authorization: Bearer <Token>".
	Token string
	// Username and Password are sent as basic auth.
	Username, Password string
	Headers            []Header
	// CACertFile is a PEM file of extra trusted roots.
	CACertFile         string
	InsecureSkipVerify bool
	// Timeout bounds each request's whole wait, retries included (default 10s).
	Timeout time.Duration
	// MaxResponseBytes caps a response body (default 512 MiB).
	MaxResponseBytes int64
	// Retries is the number of extra attempts for idempotent GETs on
	// transient failures (default 3; negative disables).
	Retries int
	// UserAgent defaults to "tracetui".
	UserAgent string
}

// Defaults for HTTPOptions fields left zero.
const (
	DefaultTimeout          = 10 * time.Second
	DefaultMaxResponseBytes = 512 << 20
	DefaultRetries          = 3
)
