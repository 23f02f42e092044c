package explain

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/oauth2"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal/signin"
)

func TestExplain(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"401 expired", &hubspot.APIError{StatusCode: 401, Category: "EXPIRED_AUTHENTICATION", Message: "The OAuth token used to make this call expired 5 hour(s) ago."}, TokenExpired},
		{"401 expired in 1970", &hubspot.APIError{StatusCode: 401, Category: "EXPIRED_AUTHENTICATION", Token: hubspot.TokenTruncatedPrivateApp,
			Context: map[string][]string{"expire time": {"1970-01-01T00:00:00Z"}}}, TokenNotHubSpot + "; the token starts like a private app token (pat-…) but is not whole"},
		{"401 wrapped", fmt.Errorf("sync: %w", &hubspot.APIError{StatusCode: 401}), TokenRevoked},
		{"401 no token", &hubspot.APIError{StatusCode: 401, Category: "INVALID_AUTHENTICATION", Token: hubspot.TokenNone}, TokenMissing},
		{"403 scopes", &hubspot.APIError{StatusCode: 403, Category: "MISSING_SCOPES", Errors: []hubspot.ErrorDetail{{Context: map[string][]string{"requiredGranularScopes": {"crm.objects.owners.read"}}}}},
			"the token lacks the scope(s) crm.objects.owners.read; add them to the app (or private app) and run hsadmin login"},
		{"403 scopes unnamed", &hubspot.APIError{StatusCode: 403, Category: "MISSING_SCOPES"}, "the token lacks a scope this needs"},
		{"daily 429", &hubspot.RateLimitError{Policy: "DAILY", APIError: &hubspot.APIError{StatusCode: 429, PolicyName: "DAILY"}}, DailyLimit},
		{"burst 429", &hubspot.RateLimitError{Policy: "TEN_SECONDLY_ROLLING", APIError: &hubspot.APIError{StatusCode: 429}}, "HubSpot is limiting the request rate (TEN_SECONDLY_ROLLING)"},
		{"refused connection", &hubspot.NetworkError{Method: "GET", Path: "/crm/v3/owners", Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}},
			"cannot reach HubSpot (the connection was refused); the local mirror is still browsable"},
		{"dns", &hubspot.NetworkError{Err: &net.DNSError{Name: "api.hubapi.invalid", Err: "no such host", IsNotFound: true}},
			"cannot reach HubSpot (the name api.hubapi.invalid does not resolve; check the base URL); the local mirror is still browsable"},
		{"timeout", &hubspot.NetworkError{Err: context.DeadlineExceeded}, "cannot reach HubSpot (no answer in time)"},
		{"truncated", &hubspot.NetworkError{Err: errors.New("the answer was cut short")}, "cannot reach HubSpot (the answer was cut short); " + Offline},
		{"refresh refused", fmt.Errorf("refresh: %w", &oauth2.RetrieveError{Response: &http.Response{StatusCode: 400}, Body: []byte(`{"status":"BAD_REFRESH_TOKEN"}`)}),
			"the saved sign-in was refused by HubSpot (revoked, or the app was uninstalled); run hsadmin login"},
		{"needs login", fmt.Errorf("x: %w", signin.ErrNeedsLogin), "run hsadmin login"},
		{"cancelled", fmt.Errorf("sync: %w", context.Canceled), "cancelled"},
		{"other API error", &hubspot.APIError{StatusCode: 400, Category: "VALIDATION_ERROR", Message: "bad\nsecond line"}, "HubSpot answered 400 VALIDATION_ERROR: bad"},
		{"plain", errors.New("disk full"), "disk full"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Explain(tt.err)
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("Explain = %q, want %q", got, tt.want)
			}
			if strings.Contains(got, "\n") {
				t.Errorf("not one line: %q", got)
			}
		})
	}
}

func TestForPortalNamesThePortal(t *testing.T) {
	got := ForPortal(&hubspot.APIError{StatusCode: 401, Token: hubspot.TokenOAuthAccess}, "prod")
	if got != TokenRevoked+"; sign in again: run hsadmin login --portal prod" {
		t.Errorf("got %q", got)
	}
}

// TestExplainRealClientErrors runs the client against servers that answer
// with HubSpot's envelopes or not at all, so Explain is checked against the
// errors the client really returns.
func TestExplainRealClientErrors(t *testing.T) {
	answer := func(status int, body string) *httptest.Server {
		return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			fmt.Fprint(w, body)
		}))
	}
	expired := answer(401, `{"status":"error","message":"The OAuth token used to make this call expired 5 hour(s) ago.","category":"EXPIRED_AUTHENTICATION"}`)
	defer expired.Close()
	scopes := answer(403, `{"status":"error","message":"This app hasn't been granted all required scopes","category":"MISSING_SCOPES","errors":[{"message":"One or more of the following scopes are required.","context":{"requiredGranularScopes":["crm.objects.owners.read"]}}]}`)
	defer scopes.Close()
	daily := answer(429, `{"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT","policyName":"DAILY"}`)
	defer daily.Close()
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()

	for _, tc := range []struct {
		url, want string
	}{
		{expired.URL, TokenExpired},
		{scopes.URL, "the token lacks the scope(s) crm.objects.owners.read"},
		{daily.URL, DailyLimit},
		{gone.URL, "cannot reach HubSpot (the connection was refused); " + Offline},
	} {
		c := hubspot.New(hubspot.WithBaseURL(tc.url), hubspot.WithAccessToken("pat-na1-secret-token"), hubspot.WithRetry(1))
		_, err := c.GetOwner(context.Background(), "1")
		if err == nil {
			t.Fatalf("%s: no error", tc.url)
		}
		got := Explain(err)
		if !strings.Contains(got, tc.want) {
			t.Errorf("Explain(%v) = %q, want %q", err, got, tc.want)
		}
		if strings.Contains(got, "secret-token") {
			t.Errorf("token leaked: %q", got)
		}
	}
}
