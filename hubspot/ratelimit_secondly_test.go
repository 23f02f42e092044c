package hubspot

import (
	"context"
	"net/http"
	"testing"
	"time"
)

func secondlyHeader(secondly, remaining string) http.Header {
	h := http.Header{}
	h.Set("X-HubSpot-RateLimit-Secondly", secondly)
	h.Set("X-HubSpot-RateLimit-Secondly-Remaining", remaining)
	return h
}

// TestSecondlyBudgetOnlyOnceAnnounced: no per-second limit until HubSpot
// announces one, then never more than it in any second, and the rolling
// window still holds.
func TestSecondlyBudgetOnlyOnceAnnounced(t *testing.T) {
	clock := newFakeClock()
	l := &limits{
		general:  newSlidingWindow(200, 10*time.Second, clock.now, clock.sleep),
		secondly: newAnnouncedWindow(time.Second, secondlyHeaders, clock.now, clock.sleep),
	}
	ctx := context.Background()
	for range 30 {
		if err := l.wait(ctx, false); err != nil {
			t.Fatal(err)
		}
	}
	if clock.sleeps != 0 {
		t.Fatalf("%d waits before any secondly budget was announced", clock.sleeps)
	}
	l.observe(secondlyHeader("20", "20"))
	var sent []time.Time
	for range 300 {
		if err := l.wait(ctx, false); err != nil {
			t.Fatal(err)
		}
		sent = append(sent, clock.now())
	}
	if most := mostInAnyWindow(sent, time.Second); most > 20 {
		t.Errorf("%d requests in one second, budget 20", most)
	}
	// 200 per 10 s is the tighter budget over the long run.
	if most := mostInAnyWindow(sent, 10*time.Second); most > 200 {
		t.Errorf("%d requests in ten seconds, budget 200", most)
	}
	if most := mostInAnyWindow(sent, time.Second); most < 15 {
		t.Errorf("only %d requests in the busiest second: the budget is not used", most)
	}
}

// TestSecondlyRemainingIsBelieved: other clients of the app share the
// second: a low Secondly-Remaining holds the next requests back.
func TestSecondlyRemainingIsBelieved(t *testing.T) {
	clock := newFakeClock()
	w := newAnnouncedWindow(time.Second, secondlyHeaders, clock.now, clock.sleep)
	w.observe(secondlyHeader("10", "2"))
	start := clock.now()
	sent := send(t, w, clock, 3)
	if !sent[1].Equal(start) || !sent[2].After(start.Add(time.Second)) {
		t.Errorf("sent at %v after %v: the third should wait for the second to pass", sent, start)
	}
}

// TestUnlimitedClientIgnoresTheSecondlyBudget: WithRateBudget(0, 0) keeps no
// limit at all, the announced secondly one included.
func TestUnlimitedClientIgnoresTheSecondlyBudget(t *testing.T) {
	c := New(WithRateBudget(0, 0))
	c.limits.observe(secondlyHeader("1", "0"))
	for range 5 {
		if err := c.limits.wait(context.Background(), false); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(c.limits.secondly.reserved); n != 0 {
		t.Errorf("%d secondly reservations on an unlimited client", n)
	}
}
