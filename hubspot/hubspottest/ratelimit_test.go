package hubspottest

import (
	"net/http"
	"strconv"
	"testing"
	"time"
)

func TestTenSecondlyRollingWindow(t *testing.T) {
	sb := newSandbox(t, Config{RateLimit: true, RateLimitMax: 5})
	for i := 1; i <= 5; i++ {
		r := sb.do(t, "GET", "/crm/v3/owners", "")
		expectStatus(t, r, 200)
		h := r.header
		if h.Get("X-HubSpot-RateLimit-Max") != "5" || h.Get("X-HubSpot-RateLimit-Remaining") != strconv.Itoa(5-i) ||
			h.Get("X-HubSpot-RateLimit-Interval-Milliseconds") != "10000" {
			t.Fatalf("request %d headers %v", i, h)
		}
		if h.Get("X-HubSpot-RateLimit-Daily") != "250000" || h.Get("X-HubSpot-RateLimit-Daily-Remaining") != strconv.Itoa(250000-i) {
			t.Fatalf("request %d daily headers %v", i, h)
		}
		sb.clock.Advance(time.Second)
	}
	r := sb.do(t, "GET", "/crm/v3/owners", "")
	expectStatus(t, r, http.StatusTooManyRequests)
	m := r.json(t)
	if m["status"] != "error" || m["errorType"] != "RATE_LIMIT" || m["policyName"] != "TEN_SECONDLY_ROLLING" ||
		m["message"] != "You have reached your ten_secondly_rolling limit." || len(str(m["correlationId"])) != 36 {
		t.Fatalf("429 body %s", r.body)
	}
	if g := str(m["groupName"]); g != "publicapi:private_app-api-calls-ten-secondly:3456789:62515" {
		t.Fatalf("groupName %q", g)
	}
	// Another token has its own window.
	expectStatus(t, sb.doAs(t, sb.IssueToken(), "GET", "/crm/v3/owners", ""), 200)
	// The window rolls: the first request (t=0) leaves it after 10 s.
	sb.clock.Advance(5*time.Second + time.Millisecond)
	r = sb.do(t, "GET", "/crm/v3/owners", "")
	expectStatus(t, r, 200)
	if r.header.Get("X-HubSpot-RateLimit-Remaining") != "0" {
		t.Fatalf("remaining %q", r.header.Get("X-HubSpot-RateLimit-Remaining"))
	}
}

func TestSearchSecondlyLimit(t *testing.T) {
	sb := newSandbox(t, Config{RateLimit: true})
	for i := 0; i < 5; i++ {
		r := sb.do(t, "POST", "/crm/v3/objects/contacts/search", `{}`)
		expectStatus(t, r, 200)
		if r.header.Get("X-HubSpot-RateLimit-Remaining") != "" {
			t.Fatal("search response carries rate-limit headers")
		}
	}
	// Per portal, not per token.
	r := sb.doAs(t, sb.IssueToken(), "POST", "/crm/v3/objects/users/search", `{}`)
	expectStatus(t, r, http.StatusTooManyRequests)
	m := r.json(t)
	if m["policyName"] != "SECONDLY" || m["message"] != "You have reached your secondly limit." || m["errorType"] != "RATE_LIMIT" {
		t.Fatalf("429 body %s", r.body)
	}
	// Non-search calls are not held back by the search budget.
	expectStatus(t, sb.do(t, "GET", "/crm/v3/owners", ""), 200)
	sb.clock.Advance(time.Second)
	expectStatus(t, sb.do(t, "POST", "/crm/v3/objects/contacts/search", `{}`), 200)
}

func TestDailyLimit(t *testing.T) {
	sb := newSandbox(t, Config{RateLimit: true, DailyLimit: 3})
	for i := 0; i < 3; i++ {
		expectStatus(t, sb.do(t, "GET", "/crm/v3/owners", ""), 200)
		sb.clock.Advance(11 * time.Second)
	}
	r := sb.do(t, "GET", "/crm/v3/owners", "")
	expectStatus(t, r, http.StatusTooManyRequests)
	if m := r.json(t); m["policyName"] != "DAILY" || m["message"] != "You have reached your daily limit." {
		t.Fatalf("429 body %s", r.body)
	}
	sb.clock.Advance(24 * time.Hour)
	expectStatus(t, sb.do(t, "GET", "/crm/v3/owners", ""), 200)
}

func TestOAuthRateLimitHeaders(t *testing.T) {
	sb := newSandbox(t, Config{RateLimit: true})
	tok := oauthAccessToken(t, sb, AllScopes)
	r := sb.doAs(t, tok.access, "GET", "/crm/v3/owners", "")
	expectStatus(t, r, 200)
	if r.header.Get("X-HubSpot-RateLimit-Max") != "110" || r.header.Get("X-HubSpot-RateLimit-Daily") != "" {
		t.Fatalf("OAuth headers %v", r.header)
	}
}

// TestUnthrottledAnnouncesAVeryLargeBudget: HubSpot always announces its
// budget, so an unthrottled sandbox announces one no client reaches, rather
// than none (which left clients at their cautious default).
func TestUnthrottledAnnouncesAVeryLargeBudget(t *testing.T) {
	sb := newSandbox(t, Config{})
	want := map[string]string{
		"X-HubSpot-RateLimit-Max":                   "1000000",
		"X-HubSpot-RateLimit-Remaining":             "1000000",
		"X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
		"X-HubSpot-RateLimit-Secondly":              "100000",
		"X-HubSpot-RateLimit-Secondly-Remaining":    "100000",
		"X-HubSpot-RateLimit-Daily":                 "1000000000",
		"X-HubSpot-RateLimit-Daily-Remaining":       "1000000000",
	}
	for i := 0; i < 120; i++ {
		r := sb.do(t, "GET", "/settings/v3/users/roles", "")
		expectStatus(t, r, 200)
		for k, v := range want {
			if got := r.header.Get(k); got != v {
				t.Fatalf("request %d: %s %q, want %q", i+1, k, got, v)
			}
		}
	}
	// OAuth installs have no daily budget; search answers carry no headers.
	tok := oauthAccessToken(t, sb, AllScopes)
	r := sb.doAs(t, tok.access, "GET", "/crm/v3/owners", "")
	if r.header.Get("X-HubSpot-RateLimit-Max") != "1000000" || r.header.Get("X-HubSpot-RateLimit-Daily") != "" {
		t.Errorf("OAuth headers %v", r.header)
	}
	r = sb.do(t, "POST", "/crm/v3/objects/contacts/search", `{}`)
	expectStatus(t, r, 200)
	if r.header.Get("X-HubSpot-RateLimit-Max") != "" {
		t.Errorf("search headers %v", r.header)
	}
}

// TestSecondlyBudget: a sandbox with a per-second budget announces it beside
// the rolling window (as captured: Max 200 with Secondly 20) and answers the
// request past it with a SECONDLY 429.
func TestSecondlyBudget(t *testing.T) {
	sb := newSandbox(t, Config{RateLimit: true, RateLimitMax: 200, RateLimitSecondly: 20})
	for i := 1; i <= 20; i++ {
		r := sb.do(t, "GET", "/crm/v3/owners", "")
		expectStatus(t, r, 200)
		h := r.header
		if h.Get("X-HubSpot-RateLimit-Max") != "200" || h.Get("X-HubSpot-RateLimit-Secondly") != "20" ||
			h.Get("X-HubSpot-RateLimit-Secondly-Remaining") != strconv.Itoa(20-i) || h.Get("X-HubSpot-RateLimit-Remaining") != strconv.Itoa(200-i) {
			t.Fatalf("request %d headers %v", i, h)
		}
	}
	r := sb.do(t, "GET", "/crm/v3/owners", "")
	expectStatus(t, r, http.StatusTooManyRequests)
	if m := r.json(t); m["policyName"] != "SECONDLY" || m["message"] != "You have reached your secondly limit." || m["errorType"] != "RATE_LIMIT" {
		t.Fatalf("429 body %s", r.body)
	}
	if r.header.Get("X-HubSpot-RateLimit-Secondly-Remaining") != "0" || r.header.Get("X-HubSpot-RateLimit-Remaining") != "180" {
		t.Errorf("429 headers %v", r.header)
	}
	// Another app has its own second; the second rolls.
	expectStatus(t, sb.doAs(t, sb.IssueToken(), "GET", "/crm/v3/owners", ""), 200)
	sb.clock.Advance(time.Second)
	r = sb.do(t, "GET", "/crm/v3/owners", "")
	expectStatus(t, r, 200)
	if r.header.Get("X-HubSpot-RateLimit-Secondly-Remaining") != "19" {
		t.Errorf("after a second: %v", r.header)
	}
	// Without the knob no secondly budget is announced (the reference calls
	// the headers legacy: they may or may not appear).
	plain := newSandbox(t, Config{RateLimit: true})
	if h := plain.do(t, "GET", "/crm/v3/owners", "").header; h.Get("X-HubSpot-RateLimit-Secondly") != "" {
		t.Errorf("secondly announced without the knob: %v", h)
	}
}
