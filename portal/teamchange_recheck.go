package portal

import (
	"context"
	"fmt"
	"slices"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// Before a team or role change is planned for the confirm, its users are
// read again from HubSpot: a role added in HubSpot's UI since the last sync
// is exactly what a user PUT would silently drop, so the warning must
// count it. A user that changed is written to the mirror, the plan is made
// from what HubSpot has now, and the notes (journaled with the plan) say
// whose roles or teams had changed. Reads only: a read-only portal sends
// them too.

// RereadLimit is the most users re-read before a change; a larger change
// is planned from the mirror, and its notes say so.
const RereadLimit = 50

// RereadUsers reads users from HubSpot, puts into the mirror those whose
// roles or teams changed since the last sync, and returns notes saying so.
func (p *Portal) RereadUsers(ctx context.Context, ids []hubspot.UserID) ([]string, error) {
	ids = distinctIDs(ids)
	if len(ids) > RereadLimit {
		return []string{fmt.Sprintf("planned from the mirror as last synced: %s are more than the %d read again from HubSpot before a change", Plural(len(ids), "user"), RereadLimit)}, nil
	}
	var changed []string
	for _, id := range ids {
		now, err := p.client.GetUser(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("reading user %s from HubSpot before the change: %w", id, err)
		}
		rows, err := p.mirror.Users(ctx, store.Query{UserID: id, Limit: 1})
		if err != nil {
			return nil, err
		}
		if len(rows) == 1 && sameAccess(rows[0], now) {
			continue
		}
		if err := p.mirror.PutUser(ctx, now); err != nil {
			return nil, err
		}
		changed = append(changed, now.Name())
	}
	if len(changed) == 0 {
		return []string{fmt.Sprintf("checked against HubSpot just now: %s as the mirror has them", Plural(len(ids), "user"))}, nil
	}
	return []string{fmt.Sprintf("roles or teams changed in HubSpot since the last sync for %s: planned from what HubSpot has now", namedCount(changed, "user"))}, nil
}

// sameAccess reports whether the mirror's row holds the roles and teams
// HubSpot now reports for the user.
func sameAccess(row store.UserRow, u hubspot.User) bool {
	return row.PrimaryRoleID == u.RoleID && sameSet(row.RoleIDs, u.Roles()) &&
		row.PrimaryTeamID == u.PrimaryTeamID && sameSet(row.SecondaryTeamIDs, u.SecondaryTeamIDs)
}

func sameSet[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}
