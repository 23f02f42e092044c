package hubspot

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// TokenKind is what a token looks like, judged by its shape alone. HubSpot
// answers a 401 the same way for many different mistakes (a refresh token
// pasted where the access token belongs, half a private app token), so the
// client says what it sent, without ever showing it.
type TokenKind int

const (
	// TokenNotKnown: the client did not add the token itself (the caller's
	// own transport did), so it cannot say what was sent.
	TokenNotKnown TokenKind = iota
	// TokenNone: no token was sent.
	TokenNone
	// TokenPrivateApp: pat-<region>-<UUID>, a private app token or a service key.
	TokenPrivateApp
	// TokenOAuthAccess: an OAuth access token, from signing in.
	TokenOAuthAccess
	// TokenRefresh: <region>-<UUID>, an OAuth refresh token, which HubSpot
	// only takes at its token endpoint.
	TokenRefresh
	// TokenBareUUID: a bare UUID, e.g. a retired API key (hapikey), an OAuth
	// app's client secret or a developer API key.
	TokenBareUUID
	// TokenTruncatedPrivateApp: starts like a private app token but is
	// shorter than one, or has characters missing or added.
	TokenTruncatedPrivateApp
	// TokenUnrecognized: none of HubSpot's token shapes.
	TokenUnrecognized
)

const uuidPattern = `[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`

var (
	privateAppShape = regexp.MustCompile(`^pat-[a-z]{2}[0-9]-` + uuidPattern + `$`)
	refreshShape    = regexp.MustCompile(`^[a-z]{2}[0-9]-` + uuidPattern + `$`)
	bareUUIDShape   = regexp.MustCompile(`^` + uuidPattern + `$`)
	// OAuth access tokens are opaque base64url text, well over 60 characters
	// (a captured one has 148; the sandbox's have 66).
	oauthAccessShape = regexp.MustCompile(`^[A-Za-z0-9_-]{60,}$`)
)

// ClassifyToken says what kind of token tok looks like. Surrounding spaces
// are ignored, as HubSpot's header parsing ignores them.
func ClassifyToken(tok string) TokenKind {
	tok = strings.TrimSpace(tok)
	switch {
	case tok == "":
		return TokenNone
	case privateAppShape.MatchString(tok):
		return TokenPrivateApp
	case strings.HasPrefix(tok, "pat-"):
		return TokenTruncatedPrivateApp
	case refreshShape.MatchString(tok):
		return TokenRefresh
	case bareUUIDShape.MatchString(tok):
		return TokenBareUUID
	case oauthAccessShape.MatchString(tok):
		return TokenOAuthAccess
	}
	return TokenUnrecognized
}

// Describe names the kind in a sentence an administrator can check against
// what they pasted.
func (k TokenKind) Describe() string {
	switch k {
	case TokenNone:
		return "no token was sent"
	case TokenPrivateApp:
		return "the token has the shape of a private app token or service key (pat-…)"
	case TokenOAuthAccess:
		return "the token has the shape of an OAuth access token"
	case TokenRefresh:
		return "the token looks like an OAuth refresh token (<region>-<id>), not an access token"
	case TokenBareUUID:
		return "the token is a bare UUID, like a retired API key or an app's client secret, not an access token"
	case TokenTruncatedPrivateApp:
		return "the token starts like a private app token (pat-…) but is not whole: part of it is missing or extra"
	case TokenUnrecognized:
		return "the token has none of HubSpot's shapes (a private app token or service key starts pat-na1-, pat-na2- or pat-eu1-)"
	}
	return ""
}

// AuthFailure is why HubSpot refused the credentials of a request.
type AuthFailure int

const (
	// AuthOK: not an authentication failure.
	AuthOK AuthFailure = iota
	// AuthMissing: no token reached HubSpot.
	AuthMissing
	// AuthUndecodable: HubSpot could not read the token at all. It answers
	// EXPIRED_AUTHENTICATION with an expiry at the Unix epoch ("expired
	// 20543 day(s) ago"), so this must not be taken for a real expiry.
	AuthUndecodable
	// AuthExpired: a real token whose time ran out (OAuth access tokens
	// live 30 minutes).
	AuthExpired
	// AuthRefused: a token HubSpot read but no longer accepts: revoked,
	// rotated, deleted with its private app, or the app was uninstalled.
	AuthRefused
)

// AuthFailureOf tells apart the ways HubSpot refuses credentials. It gives
// AuthOK for anything that is not a 401.
func AuthFailureOf(err error) AuthFailure {
	var e *APIError
	if !errors.As(err, &e) || e.StatusCode != 401 {
		return AuthOK
	}
	return e.authFailure()
}

func (e *APIError) authFailure() AuthFailure {
	switch {
	case e.Token == TokenNone:
		return AuthMissing
	case e.Category == "EXPIRED_AUTHENTICATION" && expiredAtEpoch(e):
		return AuthUndecodable
	case e.Category == "EXPIRED_AUTHENTICATION":
		return AuthExpired
	case e.Token == TokenTruncatedPrivateApp || e.Token == TokenRefresh || e.Token == TokenBareUUID || e.Token == TokenUnrecognized:
		// Whatever HubSpot called it, this was never an access token.
		return AuthUndecodable
	}
	return AuthRefused
}

// bogusExpiryDays: no real token expired this long ago (OAuth came to
// HubSpot in the 2010s), so a day count this large is HubSpot counting from
// the Unix epoch because it found no expiry in the token.
const bogusExpiryDays = 10_000

var expiredDaysAgo = regexp.MustCompile(`expired (\d+) day\(s\) ago`)

// expiredAtEpoch reports HubSpot's answer for a token it cannot decode:
// context "expire time" at (or before) 1970-01-01, or, without the context,
// an expiry tens of thousands of days ago.
func expiredAtEpoch(e *APIError) bool {
	for _, v := range e.Context["expire time"] {
		if t, err := time.Parse(time.RFC3339, strings.TrimSpace(v)); err == nil {
			return t.Unix() <= 0
		}
	}
	if m := expiredDaysAgo.FindStringSubmatch(e.Message); m != nil {
		n, err := strconv.Atoi(m[1])
		return err == nil && n >= bogusExpiryDays
	}
	return false
}

// authHint is the advice for a 401, by what went wrong.
func (e *APIError) authHint() string {
	switch e.authFailure() {
	case AuthMissing:
		return "no access token was sent: set HUBSPOT_ACCESS_TOKEN or sign in (hsadmin login)"
	case AuthUndecodable:
		s := "HubSpot could not read the token at all (the 1970 expiry is HubSpot's way of saying so): check it was copied whole"
		if d := e.Token.Describe(); d != "" {
			s += "; " + d
		}
		return s
	case AuthExpired:
		return "the OAuth access token has expired: refresh it or sign in again (hsadmin login --oauth)"
	}
	return "HubSpot no longer accepts this token (revoked, rotated, or its app was deleted or uninstalled): make a new private app token, or sign in again"
}
