package hubspot

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

const (
	defaultBudgetMax    = 100 // a private app's burst budget per window
	defaultBudgetWindow = 10 * time.Second
	defaultSearchRate   = 5 // search requests per second per account
)

// limits holds the client's budgets: the general rolling window that
// HubSpot announces in X-HubSpot-RateLimit-Max/-Interval-Milliseconds, the
// per-second budget some portals also announce in
// X-HubSpot-RateLimit-Secondly (none until announced), and the separate
// per-second search budget (search answers carry no headers).
type limits struct {
	general  *slidingWindow
	secondly *slidingWindow
	search   *rate.Limiter
	waits    *waitBoard // the long waits in progress (ratewait.go)
}

func newLimits(limit int, window time.Duration, searchPerSecond float64) *limits {
	general := newSlidingWindow(limit, window, time.Now, sleepFor)
	secondly := newAnnouncedWindow(time.Second, secondlyHeaders, time.Now, sleepFor)
	// A client told to keep no limit (benchmarks) keeps none, whatever is
	// announced.
	secondly.fixed = general.fixed
	waits := newWaitBoard()
	general.waits, secondly.waits = waits, waits
	return &limits{general: general, secondly: secondly, search: searchLimiter(searchPerSecond), waits: waits}
}

// searchLimiter admits at most perSecond requests in any one-second window:
// with a burst of one, a rate of exactly perSecond would let perSecond+1
// through a closed one-second interval, so it runs a hair slower.
func searchLimiter(perSecond float64) *rate.Limiter {
	if perSecond <= 0 {
		return rate.NewLimiter(rate.Inf, 0)
	}
	return rate.NewLimiter(rate.Limit(perSecond*0.99), 1)
}

// wait blocks until the budget for one request of the given kind is free,
// for callers that count a request at the time it is allowed.
func (l *limits) wait(ctx context.Context, search bool) error {
	t, err := l.take(ctx, search)
	if err == nil {
		l.answered(t, time.Time{})
	}
	return err
}

// sendTicket is the slot a request took in each budget: it holds the slot
// until the request's answer says when HubSpot counted it at the latest.
type sendTicket struct {
	general, secondly slot
}

// take blocks until the budget for one request of the given kind is free
// and holds its slot: call answered once the request has its answer (or
// failed).
func (l *limits) take(ctx context.Context, search bool) (sendTicket, error) {
	if search {
		return sendTicket{}, l.waitSearch(ctx)
	}
	// A slot held in the rolling window while waiting for the secondly one
	// only makes the client a little more careful than it must be.
	general, err := l.general.take(ctx)
	if err != nil {
		return sendTicket{}, err
	}
	secondly, err := l.secondly.take(ctx)
	if err != nil {
		l.general.giveBack(general)
		return sendTicket{}, err
	}
	return sendTicket{general, secondly}, nil
}

// answered records that the request of t had its answer at at (zero: count
// it at the time it was allowed).
func (l *limits) answered(t sendTicket, at time.Time) {
	l.general.answered(t.general, at)
	l.secondly.answered(t.secondly, at)
}

// observe retunes the general and secondly budgets from an answer's headers.
func (l *limits) observe(h http.Header) {
	l.general.observe(h)
	l.secondly.observe(h)
}

// budgetHeaders names the headers that announce one budget. interval is
// empty when the window is fixed by the header's meaning (Secondly: 1 s).
type budgetHeaders struct{ max, interval, remaining string }

var (
	rollingHeaders  = budgetHeaders{"X-HubSpot-RateLimit-Max", "X-HubSpot-RateLimit-Interval-Milliseconds", "X-HubSpot-RateLimit-Remaining"}
	secondlyHeaders = budgetHeaders{"X-HubSpot-RateLimit-Secondly", "", "X-HubSpot-RateLimit-Secondly-Remaining"}
)

// slidingWindow keeps to "at most max requests in any rolling window", the
// way HubSpot counts: the whole budget may go at once, and each further
// request waits until the request max places before it has left the window.
// A token bucket cannot do that without either overshooting the window or
// running well below it.
//
// It remembers, for every request that may still count against the window,
// oldest first, the latest time HubSpot may have counted it: the time its
// answer came (HubSpot counts a request when it arrives, which is before it
// answers, and no sooner than we send it), or while no answer has come,
// the time reserved for sending it, held open. A new request takes
// max(now, the newest reservation, the max-th newest + window + margin):
// never before a reservation already handed out, so the times stay sorted
// and every window-long interval holds at most max of them. A request whose
// answer comes late moves later in the list, so a waiter checks its slot
// again when it wakes, and one limited by a request still without an
// answer waits for that answer.
type slidingWindow struct {
	now     func() time.Time
	sleep   func(context.Context, time.Duration) error
	waits   *waitBoard // where long waits are posted; nil for none
	fixed   bool       // no limit, and headers never impose one
	headers budgetHeaders

	mu       sync.Mutex
	max      int
	window   time.Duration
	reserved []time.Time       // ascending; our requests and others' (see observe)
	open     map[time.Time]int // reservations whose request has no answer yet
	answer   chan struct{}     // closed when a request has its answer; nil until someone waits
}

// slot is a request's reservation in one window; the zero slot is none (no
// limit, or none announced yet).
type slot struct{ at time.Time }

func newSlidingWindow(limit int, window time.Duration, now func() time.Time, sleep func(context.Context, time.Duration) error) *slidingWindow {
	w := &slidingWindow{now: now, sleep: sleep, headers: rollingHeaders, open: map[time.Time]int{}}
	if limit <= 0 || window <= 0 {
		w.fixed = true
		return w
	}
	w.max, w.window = limit, window
	return w
}

// newAnnouncedWindow is a budget that does not limit until HubSpot announces
// it in headers' max header.
func newAnnouncedWindow(window time.Duration, headers budgetHeaders, now func() time.Time, sleep func(context.Context, time.Duration) error) *slidingWindow {
	return &slidingWindow{now: now, sleep: sleep, headers: headers, window: window, open: map[time.Time]int{}}
}

// margin pads the window: our clock and HubSpot's disagree a little, and a
// request reaches HubSpot a variable time after we send it. 1% of the window
// (100 ms of 10 s), within [20 ms, 1 s].
func (w *slidingWindow) margin() time.Duration {
	return min(max(w.window/100, 20*time.Millisecond), time.Second)
}

// inFlightSlack is how long past the window HubSpot may still count one of
// our requests, because it counts from arrival rather than sending: a tenth
// of the window. It only decides how much of the Remaining header we put
// down to other clients, so erring large merely ignores a little of theirs.
func (w *slidingWindow) inFlightSlack() time.Duration {
	return max(w.window/10, w.margin())
}

var errWaitPastDeadline = errors.New("the rate limit would outlast the context's deadline")

// Wait blocks until one more request fits the window, or ctx ends, and
// counts the request at the time it was allowed. A wait that ends early
// gives its reservation back, so a cancelled caller never holds up the
// others.
func (w *slidingWindow) Wait(ctx context.Context) error {
	s, err := w.take(ctx)
	if err == nil {
		w.answered(s, time.Time{})
	}
	return err
}

// take blocks until one more request fits the window, or ctx ends, and
// holds its reservation open until answered.
func (w *slidingWindow) take(ctx context.Context) (slot, error) {
	if err := ctx.Err(); err != nil {
		return slot{}, err
	}
	if w.fixed {
		return slot{}, nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.max <= 0 { // not announced yet
		return slot{}, nil
	}
	now := w.now()
	at := w.reserveLocked(now)
	for {
		if deadline, ok := ctx.Deadline(); ok && at.After(deadline) {
			w.releaseLocked(at)
			return slot{}, errWaitPastDeadline
		}
		limit, blocked := w.limitLocked(at)
		switch {
		case blocked:
			// The request max places before has no answer yet: it may still
			// be on its way to HubSpot.
			w.releaseLocked(at)
			answer := w.answerLocked()
			w.mu.Unlock()
			err := waitFor(ctx, answer)
			w.mu.Lock()
			if err != nil {
				return slot{}, err
			}
			now = w.now()
			at = w.reserveLocked(now)
		case limit.After(at):
			// An answer came late and moved the request that limits this
			// one: queue again behind it.
			w.releaseLocked(at)
			at = w.reserveLocked(now)
		case at.After(now):
			w.mu.Unlock()
			err := w.waits.sleepPosted(ctx, now, at.Sub(now), w.sleep)
			w.mu.Lock()
			if err != nil {
				w.releaseLocked(at)
				return slot{}, err
			}
			now = latest(w.now(), at) // the sleep has ended: its time has come
		default:
			return slot{at}, nil
		}
	}
}

// limitLocked is the earliest time the reservation at may go given the
// request max places before it, and whether that request is still without
// an answer, so that its time is not known yet.
func (w *slidingWindow) limitLocked(at time.Time) (time.Time, bool) {
	// The last of equal reservations: the strictest place for at.
	i := sort.Search(len(w.reserved), func(i int) bool { return w.reserved[i].After(at) }) - 1
	if i < w.max {
		return time.Time{}, false
	}
	before := w.reserved[i-w.max]
	return before.Add(w.window + w.margin()), w.open[before] > 0
}

// answerLocked is a channel closed at the next answer.
func (w *slidingWindow) answerLocked() chan struct{} {
	if w.answer == nil {
		w.answer = make(chan struct{})
	}
	return w.answer
}

// answered records that the request of s had its answer at at: HubSpot
// counted it no later. A zero at counts it at its reservation.
func (w *slidingWindow) answered(s slot, at time.Time) {
	if s.at.IsZero() {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.open[s.at] == 0 {
		return // forgotten already
	}
	w.open[s.at]--
	if w.open[s.at] == 0 {
		delete(w.open, s.at)
	}
	if at.After(s.at) {
		w.removeLocked(s.at)
		i := sort.Search(len(w.reserved), func(i int) bool { return w.reserved[i].After(at) })
		w.reserved = slices.Insert(w.reserved, i, at)
	}
	if w.answer != nil {
		close(w.answer)
		w.answer = nil
	}
}

// giveBack returns the reservation of a request that was never sent.
func (w *slidingWindow) giveBack(s slot) {
	if s.at.IsZero() {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.open[s.at] > 0 {
		w.releaseLocked(s.at)
	}
}

// reserveLocked records and returns the earliest send time a new request may
// have at now.
func (w *slidingWindow) reserveLocked(now time.Time) time.Time {
	w.forgetLocked(now)
	slot := now
	if n := len(w.reserved); n > 0 {
		slot = latest(slot, w.reserved[n-1])
		if n >= w.max {
			slot = latest(slot, w.reserved[n-w.max].Add(w.window+w.margin()))
		}
	}
	w.reserved = append(w.reserved, slot)
	w.open[slot]++
	return slot
}

// forgetLocked drops the answered reservations that neither limit a request sent at
// now or later nor may still count on HubSpot's side (see inFlightSlack).
func (w *slidingWindow) forgetLocked(now time.Time) {
	cutoff := now.Add(-w.window - w.inFlightSlack())
	i := 0
	// A request still without an answer may yet arrive: it stays.
	for i < len(w.reserved) && !w.reserved[i].After(cutoff) && w.open[w.reserved[i]] == 0 {
		i++
	}
	if i > 0 {
		w.reserved = slices.Delete(w.reserved, 0, i)
	}
}

// releaseLocked gives back an open reservation whose request was never
// sent. Removing a time can only loosen the bound for the others, never
// break it.
func (w *slidingWindow) releaseLocked(slot time.Time) {
	w.open[slot]--
	if w.open[slot] <= 0 {
		delete(w.open, slot)
	}
	w.removeLocked(slot)
}

// removeLocked drops one reservation at slot.
func (w *slidingWindow) removeLocked(slot time.Time) {
	for i := len(w.reserved) - 1; i >= 0; i-- {
		if w.reserved[i].Equal(slot) {
			w.reserved = slices.Delete(w.reserved, i, i+1)
			return
		}
	}
}

// observe retunes the window when HubSpot announces a different budget (100,
// 110, 190 or 250 per 10 s depending on the app and the portal's tier), and
// believes X-HubSpot-RateLimit-Remaining when it leaves fewer requests than
// our own reservations do: other clients of the same app share the budget.
func (w *slidingWindow) observe(h http.Header) {
	if w.fixed {
		return
	}
	maxN, errMax := strconv.Atoi(h.Get(w.headers.max))
	ms, errMs := -1, error(nil)
	if w.headers.interval != "" {
		ms, errMs = strconv.Atoi(h.Get(w.headers.interval))
	}
	remaining := headerCount(h, w.headers.remaining)
	now := w.now()

	w.mu.Lock()
	defer w.mu.Unlock()
	if errMax == nil && maxN > 0 {
		// The reservations stay as they are: a bigger budget frees slots at
		// once, a smaller one makes the next slot wait for an older request
		// to leave the window. Either way the bound holds from here on.
		w.max = maxN
		if errMs == nil && ms > 0 {
			w.window = time.Duration(ms) * time.Millisecond
		}
	}
	if remaining >= 0 && w.max > 0 {
		w.believeRemainingLocked(remaining, now)
	}
}

// believeRemainingLocked takes HubSpot's word that only remaining more
// requests fit the current window. The requests we did not send are recorded
// as sent now, the latest they can have been, so they leave our window no
// sooner than they leave HubSpot's.
func (w *slidingWindow) believeRemainingLocked(remaining int, now time.Time) {
	w.forgetLocked(now) // what is left may still count on HubSpot's side
	others := w.max - len(w.reserved) - remaining
	if others <= 0 {
		return
	}
	// After our past reservations, before those of callers still waiting.
	at := sort.Search(len(w.reserved), func(i int) bool { return w.reserved[i].After(now) })
	w.reserved = slices.Insert(w.reserved, at, slices.Repeat([]time.Time{now}, others)...)
}

// budget reports the current budget: (0, 0) when unlimited.
func (w *slidingWindow) budget() (int, time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.max, w.window
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// waitFor waits until ch is closed, or ctx ends.
func waitFor(ctx context.Context, ch <-chan struct{}) error {
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// sleepFor waits for d, or until ctx ends.
func sleepFor(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// rateWindow is how long a TEN_SECONDLY_ROLLING 429 asks us to wait: the
// announced interval, or ten seconds.
func rateWindow(h http.Header) time.Duration {
	if ms, err := strconv.Atoi(h.Get("X-HubSpot-RateLimit-Interval-Milliseconds")); err == nil && ms > 0 {
		return time.Duration(ms) * time.Millisecond
	}
	return defaultBudgetWindow
}

// rateRemaining reads X-HubSpot-RateLimit-Remaining, -1 when absent.
func rateRemaining(h http.Header) int { return headerCount(h, rollingHeaders.remaining) }

// headerCount reads a count header, -1 when absent or not a number.
func headerCount(h http.Header, name string) int {
	n, err := strconv.Atoi(h.Get(name))
	if err != nil || n < 0 {
		return -1
	}
	return n
}
