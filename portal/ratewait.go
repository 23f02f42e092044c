package portal

import (
	"fmt"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
)

// While the client waits for HubSpot's rate limit nothing lands, so a
// meter that only counts what landed falls silent (a job sat at
// "1,263 / 1,622 … ETA 0s" for 5 s) and its ETA, from the throughput so
// far, promises what the limit will not allow (a sync said "eta 1s" at
// 900 of 3,000 and took 10 s more). A meter limitedBy the client reports
// each wait as it begins and ends (RateWait), and never gives an ETA
// shorter than the requests still to send take under the budget.

// rateSource is what a meter asks of the client; *hubspot.Client has it.
type rateSource interface {
	OnRateWait(fn func(until time.Time)) (stop func())
	RateLimitETA(n int, search bool) time.Duration
}

var _ rateSource = (*hubspot.Client)(nil)

// rateLimits ties a meter to the client's rate limit. Its fields other
// than stopFn are guarded by the meter's mutex; a nil one limits nothing.
type rateLimits struct {
	client     rateSource
	perRequest int       // items one request carries (a page, a batch)
	until      time.Time // the wait in progress ends then; zero for none
	stopFn     func()
}

// subscribe ties r to the client; onWait runs (on the client's goroutine)
// as each wait begins or ends, and must take the meter's lock itself.
func subscribeRate(c rateSource, perRequest int, onWait func(r *rateLimits, until time.Time)) *rateLimits {
	r := &rateLimits{client: c, perRequest: max(perRequest, 1)}
	r.stopFn = c.OnRateWait(func(until time.Time) { onWait(r, until) })
	return r
}

// stop ends the subscription; called without the meter's lock, since the
// client holds its own while it calls onWait.
func (r *rateLimits) stop() {
	if r != nil && r.stopFn != nil {
		r.stopFn()
	}
}

// honest is what a report says while left items remain: when the wait in
// progress ends, and an ETA no shorter than the budget allows.
func (r *rateLimits) honest(now time.Time, left int, eta time.Duration) (time.Time, time.Duration) {
	if r == nil {
		return time.Time{}, eta
	}
	until := r.until
	if !until.After(now) {
		until = time.Time{}
	}
	if left > 0 {
		requests := (left + r.perRequest - 1) / r.perRequest
		eta = max(eta, r.client.RateLimitETA(requests, false))
	}
	if !until.IsZero() {
		eta = max(eta, until.Sub(now))
	}
	return until, eta
}

// limitedBy makes the meter honest about the client's rate limit; each
// request carries perRequest items. finish or release ends it.
func (m *meter) limitedBy(c rateSource, perRequest int) {
	r := subscribeRate(c, perRequest, func(r *rateLimits, until time.Time) {
		m.mu.Lock()
		defer m.mu.Unlock()
		r.until = until
		if m.limits == r {
			m.send(false)
		}
	})
	m.mu.Lock()
	m.limits = r
	m.mu.Unlock()
}

// release lets go of the client; a phase that fails ends without finish.
func (m *meter) release() {
	m.mu.Lock()
	r := m.limits
	m.mu.Unlock()
	r.stop()
}

// limitedBy is meter.limitedBy for a job; each batch carries perRequest
// contacts.
func (m *jobMeter) limitedBy(c rateSource, perRequest int) {
	r := subscribeRate(c, perRequest, func(r *rateLimits, until time.Time) {
		m.mu.Lock()
		defer m.mu.Unlock()
		r.until = until
		if m.limits == r {
			m.send()
		}
	})
	m.mu.Lock()
	m.limits = r
	m.mu.Unlock()
}

func (m *jobMeter) release() {
	m.mu.Lock()
	r := m.limits
	m.mu.Unlock()
	r.stop()
}

// RateWaitText is how every progress line says that the client waits for
// HubSpot's rate limit for d more (rounded up to whole seconds): "waiting
// for HubSpot's rate limit (4 s)"; "" when d is not positive.
func RateWaitText(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	return fmt.Sprintf("waiting for HubSpot's rate limit (%d s)", int((d+time.Second-1)/time.Second))
}
