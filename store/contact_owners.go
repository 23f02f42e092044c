package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/hsadmin/hsadmin/hubspot"
)

// Contacts' custom owner properties (issue 15). A contact's
// hubspot_owner_id lives in the contacts table (its owner index, counts and
// findings are the contacts' own); every other owner property of a contact
// is kept in record_owners with type "contacts", one row per owner ID, as
// the other types keep all of theirs, so that holdings, findings and
// reassignment read every type alike.

// CustomOwnerProperties are the owner properties of props other than
// hubspot_owner_id: those of contacts that record_owners keeps.
func CustomOwnerProperties(props []hubspot.OwnerProperty) []hubspot.OwnerProperty {
	var out []hubspot.OwnerProperty
	for _, p := range props {
		if p.Name != hubspot.PropOwnerID {
			out = append(out, p)
		}
	}
	return out
}

// PutContactsWithOwners is PutContacts for contacts read with the custom
// owner properties props: each contact's rows in record_owners are replaced
// with the owner IDs those properties hold (none for a value cleared), in
// the same transaction.
func (m *Mirror) PutContactsWithOwners(ctx context.Context, contacts []hubspot.Contact, props []hubspot.OwnerProperty, gen int64, st *SyncState) error {
	return inTx(ctx, m.db, func(tx *sql.Tx) error {
		if err := upsertContacts(ctx, tx, contacts, gen); err != nil {
			return err
		}
		if err := upsertContactOwners(ctx, tx, contacts, props); err != nil {
			return err
		}
		if st != nil {
			return saveSyncState(ctx, tx, *st)
		}
		return nil
	})
}

// PutRangeContactsWithOwners is PutRangeContacts for contacts read with the
// custom owner properties props (see PutContactsWithOwners).
func (m *Mirror) PutRangeContactsWithOwners(ctx context.Context, contacts []hubspot.Contact, props []hubspot.OwnerProperty, gen int64, rp RangeProgress) error {
	return inTx(ctx, m.db, func(tx *sql.Tx) error {
		if err := upsertContacts(ctx, tx, contacts, gen); err != nil {
			return err
		}
		if err := upsertContactOwners(ctx, tx, contacts, props); err != nil {
			return err
		}
		return saveRangeProgress(ctx, tx, rp)
	})
}

// upsertContactOwners replaces the custom owner rows of contacts with what
// props hold. Nothing is touched when props is empty: the contacts were
// read without them, which says nothing of their values. A page takes one
// DELETE and one INSERT, not one per contact and owner ID: it adds a
// custom owner property or two to every contact of a full sync, which must
// stay about as fast as without them.
func upsertContactOwners(ctx context.Context, tx *sql.Tx, contacts []hubspot.Contact, props []hubspot.OwnerProperty) error {
	props = CustomOwnerProperties(props)
	if len(contacts) == 0 || len(props) == 0 {
		return nil
	}
	ids := make([]any, len(contacts))
	var rows []any // record_id, property, owner_id, position
	for k, c := range contacts {
		if _, err := strconv.ParseInt(string(c.ID), 10, 64); err != nil {
			return fmt.Errorf("contact ID %q is not a number", c.ID)
		}
		ids[k] = string(c.ID)
		for _, p := range props {
			for i, owner := range SplitOwnerIDs(c.Properties[p.Name], p.Multi) {
				rows = append(rows, string(c.ID), p.Name, string(owner), i)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM record_owners WHERE type = 'contacts' AND record_id IN (`+placeholders(len(ids), "?")+`)`, ids...); err != nil {
		return err
	}
	for len(rows) > 0 {
		n := min(len(rows), maxOwnerRowsPerInsert*4)
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO record_owners (type, record_id, property, owner_id, position) VALUES `+
			placeholders(n/4, "('contacts', ?, ?, ?, ?)"), rows[:n]...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// maxOwnerRowsPerInsert keeps one INSERT's parameters far below SQLite's
// limit (32,766).
const maxOwnerRowsPerInsert = 1000

// placeholders is n copies of one, comma-separated.
func placeholders(n int, one string) string {
	return strings.TrimSuffix(strings.Repeat(one+", ", n), ", ")
}

// dropContactOwnersBefore deletes the custom owner rows of the contacts full
// sync gen did not see, before the contacts themselves go.
func dropContactOwnersBefore(ctx context.Context, x execer, gen int64) error {
	_, err := x.ExecContext(ctx, `DELETE FROM record_owners WHERE type = 'contacts' AND record_id IN
		(SELECT CAST(id AS TEXT) FROM contacts WHERE sync_gen < ?)`, gen)
	return err
}

// dropVanishedProperties deletes the owner rows of properties a type
// had at the last discovery and has no more (deleted in HubSpot, or no
// longer readable): nothing would keep them up to date. Types gone
// altogether are dropped whole by ReplaceObjectTypes. It runs before the
// new properties replace the old ones.
func dropVanishedProperties(ctx context.Context, tx *sql.Tx, types []ObjectTypeInfo) error {
	now := map[[2]string]bool{}
	for _, t := range types {
		for _, p := range t.OwnerProperties {
			now[[2]string{string(t.Type), p.Name}] = true
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT type, name FROM owner_properties`)
	if err != nil {
		return err
	}
	var vanished [][2]string
	for rows.Next() {
		var k [2]string
		if err := rows.Scan(&k[0], &k[1]); err != nil {
			rows.Close()
			return err
		}
		if !now[k] {
			vanished = append(vanished, k)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, k := range vanished {
		if _, err := tx.ExecContext(ctx, `DELETE FROM record_owners WHERE type = ? AND property = ?`, k[0], k[1]); err != nil {
			return err
		}
	}
	return nil
}

// ContactOwners reads the custom owner properties' owner IDs of contact id,
// by property and position; none when it holds none.
func (m *Mirror) ContactOwners(ctx context.Context, id hubspot.ContactID) ([]RecordOwner, error) {
	rows, err := m.db.QueryContext(ctx, `SELECT property, owner_id, position FROM record_owners
		WHERE type = 'contacts' AND record_id = ? ORDER BY property, position`, string(id))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RecordOwner
	for rows.Next() {
		var o RecordOwner
		if err := rows.Scan(&o.Property, &o.OwnerID, &o.Position); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// CountRecordOwners counts the owner IDs record_owners holds for type t:
// one per ID of a multi-select value.
func (m *Mirror) CountRecordOwners(ctx context.Context, t hubspot.ObjectType) (int, error) {
	var n int
	err := m.db.QueryRowContext(ctx, `SELECT count(*) FROM record_owners WHERE type = ?`, string(t)).Scan(&n)
	return n, err
}
