package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
)

var benchFirst = []string{"Ann", "Bob", "Chloé", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas"}
var benchLast = []string{"Lee", "Ng", "Novák", "Okafor", "Patel", "Quinn", "Rossi", "Silva", "Tanaka", "Weber"}

// fillContacts writes n synthetic contacts, 1,000 per transaction.
func fillContacts(b *testing.B, m *Mirror, n int) {
	ctx := context.Background()
	if err := m.BeginBulkContacts(ctx); err != nil {
		b.Fatal(err)
	}
	defer func() {
		if err := m.EndBulkContacts(ctx); err != nil {
			b.Fatal(err)
		}
	}()
	page := make([]hubspot.Contact, 0, 1000)
	for i := 0; i < n; i++ {
		first, last := benchFirst[i%len(benchFirst)], benchLast[(i/len(benchFirst))%len(benchLast)]
		page = append(page, hubspot.Contact{ID: hubspot.ContactID(strconv.Itoa(10_001 + 3*i)), Properties: hubspot.Properties{
			"firstname": first, "lastname": last, "email": fmt.Sprintf("%s.%s%d@example%d.test", first, last, i, i%7),
			"hubspot_owner_id": strconv.Itoa(160_000_000 + i%70), "lastmodifieddate": "2025-03-01T10:00:00.000Z",
		}})
		if len(page) == cap(page) || i == n-1 {
			if err := m.PutContacts(ctx, page, 1, nil); err != nil {
				b.Fatal(err)
			}
			page = page[:0]
		}
	}
}

// BenchmarkContactsQuery1M runs filtered contact queries (a page of 100
// and the matching count) on a 1,000,000-contact mirror and reports the
// 95th percentile.
//
//	go test ./store -run '^$' -bench ContactsQuery1M -benchtime 50x
func BenchmarkContactsQuery1M(b *testing.B) {
	const n = 1_000_000
	m, _, err := OpenMirror(context.Background(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	start := time.Now()
	fillContacts(b, m, n)
	b.Logf("filled %d contacts in %s", n, time.Since(start).Round(time.Millisecond))
	// The last two match the owner column: an owner ID (1 in 70 contacts)
	// and the state word every contact's unknown owner shows.
	filters := []string{"grace", "novák", "ann.lee", "example3", "silva12345", "tanaka99999@", "nobody-at-all", "hiro.weber4",
		"160000042", "unknown"}
	ctx := context.Background()
	var page, count []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := Query{Filter: filters[i%len(filters)], Limit: 100}
		t0 := time.Now()
		if _, err := m.Contacts(ctx, q); err != nil {
			b.Fatal(err)
		}
		page = append(page, time.Since(t0))
		t0 = time.Now()
		if _, err := m.CountContacts(ctx, q); err != nil {
			b.Fatal(err)
		}
		count = append(count, time.Since(t0))
	}
	b.ReportMetric(p95(page).Seconds()*1000, "p95-page-ms")
	b.ReportMetric(p95(count).Seconds()*1000, "p95-count-ms")
}

func p95(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*95/100)]
}
