package portal

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// SyncProgress is one progress report of a sync.
type SyncProgress struct {
	Phase     string  // e.g. "users", "owners", "contacts"
	Done      int     // items of this phase done so far
	Total     int     // -1 when unknown
	PerSecond float64 // items per second in this phase so far
	ETA       time.Duration
	Finished  bool // the last report of this phase
	// RateWait is when the wait for HubSpot's rate limit now holding the
	// phase up ends; zero when nothing waits (ratewait.go).
	RateWait time.Time
}

// Fraction is Done/Total in [0,1], or -1 when the total is unknown.
func (p SyncProgress) Fraction() float64 {
	if p.Total < 0 {
		return -1
	}
	if p.Total == 0 || p.Done >= p.Total {
		return 1
	}
	return float64(p.Done) / float64(p.Total)
}

// String is a one-line report, e.g.
// "contacts     12,300/50,000  24%  8,123/s  ETA 5s".
func (p SyncProgress) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-18s", p.Phase)
	if p.Done > 0 || p.Total >= 0 {
		// A phase that counts nothing (the search index) shows no count.
		fmt.Fprintf(&b, " %s", Thousands(p.Done))
	}
	if p.Total >= 0 {
		fmt.Fprintf(&b, "/%s %3.0f%%", Thousands(p.Total), 100*p.Fraction())
	}
	if p.PerSecond > 0 {
		fmt.Fprintf(&b, "  %s/s", Thousands(int(p.PerSecond+0.5)))
	}
	if p.ETA > 0 && !p.Finished {
		fmt.Fprintf(&b, "  ETA %s", p.ETA.Round(time.Second))
	}
	if w := RateWaitText(time.Until(p.RateWait)); w != "" && !p.Finished {
		b.WriteString("  " + w)
	}
	if p.Finished {
		b.WriteString("  done")
	}
	return b.String()
}

// meter measures one phase and reports it without ever blocking the sync.
// Its methods may be called from the phase's goroutines and the client's
// (a rate-limit wait beginning or ending, see limitedBy).
type meter struct {
	mu       sync.Mutex
	limits   *rateLimits // nil unless limitedBy
	ch       chan<- SyncProgress
	phase    string
	total    int
	done     int
	base     int // done before this run started (a resumed sync)
	start    time.Time
	lastSent time.Time
	now      func() time.Time
}

// reportEvery throttles reports, so a fast sync does not flood the console.
const reportEvery = 100 * time.Millisecond

func newMeter(ch chan<- SyncProgress, phase string, total int) *meter {
	m := &meter{ch: ch, phase: phase, total: total, now: time.Now}
	m.start = m.now()
	m.mu.Lock()
	m.send(false)
	m.mu.Unlock()
	return m
}

// resumeFrom counts n items as done by an earlier run.
func (m *meter) resumeFrom(n int) {
	m.mu.Lock()
	m.done, m.base = n, n
	m.mu.Unlock()
}

func (m *meter) add(n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.done += n
	if m.now().Sub(m.lastSent) >= reportEvery {
		m.send(false)
	}
}

func (m *meter) finish() {
	m.release()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.total >= 0 && m.done > m.total {
		m.total = m.done
	}
	m.send(true)
}

// send reports; m.mu is held.
func (m *meter) send(finished bool) {
	if m.ch == nil {
		return
	}
	now := m.now()
	m.lastSent = now
	p := SyncProgress{Phase: m.phase, Done: m.done, Total: m.total, Finished: finished}
	if secs := now.Sub(m.start).Seconds(); secs > 0 && m.done > m.base {
		p.PerSecond = float64(m.done-m.base) / secs
		if m.total > m.done {
			p.ETA = time.Duration(float64(m.total-m.done) / p.PerSecond * float64(time.Second))
		}
	}
	if !finished {
		p.RateWait, p.ETA = m.limits.honest(now, m.total-m.done, p.ETA)
	}
	// Never block the sync on a slow reader: a report with no room is dropped.
	select {
	case m.ch <- p:
	default:
	}
}
