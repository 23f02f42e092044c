package portal

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

// An incremental window of 12,000 changes, read with a configured search
// page size that does not divide 10,000: the window is split by time, every
// change arrives, and no search asks for a result past the 10,000th (the
// strict sandbox would leave it out, and HubSpot never returns one). With
// tied=true, 10,050 of them share one millisecond and are walked by ID.
func TestIncrementalWindowWithAnyPageSizeStaysUnderTheCap(t *testing.T) {
	if testing.Short() {
		t.Skip("12,000-contact sandbox")
	}
	for _, tc := range []struct {
		page int
		tied bool
	}{{150, false}, {333, true}} {
		fixed := time.Now().UTC().Truncate(time.Second)
		e := newEnv(t, hubspottest.Config{Contacts: 12_000, Users: 20, Now: func() time.Time { return fixed }}, nil)
		ctx := context.Background()
		if tc.tied {
			tieContacts(t, e, 10_050)
		}
		p, _, err := Open(ctx, Config{Client: e.client, DataDir: t.TempDir(), AccessToken: e.token,
			BaseURL: e.srv.URL, Sandbox: true, PageSizes: PageSizes{Search: tc.page}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { p.Close() })
		if err := p.Mirror().SaveSyncState(ctx, store.SyncState{Phase: store.PhaseContacts, Generation: 1,
			LastFullSync: fixed.Add(-400 * 24 * time.Hour), LastSync: fixed.Add(-400 * 24 * time.Hour), HighWater: time.UnixMilli(1)}); err != nil {
			t.Fatal(err)
		}
		if err := p.Sync(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if n, _ := p.CountContacts(ctx, store.Query{}); n != 12_000 {
			t.Errorf("page %d: %d contacts after the walk, want 12000", tc.page, n)
		}
		windows := 0
		for _, r := range requestsTo(e.sb, "POST", searchPath) {
			var body hubspot.SearchRequest
			if err := json.Unmarshal(r.Body, &body); err != nil {
				t.Fatal(err)
			}
			after, _ := strconv.Atoi(body.After)
			if after+body.Limit > 10_000 {
				t.Errorf("page %d: a search asked after=%s limit=%d, past the 10,000th result", tc.page, body.After, body.Limit)
			}
			if body.After == "" && len(body.FilterGroups) > 0 {
				windows++
			}
		}
		if windows < 2 {
			t.Errorf("page %d: %d search windows for 12,000 changes, want the window split", tc.page, windows)
		}
	}
}

// tieContacts gives the first n contacts one modification millisecond.
func tieContacts(t *testing.T, e *env, n int) {
	t.Helper()
	ctx := context.Background()
	ids := make([]hubspot.ContactID, 0, n)
	for after := ""; len(ids) < n; {
		pg, err := e.client.ContactsPage(ctx, after, 100, []string{"email"})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range pg.Results {
			if len(ids) < n {
				ids = append(ids, c.ID)
			}
		}
		after = pg.NextAfter
	}
	for start := 0; start < len(ids); start += 100 {
		var in []hubspot.BatchInput
		for _, id := range ids[start:min(start+100, len(ids))] {
			in = append(in, hubspot.BatchInput{ID: id, Properties: hubspot.Properties{"jobtitle": "Tied"}})
		}
		if _, err := e.client.BatchUpdateContacts(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
}
