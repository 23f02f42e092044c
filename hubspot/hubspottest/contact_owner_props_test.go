package hubspottest

import (
	"net/http"
	"strings"
	"testing"
)

func TestContactsCustomOwnerPropertiesAreListedGeneratedAndChecked(t *testing.T) {
	sb := newSandbox(t, Config{})
	r := sb.do(t, "GET", "/crm/v3/properties/contacts", "")
	expectStatus(t, r, 200)
	kinds := map[string]string{}
	for _, p := range list(r.json(t)["results"]) {
		if obj(p)["referencedObjectType"] == "OWNER" {
			kinds[str(obj(p)["name"])] = str(obj(p)["fieldType"])
		}
	}
	if kinds[contactCSMProperty] != "select" || kinds[contactSupportProperty] != "checkbox" {
		t.Fatalf("contact owner properties: %v", kinds)
	}

	c0, _ := sb.ContactAt(0)
	if parts := strings.Split(c0.Properties[contactSupportProperty], ";"); len(parts) != 2 {
		t.Errorf("contact 0's support team %q is not two owners", c0.Properties[contactSupportProperty])
	}
	seen := map[string]int{}
	for i := range 500 {
		c, _ := sb.ContactAt(i)
		for _, p := range []string{contactCSMProperty, contactSupportProperty} {
			if c.Properties[p] != "" {
				seen[p]++
			}
		}
	}
	for _, p := range []string{contactCSMProperty, contactSupportProperty} {
		if seen[p] < 50 || seen[p] > 250 {
			t.Errorf("%d of 500 contacts hold a %s, want some, not most", seen[p], p)
		}
	}

	active, archived := firstOwnerIDs(sb)
	path := "/crm/v3/objects/contacts/" + string(c0.ID)
	m := expectError(t, sb.do(t, "PATCH", path, `{"properties":{"`+contactSupportProperty+`":"`+active+`;`+archived+`"}}`), 400, "VALIDATION_ERROR")
	if !strings.Contains(str(m["message"]), "INVALID_OWNER_ID") {
		t.Errorf("an archived owner in a multi-select: %v", m["message"])
	}
	expectStatus(t, sb.do(t, "PATCH", path, `{"properties":{"`+contactSupportProperty+`":"`+active+`","`+contactCSMProperty+`":""}}`), http.StatusOK)
	got, _ := sb.Contact(c0.ID)
	if got.Properties[contactSupportProperty] != active || got.Properties[contactCSMProperty] != "" {
		t.Fatalf("after the update: %v", got.Properties)
	}
}
