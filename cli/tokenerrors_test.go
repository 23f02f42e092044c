package cli

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/portal/explain"
)

// TestSyncTellsTheThreeTokenFailuresApart runs hsadmin sync against the
// sandbox over HTTP with a token HubSpot cannot read, a revoked one and an
// expired OAuth access token, and checks that the admin is told which it is
// and what to do: HubSpot's answer to the first looks like an expiry (in
// 1970), and must not send them off to refresh it.
func TestSyncTellsTheThreeTokenFailuresApart(t *testing.T) {
	clk := &manualClock{t: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)}
	tp := newTokenPortal(t, hubspottest.Config{Contacts: 20, Users: 6, Now: clk.now})
	revoked := tp.sb.IssueToken()
	tp.sb.RevokeToken(revoked)
	expired := sandboxOAuthAccessToken(t, tp)
	clk.advance(45 * time.Minute)

	tests := []struct {
		name, token string
		want        []string
		not         string
	}{
		{"cut short", tp.token[:len(tp.token)-5], []string{explain.TokenNotHubSpot, "starts like a private app token (pat-…) but is not whole"}, "expired"},
		{"a refresh token", "na1-3f8d2a4e-1b2c-4d5e-8f90-123456789abc", []string{explain.TokenNotHubSpot, "refresh token"}, "expired"},
		{"revoked", revoked, []string{explain.TokenRevoked, "make a new private app token"}, "copied whole"},
		{"expired", expired, []string{explain.TokenExpired}, "copied whole"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := cliEnv(t)
			env.setenv("HUBSPOT_ACCESS_TOKEN", tt.token)
			env.setenv("HUBSPOT_BASE_URL", tp.srv.URL)
			code, out, errOut := env.runCLI(t, "sync", "--data-dir", t.TempDir())
			if code != exitFailure {
				t.Fatalf("exit %d: %s %s", code, out, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q lacks %q", errOut, w)
				}
			}
			if strings.Contains(errOut, tt.not) {
				t.Errorf("stderr %q says %q", errOut, tt.not)
			}
			assertNoToken(t, "output", []string{tt.token, tp.token}, out, errOut)
		})
	}
}

// TestLoginTellsTheTokenFailuresApart: hsadmin login --token with a pasted
// token that was cut short, and with a revoked one.
func TestLoginTellsTheTokenFailuresApart(t *testing.T) {
	e := newLoginEnv(t)
	good := e.sb.IssueToken()
	revoked := e.sb.IssueToken()
	e.sb.RevokeToken(revoked)
	for _, tc := range []struct{ stdin, want string }{
		{good[:20] + "\n", "it could not read it; check that it was copied whole (the token starts like a private app token"},
		{revoked + "\n", "it was revoked or rotated"},
	} {
		code, out, errOut := e.run(t, tc.stdin, "login", "--portal", "a", "--token", "--base-url", e.srv.URL)
		if code != exitFailure || !strings.Contains(errOut, tc.want) {
			t.Errorf("exit %d, stderr %q, want %q", code, errOut, tc.want)
		}
		assertNoToken(t, "output", []string{good, revoked}, out, errOut)
	}
}

type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *manualClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *manualClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// sandboxOAuthAccessToken signs in to the sandbox through its OAuth flow and
// returns the access token.
func sandboxOAuthAccessToken(t *testing.T, tp *tokenPortal) string {
	t.Helper()
	const redirect = "http://127.0.0.1:1/callback"
	tp.sb.RegisterOAuthApp("app-1", "secret-1", redirect)
	cfg := hubspot.OAuthConfig("app-1", "secret-1", redirect, []string{"crm.objects.owners.read"}, tp.srv.URL, tp.srv.URL)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(cfg.AuthCodeURL("state-1"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || loc.Query().Get("code") == "" {
		t.Fatalf("authorize answered %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	tok, err := cfg.Exchange(context.Background(), loc.Query().Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	return tok.AccessToken
}
