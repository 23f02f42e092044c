package ui

import (
	"context"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/portal"
)

// BenchmarkScale1M opens the console on a warm mirror of a 1,000,000-contact
// portal (built once per run by a full sync from the sandbox, about a
// minute; HSADMIN_SCALE_CONTACTS=N sets another size) and reports:
// "startup", opening the portal on the mirror, the console model, its first
// data loads and the first frame at 200x60 (target < 200 ms), then the frame
// of every contact; "memory", the console's Go heap in use and the process's
// resident set after opening, scrolling and filtering the contacts (target
// < 150 MB); "filter", a filter keystroke to the frame showing its rows
// (p95), with the commands run concurrently as Bubble Tea runs them, and to
// the moment the count of all matches has arrived too.
//
//	go test ./ui -run '^$' -bench Scale1M -benchtime 5x -timeout 30m
func BenchmarkScale1M(b *testing.B) {
	contacts := 1_000_000
	if n, err := strconv.Atoi(os.Getenv("HSADMIN_SCALE_CONTACTS")); err == nil && n > 0 {
		contacts = n // a quick look at the benchmark itself
	}
	dir, hubID, users := warmMirror(b, contacts)
	ctx := context.Background()
	open := func(b *testing.B) *portal.Portal {
		p, notice, err := portal.Open(ctx, portal.Config{Client: hubspot.New(hubspot.WithBaseURL("http://127.0.0.1:1")),
			DataDir: dir, HubID: hubID, Sandbox: true})
		if err != nil || notice != "" {
			b.Fatalf("open: %v %q", err, notice)
		}
		return p
	}

	b.Run("startup", func(b *testing.B) {
		took := make([]time.Duration, 0, b.N)
		var all, opening []time.Duration
		for range b.N {
			start := time.Now()
			p := open(b)
			opening = append(opening, time.Since(start))
			h := newHarnessWith(b, 200, 60, nil, p, Options{dir: dir})
			frame := h.m.View().Content
			took = append(took, time.Since(start))
			if !strings.Contains(frame, "1/"+strconv.Itoa(users)) {
				b.Fatalf("the first frame does not show the %d users:\n%s", users, frame)
			}
			// Then every contact: the pane over the million rows.
			start = time.Now()
			h.keys("3", "esc")
			frame = h.m.View().Content
			all = append(all, time.Since(start))
			if !strings.Contains(frame, portal.Thousands(contacts)) {
				b.Fatalf("the contacts pane does not show %s contacts:\n%s", portal.Thousands(contacts), frame)
			}
			b.StopTimer()
			p.Close()
			b.StartTimer()
		}
		slices.Sort(took)
		slices.Sort(all)
		slices.Sort(opening)
		b.ReportMetric(ms(opening[len(opening)/2]), "open-portal-p50-ms")
		b.ReportMetric(ms(took[len(took)/2]), "first-frame-p50-ms")
		b.ReportMetric(ms(took[len(took)*95/100]), "first-frame-p95-ms")
		b.ReportMetric(ms(all[len(all)/2]), "all-contacts-frame-p50-ms")
	})

	b.Run("memory", func(b *testing.B) {
		for range b.N {
			runtime.GC()
			debug.FreeOSMemory()
			p := open(b)
			h := newHarnessWith(b, 200, 60, nil, p, Options{dir: dir})
			h.keys("3", "esc")
			for range 50 {
				h.keys("pgdown")
			}
			h.keys("end", "home", "/")
			h.typ("smith")
			_ = h.m.View()
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-inuse-MB")
			b.ReportMetric(float64(ms.Sys)/(1<<20), "go-sys-MB")
			if rss, ok := procStatus("VmRSS:"); ok {
				// SQLite's page cache lives outside the Go heap: the
				// resident set is what the admin's machine pays.
				b.ReportMetric(float64(rss)/(1<<20), "rss-MB")
			}
			runtime.KeepAlive(h)
			p.Close()
		}
	})

	b.Run("filter", func(b *testing.B) {
		p := open(b)
		defer p.Close()
		h := newHarnessWith(b, 200, 60, nil, p, Options{dir: dir})
		h.keys("3", "esc", "/")
		h.typ("smi")
		a, bs := keyMsg(b, "t"), keyMsg(b, "backspace")
		toRows := make([]time.Duration, 0, b.N)
		settled := make([]time.Duration, 0, b.N)
		b.ResetTimer()
		for i := range b.N {
			k := a
			if i%2 == 1 {
				k = bs
			}
			start := time.Now()
			_, cmd := h.m.Update(k)
			rows, all := runLikeBubbleTea(h, cmd, start)
			toRows, settled = append(toRows, rows), append(settled, all)
		}
		b.StopTimer()
		b.ReportMetric(p95(toRows), "p95-ms")
		b.ReportMetric(p95(settled), "count-settled-p95-ms")
	})
}

// runLikeBubbleTea runs cmd as Bubble Tea does, every command in its own
// goroutine and each answer through Update as it arrives. It reports when
// the frame first showed the keystroke's contact rows (the count of all
// matches, which Bubble Tea runs beside them, may still be on its way) and
// when everything had settled.
func runLikeBubbleTea(h *harness, cmd tea.Cmd, start time.Time) (rows, settled time.Duration) {
	answers := make(chan tea.Msg)
	pending := 0
	launch := func(c tea.Cmd) {
		if c != nil {
			pending++
			go func() { answers <- c() }()
		}
	}
	launch(cmd)
	for pending > 0 {
		msg := <-answers
		pending--
		switch msg := msg.(type) {
		case nil:
		case tea.BatchMsg:
			for _, c := range msg {
				launch(c)
			}
		default:
			if isTerminalMsg(msg) {
				continue
			}
			_, next := h.m.Update(msg)
			if r, ok := msg.(rowsMsg); ok && r.kind == paneContacts && rows == 0 {
				_ = h.m.View()
				rows = time.Since(start)
			}
			launch(next)
		}
	}
	_ = h.m.View()
	return rows, time.Since(start)
}

func p95(d []time.Duration) float64 {
	slices.Sort(d)
	return ms(d[len(d)*95/100])
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// warmMirror fills a mirror in a temporary directory by a full sync of an
// n-contact sandbox portal, then lets the sandbox go, so that what stays in
// memory afterwards is the console's.
func warmMirror(b *testing.B, n int) (dir string, hubID int64, users int) {
	b.Helper()
	dir = b.TempDir()
	sb := hubspottest.New(hubspottest.Config{Contacts: n})
	srv := httptest.NewServer(sb)
	client := hubspot.New(hubspot.WithBaseURL(srv.URL), hubspot.WithAccessToken(sb.IssueToken()),
		hubspot.WithSearchRate(0), hubspot.WithRateBudget(0, 0))
	ctx := context.Background()
	p, _, err := portal.Open(ctx, portal.Config{Client: client, DataDir: dir, HubID: sb.HubID(), Sandbox: true})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if err := p.FullSync(ctx, nil); err != nil {
		b.Fatal(err)
	}
	if got, _ := p.CountContacts(ctx, portal.Query{}); got != n {
		b.Fatalf("%d contacts mirrored, want %d", got, n)
	}
	b.Logf("mirror of %d contacts built in %v", n, time.Since(start).Round(time.Second))
	p.Close()
	srv.Close()
	return dir, sb.HubID(), sb.Summary().Users
}

// procStatus reads a size field of /proc/self/status (Linux), in bytes.
func procStatus(field string) (uint64, bool) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, field); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10, err == nil
		}
	}
	return 0, false
}
