package hubspottest

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
)

// TestDeleteUser: 204 without a body, the user gone from the users API and
// its teams, the owner archived with userIdIncludingInactive kept, and the
// contacts still pointing at it.
func TestDeleteUser(t *testing.T) {
	for _, byEmail := range []bool{false, true} {
		sb := newSandbox(t, Config{})
		f := sb.Fixtures()
		before, _ := sb.User(f.ActiveOwnerUser)
		path := "/settings/v3/users/" + string(before.ID)
		if byEmail {
			path = "/settings/v3/users/" + url.PathEscape(before.Email) + "?idProperty=EMAIL"
		}
		r := sb.do(t, "DELETE", path, "")
		expectStatus(t, r, http.StatusNoContent)
		if len(r.body) != 0 {
			t.Errorf("a 204 with a body: %s", r.body)
		}
		expectError(t, sb.do(t, "GET", "/settings/v3/users/"+string(before.ID), ""), http.StatusNotFound, "OBJECT_NOT_FOUND")
		o := sb.do(t, "GET", "/crm/v3/owners/"+string(f.ActiveOwner)+"?archived=true", "").json(t)
		if o["archived"] != true || o["userId"] != nil || o["userIdIncludingInactive"] == nil {
			t.Errorf("owner after removal: %v", o)
		}
		teams := sb.do(t, "GET", "/settings/v3/users/teams", "").json(t)
		for _, tm := range teams["results"].([]any) {
			m := tm.(map[string]any)
			for _, key := range []string{"userIds", "secondaryUserIds"} {
				for _, u := range m[key].([]any) {
					if u == string(before.ID) {
						t.Errorf("team %v still lists the removed user in %s", m["name"], key)
					}
				}
			}
		}
		expectError(t, sb.do(t, "DELETE", "/settings/v3/users/"+string(before.ID), ""), http.StatusNotFound, "OBJECT_NOT_FOUND")
	}
}

func TestDeleteUserRefusals(t *testing.T) {
	sb := newSandbox(t, Config{})
	var admin hubspot.UserID
	for _, u := range sb.p.users {
		if u.superAdmin {
			admin = u.id
			break
		}
	}
	e := expectError(t, sb.do(t, "DELETE", "/settings/v3/users/"+string(admin), ""), http.StatusBadRequest, "VALIDATION_ERROR")
	if e["message"] != "Error validating request." {
		t.Errorf("super admin refusal: %v", e["message"])
	}
	if _, ok := sb.User(admin); !ok {
		t.Error("the super admin was removed")
	}
	readOnly := sb.IssueToken(scopeSettingsUsersRead)
	expectError(t, sb.doAs(t, readOnly, "DELETE", "/settings/v3/users/"+string(sb.Fixtures().SingleRoleUser), ""), http.StatusForbidden, "MISSING_SCOPES")
	crmWrite := sb.IssueToken(scopeCRMUsersWrite)
	expectStatus(t, sb.doAs(t, crmWrite, "DELETE", "/settings/v3/users/"+string(sb.Fixtures().SingleRoleUser), ""), http.StatusNoContent)
}

// TestSeatsNeedTheBillingScope: a PUT changing seatNames without
// settings.billing.write is refused as HubSpot refuses paid-seat roles; one
// leaving them as they are is not.
func TestSeatsNeedTheBillingScope(t *testing.T) {
	sb := newSandbox(t, Config{})
	var id hubspot.UserID
	for _, u := range sb.p.users {
		if len(u.seatNames) > 0 && !u.superAdmin {
			id = u.id
			break
		}
	}
	noBilling := sb.IssueToken(scopeSettingsUsersWrite, scopeSettingsUsersRead)
	e := expectError(t, sb.doAs(t, noBilling, "PUT", "/settings/v3/users/"+string(id), `{"seatNames":[]}`), http.StatusBadRequest, "VALIDATION_ERROR")
	if e["message"] != "Error validating request." {
		t.Errorf("message %v", e["message"])
	}
	u, _ := sb.User(id)
	if len(u.SeatNames) == 0 {
		t.Fatal("the seat was freed without the billing scope")
	}
	expectStatus(t, sb.doAs(t, noBilling, "PUT", "/settings/v3/users/"+string(id), `{"seatNames":["`+u.SeatNames[0]+`"]}`), http.StatusOK)
	expectStatus(t, sb.do(t, "PUT", "/settings/v3/users/"+string(id), `{"seatNames":[]}`), http.StatusOK)
	if u, _ := sb.User(id); len(u.SeatNames) != 0 {
		t.Errorf("seats after freeing: %v", u.SeatNames)
	}
}
