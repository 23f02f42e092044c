package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/portal"
)

// While the client waits for HubSpot's rate limit, the sync's status line
// says so and counts the wait down, beside the ETA the limit allows.
func TestSyncLineSaysItWaitsForTheRateLimit(t *testing.T) {
	h := demo(t, 160, 48)
	now := h.m.now()
	h.m.syncing, h.m.syncReported = true, now
	h.m.syncProgress = portal.SyncProgress{Phase: "contacts", Done: 900, Total: 3000, ETA: 21 * time.Second,
		RateWait: now.Add(4200 * time.Millisecond)}
	h.m.version++
	line := statusLine(h)
	if !strings.Contains(line, "900/3,000 waiting for HubSpot's rate limit (5 s) eta 21s") {
		t.Errorf("status line %q", line)
	}
	h.m.now = func() time.Time { return now.Add(3 * time.Second) }
	h.m.version++
	if line := statusLine(h); !strings.Contains(line, "rate limit (2 s) eta 18s") {
		t.Errorf("the wait and the ETA do not count down: %q", line)
	}
	h.m.now = func() time.Time { return now.Add(5 * time.Second) }
	h.m.version++
	if line := statusLine(h); strings.Contains(line, "rate limit") {
		t.Errorf("a wait that has ended is still shown: %q", line)
	}
}

// A running job paused by the rate limit says so instead of sitting at
// its count with "ETA 0s".
func TestJobProgressSaysItWaitsForTheRateLimit(t *testing.T) {
	h := demo(t, 120, 40)
	now := h.m.now()
	f := &reassignFlow{stage: rsRunning, who: "Gus Hale's contacts", jobID: 3}
	f.progress = portal.JobProgress{JobID: 3, Done: 1263, Total: 1622, PerSecond: 120, ETA: 5 * time.Second,
		RateWait: now.Add(5 * time.Second)}
	body := strings.Join(h.m.progressBody(f, 80), "\n")
	for _, want := range []string{"done      1,263 / 1,622 contacts", "ETA       5s", "paused: waiting for HubSpot's rate limit (5 s)"} {
		if !strings.Contains(body, want) {
			t.Errorf("progress view lacks %q:\n%s", want, body)
		}
	}
}
