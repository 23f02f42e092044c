package hubspot

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

func TestUpdateUserSendsTheCompleteStateAndNoRoleIDs(t *testing.T) {
	c, rec, _ := testClient(t, okJSON(`{"id":"7","email":"a@x.io","roleId":"10","roleIds":["10"],"primaryTeamId":"5","superAdmin":false}`))
	ctx := context.Background()
	if _, err := c.UpdateUser(ctx, "7", UserUpdate{RoleID: "10", PrimaryTeamID: "5", SecondaryTeamIDs: []TeamID{"6", "8"}}); err != nil {
		t.Fatal(err)
	}
	u, err := c.UpdateUser(ctx, "7", UserUpdate{RoleID: "10", PrimaryTeamID: "5"})
	if err != nil || u.RoleID != "10" || u.PrimaryTeamID != "5" {
		t.Fatalf("%v %+v", err, u)
	}
	reqs := rec.requests()
	if reqs[0].Method != "PUT" || reqs[0].Path != "/settings/v3/users/7" {
		t.Errorf("sent %s %s", reqs[0].Method, reqs[0].Path)
	}
	wants := []string{
		`{"roleId":"10","primaryTeamId":"5","secondaryTeamIds":["6","8"]}`,
		`{"roleId":"10","primaryTeamId":"5","secondaryTeamIds":[]}`,
	}
	for i, want := range wants {
		got := strings.TrimSpace(string(reqs[i].Body))
		if got != want {
			t.Errorf("body %d = %s, want %s", i, got, want)
		}
		if strings.Contains(got, "roleIds") {
			t.Errorf("body %d sends roleIds", i)
		}
	}
}

func TestUpdateUserRefusesJoinedRoles(t *testing.T) {
	c, rec, _ := testClient(t, okJSON(userJSON))
	for _, bad := range []RoleID{"1;2", "1,2", "1 2", "admin"} {
		_, err := c.UpdateUser(context.Background(), "7", UserUpdate{RoleID: bad, PrimaryTeamID: "5"})
		if err == nil || !strings.Contains(err.Error(), "not a single numeric role ID") {
			t.Errorf("%q: err = %v", bad, err)
		}
	}
	if _, err := c.UpdateUser(context.Background(), "7", UserUpdate{RoleID: "1", SecondaryTeamIDs: []TeamID{"x"}}); err == nil {
		t.Error("a non-numeric team ID was accepted")
	}
	if _, err := c.UpdateUser(context.Background(), "jane@x.io", UserUpdate{RoleID: "1"}); err == nil {
		t.Error("an email was accepted as user ID")
	}
	if n := len(rec.requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestUserEndpoints(t *testing.T) {
	c, rec, _ := testClient(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/settings/v3/users/roles":
			okJSON(`{"results":[{"id":"10","name":"Sales","requiresBillingWrite":true}]}`)(w, r)
		case "/settings/v3/users/teams":
			okJSON(`{"results":[{"id":"5","name":"West","userIds":["7"],"secondaryUserIds":[]}]}`)(w, r)
		default:
			okJSON(userJSON)(w, r)
		}
	})
	ctx := context.Background()
	roles, err := c.Roles(ctx)
	if err != nil || len(roles) != 1 || !roles[0].RequiresBillingWrite {
		t.Errorf("roles %v %+v", err, roles)
	}
	teams, err := c.Teams(ctx)
	if err != nil || len(teams) != 1 || teams[0].UserIDs[0] != "7" {
		t.Errorf("teams %v %+v", err, teams)
	}
	if _, err := c.GetUserByEmail(ctx, "a+b@example.com"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetUserByEmail(ctx, "not-an-email"); err == nil {
		t.Error("GetUserByEmail accepted a non-email")
	}
	reqs := rec.requests()
	last := reqs[len(reqs)-1]
	if last.Path != "/settings/v3/users/a+b@example.com" || last.RawQuery != "idProperty=EMAIL" {
		t.Errorf("by email: %s ? %s", last.Path, last.RawQuery)
	}
	if reqs[0].Auth != "Bearer "+testToken {
		t.Errorf("Authorization %q", reqs[0].Auth)
	}
}
