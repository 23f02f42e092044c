package portal

import (
	"context"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

func TestResolveEachIDKind(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 200}, nil)
	e.sync(t)
	ctx := context.Background()
	f := e.sb.Fixtures()

	resolve := func(input string) Resolution {
		t.Helper()
		res, err := e.p.Resolve(ctx, input)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	single := func(input, scheme string) store.IDCard {
		t.Helper()
		res := resolve(input)
		if len(res.Matches) != 1 || res.Ambiguous || res.Matches[0].Scheme != scheme {
			t.Fatalf("Resolve(%q) = %+v, want one %s match", input, res, scheme)
		}
		return res.Matches[0].Card
	}

	card := single(" "+string(f.ActiveOwner)+" ", "owner ID")
	if card.UserID != f.ActiveOwnerUser || card.OwnerID != f.ActiveOwner || !card.Active || card.OwnerType != hubspot.OwnerPerson || card.CRMUserID == "" {
		t.Fatalf("active owner card %+v", card)
	}
	if card.ContactCount == 0 {
		t.Fatalf("active owner card shows no contacts: %+v", card)
	}
	byUser := single(string(f.ActiveOwnerUser), "user ID")
	if byUser.OwnerID != f.ActiveOwner || byUser.CRMUserID != card.CRMUserID || byUser.InternalUserID != f.ActiveOwnerUser {
		t.Fatalf("user card %+v does not match owner card %+v", byUser, card)
	}
	byCRM := single(string(card.CRMUserID), "CRM user record ID")
	if byCRM.UserID != f.ActiveOwnerUser || byCRM.OwnerID != f.ActiveOwner {
		t.Fatalf("CRM record card %+v", byCRM)
	}
	u, _ := e.sb.User(f.ActiveOwnerUser)
	byEmail := single(strings.ToUpper(u.Email), "email")
	if byEmail.UserID != f.ActiveOwnerUser || byEmail.OwnerID != f.ActiveOwner {
		t.Fatalf("email card %+v", byEmail)
	}

	multi := single(string(f.MultiRoleUser), "user ID")
	if len(multi.Roles) != 3 || !multi.Roles[0].Primary || multi.Roles[1].Primary || multi.PrimaryRoleID != multi.Roles[0].ID {
		t.Fatalf("multi-role card roles %+v (primary %s)", multi.Roles, multi.PrimaryRoleID)
	}
	if !containsText(multi.Mismatches, "drops") || len(multi.SecondaryTeams) == 0 || multi.PrimaryTeam == "" {
		t.Fatalf("multi-role card %+v", multi)
	}

	archived := single(string(f.ArchivedOwner), "owner ID")
	o, _ := e.sb.Owner(f.ArchivedOwner)
	if !archived.OwnerArchived || archived.Active || archived.UserID != o.UserIDIncludingInactive || !containsText(archived.Mismatches, "archived") {
		t.Fatalf("archived owner card %+v", archived)
	}
	queue := single(string(f.QueueOwner), "owner ID")
	if queue.OwnerType != hubspot.OwnerQueue || queue.UserID != "" {
		t.Fatalf("queue card %+v", queue)
	}
	noOwner := single(string(f.UserWithoutOwner), "user ID")
	if noOwner.OwnerID != "" || !containsText(noOwner.Mismatches, "no owner") {
		t.Fatalf("user without owner card %+v", noOwner)
	}

	// The colliding number: the owner ID of one person, the user ID of another.
	res := resolve(string(f.CollidingUser))
	if !res.Ambiguous || len(res.Matches) != 2 {
		t.Fatalf("Resolve(colliding) = %+v, want two readings", res)
	}
	readings := map[string]store.IDCard{}
	for _, m := range res.Matches {
		readings[m.Scheme] = m.Card
	}
	asOwner, asUser := readings["owner ID"], readings["user ID"]
	if asOwner.OwnerID != f.CollidingOwner || asUser.UserID != f.CollidingUser || asOwner.UserID == asUser.UserID {
		t.Fatalf("colliding readings: owner %+v, user %+v", asOwner, asUser)
	}
	if !containsText(asUser.Mismatches, "also the owner ID") || !containsText(asOwner.Mismatches, "also the user ID") {
		t.Fatalf("colliding cards do not warn: %q / %q", asUser.Mismatches, asOwner.Mismatches)
	}

	for _, unknown := range []string{"999", "nobody@example.com", "", "   ", "hello"} {
		if res := resolve(unknown); len(res.Matches) != 0 || res.Ambiguous {
			t.Fatalf("Resolve(%q) = %+v, want nothing", unknown, res)
		}
	}
}

func containsText(lines []string, part string) bool {
	for _, l := range lines {
		if strings.Contains(l, part) {
			return true
		}
	}
	return false
}

// TestOwnerWithoutUserResolvesAndTakesContacts: an owner with no HubSpot user
// (synced from Salesforce) resolves as an active owner, is offered as a
// target and accepted as one, labelled for what it is.
func TestOwnerWithoutUserResolvesAndTakesContacts(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 2000}, nil)
	e.sync(t)
	ctx := context.Background()
	id := e.sb.Fixtures().OwnerWithoutUser

	res, err := e.p.Resolve(ctx, string(id))
	if err != nil || len(res.Matches) != 1 {
		t.Fatalf("Resolve(%s) = %+v, %v", id, res, err)
	}
	card := res.Matches[0].Card
	if !card.Active || !card.NoUser || card.OwnerArchived || card.UserID != "" || card.ContactCount == 0 {
		t.Fatalf("card %+v", card)
	}
	if !strings.Contains(strings.Join(card.Mismatches, " "), "an owner with no HubSpot user, e.g. synced from Salesforce") {
		t.Errorf("mismatches %q", card.Mismatches)
	}

	r, err := e.p.ResolveTarget(ctx, string(id))
	if err != nil || r.Owner.ID != id || !r.Owner.NoUser || r.Owner.Archived {
		t.Fatalf("ResolveTarget(%s) = %+v, %v", id, r, err)
	}
	if l := r.Owner.Label(); !strings.Contains(l, "no HubSpot user, e.g. synced from Salesforce") || strings.Contains(l, "archived") {
		t.Errorf("label %q", l)
	}
	owners, err := e.p.AssignableOwners(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	unlinked := 0
	for _, o := range owners {
		if o.NoUser {
			unlinked++
			if o.UserID != "" || o.Queue || o.Archived {
				t.Errorf("owner %+v", o)
			}
		}
	}
	if unlinked != 3 {
		t.Errorf("%d assignable owners without a user, want 3", unlinked)
	}
}
