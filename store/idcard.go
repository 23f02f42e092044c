package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/hsadmin/hsadmin/hubspot"
)

// ErrNotFound means the mirror holds no such record.
var ErrNotFound = errors.New("not found in the local mirror")

// The three records that can describe one person.
type userRec struct {
	id             hubspot.UserID
	email, name    string
	superAdmin     bool
	roleID         hubspot.RoleID
	primaryTeam    string
	secondaryTeams []string
	roles          []RoleRef
	seats          []string
}

type ownerRec struct {
	id          hubspot.OwnerID
	email, name string
	kind        hubspot.OwnerType
	userID      hubspot.UserID
	anyUserID   hubspot.UserID
	archived    bool
	primaryTeam string
	contacts    int
}

// withoutUser reports an active person owner that has no HubSpot user and
// never had one (HubSpot sends userId and userIdIncludingInactive null),
// typically synced from Salesforce. Such an owner is not deactivated.
func (o *ownerRec) withoutUser() bool {
	return o.kind == hubspot.OwnerPerson && !o.archived && o.userID == "" && o.anyUserID == ""
}

type crmRec struct {
	id          hubspot.CRMUserID
	email, name string
	internalID  hubspot.UserID
	ownerID     hubspot.OwnerID
	deactivated bool
}

// IDCardForUser describes the person with Settings user ID id, active or
// deactivated (known then through their archived owner or CRM record).
func (m *Mirror) IDCardForUser(ctx context.Context, id hubspot.UserID) (IDCard, error) {
	u, err := m.userRec(ctx, id)
	if err != nil {
		return IDCard{}, err
	}
	o, err := m.ownerRec(ctx, `WHERE user_id_including_inactive = ? ORDER BY archived, id LIMIT 1`, string(id))
	if err != nil {
		return IDCard{}, err
	}
	c, err := m.crmRec(ctx, `WHERE internal_user_id = ? ORDER BY id LIMIT 1`, string(id))
	if err != nil {
		return IDCard{}, err
	}
	if u == nil && o == nil && c == nil {
		return IDCard{}, fmt.Errorf("user ID %s: %w", id, ErrNotFound)
	}
	return m.card(ctx, id, u, o, c)
}

// IDCardForOwner describes the person (or queue) behind owner ID id.
func (m *Mirror) IDCardForOwner(ctx context.Context, id hubspot.OwnerID) (IDCard, error) {
	o, err := m.ownerRec(ctx, `WHERE id = ?`, string(id))
	if err != nil {
		return IDCard{}, err
	}
	if o == nil {
		return IDCard{}, fmt.Errorf("owner ID %s: %w", id, ErrNotFound)
	}
	var u *userRec
	var c *crmRec
	if o.anyUserID != "" {
		if u, err = m.userRec(ctx, o.anyUserID); err != nil {
			return IDCard{}, err
		}
		if c, err = m.crmRec(ctx, `WHERE internal_user_id = ? ORDER BY id LIMIT 1`, string(o.anyUserID)); err != nil {
			return IDCard{}, err
		}
	}
	if c == nil && o.kind != hubspot.OwnerQueue {
		if c, err = m.crmRec(ctx, `WHERE owner_id = ? ORDER BY id LIMIT 1`, string(id)); err != nil {
			return IDCard{}, err
		}
	}
	return m.card(ctx, o.anyUserID, u, o, c)
}

// IDCardForCRMUser describes the person behind a CRM user record.
func (m *Mirror) IDCardForCRMUser(ctx context.Context, id hubspot.CRMUserID) (IDCard, error) {
	c, err := m.crmRec(ctx, `WHERE id = ?`, string(id))
	if err != nil {
		return IDCard{}, err
	}
	if c == nil {
		return IDCard{}, fmt.Errorf("CRM user record %s: %w", id, ErrNotFound)
	}
	if c.internalID != "" {
		card, err := m.IDCardForUser(ctx, c.internalID)
		if err == nil && card.CRMUserID == id {
			return card, nil
		}
	}
	return m.card(ctx, c.internalID, nil, nil, c)
}

// card merges what the three records say about one person.
func (m *Mirror) card(ctx context.Context, userID hubspot.UserID, u *userRec, o *ownerRec, c *crmRec) (IDCard, error) {
	var card IDCard
	if c != nil {
		card.Name, card.Email = c.name, c.email
		card.CRMUserID, card.InternalUserID, card.CRMOwnerID = c.id, c.internalID, c.ownerID
		if userID == "" {
			userID = c.internalID
		}
	}
	if o != nil {
		card.Name, card.Email = firstNonEmpty(o.name, card.Name), firstNonEmpty(o.email, card.Email)
		card.OwnerID, card.OwnerType, card.OwnerArchived = o.id, o.kind, o.archived
		card.PrimaryTeam, card.ContactCount = o.primaryTeam, o.contacts
		card.Active = o.kind == hubspot.OwnerQueue && !o.archived
		if o.withoutUser() {
			card.Active, card.NoUser = true, true
		}
	}
	card.UserID = userID
	if u != nil {
		card.Name, card.Email = firstNonEmpty(u.name, card.Name), firstNonEmpty(u.email, card.Email)
		card.Active, card.SuperAdmin = true, u.superAdmin
		card.PrimaryRoleID, card.Roles, card.Seats = u.roleID, u.roles, u.seats
		card.PrimaryTeam, card.SecondaryTeams = firstNonEmpty(u.primaryTeam, card.PrimaryTeam), u.secondaryTeams
	}
	if o != nil {
		holdings, err := m.OwnerHoldings(ctx, o.id)
		if err != nil {
			return IDCard{}, err
		}
		card.Holdings = holdings
	}
	var ownerID hubspot.OwnerID
	if o != nil {
		ownerID = o.id
	}
	departure, err := m.departureOf(ctx, userID, ownerID)
	if err != nil {
		return IDCard{}, err
	}
	card.Departure = departure
	mismatches, err := m.mismatches(ctx, card, u, o, c)
	if err != nil {
		return IDCard{}, err
	}
	card.Mismatches = mismatches
	return card, nil
}

// mismatches are the sentences an admin can act on about one person.
func (m *Mirror) mismatches(ctx context.Context, card IDCard, u *userRec, o *ownerRec, c *crmRec) ([]string, error) {
	var out []string
	if u != nil && o != nil && o.email != "" && !strings.EqualFold(u.email, o.email) {
		out = append(out, fmt.Sprintf("Owner %s has email %s but user %s has %s: matching by email finds the wrong record.", o.id, o.email, u.id, u.email))
	}
	if u != nil && o == nil {
		out = append(out, fmt.Sprintf("User %s has no owner: records cannot be assigned to them (they may lack contacts access).", u.id))
	}
	if o != nil && o.withoutUser() {
		out = append(out, fmt.Sprintf("Owner %s is an owner with no HubSpot user, e.g. synced from Salesforce: it is active and records can be assigned to it, but nobody sees them in HubSpot.", o.id))
	}
	if o != nil && o.archived && o.contacts > 0 {
		out = append(out, fmt.Sprintf("Owner %s is archived (its user was deactivated) but still owns %d contacts.", o.id, o.contacts))
	}
	if c != nil {
		switch {
		case o == nil && c.ownerID != "":
			out = append(out, fmt.Sprintf("CRM user record %s says hubspot_owner_id %s, but this person has no owner.", c.id, c.ownerID))
		case o != nil && c.ownerID != o.id:
			out = append(out, fmt.Sprintf("CRM user record %s says hubspot_owner_id %q, but this person's owner ID is %s.", c.id, c.ownerID, o.id))
		}
		if card.UserID != "" && c.internalID != card.UserID {
			out = append(out, fmt.Sprintf("CRM user record %s says hs_internal_user_id %q, but this person's user ID is %s.", c.id, c.internalID, card.UserID))
		}
	}
	if u != nil && len(u.roles) > 1 {
		var dropped []string
		for _, r := range u.roles {
			if !r.Primary {
				dropped = append(dropped, roleLabel(r))
			}
		}
		out = append(out, fmt.Sprintf("Holds %d roles: any user update through the API keeps only the primary role and drops %s.", len(u.roles), strings.Join(dropped, ", ")))
	}
	if card.UserID != "" {
		other, err := m.personLabel(ctx, `SELECT name, id FROM owners WHERE id = ? AND user_id_including_inactive <> ?`, string(card.UserID), string(card.UserID))
		if err != nil {
			return nil, err
		}
		if other != "" {
			out = append(out, fmt.Sprintf("User ID %s is also the owner ID of %s: writing it into hubspot_owner_id assigns records to them.", card.UserID, other))
		}
	}
	if o != nil {
		other, err := m.personLabel(ctx, `SELECT name, id FROM users WHERE id = ? AND id <> ?`, string(o.id), string(o.anyUserID))
		if err != nil {
			return nil, err
		}
		if other != "" {
			out = append(out, fmt.Sprintf("Owner ID %s is also the user ID of %s: a user ID pasted for them would assign records to this owner.", o.id, other))
		}
	}
	return out, nil
}

func roleLabel(r RoleRef) string {
	if r.Name != "" {
		return r.Name
	}
	return string(r.ID)
}

// personLabel runs a query for (name, id) and returns "Name (id)", or ""
// when there is no row.
func (m *Mirror) personLabel(ctx context.Context, query string, args ...any) (string, error) {
	var name, id string
	err := m.db.QueryRowContext(ctx, query, args...).Scan(&name, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s (%s)", name, id), nil
}

func (m *Mirror) userRec(ctx context.Context, id hubspot.UserID) (*userRec, error) {
	u := &userRec{id: id}
	var super int
	var seats string
	err := m.db.QueryRowContext(ctx, `SELECT u.email, u.name, u.super_admin, u.role_id, COALESCE(t.name, ''), u.seat_names
		FROM users u LEFT JOIN teams t ON t.id = u.primary_team_id WHERE u.id = ?`, string(id)).
		Scan(&u.email, &u.name, &super, &u.roleID, &u.primaryTeam, &seats)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	u.superAdmin = super != 0
	u.seats = splitSeats(seats)
	rows, err := m.db.QueryContext(ctx, `SELECT ur.role_id, COALESCE(r.name, '') FROM user_roles ur LEFT JOIN roles r ON r.id = ur.role_id
		WHERE ur.user_id = ? ORDER BY ur.role_id = ? DESC, ur.position`, string(id), string(u.roleID))
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var r RoleRef
		if err := rows.Scan(&r.ID, &r.Name); err != nil {
			rows.Close()
			return nil, err
		}
		r.Primary = r.ID == u.roleID
		u.roles = append(u.roles, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	teams, err := m.db.QueryContext(ctx, `SELECT COALESCE(t.name, ut.team_id) FROM user_teams ut LEFT JOIN teams t ON t.id = ut.team_id
		WHERE ut.user_id = ? AND ut.is_primary = 0 ORDER BY 1`, string(id))
	if err != nil {
		return nil, err
	}
	defer teams.Close()
	for teams.Next() {
		var name string
		if err := teams.Scan(&name); err != nil {
			return nil, err
		}
		u.secondaryTeams = append(u.secondaryTeams, name)
	}
	return u, teams.Err()
}

func (m *Mirror) ownerRec(ctx context.Context, where string, args ...any) (*ownerRec, error) {
	o := &ownerRec{}
	var archived int
	err := m.db.QueryRowContext(ctx, `SELECT id, email, name, type, user_id, user_id_including_inactive, archived,
			COALESCE((SELECT name FROM owner_teams WHERE owner_id = owners.id AND is_primary = 1 LIMIT 1), ''),
			COALESCE((SELECT n FROM owner_contact_counts WHERE owner_id = owners.id), 0)
		FROM owners `+where, args...).
		Scan(&o.id, &o.email, &o.name, &o.kind, &o.userID, &o.anyUserID, &archived, &o.primaryTeam, &o.contacts)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	o.archived = archived != 0
	return o, nil
}

func (m *Mirror) crmRec(ctx context.Context, where string, args ...any) (*crmRec, error) {
	c := &crmRec{}
	var first, last string
	var deactivated int
	err := m.db.QueryRowContext(ctx, `SELECT id, email, given_name, family_name, internal_user_id, owner_id, deactivated FROM crm_users `+where, args...).
		Scan(&c.id, &c.email, &first, &last, &c.internalID, &c.ownerID, &deactivated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	c.name = strings.TrimSpace(first + " " + last)
	c.deactivated = deactivated != 0
	return c, nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
