package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"github.com/hsadmin/hsadmin/hubspot"
)

// ContactPosition is the row number (from 0) contact id has in the list
// Contacts gives for q (its filter, owner and sort; the page is ignored),
// or -1 when the contact is not in that list. The console uses it to keep
// the selected contact selected when its place is beyond the rows loaded,
// e.g. at row 40,000 once a filter is cleared.
func (m *Mirror) ContactPosition(ctx context.Context, q Query, id hubspot.ContactID) (int, error) {
	n, err := strconv.ParseInt(string(id), 10, 64)
	if err != nil {
		return -1, nil //nolint:nilerr // not a contact ID: in no list
	}
	needle := q.needle()
	var in int
	err = m.db.QueryRowContext(ctx, `SELECT 1 FROM contacts c `+contactWhere+` AND c.id = ?3`,
		needle, string(q.OwnerID), n).Scan(&in)
	if errors.Is(err, sql.ErrNoRows) {
		return -1, nil
	}
	if err != nil {
		return -1, err
	}
	var before int
	err = m.db.QueryRowContext(ctx, `SELECT count(*) FROM contacts c `+contactWhere+` AND `+contactBefore(q.Sort),
		needle, string(q.OwnerID), n).Scan(&before)
	return before, err
}

// contactBefore holds for the contacts that come before contact ?3 in the
// order of contactOrder(key) (ID order for the default).
func contactBefore(key string) string {
	switch key {
	case SortName:
		return `(c.first_name COLLATE NOCASE, c.last_name COLLATE NOCASE, c.id) <
			(SELECT first_name, last_name, id FROM contacts WHERE id = ?3)`
	case SortOwner:
		return `(c.owner_id, c.id) < (SELECT owner_id, id FROM contacts WHERE id = ?3)`
	case SortModified:
		return `(c.last_modified, c.id) > (SELECT last_modified, id FROM contacts WHERE id = ?3)`
	}
	return `c.id < ?3`
}
