package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
)

// Departure is when and by which job a person was offboarded.
type Departure struct {
	JobID    int64
	At       time.Time
	KeptUser bool // the Settings user was kept (offboarded with --keep-user)
}

// RecordDeparture writes what an offboarding job did to the mirror at
// once, without waiting for a sync: the person's departure, and unless
// the user was kept, the user gone and their owner archived (as HubSpot
// archives it on removal, userIdIncludingInactive kept).
func (m *Mirror) RecordDeparture(ctx context.Context, user hubspot.UserID, owner hubspot.OwnerID, d Departure) error {
	return inTx(ctx, m.db, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO departures (user_id, owner_id, job_id, left_at, kept_user) VALUES (?, ?, ?, ?, ?)`,
			string(user), string(owner), d.JobID, d.At.UnixMilli(), boolInt(d.KeptUser)); err != nil {
			return err
		}
		if d.KeptUser {
			return nil
		}
		for _, table := range []string{"user_roles", "user_teams"} {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE user_id = ?", string(user)); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM users WHERE id = ?`, string(user)); err != nil {
			return err
		}
		if owner == "" {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM owner_teams WHERE owner_id = ?`, string(owner)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE owners SET archived = 1, user_id = '', updated_at = ? WHERE id = ?`, d.At.UnixMilli(), string(owner))
		return err
	})
}

// departureOf is the latest departure of a user or owner; nil when none.
func (m *Mirror) departureOf(ctx context.Context, user hubspot.UserID, owner hubspot.OwnerID) (*Departure, error) {
	var d Departure
	var at int64
	var kept int
	err := m.db.QueryRowContext(ctx, `SELECT job_id, left_at, kept_user FROM departures
		WHERE (user_id = ? AND user_id <> '') OR (owner_id = ? AND owner_id <> '') ORDER BY left_at DESC, job_id DESC LIMIT 1`,
		string(user), string(owner)).Scan(&d.JobID, &at, &kept)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	d.At, d.KeptUser = time.UnixMilli(at), kept != 0
	return &d, nil
}
