package hubspot

import (
	"context"
	"testing"
	"time"
)

// A request HubSpot answers late may have arrived late, and counts there
// until its window has passed: the request a budget later waits for the
// answer's time, not the time the first was allowed to go. (Counting from
// the allowed time let a job with several batches in flight draw a 429 on a
// loaded machine.)
func TestWindowCountsARequestUntilItsAnswer(t *testing.T) {
	w, clock := testWindow(2, 10*time.Second)
	start := clock.now()
	ctx := context.Background()
	first, err := w.take(ctx)
	if err != nil {
		t.Fatal(err)
	}
	second, err := w.take(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w.answered(second, clock.now())
	clock.advance(3 * time.Second) // the first is answered 3 s after it went
	w.answered(first, clock.now())

	third, err := w.take(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w.answered(third, clock.now())
	if want := start.Add(10*time.Second + w.margin()); !third.at.Equal(want) {
		t.Errorf("the third request went at +%s, want +%s (a window after the second's answer)", third.at.Sub(start), want.Sub(start))
	}
	fourth, err := w.take(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w.answered(fourth, clock.now())
	if want := start.Add(13*time.Second + w.margin()); fourth.at.Before(want) {
		t.Errorf("the fourth request went at +%s, before +%s (a window after the first's answer)", fourth.at.Sub(start), want.Sub(start))
	}
}

// A waiter limited by a request that has no answer yet waits for it.
func TestWindowWaitsForAnUnansweredRequest(t *testing.T) {
	w, clock := testWindow(1, 10*time.Second)
	ctx := context.Background()
	first, err := w.take(ctx)
	if err != nil {
		t.Fatal(err)
	}
	clock.advance(20 * time.Second) // long past the window, still no answer
	got := make(chan slot, 1)
	go func() {
		s, err := w.take(ctx)
		if err != nil {
			t.Error(err)
		}
		got <- s
	}()
	select {
	case <-got:
		t.Fatal("a request went while the one a budget before had no answer")
	case <-time.After(50 * time.Millisecond):
	}
	answeredAt := clock.now()
	w.answered(first, answeredAt)
	second := <-got
	if want := answeredAt.Add(10*time.Second + w.margin()); second.at.Before(want) {
		t.Errorf("the second request went %s after the first's answer, want a window", second.at.Sub(answeredAt))
	}
}
