package hubspot_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

func TestClassifyToken(t *testing.T) {
	tests := []struct {
		tok  string
		want hubspot.TokenKind
	}{
		{"", hubspot.TokenNone},
		{"pat-na1-3f8d2a4e-1b2c-4d5e-8f90-123456789abc", hubspot.TokenPrivateApp},
		{" pat-eu1-3f8d2a4e-1b2c-4d5e-8f90-123456789abc\n", hubspot.TokenPrivateApp},
		{"pat-na1-3f8d2a4e-1b2c-4d5e-8f90-1234567", hubspot.TokenTruncatedPrivateApp},
		{"pat-na1-3f8d2a4e-1b2c-4d5e-8f90-123456789abcdef", hubspot.TokenTruncatedPrivateApp},
		{"na1-3f8d2a4e-1b2c-4d5e-8f90-123456789abc", hubspot.TokenRefresh},
		{"3f8d2a4e-1b2c-4d5e-8f90-123456789abc", hubspot.TokenBareUUID},
		{"CN2zlYnmLBICAQIYgZXFLyCWp1Yoy_9GMhkAgddk-zDc-H_rOad1X2s6Qv3fmG1spSY0Og0ACgJBAAADAIADAAABQhkAgddk", hubspot.TokenOAuthAccess},
		{"CN2zlYnmLBICAQIYgZXF", hubspot.TokenUnrecognized},
		{"Bearer pat-na1-3f8d2a4e-1b2c-4d5e-8f90-123456789abc", hubspot.TokenUnrecognized},
	}
	for _, tt := range tests {
		if got := hubspot.ClassifyToken(tt.tok); got != tt.want {
			t.Errorf("ClassifyToken(%q) = %d, want %d", tt.tok, got, tt.want)
		}
	}
}

// TestThreeAuthFailuresAgainstTheSandbox: the client tells apart a token
// HubSpot cannot read (answered as expired in 1970), an expired OAuth access
// token, a revoked token and no token at all, and its error says what to do.
func TestThreeAuthFailuresAgainstTheSandbox(t *testing.T) {
	clk := &clock{t: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)}
	sb := newSandbox(t, hubspottest.Config{Now: clk.now, Contacts: 10})
	ctx := context.Background()
	revoked := sb.IssueToken()
	sb.RevokeToken(revoked)
	expired := oauthToken(t, sb, "crm.objects.owners.read").AccessToken
	clk.advance(31 * time.Minute)

	tests := []struct {
		name string
		opts []hubspot.Option
		want hubspot.AuthFailure
		hint string
	}{
		{"cut short", []hubspot.Option{hubspot.WithAccessToken(sb.Token[:30])}, hubspot.AuthUndecodable, "check it was copied whole; the token starts like a private app token (pat-…) but is not whole"},
		{"not a token", []hubspot.Option{hubspot.WithAccessToken("my-hubspot-password")}, hubspot.AuthUndecodable, "none of HubSpot's shapes"},
		{"OAuth cut short", []hubspot.Option{hubspot.WithAccessToken(expired[:50])}, hubspot.AuthUndecodable, "copied whole"},
		{"expired", []hubspot.Option{hubspot.WithAccessToken(expired)}, hubspot.AuthExpired, "the OAuth access token has expired"},
		{"revoked", []hubspot.Option{hubspot.WithAccessToken(revoked)}, hubspot.AuthRefused, "HubSpot no longer accepts this token"},
		{"no token", []hubspot.Option{hubspot.WithHTTPClient(&http.Client{})}, hubspot.AuthMissing, "no access token was sent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := hubspot.New(append([]hubspot.Option{hubspot.WithBaseURL(sb.URL), hubspot.WithRetry(1)}, tt.opts...)...)
			_, err := c.OwnersPage(ctx, hubspot.OwnerListOptions{Limit: 1}, "")
			if got := hubspot.AuthFailureOf(err); got != tt.want {
				t.Fatalf("AuthFailureOf = %d, want %d: %v", got, tt.want, err)
			}
			if !strings.Contains(err.Error(), tt.hint) {
				t.Errorf("error %q lacks %q", err, tt.hint)
			}
			if tt.want != hubspot.AuthExpired && strings.Contains(err.Error(), "refresh") {
				t.Errorf("error %q sends the admin to refresh", err)
			}
			for _, secret := range []string{sb.Token[:30], expired[:50], revoked} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error shows a token: %q", err)
				}
			}
		})
	}
}

// TestEpochExpiryWithoutContext: HubSpot's 1970 answer is recognised from the
// day count too, when the context is missing.
func TestEpochExpiryWithoutContext(t *testing.T) {
	for msg, want := range map[string]hubspot.AuthFailure{
		"The OAuth token used to make this call expired 20543 day(s) ago.": hubspot.AuthUndecodable,
		"The OAuth token used to make this call expired 3 day(s) ago.":     hubspot.AuthExpired,
		"The OAuth token used to make this call expired 5 hour(s) ago.":    hubspot.AuthExpired,
	} {
		err := &hubspot.APIError{StatusCode: 401, Category: "EXPIRED_AUTHENTICATION", Message: msg, Token: hubspot.TokenOAuthAccess}
		if got := hubspot.AuthFailureOf(err); got != want {
			t.Errorf("%q: %d, want %d", msg, got, want)
		}
	}
	realExpiry := &hubspot.APIError{StatusCode: 401, Category: "EXPIRED_AUTHENTICATION", Token: hubspot.TokenOAuthAccess,
		Context: map[string][]string{"expire time": {"2026-11-22T12:30:00Z"}}}
	if got := hubspot.AuthFailureOf(realExpiry); got != hubspot.AuthExpired {
		t.Errorf("a realExpiry expire time: %d", got)
	}
}
