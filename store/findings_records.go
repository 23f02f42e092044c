package store

import (
	"context"
	"fmt"

	"github.com/hsadmin/hsadmin/hubspot"
)

// Findings about the records of every type beyond contacts, one group per
// kind, type and owner property (contacts keep their own kinds).
const (
	FindingRecordsDeactivatedOwner = "records-deactivated-owner"
	FindingRecordsUnknownOwner     = "records-unknown-owner"
	FindingRecordsUserIDAsOwner    = "records-user-id-as-owner"
)

// recordFindingKind is one per-type finding kind: the owner IDs matching
// cond (over record_owners ro, owners o and known user IDs k, each NULL
// when the ID is none of them).
type recordFindingKind struct {
	kind  string
	title string // "%s held by deactivated owners": the type's plural label
	why   string
	cond  string
	label func(h heldBy) string
}

// heldBy is one owner ID of a group and how many records it holds.
type heldBy struct {
	ownerID   hubspot.OwnerID
	ownerName string
	userID    hubspot.UserID
	userName  string
	records   int
	t         ObjectTypeInfo
}

// held is "1 company", "7 companies".
func (h heldBy) held() string {
	return TypeCount{Singular: h.t.Singular, Plural: h.t.Plural, N: h.records}.Words()
}

var recordFindingKinds = []recordFindingKind{
	{
		kind:  FindingRecordsDeactivatedOwner,
		title: "%s held by deactivated owners through %s",
		why:   "Their owners' users were deactivated: nobody works these records, and owner-based routing and reports skip them.",
		cond:  `o.archived = 1`,
		label: func(h heldBy) string {
			return fmt.Sprintf("%s (owner %s, deactivated): %s", h.ownerName, h.ownerID, h.held())
		},
	},
	{
		kind:  FindingRecordsUnknownOwner,
		title: "%s whose %s matches no owner",
		why:   "The owner ID names no owner (deleted, or mistyped): these records are effectively unowned.",
		cond:  `o.id IS NULL AND k.id IS NULL`,
		label: func(h heldBy) string {
			return fmt.Sprintf("owner ID %s matches no owner: %s", h.ownerID, h.held())
		},
	},
	{
		kind:  FindingRecordsUserIDAsOwner,
		title: "%s whose %s holds a user ID instead of an owner ID",
		why:   "A user ID was written where an owner ID belongs: HubSpot shows no owner, and the person it meant does not see these records as theirs.",
		cond:  `o.id IS NULL AND k.id IS NOT NULL`,
		label: func(h heldBy) string {
			return fmt.Sprintf("%s is the user ID of %s, not an owner ID: %s", h.ownerID, h.userName, h.held())
		},
	},
}

// recordOwnersFrom joins every owner ID of every record to its owner and to
// the user it may be the ID of.
const recordOwnersFrom = ` FROM record_owners ro
	LEFT JOIN owners o ON o.id = ro.owner_id
	LEFT JOIN (SELECT id, MIN(name) AS name FROM ` + knownUserIDs + ` GROUP BY id) k ON k.id = ro.owner_id `

// recordFindings computes the groups of every per-type kind that have
// something to report, in kind order, then the types' and properties'
// discovery order.
func (m *Mirror) recordFindings(ctx context.Context) ([]Finding, error) {
	types, err := m.ObjectTypes(ctx)
	if err != nil {
		return nil, err
	}
	var out []Finding
	for _, k := range recordFindingKinds {
		for _, t := range types {
			for _, p := range t.OwnerProperties {
				if t.Type == hubspot.ObjectContacts && p.Name == hubspot.PropOwnerID {
					continue // the contacts' own kinds cover their owner
				}
				f, err := m.recordFinding(ctx, k, t, p)
				if err != nil {
					return nil, fmt.Errorf("finding %s of %s.%s: %w", k.kind, t.Type, p.Name, err)
				}
				if f.Count > 0 {
					out = append(out, f)
				}
			}
		}
	}
	return out, nil
}

func (m *Mirror) recordFinding(ctx context.Context, k recordFindingKind, t ObjectTypeInfo, p hubspot.OwnerProperty) (Finding, error) {
	f := Finding{
		Kind: k.kind, Title: fmt.Sprintf(k.title, t.Plural, p.Label+" ("+p.Name+")"), Why: k.why,
		ObjectType: t.Type, Property: p.Name,
	}
	where := `WHERE ro.type = ? AND ro.property = ? AND ` + k.cond
	args := []any{string(t.Type), p.Name}
	// A multi-select value may hold two such IDs: the records are counted once.
	if err := m.db.QueryRowContext(ctx, `SELECT count(DISTINCT ro.record_id)`+recordOwnersFrom+where, args...).Scan(&f.Count); err != nil || f.Count == 0 {
		return f, err
	}
	rows, err := m.db.QueryContext(ctx, `SELECT ro.owner_id, COALESCE(o.name, ''), COALESCE(o.user_id_including_inactive, ''), COALESCE(k.name, ''), count(DISTINCT ro.record_id) AS n`+
		recordOwnersFrom+where+` GROUP BY ro.owner_id ORDER BY n DESC, ro.owner_id LIMIT ?`, append(args, FindingRecordLimit)...)
	if err != nil {
		return f, err
	}
	defer rows.Close()
	for rows.Next() {
		h := heldBy{t: t}
		if err := rows.Scan(&h.ownerID, &h.ownerName, &h.userID, &h.userName, &h.records); err != nil {
			return f, err
		}
		r := FindingRecord{Label: k.label(h), OwnerID: h.ownerID, UserID: h.userID}
		if k.kind == FindingRecordsUserIDAsOwner {
			r.UserID = hubspot.UserID(h.ownerID) // OwnerID keeps the value as written
		}
		f.Records = append(f.Records, r)
	}
	return f, rows.Err()
}
