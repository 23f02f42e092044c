package hubspot_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/oauth2"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

const secretRefresh = "na1-0000-refresh-secret-never-shown"

// tokenHits counts the sandbox's token-endpoint requests.
func tokenHits(sb *sandbox) int {
	n := 0
	for _, r := range sb.Requests() {
		if r.Path == "/oauth/v1/token" {
			n++
		}
	}
	return n
}

func noSecret(t *testing.T, err error, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error shows a secret: %v", err)
		}
	}
}

// A refresh HubSpot refuses fails the call at once: one token request, no
// API request, no retry, and an error saying to sign in again.
func TestRefusedRefreshFailsFast(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{Contacts: 5})
	sb.RegisterOAuthApp("cid", "app-secret", "http://127.0.0.1:1/cb")
	cfg := hubspot.OAuthConfig("cid", "app-secret", "http://127.0.0.1:1/cb", nil, sb.URL, sb.URL)
	ctx := context.Background()
	src := cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: secretRefresh})

	wrapped := &http.Client{Transport: roundTripFunc(oauth2.NewClient(ctx, src).Transport.RoundTrip)}
	for name, hc := range map[string]*http.Client{
		"oauth2 client":         oauth2.NewClient(ctx, src),
		"wrapped in a recorder": wrapped,
	} {
		t.Run(name, func(t *testing.T) {
			before, beforeAll := tokenHits(sb), len(sb.Requests())
			c := hubspot.New(hubspot.WithBaseURL(sb.URL), hubspot.WithHTTPClient(hc), hubspot.WithRetry(4), hubspot.WithRateBudget(0, 0))
			_, err := c.UsersPage(ctx, "", 10)
			var te *hubspot.TokenError
			var re *oauth2.RetrieveError
			if !errors.As(err, &te) || !hubspot.IsTokenError(err) || !errors.As(err, &re) {
				t.Fatalf("got %T %v, want a *TokenError wrapping a RetrieveError", err, err)
			}
			if te.Status != http.StatusBadRequest || !strings.Contains(err.Error(), "BAD_REFRESH_TOKEN") || !strings.Contains(err.Error(), "sign in again") {
				t.Errorf("unclear error: %v (status %d)", err, te.Status)
			}
			noSecret(t, err, secretRefresh, "app-secret")
			if n := tokenHits(sb) - before; n != 1 {
				t.Errorf("%d token requests, want 1 (no retry)", n)
			}
			if n := len(sb.Requests()) - beforeAll; n != 1 {
				t.Errorf("%d requests in all, want only the token request", n)
			}
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// failingSource is a token source of hsadmin's own kind, whose errors do not
// come from golang.org/x/oauth2.
type failingSource struct{ calls atomic.Int32 }

func (s *failingSource) Token() (*oauth2.Token, error) {
	s.calls.Add(1)
	return nil, errors.New("portal \"prod\": the saved sign-in has expired or was revoked; run hsadmin login --portal prod")
}

func TestTokenSourceErrorIsNotRetried(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{Contacts: 5})
	src := &failingSource{}
	var calls []hubspot.Call
	c := hubspot.New(hubspot.WithBaseURL(sb.URL), hubspot.WithRetry(4), hubspot.WithRateBudget(0, 0),
		hubspot.WithHTTPClient(oauth2.NewClient(context.Background(), src)),
		hubspot.WithObserver(func(c hubspot.Call) { calls = append(calls, c) }))
	_, err := c.ContactsPage(context.Background(), "", 10, nil)
	if !hubspot.IsTokenError(err) || !strings.Contains(err.Error(), "hsadmin login --portal prod") {
		t.Fatalf("got %v", err)
	}
	if n := src.calls.Load(); n != 1 {
		t.Errorf("token source asked %d times, want 1", n)
	}
	if len(calls) != 1 || calls[0].Attempt != 1 || calls[0].Err == nil {
		t.Errorf("observed %+v", calls)
	}
	if n := len(sb.Requests()); n != 0 {
		t.Errorf("the sandbox got %d requests", n)
	}
}

// A working OAuth token source is used as usual.
func TestWorkingTokenSourcePassesThrough(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{Contacts: 5})
	src := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: sb.Token})
	c := hubspot.New(hubspot.WithBaseURL(sb.URL), hubspot.WithRateBudget(0, 0), hubspot.WithHTTPClient(oauth2.NewClient(context.Background(), src)))
	if _, err := c.UsersPage(context.Background(), "", 5); err != nil {
		t.Fatal(err)
	}
}
