package hubspot_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

// Private app tokens are introspected at their own endpoint (the OAuth one
// does not know them), and TokenInfo finds the right endpoint for each kind.
func TestPrivateAppTokenInfo(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{})
	ctx := context.Background()
	limited := sb.IssueToken("crm.objects.owners.read", "crm.objects.contacts.read")
	c := sb.client(hubspot.WithAccessToken(limited))

	info, err := c.PrivateAppTokenInfo(ctx, limited)
	if err != nil || info.HubID != sb.HubID() || !slices.Equal(info.Scopes, []string{"crm.objects.owners.read", "crm.objects.contacts.read"}) || info.UserID == "" {
		t.Fatalf("PrivateAppTokenInfo: %v %+v", err, info)
	}
	if _, err := c.AccessTokenInfo(ctx, limited); !hubspot.IsNotFound(err) {
		t.Errorf("the OAuth endpoint answered for a private app token: %v", err)
	}
	if got, err := c.TokenInfo(ctx, limited); err != nil || got.HubID != sb.HubID() || len(got.Scopes) != 2 {
		t.Errorf("TokenInfo(private app): %v %+v", err, got)
	}

	tok := oauthToken(t, sb, "crm.objects.owners.read")
	if got, err := c.TokenInfo(ctx, tok.AccessToken); err != nil || got.HubID != sb.HubID() || got.ExpiresIn <= 0 {
		t.Errorf("TokenInfo(OAuth): %v %+v", err, got)
	}
	if _, err := c.PrivateAppTokenInfo(ctx, tok.AccessToken); !hubspot.IsNotFound(err) {
		t.Errorf("the private-apps endpoint answered for an OAuth token: %v", err)
	}

	unknown := "pat-na1-11111111-2222-3333-4444-555555555555"
	_, err = c.TokenInfo(ctx, unknown)
	if !hubspot.IsNotFound(err) || strings.Contains(err.Error(), unknown) {
		t.Errorf("unknown token: %v", err)
	}
	sb.RevokeToken(limited)
	if _, err := sb.client().PrivateAppTokenInfo(ctx, limited); !hubspot.IsNotFound(err) {
		t.Errorf("revoked token: %v", err)
	}
}
