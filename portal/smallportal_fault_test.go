package portal

import (
	"context"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

// Portals at the edges: no contacts at all, and a single user. Sync,
// findings and resolve work on both, and the mirror equals the sandbox.
func TestEdgePortalsSync(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  hubspottest.Config
	}{
		{"empty", hubspottest.Config{Contacts: -1}},
		{"one user", hubspottest.Config{Users: 1, Contacts: 300}},
		{"one user, empty", hubspottest.Config{Users: 1, Contacts: -1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, tc.cfg, nil)
			ctx := context.Background()
			for run := range 2 { // a full sync, then an incremental one
				if err := e.p.Sync(ctx, nil); err != nil {
					t.Fatalf("sync %d: %v", run, err)
				}
				assertMirrorEqualsSandbox(t, e)
			}
			if st, _ := e.p.Mirror().SyncState(ctx, store.PhaseContacts); st.InProgress || st.LastFullSync.IsZero() {
				t.Fatalf("sync state %+v", st)
			}
			if _, err := e.p.Findings(ctx); err != nil {
				t.Fatal(err)
			}
			users, err := e.p.Users(ctx, store.Query{})
			if err != nil || len(users) != e.sb.Summary().Users {
				t.Fatalf("%d users, %v", len(users), err)
			}
			res, err := e.p.Resolve(ctx, string(users[0].UserID))
			if err != nil || len(res.Matches) == 0 {
				t.Fatalf("resolve %s: %+v %v", users[0].UserID, res, err)
			}
			if rows, err := e.p.Contacts(ctx, store.Query{Filter: "smith"}); err != nil || (tc.cfg.Contacts < 0 && len(rows) != 0) {
				t.Fatalf("filter on an empty portal: %d rows, %v", len(rows), err)
			}
		})
	}
}
