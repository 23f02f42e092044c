package store

import (
	"context"
	"database/sql"

	"github.com/hsadmin/hsadmin/hubspot"
)

// SyncRange is one ID range of a full sync that lists several ranges at
// once. The ranges of a full sync partition the ID space, so that when all
// are done every record was listed.
type SyncRange struct {
	ID     int
	Lo, Hi uint64 // the IDs in [Lo, Hi); Hi 0: no upper bound
	// Cursor is the after of the range's next page; "" is the list's start.
	Cursor string
	Done   bool
}

// RangeProgress is where one written page left its range.
type RangeProgress struct {
	Phase  string
	Range  int    // SyncRange.ID
	Cursor string // the after of the range's next page
	Done   bool   // the range was listed to its end with this page
}

// SyncRanges reads the ranges of a phase's unfinished full sync, by Lo;
// none when no full sync is under way (or it predates ranges and was not
// yet paging).
func (m *Mirror) SyncRanges(ctx context.Context, phase string) ([]SyncRange, error) {
	rows, err := m.db.QueryContext(ctx, `SELECT id, lo, hi, cursor, done FROM sync_ranges WHERE phase = ? ORDER BY lo, id`, phase)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SyncRange
	for rows.Next() {
		var r SyncRange
		var lo, hi int64
		var done int
		if err := rows.Scan(&r.ID, &lo, &hi, &r.Cursor, &done); err != nil {
			return nil, err
		}
		r.Lo, r.Hi, r.Done = uint64(lo), uint64(hi), done != 0
		out = append(out, r)
	}
	return out, rows.Err()
}

// The index of contacts by owner is dropped while a full sync writes every
// contact and built again when it finishes: the owners of a page's contacts
// are scattered over the index, so keeping it up to date page by page
// writes several times more pages than the contacts themselves (a full sync
// runs 2.5 times faster without it). Queries by owner still work meanwhile,
// by scanning; owner counts are kept by triggers, not the index.
const (
	dropOwnerIndex   = `DROP INDEX IF EXISTS contacts_owner`
	createOwnerIndex = `CREATE INDEX IF NOT EXISTS contacts_owner ON contacts (owner_id)` // as in 0001_init.sql
)

// StartFullSync saves st and replaces the phase's ranges with ranges, in
// one transaction: a full sync (re)planned is never half recorded.
func (m *Mirror) StartFullSync(ctx context.Context, st SyncState, ranges []SyncRange) error {
	return inTx(ctx, m.db, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, dropOwnerIndex); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sync_ranges WHERE phase = ?`, st.Phase); err != nil {
			return err
		}
		for _, r := range ranges {
			if err := insertSyncRange(ctx, tx, st.Phase, r); err != nil {
				return err
			}
		}
		return saveSyncState(ctx, tx, st)
	})
}

// SplitSyncRange ends range id at added.Lo and records added, which takes
// over the rest of it. One transaction, so the ranges always cover the
// whole ID space.
func (m *Mirror) SplitSyncRange(ctx context.Context, phase string, id int, added SyncRange) error {
	return inTx(ctx, m.db, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE sync_ranges SET hi = ? WHERE phase = ? AND id = ?`, int64(added.Lo), phase, id); err != nil {
			return err
		}
		return insertSyncRange(ctx, tx, phase, added)
	})
}

func insertSyncRange(ctx context.Context, x execer, phase string, r SyncRange) error {
	_, err := x.ExecContext(ctx, `INSERT INTO sync_ranges (phase, id, lo, hi, cursor, done) VALUES (?, ?, ?, ?, ?, ?)`,
		phase, r.ID, int64(r.Lo), int64(r.Hi), r.Cursor, boolInt(r.Done))
	return err
}

// PutRangeContacts stores one page of a range, as PutContacts does, and
// moves the range's cursor in the same transaction, so that a saved cursor
// never runs ahead of the rows.
func (m *Mirror) PutRangeContacts(ctx context.Context, contacts []hubspot.Contact, gen int64, rp RangeProgress) error {
	return inTx(ctx, m.db, func(tx *sql.Tx) error {
		if err := upsertContacts(ctx, tx, contacts, gen); err != nil {
			return err
		}
		return saveRangeProgress(ctx, tx, rp)
	})
}

func saveRangeProgress(ctx context.Context, x execer, rp RangeProgress) error {
	_, err := x.ExecContext(ctx, `UPDATE sync_ranges SET cursor = ?, done = ? WHERE phase = ? AND id = ?`,
		rp.Cursor, boolInt(rp.Done), rp.Phase, rp.Range)
	return err
}

// FinishFullSync ends the full sync st.Generation: the contacts it never
// saw (deleted or archived in HubSpot) are dropped, its ranges forgotten,
// the owner index built again and st saved, in one transaction. It returns how many contacts were dropped.
func (m *Mirror) FinishFullSync(ctx context.Context, st SyncState) (int64, error) {
	var dropped int64
	err := inTx(ctx, m.db, func(tx *sql.Tx) error {
		if err := dropContactOwnersBefore(ctx, tx, st.Generation); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM contacts WHERE sync_gen < ?`, st.Generation)
		if err != nil {
			return err
		}
		if dropped, err = res.RowsAffected(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sync_ranges WHERE phase = ?`, st.Phase); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, createOwnerIndex); err != nil {
			return err
		}
		return saveSyncState(ctx, tx, st)
	})
	return dropped, err
}
