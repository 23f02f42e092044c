package hubspot

import (
	"context"
	"net/http"
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

// limits holds the client's two budgets: the general rolling window that
// HubSpot announces in X-HubSpot-RateLimit-* headers, and the separate
// per-second search budget (search answers carry no headers).
type limits struct {
	general *rate.Limiter
	search  *rate.Limiter
	fixed   bool // WithRateBudget(0, …): never retune from headers

	mu     sync.Mutex
	max    int
	window time.Duration
}

func newLimits(max int, window time.Duration, searchPerSecond float64) *limits {
	l := &limits{search: searchLimiter(searchPerSecond)}
	if max <= 0 || window <= 0 {
		l.general = rate.NewLimiter(rate.Inf, 0)
		l.fixed = true
		return l
	}
	l.general = rate.NewLimiter(budgetRate(max, window))
	l.max, l.window = max, window
	return l
}

// budgetRate turns "max requests per rolling window" into a token bucket that
// can never exceed it: a bucket of b tokens refilling at r admits at most
// b + r·window requests in any window, so b + r·window = max.
func budgetRate(max int, window time.Duration) (rate.Limit, int) {
	burst := max / 10
	if burst < 1 {
		burst = 1
	}
	if max <= burst { // a budget of one: the bound cannot hold exactly
		return rate.Limit(float64(max) / window.Seconds()), burst
	}
	return rate.Limit(float64(max-burst) / window.Seconds()), burst
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

// wait blocks until the budget for one request of the given kind is free.
func (l *limits) wait(ctx context.Context, search bool) error {
	if search {
		return l.search.Wait(ctx)
	}
	return l.general.Wait(ctx)
}

// observe retunes the general budget when HubSpot announces a different one
// (100, 110, 190 or 250 per 10 s depending on the app and the portal's tier).
func (l *limits) observe(h http.Header) {
	if l.fixed {
		return
	}
	max, err1 := strconv.Atoi(h.Get("X-HubSpot-RateLimit-Max"))
	ms, err2 := strconv.Atoi(h.Get("X-HubSpot-RateLimit-Interval-Milliseconds"))
	if err1 != nil || max <= 0 {
		return
	}
	window := l.currentWindow()
	if err2 == nil && ms > 0 {
		window = time.Duration(ms) * time.Millisecond
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if max == l.max && window == l.window {
		return
	}
	l.max, l.window = max, window
	r, b := budgetRate(max, window)
	l.general.SetLimit(r)
	l.general.SetBurst(b)
}

func (l *limits) currentWindow() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.window
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
func rateRemaining(h http.Header) int {
	n, err := strconv.Atoi(h.Get("X-HubSpot-RateLimit-Remaining"))
	if err != nil {
		return -1
	}
	return n
}
