package hubspottest

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/hsadmin/hsadmin/hubspot"
)

// Scopes the sandbox checks (HubSpot reference §5.3).
const (
	scopeOAuth              = "oauth"
	scopeSettingsUsersRead  = "settings.users.read"
	scopeSettingsUsersWrite = "settings.users.write"
	scopeTeamsRead          = "settings.users.teams.read"
	scopeTeamsWrite         = "settings.users.teams.write"
	scopeBillingWrite       = "settings.billing.write"
	scopeOwnersRead         = "crm.objects.owners.read"
	scopeContactsRead       = "crm.objects.contacts.read"
	scopeContactsWrite      = "crm.objects.contacts.write"
	scopeCRMUsersRead       = "crm.objects.users.read"
	scopeCRMUsersWrite      = "crm.objects.users.write"
)

// AllScopes is every scope the sandbox knows; IssueToken() with no scopes grants them all.
var AllScopes = []string{
	scopeOAuth,
	scopeSettingsUsersRead, scopeSettingsUsersWrite,
	scopeTeamsRead, scopeTeamsWrite,
	scopeBillingWrite,
	scopeOwnersRead,
	scopeContactsRead, scopeContactsWrite,
	scopeCRMUsersRead, scopeCRMUsersWrite,
}

type tokenKind int

const (
	tokenPrivateApp tokenKind = iota
	tokenOAuth
)

// accessTokenLifetime is HubSpot's OAuth access-token lifetime.
const accessTokenLifetime = 30 * time.Minute

// privateAppID is the app ID reported for sandbox private-app tokens.
const privateAppID = 3_456_789

type token struct {
	value     string
	kind      tokenKind
	scopes    map[string]bool
	scopeList []string
	expiresAt time.Time // zero: never (private apps)
	appID     int64
	clientID  string // OAuth only
	userID    hubspot.UserID
	revoked   bool
}

func (t *token) hasAny(scopes []string) bool {
	for _, s := range scopes {
		if t.scopes[s] {
			return true
		}
	}
	return len(scopes) == 0
}

// rateKey is what HubSpot's burst limit counts against: the private app, or
// the OAuth app's install in this account.
func (t *token) rateKey() string {
	if t.kind == tokenOAuth {
		return "oauth:" + t.clientID
	}
	return "pat:" + t.value
}

// authority holds tokens, OAuth apps, authorization codes and refresh tokens.
type authority struct {
	hubID   int64
	userID  hubspot.UserID // the installing user reported on OAuth tokens
	mu      sync.Mutex
	tokens  map[string]*token
	apps    map[string]*oauthApp
	codes   map[string]*authCode
	refresh map[string]*refreshToken
	nextApp int64
}

func newAuthority(hubID int64, installer hubspot.UserID) *authority {
	return &authority{
		hubID:   hubID,
		userID:  installer,
		tokens:  map[string]*token{},
		apps:    map[string]*oauthApp{},
		codes:   map[string]*authCode{},
		refresh: map[string]*refreshToken{},
		nextApp: 1_000_001,
	}
}

func scopeSet(scopes []string) map[string]bool {
	m := make(map[string]bool, len(scopes))
	for _, s := range scopes {
		m[s] = true
	}
	return m
}

// IssueToken returns a new private-app token ("pat-na1-<uuid>") holding scopes,
// or every scope in AllScopes when none are given. Private-app tokens never expire.
func (s *Server) IssueToken(scopes ...string) string {
	if len(scopes) == 0 {
		scopes = AllScopes
	}
	t := &token{
		value:     "pat-na1-" + uuid.NewString(),
		kind:      tokenPrivateApp,
		scopes:    scopeSet(scopes),
		scopeList: append([]string(nil), scopes...),
		appID:     privateAppID,
		userID:    s.auth.userID,
	}
	s.auth.mu.Lock()
	s.auth.tokens[t.value] = t
	s.auth.mu.Unlock()
	return t.value
}

// RevokeToken makes an access token invalid (401 INVALID_AUTHENTICATION,
// "Authentication credentials not found…", as for an unknown token).
func (s *Server) RevokeToken(value string) {
	s.auth.mu.Lock()
	defer s.auth.mu.Unlock()
	if t, ok := s.auth.tokens[value]; ok {
		t.revoked = true
	}
}

// authenticate checks the bearer token, returning the 401 to send on failure.
func (a *authority) authenticate(r *http.Request, now time.Time) (*token, *apiError) {
	h := r.Header.Get("Authorization")
	scheme, value, ok := strings.Cut(h, " ")
	invalid := &apiError{Category: "INVALID_AUTHENTICATION", Message: msgInvalidAuth}
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return nil, invalid
	}
	value = strings.TrimSpace(value)
	if !decodable(value) {
		return nil, expiredError(now, time.Unix(0, 0))
	}
	a.mu.Lock()
	t, found := a.tokens[value]
	a.mu.Unlock()
	if !found || t.revoked {
		// No capture shows HubSpot's answer for a revoked token or for a
		// well-formed one it never issued; "credentials not found" is
		// inferred (FIDELITY.md, row 5b).
		return nil, invalid
	}
	if !t.expiresAt.IsZero() && !now.Before(t.expiresAt) {
		return nil, expiredError(now, t.expiresAt)
	}
	return t, nil
}

var (
	privateAppTokenShape  = regexp.MustCompile(`^pat-(na1|na2|eu1)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	oauthAccessTokenShape = regexp.MustCompile(`^CN[0-9a-f]{64}$`)
)

// decodable reports whether value has the shape of a token the sandbox
// issues. HubSpot decodes its tokens before looking them up; one it cannot
// decode (not a HubSpot token, or cut short) has no expiry in it.
func decodable(value string) bool {
	return privateAppTokenShape.MatchString(value) || oauthAccessTokenShape.MatchString(value)
}

// expiredError is HubSpot's 401 for an expired token, with the expiry in
// context. For a token it cannot decode HubSpot reports an expiry at the Unix
// epoch: "expired 20543 day(s) ago", expire time 1970-01-01T00:00:00Z.
func expiredError(now, expiredAt time.Time) *apiError {
	return &apiError{
		Category: "EXPIRED_AUTHENTICATION",
		Message:  expiredMessage(now.Sub(expiredAt)),
		Context:  map[string][]string{"expire time": {expiredAt.UTC().Format(time.RFC3339)}},
	}
}

// expiredMessage says how long ago a token expired, in HubSpot's words
// ("expired 5 hour(s) ago"), using the largest whole unit.
func expiredMessage(ago time.Duration) string {
	n, unit := int64(ago/time.Second), "second"
	switch {
	case ago >= 24*time.Hour:
		n, unit = int64(ago/(24*time.Hour)), "day"
	case ago >= time.Hour:
		n, unit = int64(ago/time.Hour), "hour"
	case ago >= time.Minute:
		n, unit = int64(ago/time.Minute), "minute"
	}
	return fmt.Sprintf("The OAuth token used to make this call expired %d %s(s) ago.", n, unit)
}
