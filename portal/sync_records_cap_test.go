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

// An incremental sync of 12,000 changed deals walks time windows like the
// contacts' one: every deal arrives, and no search asks for a result past
// the 10,000th.
func TestRecordsIncrementalWindowStaysUnderTheCap(t *testing.T) {
	if testing.Short() {
		t.Skip("12,000-deal sandbox")
	}
	e := newEnv(t, hubspottest.Config{Contacts: 50, Users: 10, Deals: 12_000}, nil)
	ctx := context.Background()
	// The deals were synced long ago: everything since is a change.
	long := time.Now().Add(-400 * 24 * time.Hour)
	if err := e.p.mirror.SaveSyncState(ctx, store.SyncState{Phase: store.RecordsPhase(hubspot.ObjectDeals), Generation: 1,
		LastFullSync: long, LastSync: long, HighWater: time.UnixMilli(1)}); err != nil {
		t.Fatal(err)
	}
	e.sync(t)
	if n, _ := e.p.mirror.CountRecords(ctx, hubspot.ObjectDeals, 0); n != 12_000 {
		t.Errorf("%d deals after the walk, want 12000", n)
	}
	if n := len(requestsTo(e.sb, "GET", "/crm/v3/objects/deals")); n > 1 {
		t.Errorf("the deals were listed (%d requests), not searched for changes", n)
	}
	windows := 0
	for _, r := range requestsTo(e.sb, "POST", "/crm/v3/objects/deals/search") {
		var body hubspot.SearchRequest
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatal(err)
		}
		after, _ := strconv.Atoi(body.After)
		if after+body.Limit > 10_000 {
			t.Errorf("a search asked after=%s limit=%d, past the 10,000th result", body.After, body.Limit)
		}
		if body.After == "" && len(body.FilterGroups) > 0 {
			windows++
		}
	}
	if windows < 2 {
		t.Errorf("%d search windows for 12,000 changes, want the window split", windows)
	}
}
