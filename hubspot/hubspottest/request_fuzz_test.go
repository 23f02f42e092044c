package hubspottest

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// FuzzSandboxRequest sends any body, path parameter and query to every
// endpoint of one sandbox, in sequence, so that writes accumulate. The
// sandbox must never panic; every JSON answer must be JSON, every API error
// HubSpot's envelope with a message and a correlationId; and after each
// request the portal must still be consistent: users and teams agree on
// membership, and listing still works.
func FuzzSandboxRequest(f *testing.F) {
	f.Add(byte(4), "1285632", "", `{"roleIds":["1","2"],"firstName":"Ünï"}`)
	f.Add(byte(4), "1285632", "", `{"roleId":"1;2"}`)
	f.Add(byte(8), "368389", "", `{"userId":"1285632","type":"EXTRA"}`)
	f.Add(byte(9), "368389", "", "")
	f.Add(byte(13), "", "", `{"properties":["email"],"inputs":[{"id":"1"},{"id":"x"}]}`)
	f.Add(byte(14), "", "", `{"inputs":[{"id":"1","properties":{"hubspot_owner_id":"1285632"}}]}`)
	f.Add(byte(15), "", "", `{"filterGroups":[{"filters":[{"propertyName":"email","operator":"CONTAINS_TOKEN","value":"*a*"}]}],"sorts":[{"propertyName":"lastmodifieddate","direction":"DESCENDING"}],"limit":200,"after":"9990"}`)
	f.Add(byte(17), "1", "", `{"properties":{"hubspot_owner_id":"abc"}}`)
	f.Add(byte(11), "", "limit=500&archived=true&after=-1", "")
	f.Add(byte(12), "", "idProperty=userId", "")
	f.Add(byte(12), "1285632", "idProperty=userId", "")
	f.Add(byte(19), "", "", `{"filterGroups":[],"limit":-5}`)
	f.Add(byte(21), "", "", "grant_type=refresh_token&refresh_token=x&client_id=y&client_secret=z")
	f.Add(byte(0), "", "limit=0&after=%00", "")
	f.Add(byte(13), "", "", `{"inputs":[`+strings.Repeat(`{"id":"1"},`, 100)+`{"id":"2"}]}`)

	s := New(Config{Contacts: 200, Now: newTestClock().Now})
	token := s.IssueToken()
	serve := func(method, target, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		if strings.HasPrefix(body, "{") {
			req.Header.Set("Content-Type", "application/json")
		} else if body != "" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec
	}

	f.Fuzz(func(t *testing.T, route byte, param, query, body string) {
		rt := routes[int(route)%len(routes)]
		segs := slices.Clone(rt.pattern)
		for i, p := range segs {
			if p == "*" {
				segs[i] = url.PathEscape(param)
			}
		}
		target := "/" + strings.Join(segs, "/")
		if q, err := url.ParseQuery(query); err == nil && len(q) > 0 {
			target += "?" + q.Encode()
		}
		rec := serve(rt.method, target, body)
		checkAnswer(t, rt.method+" "+target, rec)

		// The portal is still whole.
		users := serve("GET", "/settings/v3/users?limit=100", "")
		teams := serve("GET", "/settings/v3/users/teams", "")
		if users.Code != 200 || teams.Code != 200 {
			t.Fatalf("after %s %s: listing users %d, teams %d", rt.method, target, users.Code, teams.Code)
		}
		checkMembership(t, rt.method+" "+target, users.Body.Bytes(), teams.Body.Bytes())
	})
}

func checkAnswer(t *testing.T, what string, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Code < 200 || rec.Code > 599 {
		t.Fatalf("%s: status %d", what, rec.Code)
	}
	ctype := rec.Header().Get("Content-Type")
	body := rec.Body.Bytes()
	if strings.Contains(ctype, "json") && len(body) > 0 && !json.Valid(body) {
		t.Fatalf("%s: invalid JSON answer %.200q", what, body)
	}
	if rec.Code < 400 || strings.Contains(what, "/oauth/") {
		return // OAuth answers use their own older shapes and an HTML page
	}
	if rec.Code == 404 && strings.HasPrefix(ctype, "text/html") {
		return // a path no API serves (an empty ID segment, say) is HubSpot's HTML page (FIDELITY.md, row 6b)
	}
	var env struct {
		Status, Message, CorrelationID, Category, ErrorType string
	}
	if err := json.Unmarshal(body, &env); err != nil || env.Message == "" || env.CorrelationID == "" || env.Status != "error" ||
		(env.Category == "" && env.ErrorType == "") {
		t.Fatalf("%s: %d answer is not HubSpot's error envelope: %.300s", what, rec.Code, body)
	}
}

// checkMembership checks that every user's teams list them, and that every
// team lists only users who say they are in it.
func checkMembership(t *testing.T, what string, usersBody, teamsBody []byte) {
	t.Helper()
	var users struct {
		Results []struct {
			ID               string   `json:"id"`
			PrimaryTeamID    string   `json:"primaryTeamId"`
			SecondaryTeamIDs []string `json:"secondaryTeamIds"`
		}
	}
	var teams struct {
		Results []struct {
			ID               string   `json:"id"`
			UserIDs          []string `json:"userIds"`
			SecondaryUserIDs []string `json:"secondaryUserIds"`
		}
	}
	if err := json.Unmarshal(usersBody, &users); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(teamsBody, &teams); err != nil {
		t.Fatal(err)
	}
	primary, secondary := map[string]string{}, map[string][]string{}
	for _, u := range users.Results {
		primary[u.ID] = u.PrimaryTeamID
		secondary[u.ID] = u.SecondaryTeamIDs
	}
	listed := 0
	for _, tm := range teams.Results {
		for _, id := range tm.UserIDs {
			if primary[id] != tm.ID {
				t.Fatalf("after %s: team %s lists %s as a primary member, whose primary team is %q", what, tm.ID, id, primary[id])
			}
			listed++
		}
		for _, id := range tm.SecondaryUserIDs {
			if !slices.Contains(secondary[id], tm.ID) {
				t.Fatalf("after %s: team %s lists %s as a secondary member, who does not say so", what, tm.ID, id)
			}
			listed++
		}
	}
	claimed := 0
	for id, p := range primary {
		if p != "" {
			claimed++
		}
		claimed += len(secondary[id])
	}
	if listed != claimed {
		t.Fatalf("after %s: teams list %d memberships, users claim %d", what, listed, claimed)
	}
}
