package hubspottest

import (
	"net/http"
	"strings"
	"testing"
)

// TestNotFoundBodiesByCase reproduces HubSpot's three 404s: a non-numeric
// object ID ("Object not found.  objectId are usually numeric." with
// context.id, two spaces as captured), a numeric unknown ID ("resource not
// found") and a path no API serves (an HTML page).
func TestNotFoundBodiesByCase(t *testing.T) {
	sb := newSandbox(t, Config{})
	for _, tt := range []struct{ method, path, body string }{
		{"GET", "/crm/v3/objects/contacts/not-a-number", ""},
		{"PATCH", "/crm/v3/objects/contacts/3f8d2a4e-1b2c-4d5e-8f90-123456789abc", `{"properties":{}}`},
		{"GET", "/crm/v3/objects/0-1/undefined", ""},
		{"GET", "/crm/v3/objects/users/abc", ""},
	} {
		m := expectError(t, sb.do(t, tt.method, tt.path, tt.body), 404, "OBJECT_NOT_FOUND")
		id := tt.path[strings.LastIndex(tt.path, "/")+1:]
		if m["message"] != "Object not found.  objectId are usually numeric." {
			t.Errorf("%s %s: message %q", tt.method, tt.path, m["message"])
		}
		if got := list(obj(m["context"])["id"]); len(got) != 1 || got[0] != id {
			t.Errorf("%s %s: context %v", tt.method, tt.path, m["context"])
		}
	}
	for _, tt := range []struct{ method, path, body string }{
		{"GET", "/crm/v3/objects/contacts/999999999", ""},
		{"PATCH", "/crm/v3/objects/contacts/999999999", `{"properties":{}}`},
		{"GET", "/crm/v3/objects/contacts/nobody@example.invalid?idProperty=email", ""},
		{"GET", "/crm/v3/objects/users/999999999", ""},
		{"GET", "/crm/v3/owners/999999999", ""},
	} {
		m := expectError(t, sb.do(t, tt.method, tt.path, tt.body), 404, "OBJECT_NOT_FOUND")
		if m["message"] != "resource not found" || m["context"] != nil {
			t.Errorf("%s %s: %v", tt.method, tt.path, m)
		}
	}
	for _, path := range []string{"/crm/v3/nothing", "/crm/v4/objects/contacts", "/", "/api/crm/v3/owners"} {
		expectUnknownRoute(t, sb.do(t, "GET", path, ""))
	}
	// An unknown route is answered before authentication, like HubSpot's
	// front end does.
	expectUnknownRoute(t, sb.doAs(t, "", "GET", "/crm/v3/nothing", ""))
}

func expectUnknownRoute(t *testing.T, r response) {
	t.Helper()
	expectStatus(t, r, http.StatusNotFound)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type %q", ct)
	}
	if !strings.HasPrefix(string(r.body), "<!DOCTYPE html>") {
		t.Errorf("body %q", r.body)
	}
}
