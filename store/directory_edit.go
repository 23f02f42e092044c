package store

import (
	"context"
	"database/sql"

	"github.com/hsadmin/hsadmin/hubspot"
)

// TeamRef is a team with its name.
type TeamRef struct {
	ID   hubspot.TeamID
	Name string
}

// RoleList lists the portal's roles by name.
func (m *Mirror) RoleList(ctx context.Context) ([]hubspot.Role, error) {
	rows, err := m.db.QueryContext(ctx, `SELECT id, name, requires_billing_write FROM roles ORDER BY name COLLATE NOCASE, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hubspot.Role
	for rows.Next() {
		var r hubspot.Role
		var billing int
		if err := rows.Scan(&r.ID, &r.Name, &billing); err != nil {
			return nil, err
		}
		r.RequiresBillingWrite = billing != 0
		out = append(out, r)
	}
	return out, rows.Err()
}

// TeamList lists the portal's teams by name.
func (m *Mirror) TeamList(ctx context.Context) ([]TeamRef, error) {
	rows, err := m.db.QueryContext(ctx, `SELECT id, name FROM teams ORDER BY name COLLATE NOCASE, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TeamRef
	for rows.Next() {
		var t TeamRef
		if err := rows.Scan(&t.ID, &t.Name); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// PutUser replaces one Settings user, with their roles and teams, by u as
// HubSpot reported it: how a write's read-back reaches the mirror without
// waiting for the next sync.
func (m *Mirror) PutUser(ctx context.Context, u hubspot.User) error {
	return inTx(ctx, m.db, func(tx *sql.Tx) error {
		for _, table := range []string{"user_roles", "user_teams"} {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE user_id = ?", string(u.ID)); err != nil {
				return err
			}
		}
		return insertUsers(ctx, tx, []hubspot.User{u})
	})
}

// HoldsRole reports whether the mirror shows user holding role.
func (m *Mirror) HoldsRole(ctx context.Context, user hubspot.UserID, role hubspot.RoleID) (bool, error) {
	return m.exists(ctx, `SELECT 1 FROM user_roles WHERE user_id = ? AND role_id = ?`, string(user), string(role))
}
