package hubspot

import (
	"context"
	"math"
	"net/http"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

func TestBudgetRateNeverExceedsTheWindow(t *testing.T) {
	for _, max := range []int{2, 5, 100, 110, 190, 250} {
		r, b := budgetRate(max, 10*time.Second)
		admitted := float64(b) + float64(r)*10
		if admitted > float64(max)+1e-9 || b < 1 {
			t.Errorf("max %d: burst %d + rate %.2f/s admits %.1f per window", max, b, float64(r), admitted)
		}
	}
}

func TestLimiterIsRetunedFromHeaders(t *testing.T) {
	headers := func(max, ms string) http.HandlerFunc {
		return withHeader(okJSON(userJSON), "X-HubSpot-RateLimit-Max", max,
			"X-HubSpot-RateLimit-Interval-Milliseconds", ms, "X-HubSpot-RateLimit-Remaining", "150")
	}
	c, _, _ := testClient(t, sequence(headers("190", "10000"), headers("110", "10000"), headers("110", "1000")),
		WithRateBudget(100, 10*time.Second))
	lim := c.limits.general
	if lim.Limit() != 9 || lim.Burst() != 10 {
		t.Fatalf("initial budget: %v/s burst %d", lim.Limit(), lim.Burst())
	}
	steps := []struct {
		limit rate.Limit
		burst int
	}{{17.1, 19}, {9.9, 11}, {99, 11}}
	for i, want := range steps {
		if _, err := c.GetUser(context.Background(), "7"); err != nil {
			t.Fatal(err)
		}
		if math.Abs(float64(lim.Limit()-want.limit)) > 1e-9 || lim.Burst() != want.burst {
			t.Errorf("after answer %d: %v/s burst %d, want %v/s burst %d", i+1, lim.Limit(), lim.Burst(), want.limit, want.burst)
		}
	}
}

func TestAnUnlimitedBudgetIgnoresHeaders(t *testing.T) {
	c, _, _ := testClient(t, withHeader(okJSON(userJSON), "X-HubSpot-RateLimit-Max", "100",
		"X-HubSpot-RateLimit-Interval-Milliseconds", "10000"))
	if _, err := c.GetUser(context.Background(), "7"); err != nil {
		t.Fatal(err)
	}
	if c.limits.general.Limit() != rate.Inf {
		t.Errorf("limit %v, want unlimited", c.limits.general.Limit())
	}
}

func TestDefaultBudgets(t *testing.T) {
	c := New()
	if c.limits.general.Limit() != 9 || c.limits.general.Burst() != 10 {
		t.Errorf("general %v/%d", c.limits.general.Limit(), c.limits.general.Burst())
	}
	if c.limits.search.Burst() != 1 || c.limits.search.Limit() > 5 || c.limits.search.Limit() < 4.9 {
		t.Errorf("search %v/%d", c.limits.search.Limit(), c.limits.search.Burst())
	}
	c = New(WithSearchRate(2))
	if c.limits.search.Limit() > 2 || c.limits.search.Limit() < 1.9 {
		t.Errorf("WithSearchRate(2): %v", c.limits.search.Limit())
	}
}

// A budget refilling once in a thousand hours shows how many tokens each
// kind of call took, without waiting for anything.
func TestEveryAttemptWaitsOnItsLimiter(t *testing.T) {
	c, rec, _ := testClient(t, sequence(status(502, `{}`), status(503, `{}`), okJSON(userJSON)),
		WithRateBudget(1000, 1000*time.Hour))
	c.limits.search = rate.NewLimiter(rate.Every(1000*time.Hour), 100)
	if _, err := c.GetUser(context.Background(), "7"); err != nil {
		t.Fatal(err)
	}
	if n := len(rec.requests()); n != 3 {
		t.Fatalf("%d requests", n)
	}
	if got := c.limits.general.Tokens(); got > 97.01 || got < 96.99 {
		t.Errorf("general budget has %.2f tokens left, want 97 (3 attempts from 100)", got)
	}
	if got := c.limits.search.Tokens(); got < 99.99 {
		t.Errorf("a GET took from the search budget: %.2f left", got)
	}

	c2, _, _ := testClient(t, sequence(status(429, secondly429), okJSON(`{"total":0,"results":[]}`)),
		WithRateBudget(1000, 1000*time.Hour))
	c2.limits.search = rate.NewLimiter(rate.Every(1000*time.Hour), 100)
	if _, err := c2.SearchContacts(context.Background(), SearchRequest{}); err != nil {
		t.Fatal(err)
	}
	if got := c2.limits.search.Tokens(); got > 98.01 || got < 97.99 {
		t.Errorf("search budget has %.2f tokens left, want 98 (2 attempts)", got)
	}
	if got := c2.limits.general.Tokens(); got < 99.99 {
		t.Errorf("a search took from the general budget: %.2f left", got)
	}
}

func TestLimiterWaitRespectsCancellation(t *testing.T) {
	c, rec, _ := testClient(t, okJSON(userJSON), WithRateBudget(1, time.Hour))
	if _, err := c.GetUser(context.Background(), "7"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.GetUser(ctx, "7"); err == nil {
		t.Fatal("an exhausted budget with a cancelled context should fail")
	}
	if len(rec.requests()) != 1 {
		t.Errorf("%d requests", len(rec.requests()))
	}
}
