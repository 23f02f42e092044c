package hubspot

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/oauth2"
)

// TokenError means the HTTP client's OAuth token source could not produce an
// access token (a refresh HubSpot refused, a revoked app, an unreachable token
// endpoint), so the request was never sent. It is not retried: the fix is to
// sign in again, not to hammer the token endpoint.
type TokenError struct {
	Method, Path string
	// Status is the token endpoint's HTTP status, 0 when it gave none.
	Status int
	// Reason is the token endpoint's error code (e.g. BAD_REFRESH_TOKEN,
	// invalid_grant) or the token source's own message, secrets removed.
	Reason string
	err    error
}

func (e *TokenError) Error() string {
	s := fmt.Sprintf("hubspot: %s %s was not sent: no OAuth access token could be had", e.Method, e.Path)
	if e.Status != 0 {
		s += fmt.Sprintf(" (HubSpot's token endpoint answered %d)", e.Status)
	}
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s + " — sign in again (hsadmin login --oauth)"
}

// Unwrap gives the token source's error, e.g. an *oauth2.RetrieveError whose
// Body is the token endpoint's raw answer.
func (e *TokenError) Unwrap() error { return e.err }

// IsTokenError reports whether err is a failure to obtain an OAuth token.
func IsTokenError(err error) bool {
	var e *TokenError
	return errors.As(err, &e)
}

func newTokenError(method, path string, err error, secrets []string) *TokenError {
	e := &TokenError{Method: method, Path: path, err: err}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil {
		e.Status = re.Response.StatusCode
	}
	if bare, ok := err.(*oauth2.RetrieveError); ok { //nolint:errorlint // only a bare RetrieveError quotes the whole body
		// A bare RetrieveError's message quotes the whole response body;
		// keep only the reason.
		e.Reason = retrieveReason(bare)
	} else {
		// A token source's own message (hsadmin's says which portal and
		// what to run) is kept, on one line.
		e.Reason = strings.ReplaceAll(err.Error(), "\n", " ")
	}
	e.Reason = scrubText(e.Reason, secrets)
	return e
}

// retrieveReason is the token endpoint's reason for refusing: OAuth's
// "error" field, or HubSpot's {"status":"BAD_REFRESH_TOKEN","message":…}.
func retrieveReason(re *oauth2.RetrieveError) string {
	if re.ErrorCode != "" {
		if re.ErrorDescription != "" {
			return re.ErrorCode + " (" + re.ErrorDescription + ")"
		}
		return re.ErrorCode
	}
	var body struct{ Status, Message string }
	if json.Unmarshal(re.Body, &body) == nil && body.Status != "" {
		if body.Message != "" {
			return body.Status + " (" + body.Message + ")"
		}
		return body.Status
	}
	if re.Response != nil {
		return http.StatusText(re.Response.StatusCode)
	}
	return "the token endpoint refused"
}

// isTokenSourceError tells a failed token fetch inside an OAuth transport the
// client could not see (one wrapped in another RoundTripper) from a failure
// of the request itself. golang.org/x/oauth2 prefixes its own errors.
func isTokenSourceError(err error) bool {
	var re *oauth2.RetrieveError
	return errors.As(err, &re) || strings.HasPrefix(err.Error(), "oauth2: ")
}
