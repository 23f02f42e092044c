package hubspot

import (
	"errors"
	"net/http"
)

// ErrReadOnly is what a read-only client answers to any request that could
// change the portal. Test with errors.Is; errors.As finds a *ReadOnlyError
// naming the request.
var ErrReadOnly = errors.New("hubspot: the client is read-only")

// ReadOnlyError is a write request a read-only client refused before sending
// anything.
type ReadOnlyError struct {
	Method, Path string
}

func (e *ReadOnlyError) Error() string {
	return "hubspot: refused " + e.Method + " " + e.Path + ": this portal is read-only, so hsadmin sends it no write request"
}

// Is makes errors.Is(err, ErrReadOnly) true.
func (e *ReadOnlyError) Is(target error) bool { return target == ErrReadOnly }

// WithReadOnly makes the client refuse, with a *ReadOnlyError, every request
// that could change the portal, before anything leaves the process. Reads
// still work: GETs, searches, batch reads and token introspection.
func WithReadOnly() Option {
	return func(c *config) { c.readOnly = true }
}

// writes reports whether r could change the portal. Searches and batch reads
// are POSTs only because their bodies are too big for a query string.
func (r request) writes() bool {
	switch r.method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return !r.search && !r.readsOnly
}

// ReadOnly reports whether the client refuses write requests.
func (c *Client) ReadOnly() bool { return c.readOnly }
