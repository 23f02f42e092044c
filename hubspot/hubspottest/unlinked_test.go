package hubspottest

import (
	"github.com/hsadmin/hsadmin/hubspot"
	"net/http"
	"testing"
)

// TestOwnersWithoutUsersLeaveTheRestOfThePortal: the owners synced from
// Salesforce hold contacts only from the share that had no owner, so every
// other contact keeps the owner it had before they were added.
func TestOwnersWithoutUsersLeaveTheRestOfThePortal(t *testing.T) {
	s := New(Config{Now: newTestClock().Now})
	cs := s.p.contacts
	without := *cs
	without.owners.unlinked = nil
	unlinked := map[string]int{}
	for _, id := range cs.owners.unlinked {
		unlinked[id] = 0
	}
	for i := range cs.n {
		got, before := cs.view(i).generatedOwner(), without.view(i).generatedOwner()
		if _, isUnlinked := unlinked[got]; isUnlinked {
			unlinked[got]++
			if before != "" {
				t.Fatalf("contact %d moved from owner %q to %s", i, before, got)
			}
			continue
		}
		if got != before {
			t.Fatalf("contact %d: owner %q, was %q", i, got, before)
		}
	}
	if len(unlinked) != unlinkedOwners {
		t.Fatalf("%d owners without users, want %d", len(unlinked), unlinkedOwners)
	}
	for id, n := range unlinked {
		if n == 0 {
			t.Errorf("owner %s without a user holds no contacts in a %d-contact portal", id, cs.n)
		}
		if o := s.p.ownerByID[hubspot.OwnerID(id)]; o == nil || len(id) != 9 || id < "170000000" {
			t.Errorf("owner %s: %v", id, o)
		}
	}
}

// TestOwnerWithoutUserOnTheWire: GET by ID shows HubSpot's shape: an active
// PERSON, userId and userIdIncludingInactive null, no teams.
func TestOwnerWithoutUserOnTheWire(t *testing.T) {
	sb := newSandbox(t, Config{})
	id := string(sb.Fixtures().OwnerWithoutUser)
	r := sb.do(t, "GET", "/crm/v3/owners/"+id, "")
	expectStatus(t, r, http.StatusOK)
	m := r.json(t)
	uid, hasUID := m["userId"]
	incl, hasIncl := m["userIdIncludingInactive"]
	if m["type"] != "PERSON" || m["archived"] != false || !hasUID || uid != nil || !hasIncl || incl != nil || m["teams"] != nil || m["email"] == "" {
		t.Fatalf("owner %s: %s", id, r.body)
	}
	// Not found by a user ID, having none; not in the archived list.
	for _, o := range pageAll(t, sb, "/crm/v3/owners?archived=true", 10) {
		if o["id"] == id {
			t.Fatal("an owner without a user is listed as archived")
		}
	}
}
