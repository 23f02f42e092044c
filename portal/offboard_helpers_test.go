package portal

import (
	"context"
	"slices"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

// offboardConfig is a small portal whose people own contacts, deals and
// tickets.
func offboardConfig() hubspottest.Config {
	return hubspottest.Config{Contacts: 600, Deals: 300, Tickets: 300, Companies: -1, CustomRecords: -1}
}

// leaver picks a user to offboard: not a super admin, in two teams, with
// a seat, owning contacts, deals and tickets.
func leaver(t testing.TB, e *env) store.UserRow {
	t.Helper()
	ctx := context.Background()
	users, err := e.p.Users(ctx, store.Query{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		live, ok := e.sb.User(u.UserID)
		if u.SuperAdmin || u.OwnerID == "" || !ok || len(live.SeatNames) == 0 || live.PrimaryTeamID == "" || len(live.SecondaryTeamIDs) != 1 {
			continue
		}
		holdings, err := e.p.Mirror().OwnerHoldings(ctx, u.OwnerID)
		if err != nil {
			t.Fatal(err)
		}
		types := map[hubspot.ObjectType]bool{}
		for _, h := range holdings {
			types[h.Type] = true
		}
		if types[hubspot.ObjectContacts] && types[hubspot.ObjectDeals] && types[hubspot.ObjectTickets] {
			return u
		}
	}
	t.Fatal("the sandbox has nobody owning contacts, deals and tickets in two teams with a seat")
	return store.UserRow{}
}

// successor is an active person owner other than the leaver.
func successor(t testing.TB, e *env, leaving store.UserRow) OwnerRef {
	t.Helper()
	return otherOwner(t, e.p, leaving.OwnerID)
}

// heldBy counts what the sandbox shows owner holding through the owner
// properties of holdings (what the mirror saw them hold before).
func heldBy(t testing.TB, e *env, owner hubspot.OwnerID, holdings []store.Holding) int {
	t.Helper()
	n := 0
	for _, h := range holdings {
		if h.Type == hubspot.ObjectContacts {
			for _, c := range allContacts(t, e.p) {
				got, ok := e.sb.Contact(c.ContactID)
				if ok && slices.Contains(store.SplitOwnerIDs(got.Properties[h.Property], true), owner) {
					n++
				}
			}
			continue
		}
		for i := 0; ; i++ {
			r, ok := e.sb.ObjectRecordAt(string(h.Type), i)
			if !ok {
				break
			}
			if slices.Contains(store.SplitOwnerIDs(r.Properties[h.Property], true), owner) {
				n++
			}
		}
	}
	return n
}
