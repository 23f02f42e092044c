package hubspottest

import (
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/hsadmin/hsadmin/hubspot"
)

// OAuth 2.0 as HubSpot runs it: an authorize page (here it approves at once
// for registered apps), a form-encoded token endpoint with the client
// credentials in the body, 30-minute access tokens, refresh tokens that live
// until revoked, and token-info endpoints.

type oauthApp struct {
	clientID, secret, redirectURI string
	scopes                        []string
	appID                         int64
}

type authCode struct {
	app         *oauthApp
	redirectURI string
	scopes      []string
	expiresAt   time.Time
}

type refreshToken struct {
	value   string
	app     *oauthApp
	scopes  []string
	revoked bool
}

const authCodeLifetime = 10 * time.Minute

// RegisterOAuthApp registers a public app whose users the authorize page
// approves at once. With no scopes the app may ask for any in AllScopes.
func (s *Server) RegisterOAuthApp(clientID, clientSecret, redirectURI string, scopes ...string) {
	if len(scopes) == 0 {
		scopes = AllScopes
	}
	a := s.auth
	a.mu.Lock()
	defer a.mu.Unlock()
	app := &oauthApp{clientID: clientID, secret: clientSecret, redirectURI: redirectURI, scopes: slices.Clone(scopes), appID: a.nextApp}
	a.nextApp++
	a.apps[clientID] = app
}

// GET /oauth/authorize?client_id&redirect_uri&scope&optional_scope&state
func (c *call) authorize() {
	q := c.query
	a := c.s.auth
	a.mu.Lock()
	app := a.apps[q.Get("client_id")]
	a.mu.Unlock()
	switch {
	case app == nil:
		c.authorizePage(http.StatusBadRequest, "This app is not known to the sandbox portal: unknown client_id.")
		return
	case q.Get("redirect_uri") != app.redirectURI:
		c.authorizePage(http.StatusBadRequest, "The redirect_uri does not match the app's redirect URL.")
		return
	}
	granted := []string{scopeOAuth}
	for _, sc := range strings.Fields(q.Get("scope")) {
		if !slices.Contains(app.scopes, sc) {
			c.authorizePage(http.StatusBadRequest, "The app asked for scope "+sc+", which it does not hold.")
			return
		}
		if !slices.Contains(granted, sc) {
			granted = append(granted, sc)
		}
	}
	for _, sc := range strings.Fields(q.Get("optional_scope")) {
		if slices.Contains(app.scopes, sc) && !slices.Contains(granted, sc) {
			granted = append(granted, sc)
		}
	}
	code := uuid.NewString()
	a.mu.Lock()
	a.codes[code] = &authCode{app: app, redirectURI: app.redirectURI, scopes: granted, expiresAt: c.s.now().Add(authCodeLifetime)}
	a.mu.Unlock()

	target, err := url.Parse(app.redirectURI)
	if err != nil {
		c.authorizePage(http.StatusBadRequest, "The app's redirect URL is not a URL.")
		return
	}
	tq := target.Query()
	tq.Set("code", code)
	if st := q.Get("state"); st != "" {
		tq.Set("state", st)
	}
	target.RawQuery = tq.Encode()
	http.Redirect(c.w, c.r, target.String(), http.StatusFound)
}

func (c *call) authorizePage(status int, msg string) {
	c.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	c.w.WriteHeader(status)
	_, _ = c.w.Write([]byte("<!doctype html><html><head><title>Authorization failed</title></head><body><h1>Authorization failed</h1><p>" +
		html.EscapeString(msg) + "</p></body></html>"))
}

// oauthFailure is the old-style body of a failed token request.
type oauthFailure struct {
	Status        string `json:"status"`
	Message       string `json:"message"`
	CorrelationID string `json:"correlationId"`
	RequestID     string `json:"requestId"`
}

func (c *call) oauthFail(status, msg string) {
	c.json(http.StatusBadRequest, oauthFailure{Status: status, Message: msg, CorrelationID: newCorrelationID(), RequestID: uuid.NewString()})
}

type tokenResponse struct {
	TokenType    string   `json:"token_type"`
	AccessToken  string   `json:"access_token"`
	RefreshToken string   `json:"refresh_token"`
	ExpiresIn    int      `json:"expires_in"`
	HubID        int64    `json:"hub_id"`
	UserID       *int64   `json:"user_id"`
	Scopes       []string `json:"scopes"`
	TokenUse     string   `json:"token_use"`
}

// POST /oauth/v1/token (authorization_code and refresh_token grants)
func (c *call) oauthToken() {
	form, err := url.ParseQuery(string(c.body))
	if err != nil {
		c.oauthFail("BAD_REQUEST", "the request body must be form-encoded")
		return
	}
	a := c.s.auth
	now := c.s.now()
	a.mu.Lock()
	defer a.mu.Unlock()
	app := a.apps[form.Get("client_id")]
	if app == nil {
		c.oauthFail("BAD_CLIENT_ID", "missing or unknown client id")
		return
	}
	if form.Get("client_secret") != app.secret {
		c.oauthFail("BAD_CLIENT_SECRET", "missing or invalid client secret")
		return
	}
	var rt *refreshToken
	switch form.Get("grant_type") {
	case "authorization_code":
		code := a.codes[form.Get("code")]
		if code == nil || code.app != app || !now.Before(code.expiresAt) {
			c.oauthFail("BAD_AUTH_CODE", "missing or unknown auth code")
			return
		}
		if form.Get("redirect_uri") != code.redirectURI {
			c.oauthFail("BAD_REDIRECT_URI", "redirect_uri does not match the one used to authorize")
			return
		}
		delete(a.codes, form.Get("code")) // codes are single-use
		rt = &refreshToken{value: "na1-" + uuid.NewString(), app: app, scopes: code.scopes}
		a.refresh[rt.value] = rt
	case "refresh_token":
		rt = a.refresh[form.Get("refresh_token")]
		if rt == nil || rt.revoked || rt.app != app {
			c.oauthFail("BAD_REFRESH_TOKEN", "missing or invalid refresh token")
			return
		}
		if c.s.cfg.RotateRefreshTokens {
			// The used token is retired as its successor is issued: a
			// client that fails to save the new one must sign in again.
			rt.revoked = true
			rt = &refreshToken{value: "na1-" + uuid.NewString(), app: app, scopes: rt.scopes}
			a.refresh[rt.value] = rt
		}
	default:
		c.oauthFail("BAD_GRANT_TYPE", "unsupported grant_type "+form.Get("grant_type"))
		return
	}
	t := &token{
		value:     "CN" + strings.ReplaceAll(uuid.NewString()+uuid.NewString(), "-", ""),
		kind:      tokenOAuth,
		scopes:    scopeSet(rt.scopes),
		scopeList: slices.Clone(rt.scopes),
		expiresAt: now.Add(accessTokenLifetime),
		appID:     app.appID,
		clientID:  app.clientID,
		userID:    a.userID,
	}
	a.tokens[t.value] = t
	c.w.Header().Set("Cache-Control", "no-store")
	c.json(http.StatusOK, tokenResponse{
		TokenType: "bearer", AccessToken: t.value, RefreshToken: rt.value,
		ExpiresIn: int(accessTokenLifetime / time.Second), HubID: a.hubID, UserID: userIDNumber(a.userID),
		Scopes: t.scopeList, TokenUse: "access_token",
	})
}

type accessTokenInfo struct {
	Token                 string   `json:"token"`
	User                  string   `json:"user,omitempty"`
	HubDomain             string   `json:"hub_domain"`
	Scopes                []string `json:"scopes"`
	HubID                 int64    `json:"hub_id"`
	AppID                 int64    `json:"app_id"`
	ExpiresIn             int      `json:"expires_in"`
	UserID                *int64   `json:"user_id"`
	TokenType             string   `json:"token_type"`
	IsPrivateDistribution bool     `json:"is_private_distribution"`
}

type refreshTokenInfo struct {
	Token     string   `json:"token"`
	User      string   `json:"user,omitempty"`
	HubDomain string   `json:"hub_domain"`
	Scopes    []string `json:"scopes"`
	HubID     int64    `json:"hub_id"`
	ClientID  string   `json:"client_id"`
	UserID    *int64   `json:"user_id"`
	TokenType string   `json:"token_type"`
}

func (c *call) tokenNotFound() {
	c.fail(http.StatusNotFound, apiError{Category: "OBJECT_NOT_FOUND", Message: "Token not found"})
}

func (c *call) hubDomain() string { return "sandbox-" + itoa(c.s.cfg.HubID) + ".hubspot.example" }

func (c *call) userEmail(id hubspot.UserID) string {
	c.s.mu.RLock()
	defer c.s.mu.RUnlock()
	if u := c.s.p.userByID[id]; u != nil {
		return u.email
	}
	return ""
}

// GET /oauth/v1/access-tokens/{token}: OAuth access tokens only. Private
// app tokens are introspected at privateAppTokenInfo, as on HubSpot.
func (c *call) accessTokenInfo() {
	a := c.s.auth
	a.mu.Lock()
	t := a.tokens[c.param(0)]
	a.mu.Unlock()
	if t == nil || t.revoked || t.kind != tokenOAuth {
		c.tokenNotFound()
		return
	}
	expiresIn := 0
	if !t.expiresAt.IsZero() {
		expiresIn = max(0, int(t.expiresAt.Sub(c.s.now())/time.Second))
	}
	c.json(http.StatusOK, accessTokenInfo{
		Token: t.value, User: c.userEmail(t.userID), HubDomain: c.hubDomain(), Scopes: t.scopeList,
		HubID: c.s.cfg.HubID, AppID: t.appID, ExpiresIn: expiresIn, UserID: userIDNumber(t.userID), TokenType: "access",
	})
}

// POST /oauth/v2/private-apps/get/access-token-info {"tokenKey": "pat-…"}:
// a private app token's portal, creating user, app and scopes. It needs no
// scope; the Authorization header is optional.
func (c *call) privateAppTokenInfo() {
	var in struct {
		TokenKey string `json:"tokenKey"`
	}
	if !c.decode(&in) {
		return
	}
	if in.TokenKey == "" {
		c.invalid("tokenKey is required")
		return
	}
	a := c.s.auth
	a.mu.Lock()
	t := a.tokens[in.TokenKey]
	a.mu.Unlock()
	if t == nil || t.revoked || t.kind != tokenPrivateApp {
		c.tokenNotFound()
		return
	}
	c.json(http.StatusOK, struct {
		UserID *int64   `json:"userId"`
		HubID  int64    `json:"hubId"`
		AppID  int64    `json:"appId"`
		Scopes []string `json:"scopes"`
	}{userIDNumber(t.userID), c.s.cfg.HubID, t.appID, t.scopeList})
}

// GET /oauth/v1/refresh-tokens/{token}
func (c *call) refreshTokenInfo() {
	a := c.s.auth
	a.mu.Lock()
	rt := a.refresh[c.param(0)]
	a.mu.Unlock()
	if rt == nil || rt.revoked {
		c.tokenNotFound()
		return
	}
	c.json(http.StatusOK, refreshTokenInfo{
		Token: rt.value, User: c.userEmail(a.userID), HubDomain: c.hubDomain(), Scopes: rt.scopes,
		HubID: c.s.cfg.HubID, ClientID: rt.app.clientID, UserID: userIDNumber(a.userID), TokenType: "refresh",
	})
}

// DELETE /oauth/v1/refresh-tokens/{token}: revokes the refresh token only;
// access tokens already issued stay valid until they expire.
func (c *call) revokeRefreshToken() {
	a := c.s.auth
	a.mu.Lock()
	rt := a.refresh[c.param(0)]
	if rt != nil {
		rt.revoked = true
	}
	a.mu.Unlock()
	if rt == nil {
		c.tokenNotFound()
		return
	}
	c.w.WriteHeader(http.StatusNoContent)
}
