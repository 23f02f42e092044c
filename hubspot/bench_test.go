package hubspot_test

import (
	"context"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

// BenchmarkListContacts100k lists 100,000 sandbox contacts through the
// client, 100 a page, with client-side rate limiting off: it measures the
// client and the HTTP round trips, not HubSpot's budget (at 100 requests per
// 10 s, the 1,000 pages would take HubSpot at least 100 s).
func BenchmarkListContacts100k(b *testing.B) {
	const want = 100_000
	sb := newSandbox(b, hubspottest.Config{Contacts: want})
	c := sb.client()
	ctx := context.Background()
	total := 0
	for b.Loop() {
		n := 0
		for _, err := range c.Contacts(ctx, nil) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != want {
			b.Fatalf("listed %d contacts, want %d", n, want)
		}
		total += n
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "contacts/s")
}
