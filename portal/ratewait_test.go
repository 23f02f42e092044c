package portal

import (
	"sync"
	"testing"
	"time"
)

// fakeLimits is the client as a meter sees it: a wait begins or ends when
// the test says, and each request takes perRequest of the budget.
type fakeLimits struct {
	mu         sync.Mutex
	listener   func(time.Time)
	perRequest time.Duration
}

func (f *fakeLimits) OnRateWait(fn func(time.Time)) func() {
	f.mu.Lock()
	f.listener = fn
	f.mu.Unlock()
	return func() { f.mu.Lock(); f.listener = nil; f.mu.Unlock() }
}

func (f *fakeLimits) RateLimitETA(n int, _ bool) time.Duration {
	return time.Duration(n) * f.perRequest
}

func (f *fakeLimits) wait(until time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.listener != nil {
		f.listener(until)
	}
}

func (f *fakeLimits) listening() bool { f.mu.Lock(); defer f.mu.Unlock(); return f.listener != nil }

type stepClock struct{ t time.Time }

func (c *stepClock) now() time.Time { return c.t }

func lastSync(t *testing.T, ch chan SyncProgress) SyncProgress {
	t.Helper()
	var p SyncProgress
	n := 0
	for {
		select {
		case p = <-ch:
			n++
		default:
			if n == 0 {
				t.Fatal("no report")
			}
			return p
		}
	}
}

// 900 of 3,000 contacts in 1 s would say "ETA 2s"; at a budget of one
// page of 100 a second the 21 pages left take 21 s, and a rate-limit wait
// is reported when it begins and when it ends, with nothing landing.
func TestSyncMeterIsHonestAboutTheRateLimit(t *testing.T) {
	clock := &stepClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	limits := &fakeLimits{perRequest: time.Second}
	ch := make(chan SyncProgress, 64)
	m := newMeter(ch, "contacts", 3000)
	m.now = clock.now
	m.start, m.lastSent = clock.now(), time.Time{}
	m.limitedBy(limits, 100)
	clock.t = clock.t.Add(time.Second)
	m.add(900)
	p := lastSync(t, ch)
	if p.ETA != 21*time.Second {
		t.Errorf("ETA %v at 900 of 3,000 with 21 pages left at 1 s each, want 21s", p.ETA)
	}
	until := clock.t.Add(5 * time.Second)
	limits.wait(until)
	p = lastSync(t, ch)
	if !p.RateWait.Equal(until) || p.Done != 900 {
		t.Errorf("report during the wait: %+v, want RateWait %v at 900", p, until)
	}
	clock.t = until
	limits.wait(time.Time{})
	if p = lastSync(t, ch); !p.RateWait.IsZero() {
		t.Errorf("after the wait RateWait is %v", p.RateWait)
	}
	m.add(2100)
	m.finish()
	if limits.listening() {
		t.Error("the finished meter still listens to the client")
	}
	if p = lastSync(t, ch); p.ETA != 0 || !p.RateWait.IsZero() || !p.Finished {
		t.Errorf("last report %+v", p)
	}
}

// A meter released after a failure no longer listens (the console closes
// the channel once Sync returns).
func TestReleasedMeterStopsListening(t *testing.T) {
	limits := &fakeLimits{perRequest: time.Second}
	m := newMeter(make(chan SyncProgress, 4), "contacts", 10)
	m.limitedBy(limits, 100)
	m.release()
	if limits.listening() {
		t.Error("a released meter still listens")
	}
}

func TestJobMeterIsHonestAboutTheRateLimit(t *testing.T) {
	clock := &stepClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	limits := &fakeLimits{perRequest: time.Second}
	ch := make(chan JobProgress, 64)
	m := newJobMeter(ch, 7, 1622, 0)
	m.now = clock.now
	m.start, m.lastSent = clock.now(), time.Time{}
	m.limitedBy(limits, 100)
	clock.t = clock.t.Add(2 * time.Second)
	m.add(1263, 0, 0)
	until := clock.t.Add(5 * time.Second)
	limits.wait(until)
	var p JobProgress
	for len(ch) > 0 {
		p = <-ch
	}
	if !p.RateWait.Equal(until) || p.Done != 1263 {
		t.Errorf("report during the wait %+v, want RateWait %v at 1,263", p, until)
	}
	// 359 left: 4 batches at 1 s each, but the wait alone is 5 s.
	if p.ETA != 5*time.Second {
		t.Errorf("ETA %v during a 5 s wait, want 5s", p.ETA)
	}
	m.finish()
	if limits.listening() {
		t.Error("the finished job meter still listens")
	}
}
