package hubspottest

import (
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
)

// Owners without users. HubSpot lists active PERSON owners whose userId and
// userIdIncludingInactive are null and who have no teams: people who own
// records but never had a HubSpot user, typically owners synced from
// Salesforce (a captured fixture shows owner 1361098942 so). They are not
// deactivated: records can be assigned to them.
//
// They are drawn from a random stream of their own and numbered above every
// other owner, so that adding them changes no other owner, user or CRM
// record; contacts reach them only from the share that had no owner.
const (
	unlinkedOwners      = 3
	unlinkedOwnerIDBase = 170_000_000
	unlinkedOwnerStride = 3_001
	unlinkedStream      = 0x5a1e_5f0c_e0a5_0001
)

// ownersWithoutUsers adds the unlinked owners to the portal and returns
// their IDs, for the contact owner pool.
func (g *generator) ownersWithoutUsers(seed int64) []string {
	rng := rand.New(rand.NewPCG(uint64(seed), unlinkedStream))
	emails := map[string]bool{}
	for _, o := range g.p.owners {
		emails[strings.ToLower(o.email)] = true
	}
	for _, u := range g.p.users {
		emails[strings.ToLower(u.email)] = true
	}
	var ids []string
	for k := range unlinkedOwners {
		first := firstNames[rng.IntN(len(firstNames))]
		last := lastNames[rng.IntN(len(lastNames))]
		local := first.ascii + "." + last.ascii
		email := local + "@" + companyDomain
		for n := 2; emails[email]; n++ {
			email = local + itoa(int64(n)) + "@" + companyDomain
		}
		emails[email] = true
		created := g.anchor.Add(-time.Duration(200+rng.IntN(900)) * day).Add(time.Duration(rng.IntN(86_400_000)) * time.Millisecond)
		o := &owner{
			id:   hubspot.OwnerID(itoa(int64(unlinkedOwnerIDBase + k*unlinkedOwnerStride + rng.IntN(unlinkedOwnerStride-1)))),
			kind: hubspot.OwnerPerson, email: email, first: first.display, last: last.display,
			createdAt: created, updatedAt: created.Add(time.Duration(rng.IntN(120)) * day),
		}
		g.p.owners = append(g.p.owners, o)
		g.p.ownerByID[o.id] = o
		ids = append(ids, string(o.id))
	}
	slices.SortFunc(g.p.owners, func(a, b *owner) int { return numCompare(string(a.id), string(b.id)) })
	g.p.fixtures.OwnerWithoutUser = hubspot.OwnerID(ids[0])
	return ids
}
