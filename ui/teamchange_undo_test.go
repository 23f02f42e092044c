package ui

import (
	"context"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/portal"
)

// sandboxConsole is the console on a real portal, synced from a sandbox.
func smallSandboxConsole(t *testing.T) (*harness, *portal.Portal, *hubspottest.Server) {
	t.Helper()
	ctx := context.Background()
	sb := hubspottest.New(hubspottest.Config{Contacts: 30, Users: 24})
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	token := sb.IssueToken()
	client := hubspot.New(hubspot.WithBaseURL(srv.URL), hubspot.WithAccessToken(token), hubspot.WithSearchRate(0), hubspot.WithRateBudget(0, 0))
	dir := t.TempDir()
	p, _, err := portal.Open(ctx, portal.Config{Client: client, DataDir: dir, AccessToken: token, BaseURL: srv.URL, Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	if err := p.Sync(ctx, nil); err != nil {
		t.Fatal(err)
	}
	return newHarnessWith(t, 120, 40, nil, p, Options{dir: dir}), p, sb
}

func openJobsView(h *harness) {
	h.keys(":")
	h.typ("jobs")
	h.keys("enter")
}

// u on a keep-roles team change in the jobs view opens its undo with the
// same warning as any team change; keeping the roles puts the user back
// through the Teams API.
func TestJobsViewUndoesATeamChange(t *testing.T) {
	h, p, sb := smallSandboxConsole(t)
	ctx := context.Background()
	id := sb.Fixtures().MultiRoleUser
	before, _ := sb.User(id)
	var team hubspot.TeamID
	for _, tm := range sb.Fixtures().Teams {
		if tm != before.PrimaryTeamID && !slices.Contains(before.SecondaryTeamIDs, tm) {
			team = tm
			break
		}
	}
	pl, err := p.PlanTeamChange(ctx, []hubspot.UserID{id}, portal.TeamChange{Primary: team})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := p.ApplyUserChange(ctx, pl, portal.MethodKeepRoles); err != nil || res.Count(portal.ItemDone) != 1 {
		t.Fatalf("change %+v, %v", res, err)
	}
	openJobsView(h)
	mustContain(t, h.screen(), "u undoes it")
	h.keys("u")
	mustContain(t, h.screen(), "undo of job 1", "Undo job 1: put ", "no longer held   dropped by HubSpot:",
		"A user update drops", "1  Keep all roles")
	h.keys("1")
	mustContain(t, h.screen(), ": done", "journal job 2")
	after, _ := sb.User(id)
	if after.PrimaryTeamID != before.PrimaryTeamID || !slices.Equal(after.Roles(), before.Roles()) {
		t.Fatalf("after the undo %+v, before %+v", after, before)
	}
	h.keys("enter")
	mustContain(t, h.screen(), "undone: ")
}

// u on a role change gives back the journalled primary role; the confirm
// names the role the undo replaces.
func TestJobsViewUndoesARoleChange(t *testing.T) {
	h, p, sb := smallSandboxConsole(t)
	ctx := context.Background()
	id := sb.Fixtures().MultiRoleUser
	before, _ := sb.User(id)
	var role hubspot.RoleID
	for _, r := range sb.Fixtures().Roles {
		if !slices.Contains(before.Roles(), r) {
			role = r
			break
		}
	}
	pl, err := p.PlanRoleChange(ctx, []hubspot.UserID{id}, role)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := p.ApplyUserChange(ctx, pl, portal.MethodPut); err != nil || res.Count(portal.ItemDone) != 1 {
		t.Fatalf("change %+v, %v", res, err)
	}
	openJobsView(h)
	h.keys("u")
	mustContain(t, h.screen(), "undo of job 1", "replaced by your choice:", "cannot be given back by the", "enter or y sends it")
	h.keys("y")
	mustContain(t, h.screen(), ": done", "  replaced by your choice: ")
	if after, _ := sb.User(id); after.RoleID != before.RoleID {
		t.Fatalf("role %s after the undo, %s before", after.RoleID, before.RoleID)
	}
}
