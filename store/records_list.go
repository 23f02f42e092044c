package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
)

// The records pane of the console lists one object type at a time
// (companies, deals, tickets, a custom object): each record with its name,
// its ID and the owner IDs of its owner properties, resolved to owners.

// RecordRow is one record as the records pane draws it.
type RecordRow struct {
	Type         hubspot.ObjectType
	ID           hubspot.RecordID
	Name         string // the type's display property
	Closed       bool   // a deal or ticket in a closed stage
	LastModified time.Time
	// Owners are the owner IDs its owner properties hold, in the type's
	// property order, a multi-select's IDs in their order.
	Owners []RecordOwnerCell
}

// RecordOwnerCell is one owner ID of one owner property, resolved.
type RecordOwnerCell struct {
	Property  string
	OwnerID   hubspot.OwnerID
	OwnerName string     // "" when no owner has the ID
	State     OwnerState // active, archived or unknown
}

// RecordQuery selects records of one type for the records pane.
type RecordQuery struct {
	Type   hubspot.ObjectType
	Filter string // case-insensitive substring over what a row shows
	// OwnerID keeps the records holding it, in any owner property or in
	// Property only when set.
	OwnerID  hubspot.OwnerID
	Property string
	// Finding keeps the records of one findings group: a records-* kind
	// over Property (FindingRecordsDeactivatedOwner...).
	Finding string
	Sort    string // a key of RecordSorts; "" for ID order
	Offset  int
	Limit   int // 0 means DefaultLimit
}

func (q RecordQuery) needle() string { return strings.ToLower(strings.TrimSpace(q.Filter)) }

// RecordSorts lists the records pane's sort keys, the default first.
var RecordSorts = []string{SortID, SortName, SortOwner, SortModified}

// recordOrder is the ORDER BY of Records for a key. ID order walks the
// primary key; name and last modified walk the indexes of migration 0007;
// owner orders by the type's first owner property (its owner, mostly).
func recordOrder(key string) string {
	switch key {
	case SortName:
		return `r.name COLLATE NOCASE, r.id`
	case SortOwner:
		return `COALESCE((SELECT x.owner_id FROM record_owners x WHERE x.type = r.type AND x.record_id = r.id
			AND x.property = (SELECT name FROM owner_properties WHERE type = r.type ORDER BY position LIMIT 1)
			ORDER BY x.position LIMIT 1), ''), r.id`
	case SortModified:
		return `r.last_modified DESC, r.id DESC`
	}
	return `r.id`
}

// recordShownSQL matches what a record row shows (ui/records_rows.go):
// its name and ID, "closed", "no owner" when no property holds an owner,
// and for each owner ID the ID, the owner's name and the words for its
// state ("deactivated", HubSpot's "archived", "? unknown"). ?2 is the
// needle, lower-cased. The owner IDs whose column text matches are worked
// out once (a few owners, and the IDs no owner has, from the owner index);
// each record is then one primary-key probe, so a page stops as soon as
// it is full.
const recordShownSQL = `(instr(lower(r.name), ?2) > 0 OR instr(r.id, ?2) > 0
	OR (r.closed = 1 AND instr('closed', ?2) > 0)
	OR (instr('no owner', ?2) > 0 AND NOT EXISTS (SELECT 1 FROM record_owners x WHERE x.type = r.type AND x.record_id = r.id))
	OR EXISTS (SELECT 1 FROM record_owners x WHERE x.type = r.type AND x.record_id = r.id AND x.owner_id IN (
		SELECT so.id FROM owners so WHERE instr(so.id, ?2) > 0 OR instr(lower(so.name), ?2) > 0
			OR (so.archived = 1 AND (instr('archived', ?2) > 0 OR instr('deactivated', ?2) > 0))
		UNION SELECT u.owner_id FROM (SELECT DISTINCT owner_id FROM record_owners) u
			WHERE (instr(u.owner_id, ?2) > 0 OR instr('? unknown', ?2) > 0)
			AND NOT EXISTS (SELECT 1 FROM owners WHERE id = u.owner_id))))`

// recordWhere selects the records of q: ?1 the type, ?2 the needle, ?3 the
// owner ID, ?4 the property.
func recordWhere(q RecordQuery) string {
	w := `WHERE r.type = ?1 AND (?2 = '' OR ` + recordShownSQL + `)`
	if q.OwnerID != "" {
		w += ` AND r.id IN (SELECT record_id FROM record_owners WHERE owner_id = ?3 AND type = ?1 AND (?4 = '' OR property = ?4))`
	}
	if k, ok := recordFindingKindOf(q.Finding); ok {
		// The condition is the kind's own SQL, never the caller's text.
		w += ` AND r.id IN (SELECT ro.record_id` + recordOwnersFrom + `WHERE ro.type = ?1 AND (?4 = '' OR ro.property = ?4) AND ` + k.cond + `)`
	}
	return w
}

func recordFindingKindOf(kind string) (recordFindingKind, bool) {
	for _, k := range recordFindingKinds {
		if k.kind == kind {
			return k, true
		}
	}
	return recordFindingKind{}, false
}

// Records lists a page of q.Type's records with their owners resolved.
func (m *Mirror) Records(ctx context.Context, q RecordQuery) ([]RecordRow, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	rows, err := m.db.QueryContext(ctx, `SELECT r.id, r.name, r.closed, r.last_modified FROM records r `+recordWhere(q)+`
		ORDER BY `+recordOrder(q.Sort)+` LIMIT ?5 OFFSET ?6`,
		string(q.Type), q.needle(), string(q.OwnerID), q.Property, limit, q.Offset)
	if err != nil {
		return nil, err
	}
	var out []RecordRow
	for rows.Next() {
		r := RecordRow{Type: q.Type}
		var closed int
		var modified int64
		if err := rows.Scan(&r.ID, &r.Name, &closed, &modified); err != nil {
			rows.Close()
			return nil, err
		}
		r.Closed, r.LastModified = closed != 0, msTime(modified)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, m.fillRecordOwners(ctx, q.Type, out)
}

// fillRecordOwners reads the owners of a page of records in one query.
func (m *Mirror) fillRecordOwners(ctx context.Context, t hubspot.ObjectType, recs []RecordRow) error {
	if len(recs) == 0 {
		return nil
	}
	at := make(map[hubspot.RecordID]int, len(recs))
	args := []any{string(t)}
	marks := make([]string, len(recs))
	for i, r := range recs {
		at[r.ID] = i
		args = append(args, string(r.ID))
		marks[i] = "?"
	}
	rows, err := m.db.QueryContext(ctx, `SELECT ro.record_id, ro.property, ro.owner_id, COALESCE(o.name, ''), o.archived
		FROM record_owners ro
		LEFT JOIN owners o ON o.id = ro.owner_id
		LEFT JOIN owner_properties p ON p.type = ro.type AND p.name = ro.property
		WHERE ro.type = ? AND ro.record_id IN (`+strings.Join(marks, ",")+`)
		ORDER BY ro.record_id, COALESCE(p.position, 1e9), ro.property, ro.position`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id hubspot.RecordID
		var c RecordOwnerCell
		var archived sql.NullInt64
		if err := rows.Scan(&id, &c.Property, &c.OwnerID, &c.OwnerName, &archived); err != nil {
			return err
		}
		c.State = contactOwnerState(c.OwnerID, archived)
		i := at[id]
		recs[i].Owners = append(recs[i].Owners, c)
	}
	return rows.Err()
}

// CountRecordsShown counts the records Records would list without paging.
func (m *Mirror) CountRecordsShown(ctx context.Context, q RecordQuery) (int, error) {
	var n int
	switch {
	case q.needle() == "" && q.OwnerID == "" && q.Finding == "":
		err := m.db.QueryRowContext(ctx, `SELECT count(*) FROM records WHERE type = ?`, string(q.Type)).Scan(&n)
		return n, err
	case q.needle() == "" && q.Finding == "":
		// An owner's records, from the owner index alone.
		err := m.db.QueryRowContext(ctx, `SELECT count(DISTINCT record_id) FROM record_owners
			WHERE owner_id = ?1 AND type = ?2 AND (?3 = '' OR property = ?3)`, string(q.OwnerID), string(q.Type), q.Property).Scan(&n)
		return n, err
	}
	err := m.db.QueryRowContext(ctx, `SELECT count(*) FROM records r `+recordWhere(q),
		string(q.Type), q.needle(), string(q.OwnerID), q.Property).Scan(&n)
	return n, err
}
