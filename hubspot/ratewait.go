package hubspot

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Honest progress needs to know when the client is not slow but waiting:
// for its own rate budget (the rolling window, the per-second or the search
// budget) or for the wait a 429 asked for. The client posts every such wait
// of a second or more on a board that callers read (RateWaitUntil) or
// subscribe to (OnRateWait), and estimates from the budget how long the
// requests still to come must take at least (RateLimitETA).

// worthSaying is the shortest wait the board posts: shorter ones are the
// ordinary pacing of a limited client, not a pause anyone notices.
const worthSaying = time.Second

// waitBoard lists the rate-limit waits in progress. Its methods do nothing
// on a nil board (limits built by hand in tests have none).
type waitBoard struct {
	mu        sync.Mutex
	next      int
	active    map[int]time.Time // wait -> when it ends
	listeners map[int]func(until time.Time)
}

func newWaitBoard() *waitBoard {
	return &waitBoard{active: map[int]time.Time{}, listeners: map[int]func(time.Time){}}
}

// begin posts a wait that ends at until; done takes it down again.
func (b *waitBoard) begin(now, until time.Time) (done func()) {
	if b == nil || until.Sub(now) < worthSaying {
		return func() {}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.next++
	id := b.next
	b.active[id] = until
	b.notifyLocked()
	return func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		delete(b.active, id)
		b.notifyLocked()
	}
}

// notifyLocked tells every listener when the longest wait ends (zero for
// none). Listeners run under the lock, so none runs after its stop returns.
func (b *waitBoard) notifyLocked() {
	until := b.untilLocked()
	for _, fn := range b.listeners {
		fn(until)
	}
}

func (b *waitBoard) untilLocked() time.Time {
	var until time.Time
	for _, t := range b.active {
		if t.After(until) {
			until = t
		}
	}
	return until
}

// RateWaitUntil is when the longest wait for HubSpot's rate limit now in
// progress ends (the client's own budget, or the wait a 429 asked for);
// zero when no request waits a second or more.
func (c *Client) RateWaitUntil() time.Time {
	b := c.limits.waits
	if b == nil {
		return time.Time{}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.untilLocked()
}

// OnRateWait calls fn whenever a wait for the rate limit of a second or
// more begins or ends, with RateWaitUntil's value then. fn runs on the
// requesting goroutine and must not block or call back into the client.
// After stop returns, fn is never called again.
func (c *Client) OnRateWait(fn func(until time.Time)) (stop func()) {
	b := c.limits.waits
	if b == nil {
		return func() {}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.next++
	id := b.next
	b.listeners[id] = fn
	return func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		delete(b.listeners, id)
	}
}

// RateLimitETA is the least time the next n requests can take under the
// current budget (the rolling window and the per-second one, as announced
// so far), counting the requests already reserved; search requests go by
// the search budget. 0 when the client keeps no limit.
func (c *Client) RateLimitETA(n int, search bool) time.Duration {
	if n <= 0 {
		return 0
	}
	l := c.limits
	if search {
		r := float64(l.search.Limit())
		if r <= 0 || l.search.Limit() == rate.Inf {
			return 0
		}
		return time.Duration(float64(n-1) / r * float64(time.Second))
	}
	return max(l.general.eta(n), l.secondly.eta(n))
}

// etaCap bounds the simulation below; more requests are extrapolated, at
// the budget's steady rate.
const etaCap = 20_000

// eta is when the n-th request from now could be sent, relative to now,
// placing each as Wait would after the reservations already held.
func (w *slidingWindow) eta(n int) time.Duration {
	if w.fixed {
		return 0
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.max <= 0 {
		return 0
	}
	now := w.now()
	w.forgetLocked(now)
	sim := min(n, etaCap)
	slots := make([]time.Time, len(w.reserved), len(w.reserved)+sim)
	copy(slots, w.reserved)
	last := now
	for range sim {
		slot := now
		if k := len(slots); k > 0 {
			slot = latest(slot, slots[k-1])
			if k >= w.max {
				slot = latest(slot, slots[k-w.max].Add(w.window+w.margin()))
			}
		}
		slots = append(slots, slot)
		last = slot
	}
	d := last.Sub(now)
	if n > sim {
		per := float64(w.window+w.margin()) / float64(w.max)
		d += time.Duration(float64(n-sim) * per)
	}
	return d
}

// sleepPosted sleeps d as a posted wait on the board.
func (b *waitBoard) sleepPosted(ctx context.Context, now time.Time, d time.Duration, sleep func(context.Context, time.Duration) error) error {
	done := b.begin(now, now.Add(d))
	defer done()
	return sleep(ctx, d)
}

// waitSearch is the search budget's Wait, posting a long wait on the board.
func (l *limits) waitSearch(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := l.search.Reserve()
	if !r.OK() {
		return l.search.Wait(ctx) // says why it cannot
	}
	d := r.Delay()
	if d <= 0 {
		return nil
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < d {
		r.Cancel()
		return errWaitPastDeadline
	}
	if err := l.waits.sleepPosted(ctx, time.Now(), d, sleepFor); err != nil {
		r.Cancel() // a cancelled caller never holds up the others
		return err
	}
	return nil
}
