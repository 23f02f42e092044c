package portal

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

// BenchmarkReassignTypesRateLimited runs a 50,000-record handover across
// contacts, companies, deals and tickets (12,500 each, marked) against a
// sandbox enforcing a Professional portal's 190 requests per 10 s, as
// BenchmarkReassignRateLimited does for contacts. It reports the run's time
// against the least time the limit allows for the requests the job sends
// (x_of_least: one batch update per 100 records of one type and new owner,
// and any read; see callLog.leastTime), and fails
// if a 429 reached HubSpot's side of the wire. About 30 s: run with
// -benchtime 1x.
func BenchmarkReassignTypesRateLimited(b *testing.B) {
	const perType, budget = 12_500, 190
	cfg := hubspottest.Config{Contacts: perType, Companies: perType, Deals: perType, Tickets: perType, CustomRecords: -1}
	e := newEnv(b, cfg, nil)
	e.sync(b)
	limitedCfg := cfg
	limitedCfg.RateLimit, limitedCfg.RateLimitMax = true, budget
	limited := hubspottest.New(limitedCfg)
	srv := httptest.NewServer(limited)
	b.Cleanup(srv.Close)
	var calls callLog
	client := hubspot.New(hubspot.WithBaseURL(srv.URL), hubspot.WithAccessToken(limited.IssueToken()), hubspot.WithSearchRate(0), hubspot.WithObserver(calls.observe))
	p, _, err := Open(context.Background(), Config{Client: client, DataDir: e.dir, HubID: e.sb.HubID()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { p.Close() })
	var refs []RecordRef
	for _, c := range allContacts(b, p) {
		refs = append(refs, RecordRef{Type: hubspot.ObjectContacts, ID: hubspot.RecordID(c.ContactID)})
	}
	for _, t := range []hubspot.ObjectType{hubspot.ObjectCompanies, hubspot.ObjectDeals, hubspot.ObjectTickets} {
		ids, err := p.mirror.RecordIDs(context.Background(), t, "", 2*perType)
		if err != nil {
			b.Fatal(err)
		}
		for _, id := range ids {
			refs = append(refs, RecordRef{Type: t, ID: id})
		}
	}
	if len(refs) != 4*perType {
		b.Fatalf("%d records marked, want %d", len(refs), 4*perType)
	}
	f := e.sb.Fixtures()
	targets := []hubspot.OwnerID{f.ActiveOwner, otherOwner(b, p, f.ActiveOwner).ID}

	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		plan, err := p.PlanReassign(context.Background(), ReassignRequest{Records: refs, To: string(targets[i%2])})
		if err != nil {
			b.Fatal(err)
		}
		id, err := p.RecordReassign(context.Background(), plan)
		if err != nil {
			b.Fatal(err)
		}
		calls.reset()
		b.StartTimer()
		start := time.Now()
		res, err := p.Run(context.Background(), id, nil)
		elapsed := time.Since(start)
		if err != nil || res.Done != plan.Count() {
			b.Fatalf("run: %+v, %v", res, err)
		}
		least, requests := calls.leastTime(budget, 10*time.Second)
		b.ReportMetric(elapsed.Seconds(), "s/job")
		b.ReportMetric(elapsed.Seconds()/least.Seconds(), "x_of_least")
		b.ReportMetric(float64(plan.Records())/elapsed.Seconds(), "records/s")
		b.Logf("%d records (%s) in %d requests: %s (%s); the limit allows %s at the least",
			plan.Records(), plan.typeCounts(), requests, elapsed.Round(10*time.Millisecond), calls.span(start), least.Round(10*time.Millisecond))
	}
	b.StopTimer()
	for _, r := range limited.Requests() {
		if r.Status == 429 {
			b.Fatalf("HubSpot answered 429 to %s %s: the job outran the limit", r.Method, r.Path)
		}
	}
}
