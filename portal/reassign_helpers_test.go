package portal

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// noWaits makes the runs of a test retry at once instead of sleeping.
func noWaits(t testing.TB) {
	t.Helper()
	sleep := jobSleep
	jobSleep = func(ctx context.Context, d time.Duration) error { return ctx.Err() }
	t.Cleanup(func() { jobSleep = sleep })
}

// portalWith opens a second portal on e's data directory whose client
// has opts on top of the sandbox's address and token.
func (e *env) portalWith(t testing.TB, opts ...hubspot.Option) *Portal {
	t.Helper()
	base := []hubspot.Option{hubspot.WithBaseURL(e.srv.URL), hubspot.WithAccessToken(e.token),
		hubspot.WithSearchRate(0), hubspot.WithRateBudget(0, 0)}
	p, _, err := Open(context.Background(), Config{Client: hubspot.New(append(base, opts...)...), DataDir: e.dir,
		HubID: e.sb.HubID(), BaseURL: e.srv.URL, Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// otherOwner is an active person owner other than not, with contacts.
func otherOwner(t testing.TB, p *Portal, not ...hubspot.OwnerID) OwnerRef {
	t.Helper()
	owners, err := p.AssignableOwners(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
next:
	for _, o := range owners {
		if o.Queue || o.UserID == "" {
			continue
		}
		for _, n := range not {
			if o.ID == n {
				continue next
			}
		}
		return o
	}
	t.Fatal("no other active owner in the sandbox")
	return OwnerRef{}
}

// planAndRun plans req, records it and runs it to the end.
func planAndRun(t testing.TB, p *Portal, req ReassignRequest) (ReassignPlan, JobResult) {
	t.Helper()
	ctx := context.Background()
	plan, err := p.PlanReassign(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	id, err := p.RecordReassign(ctx, plan)
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(ctx, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	return plan, res
}

// contactsOf lists the mirror's contacts of an owner.
func contactsOf(t testing.TB, p *Portal, owner hubspot.OwnerID) []store.ContactRow {
	t.Helper()
	rows, err := p.mirror.SelectContacts(context.Background(), store.ContactSelection{OwnerID: owner})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// assertAtOwners checks that the sandbox and the mirror give every item
// its wanted owner.
func (e *env) assertAtOwners(t testing.TB, p *Portal, want map[hubspot.ContactID]hubspot.OwnerID) {
	t.Helper()
	ids := make([]hubspot.ContactID, 0, len(want))
	for id, owner := range want {
		c, ok := e.sb.Contact(id)
		if !ok {
			t.Fatalf("sandbox has no contact %s", id)
		}
		if c.OwnerID() != owner {
			t.Errorf("contact %s: sandbox owner %q, want %q", id, c.OwnerID(), owner)
		}
		ids = append(ids, id)
	}
	rows, _, err := p.mirror.ContactsByID(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.OwnerID != want[r.ContactID] {
			t.Errorf("contact %s: mirror owner %q, want %q", r.ContactID, r.OwnerID, want[r.ContactID])
		}
	}
}

// journalStates counts a job's items by state and checks each done
// item's after value against the sandbox.
func (e *env) journalAgrees(t testing.TB, p *Portal, jobID int64) map[string]int {
	t.Helper()
	items, err := p.JobItems(context.Background(), jobID)
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]int{}
	for _, it := range items {
		states[it.State]++
		if it.State != store.ItemDone {
			continue
		}
		typ, id, prop := parseSubject(it.SubjectID)
		after, afterValue, multi, err := decodeValue(it.After)
		if err != nil {
			t.Fatal(err)
		}
		if typ != hubspot.ObjectContacts || prop != hubspot.PropOwnerID {
			got := e.sandboxValue(t, typ, id, prop)
			if !multi && got != afterValue || multi && !slices.Contains(store.SplitOwnerIDs(got, true), after) {
				t.Errorf("journal says %s %s %s is done at %s; the sandbox has %q", typ, id, prop, after, got)
			}
			continue
		}
		c, _ := e.sb.Contact(hubspot.ContactID(id))
		if c.OwnerID() != after {
			t.Errorf("journal says contact %s is done at %s; the sandbox has %q", it.SubjectID, after, c.OwnerID())
		}
	}
	return states
}

// writesPerContact counts, for each contact, the batch updates HubSpot
// applied (200 or 207) that carried it.
func (e *env) writesPerContact(t testing.TB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, r := range requestsTo(e.sb, "POST", contactsPath+"/batch/update") {
		if r.Status != 200 && r.Status != 207 {
			continue
		}
		var body struct {
			Inputs []struct {
				ID string `json:"id"`
			} `json:"inputs"`
		}
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatalf("batch update body: %v", err)
		}
		for _, in := range body.Inputs {
			out[in.ID]++
		}
	}
	return out
}

// sandboxValue is what the sandbox holds in a record's owner property.
func (e *env) sandboxValue(t testing.TB, typ hubspot.ObjectType, id hubspot.RecordID, prop string) string {
	t.Helper()
	if typ == hubspot.ObjectContacts {
		c, ok := e.sb.Contact(hubspot.ContactID(id))
		if !ok {
			t.Fatalf("sandbox has no contact %s", id)
		}
		return c.Properties[prop]
	}
	r, ok := e.sb.ObjectRecord(string(typ), string(id))
	if !ok {
		t.Fatalf("sandbox has no %s %s", typ, id)
	}
	return r.Properties[prop]
}

// contactOwnerOnly limits a plan to hubspot_owner_id, for tests about
// contacts' owners on a sandbox whose contacts also carry custom owner
// properties.
var contactOwnerOnly = []string{hubspot.PropOwnerID}
