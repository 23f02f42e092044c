package store

import (
	"context"
	"database/sql"
	"strings"

	"github.com/hsadmin/hsadmin/hubspot"
)

// DefaultLimit is how many rows a query returns when Query.Limit is 0.
const DefaultLimit = 200

func (q Query) limit() int {
	if q.Limit <= 0 {
		return DefaultLimit
	}
	return q.Limit
}

// needle is the filter as the search columns hold text: lower-cased.
func (q Query) needle() string { return strings.ToLower(strings.TrimSpace(q.Filter)) }

// ownerOfUserSQL picks a user's owner: the active one when a user somehow
// has both an active and an archived owner.
const ownerOfUserSQL = `(SELECT id FROM owners WHERE user_id_including_inactive = %s ORDER BY archived, id LIMIT 1)`

// Users lists Settings users ordered by name, filtered over name, email,
// user ID, owner ID and CRM user record ID.
func (m *Mirror) Users(ctx context.Context, q Query) ([]UserRow, error) {
	roleNames, err := m.roleNames(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := m.db.QueryContext(ctx, `
		SELECT u.id, u.email, u.name, u.super_admin, u.role_id, u.primary_team_id, COALESCE(pt.name, ''),
			COALESCE((SELECT group_concat(role_id, ',') FROM
				(SELECT role_id FROM user_roles WHERE user_id = u.id ORDER BY role_id = u.role_id DESC, position)), ''),
			COALESCE((SELECT group_concat(team_id, ',') FROM
				(SELECT team_id FROM user_teams WHERE user_id = u.id AND is_primary = 0 ORDER BY team_id)), ''),
			COALESCE(o.id, ''), COALESCE(cu.id, ''), COALESCE(cc.n, 0), u.seat_names
		FROM users u
		LEFT JOIN teams pt ON pt.id = u.primary_team_id
		LEFT JOIN owners o ON o.id = `+sprintfSQL(ownerOfUserSQL, "u.id")+`
		LEFT JOIN crm_users cu ON cu.id = (SELECT id FROM crm_users WHERE internal_user_id = u.id ORDER BY id LIMIT 1)
		LEFT JOIN owner_contact_counts cc ON cc.owner_id = o.id
		WHERE (?1 = '' OR instr(u.search, ?1) > 0 OR instr(COALESCE(o.id, ''), ?1) > 0 OR instr(COALESCE(cu.id, ''), ?1) > 0
			OR `+userShownSQL+`)
		  AND (?2 = '' OR u.id = ?2)
		  AND (?3 = '' OR o.id = ?3)
		ORDER BY `+userOrder(q.Sort)+`
		LIMIT ?4 OFFSET ?5`,
		q.needle(), string(q.UserID), string(q.OwnerID), q.limit(), q.Offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []UserRow
	for rows.Next() {
		var u UserRow
		var super int
		var roles, teams, seats string
		if err := rows.Scan(&u.UserID, &u.Email, &u.Name, &super, &u.PrimaryRoleID, &u.PrimaryTeamID, &u.PrimaryTeamName,
			&roles, &teams, &u.OwnerID, &u.CRMUserID, &u.ContactCount, &seats); err != nil {
			return nil, err
		}
		u.SeatNames = splitSeats(seats)
		u.SuperAdmin = super != 0
		u.RoleIDs = splitIDs[hubspot.RoleID](roles)
		for _, r := range u.RoleIDs {
			u.RoleNames = append(u.RoleNames, roleNames[r])
		}
		u.SecondaryTeamIDs = splitIDs[hubspot.TeamID](teams)
		out = append(out, u)
	}
	return out, rows.Err()
}

// Owners lists owners, active and archived, ordered by name, filtered over
// name, email, owner ID and user ID.
func (m *Mirror) Owners(ctx context.Context, q Query) ([]OwnerRow, error) {
	rows, err := m.db.QueryContext(ctx, `
		SELECT o.id, o.email, o.name, o.type, o.user_id, o.user_id_including_inactive, o.archived,
			COALESCE((SELECT name FROM owner_teams WHERE owner_id = o.id AND is_primary = 1 LIMIT 1), ''),
			COALESCE(cc.n, 0)
		FROM owners o
		LEFT JOIN owner_contact_counts cc ON cc.owner_id = o.id
		WHERE (?1 = '' OR instr(o.search, ?1) > 0 OR `+ownerStateSQL+`)
		  AND (?2 = '' OR o.user_id_including_inactive = ?2)
		  AND (?3 = '' OR o.id = ?3)
		ORDER BY `+ownerOrder(q.Sort)+`
		LIMIT ?4 OFFSET ?5`,
		q.needle(), string(q.UserID), string(q.OwnerID), q.limit(), q.Offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OwnerRow
	for rows.Next() {
		var o OwnerRow
		var archived int
		if err := rows.Scan(&o.OwnerID, &o.Email, &o.Name, &o.Type, &o.UserID, &o.UserIDIncludingInactive, &archived,
			&o.PrimaryTeamName, &o.ContactCount); err != nil {
			return nil, err
		}
		o.Archived = archived != 0
		out = append(out, o)
	}
	return out, rows.Err()
}

// contactWhere selects contacts for q; its arguments are ?1 (needle) and
// ?2 (owner ID).
// The owner column's text matches too (row_filter.go).
var contactWhere = `WHERE (?1 = '' OR instr(c.search, ?1) > 0 OR c.owner_id IN (` + ownerShown("1") + `)) AND (?2 = '' OR c.owner_id = ?2)`

// contactColumns and contactJoin read a ContactRow.
const (
	contactColumns = `CAST(c.id AS TEXT), c.first_name, c.last_name, c.email, c.owner_id, c.last_modified, COALESCE(o.name, ''), o.archived`
	contactJoin    = `LEFT JOIN owners o ON o.id = c.owner_id`
)

// Contacts lists contacts ordered by ID, filtered over name, email,
// contact ID and what the owner column shows (row_filter.go), and to one owner with q.OwnerID. A filter of three or more
// characters without an owner goes through the trigram index, which
// returns matches in ID order, so a page costs milliseconds at a million
// contacts; otherwise the owner index or a scan that stops at the page.
func (m *Mirror) Contacts(ctx context.Context, q Query) ([]ContactRow, error) {
	needle := q.needle()
	useFTS, err := m.ftsUsable(ctx, needle)
	if err != nil {
		return nil, err
	}
	var rows *sql.Rows
	order := contactOrder(q.Sort)
	switch {
	case order != "":
		// A sorted page walks the key's index and tests the filter per row.
		rows, err = m.db.QueryContext(ctx, `
			SELECT `+contactColumns+`
			FROM contacts c
			`+contactJoin+`
			`+contactWhere+`
			ORDER BY `+order+`
			LIMIT ?3 OFFSET ?4`,
			needle, string(q.OwnerID), q.limit(), q.Offset)
	case useFTS && q.OwnerID == "":
		var owners int
		if owners, _, err = m.ownersShown(ctx, needle); err != nil {
			return nil, err
		}
		if owners == 0 {
			rows, err = m.db.QueryContext(ctx, contactsTextPage, ftsPhrase(needle), q.limit(), q.Offset)
			break
		}
		rows, err = m.db.QueryContext(ctx, contactsShownPage(),
			ftsPhrase(needle), q.Offset+q.limit(), q.limit(), needle, q.Offset)
	default:
		rows, err = m.db.QueryContext(ctx, `
			SELECT `+contactColumns+`
			FROM contacts c
			`+contactJoin+`
			`+contactWhere+`
			ORDER BY c.id
			LIMIT ?3 OFFSET ?4`,
			needle, string(q.OwnerID), q.limit(), q.Offset)
	}
	if err != nil {
		return nil, err
	}
	return scanContactRows(rows)
}

func contactOwnerState(id hubspot.OwnerID, archived sql.NullInt64) OwnerState {
	switch {
	case id == "":
		return OwnerNone
	case !archived.Valid:
		return OwnerUnknown
	case archived.Int64 != 0:
		return OwnerArchived
	}
	return OwnerActive
}

// CountContacts counts the contacts Contacts would list without paging.
func (m *Mirror) CountContacts(ctx context.Context, q Query) (int, error) {
	needle, owner := q.needle(), string(q.OwnerID)
	var n int
	var err error
	switch {
	case needle == "" && owner == "":
		err = m.db.QueryRowContext(ctx, `SELECT count(*) FROM contacts`).Scan(&n)
	case needle == "":
		err = m.db.QueryRowContext(ctx, `SELECT COALESCE((SELECT n FROM owner_contact_counts WHERE owner_id = ?), 0)`, owner).Scan(&n)
	default:
		useFTS, ftsErr := m.ftsUsable(ctx, needle)
		if ftsErr != nil {
			return 0, ftsErr
		}
		if useFTS && owner == "" {
			n, err = m.countContactsShown(ctx, needle)
		} else {
			err = m.db.QueryRowContext(ctx, `SELECT count(*) FROM contacts c `+contactWhere, needle, owner).Scan(&n)
		}
	}
	return n, err
}

func (m *Mirror) roleNames(ctx context.Context) (map[hubspot.RoleID]string, error) {
	rows, err := m.db.QueryContext(ctx, `SELECT id, name FROM roles`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	names := map[hubspot.RoleID]string{}
	for rows.Next() {
		var id hubspot.RoleID
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		names[id] = name
	}
	return names, rows.Err()
}

func splitIDs[T ~string](joined string) []T {
	if joined == "" {
		return nil
	}
	parts := strings.Split(joined, ",")
	out := make([]T, len(parts))
	for i, p := range parts {
		out[i] = T(p)
	}
	return out
}

// sprintfSQL substitutes a column name into a SQL fragment.
func sprintfSQL(fragment, column string) string { return strings.Replace(fragment, "%s", column, 1) }
