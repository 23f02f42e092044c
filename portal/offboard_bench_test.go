package portal

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

// offboardBenchConfig is a portal of few people, so that one of them owns
// about 20,000 records across contacts, deals, tickets and the custom
// object (projects). Companies are left out: their account team is a
// multi-select, and the generated ones often hold a deactivated owner
// beside the leaver, which HubSpot refuses in the value written back (the
// hand-over fails those records, named; see the report).
func offboardBenchConfig() hubspottest.Config {
	return hubspottest.Config{Users: 4, Contacts: 14_700, Companies: -1, Deals: 14_700, Tickets: 14_700, CustomRecords: 14_700}
}

// busiestLeaver is the removable user whose owner holds the most records.
func busiestLeaver(tb testing.TB, p *Portal) (store.UserRow, int) {
	tb.Helper()
	ctx := context.Background()
	users, err := p.Users(ctx, store.Query{Limit: 1000})
	if err != nil {
		tb.Fatal(err)
	}
	var best store.UserRow
	most := 0
	for _, u := range users {
		if u.SuperAdmin || u.OwnerID == "" {
			continue
		}
		holdings, err := p.Mirror().OwnerHoldings(ctx, u.OwnerID)
		if err != nil {
			tb.Fatal(err)
		}
		n := 0
		for _, h := range holdings {
			n += h.Count
		}
		if n > most {
			best, most = u, n
		}
	}
	return best, most
}

// BenchmarkOffboardRateLimited offboards a person owning about 20,000
// records of four types against a sandbox enforcing a Professional
// portal's 190 requests per 10 s, through a client that learns that budget
// from HubSpot's headers. It reports the run's time against the least time
// the limit allows for the requests it sent, and fails if a 429 reached
// HubSpot's side of the wire. Run with -benchtime 1x.
func BenchmarkOffboardRateLimited(b *testing.B) {
	const budget = 190
	// The mirror is synced from an unlimited twin: the same seed generates
	// the same portal, so the sync does not eat the budget.
	e := newEnv(b, offboardBenchConfig(), nil)
	e.sync(b)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		cfg := offboardBenchConfig()
		cfg.RateLimit, cfg.RateLimitMax = true, budget
		limited := hubspottest.New(cfg)
		srv := httptest.NewServer(limited)
		client := hubspot.New(hubspot.WithBaseURL(srv.URL), hubspot.WithAccessToken(limited.IssueToken()), hubspot.WithSearchRate(0))
		// The twin's mirror: a second iteration would find this one's
		// work done in it, so run with -benchtime 1x.
		p, _, err := Open(context.Background(), Config{Client: client, DataDir: e.dir, HubID: e.sb.HubID()})
		if err != nil {
			b.Fatal(err)
		}
		u, held := busiestLeaver(b, p)
		to := otherOwner(b, p, u.OwnerID)
		b.StartTimer()

		start := time.Now()
		r, err := p.PreflightOffboard(context.Background(), OffboardRequest{Person: string(u.UserID), To: string(to.ID)})
		if err != nil || r.Blocked() {
			b.Fatalf("pre-flight: %v, %v", r.Blockers, err)
		}
		id, err := p.RecordOffboard(context.Background(), r)
		if err != nil {
			b.Fatal(err)
		}
		res, err := p.RunOffboard(context.Background(), id, nil)
		elapsed := time.Since(start)
		b.StopTimer()
		if err != nil || res.State != store.JobDone {
			b.Fatalf("run: %+v, %v", res, err)
		}
		requests := len(limited.Requests())
		for _, rq := range limited.Requests() {
			if rq.Status == 429 {
				b.Fatalf("HubSpot answered 429 to %s %s: the job outran the limit", rq.Method, rq.Path)
			}
		}
		// At most `budget` requests in any 10 s: the first window's worth
		// goes at once, each further one needs another window.
		least := time.Duration((requests-1)/budget) * 10 * time.Second
		steady := time.Duration(float64(requests) / budget * float64(10*time.Second))
		b.ReportMetric(elapsed.Seconds(), "s/offboard")
		if least > 0 {
			b.ReportMetric(elapsed.Seconds()/least.Seconds(), "x_least")
		}
		b.ReportMetric(elapsed.Seconds()/steady.Seconds(), "x_steady")
		b.ReportMetric(float64(held)/elapsed.Seconds(), "records/s")
		b.Logf("%s records held (%d type and owner property groups: %v) handed over and the user removed in %s with %d requests; the limit allows %s at the least (%s at its steady rate)",
			Thousands(held), len(r.Handover), r.Handover, elapsed.Round(10*time.Millisecond), requests, least, steady.Round(10*time.Millisecond))
		p.Close()
		srv.Close()
	}
}
