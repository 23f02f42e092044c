package hubspottest

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
)

// portal is the sandbox's state. Team membership lives only on users
// (primaryTeam, secondaryTeams); teams' member lists and owners' teams are
// derived from it, so they cannot disagree.
type portal struct {
	hubID  int64
	anchor time.Time // the generator's "now": dates are spread over the year before it

	roles    []*role
	roleByID map[hubspot.RoleID]*role
	teams    []*team
	teamByID map[hubspot.TeamID]*team

	users    []*user // ascending numeric ID
	userByID map[hubspot.UserID]*user
	seats    []*seat

	owners    []*owner // ascending numeric ID, active and archived
	ownerByID map[hubspot.OwnerID]*owner

	crmUsers   []*crmUser // ascending numeric ID
	crmUsersBy map[hubspot.CRMUserID]*crmUser

	contacts *contactSet
	fixtures Fixtures

	types      []*objectType         // companies, deals, tickets, the custom object
	objects    map[string]*recordSet // by type name
	objectSeed uint64
}

type role struct {
	id      hubspot.RoleID
	name    string
	billing bool // requiresBillingWrite: a paid seat
}

type team struct {
	id       hubspot.TeamID
	name     string
	parentID hubspot.TeamID
}

type user struct {
	id             hubspot.UserID
	email          string
	first, last    string
	roleID         hubspot.RoleID
	roleIDs        []hubspot.RoleID
	primaryTeam    hubspot.TeamID
	secondaryTeams []hubspot.TeamID
	seatNames      []string
	superAdmin     bool

	// extraDefaults are DEFAULT memberships beside primaryTeam, which only
	// TeamsBeta.AddDefault = AddDefaultKeepsBoth creates.
	extraDefaults []hubspot.TeamID
}

type owner struct {
	id                      hubspot.OwnerID
	kind                    hubspot.OwnerType
	email                   string
	first, last             string
	userID                  hubspot.UserID // "" for archived owners and queues
	userIDIncludingInactive hubspot.UserID
	createdAt, updatedAt    time.Time
	archived                bool
}

// crmUser is a record of the CRM users object (0-115).
type crmUser struct {
	id                   hubspot.CRMUserID
	props                map[string]string
	createdAt, updatedAt time.Time
}

func (p *portal) installingUser() hubspot.UserID {
	for _, u := range p.users {
		if u.superAdmin {
			return u.id
		}
	}
	if len(p.users) > 0 {
		return p.users[0].id
	}
	return ""
}

// userByEmail finds a user by email, case-insensitively as HubSpot does.
func (p *portal) userByEmail(email string) *user {
	for _, u := range p.users {
		if strings.EqualFold(u.email, email) {
			return u
		}
	}
	return nil
}

// activeOwner returns the owner with this ID if it can hold records:
// archived owners cannot be assigned.
func (p *portal) activeOwner(id string) *owner {
	o := p.ownerByID[hubspot.OwnerID(id)]
	if o == nil || o.archived {
		return nil
	}
	return o
}

func (p *portal) ownerOfUser(id hubspot.UserID, archived bool) *owner {
	for _, o := range p.owners {
		if o.archived != archived {
			continue
		}
		uid := o.userID
		if archived {
			uid = o.userIDIncludingInactive
		}
		if uid == id {
			return o
		}
	}
	return nil
}

// ownerTeams derives an owner's teams from its user's memberships.
func (p *portal) ownerTeams(o *owner) []wireOwnerTeam {
	u := p.userByID[o.userID]
	if o.archived || u == nil {
		return nil
	}
	var out []wireOwnerTeam
	if t := p.teamByID[u.primaryTeam]; t != nil {
		out = append(out, wireOwnerTeam{ID: string(t.id), Name: t.name, Primary: true})
	}
	for _, id := range u.secondaryTeams {
		if t := p.teamByID[id]; t != nil {
			out = append(out, wireOwnerTeam{ID: string(t.id), Name: t.name})
		}
	}
	return out
}

// teamMembers lists a team's members: primary (DEFAULT) members, then
// secondary (EXTRA) ones, each in user ID order.
func (p *portal) teamMembers(id hubspot.TeamID) (primary, secondary []hubspot.UserID) {
	primary, secondary = []hubspot.UserID{}, []hubspot.UserID{}
	for _, u := range p.users {
		if u.hasDefault(id) {
			primary = append(primary, u.id)
		}
		if slices.Contains(u.secondaryTeams, id) {
			secondary = append(secondary, u.id)
		}
	}
	return primary, secondary
}

// numLess orders decimal ID strings numerically.
func numLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

func numCompare(a, b string) int {
	switch {
	case a == b:
		return 0
	case numLess(a, b):
		return -1
	}
	return 1
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// ---- accessors for tests (no HTTP) ----

// User returns a Settings user as the API would report it.
func (s *Server) User(id hubspot.UserID) (hubspot.User, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	u := s.p.userByID[id]
	if u == nil {
		return hubspot.User{}, false
	}
	return hubspot.User{
		ID: u.id, Email: u.email, FirstName: u.first, LastName: u.last,
		RoleID: u.roleID, RoleIDs: slices.Clone(u.roleIDs),
		PrimaryTeamID: u.primaryTeam, SecondaryTeamIDs: slices.Clone(u.secondaryTeams),
		SeatNames: slices.Clone(u.seatNames), SuperAdmin: u.superAdmin,
	}, true
}

// Owner returns an owner, active or archived.
func (s *Server) Owner(id hubspot.OwnerID) (hubspot.Owner, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	o := s.p.ownerByID[id]
	if o == nil {
		return hubspot.Owner{}, false
	}
	out := hubspot.Owner{
		ID: o.id, Email: o.email, Type: o.kind, FirstName: o.first, LastName: o.last,
		UserID: o.userID, UserIDIncludingInactive: o.userIDIncludingInactive,
		CreatedAt: o.createdAt, UpdatedAt: o.updatedAt, Archived: o.archived,
	}
	for _, t := range s.p.ownerTeams(o) {
		out.Teams = append(out.Teams, hubspot.OwnerTeam{ID: hubspot.TeamID(t.ID), Name: t.Name, Primary: t.Primary})
	}
	return out, true
}

// Contact returns a contact with every property it has; for a merged-away
// ID, the survivor, as HubSpot answers.
func (s *Server) Contact(id hubspot.ContactID) (hubspot.Contact, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	idx, ok := s.p.findContact(string(id), "")
	if !ok {
		return hubspot.Contact{}, false
	}
	c := s.p.contacts.view(idx)
	id = hubspot.ContactID(strconv.FormatUint(c.id(), 10))
	props := hubspot.Properties{}
	for _, name := range contactPropertyNames {
		if v, ok := c.value(name); ok {
			props[name] = v
		}
	}
	return hubspot.Contact{
		ID: id, Properties: props,
		CreatedAt: millisTime(c.created()), UpdatedAt: millisTime(c.modified()),
	}, true
}

// Fixtures names generated records with known properties.
func (s *Server) Fixtures() Fixtures {
	f := s.p.fixtures
	f.Teams = slices.Clone(f.Teams)
	f.Roles = slices.Clone(f.Roles)
	return f
}

// Summary counts what the portal holds now.
func (s *Server) Summary() Summary {
	s.mu.RLock()
	defer s.mu.RUnlock()
	sum := Summary{
		Users: len(s.p.users), Teams: len(s.p.teams), Roles: len(s.p.roles),
		Owners: len(s.p.owners), CRMUsers: len(s.p.crmUsers), Contacts: s.p.contacts.n,
	}
	for _, u := range s.p.users {
		if len(u.roleIDs) > 1 {
			sum.MultiRoleUsers++
		}
	}
	for _, o := range s.p.owners {
		if o.archived {
			sum.ArchivedOwners++
		}
		if o.kind == hubspot.OwnerQueue {
			sum.QueueOwners++
		}
	}
	return sum
}
