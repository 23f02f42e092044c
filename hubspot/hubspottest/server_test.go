package hubspottest

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestRoutesWithAndWithoutTrailingSlash(t *testing.T) {
	sb := newSandbox(t, Config{})
	f := sb.Fixtures()
	paths := []string{
		"/settings/v3/users", "/settings/v3/users/roles", "/settings/v3/users/teams",
		"/settings/v3/users/" + string(f.SingleRoleUser),
		"/settings/teams/2026-09-beta", "/settings/teams/2026-09-beta/" + string(f.Teams[0]) + "/members",
		"/crm/v3/owners", "/crm/v3/owners/" + string(f.ActiveOwner),
		"/crm/v3/objects/contacts", "/crm/v3/objects/contacts/10001",
		"/crm/v3/objects/users",
		// aliases: the HEAD spec's spelling, dated versions, object type IDs
		"/settings/users/v3/roles", "/crm/owners/2026-03", "/crm/objects/2026-03/contacts", "/crm/v3/objects/0-1",
	}
	for _, p := range paths {
		for _, variant := range []string{p, p + "/"} {
			t.Run(variant, func(t *testing.T) {
				r := sb.do(t, "GET", variant, "")
				expectStatus(t, r, http.StatusOK)
				if ct := r.header.Get("Content-Type"); ct != "application/json;charset=utf-8" {
					t.Fatalf("Content-Type %q", ct)
				}
			})
		}
	}
	expectUnknownRoute(t, sb.do(t, "GET", "/crm/v3/nothing", ""))
	expectError(t, sb.do(t, "DELETE", "/crm/v3/owners", ""), 405, "VALIDATION_ERROR")
}

func TestAuthenticationErrors(t *testing.T) {
	sb := newSandbox(t, Config{})
	revoked := sb.IssueToken()
	sb.RevokeToken(revoked)
	tests := []struct {
		name, header string
	}{
		{"no header", ""},
		{"not bearer", "Basic dXNlcjpwYXNz"},
		{"unknown token", "Bearer pat-na1-00000000-0000-0000-0000-000000000000"},
		{"revoked token", "Bearer " + revoked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", sb.url+"/crm/v3/owners", nil)
			if tt.header != "" {
				req.Header.Set("Authorization", tt.header)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			r := response{status: resp.StatusCode}
			r.body = readAll(t, resp)
			m := expectError(t, r, http.StatusUnauthorized, "INVALID_AUTHENTICATION")
			if m["message"] != msgInvalidAuth {
				t.Fatalf("message %q", m["message"])
			}
			if strings.Contains(string(r.body), revoked) {
				t.Fatal("the error echoes the token")
			}
		})
	}
}

func TestMissingScopes(t *testing.T) {
	sb := newSandbox(t, Config{})
	f := sb.Fixtures()
	tests := []struct {
		method, path, body string
		have               []string
		want               []string
	}{
		{"GET", "/crm/v3/owners", "", []string{scopeContactsRead}, []string{scopeOwnersRead}},
		{"GET", "/settings/v3/users", "", []string{scopeOwnersRead}, []string{scopeSettingsUsersRead, scopeCRMUsersRead}},
		{"PUT", "/settings/v3/users/" + string(f.SingleRoleUser), "{}", []string{scopeSettingsUsersRead}, []string{scopeSettingsUsersWrite, scopeCRMUsersWrite}},
		{"GET", "/settings/v3/users/teams", "", []string{scopeSettingsUsersRead}, []string{scopeTeamsRead}},
		{"POST", "/" + teamsBeta + "/" + string(f.Teams[0]) + "/members", `{}`, []string{scopeTeamsRead}, []string{scopeTeamsWrite}},
		{"GET", "/crm/v3/objects/contacts", "", []string{scopeContactsWrite}, []string{scopeContactsRead}},
		{"PATCH", "/crm/v3/objects/contacts/10001", `{"properties":{}}`, []string{scopeContactsRead}, []string{scopeContactsWrite}},
		{"POST", "/crm/v3/objects/contacts/search", `{}`, []string{scopeContactsWrite}, []string{scopeContactsRead}},
		{"GET", "/crm/v3/objects/users", "", []string{scopeSettingsUsersRead}, []string{scopeCRMUsersRead}},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			tok := sb.IssueToken(tt.have...)
			m := expectError(t, sb.doAs(t, tok, tt.method, tt.path, tt.body), http.StatusForbidden, "MISSING_SCOPES")
			var got []string
			for _, s := range list(obj(obj(list(m["errors"])[0])["context"])["requiredGranularScopes"]) {
				got = append(got, str(s))
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("requiredGranularScopes %v, want %v", got, tt.want)
			}
			if obj(m["links"])["scopes"] != scopesLink || m["message"] != msgMissingScopes {
				t.Fatalf("envelope %v", m)
			}
		})
	}
	// Either read scope opens the users list.
	expectStatus(t, sb.doAs(t, sb.IssueToken(scopeCRMUsersRead), "GET", "/settings/v3/users", ""), 200)
}

func TestCorrelationIDsAreFresh(t *testing.T) {
	sb := newSandbox(t, Config{})
	a := expectError(t, sb.do(t, "GET", "/crm/v3/owners/1", ""), 404, "OBJECT_NOT_FOUND")
	b := expectError(t, sb.do(t, "GET", "/crm/v3/owners/1", ""), 404, "OBJECT_NOT_FOUND")
	if a["correlationId"] == b["correlationId"] {
		t.Fatal("two errors share a correlationId")
	}
}

func TestRequestsLog(t *testing.T) {
	sb := newSandbox(t, Config{})
	sb.do(t, "PATCH", "/crm/v3/objects/contacts/10001?archived=false", `{"properties":{"firstname":"Q"}}`)
	sb.do(t, "GET", "/crm/v3/owners/1", "")
	reqs := sb.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests logged", len(reqs))
	}
	first := reqs[0]
	if first.Method != "PATCH" || first.Path != "/crm/v3/objects/contacts/10001" || first.RawQuery != "archived=false" ||
		string(first.Body) != `{"properties":{"firstname":"Q"}}` || first.Status != 200 {
		t.Fatalf("first request %+v", first)
	}
	if reqs[1].Status != 404 {
		t.Fatalf("second status %d", reqs[1].Status)
	}

	l := newRequestLog(3)
	for i := 0; i < 5; i++ {
		l.add(Request{Status: i})
	}
	var got []int
	for _, r := range l.snapshot() {
		got = append(got, r.Status)
	}
	if !slices.Equal(got, []int{2, 3, 4}) {
		t.Fatalf("bounded log keeps %v, want the last three", got)
	}
}

// Concurrent reads and writes must be safe (run with -race).
func TestConcurrentUse(t *testing.T) {
	sb := newSandbox(t, Config{})
	f := sb.Fixtures()
	var wg sync.WaitGroup
	for g := 0; g < 6; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 15; i++ {
				var r response
				switch (g + i) % 5 {
				case 0:
					r = sb.do(t, "PATCH", "/crm/v3/objects/contacts/10001", `{"properties":{"hubspot_owner_id":"`+string(f.ActiveOwner)+`"}}`)
				case 1:
					r = sb.do(t, "POST", "/crm/v3/objects/contacts/search", `{"sorts":["-lastmodifieddate"]}`)
				case 2:
					r = sb.do(t, "POST", "/"+teamsBeta+"/"+string(f.Teams[i%8])+"/members", `{"userId":"`+string(f.SingleRoleUser)+`","type":"DEFAULT"}`)
					if r.status == 201 {
						r.status = 200
					}
				case 3:
					r = sb.do(t, "GET", "/crm/v3/owners?limit=500", "")
				case 4:
					r = sb.do(t, "PUT", "/settings/v3/users/"+string(f.MultiRoleUser), `{"firstName":"C"}`)
				}
				if r.status != 200 {
					t.Errorf("status %d: %s", r.status, r.body)
					return
				}
			}
		}()
	}
	wg.Wait()
	checkTeamConsistency(t, sb)
}
