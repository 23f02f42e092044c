package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
)

// Records of every object type but contacts (which keep their own table):
// companies, deals, tickets and custom objects, with the owner IDs each of
// their owner properties holds.

// ObjectTypeInfo is an object type the token can read, as discovered at
// sync, with its owner properties.
type ObjectTypeInfo struct {
	Type            hubspot.ObjectType
	Singular        string
	Plural          string // also the name of its sync phase, lower-cased
	DisplayProperty string
	OwnerProperties []hubspot.OwnerProperty
}

// MirrorRecord is one record as the mirror keeps it.
type MirrorRecord struct {
	ID           hubspot.RecordID
	Name         string // the type's display property
	LastModified time.Time
	Archived     bool
	Closed       bool // a deal or ticket in a closed pipeline stage
	Owners       []RecordOwner
}

// RecordOwner is one owner ID in one owner property of a record. Position
// orders the IDs of a multi-select value (0 for a single-select).
type RecordOwner struct {
	Property string
	OwnerID  hubspot.OwnerID
	Position int
}

// RecordsPhase is the sync phase of a type's records, with its own state.
func RecordsPhase(t hubspot.ObjectType) string { return "records:" + string(t) }

// ReplaceObjectTypes stores the discovered types and their owner
// properties, replacing what an earlier sync found, in one transaction.
// Records of a type no longer readable are dropped with it: the mirror says
// nothing it cannot keep up to date.
func (m *Mirror) ReplaceObjectTypes(ctx context.Context, types []ObjectTypeInfo) error {
	return inTx(ctx, m.db, func(tx *sql.Tx) error {
		if err := dropVanishedProperties(ctx, tx, types); err != nil {
			return err
		}
		for _, q := range []string{`DELETE FROM object_types`, `DELETE FROM owner_properties`} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		for i, t := range types {
			if _, err := tx.ExecContext(ctx, `INSERT INTO object_types (type, singular, plural, display_property, position) VALUES (?, ?, ?, ?, ?)`,
				string(t.Type), t.Singular, t.Plural, t.DisplayProperty, i); err != nil {
				return err
			}
			for j, p := range t.OwnerProperties {
				if _, err := tx.ExecContext(ctx, `INSERT INTO owner_properties (type, name, label, multi, hubspot_defined, read_only, position) VALUES (?, ?, ?, ?, ?, ?, ?)`,
					string(t.Type), p.Name, p.Label, boolInt(p.Multi), boolInt(p.HubSpotDefined), boolInt(p.ReadOnly), j); err != nil {
					return err
				}
			}
		}
		for _, q := range []string{
			`DELETE FROM record_owners WHERE type NOT IN (SELECT type FROM object_types)`,
			`DELETE FROM records WHERE type NOT IN (SELECT type FROM object_types)`,
			`DELETE FROM record_associations WHERE from_type NOT IN (SELECT type FROM object_types)`,
			// A type readable again later is listed whole, not searched for changes.
			`DELETE FROM sync_state WHERE phase LIKE 'records:%' AND substr(phase, 9) NOT IN (SELECT type FROM object_types)`,
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
}

// ObjectTypes lists the discovered types in discovery order, contacts
// included when the token can read them.
func (m *Mirror) ObjectTypes(ctx context.Context) ([]ObjectTypeInfo, error) {
	rows, err := m.db.QueryContext(ctx, `SELECT type, singular, plural, display_property FROM object_types ORDER BY position`)
	if err != nil {
		return nil, err
	}
	var out []ObjectTypeInfo
	for rows.Next() {
		var t ObjectTypeInfo
		if err := rows.Scan(&t.Type, &t.Singular, &t.Plural, &t.DisplayProperty); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].OwnerProperties, err = m.ownerProperties(ctx, out[i].Type); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (m *Mirror) ownerProperties(ctx context.Context, t hubspot.ObjectType) ([]hubspot.OwnerProperty, error) {
	rows, err := m.db.QueryContext(ctx, `SELECT name, label, multi, hubspot_defined, read_only FROM owner_properties WHERE type = ? ORDER BY position`, string(t))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hubspot.OwnerProperty
	for rows.Next() {
		var p hubspot.OwnerProperty
		var multi, defined, ro int
		if err := rows.Scan(&p.Name, &p.Label, &multi, &defined, &ro); err != nil {
			return nil, err
		}
		p.Multi, p.HubSpotDefined, p.ReadOnly = multi != 0, defined != 0, ro != 0
		out = append(out, p)
	}
	return out, rows.Err()
}

// PutRecords stores records of type t seen by full sync gen (an
// incremental sync passes the current generation) and, when st is not nil,
// saves st in the same transaction, so that a saved cursor never runs
// ahead of the rows.
func (m *Mirror) PutRecords(ctx context.Context, t hubspot.ObjectType, recs []MirrorRecord, gen int64, st *SyncState) error {
	return inTx(ctx, m.db, func(tx *sql.Tx) error {
		if err := upsertRecords(ctx, tx, t, recs, gen); err != nil {
			return err
		}
		if st != nil {
			return saveSyncState(ctx, tx, *st)
		}
		return nil
	})
}

func upsertRecords(ctx context.Context, tx *sql.Tx, t hubspot.ObjectType, recs []MirrorRecord, gen int64) error {
	if len(recs) == 0 {
		return nil
	}
	put, err := tx.PrepareContext(ctx, `INSERT INTO records (type, id, name, last_modified, archived, closed, sync_gen)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (type, id) DO UPDATE SET name = excluded.name, last_modified = excluded.last_modified,
			archived = excluded.archived, closed = excluded.closed, sync_gen = excluded.sync_gen`)
	if err != nil {
		return err
	}
	defer put.Close()
	wipe, err := tx.PrepareContext(ctx, `DELETE FROM record_owners WHERE type = ? AND record_id = ?`)
	if err != nil {
		return err
	}
	defer wipe.Close()
	own, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO record_owners (type, record_id, property, owner_id, position) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer own.Close()
	for _, r := range recs {
		if _, err := put.ExecContext(ctx, string(t), string(r.ID), r.Name, timeMs(r.LastModified), boolInt(r.Archived), boolInt(r.Closed), gen); err != nil {
			return err
		}
		if _, err := wipe.ExecContext(ctx, string(t), string(r.ID)); err != nil {
			return err
		}
		for _, o := range r.Owners {
			if _, err := own.ExecContext(ctx, string(t), string(r.ID), o.Property, string(o.OwnerID), o.Position); err != nil {
				return err
			}
		}
	}
	return nil
}

// The index of record owners by owner ID is dropped while full syncs list
// records and built once they are done, as the contacts' owner index is
// (see syncranges.go): a page's owners are scattered over the index.
// Queries by owner still work meanwhile, by scanning.
const (
	dropRecordOwnerIndex   = `DROP INDEX IF EXISTS record_owners_owner`
	createRecordOwnerIndex = `CREATE INDEX IF NOT EXISTS record_owners_owner ON record_owners (owner_id, type, property)` // as in 0004_records.sql
)

// BeginBulkRecords prepares the mirror for full syncs of records.
func (m *Mirror) BeginBulkRecords(ctx context.Context) error {
	return execInTx(ctx, m.db, dropRecordOwnerIndex)
}

// EndBulkRecords builds the index BeginBulkRecords dropped; harmless when
// it exists.
func (m *Mirror) EndBulkRecords(ctx context.Context) error {
	return execInTx(ctx, m.db, createRecordOwnerIndex)
}

// FinishRecordsFullSync ends type t's full sync st.Generation: the records
// it never saw (deleted or archived in HubSpot) are dropped with their
// owners, and st saved, in one transaction. It returns how many records
// were dropped.
func (m *Mirror) FinishRecordsFullSync(ctx context.Context, t hubspot.ObjectType, st SyncState) (int64, error) {
	var dropped int64
	err := inTx(ctx, m.db, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM record_owners WHERE type = ? AND record_id IN
			(SELECT id FROM records WHERE type = ? AND sync_gen < ?)`, string(t), string(t), st.Generation); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM records WHERE type = ? AND sync_gen < ?`, string(t), st.Generation)
		if err != nil {
			return err
		}
		if dropped, err = res.RowsAffected(); err != nil {
			return err
		}
		return saveSyncState(ctx, tx, st)
	})
	return dropped, err
}

// CountRecords counts the mirror's records of type t; of full sync
// generation gen only when gen > 0 (a resumed sync's progress).
func (m *Mirror) CountRecords(ctx context.Context, t hubspot.ObjectType, gen int64) (int, error) {
	var n int
	q, args := `SELECT count(*) FROM records WHERE type = ?`, []any{string(t)}
	if gen > 0 {
		q, args = q+` AND sync_gen = ?`, append(args, gen)
	}
	err := m.db.QueryRowContext(ctx, q, args...).Scan(&n)
	return n, err
}

// Record reads one record of type t; ErrNotFound when the mirror has none.
func (m *Mirror) Record(ctx context.Context, t hubspot.ObjectType, id hubspot.RecordID) (MirrorRecord, error) {
	r := MirrorRecord{ID: id}
	var modified int64
	var archived, closed int
	err := m.db.QueryRowContext(ctx, `SELECT name, last_modified, archived, closed FROM records WHERE type = ? AND id = ?`, string(t), string(id)).
		Scan(&r.Name, &modified, &archived, &closed)
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	}
	if err != nil {
		return r, err
	}
	r.LastModified, r.Archived, r.Closed = msTime(modified), archived != 0, closed != 0
	rows, err := m.db.QueryContext(ctx, `SELECT property, owner_id, position FROM record_owners WHERE type = ? AND record_id = ? ORDER BY property, position`, string(t), string(id))
	if err != nil {
		return r, err
	}
	defer rows.Close()
	for rows.Next() {
		var o RecordOwner
		if err := rows.Scan(&o.Property, &o.OwnerID, &o.Position); err != nil {
			return r, err
		}
		r.Owners = append(r.Owners, o)
	}
	return r, rows.Err()
}

// RecordIDs lists the IDs of type t's records after the ID after (in the
// mirror's order), at most limit, for reading their associations.
func (m *Mirror) RecordIDs(ctx context.Context, t hubspot.ObjectType, after hubspot.RecordID, limit int) ([]hubspot.RecordID, error) {
	rows, err := m.db.QueryContext(ctx, `SELECT id FROM records WHERE type = ? AND id > ? ORDER BY id LIMIT ?`, string(t), string(after), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hubspot.RecordID
	for rows.Next() {
		var id hubspot.RecordID
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// ContactIDs lists contact IDs above after, at most limit, in ID order.
func (m *Mirror) ContactIDs(ctx context.Context, after hubspot.RecordID, limit int) ([]hubspot.RecordID, error) {
	from, _ := strconv.ParseInt(string(after), 10, 64)
	rows, err := m.db.QueryContext(ctx, `SELECT id FROM contacts WHERE id > ? ORDER BY id LIMIT ?`, from, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hubspot.RecordID
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, hubspot.RecordID(strconv.FormatInt(id, 10)))
	}
	return out, rows.Err()
}

// Association is one record of type To associated with a record of type
// From.
type Association struct {
	FromType hubspot.ObjectType
	FromID   hubspot.RecordID
	ToType   hubspot.ObjectType
	ToID     hubspot.RecordID
}

// PutAssociations replaces the associations of type to of the records
// froms (of type from) with assocs, in one transaction.
func (m *Mirror) PutAssociations(ctx context.Context, from, to hubspot.ObjectType, froms []hubspot.RecordID, assocs []Association) error {
	return inTx(ctx, m.db, func(tx *sql.Tx) error {
		wipe, err := tx.PrepareContext(ctx, `DELETE FROM record_associations WHERE from_type = ? AND from_id = ? AND to_type = ?`)
		if err != nil {
			return err
		}
		defer wipe.Close()
		for _, id := range froms {
			if _, err := wipe.ExecContext(ctx, string(from), string(id), string(to)); err != nil {
				return err
			}
		}
		put, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO record_associations (from_type, from_id, to_type, to_id) VALUES (?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer put.Close()
		for _, a := range assocs {
			if _, err := put.ExecContext(ctx, string(a.FromType), string(a.FromID), string(a.ToType), string(a.ToID)); err != nil {
				return err
			}
		}
		return nil
	})
}

// Associated lists the records of type to associated with record id of
// type from, in either direction the sync read.
func (m *Mirror) Associated(ctx context.Context, from hubspot.ObjectType, id hubspot.RecordID, to hubspot.ObjectType) ([]hubspot.RecordID, error) {
	rows, err := m.db.QueryContext(ctx, `SELECT to_id FROM record_associations WHERE from_type = ? AND from_id = ? AND to_type = ?
		UNION SELECT from_id FROM record_associations WHERE to_type = ? AND to_id = ? AND from_type = ?
		ORDER BY 1`, string(from), string(id), string(to), string(from), string(id), string(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hubspot.RecordID
	for rows.Next() {
		var r hubspot.RecordID
		if err := rows.Scan(&r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Holding is how many records of one type an owner ID holds through one
// owner property.
type Holding struct {
	Type          hubspot.ObjectType
	TypeLabel     string // the type's plural label, e.g. "Companies"
	TypeSingular  string // e.g. "Company"
	Property      string
	PropertyLabel string
	Count         int
	Open          int // of Count, the records not closed (deals and tickets)
}

// OwnerHoldings counts what owner ID id holds, per type and owner
// property: contacts through hubspot_owner_id (from the contacts table),
// then every other owner property of contacts and every other type's
// records (from record_owners), in discovery order.
func (m *Mirror) OwnerHoldings(ctx context.Context, id hubspot.OwnerID) ([]Holding, error) {
	var out []Holding
	var contacts int
	if err := m.db.QueryRowContext(ctx, `SELECT COALESCE((SELECT n FROM owner_contact_counts WHERE owner_id = ?), 0)`, string(id)).Scan(&contacts); err != nil {
		return nil, err
	}
	if contacts > 0 {
		out = append(out, Holding{Type: hubspot.ObjectContacts, TypeLabel: "Contacts", TypeSingular: "Contact", Property: hubspot.PropOwnerID, PropertyLabel: "Contact owner", Count: contacts, Open: contacts})
	}
	rows, err := m.db.QueryContext(ctx, `SELECT ro.type, COALESCE(t.plural, ro.type), COALESCE(t.singular, ro.type), ro.property, COALESCE(p.label, ro.property),
			count(DISTINCT ro.record_id), count(DISTINCT CASE WHEN COALESCE(r.closed, 0) = 0 THEN ro.record_id END)
		FROM record_owners ro
		LEFT JOIN records r ON r.type = ro.type AND r.id = ro.record_id
		LEFT JOIN contacts c ON ro.type = 'contacts' AND c.id = CAST(ro.record_id AS INTEGER)
		LEFT JOIN object_types t ON t.type = ro.type
		LEFT JOIN owner_properties p ON p.type = ro.type AND p.name = ro.property
		WHERE ro.owner_id = ? AND (r.id IS NOT NULL OR c.id IS NOT NULL)
		GROUP BY ro.type, ro.property
		ORDER BY COALESCE(t.position, 1e9), ro.type, COALESCE(p.position, 1e9), ro.property`, string(id))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var h Holding
		if err := rows.Scan(&h.Type, &h.TypeLabel, &h.TypeSingular, &h.Property, &h.PropertyLabel, &h.Count, &h.Open); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// Records is "1 company", "3 companies": Count in the type's words.
func (h Holding) Records() string {
	if h.Count == 1 {
		return "1 " + strings.ToLower(h.TypeSingular)
	}
	return thousands(h.Count) + " " + strings.ToLower(h.TypeLabel)
}

// thousands groups digits by three, as portal.Thousands does.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && n >= 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// SplitOwnerIDs splits an owner property's value into its owner IDs: one
// for a single-select, the ";"-joined IDs of a multi-select. Blanks are
// dropped.
func SplitOwnerIDs(value string, multi bool) []hubspot.OwnerID {
	parts := []string{value}
	if multi {
		parts = strings.Split(value, ";")
	}
	var out []hubspot.OwnerID
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, hubspot.OwnerID(p))
		}
	}
	return out
}
