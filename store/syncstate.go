package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Sync phases with their own state.
const (
	PhaseDirectory = "directory" // users, roles, teams, owners, CRM user records
	PhaseContacts  = "contacts"
)

// SyncState is where syncing one phase got to.
type SyncState struct {
	Phase string
	// Cursor was the one paging cursor of an unfinished full sync. Full
	// syncs now keep a cursor per ID range (SyncRanges); migration 0003
	// moved any saved cursor there, and it is no longer written.
	Cursor     string
	InProgress bool
	// Generation numbers full syncs, so that a finished one can drop the
	// rows it never saw (records deleted in HubSpot).
	Generation   int64
	LastFullSync time.Time // zero: never finished
	LastSync     time.Time // full or incremental
	// HighWater: records modified at or after it may not be mirrored yet;
	// an incremental sync asks for those.
	HighWater time.Time
}

// SyncState reads a phase's state; a phase never synced has a zero state.
func (m *Mirror) SyncState(ctx context.Context, phase string) (SyncState, error) {
	return readSyncState(ctx, m.db, phase)
}

type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func readSyncState(ctx context.Context, q queryRower, phase string) (SyncState, error) {
	st := SyncState{Phase: phase}
	var inProgress int
	var full, last, high int64
	err := q.QueryRowContext(ctx, `SELECT cursor, in_progress, generation, last_full_sync, last_sync, high_water FROM sync_state WHERE phase = ?`, phase).
		Scan(&st.Cursor, &inProgress, &st.Generation, &full, &last, &high)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	st.InProgress = inProgress != 0
	st.LastFullSync, st.LastSync, st.HighWater = msTime(full), msTime(last), msTime(high)
	return st, nil
}

// SaveSyncState stores a phase's state.
func (m *Mirror) SaveSyncState(ctx context.Context, st SyncState) error {
	// In a transaction of its own, so that it takes its turn behind the
	// sync's long transactions (inTx) instead of racing them for SQLite's
	// lock on the busy timeout.
	return inTx(ctx, m.db, func(tx *sql.Tx) error { return saveSyncState(ctx, tx, st) })
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func saveSyncState(ctx context.Context, x execer, st SyncState) error {
	_, err := x.ExecContext(ctx, `INSERT INTO sync_state (phase, cursor, in_progress, generation, last_full_sync, last_sync, high_water)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (phase) DO UPDATE SET cursor = excluded.cursor, in_progress = excluded.in_progress,
			generation = excluded.generation, last_full_sync = excluded.last_full_sync,
			last_sync = excluded.last_sync, high_water = excluded.high_water`,
		st.Phase, st.Cursor, boolInt(st.InProgress), st.Generation, timeMs(st.LastFullSync), timeMs(st.LastSync), timeMs(st.HighWater))
	return err
}

// msTime turns unix milliseconds into a time; 0 is the zero time.
func msTime(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

func timeMs(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
