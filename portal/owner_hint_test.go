package portal

import (
	"context"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

// runToOwner records and runs a one-contact job straight to owner, past
// the planner's refusals, as an old journal or a mistyped script would:
// HubSpot is the one to refuse it.
func runToOwner(t *testing.T, e *env, owner hubspot.OwnerID) (JobResult, store.JobItem) {
	t.Helper()
	ctx := context.Background()
	c := contactsOf(t, e.p, e.sb.Fixtures().ActiveOwner)[0]
	plan := ReassignPlan{To: OwnerRef{ID: owner}, BatchSize: 10,
		Items: []ReassignItem{{ContactID: c.ContactID, Name: c.Name, From: c.OwnerID, To: owner}}}
	id, err := e.p.RecordReassign(ctx, plan)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.p.Run(ctx, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	items, err := e.p.JobItems(ctx, id)
	if err != nil || len(items) != 1 {
		t.Fatalf("items %+v, %v", items, err)
	}
	return res, items[0]
}

func TestInvalidOwnerHintSaysWhatTheNumberIs(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 300}, nil)
	e.sync(t)
	f := e.sb.Fixtures()
	archived := ownerRow(t, e, f.ArchivedOwner)
	activeUser := userRow(t, e, f.ActiveOwnerUser)
	cases := []struct {
		name  string
		owner hubspot.OwnerID
		want  []string
		never string
	}{
		{"deactivated owner", f.ArchivedOwner,
			[]string{"owner " + string(f.ArchivedOwner) + " is " + archived.Name + ", who is deactivated"}, "not a user ID"},
		{"user ID", hubspot.OwnerID(f.ActiveOwnerUser),
			[]string{string(f.ActiveOwnerUser) + " is the user ID of " + activeUser.Name, "use " + activeUser.Name + "'s owner ID " + string(f.ActiveOwner)}, "deactivated"},
		{"unknown number", "987654321",
			[]string{"987654321 is unknown to the owners list"}, "user ID of"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, item := runToOwner(t, e, tc.owner)
			if res.Failed != 1 || item.State != store.ItemFailed {
				t.Fatalf("result %+v, item %+v", res, item)
			}
			for _, w := range tc.want {
				if !strings.Contains(item.Error, w) {
					t.Errorf("the journal's reason %q does not say %q", item.Error, w)
				}
			}
			if strings.Contains(item.Error, tc.never) {
				t.Errorf("the reason %q blames the wrong thing (%q)", item.Error, tc.never)
			}
			if !strings.Contains(item.Error, "is not a valid owner id") {
				t.Errorf("HubSpot's own words are gone: %q", item.Error)
			}
			if len(item.CorrelationID) != 36 || strings.Contains(item.Error, item.CorrelationID) {
				t.Errorf("correlation ID %q kept apart from %q?", item.CorrelationID, item.Error)
			}
			if len(res.Problems) != 1 || res.Problems[0].Reason != item.Error {
				t.Errorf("the run reports %+v, the journal %q", res.Problems, item.Error)
			}
		})
	}
}

func ownerRow(t *testing.T, e *env, id hubspot.OwnerID) store.OwnerRow {
	t.Helper()
	rows, err := e.p.mirror.Owners(context.Background(), store.Query{Filter: string(id), Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.OwnerID == id {
			return r
		}
	}
	t.Fatalf("no owner %s in the mirror", id)
	return store.OwnerRow{}
}

func userRow(t *testing.T, e *env, id hubspot.UserID) store.UserRow {
	t.Helper()
	rows, err := e.p.mirror.Users(context.Background(), store.Query{UserID: id, Limit: 1})
	if err != nil || len(rows) != 1 {
		t.Fatalf("no user %s in the mirror: %v", id, err)
	}
	return rows[0]
}
