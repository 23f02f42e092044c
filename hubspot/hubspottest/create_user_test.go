package hubspottest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
)

func paidAndFreeRoles(t *testing.T, sb *sandbox) (paid, free string) {
	t.Helper()
	for _, ro := range list(sb.do(t, "GET", "/settings/v3/users/roles", "").json(t)["results"]) {
		if obj(ro)["requiresBillingWrite"] == true {
			paid = str(obj(ro)["id"])
		} else {
			free = str(obj(ro)["id"])
		}
	}
	return paid, free
}

func remaining(t *testing.T, sb *sandbox, seat string) int {
	t.Helper()
	for _, s := range sb.Seats() {
		if s.Name == seat {
			return s.Remaining
		}
	}
	t.Fatalf("no seat %q in %v", seat, sb.Seats())
	return 0
}

func TestCreateUserGivesUserAndOwner(t *testing.T) {
	sb := newSandbox(t, Config{})
	_, free := paidAndFreeRoles(t, sb)
	teams := sb.Fixtures().Teams
	before := sb.Summary()
	seatsBefore := remaining(t, sb, "Core Seat")
	body := fmt.Sprintf(`{"email":"new.hire@example.com","firstName":"New","lastName":"Hire","roleId":%q,
		"primaryTeamId":%q,"secondaryTeamIds":[%q],"seatNames":["Core Seat"],"sendWelcomeEmail":true,"roleIds":["1","2"]}`,
		free, teams[0], teams[1])
	r := sb.do(t, "POST", "/settings/v3/users/", body)
	expectStatus(t, r, http.StatusCreated)
	m := r.json(t)
	id := str(m["id"])
	if loc := r.header.Get("Location"); !strings.HasSuffix(loc, "/settings/v3/users/"+id) {
		t.Errorf("Location = %q, want …/settings/v3/users/%s", loc, id)
	}
	if m["email"] != "new.hire@example.com" || m["roleId"] != free || m["sendWelcomeEmail"] != true || m["superAdmin"] != false {
		t.Errorf("created user = %s", r.body)
	}
	if roles := list(m["roleIds"]); len(roles) != 1 || roles[0] != free {
		t.Errorf("roleIds = %v, want [%s] (a roleIds in the body is ignored)", roles, free)
	}
	if got := remaining(t, sb, "Core Seat"); got != seatsBefore-1 {
		t.Errorf("Core Seat remaining %d, want %d", got, seatsBefore-1)
	}
	// A later read says sendWelcomeEmail false, as HubSpot documents.
	got := sb.do(t, "GET", "/settings/v3/users/"+id, "").json(t)
	if got["sendWelcomeEmail"] != false || got["primaryTeamId"] != string(teams[0]) {
		t.Errorf("read back %v", got)
	}
	after := sb.Summary()
	if after.Users != before.Users+1 || after.Owners != before.Owners+1 || after.CRMUsers != before.CRMUsers+1 {
		t.Errorf("summary %+v after %+v: want one more user, owner and CRM user", after, before)
	}
	var owner map[string]any
	for _, o := range list(sb.do(t, "GET", "/crm/v3/owners?limit=500", "").json(t)["results"]) {
		if obj(o)["email"] == "new.hire@example.com" {
			owner = obj(o)
		}
	}
	if owner == nil {
		t.Fatal("no owner for the new user")
	}
	if str(owner["id"]) == id || fmt.Sprintf("%.0f", owner["userId"]) != id {
		t.Errorf("owner %v: want its own ID and userId %s", owner, id)
	}
}

func TestCreateUserRefusals(t *testing.T) {
	sb := newSandbox(t, Config{})
	paid, free := paidAndFreeRoles(t, sb)
	taken, _ := sb.User(sb.Fixtures().SingleRoleUser)
	tests := []struct {
		name     string
		token    string
		body     string
		status   int
		category string
		message  string
	}{
		{"no email", "", `{"sendWelcomeEmail":false}`, 400, "VALIDATION_ERROR", "email is required"},
		{"no sendWelcomeEmail", "", `{"email":"a@example.com"}`, 400, "VALIDATION_ERROR", "sendWelcomeEmail is required"},
		{"bad email", "", `{"email":"not an email","sendWelcomeEmail":false}`, 400, "VALIDATION_ERROR", "Invalid email"},
		{"duplicate email, any case", "", fmt.Sprintf(`{"email":%q,"sendWelcomeEmail":false}`, strings.ToUpper(taken.Email)), 409, "CONFLICT", "Existing ID: " + string(taken.ID)},
		{"joined roles", "", `{"email":"b@example.com","roleId":"1;2","sendWelcomeEmail":false}`, 400, "VALIDATION_ERROR", "Cannot parse roleId 1;2"},
		{"unknown role", "", `{"email":"b@example.com","roleId":"42","sendWelcomeEmail":false}`, 400, "VALIDATION_ERROR", "Role 42 does not exist"},
		{"unknown team", "", `{"email":"b@example.com","primaryTeamId":"42","sendWelcomeEmail":false}`, 400, "VALIDATION_ERROR", "Team 42 does not exist"},
		{"unknown seat", "", `{"email":"b@example.com","seatNames":["Gold"],"sendWelcomeEmail":false}`, 400, "VALIDATION_ERROR", "Seat Gold does not exist"},
		{"paid role without billing scope", sb.IssueToken(scopeSettingsUsersWrite), fmt.Sprintf(`{"email":"b@example.com","roleId":%q,"sendWelcomeEmail":false}`, paid), 400, "VALIDATION_ERROR", "Error validating request."},
		{"seat without billing scope", sb.IssueToken(scopeSettingsUsersWrite), `{"email":"b@example.com","seatNames":["Core Seat"],"sendWelcomeEmail":false}`, 400, "VALIDATION_ERROR", "Error validating request."},
		{"no write scope", sb.IssueToken(scopeSettingsUsersRead), `{"email":"b@example.com","sendWelcomeEmail":false}`, 403, "MISSING_SCOPES", ""},
	}
	users := sb.Summary().Users
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := tt.token
			if tok == "" {
				tok = sb.token
			}
			m := expectError(t, sb.doAs(t, tok, "POST", "/settings/v3/users", tt.body), tt.status, tt.category)
			if !strings.Contains(str(m["message"]), tt.message) {
				t.Errorf("message %q, want it to hold %q", m["message"], tt.message)
			}
		})
	}
	if got := sb.Summary().Users; got != users {
		t.Errorf("%d users after refusals, want %d", got, users)
	}
	// A free role needs no billing scope.
	r := sb.doAs(t, sb.IssueToken(scopeSettingsUsersWrite), "POST", "/settings/v3/users", fmt.Sprintf(`{"email":"c@example.com","roleId":%q,"sendWelcomeEmail":false}`, free))
	expectStatus(t, r, http.StatusCreated)
}

func TestSeatsCountDownAndUp(t *testing.T) {
	sb := newSandbox(t, Config{})
	const seat = "Sales Hub Professional"
	if !sb.SetRemainingSeats(seat, 1) {
		t.Fatal("no such seat")
	}
	r := sb.do(t, "GET", "/settings/users/2026-09-beta/seats", "")
	expectStatus(t, r, http.StatusOK)
	found := false
	for _, s := range list(r.json(t)["results"]) {
		if obj(s)["name"] == seat {
			found = true
			if n, _ := obj(s)["remainingSeats"].(float64); n != 1 || str(obj(s)["description"]) == "" {
				t.Errorf("seat %v, want 1 remaining and a description", s)
			}
		}
	}
	if !found {
		t.Fatalf("seats %s lack %s", r.body, seat)
	}
	expectError(t, sb.doAs(t, sb.IssueToken(scopeSettingsUsersRead), "GET", "/settings/users/2026-09-beta/seats", ""), 403, "MISSING_SCOPES")

	expectStatus(t, sb.do(t, "POST", "/settings/v3/users", `{"email":"one@example.com","seatNames":["Sales Hub Professional"],"sendWelcomeEmail":false}`), 201)
	if got := remaining(t, sb, seat); got != 0 {
		t.Fatalf("remaining %d after taking the last seat", got)
	}
	m := expectError(t, sb.do(t, "POST", "/settings/v3/users", `{"email":"two@example.com","seatNames":["Sales Hub Professional"],"sendWelcomeEmail":false}`), 400, "VALIDATION_ERROR")
	if !strings.Contains(str(m["message"]), "No Sales Hub Professional seats remaining") {
		t.Errorf("message %v", m["message"])
	}
	// Freeing a seat by a user update gives it back; taking it again works.
	one := sb.do(t, "GET", "/settings/v3/users/one@example.com?idProperty=EMAIL", "").json(t)
	id := str(one["id"])
	expectError(t, sb.doAs(t, sb.IssueToken(scopeSettingsUsersWrite), "PUT", "/settings/v3/users/"+id, `{"seatNames":[]}`), 400, "VALIDATION_ERROR")
	expectStatus(t, sb.do(t, "PUT", "/settings/v3/users/"+id, `{"seatNames":[]}`), 200)
	if got := remaining(t, sb, seat); got != 1 {
		t.Fatalf("remaining %d after freeing a seat, want 1", got)
	}
	two := sb.do(t, "POST", "/settings/v3/users", `{"email":"two@example.com","sendWelcomeEmail":false}`).json(t)
	expectStatus(t, sb.do(t, "PUT", "/settings/v3/users/"+str(two["id"]), `{"seatNames":["Sales Hub Professional"]}`), 200)
	expectError(t, sb.do(t, "PUT", "/settings/v3/users/"+id, `{"seatNames":["Sales Hub Professional"]}`), 400, "VALIDATION_ERROR")
	// A user removed while holding a seat keeps it taken.
	if !sb.RemoveUser(hubspot.UserID(str(two["id"]))) {
		t.Fatal("RemoveUser")
	}
	if got := remaining(t, sb, seat); got != 0 {
		t.Errorf("remaining %d after removing a user who held the seat, want 0 (HubSpot frees seats only from active users)", got)
	}
}
