package hubspot

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestOwnerEndpoints(t *testing.T) {
	owner := `{"id":"41","type":"PERSON","userId":9,"createdAt":"2019-12-25T13:01:35.228Z","updatedAt":"2019-12-25T13:01:35.228Z","archived":false}`
	archived := `{"id":"42","type":"PERSON","userId":null,"userIdIncludingInactive":8,"createdAt":"2019-12-25T13:01:35.228Z","updatedAt":"2019-12-25T13:01:35.228Z","archived":true}`
	c, rec, _ := testClient(t, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		switch {
		case r.URL.Path == "/crm/v3/owners":
			okJSON(`{"results":[`+owner+`]}`)(w, r)
		case r.URL.Path == "/crm/v3/owners/42" && q.Get("archived") == "true":
			okJSON(archived)(w, r)
		case r.URL.Path == "/crm/v3/owners/41" || (r.URL.Path == "/crm/v3/owners/9" && q.Get("idProperty") == "userId"):
			okJSON(owner)(w, r)
		default:
			status(404, `{"status":"error","message":"resource not found","category":"OBJECT_NOT_FOUND","correlationId":"nf"}`)(w, r)
		}
	})
	ctx := context.Background()
	page, err := c.OwnersPage(ctx, OwnerListOptions{Archived: true, Email: "a@b.c"}, "x")
	if err != nil || len(page.Results) != 1 || page.NextAfter != "" {
		t.Fatalf("%v %+v", err, page)
	}
	var n int
	for o, err := range c.Owners(ctx, OwnerListOptions{Limit: 900}) {
		if err != nil || o.UserID != "9" {
			t.Fatal(err, o)
		}
		n++
	}
	if o, err := c.GetOwner(ctx, "41"); err != nil || o.ID != "41" {
		t.Errorf("GetOwner: %v %+v", err, o)
	}
	if o, err := c.GetOwner(ctx, "42"); err != nil || !o.Archived || o.AnyUserID() != "8" {
		t.Errorf("GetOwner(archived): %v %+v", err, o)
	}
	if o, err := c.GetOwnerByUserID(ctx, "9"); err != nil || o.ID != "41" {
		t.Errorf("GetOwnerByUserID: %v %+v", err, o)
	}
	_, err = c.GetOwner(ctx, "77")
	var e *APIError
	if !IsNotFound(err) || !errors.As(err, &e) || e.Path != "/crm/v3/owners/77" {
		t.Errorf("unknown owner: %v", err)
	}
	reqs := rec.requests()
	if reqs[0].RawQuery != "after=x&archived=true&email=a%40b.c&limit=500" || reqs[1].RawQuery != "limit=500" {
		t.Errorf("queries %q %q", reqs[0].RawQuery, reqs[1].RawQuery)
	}
}

func TestTeamMemberEndpoints(t *testing.T) {
	c, rec, _ := testClient(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case "GET":
			okJSON(`{"results":[{"userId":"7","type":"DEFAULT"},{"userId":"8","type":"EXTRA"}]}`)(w, r)
		case "POST":
			status(201, `{"userId":"7","type":"EXTRA"}`)(w, r)
		case "DELETE":
			w.WriteHeader(204)
		}
	})
	ctx := context.Background()
	var members []TeamMember
	for m, err := range c.TeamMembers(ctx, "5") {
		if err != nil {
			t.Fatal(err)
		}
		members = append(members, m)
	}
	if len(members) != 2 || members[1] != (TeamMember{UserID: "8", Type: MembershipSecondary}) {
		t.Errorf("members %+v", members)
	}
	if err := c.AddTeamMember(ctx, "5", TeamMember{UserID: "7", Type: MembershipSecondary}); err != nil {
		t.Fatal(err)
	}
	if err := c.RemoveTeamMember(ctx, "5", TeamMember{UserID: "7", Type: MembershipPrimary}); err != nil {
		t.Fatal(err)
	}
	if err := c.AddTeamMember(ctx, "5", TeamMember{UserID: "7", Type: "PRIMARY"}); err == nil {
		t.Error("an unknown membership type was accepted")
	}
	reqs := rec.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests", len(reqs))
	}
	if reqs[0].Path != "/settings/teams/2026-09-beta/5/members" || reqs[0].RawQuery != "limit=100" {
		t.Errorf("list %s?%s", reqs[0].Path, reqs[0].RawQuery)
	}
	if reqs[1].Method != "POST" || strings.TrimSpace(string(reqs[1].Body)) != `{"userId":"7","type":"EXTRA"}` {
		t.Errorf("add %s %s", reqs[1].Method, reqs[1].Body)
	}
	if reqs[2].Method != "DELETE" || reqs[2].Path != "/settings/teams/2026-09-beta/5/members/7" || reqs[2].RawQuery != "type=DEFAULT" {
		t.Errorf("remove %s %s?%s", reqs[2].Method, reqs[2].Path, reqs[2].RawQuery)
	}
}

func TestTeamMemberReplayAfterALostAnswerSucceeds(t *testing.T) {
	c, _, _ := testClient(t, sequence(reset, status(409, `{"status":"error","message":"already a member","category":"CONFLICT"}`)))
	if err := c.AddTeamMember(context.Background(), "5", TeamMember{UserID: "7", Type: MembershipPrimary}); err != nil {
		t.Errorf("add: %v", err)
	}
	c2, _, _ := testClient(t, sequence(reset, status(404, `{"status":"error","category":"OBJECT_NOT_FOUND"}`)))
	if err := c2.RemoveTeamMember(context.Background(), "5", TeamMember{UserID: "7", Type: MembershipPrimary}); err != nil {
		t.Errorf("remove: %v", err)
	}
	// A first-attempt 404 is a real error.
	c3, _, _ := testClient(t, status(404, `{"status":"error","category":"OBJECT_NOT_FOUND"}`))
	if err := c3.RemoveTeamMember(context.Background(), "5", TeamMember{UserID: "7", Type: MembershipPrimary}); !IsNotFound(err) {
		t.Errorf("remove: %v", err)
	}
}

func TestContactAndCRMUserEndpoints(t *testing.T) {
	c, rec, _ := testClient(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/search"):
			okJSON(`{"total":12345,"results":[{"id":"1","properties":{"hs_internal_user_id":"9"}}],"paging":{"next":{"after":"100"}}}`)(w, r)
		case r.URL.Path == "/crm/v3/objects/contacts" || r.URL.Path == "/crm/v3/objects/users":
			okJSON(`{"results":[{"id":"1","properties":{"email":"a@x.io"}}]}`)(w, r)
		default:
			okJSON(`{"id":"1","properties":{"email":"a@x.io","hs_internal_user_id":"9"}}`)(w, r)
		}
	})
	ctx := context.Background()
	if p, err := c.ContactsPage(ctx, "", 500, nil); err != nil || len(p.Results) != 1 {
		t.Fatal(err)
	}
	for _, err := range c.Contacts(ctx, []string{"email"}) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if ct, err := c.GetContact(ctx, "1", nil); err != nil || ct.Email() != "a@x.io" {
		t.Fatal(err)
	}
	sp, err := c.SearchContacts(ctx, SearchRequest{
		FilterGroups: []FilterGroup{{Filters: []Filter{{PropertyName: PropOwnerID, Operator: "EQ", Value: "41"}}},
			{Filters: []Filter{{PropertyName: PropOwnerID, Operator: "IN", Values: []string{"1", "2"}}}}},
		Sorts: []Sort{{PropertyName: PropCreateDate, Direction: "DESCENDING"}},
	})
	if err != nil || sp.Total != 12345 || sp.NextAfter != "100" || len(sp.Results) != 1 {
		t.Fatalf("%v %+v", err, sp)
	}
	if _, err := c.SearchContacts(ctx, SearchRequest{After: "10000"}); err == nil || !strings.Contains(err.Error(), "10000") {
		t.Errorf("paging past the search cap: %v", err)
	}
	if p, err := c.CRMUsersPage(ctx, "a", 10, nil); err != nil || len(p.Results) != 1 {
		t.Fatal(err)
	}
	for _, err := range c.CRMUsers(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if su, err := c.SearchCRMUsers(ctx, SearchRequest{Limit: 500}); err != nil || su.Results[0].InternalUserID() != "9" {
		t.Fatal(err)
	}
	if u, err := c.GetCRMUserByInternalID(ctx, "9", nil); err != nil || u.InternalUserID() != "9" {
		t.Fatal(err)
	}

	reqs := rec.requests()
	wantQueries := []string{
		"limit=100&properties=email%2Cfirstname%2Clastname%2Chubspot_owner_id%2Clastmodifieddate%2Ccreatedate",
		"limit=100&properties=email",
		"properties=email%2Cfirstname%2Clastname%2Chubspot_owner_id%2Clastmodifieddate%2Ccreatedate",
	}
	for i, q := range wantQueries {
		if reqs[i].RawQuery != q {
			t.Errorf("request %d query %q, want %q", i, reqs[i].RawQuery, q)
		}
	}
	var search map[string]any
	if err := json.Unmarshal(reqs[3].Body, &search); err != nil {
		t.Fatal(err)
	}
	wantSearch := `{"filterGroups":[{"filters":[{"propertyName":"hubspot_owner_id","operator":"EQ","value":"41"}]},{"filters":[{"propertyName":"hubspot_owner_id","operator":"IN","values":["1","2"]}]}],"sorts":[{"propertyName":"createdate","direction":"DESCENDING"}],"properties":["email","firstname","lastname","hubspot_owner_id","lastmodifieddate","createdate"],"limit":100}`
	if got := strings.TrimSpace(string(reqs[3].Body)); got != wantSearch {
		t.Errorf("search body\n got %s\nwant %s", got, wantSearch)
	}
	crmSearch := reqs[len(reqs)-2]
	if crmSearch.Path != "/crm/v3/objects/users/search" || !strings.Contains(string(crmSearch.Body), `"limit":200`) || !strings.Contains(string(crmSearch.Body), `"hs_internal_user_id"`) {
		t.Errorf("CRM user search %s %s", crmSearch.Path, crmSearch.Body)
	}
	byID := reqs[len(reqs)-1]
	if byID.Path != "/crm/v3/objects/users/9" || !strings.Contains(byID.RawQuery, "idProperty=hs_internal_user_id") {
		t.Errorf("CRM user by internal ID: %s?%s", byID.Path, byID.RawQuery)
	}
}

func TestRecordsDropNullProperties(t *testing.T) {
	c, _, _ := testClient(t, okJSON(`{"results":[{"id":"512","properties":{"email":"bh@hubspot.com","phone":null,"hubspot_owner_id":"41"},
		"createdAt":"2019-10-30T03:30:17.883Z","updatedAt":"2019-12-07T16:50:06.678Z","archived":false}]}`))
	page, err := c.ContactsPage(context.Background(), "", 1, nil)
	if err != nil || len(page.Results) != 1 {
		t.Fatal(err)
	}
	ct := page.Results[0]
	if _, ok := ct.Properties["phone"]; ok || ct.ID != "512" || ct.OwnerID() != "41" || ct.UpdatedAt.Year() != 2019 {
		t.Errorf("got %+v", ct)
	}
}
