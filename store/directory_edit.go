package store

import (
	"context"
	"database/sql"
	"errors"

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
		if err := insertUsers(ctx, tx, []hubspot.User{u}); err != nil {
			return err
		}
		return putOwnerTeams(ctx, tx, u)
	})
}

// putOwnerTeams gives u's active owner u's teams: HubSpot derives an
// owner's teams from its user's memberships, so the owner's card and row
// show a team change without another request.
func putOwnerTeams(ctx context.Context, tx *sql.Tx, u hubspot.User) error {
	var owner string
	err := tx.QueryRowContext(ctx, `SELECT id FROM owners WHERE user_id = ? AND archived = 0 LIMIT 1`, string(u.ID)).Scan(&owner)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // a user without an owner: nothing to show elsewhere
	}
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM owner_teams WHERE owner_id = ?`, owner); err != nil {
		return err
	}
	teams := append([]hubspot.TeamID{u.PrimaryTeamID}, u.SecondaryTeamIDs...)
	for i, t := range teams {
		if t == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO owner_teams (owner_id, team_id, name, is_primary)
			VALUES (?, ?, COALESCE((SELECT name FROM teams WHERE id = ?), ?), ?)`,
			owner, string(t), string(t), string(t), boolInt(i == 0)); err != nil {
			return err
		}
	}
	return nil
}

// HoldsRole reports whether the mirror shows user holding role.
func (m *Mirror) HoldsRole(ctx context.Context, user hubspot.UserID, role hubspot.RoleID) (bool, error) {
	return m.exists(ctx, `SELECT 1 FROM user_roles WHERE user_id = ? AND role_id = ?`, string(user), string(role))
}
