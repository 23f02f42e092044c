package ui

import (
	"context"
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/portal"
)

type syncProgressMsg struct {
	run int
	p   portal.SyncProgress
	ch  <-chan portal.SyncProgress
}

type syncDoneMsg struct {
	run int
	err error
}

// startSync runs Sync in a Cmd and listens to its progress channel with a
// second Cmd that re-arms after every message (Sync never closes the channel;
// the Cmd does once Sync returns).
func (m *model) startSync() tea.Cmd {
	m.stopSync()
	m.syncRun++
	m.syncing = true
	m.syncBackground = false
	m.syncStage, m.syncFilled, m.syncContacts = stageDirectory, time.Time{}, portal.SyncProgress{}
	m.syncProgress = portal.SyncProgress{Phase: "starting", Total: -1}
	ctx, cancel := context.WithCancel(m.ctx)
	m.syncCancel = cancel
	ch := make(chan portal.SyncProgress, 16)
	run, b := m.syncRun, m.b
	sync := func() tea.Msg {
		err := b.Sync(ctx, ch)
		close(ch)
		return syncDoneMsg{run: run, err: err}
	}
	return tea.Batch(sync, listenSync(run, ch))
}

func listenSync(run int, ch <-chan portal.SyncProgress) tea.Cmd {
	return func() tea.Msg {
		p, ok := <-ch
		if !ok {
			return nil
		}
		return syncProgressMsg{run: run, p: p, ch: ch}
	}
}

func (m *model) stopSync() {
	if m.syncCancel != nil {
		m.syncCancel()
		m.syncCancel = nil
	}
}

func (m *model) applySyncProgress(msg syncProgressMsg) (tea.Cmd, bool) {
	next := listenSync(msg.run, msg.ch)
	if msg.run != m.syncRun {
		return next, false // drain an abandoned run's channel
	}
	m.syncProgress, m.syncReported = msg.p, m.now()
	return tea.Batch(next, m.fillDuringSync(msg.p)), true
}

func (m *model) applySyncDone(msg syncDoneMsg) tea.Cmd {
	if msg.run != m.syncRun {
		return nil
	}
	m.syncing = false
	m.stopSync()
	if m.syncBackground {
		m.backgroundSyncDone(msg.err)
		if msg.err != nil {
			return nil
		}
		return tea.Batch(m.refreshAll(), m.loadLastSync())
	}
	if msg.err != nil {
		if errors.Is(msg.err, context.Canceled) {
			m.msg = "sync cancelled"
		} else {
			m.setErr("sync failed", msg.err)
		}
		return nil
	}
	m.msg = "sync finished"
	// Everything on screen came from the mirror before the sync.
	return tea.Batch(m.refreshAll(), m.loadLastSync())
}
