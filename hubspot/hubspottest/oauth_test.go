package hubspottest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

const (
	testClientID     = "client-123"
	testClientSecret = "secret-456"
	testRedirect     = "http://127.0.0.1:9999/callback"
)

type oauthTokens struct{ access, refresh string }

// authorizeCode runs the authorize page and returns the code it redirects with.
func authorizeCode(t *testing.T, sb *sandbox, scope, state string) string {
	t.Helper()
	q := url.Values{"client_id": {testClientID}, "redirect_uri": {testRedirect}, "scope": {scope}, "state": {state}}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(sb.url + "/oauth/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize status %d", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(loc.String(), testRedirect+"?") {
		t.Fatalf("redirect to %q", resp.Header.Get("Location"))
	}
	if loc.Query().Get("state") != state || loc.Query().Get("code") == "" {
		t.Fatalf("redirect query %v", loc.Query())
	}
	return loc.Query().Get("code")
}

func postForm(t *testing.T, sb *sandbox, form url.Values) response {
	t.Helper()
	resp, err := http.PostForm(sb.url+"/oauth/v1/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return response{status: resp.StatusCode, header: resp.Header, body: readAll(t, resp)}
}

func oauthAccessToken(t *testing.T, sb *sandbox, scopes []string) oauthTokens {
	t.Helper()
	sb.RegisterOAuthApp(testClientID, testClientSecret, testRedirect, scopes...)
	code := authorizeCode(t, sb, strings.Join([]string{scopeOwnersRead, scopeContactsRead}, " "), "st8")
	r := postForm(t, sb, url.Values{
		"grant_type": {"authorization_code"}, "client_id": {testClientID}, "client_secret": {testClientSecret},
		"redirect_uri": {testRedirect}, "code": {code},
	})
	expectStatus(t, r, 200)
	var tok struct {
		AccessToken  string   `json:"access_token"`
		RefreshToken string   `json:"refresh_token"`
		ExpiresIn    int      `json:"expires_in"`
		TokenType    string   `json:"token_type"`
		HubID        int64    `json:"hub_id"`
		Scopes       []string `json:"scopes"`
	}
	if err := json.Unmarshal(r.body, &tok); err != nil {
		t.Fatal(err)
	}
	if tok.ExpiresIn != 1800 || tok.TokenType != "bearer" || tok.HubID != 62515 || tok.AccessToken == "" || tok.RefreshToken == "" {
		t.Fatalf("token response %s", r.body)
	}
	return oauthTokens{tok.AccessToken, tok.RefreshToken}
}

func TestOAuthCodeExchangeRefreshAndExpiry(t *testing.T) {
	sb := newSandbox(t, Config{})
	tok := oauthAccessToken(t, sb, nil)

	// The token carries the granted scopes only.
	expectStatus(t, sb.doAs(t, tok.access, "GET", "/crm/v3/owners", ""), 200)
	expectError(t, sb.doAs(t, tok.access, "GET", "/settings/v3/users", ""), 403, "MISSING_SCOPES")

	r := sb.doAs(t, "", "GET", "/oauth/v1/access-tokens/"+url.PathEscape(tok.access), "")
	expectStatus(t, r, 200)
	info := r.json(t)
	if info["hub_id"] != 62515.0 || info["expires_in"] != 1800.0 || info["token"] != tok.access {
		t.Fatalf("access token info %s", r.body)
	}
	if _, isNumber := info["user_id"].(float64); !isNumber {
		t.Fatalf("user_id %v is not a number", info["user_id"])
	}

	// After 30 minutes and 5 seconds the token has expired 5 seconds ago.
	sb.clock.Advance(30*time.Minute + 5*time.Second)
	m := expectError(t, sb.doAs(t, tok.access, "GET", "/crm/v3/owners", ""), 401, "EXPIRED_AUTHENTICATION")
	if m["message"] != "The OAuth token used to make this call expired 5 second(s) ago." {
		t.Fatalf("message %q", m["message"])
	}

	// Refresh gives a working token; the refresh token stays the same.
	refresh := url.Values{"grant_type": {"refresh_token"}, "client_id": {testClientID}, "client_secret": {testClientSecret}, "refresh_token": {tok.refresh}}
	r = postForm(t, sb, refresh)
	expectStatus(t, r, 200)
	var fresh struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	_ = json.Unmarshal(r.body, &fresh)
	if fresh.RefreshToken != tok.refresh || fresh.AccessToken == tok.access {
		t.Fatalf("refresh response %s", r.body)
	}
	expectStatus(t, sb.doAs(t, fresh.AccessToken, "GET", "/crm/v3/owners", ""), 200)

	expectStatus(t, sb.doAs(t, "", "GET", "/oauth/v1/refresh-tokens/"+tok.refresh, ""), 200)
	expectStatus(t, sb.doAs(t, "", "DELETE", "/oauth/v1/refresh-tokens/"+tok.refresh, ""), 204)
	r = postForm(t, sb, refresh)
	expectStatus(t, r, 400)
	if m := r.json(t); m["status"] != "BAD_REFRESH_TOKEN" || m["message"] != "missing or invalid refresh token" || m["correlationId"] == nil {
		t.Fatalf("revoked refresh: %s", r.body)
	}
	// Access tokens issued before the revocation stay valid.
	expectStatus(t, sb.doAs(t, fresh.AccessToken, "GET", "/crm/v3/owners", ""), 200)
}

func TestOAuthTokenFailures(t *testing.T) {
	sb := newSandbox(t, Config{})
	sb.RegisterOAuthApp(testClientID, testClientSecret, testRedirect)
	code := authorizeCode(t, sb, scopeOwnersRead, "x")
	base := url.Values{"grant_type": {"authorization_code"}, "client_id": {testClientID}, "client_secret": {testClientSecret}, "redirect_uri": {testRedirect}, "code": {code}}
	with := func(k, v string) url.Values {
		f := url.Values{}
		for key, vals := range base {
			f[key] = vals
		}
		f.Set(k, v)
		return f
	}
	tests := []struct {
		name   string
		form   url.Values
		status string
	}{
		{"unknown client", with("client_id", "nope"), "BAD_CLIENT_ID"},
		{"wrong secret", with("client_secret", "nope"), "BAD_CLIENT_SECRET"},
		{"unknown code", with("code", "nope"), "BAD_AUTH_CODE"},
		{"redirect mismatch", with("redirect_uri", "http://evil.example/cb"), "BAD_REDIRECT_URI"},
		{"unknown refresh token", url.Values{"grant_type": {"refresh_token"}, "client_id": {testClientID}, "client_secret": {testClientSecret}, "refresh_token": {"nope"}}, "BAD_REFRESH_TOKEN"},
		{"grant type", with("grant_type", "password"), "BAD_GRANT_TYPE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := postForm(t, sb, tt.form)
			expectStatus(t, r, 400)
			if m := r.json(t); m["status"] != tt.status {
				t.Fatalf("status %v, want %s", m["status"], tt.status)
			}
		})
	}
	// The code is still unused after the failures above: it works once, then not again.
	expectStatus(t, postForm(t, sb, base), 200)
	r := postForm(t, sb, base)
	if m := r.json(t); r.status != 400 || m["status"] != "BAD_AUTH_CODE" {
		t.Fatalf("second use of a code: %d %s", r.status, r.body)
	}

	// The authorize page refuses unknown apps and foreign redirect URIs.
	for _, q := range []string{"client_id=nope&redirect_uri=" + url.QueryEscape(testRedirect), "client_id=" + testClientID + "&redirect_uri=http://evil.example/"} {
		resp, err := http.Get(sb.url + "/oauth/authorize?" + q)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 400 {
			t.Fatalf("authorize %s: %d", q, resp.StatusCode)
		}
	}
}
