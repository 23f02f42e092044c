package hubspot

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// APIError is an error answer from HubSpot. HubSpot documents every field of
// its error envelope as optional, and proxies in front of it answer with HTML,
// so all fields may be empty except StatusCode.
type APIError struct {
	StatusCode    int
	Status        string // the envelope's "status", usually "error"
	Message       string
	Category      string // e.g. VALIDATION_ERROR, OBJECT_NOT_FOUND, MISSING_SCOPES
	SubCategory   string
	CorrelationID string // quote this to HubSpot support
	PolicyName    string // rate limits: TEN_SECONDLY_ROLLING, SECONDLY, DAILY
	Errors        []ErrorDetail
	Context       map[string][]string

	Method   string // the request, e.g. "PATCH"
	Path     string // without query string or secrets
	Attempts int    // how many attempts were made before giving up
	// BodyProblem says why no envelope could be read ("an HTML page", "a
	// truncated JSON body", …); empty when the envelope was decoded.
	BodyProblem string
	// Token is the shape of the token the request carried, set on 401s so
	// that the advice fits the mistake (see AuthFailureOf).
	Token TokenKind
	// Body is the answer's body as it came (its first maxLoggedBody
	// bytes), secrets scrubbed: the API log shows it whole, since the
	// envelope's fields do not always hold all HubSpot said.
	Body string
}

// ErrorDetail is one entry of the envelope's errors array.
type ErrorDetail struct {
	Message     string              `json:"message"`
	Code        string              `json:"code,omitempty"`
	In          string              `json:"in,omitempty"`
	SubCategory string              `json:"subCategory,omitempty"`
	Context     map[string][]string `json:"context,omitempty"`
}

// Error reads as one line an administrator can act on: what HubSpot said, what
// it means, and the correlation ID for HubSpot support.
func (e *APIError) Error() string {
	return e.line(e.hint(), true)
}

// Explained is Error with hint in place of the client's own advice and
// without the correlation ID, for callers that know more than the client
// (which owner a number is, in the mirror) and keep the correlation ID
// apart. An empty hint keeps the client's advice.
func (e *APIError) Explained(hint string) string {
	if hint == "" {
		hint = e.hint()
	}
	return e.line(hint, false)
}

func (e *APIError) line(hint string, withCorrelation bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "HubSpot answered %d", e.StatusCode)
	if e.Method != "" {
		fmt.Fprintf(&b, " to %s %s", e.Method, e.Path)
	}
	switch {
	case e.BodyProblem != "":
		b.WriteString(" with ")
		b.WriteString(e.BodyProblem)
	case e.Category != "":
		b.WriteString(" ")
		b.WriteString(e.Category)
		if e.SubCategory != "" {
			fmt.Fprintf(&b, " (%s)", e.SubCategory)
		} else if e.PolicyName != "" {
			fmt.Fprintf(&b, " (%s)", e.PolicyName)
		}
	case e.PolicyName != "":
		fmt.Fprintf(&b, " RATE_LIMIT (%s)", e.PolicyName)
	}
	if msg := e.detailMessage(); msg != "" {
		b.WriteString(": ")
		b.WriteString(msg)
	}
	if hint != "" {
		b.WriteString(" — ")
		b.WriteString(hint)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	if withCorrelation && e.CorrelationID != "" {
		fmt.Fprintf(&b, " [correlationId %s]", e.CorrelationID)
	}
	return b.String()
}

// detailMessage prefers the problems' own messages when the top-level message
// is HubSpot's generic "Property values were not valid: [json…]" wrapper: the
// embedded list (every input's problems, each distinct message once), else
// the errors[] details.
func (e *APIError) detailMessage() string {
	if problems, ok := e.propertyProblems(); ok {
		if text := ProblemText(problems); text != "" {
			return text
		}
	}
	if strings.HasPrefix(e.Message, "Property values were not valid") && len(e.Errors) > 0 && e.Errors[0].Message != "" {
		msgs := make([]string, 0, len(e.Errors))
		for _, d := range e.Errors {
			msgs = append(msgs, d.Message)
		}
		return strings.Join(msgs, "; ")
	}
	return e.Message
}

// hint says what to do next, for the cases an administrator can fix.
func (e *APIError) hint() string {
	switch {
	case e.StatusCode == 401:
		return e.authHint()
	case e.isUnknownRoute():
		return "no HubSpot API serves this path (a web page came back, not an API answer): check the base URL"
	case isMissingScopes(e):
		scopes := e.requiredScopes()
		if len(scopes) == 0 {
			return "the app lacks a scope this call needs: add it in the app's settings and re-authorize"
		}
		return "grant the app the scope(s) " + strings.Join(scopes, ", ") + " and re-authorize"
	case e.Method == "POST" && IsDuplicateUser(e):
		return "this email already has a HubSpot user: sync to see them, or give another email"
	case IsNoSeatLeft(e):
		return "no seat of that kind is left: free one from another user (hsadmin seats lists what is left) or buy more in HubSpot's billing settings"
	case IsBillingRefusal(e) && strings.HasPrefix(e.Path, usersPath):
		return "seats and roles that carry a paid seat need the " + ScopeBillingWrite + " scope: add it to the app and re-authorize, or leave the seat and paid role out"
	case e.PolicyName == "DAILY":
		return "the portal's daily API limit is used up; it resets at midnight in the portal's time zone"
	case hasInvalidOwner(e):
		// Without the mirror the client cannot tell which mistake it was.
		return "hubspot_owner_id takes the ID of an active owner (from the owners list): not a user ID, nor a deactivated user's owner"
	case e.StatusCode == 423:
		return "HubSpot locked the record for concurrent writes; try again in a few seconds"
	case e.StatusCode == 477:
		return "the portal is being migrated; try again later"
	case e.StatusCode >= 500:
		return "HubSpot or a proxy in front of it failed; try again later"
	}
	return ""
}

// RateLimitError is a 429 answer. Policy is HubSpot's policyName:
// TEN_SECONDLY_ROLLING, SECONDLY or DAILY. RetryAfter is how long HubSpot
// asked for (or the client would have waited); zero for DAILY.
type RateLimitError struct {
	Policy     string
	RetryAfter time.Duration
	*APIError
}

func (e *RateLimitError) Error() string {
	if e.APIError == nil {
		return "HubSpot rate limit " + e.Policy
	}
	return e.APIError.Error()
}

// Unwrap lets errors.As find the underlying *APIError.
func (e *RateLimitError) Unwrap() error { return e.APIError }

// ErrRepeatedCursor is returned by iterators when HubSpot hands back a paging
// cursor it has already given: following it would loop forever.
var ErrRepeatedCursor = errors.New("HubSpot returned a paging cursor it had already returned; stopped to avoid an endless loop")

// IsNotFound reports whether err is HubSpot's 404 / OBJECT_NOT_FOUND: the
// API answered that the object (contact, owner, token…) does not exist. A 404
// that is not an API answer (HubSpot's HTML page for a path it does not
// serve) is no such thing: see IsUnknownRoute.
func IsNotFound(err error) bool {
	var e *APIError
	return errors.As(err, &e) && (e.Category == "OBJECT_NOT_FOUND" || e.StatusCode == 404 && e.BodyProblem == "")
}

// IsUnknownRoute reports a 404 that came without HubSpot's JSON envelope:
// HubSpot serves a web page for a path no API answers, so the request went to
// the wrong place (a wrong base URL, or an endpoint this HubSpot lacks), and
// says nothing about whether the object exists.
func IsUnknownRoute(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.isUnknownRoute()
}

func (e *APIError) isUnknownRoute() bool { return e.StatusCode == 404 && e.BodyProblem != "" }

// IsInvalidOwner reports whether HubSpot rejected a hubspot_owner_id that is
// not an owner ID, typically a user ID written by mistake.
func IsInvalidOwner(err error) bool {
	var e *APIError
	return errors.As(err, &e) && hasInvalidOwner(e)
}

func hasInvalidOwner(e *APIError) bool {
	if e.SubCategory == "INVALID_OWNER_ID" {
		return true
	}
	for _, d := range e.Errors {
		if d.Code == "INVALID_OWNER_ID" || d.SubCategory == "INVALID_OWNER_ID" {
			return true
		}
	}
	// The envelope's message embeds the per-property errors as JSON text.
	return strings.Contains(e.Message, `"INVALID_OWNER_ID"`)
}

// MissingScopes reports whether err is HubSpot's 403 MISSING_SCOPES and which
// scopes it asked for (requiredGranularScopes in newer answers,
// requiredScopes in older ones). The list may be empty when HubSpot named none.
func MissingScopes(err error) ([]string, bool) {
	var e *APIError
	if !errors.As(err, &e) || !isMissingScopes(e) {
		return nil, false
	}
	return e.requiredScopes(), true
}

func isMissingScopes(e *APIError) bool {
	return e.Category == "MISSING_SCOPES" || (e.StatusCode == 403 && len(e.requiredScopes()) > 0)
}

func (e *APIError) requiredScopes() []string {
	var scopes []string
	add := func(ctx map[string][]string) {
		for _, key := range []string{"requiredGranularScopes", "requiredScopes"} {
			for _, s := range ctx[key] {
				if !slices.Contains(scopes, s) {
					scopes = append(scopes, s)
				}
			}
		}
	}
	add(e.Context)
	for _, d := range e.Errors {
		add(d.Context)
	}
	return scopes
}

// IsRateLimited reports whether err is a 429 and under which policy.
func IsRateLimited(err error) (policy string, ok bool) {
	var e *RateLimitError
	if errors.As(err, &e) {
		return e.Policy, true
	}
	return "", false
}

// IsAuthError reports whether HubSpot refused the credentials (401: missing,
// invalid or expired token). A missing scope is a 403 and not an auth error.
func IsAuthError(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.StatusCode == 401
}

// scrub removes every secret from the text fields of an error HubSpot sent, in
// case it echoed a token back (the token-info endpoint takes one in its path).
func (e *APIError) scrub(secrets []string) {
	if len(secrets) == 0 {
		return
	}
	clean := func(s string) string { return scrubText(s, secrets) }
	scrubCtx := func(m map[string][]string) map[string][]string {
		if m == nil {
			return nil
		}
		out := make(map[string][]string, len(m))
		for k, vs := range m {
			for i := range vs {
				vs[i] = clean(vs[i])
			}
			out[clean(k)] = vs
		}
		return out
	}
	// Every field HubSpot (or something posing as it) filled is text it
	// chose, so every one is cleaned, not only those expected to hold prose.
	for _, f := range []*string{&e.Status, &e.Message, &e.Category, &e.SubCategory, &e.CorrelationID, &e.PolicyName, &e.Path, &e.Body} {
		*f = clean(*f)
	}
	e.Context = scrubCtx(e.Context)
	for i := range e.Errors {
		d := &e.Errors[i]
		for _, f := range []*string{&d.Message, &d.Code, &d.In, &d.SubCategory} {
			*f = clean(*f)
		}
		d.Context = scrubCtx(d.Context)
	}
}

func scrubText(s string, secrets []string) string {
	for _, sec := range secrets {
		if sec != "" && strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, "[redacted]")
		}
	}
	return s
}
