package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/hsadmin/hsadmin/hubspot"
)

// Finding is one kind of problem in the portal, with the affected records.
type Finding struct {
	Kind  string // stable identifier, e.g. "contacts-archived-owner"
	Title string
	Why   string // one line: why an admin should care
	// Count is how many things are affected: contacts for the contact
	// kinds (whose records are grouped by owner ID), records otherwise.
	Count   int
	Records []FindingRecord // at most FindingRecordLimit
	Info    bool            // informational, not a problem
	// ObjectType and Property name the group of a per-type finding (the
	// records-* kinds); empty for the others.
	ObjectType hubspot.ObjectType
	Property   string
}

// FindingRecord is one affected record. Only the IDs that apply are set.
type FindingRecord struct {
	Label     string
	UserID    hubspot.UserID
	OwnerID   hubspot.OwnerID
	ContactID hubspot.ContactID
	CRMUserID hubspot.CRMUserID
}

// FindingRecordLimit caps the records listed per finding; Count is exact.
const FindingRecordLimit = 500

// Finding kinds, in the order Findings returns them.
const (
	FindingContactsArchivedOwner = "contacts-archived-owner"
	FindingContactsUnknownOwner  = "contacts-unknown-owner"
	FindingOwnersWithoutUser     = "owners-without-active-user"
	FindingUsersWithoutOwner     = "users-without-owner"
	FindingCollidingIDs          = "colliding-ids"
	FindingOwnerEmailMismatch    = "owner-email-mismatch"
	FindingCRMUserMismatch       = "crm-user-mismatch"
	FindingMultiRoleUsers        = "multi-role-users"
	FindingQueueOwners           = "queue-owners"
)

// findingQuery describes how to compute one finding. Its query returns
// rows of (label, user ID, owner ID, CRM user ID, weight); Count is the sum
// of weights.
type findingQuery struct {
	kind, title, why string
	info             bool
	sql              string
}

// knownUserIDs are user IDs of active users and of deactivated users still
// remembered by their archived owners, with a name for each.
const knownUserIDs = `(SELECT id, name FROM users
	UNION SELECT user_id_including_inactive, name FROM owners WHERE user_id_including_inactive <> '' AND user_id = '')`

// countedContacts is cc.n as the console counts: "1 contact", "1,200 contacts"
// (portal.Plural, in SQL).
const countedContacts = `printf('%,d', cc.n) || CASE cc.n WHEN 1 THEN ' contact' ELSE ' contacts' END`

var findingQueries = []findingQuery{
	{
		kind:  FindingContactsArchivedOwner,
		title: "Contacts owned by deactivated owners",
		why:   "Their owners' users were deactivated: nobody works these contacts, and owner-based routing and reports skip them.",
		sql: `SELECT o.name || ' (owner ' || o.id || ', deactivated): ' || ` + countedContacts + `, o.user_id_including_inactive, o.id, '', cc.n
			FROM owners o JOIN owner_contact_counts cc ON cc.owner_id = o.id
			WHERE o.archived = 1 AND cc.n > 0 ORDER BY cc.n DESC, o.id`,
	},
	{
		kind:  FindingContactsUnknownOwner,
		title: "Contacts whose owner matches no owner",
		why:   "Their hubspot_owner_id names no owner (deleted, or a user ID written by mistake): they are effectively unowned.",
		sql: `SELECT 'hubspot_owner_id ' || cc.owner_id || ' matches no owner'
				|| COALESCE(' (it is the user ID of ' || (SELECT k.name FROM ` + knownUserIDs + ` k WHERE k.id = cc.owner_id LIMIT 1) || ')', '')
				|| ': ' || ` + countedContacts + `, '', cc.owner_id, '', cc.n
			FROM owner_contact_counts cc
			WHERE cc.owner_id <> '' AND cc.n > 0 AND NOT EXISTS (SELECT 1 FROM owners WHERE id = cc.owner_id)
			ORDER BY cc.n DESC, cc.owner_id`,
	},
	{
		kind:  FindingOwnersWithoutUser,
		title: "Owners with no active user",
		why:   "Records can still be assigned to them, but no one sees the notifications, tasks or inbox in HubSpot: their user was deactivated, or they never had one (owners synced from Salesforce).",
		sql: `SELECT o.name || ' (owner ' || o.id || '): ' || CASE
					WHEN o.archived = 1 THEN 'deactivated with user ' || o.user_id_including_inactive
					WHEN o.user_id = '' AND o.user_id_including_inactive = '' THEN 'active, no HubSpot user (e.g. synced from Salesforce)'
					WHEN o.user_id = '' THEN 'user ' || o.user_id_including_inactive || ' deactivated'
					ELSE 'user ' || o.user_id || ' is not an active user' END,
				o.user_id_including_inactive, o.id, '', 1
			FROM owners o
			WHERE o.type <> 'QUEUE' AND (o.archived = 1 OR o.user_id = '' OR NOT EXISTS (SELECT 1 FROM users WHERE id = o.user_id))
			ORDER BY o.name COLLATE NOCASE, o.id`,
	},
	{
		kind:  FindingUsersWithoutOwner,
		title: "Users with no owner",
		why:   "Records cannot be assigned to them; usually they lack contacts access, sometimes provisioning went wrong.",
		sql: `SELECT u.name || ' <' || u.email || '> (user ' || u.id || ')', u.id, '', COALESCE((SELECT id FROM crm_users WHERE internal_user_id = u.id LIMIT 1), ''), 1
			FROM users u WHERE NOT EXISTS (SELECT 1 FROM owners WHERE user_id_including_inactive = u.id)
			ORDER BY u.name COLLATE NOCASE, u.id`,
	},
	{
		kind:  FindingCollidingIDs,
		title: "Numbers that are an owner ID of one person and the user ID of another",
		why:   "Pasting the user ID where an owner ID belongs succeeds silently and assigns records to the wrong person.",
		sql: `SELECT o.id || ': owner ID of ' || o.name || ', user ID of ' || k.name, k.id, o.id, '', 1
			FROM owners o JOIN ` + knownUserIDs + ` k ON k.id = o.id
			WHERE o.user_id_including_inactive <> k.id
			ORDER BY o.id`,
	},
	{
		kind:  FindingOwnerEmailMismatch,
		title: "Owners whose email differs from their user's email",
		why:   "Imports and tools that match people by email pick the wrong record, or none.",
		sql: `SELECT o.name || ' (owner ' || o.id || '): owner ' || o.email || ', user ' || u.email, u.id, o.id, '', 1
			FROM owners o JOIN users u ON u.id = o.user_id
			WHERE lower(o.email) <> lower(u.email)
			ORDER BY o.name COLLATE NOCASE, o.id`,
	},
	{
		kind:  FindingCRMUserMismatch,
		title: "CRM user records that disagree with the owners and users APIs",
		why:   "Workflows and integrations that read the CRM users object route records to the wrong owner or none.",
		sql: `SELECT 'CRM user record ' || c.id || ' (' || c.email || '): ' || CASE
					WHEN NOT EXISTS (SELECT 1 FROM ` + knownUserIDs + ` k WHERE k.id = c.internal_user_id)
						THEN 'hs_internal_user_id ' || quote(c.internal_user_id) || ' is no known user'
					WHEN x.owner_id IS NULL
						THEN 'hubspot_owner_id ' || c.owner_id || ', but user ' || c.internal_user_id || ' has no owner'
					ELSE 'hubspot_owner_id ' || COALESCE(NULLIF(c.owner_id, ''), '(empty)') || ', but user ' || c.internal_user_id || '''s owner is ' || x.owner_id END,
				c.internal_user_id, COALESCE(x.owner_id, ''), c.id, 1
			FROM crm_users c
			LEFT JOIN (SELECT user_id_including_inactive AS user_id, MIN(id) AS owner_id FROM owners
				WHERE user_id_including_inactive <> '' GROUP BY user_id_including_inactive) x ON x.user_id = c.internal_user_id
			WHERE NOT EXISTS (SELECT 1 FROM ` + knownUserIDs + ` k WHERE k.id = c.internal_user_id)
			   OR c.owner_id <> COALESCE(x.owner_id, '')
			ORDER BY c.id`,
	},
	{
		kind:  FindingMultiRoleUsers,
		title: "Users holding several roles",
		why:   "Any user update through the API, a team change included, keeps only the primary role and silently drops the others.",
		sql: `SELECT u.name || ' (user ' || u.id || '): ' || count(*) || ' roles, ' ||
					group_concat(COALESCE(r.name, ur.role_id), ', '), u.id,
				COALESCE((SELECT id FROM owners WHERE user_id_including_inactive = u.id ORDER BY archived LIMIT 1), ''), '', 1
			FROM users u JOIN user_roles ur ON ur.user_id = u.id LEFT JOIN roles r ON r.id = ur.role_id
			GROUP BY u.id HAVING count(*) > 1
			ORDER BY u.name COLLATE NOCASE, u.id`,
	},
	{
		kind:  FindingQueueOwners,
		title: "Queue owners (information)",
		why:   "Queues hold records without a person behind them; listed so they are not mistaken for people.",
		info:  true,
		sql: `SELECT o.name || ' (owner ' || o.id || '): ' || COALESCE(cc.n, 0) || ' contacts', '', o.id, '', 1
			FROM owners o LEFT JOIN owner_contact_counts cc ON cc.owner_id = o.id
			WHERE o.type = 'QUEUE' ORDER BY o.name COLLATE NOCASE, o.id`,
	},
}

// Findings computes every finding kind, in a fixed order, including those
// with nothing to report (Count 0), then the groups of the per-type kinds
// (records-*) that have something to report, by type and owner property.
func (m *Mirror) Findings(ctx context.Context) ([]Finding, error) {
	out := make([]Finding, 0, len(findingQueries))
	for _, fq := range findingQueries {
		f, err := m.finding(ctx, fq)
		if err != nil {
			return nil, fmt.Errorf("finding %s: %w", fq.kind, err)
		}
		out = append(out, f)
	}
	groups, err := m.recordFindings(ctx)
	if err != nil {
		return nil, err
	}
	return append(out, groups...), nil
}

func (m *Mirror) finding(ctx context.Context, fq findingQuery) (Finding, error) {
	f := Finding{Kind: fq.kind, Title: fq.title, Why: fq.why, Info: fq.info}
	rows, err := m.db.QueryContext(ctx, fq.sql)
	if err != nil {
		return f, err
	}
	defer rows.Close()
	for rows.Next() {
		var r FindingRecord
		var weight int
		if err := rows.Scan(&r.Label, &r.UserID, &r.OwnerID, &r.CRMUserID, &weight); err != nil {
			return f, err
		}
		r.Label = strings.TrimSpace(r.Label)
		f.Count += weight
		if len(f.Records) < FindingRecordLimit {
			f.Records = append(f.Records, r)
		}
	}
	return f, rows.Err()
}
