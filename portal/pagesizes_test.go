package portal

import (
	"context"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

// The config file's page sizes reach the requests: list pages and batch
// updates carry no more than asked.
func TestPageSizesShapeRequests(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 300, Users: 10}, nil)
	p, _, err := Open(context.Background(), Config{Client: e.client, DataDir: t.TempDir(), AccessToken: e.token,
		BaseURL: e.srv.URL, Sandbox: true, PageSizes: PageSizes{Contacts: 40, Batch: 7}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ctx := context.Background()
	if err := p.Sync(ctx, nil); err != nil {
		t.Fatal(err)
	}
	lists := 0
	for _, r := range requestsTo(e.sb, "GET", "/crm/v3/objects/contacts") {
		lists++
		if !strings.Contains(r.RawQuery, "limit=40") {
			t.Errorf("contacts list asked %q; want limit=40", r.RawQuery)
		}
	}
	if lists < 300/40 {
		t.Errorf("%d list requests for 300 contacts at 40 a page", lists)
	}

	fx := e.sb.Fixtures()
	plan, err := p.PlanReassign(ctx, ReassignRequest{From: string(fx.ActiveOwner), To: string(fx.QueueOwner)})
	if err != nil {
		t.Fatal(err)
	}
	if plan.BatchSize != 7 {
		t.Errorf("batch size %d, want the configured 7", plan.BatchSize)
	}
}
