package httpc

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"

	"github.com/tracetui/tracetui/backend"
)

// Classify maps a transport error (no HTTP response) to a kind.
func Classify(err error) backend.ErrorKind {
	var (
		unknownAuth x509.UnknownAuthorityError
		hostErr     x509.HostnameError
		invalidCert x509.CertificateInvalidError
		verifyErr   *tls.CertificateVerificationError
		recordErr   tls.RecordHeaderError
		alertErr    tls.AlertError
		dnsErr      *net.DNSError
		opErr       *net.OpError
	)
	switch {
	case err == nil:
		return backend.KindOther
	case errors.Is(err, context.Canceled):
		return backend.Canceled
	case errors.Is(err, context.DeadlineExceeded):
		return backend.Timeout
	case errors.As(err, &unknownAuth), errors.As(err, &hostErr), errors.As(err, &invalidCert),
		errors.As(err, &verifyErr), errors.As(err, &recordErr), errors.As(err, &alertErr):
		return backend.TLSError
	case isTLSText(err):
		return backend.TLSError
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.ECONNABORTED), errors.Is(err, syscall.EHOSTUNREACH),
		errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EPIPE),
		errors.As(err, &dnsErr), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return backend.Unreachable
	case strings.Contains(err.Error(), "redirects"):
		return backend.BadResponse
	case errors.As(err, &opErr):
		if opErr.Timeout() {
			return backend.Timeout
		}
		return backend.Unreachable
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return backend.Timeout
	}
	return backend.Unreachable
}

// isTLSText catches handshake failures that only show in the message, such as
// a plain-HTTP server answering a TLS client.
func isTLSText(err error) bool {
	s := err.Error()
	return strings.Contains(s, "tls: ") || strings.Contains(s, "x509: ") ||
		strings.Contains(s, "HTTP response to HTTPS client")
}

// shouldRetry decides whether a transport failure is worth another
// attempt: a reset or dropped connection, and a refused connection once an
// attempt was already made (the server restarting behind a proxy). A first
// refusal fails at once: nothing listens there. Deadlines, cancellations,
// TLS failures, redirects refused and bodies over the cap are final.
func shouldRetry(err error, attempt int) bool {
	var de *downgradeError
	var ce *corruptError
	switch {
	case errors.Is(err, errBodyTooLarge), errors.Is(err, errRedirectLoop), errors.As(err, &de), errors.As(err, &ce),
		errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return false
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNABORTED),
		errors.Is(err, syscall.EPIPE), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return true
	case errors.Is(err, syscall.ECONNREFUSED):
		return attempt > 0
	}
	return false
}

// retryStatus reports the statuses worth another attempt: 429 Too Many
// Requests and 502/503/504, a proxy or server that is busy or restarting.
func retryStatus(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}
