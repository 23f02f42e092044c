package hubspot

// RolesDroppedBy returns the roles HubSpot will remove from u when upd is sent
// as PUT /settings/v3/users/{id}.
//
// HubSpot keeps a single roleId on every user update: afterwards roleIds is
// [upd.RoleID], or [u.RoleID] when the update carries no role, or [] when
// neither exists. Every other role the user held, typically ones added in
// HubSpot's UI, is dropped with a 200. The result is in u's role order.
func RolesDroppedBy(u User, upd UserUpdate) []RoleID {
	kept := upd.RoleID
	if kept == "" {
		kept = u.RoleID
	}
	var dropped []RoleID
	for _, r := range u.Roles() {
		if r != kept {
			dropped = append(dropped, r)
		}
	}
	return dropped
}

// RolesAfterUpdate is what HubSpot reports in roleIds after upd is applied to u.
func RolesAfterUpdate(u User, upd UserUpdate) []RoleID {
	kept := upd.RoleID
	if kept == "" {
		kept = u.RoleID
	}
	if kept == "" {
		return []RoleID{}
	}
	return []RoleID{kept}
}
