package store

// Sort keys a Query may order by. Every order ends with the record's ID, so
// equal keys keep one stable order between pages and refreshes.
const (
	SortName     = "name"     // users, owners, contacts (contacts: first then last name)
	SortRecords  = "records"  // users, owners: contacts owned, most first
	SortRoles    = "roles"    // users: number of roles, most first
	SortChanged  = "changed"  // users: their owner's last update in HubSpot, newest first
	SortID       = "id"       // owners: owner ID; contacts: contact ID (the default)
	SortOwner    = "owner"    // contacts: owner ID, so one owner's contacts sit together
	SortModified = "modified" // contacts: last modified, newest first
)

// UserSorts, OwnerSorts and ContactSorts list each list's keys, the
// default first.
var (
	UserSorts    = []string{SortName, SortRecords, SortRoles, SortChanged}
	OwnerSorts   = []string{SortName, SortID, SortRecords}
	ContactSorts = []string{SortID, SortName, SortOwner, SortModified}
)

// userOrder is the ORDER BY of Users for a key; u is the user, o its owner
// and cc the owner's contact count.
func userOrder(key string) string {
	const byName = `u.name COLLATE NOCASE, u.id`
	switch key {
	case SortRecords:
		return `COALESCE(cc.n, 0) DESC, ` + byName
	case SortRoles:
		return `(SELECT count(*) FROM user_roles WHERE user_id = u.id) DESC, ` + byName
	case SortChanged:
		return `COALESCE(o.updated_at, 0) DESC, ` + byName
	}
	return byName
}

// ownerOrder is the ORDER BY of Owners for a key.
func ownerOrder(key string) string {
	const byName = `o.name COLLATE NOCASE, o.id`
	switch key {
	case SortID:
		return `CAST(o.id AS INTEGER), o.id`
	case SortRecords:
		return `COALESCE(cc.n, 0) DESC, ` + byName
	}
	return byName
}

// contactOrder is the ORDER BY of Contacts for a key, "" for ID order. Each
// walks an index (contacts_owner, and contacts_name and contacts_modified
// from migration 0005), so the first page of a million contacts sorted is
// as quick as unsorted.
func contactOrder(key string) string {
	switch key {
	case SortName:
		return `c.first_name COLLATE NOCASE, c.last_name COLLATE NOCASE, c.id`
	case SortOwner:
		return `c.owner_id, c.id`
	case SortModified:
		return `c.last_modified DESC, c.id DESC`
	}
	return ""
}
