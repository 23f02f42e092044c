package hubspottest

import (
	"net/http"
	"strconv"
	"testing"
)

// HubSpot never returns a result past the 10,000th: a page that would
// cross the cap ends at it, whatever the page size, sorted or not, and the
// cursor it hands out (10000) is then refused.
func TestSearchNeverServesPastTheCap(t *testing.T) {
	sb := newSandbox(t, Config{Contacts: 10_300})
	for _, tc := range []struct {
		after, limit int
		sorted       bool
	}{
		{9900, 150, false}, {9900, 150, true}, {9999, 200, false}, {9990, 7, true}, {9801, 200, false}, {9850, 150, false},
	} {
		body := `{"limit":` + strconv.Itoa(tc.limit) + `,"after":"` + strconv.Itoa(tc.after) + `"`
		if tc.sorted {
			body += `,"sorts":[{"propertyName":"lastmodifieddate","direction":"ASCENDING"}]`
		}
		r := sb.do(t, "POST", "/crm/v3/objects/contacts/search", body+"}")
		expectStatus(t, r, http.StatusOK)
		m := r.json(t)
		want := min(tc.limit, 10_000-tc.after)
		if got := len(list(m["results"])); got != want {
			t.Errorf("after=%d limit=%d sorted=%v: %d results, want %d (none past the 10,000th)", tc.after, tc.limit, tc.sorted, got, want)
		}
		next := str(obj(obj(m["paging"])["next"])["after"])
		if wantNext := strconv.Itoa(min(tc.after+tc.limit, 10_000)); next != wantNext {
			t.Errorf("after=%d limit=%d: next after %q, want %s", tc.after, tc.limit, next, wantNext)
		}
		if m["total"].(float64) != 10_300 {
			t.Errorf("total %v, want every match counted", m["total"])
		}
	}
	expectError(t, sb.do(t, "POST", "/crm/v3/objects/contacts/search", `{"limit":150,"after":"10000"}`), http.StatusBadRequest, "VALIDATION_ERROR")
}
