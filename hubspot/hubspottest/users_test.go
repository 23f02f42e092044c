package hubspottest

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
)

func TestUserPutCollapsesRoles(t *testing.T) {
	tests := []struct {
		name string
		body func(u hubspot.User, otherTeam hubspot.TeamID) string
		// wantRole is the single role left: the body's roleId or the current one.
		wantRole func(u hubspot.User) hubspot.RoleID
	}{
		{
			name: "team change sending the current roleId keeps one role",
			body: func(u hubspot.User, team hubspot.TeamID) string {
				return fmt.Sprintf(`{"roleId":%q,"primaryTeamId":%q}`, u.RoleID, team)
			},
			wantRole: func(u hubspot.User) hubspot.RoleID { return u.RoleID },
		},
		{
			name: "team change without roleId keeps one role",
			body: func(u hubspot.User, team hubspot.TeamID) string {
				return fmt.Sprintf(`{"primaryTeamId":%q}`, team)
			},
			wantRole: func(u hubspot.User) hubspot.RoleID { return u.RoleID },
		},
		{
			name: "a roleIds array is ignored with a 200",
			body: func(u hubspot.User, _ hubspot.TeamID) string {
				return fmt.Sprintf(`{"roleIds":[%q,%q,%q]}`, u.RoleIDs[0], u.RoleIDs[1], u.RoleIDs[2])
			},
			wantRole: func(u hubspot.User) hubspot.RoleID { return u.RoleID },
		},
		{
			name: "a new roleId replaces every role",
			body: func(u hubspot.User, _ hubspot.TeamID) string {
				return fmt.Sprintf(`{"roleId":%q}`, u.RoleIDs[1])
			},
			wantRole: func(u hubspot.User) hubspot.RoleID { return u.RoleIDs[1] },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb := newSandbox(t, Config{})
			id := sb.Fixtures().MultiRoleUser
			before, _ := sb.User(id)
			if len(before.RoleIDs) != 3 {
				t.Fatalf("fixture MultiRoleUser holds %v, want 3 roles", before.RoleIDs)
			}
			team := otherTeam(sb.Fixtures().Teams, before.PrimaryTeamID)
			r := sb.do(t, "PUT", "/settings/v3/users/"+string(id), tt.body(before, team))
			expectStatus(t, r, http.StatusOK)
			m := r.json(t)
			want := tt.wantRole(before)
			if got := list(m["roleIds"]); len(got) != 1 || got[0] != string(want) {
				t.Fatalf("response roleIds = %v, want [%s]", got, want)
			}
			if m["roleId"] != string(want) {
				t.Fatalf("response roleId = %v, want %s", m["roleId"], want)
			}
			after, _ := sb.User(id)
			if len(after.RoleIDs) != 1 || after.RoleIDs[0] != want {
				t.Fatalf("stored roleIds = %v, want [%s]", after.RoleIDs, want)
			}
		})
	}
}

func otherTeam(teams []hubspot.TeamID, not hubspot.TeamID) hubspot.TeamID {
	for _, t := range teams {
		if t != not {
			return t
		}
	}
	return ""
}

func TestUserPutRejectsJoinedRoleIDs(t *testing.T) {
	for _, value := range []string{"1;2", "1,2"} {
		t.Run(value, func(t *testing.T) {
			sb := newSandbox(t, Config{})
			id := sb.Fixtures().MultiRoleUser
			before, _ := sb.User(id)
			r := sb.do(t, "PUT", "/settings/v3/users/"+string(id), fmt.Sprintf(`{"roleId":%q}`, value))
			m := expectError(t, r, http.StatusBadRequest, "VALIDATION_ERROR")
			if m["subCategory"] != "ValidationErrors.ROLE_ID_NOT_NUMERIC" {
				t.Errorf("subCategory = %v", m["subCategory"])
			}
			if want := "Cannot parse roleId " + value + " to a numerical value."; m["message"] != want {
				t.Errorf("message = %q, want %q", m["message"], want)
			}
			after, _ := sb.User(id)
			if !slices.Equal(before.RoleIDs, after.RoleIDs) {
				t.Errorf("a rejected PUT changed roles: %v -> %v", before.RoleIDs, after.RoleIDs)
			}
		})
	}
}

func TestUserPutValidation(t *testing.T) {
	sb := newSandbox(t, Config{})
	id := string(sb.Fixtures().SingleRoleUser)
	tests := []struct {
		name, path, body string
		status           int
		category         string
	}{
		{"unknown role", "/settings/v3/users/" + id, `{"roleId":"999"}`, 400, "VALIDATION_ERROR"},
		{"unknown team", "/settings/v3/users/" + id, `{"primaryTeamId":"1"}`, 400, "VALIDATION_ERROR"},
		{"bad JSON", "/settings/v3/users/" + id, `{"roleId":`, 400, "VALIDATION_ERROR"},
		{"unknown user", "/settings/v3/users/42", `{}`, 404, "OBJECT_NOT_FOUND"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			expectError(t, sb.do(t, "PUT", tt.path, tt.body), tt.status, tt.category)
		})
	}
}

func TestUserPutNeedsBillingScopeForPaidRoles(t *testing.T) {
	sb := newSandbox(t, Config{})
	id := sb.Fixtures().SingleRoleUser
	var paid string
	r := sb.do(t, "GET", "/settings/v3/users/roles", "")
	for _, ro := range list(r.json(t)["results"]) {
		if obj(ro)["requiresBillingWrite"] == true {
			paid = str(obj(ro)["id"])
		}
	}
	tok := sb.IssueToken(scopeSettingsUsersWrite)
	body := fmt.Sprintf(`{"roleId":%q}`, paid)
	r = sb.doAs(t, tok, "PUT", "/settings/v3/users/"+string(id), body)
	m := expectError(t, r, http.StatusBadRequest, "VALIDATION_ERROR")
	if m["message"] != "Error validating request." {
		t.Errorf("message = %v", m["message"])
	}
	expectStatus(t, sb.do(t, "PUT", "/settings/v3/users/"+string(id), body), http.StatusOK)
}

func TestUserByEmail(t *testing.T) {
	sb := newSandbox(t, Config{})
	u, _ := sb.User(sb.Fixtures().SingleRoleUser)
	r := sb.do(t, "GET", "/settings/v3/users/"+url.PathEscape(u.Email)+"?idProperty=EMAIL", "")
	expectStatus(t, r, http.StatusOK)
	if id := r.json(t)["id"]; id != string(u.ID) {
		t.Fatalf("id = %v (%T), want the string %s", id, id, u.ID)
	}
	r = sb.do(t, "PUT", "/settings/v3/users/"+url.PathEscape(u.Email)+"?idProperty=EMAIL", `{"firstName":"Renamed"}`)
	expectStatus(t, r, http.StatusOK)
	if after, _ := sb.User(u.ID); after.FirstName != "Renamed" {
		t.Fatalf("firstName = %q", after.FirstName)
	}
	expectError(t, sb.do(t, "GET", "/settings/v3/users/nobody@example.com?idProperty=EMAIL", ""), 404, "OBJECT_NOT_FOUND")
}

func TestUsersPagingTerminates(t *testing.T) {
	sb := newSandbox(t, Config{Users: 250})
	seen := map[string]bool{}
	after := ""
	for page := 0; page < 10; page++ {
		path := "/settings/v3/users?limit=1000"
		if after != "" {
			path += "&after=" + url.QueryEscape(after)
		}
		r := sb.do(t, "GET", path, "")
		expectStatus(t, r, http.StatusOK)
		m := r.json(t)
		results := list(m["results"])
		if len(results) > maxUsersPage {
			t.Fatalf("page of %d users, want at most %d", len(results), maxUsersPage)
		}
		for _, u := range results {
			id := str(obj(u)["id"])
			if seen[id] {
				t.Fatalf("user %s listed twice", id)
			}
			seen[id] = true
			if _, ok := obj(u)["roleIds"].([]any); !ok {
				t.Fatalf("user %s has no roleIds array", id)
			}
		}
		if m["paging"] == nil {
			if len(seen) != 250 {
				t.Fatalf("listed %d users, want 250", len(seen))
			}
			return
		}
		after = str(obj(obj(m["paging"])["next"])["after"])
	}
	t.Fatal("paging did not terminate")
}

// teamState reads the v3 teams list: team -> primary and secondary members.
func teamState(t *testing.T, sb *sandbox) (primary, secondary map[string][]string) {
	t.Helper()
	r := sb.do(t, "GET", "/settings/v3/users/teams", "")
	expectStatus(t, r, http.StatusOK)
	primary, secondary = map[string][]string{}, map[string][]string{}
	for _, tm := range list(r.json(t)["results"]) {
		id := str(obj(tm)["id"])
		for _, u := range list(obj(tm)["userIds"]) {
			primary[id] = append(primary[id], str(u))
		}
		for _, u := range list(obj(tm)["secondaryUserIds"]) {
			secondary[id] = append(secondary[id], str(u))
		}
	}
	return primary, secondary
}

// checkTeamConsistency asserts that teams, users and owners agree.
func checkTeamConsistency(t *testing.T, sb *sandbox) {
	t.Helper()
	primary, secondary := teamState(t, sb)
	sb.mu.RLock()
	users := append([]*user(nil), sb.p.users...)
	sb.mu.RUnlock()
	for _, su := range users {
		u, _ := sb.User(su.id)
		for team, members := range primary {
			if in := slices.Contains(members, string(u.ID)); in != (string(u.PrimaryTeamID) == team) {
				t.Fatalf("user %s primary team %q but team %s userIds contains it: %v", u.ID, u.PrimaryTeamID, team, in)
			}
		}
		for team, members := range secondary {
			if in := slices.Contains(members, string(u.ID)); in != slices.Contains(u.SecondaryTeamIDs, hubspot.TeamID(team)) {
				t.Fatalf("user %s secondary teams %v disagree with team %s secondaryUserIds", u.ID, u.SecondaryTeamIDs, team)
			}
		}
		if slices.Contains(u.SecondaryTeamIDs, u.PrimaryTeamID) && u.PrimaryTeamID != "" {
			t.Fatalf("user %s has %s as primary and secondary team", u.ID, u.PrimaryTeamID)
		}
		r := sb.do(t, "GET", "/crm/v3/owners/"+string(u.ID)+"?idProperty=userId", "")
		if r.status == http.StatusNotFound {
			continue
		}
		var ownerPrimary string
		var ownerSecondary []hubspot.TeamID
		for _, tm := range list(r.json(t)["teams"]) {
			if obj(tm)["primary"] == true {
				ownerPrimary = str(obj(tm)["id"])
			} else {
				ownerSecondary = append(ownerSecondary, hubspot.TeamID(str(obj(tm)["id"])))
			}
		}
		if ownerPrimary != string(u.PrimaryTeamID) || !slices.Equal(ownerSecondary, u.SecondaryTeamIDs) {
			t.Fatalf("owner of user %s has teams %s+%v, user has %s+%v", u.ID, ownerPrimary, ownerSecondary, u.PrimaryTeamID, u.SecondaryTeamIDs)
		}
	}
}

func TestTeamsAPIChangesMembershipWithoutTouchingRoles(t *testing.T) {
	sb := newSandbox(t, Config{})
	f := sb.Fixtures()
	before, _ := sb.User(f.MultiRoleUser)
	oldPrimary := before.PrimaryTeamID
	target := otherTeam(f.Teams, oldPrimary)
	for slices.Contains(before.SecondaryTeamIDs, target) || target == oldPrimary {
		f.Teams = f.Teams[1:]
		target = otherTeam(f.Teams, oldPrimary)
	}
	base := "/" + teamsBeta + "/"

	// DEFAULT moves the primary team.
	r := sb.do(t, "POST", base+string(target)+"/members", fmt.Sprintf(`{"userId":%q,"type":"DEFAULT"}`, before.ID))
	expectStatus(t, r, http.StatusCreated)
	if m := r.json(t); m["userId"] != string(before.ID) || m["type"] != "DEFAULT" {
		t.Fatalf("member response %s", r.body)
	}
	after, _ := sb.User(before.ID)
	if after.PrimaryTeamID != target {
		t.Fatalf("primary team %s, want %s", after.PrimaryTeamID, target)
	}
	if !slices.Equal(after.RoleIDs, before.RoleIDs) || after.RoleID != before.RoleID {
		t.Fatalf("roles changed: %v -> %v", before.RoleIDs, after.RoleIDs)
	}
	checkTeamConsistency(t, sb)

	// EXTRA adds a secondary team; removing it with type=EXTRA takes it away.
	r = sb.do(t, "POST", base+string(oldPrimary)+"/members/", fmt.Sprintf(`{"userId":%q,"type":"EXTRA"}`, before.ID))
	expectStatus(t, r, http.StatusCreated)
	if u, _ := sb.User(before.ID); !slices.Contains(u.SecondaryTeamIDs, oldPrimary) {
		t.Fatalf("secondary teams %v lack %s", u.SecondaryTeamIDs, oldPrimary)
	}
	checkTeamConsistency(t, sb)
	r = sb.do(t, "DELETE", base+string(oldPrimary)+"/members/"+string(before.ID)+"?type=EXTRA", "")
	expectStatus(t, r, http.StatusNoContent)
	if u, _ := sb.User(before.ID); slices.Contains(u.SecondaryTeamIDs, oldPrimary) || !slices.Equal(u.RoleIDs, before.RoleIDs) {
		t.Fatalf("after DELETE: secondary %v roles %v", u.SecondaryTeamIDs, u.RoleIDs)
	}
	checkTeamConsistency(t, sb)

	// Errors: not a member of that type, unknown team, bad type, EXTRA on the primary team.
	expectError(t, sb.do(t, "DELETE", base+string(oldPrimary)+"/members/"+string(before.ID)+"?type=EXTRA", ""), 404, "OBJECT_NOT_FOUND")
	expectError(t, sb.do(t, "GET", base+"1/members", ""), 404, "OBJECT_NOT_FOUND")
	expectError(t, sb.do(t, "POST", base+string(target)+"/members", fmt.Sprintf(`{"userId":%q,"type":"MAIN"}`, before.ID)), 400, "VALIDATION_ERROR")
	expectError(t, sb.do(t, "POST", base+string(target)+"/members", fmt.Sprintf(`{"userId":%q,"type":"EXTRA"}`, before.ID)), 400, "VALIDATION_ERROR")
}

func TestTeamMembersPaging(t *testing.T) {
	sb := newSandbox(t, Config{Users: 400})
	team := sb.Fixtures().Teams[0]
	primary, secondary := teamState(t, sb)
	want := len(primary[string(team)]) + len(secondary[string(team)])
	got, after := 0, ""
	for page := 0; page < 50; page++ {
		r := sb.do(t, "GET", "/"+teamsBeta+"/"+string(team)+"/members?limit=7&after="+after, "")
		expectStatus(t, r, http.StatusOK)
		m := r.json(t)
		got += len(list(m["results"]))
		if m["paging"] == nil {
			if got != want {
				t.Fatalf("paged %d members, want %d", got, want)
			}
			return
		}
		after = str(obj(obj(m["paging"])["next"])["after"])
	}
	t.Fatal("member paging did not terminate")
}

func TestRolesAndTeamsLists(t *testing.T) {
	sb := newSandbox(t, Config{})
	r := sb.do(t, "GET", "/settings/v3/users/roles", "")
	expectStatus(t, r, http.StatusOK)
	if n := len(list(r.json(t)["results"])); n != 10 {
		t.Fatalf("%d roles, want 10", n)
	}
	r = sb.do(t, "GET", "/"+teamsBeta, "")
	expectStatus(t, r, http.StatusOK)
	if n := len(list(r.json(t)["results"])); n != 8 {
		t.Fatalf("%d teams, want 8", n)
	}
	checkTeamConsistency(t, sb)
}
