package portal

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
)

// JobProgress is one progress report of a running job.
type JobProgress struct {
	JobID           int64
	Done, Total     int // items settled (changed, failed or skipped) of all items
	Failed, Skipped int
	PerSecond       float64       // items settled per second by this run
	ETA             time.Duration // 0 when unknown
	// Waiting says why the job is paused (a rate limit, a retry), with
	// WaitFor how long; empty when it is not.
	Waiting  string
	WaitFor  time.Duration
	Finished bool
	// RateWait is when the client's wait for HubSpot's rate limit ends;
	// zero when it is not waiting (ratewait.go).
	RateWait time.Time
}

// Fraction is Done/Total in [0,1].
func (p JobProgress) Fraction() float64 {
	if p.Total <= 0 || p.Done >= p.Total {
		return 1
	}
	return float64(p.Done) / float64(p.Total)
}

// String is a one-line report, e.g.
// "12,300/50,000  24%  190/s  ETA 3m20s  2 failed".
func (p JobProgress) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s/%s %3.0f%%", Thousands(p.Done), Thousands(p.Total), 100*p.Fraction())
	if p.PerSecond > 0 {
		fmt.Fprintf(&b, "  %s/s", Thousands(int(p.PerSecond+0.5)))
	}
	if p.ETA > 0 && !p.Finished {
		fmt.Fprintf(&b, "  ETA %s", p.ETA.Round(time.Second))
	}
	if p.Failed > 0 {
		fmt.Fprintf(&b, "  %s failed", Thousands(p.Failed))
	}
	if p.Skipped > 0 {
		fmt.Fprintf(&b, "  %s skipped", Thousands(p.Skipped))
	}
	if w := RateWaitText(time.Until(p.RateWait)); w != "" && !p.Finished {
		fmt.Fprintf(&b, "  (%s)", w)
	} else if p.Waiting != "" {
		fmt.Fprintf(&b, "  (%s)", p.Waiting)
	}
	return b.String()
}

// jobMeter measures a run and reports it without ever blocking it.
type jobMeter struct {
	ch    chan<- JobProgress
	now   func() time.Time
	start time.Time

	mu       sync.Mutex
	limits   *rateLimits // nil unless limitedBy
	p        JobProgress
	base     int // settled before this run
	lastSent time.Time
}

func newJobMeter(ch chan<- JobProgress, jobID int64, total, settled int) *jobMeter {
	m := &jobMeter{ch: ch, now: time.Now, base: settled}
	m.start = m.now()
	m.p = JobProgress{JobID: jobID, Total: total, Done: settled}
	m.mu.Lock()
	m.send()
	m.mu.Unlock()
	return m
}

func (m *jobMeter) counts(failed, skipped int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.p.Failed, m.p.Skipped = failed, skipped
}

func (m *jobMeter) add(settled, failed, skipped int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.p.Done += settled
	m.p.Failed += failed
	m.p.Skipped += skipped
	if m.now().Sub(m.lastSent) >= reportEvery {
		m.send()
	}
}

// wait reports a pause (d > 0) or its end (d == 0).
func (m *jobMeter) wait(d time.Duration, cause error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.p.Waiting, m.p.WaitFor = "", d
	if d > 0 {
		m.p.Waiting = "retrying in " + d.Round(100*time.Millisecond).String()
		if _, limited := hubspot.IsRateLimited(cause); limited {
			m.p.Waiting = "rate limit: waiting " + d.Round(100*time.Millisecond).String()
		}
	}
	m.send()
}

func (m *jobMeter) finish() {
	m.release()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.p.Finished, m.p.Waiting, m.p.WaitFor = true, "", 0
	m.send()
}

// send reports; m.mu is held. A report with no room in the channel is
// dropped: the run never waits for its reader.
func (m *jobMeter) send() {
	if m.ch == nil {
		return
	}
	now := m.now()
	m.lastSent = now
	p := m.p
	if secs := now.Sub(m.start).Seconds(); secs > 0 && p.Done > m.base {
		p.PerSecond = float64(p.Done-m.base) / secs
		if p.Total > p.Done {
			p.ETA = time.Duration(float64(p.Total-p.Done) / p.PerSecond * float64(time.Second))
		}
	}
	if !p.Finished {
		p.RateWait, p.ETA = m.limits.honest(now, p.Total-p.Done, p.ETA)
	}
	select {
	case m.ch <- p:
	default:
	}
}
