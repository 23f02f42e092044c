package hubspottest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
)

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestObjectListPagesEveryRecordOnceInIDOrder(t *testing.T) {
	sb := newSandbox(t, Config{Companies: 250})
	var ids []string
	path := "/crm/v3/objects/companies?limit=500"
	for pages := 0; ; pages++ {
		r := sb.do(t, "GET", path, "")
		expectStatus(t, r, 200)
		m := r.json(t)
		results := list(m["results"])
		if len(results) > 100 {
			t.Fatalf("page of %d, want at most 100", len(results))
		}
		for _, o := range results {
			ids = append(ids, str(obj(o)["id"]))
			if str(obj(obj(o)["properties"])["name"]) == "" {
				t.Fatalf("company without a name: %v", o)
			}
		}
		next := str(obj(obj(m["paging"])["next"])["after"])
		if next == "" {
			break
		}
		path = "/crm/v3/objects/companies?limit=100&after=" + next
	}
	if len(ids) != 250 {
		t.Fatalf("listed %d companies, want 250", len(ids))
	}
	for k := 1; k < len(ids); k++ {
		if !numLess(ids[k-1], ids[k]) {
			t.Fatalf("IDs out of order at %d: %s then %s", k, ids[k-1], ids[k])
		}
	}
}

func TestObjectTypesResolveByNameTypeIDAndQualifiedName(t *testing.T) {
	sb := newSandbox(t, Config{})
	custom := sb.CustomObjectTypeID()
	for _, tc := range []struct{ path, display string }{
		{"companies", "name"}, {"0-2", "name"}, {"deals", "dealname"}, {"0-3", "dealname"},
		{"tickets", "subject"}, {"0-5", "subject"},
		{custom, "project_name"}, {"p62515_projects", "project_name"}, {"p_projects", "project_name"},
	} {
		r := sb.do(t, "GET", "/crm/v3/objects/"+tc.path+"?limit=1", "")
		expectStatus(t, r, 200)
		first := obj(list(r.json(t)["results"])[0])
		id := str(first["id"])
		r = sb.do(t, "GET", "/crm/v3/objects/"+tc.path+"/"+id+"?properties="+tc.display+",hubspot_owner_id", "")
		expectStatus(t, r, 200)
		if str(obj(r.json(t)["properties"])[tc.display]) == "" {
			t.Errorf("%s %s: no %s: %s", tc.path, id, tc.display, r.body)
		}
	}
	expectError(t, sb.do(t, "GET", "/crm/v3/objects/widgets?limit=1", ""), 404, "OBJECT_NOT_FOUND")
	expectError(t, sb.do(t, "GET", "/crm/v3/objects/deals/1", ""), 404, "OBJECT_NOT_FOUND")
	expectError(t, sb.do(t, "PATCH", "/crm/v3/objects/users/207838823235", `{"properties":{}}`), 405, "VALIDATION_ERROR")
}

func TestObjectBatchReadReportsUnknownIDsIn207(t *testing.T) {
	sb := newSandbox(t, Config{})
	d0, _ := sb.ObjectRecordAt("deals", 0)
	d1, _ := sb.ObjectRecordAt("deals", 1)
	body := mustJSON(t, map[string]any{"properties": []string{"dealname", "hs_is_closed"}, "inputs": []any{map[string]string{"id": d0.ID}, map[string]string{"id": "42"}, map[string]string{"id": d1.ID}}})
	r := sb.do(t, "POST", "/crm/v3/objects/deals/batch/read", body)
	expectStatus(t, r, http.StatusMultiStatus)
	m := r.json(t)
	if n := len(list(m["results"])); n != 2 {
		t.Fatalf("%d results, want 2", n)
	}
	e := obj(list(m["errors"])[0])
	if e["category"] != "OBJECT_NOT_FOUND" || fmt.Sprint(obj(e["context"])["ids"]) != "[42]" {
		t.Fatalf("207 error = %v", e)
	}
}

// firstOwnerIDs returns an active and an archived owner ID from the portal.
func firstOwnerIDs(sb *sandbox) (active, archived string) {
	f := sb.Fixtures()
	return string(f.ActiveOwner), string(f.ArchivedOwner)
}

func TestObjectBatchUpdateChecksEveryOwnerProperty(t *testing.T) {
	sb := newSandbox(t, Config{})
	active, archived := firstOwnerIDs(sb)
	c0, _ := sb.ObjectRecordAt("companies", 0)
	c1, _ := sb.ObjectRecordAt("companies", 1)
	update := func(inputs ...map[string]any) response {
		return sb.do(t, "POST", "/crm/v3/objects/companies/batch/update", mustJSON(t, map[string]any{"inputs": inputs}))
	}
	in := func(id string, props map[string]string) map[string]any {
		return map[string]any{"id": id, "properties": props}
	}

	for _, tc := range []struct {
		name, prop, value, code string
	}{
		{"user ID as owner", "hubspot_owner_id", string(sb.Fixtures().ActiveOwnerUser), "INVALID_OWNER_ID"},
		{"archived owner", "hubspot_owner_id", archived, "INVALID_OWNER_ID"},
		{"not a number", "hubspot_owner_id", "alice", "INVALID_INTEGER"},
		{"multi-select with an archived part", "account_team", active + ";" + archived, "INVALID_OWNER_ID"},
		{"multi-select with a non-number part", "account_team", active + ";x", "INVALID_INTEGER"},
		{"unknown property", "favourite_colour", "blue", "PROPERTY_DOESNT_EXIST"},
		{"read-only property", "hs_lastmodifieddate", "2026-01-01", "READ_ONLY_VALUE"},
	} {
		r := update(in(c0.ID, map[string]string{"name": "Renamed"}), in(c1.ID, map[string]string{tc.prop: tc.value}))
		m := expectError(t, r, 400, "VALIDATION_ERROR")
		if !strings.Contains(str(m["message"]), tc.code) || !strings.Contains(str(m["message"]), tc.prop) {
			t.Errorf("%s: message %q lacks %s on %s", tc.name, m["message"], tc.code, tc.prop)
		}
	}
	if after, _ := sb.ObjectRecordAt("companies", 0); after.Properties["name"] != c0.Properties["name"] {
		t.Fatal("a batch refused with a 400 changed a record")
	}

	sb.clock.Advance(60e9)
	team := active + ";" + string(sb.Fixtures().QueueOwner)
	r := update(in(c0.ID, map[string]string{"account_team": team, "hubspot_owner_id": active}), in(c1.ID, map[string]string{"account_team": ""}), in("77", map[string]string{"name": "x"}))
	expectStatus(t, r, http.StatusMultiStatus)
	got, _ := sb.ObjectRecordAt("companies", 0)
	if got.Properties["account_team"] != team || got.Properties["hubspot_owner_id"] != active {
		t.Fatalf("after update: %v", got.Properties)
	}
	if got.Properties["hs_lastmodifieddate"] == c0.Properties["hs_lastmodifieddate"] || !got.UpdatedAt.After(c0.UpdatedAt) {
		t.Fatal("hs_lastmodifieddate did not move on a write")
	}
	if cleared, _ := sb.ObjectRecordAt("companies", 1); cleared.Properties["account_team"] != "" {
		t.Fatalf("account_team not cleared: %q", cleared.Properties["account_team"])
	}
	many := make([]map[string]any, 101)
	for k := range many {
		many[k] = in(c0.ID, map[string]string{"name": "x"})
	}
	expectError(t, update(many...), 400, "VALIDATION_ERROR")
}

func TestObjectSingleSelectOwnerPropertyAndPatch(t *testing.T) {
	sb := newSandbox(t, Config{})
	active, archived := firstOwnerIDs(sb)
	d, _ := sb.ObjectRecordAt("deals", 3)
	r := sb.do(t, "PATCH", "/crm/v3/objects/deals/"+d.ID, `{"properties":{"secondary_owner":"`+archived+`"}}`)
	expectError(t, r, 400, "VALIDATION_ERROR")
	r = sb.do(t, "PATCH", "/crm/v3/objects/deals/"+d.ID, `{"properties":{"secondary_owner":"`+active+`","dealstage":"closedwon"}}`)
	expectStatus(t, r, 200)
	got, _ := sb.ObjectRecord("0-3", d.ID)
	if got.Properties["secondary_owner"] != active || got.Properties["hs_is_closed"] != "true" || got.Properties["hs_is_closed_won"] != "true" {
		t.Fatalf("after patch: %v", got.Properties)
	}
	expectError(t, sb.do(t, "PATCH", "/crm/v3/objects/deals/"+d.ID, `{"properties":{"dealstage":"nowhere"}}`), 400, "VALIDATION_ERROR")
	expectStatus(t, sb.do(t, "PATCH", "/crm/v3/objects/deals/"+d.ID, `{"properties":{"pipeline":"75261473","dealstage":"138902841"}}`), 200)
	if got, _ := sb.ObjectRecord("deals", d.ID); got.Properties["pipeline"] != "75261473" || got.Properties["hs_is_closed"] != "false" {
		t.Fatalf("after moving pipelines: %v", got.Properties)
	}
}

func TestGeneratedRecordsHoldEveryOwnerTrap(t *testing.T) {
	sb := newSandbox(t, Config{})
	f := sb.Fixtures()
	for _, typ := range []string{"companies", "deals", "tickets", "projects"} {
		seen := map[string]bool{}
		for i := 0; i < sb.ObjectCount(typ); i++ {
			r, _ := sb.ObjectRecordAt(typ, i)
			v := r.Properties["hubspot_owner_id"]
			o, isOwner := sb.Owner(ownerID(v))
			switch {
			case v == "":
				seen["none"] = true
			case isOwner && o.Archived:
				seen["archived"] = true
			case isOwner && o.Type == "QUEUE":
				seen["queue"] = true
			case isOwner:
				seen["active"] = true
			case v == string(f.ActiveOwnerUser):
				seen["user ID"] = true
			default:
				seen["unknown"] = true
			}
		}
		for _, want := range []string{"none", "archived", "queue", "active", "user ID", "unknown"} {
			if !seen[want] {
				t.Errorf("%s: no record whose owner is %s", typ, want)
			}
		}
	}
	c, _ := sb.ObjectRecordAt("companies", 0)
	if !strings.Contains(c.Properties["account_team"], ";") {
		t.Errorf("company 0's account_team %q is not a multi-owner value", c.Properties["account_team"])
	}
}

func TestObjectSearchSyncFiltersAndCap(t *testing.T) {
	sb := newSandbox(t, Config{Tickets: 10_500})
	active, _ := firstOwnerIDs(sb)
	queue := string(sb.Fixtures().QueueOwner)
	search := func(body map[string]any) response {
		return sb.do(t, "POST", "/crm/v3/objects/tickets/search", mustJSON(t, body))
	}
	total := func(body map[string]any) int {
		r := search(body)
		expectStatus(t, r, 200)
		n, _ := r.json(t)["total"].(float64)
		return int(n)
	}
	all := make([]ObjectRecord, sb.ObjectCount("tickets"))
	for i := range all {
		all[i], _ = sb.ObjectRecordAt("tickets", i)
	}
	count := func(pred func(ObjectRecord) bool) int {
		n := 0
		for _, r := range all {
			if pred(r) {
				n++
			}
		}
		return n
	}
	mid, _ := sb.ObjectRecordAt("tickets", 500)
	ms := mid.UpdatedAt.UnixMilli()
	window := filter1("hs_lastmodifieddate", "GTE", "value", fmt.Sprint(ms))
	if got, want := total(window), count(func(r ObjectRecord) bool { return r.UpdatedAt.UnixMilli() >= ms }); got != want || got == 0 {
		t.Fatalf("GTE total %d, want %d", got, want)
	}
	between := filter1("hs_lastmodifieddate", "BETWEEN", "value", fmt.Sprint(ms-86_400_000), "highValue", fmt.Sprint(ms))
	if got, want := total(between), count(func(r ObjectRecord) bool { m := r.UpdatedAt.UnixMilli(); return m >= ms-86_400_000 && m <= ms }); got != want {
		t.Fatalf("BETWEEN total %d, want %d", got, want)
	}
	for _, tc := range []struct {
		f    map[string]any
		pred func(ObjectRecord) bool
	}{
		{filter1("hubspot_owner_id", "EQ", "value", active), func(r ObjectRecord) bool { return r.Properties["hubspot_owner_id"] == active }},
		{filter1("hubspot_owner_id", "IN", "values", []string{active, queue}), func(r ObjectRecord) bool {
			v := r.Properties["hubspot_owner_id"]
			return v == active || v == queue
		}},
		{filter1("hubspot_owner_id", "HAS_PROPERTY"), func(r ObjectRecord) bool { return r.Properties["hubspot_owner_id"] != "" }},
		{filter1("hubspot_owner_id", "NOT_HAS_PROPERTY"), func(r ObjectRecord) bool { return r.Properties["hubspot_owner_id"] == "" }},
	} {
		if got, want := total(tc.f), count(tc.pred); got != want || got == 0 {
			t.Errorf("%v: total %d, want %d", tc.f, got, want)
		}
	}
	sorted := search(map[string]any{"sorts": []any{map[string]string{"propertyName": "hs_lastmodifieddate", "direction": "DESCENDING"}}, "limit": 200})
	expectStatus(t, sorted, 200)
	res := list(sorted.json(t)["results"])
	if len(res) != 200 {
		t.Fatalf("page of %d, want 200", len(res))
	}
	for k := 1; k < len(res); k++ {
		a, b := str(obj(obj(res[k-1])["properties"])["hs_lastmodifieddate"]), str(obj(obj(res[k])["properties"])["hs_lastmodifieddate"])
		if a < b {
			t.Fatalf("not descending at %d: %s then %s", k, a, b)
		}
	}
	expectError(t, search(map[string]any{"limit": 201}), 400, "VALIDATION_ERROR")
	expectError(t, search(map[string]any{"limit": 100, "after": "10000"}), 400, "VALIDATION_ERROR")
	expectStatus(t, search(map[string]any{"limit": 100, "after": "9900"}), 200)
}

func TestObjectScopesCanBeTakenAway(t *testing.T) {
	sb := newSandbox(t, Config{})
	d, _ := sb.ObjectRecordAt("deals", 0)
	readOnly := sb.IssueToken(scopeDealsRead, scopeCompaniesRead, scopeOwnersRead)
	noDeals := sb.IssueToken(scopeCompaniesRead, scopeContactsRead)
	cases := []struct {
		token, method, path, body, scope string
	}{
		{noDeals, "GET", "/crm/v3/objects/deals", "", scopeDealsRead},
		{noDeals, "GET", "/crm/v3/objects/deals/" + d.ID, "", scopeDealsRead},
		{noDeals, "POST", "/crm/v3/objects/deals/search", "{}", scopeDealsRead},
		{noDeals, "GET", "/crm/v3/pipelines/deals", "", scopeDealsRead},
		{noDeals, "GET", "/crm/v3/objects/tickets", "", scopeTickets},
		{noDeals, "GET", "/crm/v3/objects/p_projects", "", scopeCustomRead},
		{noDeals, "GET", "/crm/v3/schemas", "", scopeSchemasCustomRead},
		{noDeals, "GET", "/crm/v3/properties/deals", "", scopeSchemasDeals},
		{noDeals, "GET", "/crm/v4/objects/companies/1/associations/deals", "", scopeDealsRead},
		{readOnly, "POST", "/crm/v3/objects/deals/batch/update", `{"inputs":[]}`, scopeDealsWrite},
		{readOnly, "PATCH", "/crm/v3/objects/deals/" + d.ID, `{"properties":{}}`, scopeDealsWrite},
	}
	for _, tc := range cases {
		r := sb.doAs(t, tc.token, tc.method, tc.path, tc.body)
		m := expectError(t, r, 403, "MISSING_SCOPES")
		if !strings.Contains(string(r.body), tc.scope) {
			t.Errorf("%s %s: 403 does not name %s: %s", tc.method, tc.path, tc.scope, m)
		}
	}
	expectStatus(t, sb.doAs(t, readOnly, "GET", "/crm/v3/properties/deals", ""), 200) // the type's read scope also reads its properties
}

func TestPropertiesAPIMarksOwnerProperties(t *testing.T) {
	sb := newSandbox(t, Config{})
	props := func(typ string) map[string]map[string]any {
		r := sb.do(t, "GET", "/crm/v3/properties/"+typ, "")
		expectStatus(t, r, 200)
		out := map[string]map[string]any{}
		for _, p := range list(r.json(t)["results"]) {
			out[str(obj(p)["name"])] = obj(p)
		}
		return out
	}
	for _, tc := range []struct{ typ, name, fieldType string }{
		{"contacts", "hubspot_owner_id", "select"}, {"companies", "hubspot_owner_id", "select"},
		{"deals", "secondary_owner", "select"}, {"companies", "account_team", "checkbox"},
		{sb.CustomObjectTypeID(), "implementation_lead", "select"},
	} {
		p := props(tc.typ)[tc.name]
		if p == nil || p["referencedObjectType"] != "OWNER" || p["fieldType"] != tc.fieldType || p["type"] != "enumeration" || p["externalOptions"] != true {
			t.Errorf("%s.%s = %v", tc.typ, tc.name, p)
		}
	}
	if p := props("deals")["hubspot_owner_id"]; p["hubspotDefined"] != true {
		t.Errorf("hubspot_owner_id not hubspotDefined: %v", p)
	}
	if p := props("deals")["dealname"]; p["referencedObjectType"] != nil {
		t.Errorf("dealname has a referencedObjectType: %v", p)
	}
	r := sb.do(t, "GET", "/crm/v3/properties/companies/account_team", "")
	expectStatus(t, r, 200)
	if r.json(t)["label"] != "Account team" {
		t.Errorf("label: %s", r.body)
	}
	expectError(t, sb.do(t, "GET", "/crm/v3/properties/companies/nope", ""), 404, "OBJECT_NOT_FOUND")
}

func TestSchemasAndPipelines(t *testing.T) {
	sb := newSandbox(t, Config{})
	r := sb.do(t, "GET", "/crm/v3/schemas", "")
	expectStatus(t, r, 200)
	schemas := list(r.json(t)["results"])
	if len(schemas) != 1 {
		t.Fatalf("%d schemas, want 1", len(schemas))
	}
	s := obj(schemas[0])
	if s["objectTypeId"] != sb.CustomObjectTypeID() || !strings.HasPrefix(str(s["objectTypeId"]), "2-") || s["primaryDisplayProperty"] != "project_name" || s["name"] != "projects" || len(list(s["properties"])) == 0 {
		t.Fatalf("schema: %v", s)
	}
	expectStatus(t, sb.do(t, "GET", "/crm/v3/schemas/"+sb.CustomObjectTypeID(), ""), 200)

	r = sb.do(t, "GET", "/crm/v3/pipelines/deals", "")
	expectStatus(t, r, 200)
	closed := 0
	for _, p := range list(r.json(t)["results"]) {
		for _, st := range list(obj(p)["stages"]) {
			md := obj(obj(st)["metadata"])
			if md["probability"] == nil {
				t.Fatalf("deal stage without probability: %v", st)
			}
			if md["isClosed"] == "true" {
				closed++
			}
		}
	}
	if closed != 4 {
		t.Fatalf("%d closed deal stages, want 4", closed)
	}
	r = sb.do(t, "GET", "/crm/v3/pipelines/tickets", "")
	expectStatus(t, r, 200)
	if !strings.Contains(string(r.body), `"ticketState":"CLOSED"`) || !strings.Contains(string(r.body), `"ticketState":"OPEN"`) {
		t.Fatalf("ticket stages: %s", r.body)
	}
}

func TestAssociationsBothWaysAgree(t *testing.T) {
	sb := newSandbox(t, Config{Companies: 20, Deals: 700})
	assoc := func(path string) []map[string]any {
		var out []map[string]any
		for next := ""; ; {
			r := sb.do(t, "GET", path+"?limit=50&after="+next, "")
			expectStatus(t, r, 200)
			m := r.json(t)
			for _, a := range list(m["results"]) {
				out = append(out, obj(a))
			}
			if next = str(obj(obj(m["paging"])["next"])["after"]); next == "" {
				return out
			}
		}
	}
	c, _ := sb.ObjectRecordAt("companies", 4)
	deals := assoc("/crm/v4/objects/companies/" + c.ID + "/associations/deals")
	if len(deals) < 20 { // 700 deals over 20 companies, nine in ten linked
		t.Fatalf("company has %d deals", len(deals))
	}
	for _, d := range deals {
		if !strings.Contains(fmt.Sprint(d["associationTypes"]), "typeId:342") || !strings.Contains(fmt.Sprint(d["associationTypes"]), "typeId:6") {
			t.Fatalf("company→deal types: %v", d["associationTypes"])
		}
		back := assoc(fmt.Sprintf("/crm/v4/objects/0-3/%.0f/associations/company", d["toObjectId"]))
		if len(back) != 1 || fmt.Sprintf("%.0f", back[0]["toObjectId"]) != c.ID || !strings.Contains(fmt.Sprint(back[0]["associationTypes"]), "typeId:341") {
			t.Fatalf("deal %v points back at %v", d["toObjectId"], back)
		}
	}
	contact, _ := sb.Contact("10001")
	body := mustJSON(t, map[string]any{"inputs": []any{map[string]string{"id": c.ID}, map[string]string{"id": "5"}}})
	r := sb.do(t, "POST", "/crm/v4/associations/companies/contacts/batch/read", body)
	expectStatus(t, r, http.StatusMultiStatus)
	m := r.json(t)
	if len(list(m["results"])) != 1 || fmt.Sprint(obj(list(m["errors"])[0])["context"]) != "map[ids:[5]]" {
		t.Fatalf("batch read: %s", r.body)
	}
	_ = contact
	expectError(t, sb.do(t, "GET", "/crm/v4/objects/companies/"+c.ID+"/associations/widgets", ""), 400, "VALIDATION_ERROR")
}

func TestObjectsAreDeterministicAndLeaveThePortalAlone(t *testing.T) {
	a := newSandbox(t, Config{Seed: 7})
	b := newSandbox(t, Config{Seed: 7})
	none := newSandbox(t, Config{Seed: 7, Companies: -1, Deals: -1, Tickets: -1, CustomRecords: -1})
	other := newSandbox(t, Config{Seed: 8})
	differ := 0
	for _, typ := range []string{"companies", "deals", "tickets", "projects"} {
		for _, i := range []int{0, 1, 5, 99, 149} {
			ra, _ := a.ObjectRecordAt(typ, i)
			rb, _ := b.ObjectRecordAt(typ, i)
			if !reflect.DeepEqual(ra, rb) {
				t.Fatalf("%s %d differs between two portals of one seed", typ, i)
			}
			if ro, _ := other.ObjectRecordAt(typ, i); !reflect.DeepEqual(ra, ro) {
				differ++
			}
		}
		if none.ObjectCount(typ) != 0 {
			t.Errorf("%s: %d records with the count knob negative", typ, none.ObjectCount(typ))
		}
	}
	if differ == 0 {
		t.Error("another seed generated the same records")
	}
	if a.Summary() != none.Summary() {
		t.Fatalf("objects changed the portal: %+v vs %+v", a.Summary(), none.Summary())
	}
	for _, id := range []string{"10001", "10004", "11500"} {
		ca, _ := a.Contact(hubspotContactID(id))
		cn, _ := none.Contact(hubspotContactID(id))
		if !reflect.DeepEqual(ca, cn) {
			t.Fatalf("contact %s changed with objects on", id)
		}
	}
}

func ownerID(s string) hubspot.OwnerID { return hubspot.OwnerID(s) }

func TestAMillionRecordsPerTypeAreLazy(t *testing.T) {
	sb := newSandbox(t, Config{Companies: 1_000_000, Deals: 1_000_000, Tickets: 1_000_000, CustomRecords: 1_000_000})
	last, ok := sb.ObjectRecordAt("deals", 999_999)
	if !ok || sb.ObjectCount("projects") != 1_000_000 {
		t.Fatal("no millionth deal")
	}
	// The page at the end of the list starts from an ID cursor, without a scan.
	r := sb.do(t, "GET", "/crm/v3/objects/deals?limit=100&after="+last.ID, "")
	expectStatus(t, r, 200)
	m := r.json(t)
	if res := list(m["results"]); len(res) != 1 || str(obj(res[0])["id"]) != last.ID || m["paging"] != nil {
		t.Fatalf("last page: %s", r.body)
	}
	d, _ := sb.ObjectRecordAt("deals", 999_998)
	expectStatus(t, sb.do(t, "PATCH", "/crm/v3/objects/deals/"+d.ID, `{"properties":{"dealname":"Late"}}`), 200)
	if got, _ := sb.ObjectRecord("deals", d.ID); got.Properties["dealname"] != "Late" {
		t.Fatal("patch of the 999,999th deal lost")
	}
}

func BenchmarkSearchDeals1MByOwner(b *testing.B) {
	s := New(Config{Contacts: -1, Deals: 1_000_000})
	srv := httptest.NewServer(s)
	defer srv.Close()
	tok := s.IssueToken()
	body := `{"filterGroups":[{"filters":[{"propertyName":"hubspot_owner_id","operator":"EQ","value":"` + string(s.Fixtures().ActiveOwner) + `"}]}],"limit":200}`
	b.ResetTimer()
	for b.Loop() {
		req, _ := http.NewRequest("POST", srv.URL+"/crm/v3/objects/deals/search", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			b.Fatal(err, resp.StatusCode)
		}
		resp.Body.Close()
	}
}
