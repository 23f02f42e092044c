package hubspot

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/oauth2"
)

func TestOAuthConfigSendsClientCredentialsInTheBody(t *testing.T) {
	var form url.Values
	var basic bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/oauth/v1/token" {
			http.NotFound(w, r)
			return
		}
		_, _, basic = r.BasicAuth()
		r.ParseForm()
		form = r.PostForm
		writeJSON(w, 200, map[string]any{"token_type": "bearer", "access_token": "at-1", "refresh_token": "rt-1", "expires_in": 1800})
	}))
	defer srv.Close()

	cfg := OAuthConfig("cid", "secret", "http://127.0.0.1:9/cb", []string{"oauth", "crm.objects.contacts.read"}, "https://app.example", srv.URL+"/")
	if cfg.Endpoint.AuthStyle != oauth2.AuthStyleInParams || cfg.Endpoint.AuthURL != "https://app.example/oauth/authorize" || cfg.Endpoint.TokenURL != srv.URL+"/oauth/v1/token" {
		t.Errorf("endpoint %+v", cfg.Endpoint)
	}
	authURL, _ := url.Parse(cfg.AuthCodeURL("st"))
	q := authURL.Query()
	if q.Get("client_id") != "cid" || q.Get("scope") != "oauth crm.objects.contacts.read" || q.Get("state") != "st" || q.Get("redirect_uri") != "http://127.0.0.1:9/cb" {
		t.Errorf("authorize URL %s", authURL)
	}
	tok, err := cfg.Exchange(context.Background(), "code-1")
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != "at-1" || tok.RefreshToken != "rt-1" {
		t.Errorf("token %+v", tok)
	}
	if basic || form.Get("client_id") != "cid" || form.Get("client_secret") != "secret" || form.Get("code") != "code-1" || form.Get("grant_type") != "authorization_code" {
		t.Errorf("basic=%v form=%v", basic, form)
	}

	def := OAuthConfig("a", "b", "c", nil, "", "")
	if def.Endpoint.AuthURL != "https://app.hubspot.com/oauth/authorize" || def.Endpoint.TokenURL != "https://api.hubapi.com/oauth/v1/token" {
		t.Errorf("defaults %+v", def.Endpoint)
	}
}

func TestAccessTokenInfo(t *testing.T) {
	log := &callLog{}
	c, rec, _ := testClient(t, okJSON(`{"token":"x","user":"jane@x.io","hub_domain":"demo.com","scopes":["oauth","crm.objects.contacts.read"],
		"hub_id":62515,"app_id":456,"expires_in":1754,"user_id":123,"token_type":"access"}`), WithObserver(log.observe))
	info, err := c.AccessTokenInfo(context.Background(), "CJ-oauth/token+x")
	if err != nil {
		t.Fatal(err)
	}
	want := TokenInfo{HubID: 62515, UserID: "123", AppID: 456, Scopes: []string{"oauth", "crm.objects.contacts.read"}, ExpiresIn: 1754, TokenType: "access", User: "jane@x.io", HubDomain: "demo.com"}
	if info.HubID != want.HubID || info.UserID != want.UserID || info.AppID != want.AppID || !slices.Equal(info.Scopes, want.Scopes) ||
		info.ExpiresIn != want.ExpiresIn || info.TokenType != want.TokenType || info.User != want.User || info.HubDomain != want.HubDomain {
		t.Errorf("got %+v", info)
	}
	if p := rec.requests()[0].Path; p != "/oauth/v1/access-tokens/CJ-oauth/token+x" {
		t.Errorf("path %s", p)
	}
	if p := log.all()[0].Path; p != "/oauth/v1/access-tokens/{token}" || strings.Contains(p, "CJ-oauth") {
		t.Errorf("observed path %s", p)
	}
}
