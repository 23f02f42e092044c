package hubspot

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

const daily429 = `{"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT","correlationId":"d","policyName":"DAILY"}`
const tenSecondly429 = `{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","correlationId":"t","policyName":"TEN_SECONDLY_ROLLING"}`
const secondly429 = `{"status":"error","message":"You have reached your secondly limit.","errorType":"RATE_LIMIT","correlationId":"s","policyName":"SECONDLY"}`

func withHeader(h http.HandlerFunc, kv ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(kv); i += 2 {
			w.Header().Set(kv[i], kv[i+1])
		}
		h(w, r)
	}
}

func TestReplaySafeOperationsAreRetried(t *testing.T) {
	transient := []struct {
		name string
		h    http.HandlerFunc
	}{
		{"502", status(502, `{"status":"error","message":"bad gateway"}`)},
		{"503 HTML", status(503, `<html><body>busy</body></html>`)},
		{"504", status(504, ``)},
		{"423 locked", status(423, `{"status":"error","message":"locked"}`)},
		{"477 migration", status(477, `{"status":"error","message":"migrating"}`)},
		{"connection reset", reset},
		{"truncated body", truncated},
		{"truncated JSON, no length", okJSON(`{"id":"7","email":"a@exa`)},
	}
	for _, tt := range transient {
		t.Run(tt.name, func(t *testing.T) {
			c, rec, sleeps := testClient(t, sequence(tt.h, okJSON(userJSON)))
			u, err := c.GetUser(context.Background(), "7")
			if err != nil {
				t.Fatal(err)
			}
			if u.ID != "7" {
				t.Errorf("user %+v", u)
			}
			if n := len(rec.requests()); n != 2 {
				t.Errorf("%d requests, want 2", n)
			}
			if s := sleeps.all(); len(s) != 1 || s[0] <= 0 || s[0] > backoffCap {
				t.Errorf("waits %v, want one backoff", s)
			}
		})
	}
}

func TestAttemptsAreBounded(t *testing.T) {
	c, rec, sleeps := testClient(t, status(503, `{"status":"error","message":"unavailable","correlationId":"last"}`))
	_, err := c.GetUser(context.Background(), "7")
	var e *APIError
	if !errors.As(err, &e) || e.StatusCode != 503 || e.Attempts != defaultMaxAttempts {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "after 4 attempts") || !strings.Contains(err.Error(), "try again later") {
		t.Errorf("message %q", err)
	}
	if n := len(rec.requests()); n != defaultMaxAttempts {
		t.Errorf("%d requests, want %d", n, defaultMaxAttempts)
	}
	s := sleeps.all()
	if len(s) != defaultMaxAttempts-1 {
		t.Fatalf("waits %v", s)
	}
	for i, d := range s {
		nominal := backoffBase << i
		if d < nominal/2 || d > nominal {
			t.Errorf("wait %d = %v, want within [%v, %v]", i+1, d, nominal/2, nominal)
		}
	}

	c2, rec2, _ := testClient(t, reset, WithRetry(2))
	_, err = c2.GetUser(context.Background(), "7")
	var ne *NetworkError
	if !errors.As(err, &ne) || ne.Attempts != 2 || len(rec2.requests()) != 2 {
		t.Errorf("err = %v after %d requests", err, len(rec2.requests()))
	}
}

func TestACreateIsNeverReplayed(t *testing.T) {
	for _, h := range []http.HandlerFunc{status(502, `{}`), status(503, `{}`), reset, truncated} {
		c, rec, sleeps := testClient(t, sequence(h, status(201, userJSON)))
		create := request{method: "POST", path: "/settings/v3/users/", body: map[string]string{"email": "a@example.com"}}
		_, _, err := call[User](context.Background(), c, create)
		if err == nil {
			t.Fatal("a failed create must be reported, not replayed")
		}
		if n := len(rec.requests()); n != 1 {
			t.Errorf("create sent %d times", n)
		}
		if len(sleeps.all()) != 0 {
			t.Errorf("waited %v", sleeps.all())
		}
	}
}

func TestARateLimitedCreateIsRetried(t *testing.T) {
	// HubSpot refuses a 429 before doing anything, so even a create may go again.
	c, rec, sleeps := testClient(t, sequence(status(429, secondly429), status(201, userJSON)))
	create := request{method: "POST", path: "/settings/v3/users/", body: map[string]string{"email": "a@example.com"}}
	if _, st, err := call[User](context.Background(), c, create); err != nil || st != 201 {
		t.Fatalf("status %d, err %v", st, err)
	}
	if len(rec.requests()) != 2 || len(sleeps.all()) != 1 || sleeps.all()[0] != time.Second {
		t.Errorf("requests %d, waits %v", len(rec.requests()), sleeps.all())
	}
}

func TestClientErrorsAreNotRetried(t *testing.T) {
	for _, code := range []int{400, 401, 403, 404, 409} {
		c, rec, _ := testClient(t, status(code, `{"status":"error","message":"no","category":"X"}`))
		if _, err := c.GetUser(context.Background(), "7"); err == nil {
			t.Fatalf("%d: no error", code)
		}
		if n := len(rec.requests()); n != 1 {
			t.Errorf("%d retried: %d requests", code, n)
		}
	}
}

func TestRateLimitPolicies(t *testing.T) {
	tests := []struct {
		name     string
		first    http.HandlerFunc
		wantWait time.Duration
	}{
		{"TEN_SECONDLY_ROLLING waits out the announced window", withHeader(status(429, tenSecondly429), "X-HubSpot-RateLimit-Interval-Milliseconds", "7000"), 7 * time.Second},
		{"TEN_SECONDLY_ROLLING defaults to ten seconds", status(429, tenSecondly429), 10 * time.Second},
		{"SECONDLY waits a second", status(429, secondly429), time.Second},
		{"Retry-After wins", withHeader(status(429, tenSecondly429), "Retry-After", "3"), 3 * time.Second},
		{"Retry-After on a 503", withHeader(status(503, `{}`), "Retry-After", "5"), 5 * time.Second},
		{"Retry-After on a 477", withHeader(status(477, `{}`), "Retry-After", "12"), 12 * time.Second},
		{"a 423 waits at least two seconds", status(423, `{}`), 2 * time.Second},
		{"429 without a policy outside search waits the window", status(429, `{"status":"error","message":"slow down"}`), 10 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, rec, sleeps := testClient(t, sequence(tt.first, okJSON(userJSON)))
			if _, err := c.GetUser(context.Background(), "7"); err != nil {
				t.Fatal(err)
			}
			s := sleeps.all()
			if len(s) != 1 || len(rec.requests()) != 2 {
				t.Fatalf("waits %v after %d requests", s, len(rec.requests()))
			}
			if tt.name == "a 423 waits at least two seconds" {
				if s[0] < tt.wantWait {
					t.Errorf("waited %v, want ≥ %v", s[0], tt.wantWait)
				}
			} else if s[0] != tt.wantWait {
				t.Errorf("waited %v, want %v", s[0], tt.wantWait)
			}
		})
	}
}

func TestDailyLimitFailsFast(t *testing.T) {
	c, rec, sleeps := testClient(t, status(429, daily429))
	_, err := c.GetUser(context.Background(), "7")
	policy, ok := IsRateLimited(err)
	if !ok || policy != "DAILY" {
		t.Fatalf("err = %v", err)
	}
	if len(rec.requests()) != 1 || len(sleeps.all()) != 0 {
		t.Errorf("%d requests, waits %v", len(rec.requests()), sleeps.all())
	}
	if !strings.Contains(err.Error(), "daily API limit is used up") || !strings.Contains(err.Error(), "correlationId d") {
		t.Errorf("message %q", err)
	}
}

func TestRateLimitStormGivesUpWithTheLastAnswer(t *testing.T) {
	c, rec, sleeps := testClient(t, status(429, tenSecondly429), WithRetry(3))
	_, err := c.GetUser(context.Background(), "7")
	var rl *RateLimitError
	if !errors.As(err, &rl) || rl.Policy != "TEN_SECONDLY_ROLLING" || rl.RetryAfter != 10*time.Second {
		t.Fatalf("err = %#v", err)
	}
	if len(rec.requests()) != 3 || len(sleeps.all()) != 2 {
		t.Errorf("%d requests, waits %v", len(rec.requests()), sleeps.all())
	}
}

func TestAnUnreasonableRetryAfterIsReportedNotWaited(t *testing.T) {
	c, rec, sleeps := testClient(t, withHeader(status(429, tenSecondly429), "Retry-After", "3600"))
	_, err := c.GetUser(context.Background(), "7")
	var rl *RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter != time.Hour {
		t.Fatalf("err = %v", err)
	}
	if len(rec.requests()) != 1 || len(sleeps.all()) != 0 {
		t.Errorf("%d requests, waits %v", len(rec.requests()), sleeps.all())
	}
}

func TestRetryAfterAsHTTPDate(t *testing.T) {
	h := http.Header{}
	h.Set("Retry-After", time.Date(2030, 1, 1, 0, 0, 30, 0, time.UTC).Format(http.TimeFormat))
	d, ok := retryAfter(h, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	if !ok || d != 30*time.Second {
		t.Errorf("got %v %v", d, ok)
	}
	h.Set("Retry-After", "soon")
	if _, ok := retryAfter(h, time.Now()); ok {
		t.Error("garbage Retry-After accepted")
	}
}

func TestCancellationStopsRetries(t *testing.T) {
	c, rec, _ := testClient(t, status(503, `{}`))
	ctx, cancel := context.WithCancel(context.Background())
	c.sleep = func(context.Context, time.Duration) error { cancel(); return context.Canceled }
	_, err := c.GetUser(ctx, "7")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if len(rec.requests()) != 1 {
		t.Errorf("%d requests", len(rec.requests()))
	}

	if _, err := c.GetUser(ctx, "7"); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled context should stop before sending: %v", err)
	}
}

func TestBackoffIsJitteredAndCapped(t *testing.T) {
	for n := 1; n <= 12; n++ {
		nominal := min(backoffBase<<(n-1), backoffCap)
		for range 50 {
			d := backoff(n)
			if d < nominal/2 || d > nominal {
				t.Fatalf("backoff(%d) = %v outside [%v, %v]", n, d, nominal/2, nominal)
			}
		}
	}
	if backoff(100) > backoffCap {
		t.Error("backoff overflowed its cap")
	}
}

func TestTimedOutAttemptsAreRetried(t *testing.T) {
	hang := func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }
	c, rec, sleeps := testClient(t, sequence(hang, okJSON(userJSON)),
		WithHTTPClient(&http.Client{Timeout: 50 * time.Millisecond}))
	if _, err := c.GetUser(context.Background(), "7"); err != nil {
		t.Fatal(err)
	}
	if len(rec.requests()) != 2 || len(sleeps.all()) != 1 {
		t.Errorf("%d requests, waits %v", len(rec.requests()), sleeps.all())
	}
}
