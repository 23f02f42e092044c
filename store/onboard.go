package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"github.com/hsadmin/hsadmin/hubspot"
)

// joinSeats stores seat names one a line: names hold spaces and could hold
// commas, never a line break.
func joinSeats(seats []string) string { return strings.Join(seats, "\n") }

func splitSeats(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// PutOwner inserts or replaces one owner, with its teams, as HubSpot
// reported it: how the owner HubSpot makes with a new user reaches the
// mirror without waiting for the next sync.
func (m *Mirror) PutOwner(ctx context.Context, o hubspot.Owner) error {
	return inTx(ctx, m.db, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM owner_teams WHERE owner_id = ?`, string(o.ID)); err != nil {
			return err
		}
		return insertOwners(ctx, tx, []hubspot.Owner{o})
	})
}

// SeatNamesHeld lists the distinct seat names the mirror's users hold, in
// name order: what completion can offer without asking HubSpot.
func (m *Mirror) SeatNamesHeld(ctx context.Context) ([]string, error) {
	rows, err := m.db.QueryContext(ctx, `SELECT DISTINCT seat_names FROM users WHERE seat_names != ''`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	seen := map[string]bool{}
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		for _, name := range splitSeats(s) {
			if !seen[name] {
				seen[name] = true
				out = append(out, name)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.Sort(out)
	return out, nil
}
