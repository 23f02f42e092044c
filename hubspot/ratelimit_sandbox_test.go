package hubspot_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

// TestClientKeepsToTheAnnouncedSecondlyBudget: a portal that announces 20 a
// second beside 200 per 10 s gets no 429 from a client on its default
// budget (which alone would send 100 at once).
func TestClientKeepsToTheAnnouncedSecondlyBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("keeps to a real one-second budget for about two seconds")
	}
	sb := newSandbox(t, hubspottest.Config{Contacts: 10, RateLimit: true, RateLimitMax: 200, RateLimitSecondly: 20})
	c := hubspot.New(hubspot.WithBaseURL(sb.URL), hubspot.WithAccessToken(sb.Token), hubspot.WithRetry(1))
	ctx := context.Background()
	for i := range 45 {
		if _, err := c.Roles(ctx); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
	}
	for _, r := range sb.Requests() {
		if r.Status == http.StatusTooManyRequests {
			t.Fatalf("the sandbox answered 429 to %s %s", r.Method, r.Path)
		}
	}
	if general, window, secondly := c.RateBudgets(); general != 200 || window != 10*time.Second || secondly != 20 {
		t.Errorf("budgets %d per %s and %d a second, want 200 per 10s and 20", general, window, secondly)
	}
}

// TestUnthrottledSandboxLiftsTheDefaultBudget: one answer from an
// unthrottled sandbox replaces the cautious 100 per 10 s with the very large
// budget it announces.
func TestUnthrottledSandboxLiftsTheDefaultBudget(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{Contacts: 10})
	c := hubspot.New(hubspot.WithBaseURL(sb.URL), hubspot.WithAccessToken(sb.Token))
	if general, _, secondly := c.RateBudgets(); general != 100 || secondly != 0 {
		t.Fatalf("before any answer: %d, %d", general, secondly)
	}
	if _, err := c.Roles(context.Background()); err != nil {
		t.Fatal(err)
	}
	if general, window, secondly := c.RateBudgets(); general != 1_000_000 || window != 10*time.Second || secondly != 100_000 {
		t.Errorf("budgets %d per %s and %d a second", general, window, secondly)
	}
}
