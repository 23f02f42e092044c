package portal

import (
	"context"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// BenchmarkFullSyncEveryType syncs a portal of 200,000 contacts, 50,000
// companies, 100,000 deals and 50,000 tickets from the sandbox in-process
// into a fresh mirror, associations included, and reports records per
// second end to end and the peak Go heap. Each phase's end is logged.
//
//	go test ./portal -run '^$' -bench 'FullSyncEveryType$' -benchtime 1x -v
func BenchmarkFullSyncEveryType(b *testing.B) {
	cfg := everyTypePortal() // -sync-scale shrinks it
	e := newEnv(b, cfg, nil)
	ctx := context.Background()
	records := cfg.Contacts + cfg.Companies + cfg.Deals + cfg.Tickets
	var peak uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		p, _, err := Open(ctx, Config{Client: e.client, DataDir: b.TempDir(), HubID: e.sb.HubID()})
		if err != nil {
			b.Fatal(err)
		}
		progress := make(chan SyncProgress, 10_000)
		start := time.Now()
		b.StartTimer()
		stop := samplePeakHeap(&peak)
		done := make(chan []string)
		go func() { done <- phaseEnds(progress, start) }()
		if err := p.FullSync(ctx, progress); err != nil {
			b.Fatal(err)
		}
		stop()
		b.StopTimer()
		progress <- SyncProgress{Phase: "", Finished: true} // ends phaseEnds
		for _, line := range <-done {
			b.Log(line)
		}
		for typ, want := range map[hubspot.ObjectType]int{hubspot.ObjectCompanies: cfg.Companies, hubspot.ObjectDeals: cfg.Deals, hubspot.ObjectTickets: cfg.Tickets} {
			if n, _ := p.mirror.CountRecords(ctx, typ, 0); n != want {
				b.Fatalf("%d %s synced, want %d", n, typ, want)
			}
		}
		if n, _ := p.CountContacts(ctx, store.Query{}); n != cfg.Contacts {
			b.Fatalf("%d contacts synced", n)
		}
		p.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(records)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	if rss, ok := peakRSS(); ok {
		b.ReportMetric(float64(rss)/(1<<20), "peak-rss-MB")
	}
}

// phaseEnds collects "phase: N items, done at T" for every finished phase
// until the empty phase arrives.
func phaseEnds(progress <-chan SyncProgress, start time.Time) []string {
	var out []string
	for sp := range progress {
		if !sp.Finished {
			continue
		}
		if sp.Phase == "" {
			return out
		}
		out = append(out, sp.Phase+": "+Thousands(sp.Done)+" done at "+time.Since(start).Round(time.Millisecond).String())
	}
	return out
}
