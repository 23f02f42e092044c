package hubspottest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func searchBody(t *testing.T, v map[string]any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func filterGroups(groups, perGroup int) []any {
	var out []any
	for g := 0; g < groups; g++ {
		var fs []any
		for f := 0; f < perGroup; f++ {
			fs = append(fs, map[string]any{"propertyName": "email", "operator": "HAS_PROPERTY"})
		}
		out = append(out, map[string]any{"filters": fs})
	}
	return out
}

func TestSearchLimits(t *testing.T) {
	sb := newSandbox(t, Config{})
	tests := []struct {
		name   string
		body   map[string]any
		status int
	}{
		{"limit 200 is fine", map[string]any{"limit": 200}, 200},
		{"limit 201", map[string]any{"limit": 201}, 400},
		{"after 9999 is fine", map[string]any{"after": "9999"}, 200},
		{"after 10000", map[string]any{"after": "10000"}, 400},
		{"after as a number", map[string]any{"after": 10000}, 400},
		{"5 groups of 3 is fine", map[string]any{"filterGroups": filterGroups(5, 3)}, 200},
		{"6 groups", map[string]any{"filterGroups": filterGroups(6, 1)}, 400},
		{"7 filters in a group", map[string]any{"filterGroups": filterGroups(1, 7)}, 400},
		{"19 filters in total", map[string]any{"filterGroups": append(filterGroups(3, 6), filterGroups(1, 1)...)}, 400},
		{"18 filters in total is fine", map[string]any{"filterGroups": filterGroups(3, 6)}, 200},
		{"two sorts", map[string]any{"sorts": []any{"email", "-createdate"}}, 400},
		{"unknown operator", map[string]any{"filterGroups": []any{map[string]any{"filters": []any{map[string]any{"propertyName": "email", "operator": "LIKE", "value": "x"}}}}}, 400},
		{"unknown property", map[string]any{"filterGroups": []any{map[string]any{"filters": []any{map[string]any{"propertyName": "shoe_size", "operator": "EQ", "value": "x"}}}}}, 400},
		{"missing value", map[string]any{"filterGroups": []any{map[string]any{"filters": []any{map[string]any{"propertyName": "email", "operator": "EQ"}}}}}, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sb.do(t, "POST", "/crm/v3/objects/contacts/search", searchBody(t, tt.body))
			if tt.status == 200 {
				expectStatus(t, r, 200)
				if r.header.Get("X-HubSpot-RateLimit-Max") != "" {
					t.Fatal("search responses carry no rate-limit headers")
				}
				return
			}
			expectError(t, r, tt.status, "VALIDATION_ERROR")
		})
	}
}

// searchAll runs a search, paging to the end, and returns the total and IDs.
func searchAll(t *testing.T, sb *sandbox, body map[string]any) (int, []string) {
	t.Helper()
	var ids []string
	after := ""
	for page := 0; page < 60; page++ {
		body["after"] = after
		body["limit"] = 200
		r := sb.do(t, "POST", "/crm/v3/objects/contacts/search", searchBody(t, body))
		expectStatus(t, r, 200)
		m := r.json(t)
		total := int(m["total"].(float64))
		for _, x := range list(m["results"]) {
			ids = append(ids, str(obj(x)["id"]))
		}
		if m["paging"] == nil {
			return total, ids
		}
		after = str(obj(obj(m["paging"])["next"])["after"])
	}
	t.Fatal("search paging did not end")
	return 0, nil
}

func filter1(prop, op string, kv ...any) map[string]any {
	f := map[string]any{"propertyName": prop, "operator": op}
	for i := 0; i+1 < len(kv); i += 2 {
		f[kv[i].(string)] = kv[i+1]
	}
	return map[string]any{"filterGroups": []any{map[string]any{"filters": []any{f}}}}
}

func TestSearchOperators(t *testing.T) {
	sb := newSandbox(t, Config{Contacts: 2000})
	f := sb.Fixtures()
	// Ground truth straight from the portal.
	count := func(pred func(c contactView) bool) int {
		n := 0
		for i := 0; i < sb.p.contacts.n; i++ {
			if pred(sb.p.contacts.view(i)) {
				n++
			}
		}
		return n
	}
	owner := func(c contactView) string { v, _ := c.value("hubspot_owner_id"); return v }
	email := func(c contactView) string { v, _ := c.value("email"); return v }
	tests := []struct {
		name string
		body map[string]any
		want int
	}{
		{"EQ owner", filter1("hubspot_owner_id", "EQ", "value", string(f.ActiveOwner)), count(func(c contactView) bool { return owner(c) == string(f.ActiveOwner) })},
		{"NEQ owner", filter1("hubspot_owner_id", "NEQ", "value", string(f.ActiveOwner)), count(func(c contactView) bool { return owner(c) != string(f.ActiveOwner) })},
		{"IN owners", filter1("hubspot_owner_id", "IN", "values", []string{string(f.ActiveOwner), string(f.ArchivedOwner)}), count(func(c contactView) bool {
			return owner(c) == string(f.ActiveOwner) || owner(c) == string(f.ArchivedOwner)
		})},
		{"NOT_IN owners", filter1("hubspot_owner_id", "NOT_IN", "values", []string{string(f.ActiveOwner)}), count(func(c contactView) bool { return owner(c) != string(f.ActiveOwner) })},
		{"HAS_PROPERTY owner", filter1("hubspot_owner_id", "HAS_PROPERTY"), count(func(c contactView) bool { return owner(c) != "" })},
		{"NOT_HAS_PROPERTY owner", filter1("hubspot_owner_id", "NOT_HAS_PROPERTY"), count(func(c contactView) bool { return owner(c) == "" })},
		{"CONTAINS_TOKEN domain wildcard", filter1("email", "CONTAINS_TOKEN", "value", "*@hooli.example"), count(func(c contactView) bool { return strings.HasSuffix(email(c), "@hooli.example") })},
		{"GT object id", filter1("hs_object_id", "GT", "value", "12000"), count(func(c contactView) bool { return c.id() > 12000 })},
		{"LTE object id", filter1("hs_object_id", "LTE", "value", "12000"), count(func(c contactView) bool { return c.id() <= 12000 })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want == 0 {
				t.Fatal("test data has no match; the test would prove nothing")
			}
			total, ids := searchAll(t, sb, tt.body)
			if total != tt.want || len(ids) != tt.want {
				t.Fatalf("total %d, %d results, want %d", total, len(ids), tt.want)
			}
		})
	}
}

// Sync walks time windows of lastmodifieddate; the windows must partition.
func TestSearchLastModifiedWindows(t *testing.T) {
	sb := newSandbox(t, Config{Contacts: 3000})
	now := sb.clock.Now()
	ms := func(d time.Duration) string { return strconv.FormatInt(now.Add(-d).UnixMilli(), 10) }
	sum := 0
	edges := []time.Duration{400 * 24 * time.Hour, 200 * 24 * time.Hour, 90 * 24 * time.Hour, 10 * 24 * time.Hour, 0}
	for i := 0; i+1 < len(edges); i++ {
		body := map[string]any{"filterGroups": []any{map[string]any{"filters": []any{
			map[string]any{"propertyName": "lastmodifieddate", "operator": "GTE", "value": ms(edges[i])},
			map[string]any{"propertyName": "lastmodifieddate", "operator": "LT", "value": ms(edges[i+1])},
		}}}}
		total, _ := searchAll(t, sb, body)
		between, _ := searchAll(t, sb, filter1("lastmodifieddate", "BETWEEN", "value", ms(edges[i]), "highValue", strconv.FormatInt(now.Add(-edges[i+1]).UnixMilli()-1, 10)))
		if total != between {
			t.Fatalf("window %d: GTE/LT gives %d, BETWEEN gives %d", i, total, between)
		}
		sum += total
	}
	if sum != 3000 {
		t.Fatalf("windows over the last 400 days hold %d contacts, want all 3000", sum)
	}

	// A PATCH moves a contact into the newest window (GT, ISO date value).
	sb.clock.Advance(time.Hour)
	since := sb.clock.Now().Add(-time.Minute).Format(time.RFC3339)
	expectStatus(t, sb.do(t, "PATCH", "/crm/v3/objects/contacts/10001", `{"properties":{"lastname":"Moved"}}`), 200)
	total, ids := searchAll(t, sb, filter1("lastmodifieddate", "GT", "value", since))
	if total != 1 || ids[0] != "10001" {
		t.Fatalf("modified since %s: %d %v", since, total, ids)
	}
}

func TestSearchSortingAndPaging(t *testing.T) {
	sb := newSandbox(t, Config{Contacts: 1500})
	for _, sorts := range []any{
		[]any{"-lastmodifieddate"},
		[]any{map[string]any{"propertyName": "lastmodifieddate", "direction": "DESCENDING"}},
	} {
		t.Run(fmt.Sprint(sorts), func(t *testing.T) {
			total, ids := searchAll(t, sb, map[string]any{"sorts": sorts, "properties": []string{"lastmodifieddate"}})
			if total != 1500 || len(ids) != 1500 {
				t.Fatalf("total %d ids %d", total, len(ids))
			}
			prev := int64(1 << 62)
			seen := map[string]bool{}
			for _, id := range ids {
				c, _ := sb.Contact(hubspotContactID(id))
				ms := c.UpdatedAt.UnixMilli()
				if ms > prev || seen[id] {
					t.Fatalf("not sorted descending or repeated at %s", id)
				}
				prev = ms
				seen[id] = true
			}
		})
	}
	// The free-text query and the default page size.
	r := sb.do(t, "POST", "/crm/v3/objects/contacts/search", `{"query":"hooli"}`)
	expectStatus(t, r, 200)
	m := r.json(t)
	if len(list(m["results"])) != 10 || m["total"].(float64) < 10 {
		t.Fatalf("query search: total %v, %d results", m["total"], len(list(m["results"])))
	}
}

func TestSearchBeyondTenThousand(t *testing.T) {
	sb := newSandbox(t, Config{Contacts: 10_100})
	r := sb.do(t, "POST", "/crm/v3/objects/contacts/search", `{"limit":200,"after":"9800"}`)
	expectStatus(t, r, 200)
	m := r.json(t)
	if m["total"].(float64) != 10_100 {
		t.Fatalf("total %v", m["total"])
	}
	next := str(obj(obj(m["paging"])["next"])["after"])
	if next != "10000" {
		t.Fatalf("next after %q, want 10000 (handed out, as HubSpot does)", next)
	}
	expectError(t, sb.do(t, "POST", "/crm/v3/objects/contacts/search", `{"limit":200,"after":"`+next+`"}`), http.StatusBadRequest, "VALIDATION_ERROR")
}
