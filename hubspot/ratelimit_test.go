package hubspot

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// fakeClock is the sliding window's clock in tests: sleeping moves it
// forward instead of waiting, so no test depends on real time passing.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps int
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)} }

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// sleep moves the clock to the end of the wait, or fails when ctx has ended.
func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps++
	if end := c.t.Add(d); end.After(c.t) {
		c.t = end
	}
	return nil
}

func testWindow(ceiling int, window time.Duration) (*slidingWindow, *fakeClock) {
	clock := newFakeClock()
	return newSlidingWindow(ceiling, window, clock.now, clock.sleep), clock
}

// send waits for the window n times, one request after another, and
// returns the times the requests went out.
func send(t *testing.T, w *slidingWindow, clock *fakeClock, n int) []time.Time {
	t.Helper()
	sent := make([]time.Time, 0, n)
	for range n {
		if err := w.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		sent = append(sent, clock.now())
	}
	return sent
}

// mostInAnyWindow is the largest number of sorted times in any half-open
// interval one window long.
func mostInAnyWindow(times []time.Time, window time.Duration) int {
	most, first := 0, 0
	for last, t := range times {
		for !times[first].After(t.Add(-window)) {
			first++
		}
		most = max(most, last-first+1)
	}
	return most
}

func TestWindowAdmitsTheWholeBudgetAtOnce(t *testing.T) {
	w, clock := testWindow(190, 10*time.Second)
	start := clock.now()
	sent := send(t, w, clock, 190)
	if clock.sleeps != 0 || !sent[189].Equal(start) {
		t.Fatalf("190 requests of a 190 budget slept %d times, the last at +%s", clock.sleeps, sent[189].Sub(start))
	}
	next := send(t, w, clock, 1)[0]
	if want := start.Add(10*time.Second + w.margin()); !next.Equal(want) {
		t.Errorf("request 191 went at +%s, want +%s (one window and the margin)", next.Sub(start), want.Sub(start))
	}
}

func TestWindowNeverExceedsItsBudget(t *testing.T) {
	for _, max := range []int{1, 2, 100, 190} {
		w, clock := testWindow(max, 10*time.Second)
		var sent []time.Time
		// Requests arrive in irregular bursts and pauses.
		for i := range 60 {
			sent = append(sent, send(t, w, clock, 1+i%7*max/3)...)
			clock.advance(time.Duration(i%5) * 1700 * time.Millisecond)
		}
		if got := mostInAnyWindow(sent, 10*time.Second+w.margin()); got > max {
			t.Errorf("budget %d: %d requests within one window and margin", max, got)
		}
	}
}

func TestWindowSteadyStateIsTheBudgetPerWindow(t *testing.T) {
	w, clock := testWindow(190, 10*time.Second)
	start := clock.now()
	sent := send(t, w, clock, 1900)
	// Ten windows' worth: the first goes at once, each further one a window
	// (and margin) after the one before.
	if want := 9 * (10*time.Second + w.margin()); sent[1899].Sub(start) != want {
		t.Errorf("1900 requests took %s, want %s", sent[1899].Sub(start), want)
	}
	for i := 190; i < len(sent); i++ {
		if gap := sent[i].Sub(sent[i-190]); gap != 10*time.Second+w.margin() {
			t.Fatalf("requests %d and %d are %s apart, want one window and the margin", i-190, i, gap)
		}
	}
}

// Callers racing for slots each get one that keeps the budget. The clock
// stands still, so every reservation is remembered and can be checked.
func TestWindowKeepsItsBudgetUnderConcurrentCallers(t *testing.T) {
	clock := newFakeClock()
	w := newSlidingWindow(50, time.Second, clock.now, func(context.Context, time.Duration) error { return nil })
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 40 {
				if err := w.Wait(context.Background()); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	reserved := w.reserved
	if len(reserved) != 320 {
		t.Fatalf("%d reservations remembered, want 320", len(reserved))
	}
	for i := 1; i < len(reserved); i++ {
		if reserved[i].Before(reserved[i-1]) {
			t.Fatalf("reservations out of order at %d", i)
		}
	}
	if got := mostInAnyWindow(reserved, time.Second+w.margin()); got != 50 {
		t.Errorf("at most %d reservations within one window, want 50", got)
	}
}

func TestWindowCancelledWaitGivesItsSlotBack(t *testing.T) {
	w, clock := testWindow(2, 10*time.Second)
	start := clock.now()
	send(t, w, clock, 2)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := w.Wait(ctx); err == nil {
		t.Fatal("a cancelled wait succeeded")
	}
	// A caller that gives up while asleep returns its reservation.
	giveUp := func(context.Context, time.Duration) error { return context.Canceled }
	w.sleep = giveUp
	if err := w.Wait(context.Background()); err == nil {
		t.Fatal("an interrupted sleep succeeded")
	}
	w.sleep = clock.sleep
	if n := len(w.reserved); n != 2 {
		t.Errorf("%d reservations after two sends and two abandoned waits", n)
	}
	next := send(t, w, clock, 1)[0]
	if want := start.Add(10*time.Second + w.margin()); !next.Equal(want) {
		t.Errorf("the next request went at +%s, want +%s", next.Sub(start), want.Sub(start))
	}
}

func TestWindowRefusesAWaitPastTheDeadline(t *testing.T) {
	w, clock := testWindow(1, 10*time.Second)
	send(t, w, clock, 1)
	ctx, cancel := context.WithDeadline(context.Background(), clock.now().Add(time.Second))
	defer cancel()
	if err := w.Wait(ctx); err == nil {
		t.Fatal("a wait past the deadline succeeded")
	}
	if len(w.reserved) != 1 || clock.sleeps != 0 {
		t.Errorf("the refused wait kept a reservation (%d) or slept (%d)", len(w.reserved), clock.sleeps)
	}
}

func rateHeaders(ceiling, ms, remaining string) http.Header {
	h := http.Header{}
	h.Set("X-HubSpot-RateLimit-Max", ceiling)
	h.Set("X-HubSpot-RateLimit-Interval-Milliseconds", ms)
	h.Set("X-HubSpot-RateLimit-Remaining", remaining)
	return h
}

func TestWindowGrowsAndShrinksWithTheAnnouncedBudget(t *testing.T) {
	w, clock := testWindow(100, 10*time.Second)
	start := clock.now()
	send(t, w, clock, 100)
	w.observe(rateHeaders("190", "10000", "90"))
	if sent := send(t, w, clock, 90); clock.sleeps != 0 || !sent[89].Equal(start) {
		t.Fatalf("a bigger budget did not free its slots at once (slept %d times)", clock.sleeps)
	}
	w.observe(rateHeaders("110", "10000", "0"))
	next := send(t, w, clock, 1)[0]
	if want := start.Add(10*time.Second + w.margin()); !next.Equal(want) {
		t.Errorf("after shrinking, the next request went at +%s, want +%s", next.Sub(start), want.Sub(start))
	}
	sent := append(append([]time.Time(nil), w.reserved...), send(t, w, clock, 300)...)
	if got := mostInAnyWindow(sent[190:], 10*time.Second+w.margin()); got > 110 {
		t.Errorf("%d requests in a window of a 110 budget", got)
	}
	w.observe(rateHeaders("110", "1000", "110"))
	if _, window := w.budget(); window != time.Second {
		t.Errorf("window %s after a 1000 ms announcement", window)
	}
}

func TestWindowBelievesALowerRemaining(t *testing.T) {
	w, clock := testWindow(190, 10*time.Second)
	start := clock.now()
	send(t, w, clock, 10)
	// Another client of the app has used 130 of the window: 50 are left.
	w.observe(rateHeaders("190", "10000", "50"))
	if sent := send(t, w, clock, 50); !sent[49].Equal(start) {
		t.Fatalf("the 50 remaining requests waited until +%s", sent[49].Sub(start))
	}
	next := send(t, w, clock, 1)[0]
	if want := start.Add(10*time.Second + w.margin()); !next.Equal(want) {
		t.Errorf("request 61 went at +%s, want +%s", next.Sub(start), want.Sub(start))
	}

	// A higher Remaining than ours (requests HubSpot has not seen yet) changes nothing.
	w2, clock2 := testWindow(190, 10*time.Second)
	send(t, w2, clock2, 100)
	w2.observe(rateHeaders("190", "10000", "150"))
	if len(w2.reserved) != 100 {
		t.Errorf("a Remaining above ours added %d reservations", len(w2.reserved)-100)
	}
}

func TestLimiterIsRetunedFromHeaders(t *testing.T) {
	headers := func(ceiling, ms string) http.HandlerFunc {
		return withHeader(okJSON(userJSON), "X-HubSpot-RateLimit-Max", ceiling,
			"X-HubSpot-RateLimit-Interval-Milliseconds", ms, "X-HubSpot-RateLimit-Remaining", "100")
	}
	c, _, _ := testClient(t, sequence(headers("190", "10000"), headers("110", "10000"), headers("110", "1000")),
		WithRateBudget(100, 10*time.Second))
	if ceiling, window := c.limits.general.budget(); ceiling != 100 || window != 10*time.Second {
		t.Fatalf("initial budget: %d per %s", ceiling, window)
	}
	steps := []struct {
		ceiling int
		window  time.Duration
	}{{190, 10 * time.Second}, {110, 10 * time.Second}, {110, time.Second}}
	for i, want := range steps {
		if _, err := c.GetUser(context.Background(), "7"); err != nil {
			t.Fatal(err)
		}
		if ceiling, window := c.limits.general.budget(); ceiling != want.ceiling || window != want.window {
			t.Errorf("after answer %d: %d per %s, want %d per %s", i+1, ceiling, window, want.ceiling, want.window)
		}
	}
}

func TestAnUnlimitedBudgetIgnoresHeaders(t *testing.T) {
	c, _, _ := testClient(t, withHeader(okJSON(userJSON), "X-HubSpot-RateLimit-Max", "100",
		"X-HubSpot-RateLimit-Interval-Milliseconds", "10000", "X-HubSpot-RateLimit-Remaining", "0"))
	for range 3 {
		if _, err := c.GetUser(context.Background(), "7"); err != nil {
			t.Fatal(err)
		}
	}
	if ceiling, _ := c.limits.general.budget(); ceiling != 0 || len(c.limits.general.reserved) != 0 {
		t.Errorf("budget %d with %d reservations, want unlimited", ceiling, len(c.limits.general.reserved))
	}
}

func TestDefaultBudgets(t *testing.T) {
	c := New()
	if ceiling, window := c.limits.general.budget(); ceiling != 100 || window != 10*time.Second {
		t.Errorf("general %d per %s", ceiling, window)
	}
	if c.limits.search.Burst() != 1 || c.limits.search.Limit() > 5 || c.limits.search.Limit() < 4.9 {
		t.Errorf("search %v/%d", c.limits.search.Limit(), c.limits.search.Burst())
	}
	c = New(WithSearchRate(2))
	if c.limits.search.Limit() > 2 || c.limits.search.Limit() < 1.9 {
		t.Errorf("WithSearchRate(2): %v", c.limits.search.Limit())
	}
}

// A window a thousand hours long keeps every reservation, and a search
// budget refilling once in a thousand hours keeps count of its tokens, so
// each shows what each kind of call took without waiting for anything.
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
	if got := len(c.limits.general.reserved); got != 3 {
		t.Errorf("the general budget holds %d reservations, want 3 (one per attempt)", got)
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
	if got := len(c2.limits.general.reserved); got != 0 {
		t.Errorf("a search took %d reservations from the general budget", got)
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
