package hubspot

import (
	"context"
	"testing"
	"time"
)

// fakeLimitedClient is a client with a budget of max requests per 10 s
// whose rolling window runs on a fake clock.
func fakeLimitedClient(t *testing.T, maxN int) (*Client, *fakeClock) {
	t.Helper()
	c := New(WithRateBudget(maxN, 10*time.Second))
	clock := newFakeClock()
	c.limits.general.now, c.limits.general.sleep = clock.now, clock.sleep
	return c, clock
}

// A wait for the budget of a second or more is posted while it lasts, and
// listeners hear when it begins and ends; the ordinary pacing is not.
func TestRateWaitIsPostedWhileItLasts(t *testing.T) {
	c, clock := fakeLimitedClient(t, 10)
	var heard []time.Time
	stop := c.OnRateWait(func(until time.Time) { heard = append(heard, until) })
	defer stop()
	var during time.Time
	sleep := c.limits.general.sleep
	c.limits.general.sleep = func(ctx context.Context, d time.Duration) error {
		during = c.RateWaitUntil()
		return sleep(ctx, d)
	}
	start := clock.now()
	ctx := context.Background()
	for range 10 {
		if err := c.limits.wait(ctx, false); err != nil {
			t.Fatal(err)
		}
	}
	if len(heard) != 0 {
		t.Fatalf("waits posted within the budget: %v", heard)
	}
	if err := c.limits.wait(ctx, false); err != nil {
		t.Fatal(err)
	}
	want := start.Add(10*time.Second + c.limits.general.margin())
	if !during.Equal(want) {
		t.Errorf("during the wait RateWaitUntil said %v, want %v", during, want)
	}
	if len(heard) != 2 || !heard[0].Equal(want) || !heard[1].IsZero() {
		t.Errorf("listener heard %v, want [%v, zero]", heard, want)
	}
	if got := c.RateWaitUntil(); !got.IsZero() {
		t.Errorf("after the wait RateWaitUntil says %v", got)
	}
	stop()
	c.limits.waits.begin(clock.now(), clock.now().Add(time.Hour))()
	if len(heard) != 2 {
		t.Errorf("a stopped listener was called: %v", heard)
	}
}

// The ETA of the requests still to come follows the budget: 25 requests
// at 10 per 10 s take two windows however fast each answer comes.
func TestRateLimitETAFollowsTheBudget(t *testing.T) {
	c, clock := fakeLimitedClient(t, 10)
	margin := c.limits.general.margin()
	if got, want := c.RateLimitETA(25, false), 2*(10*time.Second+margin); got != want {
		t.Errorf("ETA of 25 requests with a fresh budget: %v, want %v", got, want)
	}
	if got := c.RateLimitETA(10, false); got != 0 {
		t.Errorf("ETA of 10 requests within the budget: %v, want 0", got)
	}
	for range 10 {
		if err := c.limits.wait(context.Background(), false); err != nil {
			t.Fatal(err)
		}
	}
	clock.advance(4 * time.Second)
	if got, want := c.RateLimitETA(1, false), 6*time.Second+margin; got != want {
		t.Errorf("ETA of 1 request with the budget spent 4 s ago: %v, want %v", got, want)
	}
	// Far more than the simulation covers: extrapolated at the steady rate.
	n := etaCap + 10_000
	got := c.RateLimitETA(n, false)
	steady := time.Duration(float64(n) / 10 * float64(10*time.Second+margin))
	if got < steady-20*time.Second || got > steady+20*time.Second {
		t.Errorf("ETA of %d requests %v, want about %v", n, got, steady)
	}
	if got := New(WithRateBudget(0, 0), WithSearchRate(0)).RateLimitETA(1000, false); got != 0 {
		t.Errorf("an unlimited client's ETA %v, want 0", got)
	}
	if got := New(WithSearchRate(4)).RateLimitETA(9, true); got < 2*time.Second || got > 2100*time.Millisecond {
		t.Errorf("ETA of 9 searches at 4/s %v, want about 2 s", got)
	}
}
