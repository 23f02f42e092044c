package ui

import (
	"context"
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/portal/explain"
)

// Background refresh: while the console is open it syncs incrementally
// every Options.RefreshEvery, so owner mappings do not go stale as people
// are deactivated in HubSpot. One tick chain (through m.tick and m.now, the
// console's clock, which tests replace) also keeps the status line's
// "synced 3 min ago" current.
//
// The next refresh is due RefreshEvery after the later of the mirror's last
// sync and the last attempt, so a manual `r` pushes it back and a failing
// network is not retried at every tick. It never starts while a sync runs
// (manual or not), while a job writes, or while a dialog waits for an
// answer; it waits for them and then goes.

// clockTick is the longest the tick chain sleeps: the age in the status
// line counts minutes.
const clockTick = time.Minute

// refreshRetry is how soon a due refresh that was paused looks again.
const refreshRetry = 10 * time.Second

type clockTickMsg struct{}

// armClock schedules the next clock tick unless one is armed.
func (m *model) armClock() tea.Cmd {
	if m.clockArmed {
		return nil
	}
	wait := clockTick
	if m.opts.RefreshEvery > 0 {
		if d := m.refreshDue().Sub(m.now()); d < wait {
			wait = max(d, 0)
		}
		if wait == 0 && m.refreshPaused() != "" {
			wait = refreshRetry
		}
	}
	m.clockArmed = true
	return m.tick(max(wait, time.Second), func(time.Time) tea.Msg { return clockTickMsg{} })
}

// applyClockTick redraws the age and starts a refresh that is due.
func (m *model) applyClockTick() tea.Cmd {
	m.clockArmed = false
	var start tea.Cmd
	if m.opts.RefreshEvery > 0 && !m.now().Before(m.refreshDue()) && m.refreshPaused() == "" {
		start = m.startBackgroundRefresh()
	}
	return tea.Batch(start, m.armClock())
}

// refreshDue is when the next background refresh should start.
func (m *model) refreshDue() time.Time {
	from := m.lastSync
	if m.refreshTried.After(from) {
		from = m.refreshTried
	}
	if from.IsZero() {
		from = m.opened
	}
	return from.Add(m.opts.RefreshEvery)
}

// refreshPaused says why a background refresh must wait, "" when it may
// run now.
func (m *model) refreshPaused() string {
	switch {
	case m.syncing:
		return "a sync is running"
	case m.switching != "":
		return "a portal is opening"
	case m.reassign != nil:
		return "a reassignment is open"
	case m.change != nil:
		return "a team or role change is open"
	case m.confirm != nil || m.interrupt != nil:
		return "a question is open"
	}
	if what, _ := m.runningWrite(); what != "" {
		return what + " is running"
	}
	return ""
}

// startBackgroundRefresh starts an incremental sync that leaves the
// admin's messages alone when it succeeds.
func (m *model) startBackgroundRefresh() tea.Cmd {
	m.refreshTried = m.now()
	cmd := m.startSync()
	m.syncBackground = true
	return cmd
}

// backgroundSyncDone reports the end of a background refresh: quietly
// when it worked (the status line's age says so), as a message (not an
// error that stays) when it did not, since the next one tries again.
func (m *model) backgroundSyncDone(err error) {
	m.syncBackground = false
	switch {
	case err == nil:
	case errors.Is(err, context.Canceled):
	default:
		m.msg = fmt.Sprintf("background refresh failed: %s; the next try is in %s",
			explain.ForPortal(err, m.opts.PortalName), ageWords(m.opts.RefreshEvery))
	}
}

// syncedAge is the status line's "synced 3 min ago".
func (m *model) syncedAge() string {
	if m.lastSync.IsZero() {
		return ""
	}
	d := m.now().Sub(m.lastSync)
	if d < time.Minute {
		return "synced just now"
	}
	return "synced " + ageWords(d) + " ago"
}

// ageWords says a duration the way the status line counts: minutes, then
// hours, then days, rounded down.
func ageWords(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d/time.Hour))
	}
	return fmt.Sprintf("%d days", int(d/(24*time.Hour)))
}
