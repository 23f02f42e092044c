package hubspottest

import (
	"net/http"
	"slices"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
)

// RemoveUser removes a Settings user as an admin does in HubSpot's UI, for
// tests of what happens to records of someone who is gone: the users API
// answers 404 for the user, and its owner is archived (userId null,
// userIdIncludingInactive kept). It reports whether there was such a user.
func (s *Server) RemoveUser(id hubspot.UserID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.p.userByID[id]
	if u == nil {
		return false
	}
	s.p.removeUser(u, s.now())
	return true
}

// removeUser takes u out of the portal: out of the users list and every
// team (memberships live on the user), its owner archived. Records keep
// pointing at the owner, as HubSpot leaves them. The caller holds the lock.
func (p *portal) removeUser(u *user, now time.Time) {
	p.strandSeats(u)
	delete(p.userByID, u.id)
	p.users = slices.DeleteFunc(p.users, func(x *user) bool { return x.id == u.id })
	for _, o := range p.owners {
		if o.userID == u.id && !o.archived {
			o.archived, o.userID, o.updatedAt = true, "", now
		}
	}
}

// errSuperAdminNotRemovable is the answer to removing a super admin. HubSpot
// refuses it (a super admin has to lose the permission in HubSpot's UI
// first), but no capture of the API's answer exists: the sandbox answers
// with the validation error this API gives for refused writes (FIDELITY.md
// row 19).
const errSuperAdminNotRemovable = "Error validating request."

// DELETE /settings/v3/users/{userId}?idProperty=USER_ID|EMAIL: 204 without
// a body; the owner is archived with userIdIncludingInactive kept.
func (c *call) deleteUser() {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	u := c.lookupUser()
	if u == nil {
		return
	}
	if u.superAdmin {
		c.invalid(errSuperAdminNotRemovable)
		return
	}
	c.s.p.removeUser(u, c.s.now())
	c.w.WriteHeader(http.StatusNoContent)
}
