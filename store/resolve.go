package store

import (
	"context"
	"slices"
	"strings"

	"github.com/hsadmin/hsadmin/hubspot"
)

// ID schemes a pasted value can be read in.
const (
	SchemeOwnerID        = "owner ID"
	SchemeUserID         = "user ID"
	SchemeCRMUserID      = "CRM user record ID"
	SchemeInternalUserID = "hs_internal_user_id"
	SchemeEmail          = "email"
)

// Resolution says what a pasted value is. Ambiguous means its readings
// belong to different people: the classic case is a number that is the owner
// ID of one person and the user ID of another.
type Resolution struct {
	Input     string
	Matches   []Match
	Ambiguous bool
	// HeldAsOwnerID is what records hold the value as an owner ID when no
	// owner has that ID (a deleted owner, a user ID written by mistake),
	// per type and property.
	HeldAsOwnerID []Holding
	// UnknownOwnerContacts counts the contacts whose hubspot_owner_id is the
	// input while no owner has that ID: a number the owners list does not
	// know, yet records carry.
	UnknownOwnerContacts int
}

// Match is one reading of the value and the person it points at.
type Match struct {
	Scheme string
	Card   IDCard
}

// Resolve reads input (spaces trimmed) as every ID scheme it could be and as
// an email address (case-insensitive). An unknown value gives no matches and
// no error.
func (m *Mirror) Resolve(ctx context.Context, input string) (Resolution, error) {
	value := strings.TrimSpace(input)
	res := Resolution{Input: value}
	var err error
	switch {
	case strings.Contains(value, "@"):
		res.Matches, err = m.resolveEmail(ctx, value)
	case hubspot.IsNumeric(value):
		res.Matches, err = m.resolveNumber(ctx, value)
		if err == nil {
			res.UnknownOwnerContacts, err = m.unknownOwnerContacts(ctx, value)
		}
	}
	if err != nil {
		return Resolution{}, err
	}
	if hubspot.IsNumeric(value) && !slices.ContainsFunc(res.Matches, func(mt Match) bool { return mt.Scheme == SchemeOwnerID }) {
		if res.HeldAsOwnerID, err = m.OwnerHoldings(ctx, hubspot.OwnerID(value)); err != nil {
			return Resolution{}, err
		}
	}
	people := map[string]bool{}
	for _, mt := range res.Matches {
		people[personKey(mt.Card)] = true
	}
	res.Ambiguous = len(people) > 1
	return res, nil
}

// unknownOwnerContacts counts the contacts holding n as hubspot_owner_id
// when n is no owner's ID (0 when it is one: its card counts them).
func (m *Mirror) unknownOwnerContacts(ctx context.Context, n string) (int, error) {
	var count int
	err := m.db.QueryRowContext(ctx, `SELECT COALESCE((SELECT cc.n FROM owner_contact_counts cc
		WHERE cc.owner_id = ?1 AND NOT EXISTS (SELECT 1 FROM owners WHERE id = ?1)), 0)`, n).Scan(&count)
	return count, err
}

// personKey identifies the person a card describes across schemes.
func personKey(c IDCard) string {
	switch {
	case c.UserID != "":
		return "u" + string(c.UserID)
	case c.OwnerID != "":
		return "o" + string(c.OwnerID)
	}
	return "c" + string(c.CRMUserID)
}

func (m *Mirror) resolveNumber(ctx context.Context, n string) ([]Match, error) {
	var out []Match
	if exists, err := m.exists(ctx, `SELECT 1 FROM owners WHERE id = ?`, n); err != nil {
		return nil, err
	} else if exists {
		card, err := m.IDCardForOwner(ctx, hubspot.OwnerID(n))
		if err != nil {
			return nil, err
		}
		out = append(out, Match{SchemeOwnerID, card})
	}
	isUser, err := m.exists(ctx, `SELECT 1 FROM users WHERE id = ?1 UNION ALL SELECT 1 FROM owners WHERE user_id_including_inactive = ?1`, n)
	if err != nil {
		return nil, err
	}
	if isUser {
		card, err := m.IDCardForUser(ctx, hubspot.UserID(n))
		if err != nil {
			return nil, err
		}
		out = append(out, Match{SchemeUserID, card})
	}
	if exists, err := m.exists(ctx, `SELECT 1 FROM crm_users WHERE id = ?`, n); err != nil {
		return nil, err
	} else if exists {
		card, err := m.IDCardForCRMUser(ctx, hubspot.CRMUserID(n))
		if err != nil {
			return nil, err
		}
		out = append(out, Match{SchemeCRMUserID, card})
	}
	// hs_internal_user_id is the user ID again; it is a reading of its own
	// only when no user or owner knows the number (a record left behind).
	if !isUser {
		ids, err := m.strings(ctx, `SELECT id FROM crm_users WHERE internal_user_id = ? ORDER BY id`, n)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			card, err := m.IDCardForCRMUser(ctx, hubspot.CRMUserID(id))
			if err != nil {
				return nil, err
			}
			out = append(out, Match{SchemeInternalUserID, card})
		}
	}
	return out, nil
}

// resolveEmail finds every person with the address as a user, owner or CRM
// user record, each once.
func (m *Mirror) resolveEmail(ctx context.Context, email string) ([]Match, error) {
	var out []Match
	seen := map[string]bool{}
	add := func(card IDCard) {
		if k := personKey(card); !seen[k] {
			seen[k] = true
			out = append(out, Match{SchemeEmail, card})
		}
	}
	users, err := m.strings(ctx, `SELECT id FROM users WHERE email = ? COLLATE NOCASE ORDER BY id`, email)
	if err != nil {
		return nil, err
	}
	for _, id := range users {
		card, err := m.IDCardForUser(ctx, hubspot.UserID(id))
		if err != nil {
			return nil, err
		}
		add(card)
	}
	owners, err := m.strings(ctx, `SELECT id FROM owners WHERE email = ? COLLATE NOCASE ORDER BY id`, email)
	if err != nil {
		return nil, err
	}
	for _, id := range owners {
		card, err := m.IDCardForOwner(ctx, hubspot.OwnerID(id))
		if err != nil {
			return nil, err
		}
		add(card)
	}
	records, err := m.strings(ctx, `SELECT id FROM crm_users WHERE email = ? COLLATE NOCASE ORDER BY id`, email)
	if err != nil {
		return nil, err
	}
	for _, id := range records {
		card, err := m.IDCardForCRMUser(ctx, hubspot.CRMUserID(id))
		if err != nil {
			return nil, err
		}
		add(card)
	}
	return out, nil
}

func (m *Mirror) exists(ctx context.Context, query string, args ...any) (bool, error) {
	rows, err := m.db.QueryContext(ctx, query, args...)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	return rows.Next(), rows.Err()
}

func (m *Mirror) strings(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := m.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
