package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/hsadmin/hsadmin/hubspot"
)

// What a reassignment across object types reads from the mirror and writes
// back to it after HubSpot took the change.

// OwnerValue is one owner property's value on one record, as the mirror
// holds it: its owner IDs in position order (one for a single-select).
type OwnerValue struct {
	Type     hubspot.ObjectType
	ID       hubspot.RecordID
	Name     string // the record's display name; "" for contacts (named from their own table)
	Closed   bool
	Property string
	Owners   []hubspot.OwnerID
}

// Value is the property's value as HubSpot writes it: the owner IDs joined
// by ";".
func (v OwnerValue) Value() string { return JoinOwnerIDs(v.Owners) }

// JoinOwnerIDs is SplitOwnerIDs' reverse.
func JoinOwnerIDs(ids []hubspot.OwnerID) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = string(id)
	}
	return strings.Join(parts, ";")
}

// OwnerValues lists the values of type t's owner properties props (every
// one when empty) that hold owner, on every record of t; owner "" lists
// every value. Contacts' custom owner properties live here too, under type
// "contacts" (their hubspot_owner_id is in the contacts table).
func (m *Mirror) OwnerValues(ctx context.Context, t hubspot.ObjectType, owner hubspot.OwnerID, props []string) ([]OwnerValue, error) {
	q := `SELECT ro.record_id, ro.property, COALESCE(r.name, ''), COALESCE(r.closed, 0), ro.owner_id
		FROM record_owners ro LEFT JOIN records r ON r.type = ro.type AND r.id = ro.record_id
		WHERE ro.type = ?`
	args := []any{string(t)}
	if owner != "" {
		q += ` AND EXISTS (SELECT 1 FROM record_owners x WHERE x.type = ro.type AND x.record_id = ro.record_id
			AND x.property = ro.property AND x.owner_id = ?)`
		args = append(args, string(owner))
	}
	q, args = withProperties(q, args, props)
	return m.ownerValues(ctx, t, q+` ORDER BY ro.record_id, ro.property, ro.position`, args)
}

// OwnerValuesOf is OwnerValues for the records ids alone, whatever they
// hold.
func (m *Mirror) OwnerValuesOf(ctx context.Context, t hubspot.ObjectType, ids []hubspot.RecordID, props []string) ([]OwnerValue, error) {
	var out []OwnerValue
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		q := `SELECT ro.record_id, ro.property, COALESCE(r.name, ''), COALESCE(r.closed, 0), ro.owner_id
			FROM record_owners ro LEFT JOIN records r ON r.type = ro.type AND r.id = ro.record_id
			WHERE ro.type = ? AND ro.record_id IN (?` + strings.Repeat(", ?", len(chunk)-1) + `)`
		args := []any{string(t)}
		for _, id := range chunk {
			args = append(args, string(id))
		}
		q, args = withProperties(q, args, props)
		vals, err := m.ownerValues(ctx, t, q+` ORDER BY ro.record_id, ro.property, ro.position`, args)
		if err != nil {
			return nil, err
		}
		out = append(out, vals...)
	}
	return out, nil
}

func withProperties(q string, args []any, props []string) (string, []any) {
	if len(props) == 0 {
		return q, args
	}
	q += ` AND ro.property IN (?` + strings.Repeat(", ?", len(props)-1) + `)`
	for _, p := range props {
		args = append(args, p)
	}
	return q, args
}

func (m *Mirror) ownerValues(ctx context.Context, t hubspot.ObjectType, q string, args []any) ([]OwnerValue, error) {
	rows, err := m.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OwnerValue
	for rows.Next() {
		var id hubspot.RecordID
		var prop, name string
		var closed int
		var owner hubspot.OwnerID
		if err := rows.Scan(&id, &prop, &name, &closed, &owner); err != nil {
			return nil, err
		}
		if n := len(out); n > 0 && out[n-1].ID == id && out[n-1].Property == prop {
			out[n-1].Owners = append(out[n-1].Owners, owner)
			continue
		}
		out = append(out, OwnerValue{Type: t, ID: id, Name: name, Closed: closed != 0, Property: prop, Owners: []hubspot.OwnerID{owner}})
	}
	return out, rows.Err()
}

// RecordOwnerValue is an owner property's value a write set on a record.
type RecordOwnerValue struct {
	Type     hubspot.ObjectType
	ID       hubspot.RecordID
	Property string
	Value    string // ";"-joined for a multi-select; "" clears the property
	Multi    bool
}

// SetRecordOwnerValues writes what HubSpot now holds in owner properties
// to the mirror's record_owners, so that findings and panes show the state
// after a reassignment without waiting for the next sync.
func (m *Mirror) SetRecordOwnerValues(ctx context.Context, vals []RecordOwnerValue) error {
	if len(vals) == 0 {
		return nil
	}
	return inTx(ctx, m.db, func(tx *sql.Tx) error {
		wipe, err := tx.PrepareContext(ctx, `DELETE FROM record_owners WHERE type = ? AND record_id = ? AND property = ?`)
		if err != nil {
			return err
		}
		defer wipe.Close()
		put, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO record_owners (type, record_id, property, owner_id, position) VALUES (?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer put.Close()
		for _, v := range vals {
			if _, err := wipe.ExecContext(ctx, string(v.Type), string(v.ID), v.Property); err != nil {
				return err
			}
			for i, owner := range SplitOwnerIDs(v.Value, v.Multi) {
				if _, err := put.ExecContext(ctx, string(v.Type), string(v.ID), v.Property, string(owner), i); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// AssociatedMany lists, for each record of ids (of type from), the records
// of type to associated with it, in either direction the sync read.
func (m *Mirror) AssociatedMany(ctx context.Context, from hubspot.ObjectType, ids []hubspot.RecordID, to hubspot.ObjectType) (map[hubspot.RecordID][]hubspot.RecordID, error) {
	out := map[hubspot.RecordID][]hubspot.RecordID{}
	for start := 0; start < len(ids); start += 400 {
		chunk := ids[start:min(start+400, len(ids))]
		in := `(?` + strings.Repeat(", ?", len(chunk)-1) + `)`
		args := []any{string(from), string(to)}
		for _, id := range chunk {
			args = append(args, string(id))
		}
		args = append(args, string(to), string(from))
		for _, id := range chunk {
			args = append(args, string(id))
		}
		rows, err := m.db.QueryContext(ctx, `SELECT from_id, to_id FROM record_associations WHERE from_type = ? AND to_type = ? AND from_id IN `+in+`
			UNION SELECT to_id, from_id FROM record_associations WHERE from_type = ? AND to_type = ? AND to_id IN `+in+`
			ORDER BY 1, 2`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var a, b hubspot.RecordID
			if err := rows.Scan(&a, &b); err != nil {
				rows.Close()
				return nil, err
			}
			out[a] = append(out[a], b)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
