package ui

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

// colleague is someone else writing to the sandbox portal in HubSpot,
// behind the console's back.
func colleague(t *testing.T, sb *hubspottest.Server) *hubspot.Client {
	t.Helper()
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	return hubspot.New(hubspot.WithBaseURL(srv.URL), hubspot.WithAccessToken(sb.IssueToken()),
		hubspot.WithSearchRate(0), hubspot.WithRateBudget(0, 0))
}

// The plan the admin confirms was read from HubSpot just before: a
// contact a colleague gave to someone else since the sync is left out, and
// the plan says so.
func TestReassignPlanIsCheckedAgainstHubSpot(t *testing.T) {
	h, sb := sandboxConsole(t, 120, 40)
	fx := sb.Fixtures()
	h.keys("2")
	cursorOn(t, h, string(fx.ActiveOwner))
	h.keys("3", "space", "space", "space")
	marked := h.m.panes[paneContacts].markOrder
	h.keys("o")
	to := h.m.reassign.owners[0]
	var third hubspot.OwnerID
	for _, o := range h.m.reassign.owners[1:] {
		if o.ID != fx.ActiveOwner && !o.Queue {
			third = o.ID
			break
		}
	}
	if _, err := colleague(t, sb).BatchUpdateContacts(context.Background(), []hubspot.BatchInput{
		{ID: hubspot.ContactID(marked[1]), Properties: hubspot.Properties{hubspot.PropOwnerID: string(third)}},
	}); err != nil {
		t.Fatal(err)
	}
	h.typ(to.Email)
	h.keys("enter")
	if h.m.reassign == nil || h.m.reassign.stage != rsPlan {
		t.Fatalf("no plan:\n%s", h.screen())
	}
	screen := h.screen()
	mustContain(t, screen, "Reassign 2 contacts from")
	mustContain(t, screen, "note: 1 contact changed owner in HubSpot since the last sync: left out, to keep the")
	if notes := strings.Join(h.m.reassign.plan.Notes, "\n"); !strings.Contains(notes, "1 contact changed owner in HubSpot since the last sync: left out, to keep the new owner") {
		t.Errorf("the plan's notes (journaled with the job) lack the change: %q", notes)
	}
	h.keys("enter")
	if r := h.m.reassign.result; h.m.reassign.stage != rsDone || r.Done != 2 {
		t.Fatalf("the job did not move the 2 contacts still as planned: %+v\n%s", r, h.screen())
	}
	if c, _ := sb.Contact(hubspot.ContactID(marked[1])); c.OwnerID() != third {
		t.Errorf("the colleague's change was overwritten: contact %s is at %s, want %s", marked[1], c.OwnerID(), third)
	}
}

// A team change is planned from the user as HubSpot has it now: a team a
// colleague gave since the sync is what the plan starts from, and it says so.
func TestTeamChangePlanIsCheckedAgainstHubSpot(t *testing.T) {
	h, sb := sandboxConsole(t, 120, 40)
	id := sb.Fixtures().SingleRoleUser
	h.keys("1")
	cursorOn(t, h, string(id))
	before, _ := userName(t, h, id)
	h.keys("t")
	var other, otherName, third string
	for _, o := range h.m.change.options() {
		switch {
		case o.id == string(before.PrimaryTeamID):
		case other == "":
			other, otherName = o.id, o.label
		case third == "":
			third = o.label
		}
	}
	u, _ := sb.User(id)
	if _, err := colleague(t, sb).UpdateUser(context.Background(), id, hubspot.UserUpdate{
		RoleID: u.RoleID, PrimaryTeamID: hubspot.TeamID(other), SecondaryTeamIDs: u.SecondaryTeamIDs}); err != nil {
		t.Fatal(err)
	}
	h.typ(third)
	h.keys("enter")
	if h.m.change == nil || h.m.change.stage == stagePlanning || h.m.change.err != "" {
		t.Fatalf("no plan:\n%s", h.screen())
	}
	screen := h.screen()
	mustContain(t, screen, "note: roles or teams changed in HubSpot since the last sync for "+before.Name)
	mustContain(t, screen, otherName) // the plan starts from the colleague's team
	if notes := strings.Join(h.m.change.plan.Notes, "\n"); !strings.Contains(notes, "planned from what HubSpot has now") {
		t.Errorf("the plan's notes (journaled with it) lack the change: %q", notes)
	}
}
