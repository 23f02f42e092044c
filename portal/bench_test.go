package portal

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

// BenchmarkFullSync syncs a sandbox portal into a fresh mirror per
// iteration and reports contacts per second end to end (search index
// rebuild included) and the peak Go heap.
//
//	go test ./portal -run '^$' -bench FullSync -benchtime 1x
func BenchmarkFullSync(b *testing.B) {
	for _, contacts := range []int{50_000, 1_000_000} {
		b.Run(fmt.Sprintf("contacts=%d", contacts), func(b *testing.B) { benchFullSync(b, contacts) })
	}
}

func benchFullSync(b *testing.B, contacts int) {
	e := newEnv(b, hubspottest.Config{Contacts: contacts}, nil)
	ctx := context.Background()
	var peak uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		p, _, err := Open(ctx, Config{Client: e.client, DataDir: b.TempDir(), HubID: e.sb.HubID()})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		stop := samplePeakHeap(&peak)
		if err := p.FullSync(ctx, nil); err != nil {
			b.Fatal(err)
		}
		stop()
		b.StopTimer()
		if n, _ := p.CountContacts(ctx, store.Query{}); n != contacts {
			b.Fatalf("%d contacts synced", n)
		}
		p.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(contacts)*float64(b.N)/b.Elapsed().Seconds(), "contacts/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// BenchmarkIncrementalSync measures a refresh after 1,000 changes in a
// 1,000,000-contact portal (the initial full sync is not timed).
//
//	go test ./portal -run '^$' -bench IncrementalSync -benchtime 3x
func BenchmarkIncrementalSync(b *testing.B) {
	e := newEnv(b, hubspottest.Config{Contacts: 1_000_000}, nil)
	ctx := context.Background()
	e.sync(b)
	f := e.sb.Fixtures()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		changeContacts(b, e, 1000, f.ActiveOwner)
		b.StartTimer()
		if err := e.p.Sync(ctx, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// changeContacts gives n contacts a new owner through batch updates.
func changeContacts(b *testing.B, e *env, n int, owner hubspot.OwnerID) {
	ctx := context.Background()
	rows, err := e.p.Contacts(ctx, store.Query{Limit: n})
	if err != nil {
		b.Fatal(err)
	}
	for start := 0; start < len(rows); start += 100 {
		var in []hubspot.BatchInput
		for _, r := range rows[start:min(start+100, len(rows))] {
			in = append(in, hubspot.BatchInput{ID: r.ContactID, Properties: hubspot.Properties{hubspot.PropOwnerID: string(owner)}})
		}
		if _, err := e.client.BatchUpdateContacts(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}

// samplePeakHeap records the largest heap in use into *peak until the
// returned stop function is called.
func samplePeakHeap(peak *uint64) (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		var ms runtime.MemStats
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			*peak = max(*peak, ms.HeapInuse)
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}
