package hubspottest

import (
	"slices"

	"github.com/hsadmin/hsadmin/hubspot"
)

// RemoveUser removes a Settings user as an admin does in HubSpot's UI, for
// tests of what happens to records of someone who is gone: the users API
// answers 404 for the user, and its owner is archived (userId null,
// userIdIncludingInactive kept). It reports whether there was such a user.
func (s *Server) RemoveUser(id hubspot.UserID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.p
	u := p.userByID[id]
	if u == nil {
		return false
	}
	p.strandSeats(u)
	delete(p.userByID, id)
	p.users = slices.DeleteFunc(p.users, func(u *user) bool { return u.id == id })
	for _, o := range p.owners {
		if o.userID == id && !o.archived {
			o.archived, o.userID = true, ""
		}
	}
	return true
}
