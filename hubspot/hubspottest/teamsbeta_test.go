package hubspottest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
)

// memberType is the type of user's membership in team by the team's member
// list: "DEFAULT", "EXTRA" or "" for none.
func memberType(t *testing.T, sb *sandbox, team hubspot.TeamID, user hubspot.UserID) string {
	t.Helper()
	r := sb.do(t, "GET", "/"+teamsBeta+"/"+string(team)+"/members", "")
	expectStatus(t, r, http.StatusOK)
	for _, m := range list(r.json(t)["results"]) {
		if str(obj(m)["userId"]) == string(user) {
			return str(obj(m)["type"])
		}
	}
	return ""
}

// secondDefaultSetup is a multi-role user and a team it is not in.
func secondDefaultSetup(t *testing.T, cfg Config) (*sandbox, hubspot.User, hubspot.TeamID) {
	t.Helper()
	sb := newSandbox(t, cfg)
	before, _ := sb.User(sb.Fixtures().MultiRoleUser)
	for _, id := range sb.Fixtures().Teams {
		if id != before.PrimaryTeamID && !slices.Contains(before.SecondaryTeamIDs, id) {
			return sb, before, id
		}
	}
	t.Fatal("no team outside the user's")
	return nil, hubspot.User{}, ""
}

func addDefault(t *testing.T, sb *sandbox, team hubspot.TeamID, user hubspot.UserID) response {
	t.Helper()
	return sb.do(t, "POST", "/"+teamsBeta+"/"+string(team)+"/members", fmt.Sprintf(`{"userId":%q,"type":"DEFAULT"}`, user))
}

func TestAddDefaultWhileHoldingOneMoves(t *testing.T) {
	sb, before, target := secondDefaultSetup(t, Config{TeamsBeta: TeamsBeta{AddDefault: AddDefaultMoves}})
	expectStatus(t, addDefault(t, sb, target, before.ID), http.StatusCreated)
	after, _ := sb.User(before.ID)
	if after.PrimaryTeamID != target || memberType(t, sb, before.PrimaryTeamID, before.ID) != "" {
		t.Fatalf("primary %s; old team's membership %q", after.PrimaryTeamID, memberType(t, sb, before.PrimaryTeamID, before.ID))
	}
	checkTeamConsistency(t, sb)
}

func TestAddDefaultWhileHoldingOneRefused(t *testing.T) {
	sb, before, target := secondDefaultSetup(t, Config{TeamsBeta: TeamsBeta{AddDefault: AddDefaultRefused}})
	m := expectError(t, addDefault(t, sb, target, before.ID), http.StatusBadRequest, "VALIDATION_ERROR")
	if msg, _ := m["message"].(string); !strings.Contains(msg, "only one DEFAULT team") {
		t.Errorf("message %q", msg)
	}
	if after, _ := sb.User(before.ID); after.PrimaryTeamID != before.PrimaryTeamID || memberType(t, sb, target, before.ID) != "" {
		t.Fatalf("a refused add changed the user: %+v", after)
	}
	// Without a DEFAULT membership the add is accepted.
	r := sb.do(t, "DELETE", "/"+teamsBeta+"/"+string(before.PrimaryTeamID)+"/members/"+string(before.ID)+"?type=DEFAULT", "")
	expectStatus(t, r, http.StatusNoContent)
	expectStatus(t, addDefault(t, sb, target, before.ID), http.StatusCreated)
	if after, _ := sb.User(before.ID); after.PrimaryTeamID != target {
		t.Fatalf("primary %s, want %s", after.PrimaryTeamID, target)
	}
	checkTeamConsistency(t, sb)
}

func TestAddDefaultWhileHoldingOneKeepsBoth(t *testing.T) {
	sb, before, target := secondDefaultSetup(t, Config{TeamsBeta: TeamsBeta{AddDefault: AddDefaultKeepsBoth}})
	expectStatus(t, addDefault(t, sb, target, before.ID), http.StatusCreated)
	// Both teams list the user as DEFAULT; the users API still names the
	// old one.
	if a, b := memberType(t, sb, before.PrimaryTeamID, before.ID), memberType(t, sb, target, before.ID); a != "DEFAULT" || b != "DEFAULT" {
		t.Fatalf("memberships %q and %q, want DEFAULT twice", a, b)
	}
	if after, _ := sb.User(before.ID); after.PrimaryTeamID != before.PrimaryTeamID {
		t.Fatalf("users API primary %s, want the old %s", after.PrimaryTeamID, before.PrimaryTeamID)
	}
	// An EXTRA membership of a DEFAULT team is refused there too.
	r := sb.do(t, "POST", "/"+teamsBeta+"/"+string(target)+"/members", fmt.Sprintf(`{"userId":%q,"type":"EXTRA"}`, before.ID))
	expectError(t, r, http.StatusBadRequest, "VALIDATION_ERROR")
	// Removing the old DEFAULT leaves the new one as the primary team.
	r = sb.do(t, "DELETE", "/"+teamsBeta+"/"+string(before.PrimaryTeamID)+"/members/"+string(before.ID)+"?type=DEFAULT", "")
	expectStatus(t, r, http.StatusNoContent)
	if after, _ := sb.User(before.ID); after.PrimaryTeamID != target || memberType(t, sb, before.PrimaryTeamID, before.ID) != "" {
		t.Fatalf("after removing the old DEFAULT: primary %s", after.PrimaryTeamID)
	}
	checkTeamConsistency(t, sb)
}

// DELETE without type: the spec's default is DEFAULT, so a secondary
// (EXTRA) membership is not found; the "both" rule removes it.
func TestDeleteMemberWithoutType(t *testing.T) {
	for _, tc := range []struct {
		rule    DeleteUntypedRule
		status  int
		stillIn bool
	}{
		{DeleteUntypedDefault, http.StatusNotFound, true},
		{DeleteUntypedBoth, http.StatusNoContent, false},
	} {
		t.Run(string(tc.rule), func(t *testing.T) {
			sb := newSandbox(t, Config{TeamsBeta: TeamsBeta{DeleteUntyped: tc.rule}})
			u, _ := sb.User(sb.Fixtures().MultiRoleUser)
			if len(u.SecondaryTeamIDs) == 0 {
				t.Fatal("the fixture has no secondary team")
			}
			extra := u.SecondaryTeamIDs[0]
			r := sb.do(t, "DELETE", "/"+teamsBeta+"/"+string(extra)+"/members/"+string(u.ID), "")
			expectStatus(t, r, tc.status)
			after, _ := sb.User(u.ID)
			if slices.Contains(after.SecondaryTeamIDs, extra) != tc.stillIn {
				t.Fatalf("secondary teams %v after an untyped DELETE of %s", after.SecondaryTeamIDs, extra)
			}
			// Untyped on the primary team ends the DEFAULT membership under both rules.
			expectStatus(t, sb.do(t, "DELETE", "/"+teamsBeta+"/"+string(u.PrimaryTeamID)+"/members/"+string(u.ID), ""), http.StatusNoContent)
			if after, _ := sb.User(u.ID); after.PrimaryTeamID != "" {
				t.Fatalf("primary team %s after an untyped DELETE", after.PrimaryTeamID)
			}
			checkTeamConsistency(t, sb)
		})
	}
}
