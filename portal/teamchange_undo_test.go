package portal

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// A keep-roles team change undone from the journal: the user is back in
// the journalled teams, every role kept, through the Teams API; a PUT undo
// of a multi-role user is offered with the roles it would drop named.
func TestUndoTeamChangeFromTheJournal(t *testing.T) {
	e := changeEnv(t, false)
	ctx := context.Background()
	id := e.sb.Fixtures().MultiRoleUser
	before := sandboxUser(t, e, id)
	pl, err := e.p.PlanTeamChange(ctx, []hubspot.UserID{id}, TeamChange{Primary: otherTeam(t, e, before), Secondary: []hubspot.TeamID{}, SetSecondary: true})
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.p.ApplyUserChange(ctx, pl, MethodKeepRoles)
	if err != nil || res.Count(store.ItemDone) != 1 {
		t.Fatalf("change: %+v, %v", res, err)
	}

	undo, err := e.p.PlanUserChangeUndo(ctx, res.JobID)
	if err != nil {
		t.Fatal(err)
	}
	if len(undo.Plan.Changing()) != 1 || len(undo.Refused) != 0 || undo.Plan.UndoOf != res.JobID {
		t.Fatalf("undo %+v", undo)
	}
	u := undo.Plan.Users[0]
	if u.Target.PrimaryTeamID != before.PrimaryTeamID || !sameIDSet(u.Target.SecondaryTeamIDs, before.SecondaryTeamIDs) {
		t.Fatalf("undo target %+v, journalled %+v", u.Target, before)
	}
	// The same warnings as any team change: a PUT would drop the roles,
	// the Teams API keeps them.
	if !undo.Plan.Lossy() || undo.Plan.LostCount() != len(before.Roles())-1 || !undo.Plan.KeepRoles.OK() {
		t.Fatalf("undo plan lossy %v, lost %d, keep-roles %+v", undo.Plan.Lossy(), undo.Plan.LostCount(), undo.Plan.KeepRoles)
	}
	if text := strings.Join(undo.Lines(), "\n"); !strings.Contains(text, "Undo job 1") || !strings.Contains(text, "dropped by HubSpot: ") || !strings.Contains(text, "Keeping all roles is possible") {
		t.Errorf("undo lines:\n%s", text)
	}
	back, err := e.p.ApplyUserChangeUndo(ctx, undo, MethodKeepRoles)
	if err != nil || back.Count(store.ItemDone) != 1 {
		t.Fatalf("undo: %+v, %v", back, err)
	}
	after := sandboxUser(t, e, id)
	if after.PrimaryTeamID != before.PrimaryTeamID || !sameIDSet(after.SecondaryTeamIDs, before.SecondaryTeamIDs) || !slices.Equal(after.Roles(), before.Roles()) {
		t.Fatalf("after the undo %+v, before the job %+v", after, before)
	}
	if jb, _ := e.p.Journal().Job(ctx, res.JobID); jb.State != store.JobUndone {
		t.Errorf("the original job is %s after a complete undo", jb.State)
	}
	if _, err := e.p.PlanUserChangeUndo(ctx, res.JobID); err == nil || !strings.Contains(err.Error(), "already undone") {
		t.Errorf("undoing twice: %v", err)
	}
}

// Diego Silva's role change undone: the journalled primary role comes back
// (the role the job gave is replaced by the admin's choice); the role
// HubSpot dropped cannot come back and stays on the checklist.
func TestUndoRoleChangeFromTheJournal(t *testing.T) {
	e, diego, names := diegoEnv(t)
	ctx := context.Background()
	salesMgr, mktMgr := roleID(t, names, "Sales Manager"), roleID(t, names, "Marketing Manager")
	pl, err := e.p.PlanRoleChange(ctx, []hubspot.UserID{diego.UserID}, mktMgr)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.p.ApplyUserChange(ctx, pl, MethodPut)
	if err != nil || res.Count(store.ItemDone) != 1 {
		t.Fatalf("change: %+v, %v", res, err)
	}
	undo, err := e.p.PlanUserChangeUndo(ctx, res.JobID)
	if err != nil || len(undo.Plan.Changing()) != 1 {
		t.Fatalf("undo %+v, %v", undo, err)
	}
	u := undo.Plan.Users[0]
	if u.Put.RoleID != salesMgr || u.Replaced != mktMgr || len(u.Lost) != 0 {
		t.Fatalf("undo change %+v", u)
	}
	text := strings.Join(undo.Lines(), "\n")
	for _, s := range []string{"replaced by your choice: Marketing Manager", "1 role dropped by job 1 (Marketing Contributor) cannot be given back", "restore checklist"} {
		if !strings.Contains(text, s) {
			t.Errorf("undo lines lack %q:\n%s", s, text)
		}
	}
	if undo.Plan.KeepRoles.OK() {
		t.Error("a role undo offers to keep roles")
	}
	back, err := e.p.ApplyUserChangeUndo(ctx, undo, MethodPut)
	if err != nil || back.Count(store.ItemDone) != 1 {
		t.Fatalf("undo: %+v, %v", back, err)
	}
	if got := sandboxUser(t, e, diego.UserID); got.RoleID != salesMgr || !slices.Equal(got.Roles(), []hubspot.RoleID{salesMgr}) {
		t.Fatalf("after the undo: role %s, roles %v", got.RoleID, got.Roles())
	}
	list, _ := e.p.RestoreList(ctx)
	if len(list) != 1 || list[0].RoleName != "Marketing Contributor" {
		t.Errorf("checklist after the undo %+v", list)
	}
	if jb, _ := e.p.Journal().Job(ctx, res.JobID); jb.State != store.JobUndone {
		t.Errorf("the original job is %s", jb.State)
	}
}

// The journal says why a user cannot be put back: changed since, or
// removed; nothing is sent for them, and the original is not undone.
func TestUndoUserChangeRefusesChangedOrRemovedUsers(t *testing.T) {
	e := changeEnv(t, false)
	ctx := context.Background()
	f := e.sb.Fixtures()
	multi, single := sandboxUser(t, e, f.MultiRoleUser), sandboxUser(t, e, f.SingleRoleUser)
	team := otherTeam(t, e, multi)
	if team == single.PrimaryTeamID {
		t.Skip("fixture teams collide")
	}
	pl, err := e.p.PlanTeamChange(ctx, []hubspot.UserID{multi.ID, single.ID}, TeamChange{Primary: team})
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.p.ApplyUserChange(ctx, pl, MethodKeepRoles)
	if err != nil || res.Count(store.ItemDone) != 2 {
		t.Fatalf("change: %+v, %v", res, err)
	}
	// Someone moves the first user on in HubSpot; the second is removed.
	if err := e.client.AddTeamMember(ctx, multi.PrimaryTeamID, hubspot.TeamMember{UserID: multi.ID, Type: hubspot.MembershipPrimary}); err != nil {
		t.Fatal(err)
	}
	if !e.sb.RemoveUser(single.ID) {
		t.Fatal("cannot remove the user")
	}
	undo, err := e.p.PlanUserChangeUndo(ctx, res.JobID)
	if err != nil {
		t.Fatal(err)
	}
	if len(undo.Plan.Changing()) != 0 || len(undo.Refused) != 2 {
		t.Fatalf("undo %+v", undo)
	}
	why := map[hubspot.UserID]string{}
	for _, r := range undo.Refused {
		why[r.UserID] = r.Reason
	}
	if !strings.Contains(why[multi.ID], "teams changed since job") || !strings.Contains(why[single.ID], "removed from HubSpot") {
		t.Errorf("reasons %v", why)
	}
	if text := strings.Join(undo.Lines(), "\n"); !strings.Contains(text, "not undone: the user was removed") {
		t.Errorf("lines:\n%s", text)
	}
	writes := len(e.sb.WriteRequests())
	if _, err := e.p.ApplyUserChangeUndo(ctx, undo, MethodKeepRoles); err == nil {
		t.Error("an undo with nobody to put back was applied")
	}
	if len(e.sb.WriteRequests()) != writes {
		t.Error("the refused undo sent writes")
	}
	if jb, _ := e.p.Journal().Job(ctx, res.JobID); jb.State == store.JobUndone {
		t.Error("the original is undone though nobody was put back")
	}
}

// The undo job's journalled plan keeps why a user was left alone.
func TestUndoJournalsWhoItLeftAlone(t *testing.T) {
	e := changeEnv(t, false)
	ctx := context.Background()
	f := e.sb.Fixtures()
	multi, single := sandboxUser(t, e, f.MultiRoleUser), sandboxUser(t, e, f.SingleRoleUser)
	pl, err := e.p.PlanTeamChange(ctx, []hubspot.UserID{multi.ID, single.ID}, TeamChange{Primary: otherTeam(t, e, multi)})
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.p.ApplyUserChange(ctx, pl, MethodKeepRoles)
	if err != nil || res.Count(store.ItemDone) != len(pl.Changing()) || len(pl.Changing()) != 2 {
		t.Fatalf("change: %+v, %v", res, err)
	}
	if !e.sb.RemoveUser(single.ID) {
		t.Fatal("cannot remove the user")
	}
	undo, err := e.p.PlanUserChangeUndo(ctx, res.JobID)
	if err != nil || len(undo.Plan.Changing()) != 1 || len(undo.Refused) != 1 {
		t.Fatalf("undo %+v, %v", undo, err)
	}
	back, err := e.p.ApplyUserChangeUndo(ctx, undo, MethodKeepRoles)
	if err != nil || back.Count(store.ItemDone) != 1 {
		t.Fatalf("undo: %+v, %v", back, err)
	}
	jb, err := e.p.Journal().Job(ctx, back.JobID)
	if err != nil {
		t.Fatal(err)
	}
	var journalled UserChangePlan
	if err := json.Unmarshal(jb.Plan, &journalled); err != nil || journalled.UndoOf != res.JobID ||
		len(journalled.UndoRefused) != 1 || !strings.Contains(journalled.UndoRefused[0].Reason, "removed from HubSpot") {
		t.Fatalf("journalled undo plan %s, %v", jb.Plan, err)
	}
	// Not everyone is back: the original is not undone.
	if orig, _ := e.p.Journal().Job(ctx, res.JobID); orig.State == store.JobUndone {
		t.Error("the original is undone though one user was left alone")
	}
}
