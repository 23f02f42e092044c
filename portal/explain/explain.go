// Package explain turns errors from HubSpot and the network into one line an
// administrator can act on: what happened and what to do next. The console's
// status line and the CLI both show Explain's text.
package explain

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strings"
	"syscall"

	"golang.org/x/oauth2"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal/signin"
	"github.com/hsadmin/hsadmin/store"
)

// Messages whose wording tests and callers may rely on. The token messages
// end in "run hsadmin login", which ForPortal completes with the portal.
const (
	TokenNotHubSpot = "HubSpot could not read the token: check it was copied whole"
	TokenExpired    = "the OAuth access token has expired (they last 30 minutes); refresh it or run hsadmin login"
	TokenRevoked    = "HubSpot no longer accepts the token (revoked or rotated, or its app was deleted or uninstalled)"
	TokenMissing    = "no token was sent; set HUBSPOT_ACCESS_TOKEN or run hsadmin login"
	DailyLimit      = "the portal's daily API limit is used up; it resets at midnight, portal time"
	Offline         = "the local mirror is still browsable"
)

// Explain says what err means for the admin. nil gives "".
func Explain(err error) string { return ForPortal(err, "") }

// ForPortal is Explain with the portal's name in the advice, e.g. "run
// hsadmin login --portal prod".
func ForPortal(err error, portal string) string {
	if err == nil {
		return ""
	}
	login := "hsadmin login"
	if portal != "" {
		login += " --portal " + portal
	}
	var re *oauth2.RetrieveError
	switch {
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case hubspot.IsAuthError(err):
		return strings.Replace(authAdvice(err), "hsadmin login", login, 1)
	case errors.As(err, &re), errors.Is(err, signin.ErrNeedsLogin):
		// The token endpoint refused a refresh: revoked, or the app was uninstalled.
		return "the saved sign-in was refused by HubSpot (revoked, or the app was uninstalled); run " + login
	}
	if scopes, ok := hubspot.MissingScopes(err); ok {
		if len(scopes) == 0 {
			return "the token lacks a scope this needs; add it to the app (or private app) and run " + login
		}
		return "the token lacks the scope(s) " + strings.Join(scopes, ", ") + "; add them to the app (or private app) and run " + login
	}
	if policy, ok := hubspot.IsRateLimited(err); ok {
		if policy == "DAILY" {
			return DailyLimit
		}
		return "HubSpot is limiting the request rate (" + orUnknown(policy) + "); hsadmin slows down and retries, try again in a few seconds"
	}
	if what, ok := network(err); ok {
		if errors.Is(err, store.ErrNoMirror) {
			return "cannot reach HubSpot (" + what + "), and " + store.ErrNoMirror.Error() + "; run this again when HubSpot can be reached"
		}
		return "cannot reach HubSpot (" + what + "); " + Offline
	}
	var apiErr *hubspot.APIError
	if errors.As(err, &apiErr) {
		return oneLine(apiErr.Error())
	}
	return oneLine(err.Error())
}

// authAdvice tells apart the three ways a token fails (and a missing one):
// HubSpot answers a token it cannot read as if it had expired in 1970, and
// telling that admin to refresh would send them the wrong way.
func authAdvice(err error) string {
	switch hubspot.AuthFailureOf(err) {
	case hubspot.AuthMissing:
		return TokenMissing
	case hubspot.AuthUndecodable:
		s := TokenNotHubSpot
		var e *hubspot.APIError
		if errors.As(err, &e) {
			if d := e.Token.Describe(); d != "" {
				s += "; " + d
			}
		}
		return s + "; then run hsadmin login"
	case hubspot.AuthExpired:
		return TokenExpired
	}
	var e *hubspot.APIError
	if errors.As(err, &e) {
		switch e.Token {
		case hubspot.TokenPrivateApp:
			return TokenRevoked + "; make a new private app token (or service key) and run hsadmin login"
		case hubspot.TokenOAuthAccess:
			return TokenRevoked + "; sign in again: run hsadmin login"
		}
	}
	return TokenRevoked + "; make a new token or sign in again: run hsadmin login"
}

// network recognises a failure to get any answer and says what failed,
// without the request URL (which may hold a token).
func network(err error) (string, bool) {
	var netErr *hubspot.NetworkError
	var dnsErr *net.DNSError
	var opErr *net.OpError
	var urlErr *url.Error
	switch {
	case errors.As(err, &dnsErr):
		if dnsErr.IsNotFound {
			return "the name " + dnsErr.Name + " does not resolve; check the base URL", true
		}
		return "no DNS answer for " + dnsErr.Name + "; check the network", true
	case errors.Is(err, syscall.ECONNREFUSED):
		return "the connection was refused", true
	case errors.Is(err, syscall.ECONNRESET):
		return "the connection was reset", true
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return "the network is unreachable", true
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		return "no answer in time", true
	case errors.As(err, &opErr):
		return opErr.Op + " failed: " + opErr.Err.Error(), true
	case errors.As(err, &netErr):
		return netErr.Err.Error(), true
	case errors.As(err, &urlErr):
		return urlErr.Op + " failed: " + urlErr.Err.Error(), true
	}
	return "", false
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

func orUnknown(s string) string {
	if s == "" {
		return "unnamed policy"
	}
	return s
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}
