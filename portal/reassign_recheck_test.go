package portal

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

// What the admin confirms is what HubSpot has now: contacts a colleague
// gave to someone else, already moved to the new owner, or merged since
// the last sync are left out, and the notes (journaled with the job) say so.
func TestRecheckLeavesOutWhatChangedInHubSpot(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 400}, nil)
	e.sync(t)
	ctx := context.Background()
	from := otherOwner(t, e.p)
	to := otherOwner(t, e.p, from.ID)
	third := otherOwner(t, e.p, from.ID, to.ID)
	plan, err := e.p.PlanReassign(ctx, ReassignRequest{Properties: contactOwnerOnly, From: string(from.ID), To: string(to.ID)})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Count() < 5 {
		t.Fatalf("owner %s holds %d contacts; the test needs 5", from.ID, plan.Count())
	}
	taken, moved, away, survivor := plan.Items[0].ContactID, plan.Items[1].ContactID, plan.Items[2].ContactID, plan.Items[3].ContactID
	// A colleague, in HubSpot, after the sync.
	if _, err := e.client.BatchUpdateContacts(ctx, []hubspot.BatchInput{
		{ID: taken, Properties: hubspot.Properties{hubspot.PropOwnerID: string(third.ID)}},
		{ID: moved, Properties: hubspot.Properties{hubspot.PropOwnerID: string(to.ID)}},
	}); err != nil {
		t.Fatal(err)
	}
	if err := e.sb.MergeContacts(away, survivor); err != nil {
		t.Fatal(err)
	}
	writes := len(e.sb.WriteRequests())

	got, err := e.p.RecheckReassign(ctx, plan)
	if err != nil {
		t.Fatal(err)
	}
	if got.Count() != plan.Count()-3 {
		t.Errorf("rechecked plan changes %d contacts, want %d", got.Count(), plan.Count()-3)
	}
	for _, it := range got.Items {
		if slices.Contains([]hubspot.ContactID{taken, moved, away}, it.ContactID) {
			t.Errorf("contact %s is still in the plan", it.ContactID)
		}
	}
	notes := strings.Join(got.Notes, "\n")
	for _, want := range []string{
		"1 contact changed owner in HubSpot since the last sync: left out, to keep the new owner",
		"1 contact moved to " + to.Label() + " in HubSpot since the last sync: left out",
		"1 contact merged into another since the last sync: left out",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	if got.Sources[0].Count != got.Count() || got.Targets[0].Count != got.Count() {
		t.Errorf("counts not redone: sources %+v, targets %+v", got.Sources, got.Targets)
	}
	if !strings.HasPrefix(got.Summary(), "Reassign "+Plural(got.Count(), "contact")) {
		t.Errorf("summary %q", got.Summary())
	}
	if n := len(e.sb.WriteRequests()); n != writes {
		t.Errorf("the recheck sent %d write requests", n-writes)
	}
	if reads := requestsTo(e.sb, "POST", contactsPath+"/batch/read"); len(reads) == 0 {
		t.Error("no batch read was sent")
	}
	// The mirror now shows what HubSpot has.
	if rows := contactsOf(t, e.p, third.ID); !slices.ContainsFunc(rows, func(r ContactRow) bool { return r.ContactID == taken }) {
		t.Errorf("the mirror does not show contact %s at %s", taken, third.ID)
	}

	// Nothing changed: the plan stays, and says it was checked.
	again, err := e.p.RecheckReassign(ctx, got)
	if err != nil {
		t.Fatal(err)
	}
	if again.Count() != got.Count() || !strings.Contains(strings.Join(again.Notes, "\n"), "checked against HubSpot just now: all "+Plural(got.Count(), "contact")+" still as planned") {
		t.Errorf("a recheck with nothing changed: %d contacts, notes %q", again.Count(), again.Notes)
	}
}

// A read-only portal rechecks too: batch reads are reads.
func TestRecheckOnAReadOnlyPortalSendsNoWrite(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 200}, nil)
	e.sync(t)
	ro := e.portalWith(t, hubspot.WithReadOnly())
	ctx := context.Background()
	from := otherOwner(t, ro)
	plan, err := ro.PlanReassign(ctx, ReassignRequest{Properties: contactOwnerOnly, From: string(from.ID), To: string(otherOwner(t, ro, from.ID).ID)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ro.RecheckReassign(ctx, plan); err != nil {
		t.Fatalf("recheck on a read-only portal: %v", err)
	}
	if n := len(e.sb.WriteRequests()); n != 0 {
		t.Errorf("%d write requests from a read-only portal", n)
	}
}

// A plan beyond RecheckLimit is verified batch by batch as it runs instead.
func TestLargePlanVerifiesAsItRuns(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 10}, nil)
	plan := ReassignPlan{To: OwnerRef{ID: "1"}, BatchSize: 100}
	for i := range RecheckLimit + 1 {
		plan.Items = append(plan.Items, ReassignItem{ContactID: hubspot.ContactID(strings.Repeat("1", 1+i%5)), From: "2", To: "1"})
	}
	before := len(e.sb.Requests())
	got, err := e.p.RecheckReassign(context.Background(), plan)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Verify || got.Count() != plan.Count() || len(e.sb.Requests()) != before {
		t.Errorf("verify %v, %d contacts, %d requests", got.Verify, got.Count(), len(e.sb.Requests())-before)
	}
	if !strings.Contains(strings.Join(got.Notes, "\n"), "each batch is checked against HubSpot just before it is written") {
		t.Errorf("notes %q", got.Notes)
	}
}
