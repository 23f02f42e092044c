package hubspottest

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestUndecodableTokenExpiredIn1970 reproduces HubSpot's answer for a token
// it cannot decode: 401 EXPIRED_AUTHENTICATION with an expiry at the Unix
// epoch, counted in days at the time of the call (captured: "expired 20543
// day(s) ago" on 2026-03-31).
func TestUndecodableTokenExpiredIn1970(t *testing.T) {
	clock := &testClock{t: time.Date(2026, 3, 31, 15, 4, 5, 0, time.UTC)}
	sb := newSandbox(t, Config{Now: clock.Now})
	oauth := oauthAccessToken(t, sb, nil)
	for name, tok := range map[string]string{
		"not a token":              "hello",
		"truncated private app":    sb.token[:len(sb.token)-6],
		"private app with a space": strings.Replace(sb.token, "-", " -", 1),
		"truncated OAuth":          oauth.access[:40],
		"refresh token":            oauth.refresh,
		"bare UUID":                "3f8d2a4e-1b2c-4d5e-8f90-123456789abc",
	} {
		t.Run(name, func(t *testing.T) {
			r := sb.doAs(t, tok, "GET", "/crm/v3/owners", "")
			m := expectError(t, r, http.StatusUnauthorized, "EXPIRED_AUTHENTICATION")
			if m["message"] != "The OAuth token used to make this call expired 20543 day(s) ago." {
				t.Errorf("message %q", m["message"])
			}
			if got := list(obj(m["context"])["expire time"]); len(got) != 1 || got[0] != "1970-01-01T00:00:00Z" {
				t.Errorf("context %v", m["context"])
			}
			if strings.Contains(string(r.body), tok) {
				t.Error("the error echoes the token")
			}
		})
	}
}

// TestExpiredTokenCarriesItsExpiry: a real expiry reports its real time in
// the same context key as the undecodable case.
func TestExpiredTokenCarriesItsExpiry(t *testing.T) {
	sb := newSandbox(t, Config{})
	issued := sb.clock.Now()
	tok := oauthAccessToken(t, sb, nil)
	sb.clock.Advance(2*time.Hour + time.Minute)
	m := expectError(t, sb.doAs(t, tok.access, "GET", "/crm/v3/owners", ""), 401, "EXPIRED_AUTHENTICATION")
	if m["message"] != "The OAuth token used to make this call expired 1 hour(s) ago." {
		t.Errorf("message %q", m["message"])
	}
	want := issued.Add(accessTokenLifetime).UTC().Format(time.RFC3339)
	if got := list(obj(m["context"])["expire time"]); len(got) != 1 || got[0] != want {
		t.Errorf("context %v, want expire time %s", m["context"], want)
	}
}

// TestRevokedTokenIsNotFound: a revoked token and a well-formed token the
// portal never issued get "credentials not found" (inferred, see
// FIDELITY.md, row 5b), like a request without a token.
func TestRevokedTokenIsNotFound(t *testing.T) {
	sb := newSandbox(t, Config{})
	revoked := sb.IssueToken()
	sb.RevokeToken(revoked)
	oauth := oauthAccessToken(t, sb, nil)
	sb.RevokeToken(oauth.access)
	for _, tok := range []string{revoked, oauth.access, "", "pat-na1-00000000-0000-0000-0000-000000000000"} {
		m := expectError(t, sb.doAs(t, tok, "GET", "/crm/v3/owners", ""), 401, "INVALID_AUTHENTICATION")
		if m["message"] != msgInvalidAuth || m["context"] != nil {
			t.Errorf("token %.12q…: %v", tok, m)
		}
	}
}
