package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
)

// Directory is everything about a portal's people except contacts: small
// enough to fetch whole and replace in one transaction.
type Directory struct {
	Users    []hubspot.User
	Roles    []hubspot.Role
	Teams    []hubspot.Team
	Owners   []hubspot.Owner // active and archived; Archived set on the latter
	CRMUsers []hubspot.CRMUser
}

// ReplaceDirectory replaces users, roles, teams, owners and CRM user
// records with d in one transaction, and records the directory phase as
// synced at syncedAt.
func (m *Mirror) ReplaceDirectory(ctx context.Context, d Directory, syncedAt time.Time) error {
	return inTx(ctx, m.db, func(tx *sql.Tx) error {
		for _, table := range []string{"user_roles", "user_teams", "users", "roles", "teams", "owner_teams", "owners", "crm_users"} {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+table); err != nil {
				return err
			}
		}
		if err := insertRolesAndTeams(ctx, tx, d); err != nil {
			return err
		}
		if err := insertUsers(ctx, tx, d.Users); err != nil {
			return err
		}
		if err := insertOwners(ctx, tx, d.Owners); err != nil {
			return err
		}
		if err := insertCRMUsers(ctx, tx, d.CRMUsers); err != nil {
			return err
		}
		st, err := readSyncState(ctx, tx, PhaseDirectory)
		if err != nil {
			return err
		}
		st.LastFullSync, st.LastSync = syncedAt, syncedAt
		return saveSyncState(ctx, tx, st)
	})
}

func insertRolesAndTeams(ctx context.Context, tx *sql.Tx, d Directory) error {
	for _, r := range d.Roles {
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO roles (id, name, requires_billing_write) VALUES (?, ?, ?)`,
			string(r.ID), r.Name, boolInt(r.RequiresBillingWrite)); err != nil {
			return err
		}
	}
	for _, t := range d.Teams {
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO teams (id, name) VALUES (?, ?)`, string(t.ID), t.Name); err != nil {
			return err
		}
	}
	return nil
}

func insertUsers(ctx context.Context, tx *sql.Tx, users []hubspot.User) error {
	for _, u := range users {
		search := lowerJoin(u.Name(), u.Email, string(u.ID))
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO users (id, email, first_name, last_name, name, role_id, primary_team_id, super_admin, search, seat_names)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			string(u.ID), u.Email, u.FirstName, u.LastName, u.Name(), string(u.RoleID), string(u.PrimaryTeamID), boolInt(u.SuperAdmin), search,
			joinSeats(u.SeatNames)); err != nil {
			return err
		}
		for k, r := range u.Roles() {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO user_roles (user_id, role_id, position) VALUES (?, ?, ?)`, string(u.ID), string(r), k); err != nil {
				return err
			}
		}
		if u.PrimaryTeamID != "" {
			if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO user_teams (user_id, team_id, is_primary) VALUES (?, ?, 1)`, string(u.ID), string(u.PrimaryTeamID)); err != nil {
				return err
			}
		}
		for _, t := range u.SecondaryTeamIDs {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO user_teams (user_id, team_id, is_primary) VALUES (?, ?, 0)`, string(u.ID), string(t)); err != nil {
				return err
			}
		}
	}
	return nil
}

func insertOwners(ctx context.Context, tx *sql.Tx, owners []hubspot.Owner) error {
	for _, o := range owners {
		search := lowerJoin(o.Name(), o.Email, string(o.ID), string(o.AnyUserID()))
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO owners (id, email, type, first_name, last_name, name, user_id, user_id_including_inactive, archived, created_at, updated_at, search)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			string(o.ID), o.Email, string(o.Type), o.FirstName, o.LastName, o.Name(), string(o.UserID), string(o.AnyUserID()),
			boolInt(o.Archived), timeMs(o.CreatedAt), timeMs(o.UpdatedAt), search); err != nil {
			return err
		}
		for _, t := range o.Teams {
			if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO owner_teams (owner_id, team_id, name, is_primary) VALUES (?, ?, ?, ?)`,
				string(o.ID), string(t.ID), t.Name, boolInt(t.Primary)); err != nil {
				return err
			}
		}
	}
	return nil
}

func insertCRMUsers(ctx context.Context, tx *sql.Tx, records []hubspot.CRMUser) error {
	for _, r := range records {
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO crm_users (id, email, given_name, family_name, internal_user_id, owner_id, deactivated)
			VALUES (?, ?, ?, ?, ?, ?, ?)`,
			string(r.ID), r.Email(), r.Properties[hubspot.PropUserGivenName], r.Properties[hubspot.PropUserFamilyName],
			string(r.InternalUserID()), string(r.OwnerID()), boolInt(r.Deactivated())); err != nil {
			return err
		}
	}
	return nil
}

// PutContacts inserts or updates contacts in one transaction, marking them
// seen by full sync generation gen, and when st is non-nil saves it in the
// same transaction, so that a saved cursor never runs ahead of the rows.
func (m *Mirror) PutContacts(ctx context.Context, contacts []hubspot.Contact, gen int64, st *SyncState) error {
	return inTx(ctx, m.db, func(tx *sql.Tx) error {
		if err := upsertContacts(ctx, tx, contacts, gen); err != nil {
			return err
		}
		if st != nil {
			return saveSyncState(ctx, tx, *st)
		}
		return nil
	})
}

func upsertContacts(ctx context.Context, tx *sql.Tx, contacts []hubspot.Contact, gen int64) error {
	if len(contacts) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO contacts (id, first_name, last_name, email, owner_id, last_modified, search, sync_gen)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name,
			email = excluded.email, owner_id = excluded.owner_id, last_modified = excluded.last_modified,
			search = excluded.search, sync_gen = excluded.sync_gen`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, c := range contacts {
		id, err := strconv.ParseInt(string(c.ID), 10, 64)
		if err != nil {
			return fmt.Errorf("contact ID %q is not a number", c.ID)
		}
		first, last, email := c.Properties[hubspot.PropFirstName], c.Properties[hubspot.PropLastName], c.Email()
		search := lowerJoin(strings.TrimSpace(first+" "+last), email, string(c.ID))
		if _, err := stmt.ExecContext(ctx, id, first, last, email, string(c.OwnerID()), timeMs(ContactModified(c)), search, gen); err != nil {
			return err
		}
	}
	return nil
}

// ContactModified is when a contact last changed: its lastmodifieddate,
// else the record's updatedAt.
func ContactModified(c hubspot.Contact) time.Time {
	if v := c.Properties[hubspot.PropLastModifiedDate]; v != "" {
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
			return t
		}
		if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
			return time.UnixMilli(ms)
		}
	}
	return c.UpdatedAt
}

// DropContactsBefore deletes contacts the full sync generation gen did not
// see: they were deleted or archived in HubSpot. It returns how many.
func (m *Mirror) DropContactsBefore(ctx context.Context, gen int64) (int64, error) {
	var dropped int64
	err := inTx(ctx, m.db, func(tx *sql.Tx) error {
		if err := dropContactOwnersBefore(ctx, tx, gen); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM contacts WHERE sync_gen < ?`, gen)
		if err != nil {
			return err
		}
		dropped, err = res.RowsAffected()
		return err
	})
	return dropped, err
}

// lowerJoin builds a search column: the parts lower-cased, separated by a
// character no filter contains, so a match never spans two fields.
func lowerJoin(parts ...string) string {
	return strings.ToLower(strings.Join(parts, "\x1f"))
}
