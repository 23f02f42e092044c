package portal

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

// changeEnv is a synced small sandbox portal; scopes, when given, are what
// the portal believes its token holds.
func changeEnv(t *testing.T, readOnly bool, scopes ...string) *env {
	t.Helper()
	e := newEnv(t, hubspottest.Config{Contacts: 30, Users: 24}, nil)
	if readOnly || scopes != nil {
		e.p.info.ReadOnly, e.p.info.Scopes = readOnly, scopes
	}
	e.sync(t)
	return e
}

// otherTeam is a team u is not a member of.
func otherTeam(t *testing.T, e *env, u hubspot.User) hubspot.TeamID {
	t.Helper()
	for _, id := range e.sb.Fixtures().Teams {
		if id != u.PrimaryTeamID && !slices.Contains(u.SecondaryTeamIDs, id) {
			return id
		}
	}
	t.Fatal("the sandbox has no team the user is not in")
	return ""
}

func sandboxUser(t *testing.T, e *env, id hubspot.UserID) hubspot.User {
	t.Helper()
	u, ok := e.sb.User(id)
	if !ok {
		t.Fatalf("no sandbox user %s", id)
	}
	return u
}

// writes lists the requests that could change something.
func writes(sb *hubspottest.Server) []hubspottest.Request { return sb.WriteRequests() }

func TestKeepRolesMoveKeepsEveryRole(t *testing.T) {
	e := changeEnv(t, false)
	ctx := context.Background()
	id := e.sb.Fixtures().MultiRoleUser
	before := sandboxUser(t, e, id)
	team := otherTeam(t, e, before)
	pl, err := e.p.PlanTeamChange(ctx, []hubspot.UserID{id}, TeamChange{Primary: team})
	if err != nil {
		t.Fatal(err)
	}
	if len(before.Roles()) < 2 || pl.LostCount() != len(before.Roles())-1 || !pl.KeepRoles.OK() {
		t.Fatalf("plan for a multi-role user: %+v", pl)
	}
	res, err := e.p.ApplyUserChange(ctx, pl, MethodKeepRoles)
	if err != nil {
		t.Fatal(err)
	}
	if res.Count(store.ItemDone) != 1 || res.DroppedCount() != 0 {
		t.Fatalf("result %+v", res)
	}
	after := sandboxUser(t, e, id)
	if !slices.Equal(after.Roles(), before.Roles()) || after.PrimaryTeamID != team || !slices.Equal(after.SecondaryTeamIDs, before.SecondaryTeamIDs) {
		t.Fatalf("before %+v\nafter %+v", before, after)
	}
	w := writes(e.sb)
	if len(w) != 1 || w[0].Method != "POST" || w[0].Path != "/settings/teams/2026-09-beta/"+string(team)+"/members" {
		t.Fatalf("writes %+v", w)
	}
	var body map[string]any
	if err := json.Unmarshal(w[0].Body, &body); err != nil || body["userId"] != string(id) || body["type"] != "DEFAULT" || len(body) != 2 {
		t.Fatalf("member body %s", w[0].Body)
	}
	if items, _ := e.p.Journal().RestoreItems(ctx, true); len(items) != 0 {
		t.Fatalf("nothing was dropped, yet the checklist has %+v", items)
	}
	// The mirror shows the move at once.
	if row, err := e.p.FindUser(ctx, string(id)); err != nil || row.PrimaryTeamID != team || len(row.RoleIDs) != len(before.Roles()) {
		t.Fatalf("mirror %+v %v", row, err)
	}
}

func TestPutMoveDropsExactlyThePredictedRoles(t *testing.T) {
	e := changeEnv(t, false)
	ctx := context.Background()
	id := e.sb.Fixtures().MultiRoleUser
	before := sandboxUser(t, e, id)
	team := otherTeam(t, e, before)
	pl, err := e.p.PlanTeamChange(ctx, []hubspot.UserID{id}, TeamChange{Primary: team})
	if err != nil {
		t.Fatal(err)
	}
	predicted := pl.Users[0].Lost
	res, err := e.p.ApplyUserChange(ctx, pl, MethodPut)
	if err != nil {
		t.Fatal(err)
	}
	if res.Count(store.ItemDone) != 1 {
		t.Fatalf("result %+v", res)
	}
	if !slices.Equal(res.Users[0].Dropped, predicted) {
		t.Fatalf("dropped %+v, predicted %+v", res.Users[0].Dropped, predicted)
	}
	after := sandboxUser(t, e, id)
	if !slices.Equal(after.Roles(), []hubspot.RoleID{before.RoleID}) || after.PrimaryTeamID != team {
		t.Fatalf("after %+v", after)
	}

	// The body is the complete state: primaryTeamId, secondaryTeamIds and
	// one numeric roleId; never roleIds.
	w := writes(e.sb)
	if len(w) != 1 || w[0].Method != "PUT" || w[0].Path != "/settings/v3/users/"+string(id) {
		t.Fatalf("writes %+v", w)
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal(w[0].Body, &body); err != nil {
		t.Fatal(err)
	}
	if _, ok := body["roleIds"]; ok {
		t.Fatalf("the PUT carries roleIds: %s", w[0].Body)
	}
	wantSecondary, _ := json.Marshal(before.SecondaryTeamIDs)
	if string(body["roleId"]) != `"`+string(before.RoleID)+`"` || string(body["primaryTeamId"]) != `"`+string(team)+`"` ||
		string(body["secondaryTeamIds"]) != string(wantSecondary) {
		t.Fatalf("PUT body %s", w[0].Body)
	}

	// The restore checklist lists every predicted role with a link.
	items, err := e.p.RestoreList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != len(predicted) {
		t.Fatalf("checklist %+v", items)
	}
	for i, it := range items {
		if !slices.ContainsFunc(predicted, func(r RoleRef) bool { return r.ID == it.RoleID && r.Name == it.RoleName }) ||
			it.UserID != id || !it.Open() || it.JobID != res.JobID ||
			it.Link != e.srv.URL+"/settings/"+strconv.FormatInt(e.sb.HubID(), 10)+"/users/user/"+string(id) {
			t.Errorf("item %d: %+v", i, it)
		}
	}

	// The journal holds the full prior state and the outcome.
	jobs, _ := e.p.Journal().Jobs(ctx)
	if len(jobs) != 1 || jobs[0].Kind != "team-change" || jobs[0].State != store.JobDone {
		t.Fatalf("jobs %+v", jobs)
	}
	ji, _ := e.p.Journal().JobItems(ctx, jobs[0].ID)
	if len(ji) != 1 || ji[0].State != store.ItemDone || ji[0].SubjectID != string(id) {
		t.Fatalf("items %+v", ji)
	}
	var prior journalBefore
	if err := json.Unmarshal(ji[0].Before, &prior); err != nil || !prior.SameRoles(StateOfUser(before)) || !prior.SameTeams(StateOfUser(before)) {
		t.Fatalf("journal before %s", ji[0].Before)
	}
	outcome, err := e.p.Journal().ItemOutcome(ctx, jobs[0].ID, 1)
	if err != nil || !strings.Contains(string(outcome), `"primaryTeamId":"`+string(team)+`"`) {
		t.Fatalf("outcome %s %v", outcome, err)
	}

	// A later sync that shows a role back ticks it off; here the mirror is
	// edited as such a sync would leave it.
	back := after
	back.RoleIDs = append(back.RoleIDs, predicted[0].ID)
	if err := e.p.Mirror().PutUser(ctx, back); err != nil {
		t.Fatal(err)
	}
	items, _ = e.p.RestoreList(ctx)
	open := 0
	for _, it := range items {
		if it.Open() {
			open++
		} else if it.RoleID != predicted[0].ID {
			t.Errorf("ticked off the wrong role: %+v", it)
		}
	}
	if open != len(predicted)-1 {
		t.Fatalf("open items after one role came back: %d of %d", open, len(items))
	}
}

func TestSingleRoleUserHasNoWarning(t *testing.T) {
	e := changeEnv(t, false)
	ctx := context.Background()
	id := e.sb.Fixtures().SingleRoleUser
	u := sandboxUser(t, e, id)
	pl, err := e.p.PlanTeamChange(ctx, []hubspot.UserID{id}, TeamChange{Primary: otherTeam(t, e, u)})
	if err != nil {
		t.Fatal(err)
	}
	if pl.Lossy() || strings.Contains(strings.Join(pl.Lines(), "\n"), "no longer held") {
		t.Fatalf("a single-role user's plan warns: %v", pl.Lines())
	}
	if m, ok := pl.PlainMethod(); !ok || m != MethodPut {
		t.Fatalf("plain method %q %v", m, ok)
	}
	res, err := e.p.ApplyUserChange(ctx, pl, MethodPut)
	if err != nil || res.Count(store.ItemDone) != 1 || res.DroppedCount() != 0 {
		t.Fatalf("%+v %v", res, err)
	}
}

func TestKeepRolesNeedsTheTeamsWriteScope(t *testing.T) {
	e := changeEnv(t, false, "settings.users.read", "settings.users.write", "settings.users.teams.read")
	ctx := context.Background()
	id := e.sb.Fixtures().MultiRoleUser
	pl, err := e.p.PlanTeamChange(ctx, []hubspot.UserID{id}, TeamChange{Primary: otherTeam(t, e, sandboxUser(t, e, id))})
	if err != nil {
		t.Fatal(err)
	}
	if pl.KeepRoles.Reason != "the token lacks the settings.users.teams.write scope" || !pl.Put.OK() {
		t.Fatalf("keep-roles %+v, put %+v", pl.KeepRoles, pl.Put)
	}
	if !strings.Contains(strings.Join(pl.Lines(), "\n"), "Keeping all roles is not possible: the token lacks the settings.users.teams.write scope") {
		t.Fatalf("plan text %v", pl.Lines())
	}
	if _, err := e.p.ApplyUserChange(ctx, pl, MethodKeepRoles); err == nil || !strings.Contains(err.Error(), "settings.users.teams.write") {
		t.Fatalf("applied without the scope: %v", err)
	}
	if w := writes(e.sb); len(w) != 0 {
		t.Fatalf("sent %+v", w)
	}
}

func TestReadOnlySendsNothing(t *testing.T) {
	e := changeEnv(t, true)
	ctx := context.Background()
	f := e.sb.Fixtures()
	pl, err := e.p.PlanTeamChange(ctx, []hubspot.UserID{f.MultiRoleUser, f.SingleRoleUser}, TeamChange{Primary: f.Teams[0], SetSecondary: true})
	if err != nil {
		t.Fatal(err)
	}
	if pl.Put.OK() || pl.KeepRoles.OK() || e.p.Info().TeamChangeRefusal() == "" || e.p.Info().RoleChangeRefusal() == "" {
		t.Fatalf("a read-only portal offers writes: %+v", pl)
	}
	for _, m := range []Method{MethodPut, MethodKeepRoles} {
		if _, err := e.p.ApplyUserChange(ctx, pl, m); err == nil || !strings.Contains(err.Error(), "read-only") {
			t.Fatalf("%s on a read-only portal: %v", m, err)
		}
	}
	// A plan made elsewhere (or before the portal turned read-only) is refused too.
	pl.Put = Availability{}
	if _, err := e.p.ApplyUserChange(ctx, pl, MethodPut); err == nil {
		t.Fatal("a stale plan was applied to a read-only portal")
	}
	if w := writes(e.sb); len(w) != 0 {
		t.Fatalf("sent %+v", w)
	}
	if jobs, _ := e.p.Journal().Jobs(ctx); len(jobs) != 0 {
		t.Fatalf("journal %+v", jobs)
	}
}

func TestMarkedUsersChangeTogether(t *testing.T) {
	e := changeEnv(t, false)
	ctx := context.Background()
	f := e.sb.Fixtures()
	role := f.Roles[len(f.Roles)-1]
	pl, err := e.p.PlanRoleChange(ctx, []hubspot.UserID{f.MultiRoleUser, f.SingleRoleUser}, role)
	if err != nil {
		t.Fatal(err)
	}
	if pl.KeepRoles.OK() {
		t.Fatal("a role change offered to keep roles")
	}
	res, err := e.p.ApplyUserChange(ctx, pl, MethodPut)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []hubspot.UserID{f.MultiRoleUser, f.SingleRoleUser} {
		if u := sandboxUser(t, e, id); !slices.Equal(u.Roles(), []hubspot.RoleID{role}) {
			t.Errorf("user %s roles %v", id, u.Roles())
		}
	}
	if res.DroppedCount() != pl.LostCount() {
		t.Fatalf("dropped %d, predicted %d", res.DroppedCount(), pl.LostCount())
	}
	jobs, _ := e.p.Journal().Jobs(ctx)
	if len(jobs) != 1 || jobs[0].Kind != "role-change" {
		t.Fatalf("jobs %+v", jobs)
	}
}

func TestUserChangedSinceSyncIsSkipped(t *testing.T) {
	e := changeEnv(t, false)
	ctx := context.Background()
	f := e.sb.Fixtures()
	u := sandboxUser(t, e, f.MultiRoleUser)
	pl, err := e.p.PlanTeamChange(ctx, []hubspot.UserID{f.MultiRoleUser}, TeamChange{Primary: otherTeam(t, e, u)})
	if err != nil {
		t.Fatal(err)
	}
	// Someone changes the user in HubSpot after the sync: the plan's
	// prediction no longer holds, so nothing may be sent.
	moved := pl.Users[0].Before
	moved.PrimaryTeamID = f.Teams[len(f.Teams)-1]
	if moved.PrimaryTeamID == u.PrimaryTeamID {
		moved.PrimaryTeamID = f.Teams[len(f.Teams)-2]
	}
	if err := e.client.AddTeamMember(ctx, moved.PrimaryTeamID, hubspot.TeamMember{UserID: u.ID, Type: hubspot.MembershipPrimary}); err != nil {
		t.Fatal(err)
	}
	n := len(writes(e.sb))
	res, err := e.p.ApplyUserChange(ctx, pl, MethodPut)
	if err != nil {
		t.Fatal(err)
	}
	if res.Users[0].State != store.ItemSkipped || !strings.Contains(res.Users[0].Message, "changed in HubSpot") || len(writes(e.sb)) != n {
		t.Fatalf("%+v", res)
	}
}

func TestVerifyUnfinishedChangesAfterACrash(t *testing.T) {
	e := changeEnv(t, false)
	ctx := context.Background()
	f := e.sb.Fixtures()
	u := sandboxUser(t, e, f.MultiRoleUser)
	pl, err := e.p.PlanTeamChange(ctx, []hubspot.UserID{f.MultiRoleUser, f.SingleRoleUser}, TeamChange{Primary: otherTeam(t, e, u)})
	if err != nil {
		t.Fatal(err)
	}
	// What a run that crashed after sending the first PUT leaves behind:
	// the job running, item 1 sent, item 2 pending.
	var items []store.JobItem
	for _, c := range pl.Users {
		it, err := journalItem(c, MethodPut, pl.Gone(c))
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, it)
	}
	planJSON, _ := json.Marshal(pl)
	j := e.p.Journal()
	jobID, err := j.CreateJob(ctx, string(pl.Kind), pl.Summary, planJSON)
	if err != nil {
		t.Fatal(err)
	}
	if err := j.AddItems(ctx, jobID, items); err != nil {
		t.Fatal(err)
	}
	j.FinishJob(ctx, jobID, store.JobRunning)
	j.MarkItem(ctx, jobID, 1, store.ItemSent, "")
	if _, err := e.client.UpdateUser(ctx, u.ID, pl.Users[0].Put); err != nil {
		t.Fatal(err)
	}

	got, err := e.p.VerifyUnfinishedChanges(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].State != store.ItemDone || got[1].State != store.ItemSkipped {
		t.Fatalf("recovered %+v", got)
	}
	jobs, _ := j.Jobs(ctx)
	if jobs[0].State != store.JobFailed { // one user was never changed
		t.Fatalf("job %+v", jobs[0])
	}
	checklist, _ := e.p.RestoreList(ctx)
	if len(checklist) != len(pl.Users[0].Lost) {
		t.Fatalf("the dropped roles are not on the checklist: %+v", checklist)
	}
	if again, err := e.p.VerifyUnfinishedChanges(ctx); err != nil || len(again) != 0 {
		t.Fatalf("a second start found %+v %v", again, err)
	}
}

func TestKeepRolesWithUnknownScopesReportsHubSpotsRefusal(t *testing.T) {
	// The portal does not know its scopes (nil), so keep-roles is offered;
	// the token lacks settings.users.teams.write and HubSpot answers 403.
	e := newEnv(t, hubspottest.Config{Contacts: 30, Users: 24}, nil)
	ctx := context.Background()
	token := e.sb.IssueToken("settings.users.read", "settings.users.write", "settings.users.teams.read",
		"crm.objects.owners.read", "crm.objects.contacts.read", "crm.objects.users.read")
	e.client = hubspot.New(hubspot.WithBaseURL(e.srv.URL), hubspot.WithAccessToken(token),
		hubspot.WithSearchRate(0), hubspot.WithRateBudget(0, 0))
	e.p.client = e.client
	e.sync(t)
	id := e.sb.Fixtures().MultiRoleUser
	before := sandboxUser(t, e, id)
	pl, err := e.p.PlanTeamChange(ctx, []hubspot.UserID{id}, TeamChange{Primary: otherTeam(t, e, before)})
	if err != nil || !pl.KeepRoles.OK() {
		t.Fatalf("%+v %v", pl.KeepRoles, err)
	}
	res, err := e.p.ApplyUserChange(ctx, pl, MethodKeepRoles)
	if err != nil {
		t.Fatal(err)
	}
	u := res.Users[0]
	if u.State != store.ItemFailed || !strings.Contains(u.Message, "nothing changed") || !strings.Contains(u.Message, "settings.users.teams.write") {
		t.Fatalf("result %+v", u)
	}
	if after := sandboxUser(t, e, id); !slices.Equal(after.Roles(), before.Roles()) || after.PrimaryTeamID != before.PrimaryTeamID {
		t.Fatalf("user changed: %+v", after)
	}
	jobs, _ := e.p.Journal().Jobs(ctx)
	if len(jobs) != 1 || jobs[0].State != store.JobFailed {
		t.Fatalf("jobs %+v", jobs)
	}
}

// giveBack makes the sandbox's user listing report role back on user, as
// HubSpot would after an admin re-added it in the UI (no API can).
func giveBack(user hubspot.UserID, role *hubspot.RoleID) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if *role == "" || r.Method != "GET" || strings.Trim(r.URL.Path, "/") != "settings/v3/users" {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var page struct {
				Results []map[string]any `json:"results"`
				Paging  any              `json:"paging,omitempty"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
				w.WriteHeader(http.StatusInternalServerError)
				return
			}
			for _, u := range page.Results {
				if u["id"] == string(user) {
					u["roleIds"] = append(u["roleIds"].([]any), string(*role))
				}
			}
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(page)
		})
	}
}

func TestSyncTicksOffRestoredRoles(t *testing.T) {
	var back hubspot.RoleID
	fx := hubspottest.New(hubspottest.Config{Contacts: 30, Users: 24}).Fixtures()
	e := newEnv(t, hubspottest.Config{Contacts: 30, Users: 24}, giveBack(fx.MultiRoleUser, &back))
	e.sync(t)
	ctx := context.Background()
	u := sandboxUser(t, e, fx.MultiRoleUser)
	pl, err := e.p.PlanTeamChange(ctx, []hubspot.UserID{u.ID}, TeamChange{Primary: otherTeam(t, e, u)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.p.ApplyUserChange(ctx, pl, MethodPut); err != nil {
		t.Fatal(err)
	}
	back = pl.Users[0].Lost[1].ID
	e.sync(t)
	items, err := e.p.Journal().RestoreItems(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Open() == (it.RoleID == back) {
			t.Errorf("after the sync: %+v (given back: %s)", it, back)
		}
	}
}
