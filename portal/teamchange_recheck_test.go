package portal

import (
	"context"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

// A user whose teams changed in HubSpot since the sync is planned from
// what HubSpot has now, and the plan's notes say whose; reads only.
func TestRereadUsersBeforeAChange(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 20}, nil)
	e.sync(t)
	ctx := context.Background()
	fx := e.sb.Fixtures()
	id := fx.SingleRoleUser
	u, _ := e.sb.User(id)
	var other hubspot.TeamID
	for _, team := range fx.Teams {
		if team != u.PrimaryTeamID {
			other = team
			break
		}
	}
	notes, err := e.p.RereadUsers(ctx, []hubspot.UserID{id, id})
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 1 || notes[0] != "checked against HubSpot just now: 1 user as the mirror has them" {
		t.Errorf("nothing changed, notes %q", notes)
	}
	// A colleague moves the user to another team in HubSpot.
	if _, err := e.client.UpdateUser(ctx, id, hubspot.UserUpdate{RoleID: u.RoleID, PrimaryTeamID: other, SecondaryTeamIDs: u.SecondaryTeamIDs}); err != nil {
		t.Fatal(err)
	}
	writes := len(e.sb.WriteRequests())
	notes, err = e.p.RereadUsers(ctx, []hubspot.UserID{id})
	if err != nil {
		t.Fatal(err)
	}
	want := "roles or teams changed in HubSpot since the last sync for " + u.Name() + ": planned from what HubSpot has now"
	if len(notes) != 1 || notes[0] != want {
		t.Errorf("notes %q, want %q", notes, want)
	}
	if n := len(e.sb.WriteRequests()); n != writes {
		t.Errorf("the re-read sent %d writes", n-writes)
	}
	rows, err := e.p.mirror.Users(ctx, store.Query{UserID: id, Limit: 1})
	if err != nil || len(rows) != 1 || rows[0].PrimaryTeamID != other {
		t.Fatalf("the mirror does not show the new team %s: %+v %v", other, rows, err)
	}
	// The plan is made from what HubSpot has now: moving the user to the
	// team it is already in changes nothing.
	plan, err := e.p.PlanTeamChange(ctx, []hubspot.UserID{id}, TeamChange{Primary: other})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(plan.Changing()); n != 0 {
		t.Errorf("the plan changes %d users already in team %s", n, other)
	}
}

func TestRereadManyUsersSaysItDidNot(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 20}, nil)
	ids := make([]hubspot.UserID, RereadLimit+1)
	for i := range ids {
		ids[i] = hubspot.UserID(strings.Repeat("9", i+1))
	}
	before := len(e.sb.Requests())
	notes, err := e.p.RereadUsers(context.Background(), ids)
	if err != nil || len(notes) != 1 || !strings.HasPrefix(notes[0], "planned from the mirror as last synced: 51 users") {
		t.Errorf("notes %q, err %v", notes, err)
	}
	if len(e.sb.Requests()) != before {
		t.Error("users were read beyond the limit")
	}
}
