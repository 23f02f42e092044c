package portal

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
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
	if rss, ok := peakRSS(); ok {
		// The whole process: the sandbox's portal and SQLite's own memory
		// (page cache, the search index's term buffer) included.
		b.ReportMetric(float64(rss)/(1<<20), "peak-rss-MB")
	}
}

// peakRSS is the process's peak resident set (Linux VmHWM), in bytes.
func peakRSS() (uint64, bool) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10, err == nil
		}
	}
	return 0, false
}

// BenchmarkFullSyncNetwork syncs from a sandbox that behaves like HubSpot
// over a real network: 300 ms a request, 190 requests per 10 s enforced
// (429 beyond), the client keeping to that budget. "ranges" is the full
// sync as built (ID ranges listed in parallel, 50,000 contacts); "one-cursor"
// pages a single cursor, as when search cannot tell the ID span (10,000
// contacts, to keep it short). It reports contacts per second end to end
// (the directory included) and fails if HubSpot ever answered 429.
//
//	go test ./portal -run '^$' -bench FullSyncNetwork -benchtime 1x
func BenchmarkFullSyncNetwork(b *testing.B) {
	b.Run("ranges", func(b *testing.B) { benchFullSyncNetwork(b, 50_000, nil) })
	b.Run("one-cursor", func(b *testing.B) { benchFullSyncNetwork(b, 10_000, denySearch) })
}

func benchFullSyncNetwork(b *testing.B, contacts int, wrap func(http.Handler) http.Handler) {
	sb := hubspottest.New(hubspottest.Config{Contacts: contacts, RateLimit: true, RateLimitMax: 190,
		Faults: hubspottest.Faults{Latency: 300 * time.Millisecond}})
	var h http.Handler = sb
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	var limited atomic.Int64
	client := hubspot.New(hubspot.WithBaseURL(srv.URL), hubspot.WithAccessToken(sb.IssueToken()),
		hubspot.WithRateBudget(190, 10*time.Second),
		hubspot.WithObserver(func(c hubspot.Call) {
			if c.Status == http.StatusTooManyRequests {
				limited.Add(1)
			}
		}))
	ctx := context.Background()
	var listing float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		p, _, err := Open(ctx, Config{Client: client, DataDir: b.TempDir(), HubID: sb.HubID()})
		if err != nil {
			b.Fatal(err)
		}
		progress := make(chan SyncProgress, 1<<16)
		b.StartTimer()
		if err := p.FullSync(ctx, progress); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		close(progress)
		for pr := range progress {
			if pr.Phase == "contacts" && pr.Finished {
				listing = pr.PerSecond
			}
		}
		if n, _ := p.CountContacts(ctx, store.Query{}); n != contacts {
			b.Fatalf("%d contacts synced, want %d", n, contacts)
		}
		p.Close()
		b.StartTimer()
	}
	b.StopTimer()
	answered429 := 0
	for _, r := range sb.Requests() {
		if r.Status == http.StatusTooManyRequests {
			answered429++
		}
	}
	if answered429 > 0 || limited.Load() > 0 {
		b.Fatalf("HubSpot answered 429 %d times (the client saw %d)", answered429, limited.Load())
	}
	b.ReportMetric(float64(contacts)*float64(b.N)/b.Elapsed().Seconds(), "contacts/s")
	b.ReportMetric(listing, "listing-contacts/s")
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
