package hubspot

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/oauth2"
)

// DefaultAppBaseURL is where HubSpot's OAuth consent page lives.
const DefaultAppBaseURL = "https://app.hubspot.com"

// OAuthConfig configures golang.org/x/oauth2 for a HubSpot public app.
// HubSpot wants the client ID and secret in the token request's form body,
// not in a Basic header. Empty base URLs mean HubSpot's own hosts; the
// sandbox passes its own URL for both. Use the result's TokenSource with
// oauth2.NewClient and WithHTTPClient: HubSpot access tokens last 30 minutes
// and refresh themselves that way.
func OAuthConfig(clientID, clientSecret, redirectURL string, scopes []string, appBaseURL, apiBaseURL string) *oauth2.Config {
	if appBaseURL == "" {
		appBaseURL = DefaultAppBaseURL
	}
	if apiBaseURL == "" {
		apiBaseURL = DefaultBaseURL
	}
	return &oauth2.Config{
		ClientID:     clientID,
		ClientSecret: clientSecret,
		RedirectURL:  redirectURL,
		Scopes:       scopes,
		Endpoint: oauth2.Endpoint{
			AuthURL:   strings.TrimRight(appBaseURL, "/") + "/oauth/authorize",
			TokenURL:  strings.TrimRight(apiBaseURL, "/") + "/oauth/v1/token",
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
}

// TokenInfo is what HubSpot knows about an OAuth access token.
type TokenInfo struct {
	HubID     int64    `json:"hub_id"`
	UserID    UserID   `json:"user_id"`
	AppID     int64    `json:"app_id"`
	Scopes    []string `json:"scopes"`
	ExpiresIn int      `json:"expires_in"` // seconds
	TokenType string   `json:"token_type"`
	User      string   `json:"user,omitempty"`       // the authorizing user's email
	HubDomain string   `json:"hub_domain,omitempty"` // the portal's domain
}

// AccessTokenInfo asks HubSpot about an OAuth access token: its portal, user,
// scopes and remaining lifetime. The token travels in the URL path, so it is
// replaced by a placeholder in Call reports and scrubbed from errors.
func (c *Client) AccessTokenInfo(ctx context.Context, token string) (TokenInfo, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return TokenInfo{}, errors.New("hubspot: no access token to look up")
	}
	const path = "/oauth/v1/access-tokens/"
	info, _, err := call[TokenInfo](ctx, c, request{
		method:     "GET",
		path:       path + url.PathEscape(token),
		shownPath:  path + "{token}",
		secrets:    []string{token, url.PathEscape(token), url.QueryEscape(token)},
		replaySafe: true,
	})
	return info, err
}

// privateAppTokenInfo is HubSpot's answer about a private app token.
type privateAppTokenInfo struct {
	UserID int64    `json:"userId"`
	HubID  int64    `json:"hubId"`
	AppID  int64    `json:"appId"`
	Scopes []string `json:"scopes"`
}

// PrivateAppTokenInfo asks HubSpot about a private app token or service
// key (pat-…), which the OAuth endpoint of AccessTokenInfo does not know:
// its portal, creating user, app and scopes. It needs no scope. The token
// travels in the request body (never logged) and is scrubbed from errors.
func (c *Client) PrivateAppTokenInfo(ctx context.Context, token string) (TokenInfo, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return TokenInfo{}, errors.New("hubspot: no access token to look up")
	}
	raw, _, err := call[privateAppTokenInfo](ctx, c, request{
		method:     "POST",
		path:       "/oauth/v2/private-apps/get/access-token-info",
		body:       map[string]string{"tokenKey": token},
		secrets:    []string{token},
		replaySafe: true,
		readsOnly:  true,
	})
	if err != nil {
		return TokenInfo{}, err
	}
	info := TokenInfo{HubID: raw.HubID, AppID: raw.AppID, Scopes: raw.Scopes, TokenType: "private-app"}
	if raw.UserID != 0 {
		info.UserID = UserID(strconv.FormatInt(raw.UserID, 10))
	}
	return info, nil
}

// TokenInfo asks HubSpot about any access token: private app tokens and
// service keys (pat-…) at the private-apps endpoint, others at the OAuth
// one, each falling back to the other when HubSpot does not know the token
// there.
func (c *Client) TokenInfo(ctx context.Context, token string) (TokenInfo, error) {
	first, second := c.AccessTokenInfo, c.PrivateAppTokenInfo
	if strings.HasPrefix(strings.TrimSpace(token), "pat-") {
		first, second = second, first
	}
	info, err := first(ctx, token)
	if err == nil || !isUnknownToken(err) {
		return info, err
	}
	if info, err2 := second(ctx, token); err2 == nil || !isUnknownToken(err2) {
		return info, err2
	}
	return TokenInfo{}, err
}

// isUnknownToken is an introspection endpoint's answer for a token it did
// not issue.
func isUnknownToken(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && (apiErr.StatusCode == 400 || apiErr.StatusCode == 401 || apiErr.StatusCode == 404)
}
