package hubspottest

import (
	"encoding/json"
	"net/url"
	"testing"
)

func refreshWith(t *testing.T, sb *sandbox, rt string) response {
	t.Helper()
	return postForm(t, sb, url.Values{
		"grant_type": {"refresh_token"}, "client_id": {testClientID}, "client_secret": {testClientSecret}, "refresh_token": {rt},
	})
}

func refreshTokenOf(t *testing.T, r response) string {
	t.Helper()
	expectStatus(t, r, 200)
	var tok struct {
		RefreshToken string `json:"refresh_token"`
	}
	if err := json.Unmarshal(r.body, &tok); err != nil || tok.RefreshToken == "" {
		t.Fatalf("token response %s: %v", r.body, err)
	}
	return tok.RefreshToken
}

// By default the refresh token survives its use, as HubSpot's v1 endpoint's does.
func TestRefreshTokenKeptByDefault(t *testing.T) {
	sb := newSandbox(t, Config{})
	first := oauthAccessToken(t, sb, nil).refresh
	if got := refreshTokenOf(t, refreshWith(t, sb, first)); got != first {
		t.Errorf("refresh token changed to %s", got)
	}
	refreshTokenOf(t, refreshWith(t, sb, first))
}

// With rotation on, each refresh hands out a new refresh token and the used
// one stops working.
func TestRefreshTokenRotation(t *testing.T) {
	sb := newSandbox(t, Config{RotateRefreshTokens: true})
	rt := oauthAccessToken(t, sb, nil).refresh
	seen := map[string]bool{rt: true}
	for range 3 {
		next := refreshTokenOf(t, refreshWith(t, sb, rt))
		if seen[next] {
			t.Fatalf("refresh token %s handed out twice", next)
		}
		seen[next] = true
		r := refreshWith(t, sb, rt)
		expectStatus(t, r, 400)
		var body struct{ Status string }
		if json.Unmarshal(r.body, &body); body.Status != "BAD_REFRESH_TOKEN" {
			t.Errorf("reusing a rotated token: %s", r.body)
		}
		rt = next
	}
	// Revoking the latest one ends the chain.
	if r := sb.do(t, "DELETE", "/oauth/v1/refresh-tokens/"+rt, ""); r.status != 204 {
		t.Fatalf("revoke: %d %s", r.status, r.body)
	}
	expectStatus(t, refreshWith(t, sb, rt), 400)
}
