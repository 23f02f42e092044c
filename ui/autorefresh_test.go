package ui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/portal"
	"github.com/hsadmin/hsadmin/ui/uitest"
)

// fakeClock stands in for the console's clock (m.now, m.tick): time moves
// only when the test says so, and ticks fire as it passes them.
type fakeClock struct {
	mu      sync.Mutex
	t       time.Time
	pending []pendingTick
}

type pendingTick struct {
	at time.Time
	fn func(time.Time) tea.Msg
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *fakeClock) tick(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	c.mu.Lock()
	c.pending = append(c.pending, pendingTick{c.t.Add(d), fn})
	c.mu.Unlock()
	return nil
}

// advance moves the clock by d in steps, delivering each tick that falls
// due to the console, in order, as Bubble Tea would.
func (c *fakeClock) advance(h *harness, d time.Duration) {
	h.t.Helper()
	end := c.now().Add(d)
	for {
		c.mu.Lock()
		next := -1
		for i, p := range c.pending {
			if !p.at.After(end) && (next < 0 || p.at.Before(c.pending[next].at)) {
				next = i
			}
		}
		if next < 0 {
			c.t = end
			c.mu.Unlock()
			return
		}
		p := c.pending[next]
		c.pending = append(c.pending[:next], c.pending[next+1:]...)
		if p.at.After(c.t) {
			c.t = p.at
		}
		c.mu.Unlock()
		h.send(p.fn(p.at))
	}
}

// clockedFake is the fake portal whose last sync is when its last Sync
// ended by the fake clock.
type clockedFake struct {
	*uitest.Fake
	clock *fakeClock
	mu    sync.Mutex
	last  time.Time
}

func (b *clockedFake) Sync(ctx context.Context, ch chan<- portal.SyncProgress) error {
	err := b.Fake.Sync(ctx, ch)
	if err == nil {
		b.mu.Lock()
		b.last = b.clock.now()
		b.mu.Unlock()
	}
	return err
}

func (b *clockedFake) LastSync(context.Context) (time.Time, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.last, nil
}

var refreshStart = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// refreshConsole opens the console on a fake synced at refreshStart, with
// the fake clock at refreshStart.
func refreshConsole(t *testing.T, every time.Duration) (*harness, *fakeClock, *clockedFake) {
	t.Helper()
	clock := &fakeClock{t: refreshStart}
	fake := uitest.New(uitest.Config{SyncSteps: 1})
	b := &clockedFake{Fake: fake, clock: clock, last: refreshStart}
	m := newModel(context.Background(), b, Options{RefreshEvery: every, dir: t.TempDir()})
	m.tick, m.now, m.loc = clock.tick, clock.now, time.UTC
	h := &harness{t: t, m: m, fake: fake}
	h.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	h.run(m.Init())
	return h, clock, b
}

func statusLine(h *harness) string {
	lines := strings.Split(strings.TrimRight(h.screen(), "\n"), "\n")
	return lines[len(lines)-1]
}

func TestBackgroundRefreshRunsEveryInterval(t *testing.T) {
	h, clock, b := refreshConsole(t, 5*time.Minute)
	if got := statusLine(h); !strings.Contains(got, "synced just now") {
		t.Fatalf("status line %q does not say the mirror is fresh", got)
	}
	clock.advance(h, 3*time.Minute)
	if got := statusLine(h); !strings.Contains(got, "synced 3 min ago") {
		t.Errorf("after 3 minutes the status line says %q", got)
	}
	clock.advance(h, time.Minute+59*time.Second)
	if n := b.Syncs(); n != 0 {
		t.Fatalf("%d syncs before the interval was up", n)
	}
	clock.advance(h, time.Second)
	if n := b.Syncs(); n != 1 {
		t.Fatalf("%d syncs when the interval was up, want 1", n)
	}
	if got := statusLine(h); !strings.Contains(got, "synced just now") || strings.Contains(got, "sync finished") {
		t.Errorf("after a background refresh the status line says %q, want the age and no message", got)
	}
	clock.advance(h, 5*time.Minute)
	if n := b.Syncs(); n != 2 {
		t.Errorf("%d syncs after two intervals, want 2", n)
	}
}

func TestBackgroundRefreshOff(t *testing.T) {
	h, clock, b := refreshConsole(t, 0)
	clock.advance(h, 3*time.Hour)
	if n := b.Syncs(); n != 0 {
		t.Errorf("%d background syncs with refresh off", n)
	}
	if got := statusLine(h); !strings.Contains(got, "synced 3 h ago") {
		t.Errorf("status line %q: the age still counts with refresh off", got)
	}
}

// A manual r starts the interval again: the background refresh never
// follows right on its heels, nor runs beside it.
func TestManualRefreshPushesTheNextOneBack(t *testing.T) {
	h, clock, b := refreshConsole(t, 5*time.Minute)
	clock.advance(h, 3*time.Minute)
	h.keys("r")
	if n := b.Syncs(); n != 1 {
		t.Fatalf("%d syncs after r, want 1", n)
	}
	clock.advance(h, 4*time.Minute) // 7 min: 5 after start, 4 after r
	if n := b.Syncs(); n != 1 {
		t.Errorf("%d syncs 4 minutes after r, want still 1", n)
	}
	clock.advance(h, time.Minute)
	if n := b.Syncs(); n != 2 {
		t.Errorf("%d syncs 5 minutes after r, want 2", n)
	}
}

// A sync still running when the refresh falls due is not doubled.
func TestBackgroundRefreshWaitsForARunningSync(t *testing.T) {
	h, clock, _ := refreshConsole(t, 5*time.Minute)
	h.m.syncing = true // a manual sync whose end has not arrived yet
	run := h.m.syncRun
	clock.advance(h, 6*time.Minute)
	if h.m.syncRun != run {
		t.Fatalf("a background refresh started beside a running sync")
	}
	h.m.syncing = false
	clock.advance(h, refreshRetry)
	if h.m.syncRun == run {
		t.Errorf("the refresh did not start once the sync had ended")
	}
}

// While a dialog asks something (here the reassignment's owner picker),
// the refresh waits, and goes once it is closed.
func TestBackgroundRefreshWaitsForAnOpenDialog(t *testing.T) {
	h, clock, b := refreshConsole(t, 5*time.Minute)
	h.keys("3", "esc", "o")
	if h.m.reassign == nil {
		t.Fatalf("o opened no reassignment:\n%s", h.screen())
	}
	clock.advance(h, 10*time.Minute)
	if n := b.Syncs(); n != 0 {
		t.Fatalf("%d syncs while the reassignment dialog was open", n)
	}
	h.keys("esc")
	if h.m.reassign != nil {
		t.Fatalf("esc left the dialog open:\n%s", h.screen())
	}
	clock.advance(h, refreshRetry)
	if n := b.Syncs(); n != 1 {
		t.Errorf("%d syncs after the dialog closed, want 1", n)
	}
}

// After a background refresh the cursor is on the record it was on.
func TestBackgroundRefreshKeepsPlace(t *testing.T) {
	for _, tc := range []struct {
		keys []string
		down int
	}{{[]string{"1"}, 2}, {[]string{"2"}, 3}, {[]string{"3", "esc"}, 7}} {
		t.Run(tc.keys[0], func(t *testing.T) {
			h, clock, b := refreshConsole(t, 5*time.Minute)
			h.keys(tc.keys...)
			for range tc.down {
				h.keys("j")
			}
			p := h.m.currentPane()
			on := p.current().key()
			clock.advance(h, 5*time.Minute)
			if b.Syncs() != 1 {
				t.Fatal("no background refresh")
			}
			if got := p.current(); got == nil || got.key() != on {
				t.Errorf("cursor on %v after the refresh, want %s", got, on)
			}
		})
	}
}

func TestBackgroundRefreshFailureIsAMessage(t *testing.T) {
	h, clock, b := refreshConsole(t, 5*time.Minute)
	clock.advance(h, 4*time.Minute)
	b.FailNext(context.DeadlineExceeded)
	clock.advance(h, time.Minute)
	if got := h.m.msg; !strings.HasPrefix(got, "background refresh failed: cannot reach HubSpot") || !strings.HasSuffix(got, "the next try is in 5 min") {
		t.Errorf("message %q does not say the refresh failed and when it tries again", got)
	}
	if h.m.err != "" {
		t.Errorf("a failed background refresh left a sticky error %q", h.m.err)
	}
	clock.advance(h, 4*time.Minute)
	if b.Syncs() != 0 {
		t.Errorf("retried before the interval")
	}
	clock.advance(h, time.Minute)
	if b.Syncs() != 1 {
		t.Errorf("%d syncs an interval after the failure, want 1", b.Syncs())
	}
}

func TestAgeWords(t *testing.T) {
	for d, want := range map[time.Duration]string{
		30 * time.Second: "30 s", 90 * time.Second: "1 min", 59 * time.Minute: "59 min",
		2 * time.Hour: "2 h", 47 * time.Hour: "47 h", 72 * time.Hour: "3 days",
	} {
		if got := ageWords(d); got != want {
			t.Errorf("ageWords(%v) = %q, want %q", d, got, want)
		}
	}
}
