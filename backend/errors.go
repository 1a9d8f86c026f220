package backend

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/tracetui/tracetui/internal/textsafe"
)

// ErrorKind classifies a backend failure by what the user can do about it.
type ErrorKind int

const (
	KindOther ErrorKind = iota
	// NotFound: the trace (or resource) does not exist.
	NotFound
	// Unauthorized: 401, credentials missing or wrong.
	Unauthorized
	// Forbidden: 403, credentials lack permission.
	Forbidden
	// Unreachable: connection refused, DNS failure, reset.
	Unreachable
	// Timeout: the request (with its retries) took longer than allowed.
	Timeout
	// TLSError: certificate or handshake failure.
	TLSError
	// BadResponse: an unexpected HTTP status or content type.
	BadResponse
	// DecodeError: the body is not the JSON expected.
	DecodeError
	// TooLarge: the response exceeded the configured size limit.
	TooLarge
	// Canceled: the user cancelled the request.
	Canceled
	// Unsupported: the backend lacks the feature.
	Unsupported
)

func (k ErrorKind) String() string {
	switch k {
	case NotFound:
		return "not found"
	case Unauthorized:
		return "unauthorized"
	case Forbidden:
		return "forbidden"
	case Unreachable:
		return "unreachable"
	case Timeout:
		return "timeout"
	case TLSError:
		return "TLS error"
	case BadResponse:
		return "bad response"
	case DecodeError:
		return "decode error"
	case TooLarge:
		return "response too large"
	case Canceled:
		return "canceled"
	case Unsupported:
		return "unsupported"
	}
	return "error"
}

// Error is the typed error every backend returns. Its message is one line and
// never contains a secret: URLs are stripped of user info and query values
// are not included.
type Error struct {
	Kind ErrorKind
	// Op is what was being done, e.g. "search", "get trace 4bf92f35…".
	Op string
	// URL is the endpoint without credentials or query string.
	URL string
	// Status is the HTTP status, when there was one.
	Status int
	// Excerpt is a short, sanitized excerpt of an unexpected body.
	Excerpt string
	// Offset is the byte offset of a decode error, or -1.
	Offset int64
	Err    error
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	b.WriteString(e.Kind.String())
	if e.Status != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.Status)
	}
	if e.URL != "" {
		b.WriteString(" from ")
		b.WriteString(e.URL)
	}
	if e.Kind == DecodeError && e.Offset >= 0 {
		fmt.Fprintf(&b, " at byte %d", e.Offset)
	}
	if e.Excerpt != "" {
		b.WriteString(": ")
		b.WriteString(e.Excerpt)
	} else if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(oneLine(e.Err.Error()))
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Is lets errors.Is(err, backend.ErrNotFound) and friends match by kind.
func (e *Error) Is(target error) bool {
	var k kindError
	if errors.As(target, &k) {
		return e.Kind == ErrorKind(k)
	}
	return false
}

type kindError ErrorKind

func (k kindError) Error() string { return ErrorKind(k).String() }

// Sentinels for errors.Is.
var (
	ErrNotFound     error = kindError(NotFound)
	ErrUnauthorized error = kindError(Unauthorized)
	ErrForbidden    error = kindError(Forbidden)
	ErrUnreachable  error = kindError(Unreachable)
	ErrTimeout      error = kindError(Timeout)
	ErrTLS          error = kindError(TLSError)
	ErrBadResponse  error = kindError(BadResponse)
	ErrDecode       error = kindError(DecodeError)
	ErrTooLarge     error = kindError(TooLarge)
	ErrCanceled     error = kindError(Canceled)
	ErrUnsupported  error = kindError(Unsupported)
)

// KindOf returns the kind of a backend error, or KindOther.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindOther
}

// RedactURL drops user info, query and fragment so that a URL can be shown.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(invalid URL)"
	}
	u.User = nil
	u.RawQuery = ""
	u.Fragment = ""
	s := u.String()
	if u.Host == "" {
		// Without "//" there is no user info to clear: "bob:pw@host" parses
		// as scheme "bob" and opaque "pw@host". What precedes an '@' may be
		// a password.
		if i := strings.LastIndexByte(s, '@'); i >= 0 {
			s = s[i+1:]
		}
	}
	return s
}

// Excerpt makes a short, single-line, printable excerpt of an unexpected
// response body or of any other untrusted text: white space runs (line
// breaks, tabs, U+2028/U+2029 included) become one space, the rest goes
// through the one sanitizer, textsafe.Clean, so that an escape sequence is
// dropped whole and bidi controls go too; the result is cut to at most max
// cells with an ellipsis. Only the first ExcerptWindow(max) bytes are read.
func Excerpt(body []byte, max int) string {
	if max <= 0 {
		return ""
	}
	return textsafe.Truncate(OneLine(body[:min(len(body), ExcerptWindow(max))]), max)
}

// ExcerptWindow is how many bytes of a body Excerpt reads for max cells: a
// few bytes a cell for multibyte text and dropped sequences, and no more, so
// that an excerpt of hundreds of MiB costs nothing.
func ExcerptWindow(max int) int { return 4*max + 64 }

// OneLine folds white space runs to single spaces, trims the ends and
// cleans the rest with textsafe.Clean; it does not cut.
func OneLine(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b))
	space := false
	for _, r := range string(b) {
		switch r {
		case '\n', '\r', '\t', '\v', '\f', ' ', 0x85, 0x2028, 0x2029:
			space = true
			continue
		}
		if space && sb.Len() > 0 {
			sb.WriteByte(' ')
		}
		space = false
		sb.WriteRune(r)
	}
	// Clean may drop a whole sequence between two spaces; fold again.
	return strings.Join(strings.Fields(textsafe.Clean(sb.String())), " ")
}

func oneLine(s string) string {
	return Excerpt([]byte(s), 300)
}
