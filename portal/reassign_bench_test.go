package portal

import (
	"context"
	"fmt"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

// benchJob plans every contact of e's mirror for owner to and records it.
func benchJob(b *testing.B, p *Portal, ids []hubspot.ContactID, to hubspot.OwnerID) (int64, int) {
	b.Helper()
	plan, err := p.PlanReassign(context.Background(), ReassignRequest{Contacts: ids, To: string(to)})
	if err != nil {
		b.Fatal(err)
	}
	id, err := p.RecordReassign(context.Background(), plan)
	if err != nil {
		b.Fatal(err)
	}
	return id, plan.Count()
}

// callLog records the requests a client sends, to work out the least time
// the rate limit allows for them.
type callLog struct {
	mu        sync.Mutex
	latencies []time.Duration // of each answered request since the last reset
	first     time.Time       // when the first of them was sent
	last      time.Time       // when the last answer came
}

func (l *callLog) observe(c hubspot.Call) {
	if c.Status == 0 {
		return // no answer: HubSpot may not have counted it
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.latencies = append(l.latencies, c.Latency)
	now := time.Now()
	if l.first.IsZero() {
		l.first = now.Add(-c.Latency)
	}
	l.last = now
}

// span says when, since start, the first request went and the last answer
// came.
func (l *callLog) span(start time.Time) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return fmt.Sprintf("first request at +%s, last answer at +%s", l.first.Sub(start).Round(time.Millisecond), l.last.Sub(start).Round(time.Millisecond))
}

func (l *callLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.latencies = nil
	l.first, l.last = time.Time{}, time.Time{}
}

// leastTime is the least time a rolling window of budget requests per
// window allows for the requests logged (writes and reads alike: HubSpot
// counts both), and how many there were. The first budget of them may
// reach HubSpot at once, and each further budget a window later, so the
// last arrives floor((n-1)/budget) windows after the first at the
// soonest; one round trip more (the median of the run's) brings the first
// request to HubSpot and the last one's answer back.
func (l *callLog) leastTime(budget int, window time.Duration) (time.Duration, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := len(l.latencies)
	if n == 0 {
		return 0, 0
	}
	sorted := slices.Sorted(slices.Values(l.latencies))
	return time.Duration((n-1)/budget)*window + sorted[n/2], n
}

// BenchmarkReassignRateLimited runs a 50,000-contact job against a sandbox
// enforcing a Professional portal's 190 requests per 10 s, through a
// client that learns that budget from HubSpot's headers. It reports the
// run's time against the least time the limit allows (x_of_least, see
// callLog.leastTime), and fails if a 429
// reached HubSpot's side of the wire. About 30 s: run with -benchtime 1x.
func BenchmarkReassignRateLimited(b *testing.B) {
	const contacts, budget = 50_000, 190
	// The mirror is synced from an unlimited twin: the same seed generates
	// the same portal, so the sync does not eat the budget.
	e := newEnv(b, hubspottest.Config{Contacts: contacts}, nil)
	e.sync(b)
	limited := hubspottest.New(hubspottest.Config{Contacts: contacts, RateLimit: true, RateLimitMax: budget})
	srv := httptest.NewServer(limited)
	b.Cleanup(srv.Close)
	var calls callLog
	client := hubspot.New(hubspot.WithBaseURL(srv.URL), hubspot.WithAccessToken(limited.IssueToken()), hubspot.WithSearchRate(0), hubspot.WithObserver(calls.observe))
	p, _, err := Open(context.Background(), Config{Client: client, DataDir: e.dir, HubID: e.sb.HubID()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { p.Close() })
	var ids []hubspot.ContactID
	for _, c := range allContacts(b, p) {
		ids = append(ids, c.ContactID)
	}
	f := e.sb.Fixtures()
	targets := []hubspot.OwnerID{f.ActiveOwner, otherOwner(b, p, f.ActiveOwner).ID}

	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		id, n := benchJob(b, p, ids, targets[i%2])
		calls.reset()
		b.StartTimer()
		start := time.Now()
		res, err := p.Run(context.Background(), id, nil)
		elapsed := time.Since(start)
		if err != nil || res.Done != n {
			b.Fatalf("run: %+v, %v", res, err)
		}
		least, requests := calls.leastTime(budget, 10*time.Second)
		b.ReportMetric(elapsed.Seconds(), "s/job")
		b.ReportMetric(elapsed.Seconds()/least.Seconds(), "x_of_least")
		b.ReportMetric(float64(n)/elapsed.Seconds(), "contacts/s")
		b.Logf("%d contacts in %d requests: %s (%s); the limit allows %s at the least",
			n, requests, elapsed.Round(10*time.Millisecond), calls.span(start), least.Round(10*time.Millisecond))
	}
	b.StopTimer()
	for _, r := range limited.Requests() {
		if r.Status == 429 {
			b.Fatalf("HubSpot answered 429 to %s %s: the job outran the limit", r.Method, r.Path)
		}
	}
}

// BenchmarkReassignUnlimited measures contacts per second against a local
// sandbox that enforces no limit.
func BenchmarkReassignUnlimited(b *testing.B) {
	const contacts = 20_000
	e := newEnv(b, hubspottest.Config{Contacts: contacts}, nil)
	e.sync(b)
	var ids []hubspot.ContactID
	for _, c := range allContacts(b, e.p) {
		ids = append(ids, c.ContactID)
	}
	f := e.sb.Fixtures()
	targets := []hubspot.OwnerID{f.ActiveOwner, otherOwner(b, e.p, f.ActiveOwner).ID}
	var moved int
	var spent time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		id, n := benchJob(b, e.p, ids, targets[i%2])
		b.StartTimer()
		start := time.Now()
		res, err := e.p.Run(context.Background(), id, nil)
		spent += time.Since(start)
		if err != nil || res.Done != n {
			b.Fatalf("run: %+v, %v", res, err)
		}
		moved += n
	}
	b.ReportMetric(float64(moved)/spent.Seconds(), "contacts/s")
}
