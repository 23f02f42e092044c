package store

import (
	"context"
	"strings"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
)

// Counts says how much the mirror holds, for `hsadmin sync` and tests.
type Counts struct {
	Users, MultiRoleUsers, Roles, Teams           int
	Owners, ArchivedOwners, QueueOwners, CRMUsers int
	Contacts                                      int
}

// TypeCount is how many records of one type the mirror holds.
type TypeCount struct {
	Type             hubspot.ObjectType
	Singular, Plural string
	N                int
}

// Words is "1 company", "400 companies".
func (c TypeCount) Words() string {
	if c.N == 1 {
		return "1 " + strings.ToLower(c.Singular)
	}
	return thousands(c.N) + " " + strings.ToLower(c.Plural)
}

// Counts counts the mirror's rows.
func (m *Mirror) Counts(ctx context.Context) (Counts, error) {
	var c Counts
	err := m.db.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM users),
		(SELECT count(*) FROM (SELECT user_id FROM user_roles GROUP BY user_id HAVING count(*) > 1)),
		(SELECT count(*) FROM roles),
		(SELECT count(*) FROM teams),
		(SELECT count(*) FROM owners),
		(SELECT count(*) FROM owners WHERE archived = 1),
		(SELECT count(*) FROM owners WHERE type = 'QUEUE'),
		(SELECT count(*) FROM crm_users),
		(SELECT count(*) FROM contacts)`).
		Scan(&c.Users, &c.MultiRoleUsers, &c.Roles, &c.Teams, &c.Owners, &c.ArchivedOwners, &c.QueueOwners, &c.CRMUsers, &c.Contacts)
	return c, err
}

// RecordCounts counts the records of every type beyond contacts, in
// discovery order.
func (m *Mirror) RecordCounts(ctx context.Context) ([]TypeCount, error) {
	rows, err := m.db.QueryContext(ctx, `SELECT t.type, t.singular, t.plural, (SELECT count(*) FROM records r WHERE r.type = t.type)
		FROM object_types t WHERE t.type <> 'contacts' ORDER BY t.position`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TypeCount
	for rows.Next() {
		var c TypeCount
		if err := rows.Scan(&c.Type, &c.Singular, &c.Plural, &c.N); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CountContactsOfGeneration counts contacts a full sync generation has
// already written, so a resumed sync reports progress from where it was.
func (m *Mirror) CountContactsOfGeneration(ctx context.Context, gen int64) (int, error) {
	var n int
	err := m.db.QueryRowContext(ctx, `SELECT count(*) FROM contacts WHERE sync_gen = ?`, gen).Scan(&n)
	return n, err
}

// LastSync is when the contacts were last synced, fully or incrementally;
// zero when never.
func (m *Mirror) LastSync(ctx context.Context) (time.Time, error) {
	st, err := m.SyncState(ctx, PhaseContacts)
	return st.LastSync, err
}
