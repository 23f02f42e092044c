package hubspottest

import (
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
)

// The generator builds a realistic portal from a seed. Users, owners and CRM
// user records are few and kept in memory; contacts are derived on demand
// from (seed, index) by contactSet, so a million cost nothing up front.
//
// ID ranges are chosen so the three person ID schemes never coincide except
// where the generator makes them collide on purpose:
//
//	user IDs        1,200,000 + ~5,000 per person      (7-8 digits)
//	owner IDs     160,000,000 + ~2,000 per owner       (9 digits)
//	CRM user IDs  207,838,823,235 + ...                (12 digits)

type person struct {
	id          hubspot.UserID
	first, last name
	email       string
	deactivated bool
	user        *user  // nil when deactivated
	owner       *owner // nil when the person has no owner
}

const (
	userIDBase    = 1_200_000
	userIDStride  = 4_999
	ownerIDBase   = 160_000_000
	ownerIDStride = 2_011
	crmUserIDBase = 207_838_823_235
	roleIDBase    = 3_000_000
	teamIDBase    = 368_389
	day           = 24 * time.Hour
)

func generate(seed int64, nUsers, nContacts int, hubID int64, now time.Time) *portal {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	anchor := now.UTC().Truncate(day)
	p := &portal{
		hubID:      hubID,
		anchor:     anchor,
		roleByID:   map[hubspot.RoleID]*role{},
		teamByID:   map[hubspot.TeamID]*team{},
		userByID:   map[hubspot.UserID]*user{},
		ownerByID:  map[hubspot.OwnerID]*owner{},
		crmUsersBy: map[hubspot.CRMUserID]*crmUser{},
	}
	g := &generator{p: p, rng: rng, anchor: anchor}
	g.rolesAndTeams()
	people := g.people(nUsers)
	g.assignRolesAndTeams(people)
	p.buySeats()
	g.ownersFor(people)
	g.crmRecords(people)
	owners := g.contactOwners()
	owners.unlinked = g.ownersWithoutUsers(seed)
	p.contacts = newContactSet(uint64(seed), nContacts, anchor, owners)
	return p
}

type generator struct {
	p      *portal
	rng    *rand.Rand
	anchor time.Time

	active     []*person // active users, ascending user ID
	candidates []*person // active non-super-admin users, shuffled: fixtures are picked from here
	archived   []*owner
	queue      *owner
	noOwner    map[*person]bool
}

func (g *generator) rolesAndTeams() {
	for k, r := range roleNames {
		id := hubspot.RoleID(itoa(int64(roleIDBase + k*1_117 + g.rng.IntN(1_000))))
		ro := &role{id: id, name: r.name, billing: r.billing}
		g.p.roles = append(g.p.roles, ro)
		g.p.roleByID[id] = ro
		g.p.fixtures.Roles = append(g.p.fixtures.Roles, id)
	}
	for k, name := range teamNames {
		id := hubspot.TeamID(itoa(int64(teamIDBase + k*977 + g.rng.IntN(900))))
		t := &team{id: id, name: name}
		g.p.teams = append(g.p.teams, t)
		g.p.teamByID[id] = t
		g.p.fixtures.Teams = append(g.p.fixtures.Teams, id)
	}
	// Support reports into Customer Success, as teams often nest.
	g.p.teams[4].parentID = g.p.teams[3].id
}

// people creates nUsers active users plus some deactivated former users,
// interleaved in ID order as they would be in a real portal.
func (g *generator) people(nUsers int) []*person {
	former := max(2, nUsers/12)
	total := nUsers + former
	emails := map[string]bool{}
	all := make([]*person, total)
	for i := range all {
		first := firstNames[g.rng.IntN(len(firstNames))]
		last := lastNames[g.rng.IntN(len(lastNames))]
		switch i {
		case 3:
			first, last = rtlFirst, rtlLast
		case 5:
			first, last = emojiFirst, emojiLast
		}
		local := first.ascii + "." + last.ascii
		email := local + "@" + companyDomain
		for n := 2; emails[email]; n++ {
			email = local + itoa(int64(n)) + "@" + companyDomain
		}
		emails[email] = true
		all[i] = &person{
			id:    hubspot.UserID(itoa(int64(userIDBase + i*userIDStride + g.rng.IntN(userIDStride-1)))),
			first: first, last: last, email: email,
		}
	}
	// Deactivate former users anywhere but the first person, the super admin.
	for _, i := range g.rng.Perm(total - 1)[:former] {
		all[i+1].deactivated = true
	}
	for _, pe := range all {
		if pe.deactivated {
			continue
		}
		u := &user{id: pe.id, email: pe.email, first: pe.first.display, last: pe.last.display, roleIDs: []hubspot.RoleID{}}
		pe.user = u
		g.p.users = append(g.p.users, u)
		g.p.userByID[u.id] = u
		g.active = append(g.active, pe)
	}
	g.active[0].user.superAdmin = true
	g.candidates = slices.Clone(g.active[1:])
	g.rng.Shuffle(len(g.candidates), func(i, j int) {
		g.candidates[i], g.candidates[j] = g.candidates[j], g.candidates[i]
	})
	return all
}

// pick returns the k-th fixture candidate, or nil when the portal is too
// small to have a distinct one.
func (g *generator) pick(k int) *person {
	if k < len(g.candidates) {
		return g.candidates[k]
	}
	return nil
}

// Fixture slots in g.candidates.
const (
	slotMultiRole = iota
	slotSingleRole
	slotNoOwner
	slotActiveOwner
	slotCollidingOwnerHolder // owns an owner ID equal to slotCollidingUser's user ID
	slotCollidingUser
	slotSilentTrapHolder // owns an owner ID equal to slotSilentTrapUser's user ID...
	slotSilentTrapUser   // ...a user without an owner of their own
	slotStaleCRMRecord   // CRM record names another person's owner
	slotStaleCRMTarget
	slotFirstOrdinary
)

func (g *generator) assignRolesAndTeams(people []*person) {
	roles, teams := g.p.roles, g.p.teams
	nonBilling := func() hubspot.RoleID {
		for {
			if r := roles[g.rng.IntN(len(roles))]; !r.billing {
				return r.id
			}
		}
	}
	for _, pe := range g.candidates {
		u := pe.user
		u.roleID = roles[g.rng.IntN(len(roles))].id
		u.roleIDs = []hubspot.RoleID{u.roleID}
		u.primaryTeam = teams[g.rng.IntN(len(teams))].id
		switch x := g.rng.IntN(100); {
		case x < 25:
			u.secondaryTeams = []hubspot.TeamID{g.otherTeam(u.primaryTeam)}
		case x < 30:
			a := g.otherTeam(u.primaryTeam)
			b := g.otherTeam(u.primaryTeam, a)
			u.secondaryTeams = []hubspot.TeamID{a, b}
		}
		if g.p.roleByID[u.roleID].billing {
			u.seatNames = []string{seatNames[g.rng.IntN(2)]}
		} else if g.rng.IntN(2) == 0 {
			u.seatNames = []string{seatNames[2]}
		}
	}
	// Several users hold extra roles granted in HubSpot's UI: the write API
	// cannot express them, so any user PUT drops them.
	multi := min(max(8, len(g.active)/7), len(g.candidates))
	for k, pe := range g.multiRoleUsers(multi) {
		u := pe.user
		n := 2 + g.rng.IntN(2)
		if k == 0 {
			n = 3
			u.roleID = nonBilling()
			if len(u.secondaryTeams) == 0 {
				u.secondaryTeams = []hubspot.TeamID{g.otherTeam(u.primaryTeam)}
			}
		}
		u.roleIDs = []hubspot.RoleID{u.roleID}
		for len(u.roleIDs) < n {
			if r := roles[g.rng.IntN(len(roles))].id; !slices.Contains(u.roleIDs, r) {
				u.roleIDs = append(u.roleIDs, r)
			}
		}
	}
	if single := g.pick(slotSingleRole); single != nil {
		single.user.roleID = nonBilling()
		single.user.roleIDs = []hubspot.RoleID{single.user.roleID}
	}
	// A user on default access: no role at all, like super admins.
	if len(g.candidates) > slotFirstOrdinary+4 {
		u := g.candidates[len(g.candidates)-1].user
		u.roleID, u.roleIDs, u.seatNames = "", []hubspot.RoleID{}, nil
	}
	// A second super admin who also sits in a team.
	if len(g.candidates) > slotFirstOrdinary+5 {
		u := g.candidates[len(g.candidates)-2].user
		u.superAdmin, u.roleID, u.roleIDs = true, "", []hubspot.RoleID{}
	}
	g.p.fixtures.MultiRoleUser = idOf(g.pick(slotMultiRole))
	g.p.fixtures.SingleRoleUser = idOf(g.pick(slotSingleRole))
}

// multiRoleUsers returns n users to give several roles, the MultiRoleUser
// fixture first; never the SingleRoleUser fixture.
func (g *generator) multiRoleUsers(n int) []*person {
	var out []*person
	if pe := g.pick(slotMultiRole); pe != nil {
		out = append(out, pe)
	}
	for k, pe := range g.candidates {
		if len(out) >= n {
			break
		}
		if k != slotMultiRole && k != slotSingleRole {
			out = append(out, pe)
		}
	}
	return out
}

func (g *generator) otherTeam(not ...hubspot.TeamID) hubspot.TeamID {
	for {
		if id := g.p.teams[g.rng.IntN(len(g.p.teams))].id; !slices.Contains(not, id) {
			return id
		}
	}
}

func idOf(pe *person) hubspot.UserID {
	if pe == nil {
		return ""
	}
	return pe.id
}

func (g *generator) ownersFor(people []*person) {
	g.noOwner = map[*person]bool{}
	for _, k := range []int{slotNoOwner, slotSilentTrapUser} {
		if pe := g.pick(k); pe != nil {
			g.noOwner[pe] = true
		}
	}
	// Users without contacts access have no owner: about one in ten.
	for k := slotFirstOrdinary; k < len(g.candidates) && len(g.noOwner) < max(2, len(g.active)/10); k += 3 {
		g.noOwner[g.candidates[k]] = true
	}

	var holders []*person
	for _, pe := range people {
		if pe.deactivated || !g.noOwner[pe] {
			holders = append(holders, pe)
		}
	}
	ids := make([]hubspot.OwnerID, len(holders)+1)
	for k := range ids {
		ids[k] = hubspot.OwnerID(itoa(int64(ownerIDBase + k*ownerIDStride + g.rng.IntN(ownerIDStride-1))))
	}
	// Owners are numbered in the order people got contacts access, not in
	// user ID order.
	g.rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })

	for k, pe := range holders {
		created := g.anchor.Add(-time.Duration(400+g.rng.IntN(1100)) * day).Add(time.Duration(g.rng.IntN(86_400_000)) * time.Millisecond)
		o := &owner{
			id: ids[k], kind: hubspot.OwnerPerson, email: pe.email,
			first: pe.first.display, last: pe.last.display,
			createdAt: created, updatedAt: created.Add(time.Duration(g.rng.IntN(300)) * day),
		}
		if pe.deactivated {
			o.archived = true
			o.userIDIncludingInactive = pe.id
			o.updatedAt = g.anchor.Add(-time.Duration(10+g.rng.IntN(300)) * day)
			g.archived = append(g.archived, o)
		} else {
			o.userID, o.userIDIncludingInactive = pe.id, pe.id
		}
		pe.owner = o
	}
	// HubSpot blanks the names of some archived owners; keep one like that.
	if n := len(g.archived); n > 1 {
		g.archived[n-1].first, g.archived[n-1].last = "", ""
	}
	qc := g.anchor.Add(-900 * day)
	g.queue = &owner{id: ids[len(ids)-1], kind: hubspot.OwnerQueue, first: "Inbound", last: "Leads Queue", createdAt: qc, updatedAt: qc}

	// The owner-ID trap: some owner IDs equal a DIFFERENT person's user ID.
	if a, b := g.pick(slotCollidingOwnerHolder), g.pick(slotCollidingUser); a != nil && b != nil {
		a.owner.id = hubspot.OwnerID(b.id)
		g.p.fixtures.CollidingUser, g.p.fixtures.CollidingOwner = b.id, a.owner.id
	}
	if a, b := g.pick(slotSilentTrapHolder), g.pick(slotSilentTrapUser); a != nil && b != nil {
		a.owner.id = hubspot.OwnerID(b.id)
	}
	g.staleOwnerEmail()

	all := []*owner{g.queue}
	for _, pe := range holders {
		all = append(all, pe.owner)
	}
	slices.SortFunc(all, func(a, b *owner) int { return numCompare(string(a.id), string(b.id)) })
	g.p.owners = all
	for _, o := range all {
		g.p.ownerByID[o.id] = o
	}

	f := &g.p.fixtures
	if pe := g.pick(slotNoOwner); pe != nil {
		f.UserWithoutOwner = pe.id
	}
	if pe := g.pick(slotActiveOwner); pe != nil {
		f.ActiveOwner, f.ActiveOwnerUser = pe.owner.id, pe.id
	}
	if len(g.archived) > 0 {
		f.ArchivedOwner = g.archived[0].id
	}
	f.QueueOwner = g.queue.id
}

// staleOwnerEmail gives one ordinary owner the email their user had before
// an address change: HubSpot keeps the owner's copy until it syncs, and
// tools that match people by email then miss them.
func (g *generator) staleOwnerEmail() {
	for k := slotFirstOrdinary; k < len(g.candidates); k++ {
		pe := g.candidates[k]
		if pe.owner == nil || g.noOwner[pe] {
			continue
		}
		pe.owner.email = pe.first.ascii + "." + pe.last.ascii + "@" + formerDomain
		g.p.fixtures.StaleEmailOwner = pe.owner.id
		return
	}
}

func (g *generator) crmRecords(people []*person) {
	order := slices.Clone(people)
	g.rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	next := int64(crmUserIDBase)
	records := map[*person]*crmUser{}
	for _, pe := range order {
		created := g.anchor.Add(-time.Duration(30+g.rng.IntN(700)) * day).Add(time.Duration(g.rng.IntN(86_400_000)) * time.Millisecond)
		modified := created.Add(time.Duration(g.rng.IntN(int(g.anchor.Sub(created)/time.Millisecond))) * time.Millisecond)
		id := hubspot.CRMUserID(itoa(next))
		next += int64(1_000 + g.rng.IntN(90_000))
		props := map[string]string{
			"hs_object_id":                  string(id),
			"hs_createdate":                 hubTime(created),
			"hs_lastmodifieddate":           hubTime(modified),
			"hs_email":                      pe.email,
			"hs_given_name":                 pe.first.display,
			"hs_family_name":                pe.last.display,
			"hs_searchable_calculated_name": strings.TrimSpace(pe.first.display + " " + pe.last.display),
			"hs_internal_user_id":           string(pe.id),
			"hs_deactivated":                "false",
			"hs_availability_status":        []string{"available", "away"}[g.rng.IntN(2)],
			"hs_job_title":                  jobTitles[g.rng.IntN(len(jobTitles))],
			"hs_standard_time_zone":         []string{"America/New_York", "Europe/Berlin", "America/Los_Angeles", "Asia/Tokyo"}[g.rng.IntN(4)],
		}
		if pe.deactivated {
			props["hs_deactivated"] = "true"
		}
		if pe.owner != nil {
			props["hubspot_owner_id"] = string(pe.owner.id)
		}
		cu := &crmUser{id: id, props: props, createdAt: created, updatedAt: modified}
		records[pe] = cu
		g.p.crmUsers = append(g.p.crmUsers, cu)
		g.p.crmUsersBy[id] = cu
	}
	// Two records disagree with the owner map on purpose, for findings to find:
	// one names another person's owner, one holds a user ID where an owner ID belongs.
	if a, b := g.pick(slotStaleCRMRecord), g.pick(slotStaleCRMTarget); a != nil && b != nil && a.owner != nil && b.owner != nil {
		records[a].props["hubspot_owner_id"] = string(b.owner.id)
	}
	for k := slotFirstOrdinary; k < len(g.candidates); k++ {
		if pe := g.candidates[k]; g.noOwner[pe] {
			records[pe].props["hubspot_owner_id"] = string(pe.id)
			break
		}
	}
}

// contactOwners is the pool contacts draw their owners from.
func (g *generator) contactOwners() contactOwnerPool {
	pool := contactOwnerPool{queue: string(g.queue.id), dangling: g.danglingOwnerID()}
	for _, o := range g.p.owners {
		switch {
		case o.kind == hubspot.OwnerQueue:
		case o.archived:
			pool.archived = append(pool.archived, string(o.id))
		default:
			pool.active = append(pool.active, string(o.id))
		}
	}
	f := g.p.fixtures
	pool.fixed = []string{string(f.ActiveOwner), string(f.ArchivedOwner), pool.dangling, "", pool.queue}
	if pool.fixed[0] == "" && len(pool.active) > 0 {
		pool.fixed[0] = pool.active[0]
	}
	return pool
}

// danglingOwnerID looks like an owner ID but is no owner: the owner was
// deleted while contacts still point at it.
func (g *generator) danglingOwnerID() string {
	for id := int64(ownerIDBase - 7); ; id -= 13 {
		if g.p.ownerByID[hubspot.OwnerID(itoa(id))] == nil {
			return itoa(id)
		}
	}
}
