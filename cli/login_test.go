package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/config"
	"github.com/hsadmin/hsadmin/credentials"
	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

// loginEnv points the config and credentials at a temporary directory (never
// the OS keyring) and serves a sandbox portal.
type loginEnv struct {
	*testEnv
	sb  *hubspottest.Server
	srv *httptest.Server
}

func newLoginEnv(t *testing.T) *loginEnv {
	t.Helper()
	return newLoginEnvWith(t, hubspottest.Config{Contacts: 20, Users: 8})
}

func newLoginEnvWith(t *testing.T, portal hubspottest.Config) *loginEnv {
	t.Helper()
	sb := hubspottest.New(portal)
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	return &loginEnv{testEnv: newTestEnv(t), sb: sb, srv: srv}
}

func assertNoToken(t *testing.T, where string, secrets []string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		for _, secret := range secrets {
			if secret != "" && strings.Contains(s, secret) {
				t.Errorf("%s shows a secret: %s", where, s)
			}
		}
	}
}

func TestLoginWithTokenAddsPortal(t *testing.T) {
	t.Parallel()
	e := newLoginEnv(t)
	tok := e.sb.IssueToken("crm.objects.owners.read", "crm.objects.contacts.read", "settings.users.read")
	code, out, errOut := e.run(t, tok+"\n", "login", "--portal", "sb", "--token", "--base-url", e.srv.URL)
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	assertNoToken(t, "login output", []string{tok}, out, errOut)
	if !strings.Contains(out, "Signed in to portal sb (hub 62515") || !strings.Contains(out, "3 scopes") {
		t.Errorf("stdout: %s", out)
	}
	cred, err := e.creds.Load("sb")
	if err != nil || cred.AccessToken != tok || cred.Method != credentials.MethodToken || cred.HubID != e.sb.HubID() {
		t.Fatalf("saved %v %v", cred, err)
	}
	cfg, err := config.Load(filepath.Join(e.dir, "hsadmin", "config.toml"))
	if err != nil {
		t.Fatal(err)
	}
	p, ok := cfg.Portal("sb")
	if !ok || p.BaseURL != e.srv.URL || p.Auth != config.AuthToken || p.HubID != e.sb.HubID() {
		t.Errorf("config portal %+v", p)
	}

	// The named portal connects.
	base, hc, readOnly, production, err := e.app(t).resolveNamedPortal("sb", stdio{err: os.Stderr})
	if err != nil {
		t.Fatal(err)
	}
	if base != e.srv.URL || readOnly || production {
		t.Errorf("resolve: %s %v %v", base, readOnly, production)
	}
	c := hubspot.New(hubspot.WithBaseURL(base), hubspot.WithHTTPClient(hc))
	if _, err := c.OwnersPage(context.Background(), hubspot.OwnerListOptions{Limit: 1}, ""); err != nil {
		t.Errorf("owners through the named portal: %v", err)
	}

	// portals lists it, without the token.
	code, out, _ = e.run(t, "", "portals")
	if code != 0 || !strings.Contains(out, "sb") || !strings.Contains(out, "yes, "+e.creds.FilePath()) {
		t.Errorf("portals: %d %s", code, out)
	}
	code, out, _ = e.run(t, "", "portals", "--json")
	var rows []portalListing
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 1 || !rows[0].SignedIn || rows[0].HubID != e.sb.HubID() {
		t.Errorf("portals --json: %d %s", code, out)
	}
	assertNoToken(t, "portals", []string{tok}, out)

	// Logging in again under the same name with another hub's token is
	// refused: the portal is pinned to its hub.
	other := hubspottest.New(hubspottest.Config{Contacts: 5, Users: 3, HubID: 999})
	otherSrv := httptest.NewServer(other)
	defer otherSrv.Close()
	if err := os.WriteFile(filepath.Join(e.dir, "hsadmin", "config.toml"), []byte("[portal.sb]\nbase_url = \""+otherSrv.URL+"\"\nhub_id = 62515\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = e.run(t, other.IssueToken()+"\n", "login", "--portal", "sb", "--token")
	if code != 1 || !strings.Contains(errOut, "this sign-in is for hub 999, but portal sb is pinned to hub 62515") {
		t.Errorf("pinned hub: %d %s", code, errOut)
	}
	if cred, _ := e.creds.Load("sb"); cred.AccessToken != tok {
		t.Error("the refused sign-in replaced the saved one")
	}

	// logout forgets a token sign-in.
	code, out, _ = e.run(t, "", "logout", "--portal", "sb")
	if code != 0 || !strings.Contains(out, "Forgot the token for portal sb") {
		t.Errorf("logout: %d %s", code, out)
	}
	if _, err := e.creds.Load("sb"); err == nil {
		t.Error("credential still saved after logout")
	}
}

func TestLoginTokenMistakes(t *testing.T) {
	t.Parallel()
	e := newLoginEnv(t)
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"token on argv", "", []string{"login", "--portal", "a", "--token", "pat-na1-xyz"}, 2, "never from the command line"},
		{"token as flag value", "", []string{"login", "--portal", "a", "--token=pat-na1-xyz"}, 2, "--token takes no value"},
		{"both methods", "x\n", []string{"login", "--portal", "a", "--token", "--oauth"}, 2, "choose one of --token or --oauth"},
		{"empty stdin", "", []string{"login", "--portal", "a", "--token", "--base-url", e.srv.URL}, 2, "nothing on standard input"},
		{"bad name", "x\n", []string{"login", "--portal", "a b", "--token"}, 2, "use letters, digits"},
		{"bad base URL", "x\n", []string{"login", "--portal", "a", "--token", "--base-url", "http://example.com"}, 2, "tokens would travel unencrypted"},
		{"oauth without client id", "", []string{"login", "--portal", "a", "--oauth"}, 2, "--oauth needs --client-id"},
		{"invalid token", "pat-na1-not-a-real-token\n", []string{"login", "--portal", "a", "--token", "--base-url", e.srv.URL}, 1, "HubSpot did not accept the token"},
		{"unknown portal logout", "", []string{"logout", "--portal", "nope"}, 1, "portal nope has no saved sign-in"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := e.run(t, tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant: %s", code, tt.code, out, errOut, tt.want)
			}
			assertNoToken(t, "output", []string{"pat-na1-not-a-real-token", "pat-na1-xyz"}, out, errOut)
		})
	}
	if _, err := os.Stat(filepath.Join(e.dir, "hsadmin", "config.toml")); !os.IsNotExist(err) {
		t.Errorf("a failed login wrote the config: %v", err)
	}
}

func TestLoginWithOAuthAndLogout(t *testing.T) {
	t.Parallel()
	e := newLoginEnv(t)
	const secret = "oauth-client-SECRET"
	e.setenv("HUBSPOT_CLIENT_SECRET", secret)
	// The fake browser registers the loopback redirect (an admin lists it in
	// the app's settings) and follows HubSpot's redirect back.
	e.browser = func(authURL string) error {
		u, err := url.Parse(authURL)
		if err != nil {
			return err
		}
		e.sb.RegisterOAuthApp("cid-1", secret, u.Query().Get("redirect_uri"))
		go func() {
			if resp, err := http.Get(authURL); err == nil {
				resp.Body.Close()
			}
		}()
		return nil
	}
	code, out, errOut := e.run(t, "", "login", "--portal", "sb", "--oauth", "--client-id", "cid-1", "--base-url", e.srv.URL)
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	cred, err := e.creds.Load("sb")
	if err != nil || cred.Method != credentials.MethodOAuth || cred.RefreshToken == "" || cred.ClientSecret != secret || cred.ClientID != "cid-1" || cred.HubID != e.sb.HubID() {
		t.Fatalf("saved %v %v", cred, err)
	}
	assertNoToken(t, "login output", cred.Secrets(), out, errOut)
	if !strings.Contains(errOut, "/oauth/authorize?") {
		t.Errorf("the sign-in URL was not printed: %s", errOut)
	}
	cfg, _ := config.Load(filepath.Join(e.dir, "hsadmin", "config.toml"))
	if p, _ := cfg.Portal("sb"); p.Auth != config.AuthOAuth {
		t.Errorf("config portal %+v", p)
	}

	// The named portal's client works on the OAuth token.
	base, _, _, _, err := e.app(t).resolveNamedPortal("", stdio{err: os.Stderr})
	if err == nil {
		t.Errorf("no --portal and no default_portal resolved to %s", base)
	}
	base, hc, _, _, err := e.app(t).resolveNamedPortal("sb", stdio{err: os.Stderr})
	if err != nil {
		t.Fatal(err)
	}
	c := hubspot.New(hubspot.WithBaseURL(base), hubspot.WithHTTPClient(hc))
	if _, err := c.OwnersPage(context.Background(), hubspot.OwnerListOptions{Limit: 1}, ""); err != nil {
		t.Errorf("owners through the OAuth portal: %v", err)
	}

	code, out, errOut = e.run(t, "", "logout", "--portal", "sb")
	if code != 0 || !strings.Contains(out, "the refresh token is revoked") {
		t.Fatalf("logout: %d %s %s", code, out, errOut)
	}
	revoked := false
	for _, r := range e.sb.Requests() {
		if r.Method == "DELETE" && strings.HasPrefix(r.Path, "/oauth/v1/refresh-tokens/") && r.Status == 204 {
			revoked = true
		}
	}
	if !revoked {
		t.Error("no revoke request reached the sandbox")
	}
	if _, err := e.creds.Load("sb"); err == nil {
		t.Error("credential still saved after logout")
	}
}

func TestResolveNamedPortalErrors(t *testing.T) {
	t.Parallel()
	e := newLoginEnv(t)
	path := filepath.Join(e.dir, "hsadmin", "config.toml")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	write := func(s string) {
		if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("default_portal = \"prod\"\n[portal.prod]\nproduction = true\nread_only = true\n")
	_, _, _, _, err := e.app(t).resolveNamedPortal("", stdio{})
	if err == nil || !strings.Contains(err.Error(), "portal prod has no saved sign-in; run hsadmin login --portal prod --token") {
		t.Errorf("no credentials: %v", err)
	}
	if err := e.creds.Save(credentials.Credential{Portal: "prod", Method: credentials.MethodToken, AccessToken: "pat-x"}); err != nil {
		t.Fatal(err)
	}
	base, _, readOnly, production, err := e.app(t).resolveNamedPortal("", stdio{})
	if err != nil || base != config.DefaultBaseURL || !readOnly || !production {
		t.Errorf("default portal: %s %v %v %v", base, readOnly, production, err)
	}
	_, _, _, _, err = e.app(t).resolveNamedPortal("stage", stdio{})
	if err == nil || !strings.Contains(err.Error(), `no portal named "stage"`) || !strings.Contains(err.Error(), "configured: prod") {
		t.Errorf("unknown portal: %v", err)
	}
	write("[portal.prod]\naccent = \"pink\"\n")
	_, _, _, _, err = e.app(t).resolveNamedPortal("prod", stdio{})
	if err == nil || !strings.HasPrefix(err.Error(), path+":2: accent:") {
		t.Errorf("bad config: %v", err)
	}
	code, _, errOut := e.run(t, "", "portals")
	if code != 1 || !strings.Contains(errOut, path+":2:") {
		t.Errorf("portals on a bad config: %d %s", code, errOut)
	}
}

// Saved credentials that cannot be used are named in hsadmin portals, with
// what to do, rather than shown as a plain "no".
func TestPortalsNamesUnusableCredentials(t *testing.T) {
	t.Parallel()
	e := newLoginEnv(t)
	tok := e.sb.IssueToken()
	if code, _, errOut := e.run(t, tok+"\n", "login", "--portal", "lab", "--token", "--base-url", e.srv.URL); code != 0 {
		t.Fatalf("login: %s", errOut)
	}
	if err := os.WriteFile(e.creds.FilePath(), []byte(`{"portals": {"lab": garb`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := e.run(t, "", "portals")
	if code != 0 || !strings.Contains(out, "unusable: ") || !strings.Contains(out, "damaged") {
		t.Errorf("portals with a damaged credentials file: exit %d\n%s%s", code, out, errOut)
	}
	assertNoToken(t, "portals output", []string{tok}, out, errOut)
}
