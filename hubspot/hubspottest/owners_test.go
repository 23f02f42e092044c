package hubspottest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"testing"
)

// pageAll follows paging.next.after from path until the last page,
// returning every result; it fails if paging does not end within maxPages.
func pageAll(t *testing.T, sb *sandbox, path string, maxPages int) []map[string]any {
	t.Helper()
	var all []map[string]any
	after := ""
	sep := "?"
	if bytes.ContainsRune([]byte(path), '?') {
		sep = "&"
	}
	for page := 0; page < maxPages; page++ {
		p := path
		if after != "" {
			p += sep + "after=" + url.QueryEscape(after)
		}
		r := sb.do(t, "GET", p, "")
		expectStatus(t, r, http.StatusOK)
		m := r.json(t)
		for _, x := range list(m["results"]) {
			all = append(all, obj(x))
		}
		if m["paging"] == nil {
			return all
		}
		next := str(obj(obj(m["paging"])["next"])["after"])
		if next == after {
			t.Fatalf("cursor %q repeated", next)
		}
		after = next
	}
	t.Fatalf("paging of %s did not end within %d pages", path, maxPages)
	return nil
}

func TestOwnersListing(t *testing.T) {
	sb := newSandbox(t, Config{})
	sum := sb.Summary()
	active := pageAll(t, sb, "/crm/v3/owners/?limit=7", 50)
	archived := pageAll(t, sb, "/crm/v3/owners?archived=true&limit=2", 50)
	if len(active)+len(archived) != sum.Owners || len(archived) != sum.ArchivedOwners {
		t.Fatalf("%d active + %d archived, want %d owners of which %d archived", len(active), len(archived), sum.Owners, sum.ArchivedOwners)
	}
	unlinked := 0
	for _, o := range active {
		if o["archived"] != false {
			t.Fatalf("archived owner in the active list: %v", o)
		}
		if o["type"] != "PERSON" {
			continue
		}
		if o["userId"] == nil {
			// An owner without a user (synced from Salesforce): no user
			// at all, and no teams.
			if _, has := o["userIdIncludingInactive"]; !has || o["userIdIncludingInactive"] != nil || o["teams"] != nil {
				t.Fatalf("active owner %v without a user: %v", o["id"], o)
			}
			unlinked++
			continue
		}
		if _, isNumber := o["userId"].(float64); !isNumber {
			t.Fatalf("active owner %v: userId %v (%T) is not a JSON number", o["id"], o["userId"], o["userId"])
		}
	}
	if unlinked != 3 {
		t.Errorf("%d active owners without a user, want 3", unlinked)
	}
	for _, o := range archived {
		if o["archived"] != true || o["userId"] != nil {
			t.Fatalf("archived owner %v: archived %v userId %v", o["id"], o["archived"], o["userId"])
		}
		if _, isNumber := o["userIdIncludingInactive"].(float64); !isNumber {
			t.Fatalf("archived owner %v lost userIdIncludingInactive", o["id"])
		}
	}

	// limit above 500 is clamped, default 100.
	r := sb.do(t, "GET", "/crm/v3/owners?limit=5000", "")
	expectStatus(t, r, http.StatusOK)
	if n := len(list(r.json(t)["results"])); n != len(active) {
		t.Fatalf("limit=5000 gave %d owners, want all %d", n, len(active))
	}
	big := newSandbox(t, Config{Users: 700})
	for _, tc := range []struct {
		query string
		want  int
	}{{"", 100}, {"?limit=500", 500}, {"?limit=501", 500}} {
		r := big.do(t, "GET", "/crm/v3/owners"+tc.query, "")
		if n := len(list(r.json(t)["results"])); n != tc.want {
			t.Errorf("owners%s: %d results, want %d", tc.query, n, tc.want)
		}
	}
}

func TestOwnerLookups(t *testing.T) {
	sb := newSandbox(t, Config{})
	f := sb.Fixtures()
	owner, _ := sb.Owner(f.ActiveOwner)
	archived, _ := sb.Owner(f.ArchivedOwner)
	tests := []struct {
		name   string
		path   string
		status int
		wantID string
	}{
		{"by owner ID", "/crm/v3/owners/" + string(f.ActiveOwner), 200, string(f.ActiveOwner)},
		{"by user ID", "/crm/v3/owners/" + string(f.ActiveOwnerUser) + "?idProperty=userId", 200, string(f.ActiveOwner)},
		{"a user ID is not an owner ID", "/crm/v3/owners/" + string(f.ActiveOwnerUser), 404, ""},
		{"colliding number finds the other person's owner", "/crm/v3/owners/" + string(f.CollidingUser), 200, string(f.CollidingOwner)},
		{"archived owner needs archived=true", "/crm/v3/owners/" + string(f.ArchivedOwner), 404, ""},
		{"archived owner", "/crm/v3/owners/" + string(f.ArchivedOwner) + "?archived=true", 200, string(f.ArchivedOwner)},
		{"archived by inactive user ID", "/crm/v3/owners/" + string(archived.UserIDIncludingInactive) + "?idProperty=userId&archived=true", 200, string(f.ArchivedOwner)},
		{"by email", "/crm/v3/owners?email=" + url.QueryEscape(owner.Email), 200, string(f.ActiveOwner)},
		{"queue", "/crm/v3/owners/" + string(f.QueueOwner), 200, string(f.QueueOwner)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sb.do(t, "GET", tt.path, "")
			if tt.status != 200 {
				expectError(t, r, tt.status, "OBJECT_NOT_FOUND")
				return
			}
			expectStatus(t, r, 200)
			m := r.json(t)
			if results, ok := m["results"]; ok {
				l := list(results)
				if len(l) != 1 {
					t.Fatalf("%d results", len(l))
				}
				m = obj(l[0])
			}
			if m["id"] != tt.wantID {
				t.Fatalf("id %v, want %s", m["id"], tt.wantID)
			}
		})
	}
}

func TestContactOwnerValidation(t *testing.T) {
	sb := newSandbox(t, Config{})
	f := sb.Fixtures()
	c, _ := sb.Contact("10001")
	if c.ID == "" {
		t.Fatal("no contact 10001")
	}
	patch := func(value string) response {
		body, _ := json.Marshal(map[string]any{"properties": map[string]string{"hubspot_owner_id": value}})
		return sb.do(t, "PATCH", "/crm/v3/objects/contacts/"+string(c.ID), string(body))
	}

	// A user ID where an owner ID belongs: INVALID_OWNER_ID, HubSpot's envelope.
	r := patch(string(f.ActiveOwnerUser))
	m := expectError(t, r, 400, "VALIDATION_ERROR")
	wantMsg := `Property values were not valid: [{"isValid":false,"message":"` + string(f.ActiveOwnerUser) +
		` is not a valid owner id","error":"INVALID_OWNER_ID","name":"hubspot_owner_id","localizedErrorMessage":"` +
		string(f.ActiveOwnerUser) + ` is not a valid owner id","portalId":62515}]`
	if m["message"] != wantMsg {
		t.Fatalf("message\n got %s\nwant %s", m["message"], wantMsg)
	}
	e := obj(list(m["errors"])[0])
	if e["code"] != "INVALID_OWNER_ID" || str(list(obj(e["context"])["propertyName"])[0]) != "hubspot_owner_id" {
		t.Fatalf("errors[0] = %v", e)
	}

	tests := []struct {
		name, value, code string
	}{
		{"archived owner is no target", string(f.ArchivedOwner), "INVALID_OWNER_ID"},
		{"unknown number", "12345", "INVALID_OWNER_ID"},
		{"not an integer", "abc", "INVALID_INTEGER"},
		{"CRM user record ID overflows", "207838823235", "INVALID_INTEGER"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := expectError(t, patch(tt.value), 400, "VALIDATION_ERROR")
			if code := obj(list(m["errors"])[0])["code"]; code != tt.code {
				t.Fatalf("code %v, want %s: %s", code, tt.code, m["message"])
			}
		})
	}
	if got, _ := sb.Contact(c.ID); got.OwnerID() != c.OwnerID() {
		t.Fatalf("rejected PATCHes changed the owner to %s", got.OwnerID())
	}

	// The owner ID works; the queue works; a colliding user ID silently
	// assigns the OTHER person's owner; "" clears.
	for _, tc := range []struct{ value, want string }{
		{string(f.ActiveOwner), string(f.ActiveOwner)},
		{string(f.QueueOwner), string(f.QueueOwner)},
		{string(f.CollidingUser), string(f.CollidingOwner)},
		{"", ""},
	} {
		r := patch(tc.value)
		expectStatus(t, r, 200)
		props := obj(r.json(t)["properties"])
		if tc.want == "" {
			if props["hubspot_owner_id"] != nil {
				t.Fatalf("cleared owner reads %v, want null", props["hubspot_owner_id"])
			}
		} else if props["hubspot_owner_id"] != tc.want {
			t.Fatalf("owner %v, want %s", props["hubspot_owner_id"], tc.want)
		}
		if got, _ := sb.Contact(c.ID); string(got.OwnerID()) != tc.want {
			t.Fatalf("stored owner %q, want %q", got.OwnerID(), tc.want)
		}
	}
}

func TestContactPatchOtherErrors(t *testing.T) {
	sb := newSandbox(t, Config{})
	tests := []struct {
		name, path, body string
		status           int
		category, code   string
	}{
		{"unknown property", "/crm/v3/objects/contacts/10001", `{"properties":{"shoe_size":"44"}}`, 400, "VALIDATION_ERROR", "PROPERTY_DOESNT_EXIST"},
		{"read-only property", "/crm/v3/objects/contacts/10001", `{"properties":{"hs_object_id":"1"}}`, 400, "VALIDATION_ERROR", "READ_ONLY_VALUE"},
		{"unknown contact", "/crm/v3/objects/contacts/10002", `{"properties":{"firstname":"X"}}`, 404, "OBJECT_NOT_FOUND", ""},
		{"bad JSON", "/crm/v3/objects/contacts/10001", `{"properties":`, 400, "VALIDATION_ERROR", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := expectError(t, sb.do(t, "PATCH", tt.path, tt.body), tt.status, tt.category)
			if tt.code != "" {
				if code := obj(list(m["errors"])[0])["code"]; code != tt.code {
					t.Fatalf("code %v, want %s", code, tt.code)
				}
			}
		})
	}
}

func TestContactPatchUpdatesModifiedDate(t *testing.T) {
	sb := newSandbox(t, Config{})
	sb.clock.Advance(90 * 60 * 1e9) // 90 minutes
	r := sb.do(t, "PATCH", "/crm/v3/objects/contacts/10001", `{"properties":{"firstname":"Zoë","email":"new.address@example.com"}}`)
	expectStatus(t, r, 200)
	props := obj(r.json(t)["properties"])
	if props["firstname"] != "Zoë" || props["lastmodifieddate"] != hubTime(sb.clock.Now()) {
		t.Fatalf("properties after PATCH: %v", props)
	}
	r = sb.do(t, "GET", "/crm/v3/objects/contacts/new.address@example.com?idProperty=email&properties=firstname", "")
	expectStatus(t, r, 200)
	if id := r.json(t)["id"]; id != "10001" {
		t.Fatalf("lookup by new email found %v", id)
	}
}

func TestContactsPagingTerminates(t *testing.T) {
	sb := newSandbox(t, Config{Contacts: 1234})
	all := pageAll(t, sb, "/crm/v3/objects/contacts?limit=100&properties=email,hubspot_owner_id", 20)
	if len(all) != 1234 {
		t.Fatalf("listed %d contacts, want 1234", len(all))
	}
	prev := 0
	for _, c := range all {
		id, err := strconv.Atoi(str(c["id"]))
		if err != nil || id <= prev {
			t.Fatalf("contact IDs not ascending: %d after %d", id, prev)
		}
		prev = id
		props := obj(c["properties"])
		if _, ok := props["hubspot_owner_id"]; !ok {
			t.Fatalf("requested property missing (want null when empty): %v", props)
		}
		if _, ok := props["firstname"]; ok {
			t.Fatalf("unrequested property present: %v", props)
		}
	}
	// Default page size is 10 and the cursor is the next record ID.
	r := sb.do(t, "GET", "/crm/v3/objects/contacts", "")
	m := r.json(t)
	if n := len(list(m["results"])); n != 10 {
		t.Fatalf("default page %d, want 10", n)
	}
	if after := str(obj(obj(m["paging"])["next"])["after"]); after != str(all[10]["id"]) {
		t.Fatalf("after %s, want the next record ID %s", after, all[10]["id"])
	}
	if n := len(list(sb.do(t, "GET", "/crm/v3/objects/contacts?limit=1000", "").json(t)["results"])); n != 100 {
		t.Fatalf("limit=1000 gave %d, want 100", n)
	}
}

func TestBatchEndpoints(t *testing.T) {
	sb := newSandbox(t, Config{})
	f := sb.Fixtures()
	inputs := func(n int, ids ...string) string {
		var in []map[string]any
		for i := 0; i < n; i++ {
			in = append(in, map[string]any{"id": strconv.FormatUint(sb.p.contacts.id(i), 10)})
		}
		for _, id := range ids {
			in = append(in, map[string]any{"id": id})
		}
		b, _ := json.Marshal(map[string]any{"inputs": in, "properties": []string{"email"}})
		return string(b)
	}

	expectError(t, sb.do(t, "POST", "/crm/v3/objects/contacts/batch/read", inputs(101)), 400, "VALIDATION_ERROR")

	r := sb.do(t, "POST", "/crm/v3/objects/contacts/batch/read", inputs(3))
	expectStatus(t, r, 200)
	if m := r.json(t); len(list(m["results"])) != 3 || m["status"] != "COMPLETE" || m["errors"] != nil {
		t.Fatalf("batch read: %s", r.body)
	}

	r = sb.do(t, "POST", "/crm/v3/objects/contacts/batch/read/", inputs(2, "999", "998"))
	expectStatus(t, r, http.StatusMultiStatus)
	m := r.json(t)
	errs := list(m["errors"])
	if len(list(m["results"])) != 2 || len(errs) != 1 || m["numErrors"] != 1.0 {
		t.Fatalf("207 body: %s", r.body)
	}
	e := obj(errs[0])
	if e["category"] != "OBJECT_NOT_FOUND" || e["status"] != "error" || len(list(obj(e["context"])["ids"])) != 2 {
		t.Fatalf("grouped error: %v", e)
	}

	// batch/update: unknown IDs give a 207 and the rest are applied.
	id0 := strconv.FormatUint(sb.p.contacts.id(20), 10)
	body := `{"inputs":[{"id":"` + id0 + `","properties":{"hubspot_owner_id":"` + string(f.ActiveOwner) + `"}},{"id":"5","properties":{"hubspot_owner_id":"` + string(f.ActiveOwner) + `"}}]}`
	r = sb.do(t, "POST", "/crm/v3/objects/contacts/batch/update", body)
	expectStatus(t, r, http.StatusMultiStatus)
	if c, _ := sb.Contact(hubspotContactID(id0)); c.OwnerID() != f.ActiveOwner {
		t.Fatalf("batch update not applied: owner %s", c.OwnerID())
	}
	// A property error fails the whole batch.
	body = `{"inputs":[{"id":"` + id0 + `","properties":{"hubspot_owner_id":""}},{"id":"` + id0 + `","properties":{"hubspot_owner_id":"` + string(f.ActiveOwnerUser) + `"}}]}`
	expectError(t, sb.do(t, "POST", "/crm/v3/objects/contacts/batch/update", body), 400, "VALIDATION_ERROR")
	if c, _ := sb.Contact(hubspotContactID(id0)); c.OwnerID() != f.ActiveOwner {
		t.Fatalf("a failed batch applied part of its inputs")
	}
	var many []string
	for i := 0; i < 101; i++ {
		many = append(many, `{"id":"`+id0+`","properties":{"firstname":"A"}}`)
	}
	expectError(t, sb.do(t, "POST", "/crm/v3/objects/contacts/batch/update", `{"inputs":[`+join(many)+`]}`), 400, "VALIDATION_ERROR")
}
