package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
)

// RestoreItem is one role HubSpot dropped from a user during a change made
// by hsadmin, to be given back in HubSpot's UI. It is open until a sync shows
// the user holding the role again.
type RestoreItem struct {
	ID         int64
	JobID      int64
	UserID     hubspot.UserID
	UserName   string
	UserEmail  string
	RoleID     hubspot.RoleID
	RoleName   string
	Link       string // the user's page in HubSpot's settings
	DroppedAt  time.Time
	RestoredAt time.Time // zero while open
	// RestoredHow says how the item was ticked off: RestoredAtSync or
	// RestoredByHand; RestoredBy names who ticked it by hand.
	RestoredHow string
	RestoredBy  string
}

// How a checklist item was ticked off.
const (
	RestoredAtSync = "sync" // a sync saw the user holding the role again
	RestoredByHand = "hand" // an admin ticked it off
)

// Open reports whether the role still has to be given back.
func (r RestoreItem) Open() bool { return r.RestoredAt.IsZero() }

// AddRestoreItems records dropped roles in one transaction. ID and
// RestoredAt of the arguments are ignored; a zero DroppedAt means now. A
// role already listed for the same job and user is not listed again.
func (j *Journal) AddRestoreItems(ctx context.Context, items []RestoreItem) error {
	if len(items) == 0 {
		return nil
	}
	return inTx(ctx, j.db, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO restore_items
			(job_id, user_id, user_name, user_email, role_id, role_name, link, dropped_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		now := time.Now()
		for _, it := range items {
			at := it.DroppedAt
			if at.IsZero() {
				at = now
			}
			if _, err := stmt.ExecContext(ctx, it.JobID, string(it.UserID), it.UserName, it.UserEmail,
				string(it.RoleID), it.RoleName, it.Link, at.UnixMilli()); err != nil {
				return err
			}
		}
		return nil
	})
}

// RestoreItems lists the checklist, open items first, then newest first.
// withRestored false leaves ticked-off items out.
func (j *Journal) RestoreItems(ctx context.Context, withRestored bool) ([]RestoreItem, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT id, job_id, user_id, user_name, user_email, role_id, role_name, link, dropped_at, restored_at,
		restored_how, restored_by
		FROM restore_items WHERE ? OR restored_at IS NULL
		ORDER BY restored_at IS NOT NULL, dropped_at DESC, user_name COLLATE NOCASE, id`, withRestored)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RestoreItem
	for rows.Next() {
		var it RestoreItem
		var dropped int64
		var restored sql.NullInt64
		if err := rows.Scan(&it.ID, &it.JobID, &it.UserID, &it.UserName, &it.UserEmail, &it.RoleID, &it.RoleName,
			&it.Link, &dropped, &restored, &it.RestoredHow, &it.RestoredBy); err != nil {
			return nil, err
		}
		it.DroppedAt = time.UnixMilli(dropped)
		if restored.Valid {
			it.RestoredAt = time.UnixMilli(restored.Int64)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// TickRestored marks open items ticked off at at when holds reports that
// their user has the role again, and returns how many it ticked. holds is
// typically a lookup in the freshly synced mirror.
func (j *Journal) TickRestored(ctx context.Context, at time.Time, holds func(hubspot.UserID, hubspot.RoleID) bool) (int, error) {
	open, err := j.RestoreItems(ctx, false)
	if err != nil {
		return 0, err
	}
	var ids []int64
	for _, it := range open {
		if holds(it.UserID, it.RoleID) {
			ids = append(ids, it.ID)
		}
	}
	if len(ids) == 0 {
		return 0, nil
	}
	err = inTx(ctx, j.db, func(tx *sql.Tx) error {
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE restore_items SET restored_at = ?, restored_how = ? WHERE id = ? AND restored_at IS NULL`, at.UnixMilli(), RestoredAtSync, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(ids), nil
}

// ErrNoSuchRestoreItem is returned for an item ID the checklist does not hold.
var ErrNoSuchRestoreItem = errors.New("no such item on the restore checklist")

// TickByHand ticks off the open items with the given IDs at at, recorded
// as ticked by hand by who, in one transaction, and returns those it
// ticked; items already ticked off are left as they are. An unknown ID
// ticks nothing.
func (j *Journal) TickByHand(ctx context.Context, ids []int64, who string, at time.Time) ([]int64, error) {
	var ticked []int64
	err := inTx(ctx, j.db, func(tx *sql.Tx) error {
		ticked = nil
		for _, id := range ids {
			var open bool
			err := tx.QueryRowContext(ctx, `SELECT restored_at IS NULL FROM restore_items WHERE id = ?`, id).Scan(&open)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("item %d: %w", id, ErrNoSuchRestoreItem)
			}
			if err != nil {
				return err
			}
			if !open || slices.Contains(ticked, id) {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE restore_items SET restored_at = ?, restored_how = ?, restored_by = ? WHERE id = ?`,
				at.UnixMilli(), RestoredByHand, who, id); err != nil {
				return err
			}
			ticked = append(ticked, id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ticked, nil
}
