package store

import "context"

// A filter matches what a row shows, not only the record's own fields: a
// contact row shows its owner's name, the owner ID and words for the owner's
// state; a user row shows "no owner" or "super admin"; an owner row shows
// "deactivated", "queue" or "no user". The words here are the console's
// (ui/render_rows.go); "archived" is HubSpot's word for a deactivated owner
// and matches too, since admins read it in HubSpot.
//
// SQLite's lower() folds ASCII only; the needle is lower-cased in Go, so an
// owner name with a capital non-ASCII letter is matched on its other letters.

// ownerShownSQL selects the owner IDs held by contacts whose owner column
// shows text containing ?N (the needle). It runs over owner_contact_counts
// (one row per owner ID a contact holds) and owners: thousands of rows at
// most, whatever the number of contacts.
const ownerShownSQL = `SELECT cc.owner_id FROM owner_contact_counts cc
	LEFT JOIN owners so ON so.id = cc.owner_id
	WHERE cc.n > 0 AND (
		(cc.owner_id = '' AND instr('no owner', ?N) > 0)
		OR (cc.owner_id <> '' AND instr(cc.owner_id, ?N) > 0)
		OR instr(lower(so.name), ?N) > 0
		OR (so.archived = 1 AND (instr('archived', ?N) > 0 OR instr('deactivated', ?N) > 0))
		OR (cc.owner_id <> '' AND so.id IS NULL AND instr('? unknown', ?N) > 0))`

// ownerShown is ownerShownSQL with its needle as parameter ?n.
func ownerShown(n string) string { return replaceParam(ownerShownSQL, n) }

// userShownSQL matches the words a user row shows besides its fields; u is
// the user and o its owner (NULL when none).
const userShownSQL = `(o.id IS NULL AND instr('no owner', ?1) > 0)
	OR (u.super_admin = 1 AND instr('super admin', ?1) > 0)`

// ownerStateSQL matches the words an owner row shows for its state.
const ownerStateSQL = `(o.archived = 1 AND (instr('deactivated', ?1) > 0 OR instr('archived', ?1) > 0))
	OR (o.archived = 0 AND o.type = 'QUEUE' AND instr('queue', ?1) > 0)
	OR (o.archived = 0 AND o.type <> 'QUEUE' AND o.user_id = '' AND instr('no user', ?1) > 0)`

func replaceParam(fragment, n string) string {
	out := make([]byte, 0, len(fragment))
	for i := 0; i < len(fragment); i++ {
		if fragment[i] == '?' && i+1 < len(fragment) && fragment[i+1] == 'N' {
			out = append(out, '?')
			out = append(out, n...)
			i++
			continue
		}
		out = append(out, fragment[i])
	}
	return string(out)
}

// contactsTextPage pages through the contacts whose own text matches, from
// the trigram index (?1 a phrase, ?2 the limit, ?3 the offset).
const contactsTextPage = `SELECT ` + contactColumns + `
	FROM (SELECT rowid AS id FROM contacts_fts WHERE contacts_fts MATCH ?1 ORDER BY rowid LIMIT ?2 OFFSET ?3) f
	JOIN contacts c ON c.id = f.id
	` + contactJoin + `
	ORDER BY c.id`

// contactsShownPage pages through the contacts whose own text (the trigram
// index, ?1 as a phrase) or owner column (?4, the needle) matches, in ID
// order. Each side is cut at offset+limit (?2) before the union, so a page
// costs two short index walks however many contacts match.
func contactsShownPage() string {
	return `SELECT ` + contactColumns + `
		FROM (
			SELECT id FROM (SELECT rowid AS id FROM contacts_fts WHERE contacts_fts MATCH ?1 ORDER BY rowid LIMIT ?2)
			UNION
			SELECT id FROM (SELECT id FROM contacts WHERE owner_id IN (` + ownerShown("4") + `) ORDER BY id LIMIT ?2)
			ORDER BY id LIMIT ?3 OFFSET ?5
		) f
		JOIN contacts c ON c.id = f.id
		` + contactJoin + `
		ORDER BY c.id`
}

// ownersShown counts the owner IDs whose column text holds needle and the
// contacts they hold. Most needles match no owner, and then the contact
// queries skip the owner side altogether.
func (m *Mirror) ownersShown(ctx context.Context, needle string) (owners, contacts int, err error) {
	err = m.db.QueryRowContext(ctx, `SELECT count(*), COALESCE(sum(n), 0) FROM owner_contact_counts
		WHERE owner_id IN (`+ownerShown("1")+`)`, needle).Scan(&owners, &contacts)
	return owners, contacts, err
}

// countContactsShown counts the union without building it: the index's
// matches, plus the owners' counts, less the contacts that are both.
func (m *Mirror) countContactsShown(ctx context.Context, needle string) (int, error) {
	var n int
	owners, _, err := m.ownersShown(ctx, needle)
	if err != nil {
		return 0, err
	}
	if owners == 0 {
		err = m.db.QueryRowContext(ctx, `SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH ?`, ftsPhrase(needle)).Scan(&n)
		return n, err
	}
	err = m.db.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH ?1)
		+ COALESCE((SELECT sum(n) FROM owner_contact_counts WHERE owner_id IN (`+ownerShown("2")+`)), 0)
		- (SELECT count(*) FROM contacts_fts f JOIN contacts c ON c.id = f.rowid
			WHERE contacts_fts MATCH ?1 AND c.owner_id IN (`+ownerShown("2")+`))`,
		ftsPhrase(needle), needle).Scan(&n)
	return n, err
}
