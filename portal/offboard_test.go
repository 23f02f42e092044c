package portal

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// TestOffboardSomeoneWhoOwnsEverything offboards a person owning contacts,
// deals and tickets and sitting in two teams with a seat: every step is
// verified, HubSpot ends with nothing held by them, no team, no seat and
// the user gone with the owner archived; the mirror, findings and their
// card say the same, and the journal keeps what they had.
func TestOffboardSomeoneWhoOwnsEverything(t *testing.T) {
	e := newEnv(t, offboardConfig(), nil)
	e.sync(t)
	ctx := context.Background()
	u := leaver(t, e)
	to := successor(t, e, u)
	live, _ := e.sb.User(u.UserID)

	r, err := e.p.PreflightOffboard(ctx, OffboardRequest{Person: u.Email, To: string(to.ID)})
	if err != nil {
		t.Fatal(err)
	}
	if r.Blocked() {
		t.Fatalf("blocked: %v", r.Blockers)
	}
	if r.Person.UserID != u.UserID || r.Person.OwnerID != u.OwnerID || r.To.ID != to.ID {
		t.Fatalf("pre-flight read %+v → %+v", r.Person, r.To)
	}
	if len(r.Had.Teams) != 2 || !r.Had.Teams[0].Primary || !slices.Equal(r.Had.Seats, live.SeatNames) || len(r.Had.Roles) == 0 {
		t.Fatalf("pre-flight teams %+v, seats %v, roles %v", r.Had.Teams, r.Had.Seats, r.Had.Roles)
	}
	types := map[hubspot.ObjectType]bool{}
	for _, h := range r.Handover {
		types[h.Type] = true
	}
	if !types[hubspot.ObjectContacts] || !types[hubspot.ObjectDeals] || !types[hubspot.ObjectTickets] {
		t.Fatalf("the hand-over covers %v", r.Handover)
	}
	held := heldBy(t, e, u.OwnerID, r.Had.Holdings)
	if held != r.HandoverCount() {
		t.Fatalf("the sandbox shows %d records held, the report %d", held, r.HandoverCount())
	}

	id, err := e.p.RecordOffboard(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	progress := make(chan OffboardProgress, 1024)
	res, err := e.p.RunOffboard(ctx, id, progress)
	if err != nil || res.State != store.JobDone {
		t.Fatalf("run: %+v, %v", res, err)
	}
	for i, st := range res.Steps {
		if st.State != store.ItemDone {
			t.Errorf("step %d %s: %s (%s)", i+1, st.Name, st.State, st.Message)
		}
	}
	assertOffboarded(t, e, u, to, r, id)
	assertOutcomesTrue(t, e.p)

	// Progress named every step, in order.
	var seen []string
	for len(progress) > 0 {
		pr := <-progress
		if len(seen) == 0 || seen[len(seen)-1] != pr.Name {
			seen = append(seen, pr.Name)
		}
	}
	if !slices.Equal(seen, OffboardSteps) {
		t.Errorf("progress named %v", seen)
	}
}

// assertOffboarded checks HubSpot, the mirror, findings, the card and the
// journal after a finished offboarding.
func assertOffboarded(t *testing.T, e *env, u store.UserRow, to OwnerRef, r OffboardReport, jobID int64) {
	t.Helper()
	ctx := context.Background()
	if n := heldBy(t, e, u.OwnerID, r.Had.Holdings); n != 0 {
		t.Errorf("HubSpot still shows %d records held by the leaver", n)
	}
	if n := heldBy(t, e, to.ID, r.Had.Holdings); n < r.HandoverCount() {
		t.Errorf("the new owner holds %d records, want at least %d", n, r.HandoverCount())
	}
	if _, ok := e.sb.User(u.UserID); ok {
		t.Error("the user is still in HubSpot")
	}
	if o, ok := e.sb.Owner(u.OwnerID); !ok || !o.Archived || o.UserIDIncludingInactive != u.UserID {
		t.Errorf("owner after removal: %+v", o)
	}
	// The mirror, without a sync.
	holdings, err := e.p.Mirror().OwnerHoldings(ctx, u.OwnerID)
	if err != nil || len(holdings) != 0 {
		t.Errorf("the mirror shows them holding %v (%v)", holdings, err)
	}
	owners, err := e.p.Owners(ctx, store.Query{OwnerID: u.OwnerID, Limit: 1})
	if err != nil || len(owners) != 1 || !owners[0].Archived {
		t.Errorf("the mirror's owner: %+v, %v", owners, err)
	}
	assertFindingsClean(t, e, u)
	// And after a sync, from HubSpot.
	e.sync(t)
	assertFindingsClean(t, e, u)
	card, err := e.p.IDCardForOwner(ctx, u.OwnerID)
	if err != nil {
		t.Fatal(err)
	}
	if card.Departure == nil || card.Departure.JobID != jobID || card.Departure.At.IsZero() || card.Departure.KeptUser {
		t.Errorf("card's departure: %+v", card.Departure)
	}
	if !card.OwnerArchived || card.Active {
		t.Errorf("card: archived %v, active %v", card.OwnerArchived, card.Active)
	}
	rec, err := e.p.OffboardRecordOf(ctx, jobID)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.ReassignJobs) == 0 || !slices.Equal(rec.Had.Seats, r.Had.Seats) || len(rec.Had.Teams) != len(r.Had.Teams) || !slices.Equal(rec.Had.State.RoleIDs, r.Had.State.RoleIDs) {
		t.Errorf("the journal's record: %+v", rec)
	}
	d, err := e.p.JobDetail(ctx, jobID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Job.Outcome() != "done: 4 of 4 steps done" || len(d.Items) != 4 || !strings.Contains(d.Items[0].Change, "reassignment job") {
		t.Errorf("job detail: %s %+v", d.Job.Outcome(), d.Items)
	}
}

// assertFindingsClean: no finding lists the leaver's owner as holding
// records, and no record finding counts them.
func assertFindingsClean(t *testing.T, e *env, u store.UserRow) {
	t.Helper()
	findings, err := e.p.Findings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		for _, rec := range f.Records {
			held := strings.HasPrefix(f.Kind, "contacts-") || strings.HasPrefix(f.Kind, "records-")
			if rec.OwnerID == u.OwnerID && held {
				t.Errorf("finding %s still lists them: %+v", f.Kind, rec)
			}
		}
	}
}
