package portal

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

// describeWrites is the Teams API writes as "POST DEFAULT 12 200", one per
// request, in order.
func describeWrites(t *testing.T, sb *hubspottest.Server) []string {
	t.Helper()
	var out []string
	for _, r := range sb.WriteRequests() {
		team := strings.Split(strings.TrimPrefix(r.Path, "/settings/teams/2026-09-beta/"), "/")[0]
		typ := strings.TrimPrefix(r.RawQuery, "type=")
		if r.Method == "POST" {
			var body struct{ Type string }
			_ = json.Unmarshal(r.Body, &body)
			typ = body.Type
		}
		out = append(out, fmt.Sprintf("%s %s %s %d", r.Method, typ, team, r.Status))
	}
	return out
}

// The keep-roles path under every plausible answer of the Teams API to a
// second DEFAULT membership, and both rules for an untyped DELETE: a swap
// of the primary team and a secondary team (the hardest order) ends as
// planned, roles untouched, no second DEFAULT left, and the mirror shows
// the new teams on the user and on the owner.
func TestKeepRolesSwapUnderEveryTeamsAPIRule(t *testing.T) {
	for _, add := range addDefaultRules {
		for _, del := range deleteUntypedRules {
			t.Run(string(add)+"/"+string(del), func(t *testing.T) {
				e := newEnv(t, hubspottest.Config{Contacts: 30, Users: 24, TeamsBeta: hubspottest.TeamsBeta{AddDefault: add, DeleteUntyped: del}}, nil)
				e.sync(t)
				ctx := context.Background()
				id := e.sb.Fixtures().MultiRoleUser
				before := sandboxUser(t, e, id)
				if before.PrimaryTeamID == "" || len(before.SecondaryTeamIDs) == 0 {
					t.Fatalf("fixture %+v", before)
				}
				oldPrimary, newPrimary := before.PrimaryTeamID, before.SecondaryTeamIDs[0]
				ch := TeamChange{Primary: newPrimary, Secondary: []hubspot.TeamID{oldPrimary}, SetSecondary: true}
				pl, err := e.p.PlanTeamChange(ctx, []hubspot.UserID{id}, ch)
				if err != nil {
					t.Fatal(err)
				}
				res, err := e.p.ApplyUserChange(ctx, pl, MethodKeepRoles)
				if err != nil || res.Count(store.ItemDone) != 1 {
					t.Fatalf("result %+v, %v", res, err)
				}
				after := sandboxUser(t, e, id)
				if after.PrimaryTeamID != newPrimary || !slices.Equal(after.SecondaryTeamIDs, []hubspot.TeamID{oldPrimary}) || !slices.Equal(after.Roles(), before.Roles()) {
					t.Fatalf("before %+v\nafter %+v", before, after)
				}
				if hidden := hiddenDefaults(t, e.p, pl.Users[0], StateOfUser(after)); len(hidden) > 0 {
					t.Fatalf("a second DEFAULT membership stayed: %v", hidden)
				}
				got := describeWrites(t, e.sb)
				o, n := string(oldPrimary), string(newPrimary)
				want := map[hubspottest.AddDefaultRule][]string{
					hubspottest.AddDefaultMoves:     {"DELETE EXTRA " + n + " 204", "POST DEFAULT " + n + " 201", "POST EXTRA " + o + " 201"},
					hubspottest.AddDefaultKeepsBoth: {"DELETE EXTRA " + n + " 204", "POST DEFAULT " + n + " 201", "DELETE DEFAULT " + o + " 204", "POST EXTRA " + o + " 201"},
					// Refused: the old DEFAULT goes first, then the new one
					// is added at once: one call without a primary team.
					hubspottest.AddDefaultRefused: {"DELETE EXTRA " + n + " 204", "POST DEFAULT " + n + " 400", "DELETE DEFAULT " + o + " 204", "POST DEFAULT " + n + " 201", "POST EXTRA " + o + " 201"},
				}[add]
				if !slices.Equal(got, want) {
					t.Errorf("writes\n%v\nwant\n%v", got, want)
				}
				// The mirror holds the read-back: the user's row and card,
				// and the owner's row (its primary team is derived from
				// the user's).
				row, err := e.p.FindUser(ctx, string(id))
				if err != nil || row.PrimaryTeamID != newPrimary || !slices.Equal(row.SecondaryTeamIDs, []hubspot.TeamID{oldPrimary}) {
					t.Fatalf("mirror user %+v, %v", row, err)
				}
				owners, err := e.p.Owners(ctx, store.Query{UserID: id, Limit: 1})
				if err != nil || len(owners) != 1 || owners[0].PrimaryTeamName != pl.TeamName(newPrimary) {
					t.Fatalf("mirror owner %+v, %v; want primary team %s", owners, err, pl.TeamName(newPrimary))
				}
				card, err := e.p.IDCardForUser(ctx, id)
				if err != nil || card.PrimaryTeam != pl.TeamName(newPrimary) || !slices.Equal(card.SecondaryTeams, []string{pl.TeamName(oldPrimary)}) {
					t.Fatalf("card %+v, %v", card, err)
				}
			})
		}
	}
}

// A kill that leaves a second DEFAULT (keeps-both) or no DEFAULT at all
// (refused, after removing the old one) is explained at the next start, and
// planning the same change again finishes it without repeating a call.
func TestKeepRolesFinishesAMoveLeftHalfway(t *testing.T) {
	for _, add := range []hubspottest.AddDefaultRule{hubspottest.AddDefaultKeepsBoth, hubspottest.AddDefaultRefused} {
		t.Run(string(add), func(t *testing.T) {
			e := newEnv(t, hubspottest.Config{Contacts: 30, Users: 24, TeamsBeta: hubspottest.TeamsBeta{AddDefault: add}}, nil)
			e.sync(t)
			ctx := context.Background()
			id := e.sb.Fixtures().MultiRoleUser
			before := sandboxUser(t, e, id)
			target := otherTeam(t, e, before)
			pl, err := e.p.PlanTeamChange(ctx, []hubspot.UserID{id}, TeamChange{Primary: target})
			if err != nil {
				t.Fatal(err)
			}
			// What a run killed after its first landed write leaves.
			var half error
			if add == hubspottest.AddDefaultKeepsBoth {
				half = e.client.AddTeamMember(ctx, target, hubspot.TeamMember{UserID: id, Type: hubspot.MembershipPrimary})
			} else {
				half = e.client.RemoveTeamMember(ctx, before.PrimaryTeamID, hubspot.TeamMember{UserID: id, Type: hubspot.MembershipPrimary})
			}
			if half != nil {
				t.Fatal(half)
			}
			items := []store.JobItem{}
			it, err := journalItem(pl.Users[0], MethodKeepRoles, nil)
			if err != nil {
				t.Fatal(err)
			}
			items = append(items, it)
			planJSON, _ := json.Marshal(pl)
			job, err := e.p.Journal().CreateJob(ctx, string(KindTeamChange), pl.Summary, planJSON)
			if err != nil {
				t.Fatal(err)
			}
			if err := e.p.Journal().AddItems(ctx, job, items); err != nil {
				t.Fatal(err)
			}
			if err := e.p.Journal().MarkItem(ctx, job, 1, store.ItemSent, ""); err != nil {
				t.Fatal(err)
			}
			rec, err := e.p.VerifyUnfinishedChanges(ctx)
			if err != nil || len(rec) != 1 || rec[0].State != store.ItemFailed ||
				!strings.Contains(rec[0].Message, "interrupted part-way") || !strings.Contains(rec[0].Message, "plan the same change again to finish it") {
				t.Fatalf("recovered %+v, %v", rec, err)
			}
			writesBefore := len(e.sb.WriteRequests())
			again, err := e.p.PlanTeamChange(ctx, []hubspot.UserID{id}, TeamChange{Primary: target})
			if err != nil {
				t.Fatal(err)
			}
			res, err := e.p.ApplyUserChange(ctx, again, MethodKeepRoles)
			if err != nil || res.Count(store.ItemDone) != 1 {
				t.Fatalf("finishing: %+v, %v", res, err)
			}
			if after := sandboxUser(t, e, id); after.PrimaryTeamID != target || !slices.Equal(after.Roles(), before.Roles()) {
				t.Fatalf("after finishing: %+v", after)
			}
			if n := len(e.sb.WriteRequests()) - writesBefore; n != 1 {
				t.Errorf("finishing sent %d writes, want the 1 left: %v", n, describeWrites(t, e.sb))
			}
		})
	}
}

// After a PUT too, the mirror holds the read-back: the user's teams and
// roles, and the owner's team.
func TestPutTeamChangeUpdatesTheMirror(t *testing.T) {
	e := changeEnv(t, false)
	ctx := context.Background()
	id := e.sb.Fixtures().MultiRoleUser
	before := sandboxUser(t, e, id)
	team := otherTeam(t, e, before)
	pl, err := e.p.PlanTeamChange(ctx, []hubspot.UserID{id}, TeamChange{Primary: team})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := e.p.ApplyUserChange(ctx, pl, MethodPut); err != nil || res.Count(store.ItemDone) != 1 {
		t.Fatalf("result %+v, %v", res, err)
	}
	after := sandboxUser(t, e, id)
	row, err := e.p.FindUser(ctx, string(id))
	if err != nil || row.PrimaryTeamID != team || !slices.Equal(row.RoleIDs, after.Roles()) {
		t.Fatalf("mirror user %+v, %v; HubSpot %+v", row, err, after)
	}
	owners, err := e.p.Owners(ctx, store.Query{UserID: id, Limit: 1})
	if err != nil || len(owners) != 1 || owners[0].PrimaryTeamName != pl.TeamName(team) {
		t.Fatalf("mirror owner %+v, %v", owners, err)
	}
}

// When HubSpot refuses the new DEFAULT even after the old one was removed
// to make room, the refusal had another reason: the old primary team is
// given back rather than leaving the user without one.
func TestKeepRolesGivesThePrimaryTeamBackWhenTheAddIsRefusedAnyway(t *testing.T) {
	var target string
	e := newEnv(t, hubspottest.Config{Contacts: 30, Users: 24, TeamsBeta: hubspottest.TeamsBeta{AddDefault: hubspottest.AddDefaultRefused}},
		func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if target != "" && r.Method == "POST" && r.URL.Path == "/settings/teams/2026-09-beta/"+target+"/members" {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(http.StatusBadRequest)
					_, _ = w.Write([]byte(`{"status":"error","message":"Team is full.","correlationId":"00000000-0000-0000-0000-000000000000","category":"VALIDATION_ERROR"}`))
					return
				}
				h.ServeHTTP(w, r)
			})
		})
	e.sync(t)
	ctx := context.Background()
	id := e.sb.Fixtures().MultiRoleUser
	before := sandboxUser(t, e, id)
	team := otherTeam(t, e, before)
	target = string(team)
	pl, err := e.p.PlanTeamChange(ctx, []hubspot.UserID{id}, TeamChange{Primary: team})
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.p.ApplyUserChange(ctx, pl, MethodKeepRoles)
	if err != nil || res.Count(store.ItemFailed) != 1 {
		t.Fatalf("result %+v, %v", res, err)
	}
	if msg := res.Users[0].Message; !strings.Contains(msg, "Team is full") || !strings.Contains(msg, "was given back") {
		t.Errorf("message %q", msg)
	}
	if after := sandboxUser(t, e, id); after.PrimaryTeamID != before.PrimaryTeamID || !slices.Equal(after.Roles(), before.Roles()) {
		t.Fatalf("after %+v, before %+v", after, before)
	}
}
