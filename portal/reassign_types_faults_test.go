package portal

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

// TestReassignDealsPartialAndRefused hands over deals where one is gone
// from HubSpot since the sync (a 207 naming it) and one fails a validation
// rule (a whole-batch 400): each fails alone, with HubSpot's reason, the
// rest are done, and the journal and the outcome agree.
func TestReassignDealsPartialAndRefused(t *testing.T) {
	e := newTypesEnv(t)
	ctx := context.Background()
	src := e.sb.Fixtures().ActiveOwner
	to := otherOwner(t, e.p, src)
	// A deal the mirror holds but HubSpot deleted since.
	const gone = hubspot.RecordID("9999999999")
	if err := e.p.mirror.PutRecords(ctx, hubspot.ObjectDeals, []store.MirrorRecord{{ID: gone, Name: "Deleted deal",
		Owners: []store.RecordOwner{{Property: hubspot.PropOwnerID, OwnerID: src}}}}, 1, nil); err != nil {
		t.Fatal(err)
	}
	req := ReassignRequest{From: string(src), To: string(to.ID), Objects: []hubspot.ObjectType{hubspot.ObjectDeals}}
	plan, err := e.p.PlanReassign(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	var rejected hubspot.RecordID
	for _, it := range plan.Items {
		if it.RecordID != gone {
			rejected = it.RecordID
		}
	}
	if err := e.sb.SetRejectRecordWrites("deals", string(rejected)); err != nil {
		t.Fatal(err)
	}
	plan.BatchSize = 100
	id, res := runPlan(t, e.p, plan)
	bad := map[hubspot.RecordID]bool{gone: true, rejected: true}
	wantFailed := 0
	for _, it := range plan.Items {
		if bad[it.RecordID] {
			wantFailed++
			continue
		}
		if v := e.itemValue(t, it); v != it.After {
			t.Errorf("deal %s %s: %q, want %q", it.RecordID, it.Property, v, it.After)
		}
	}
	if res.Failed != wantFailed || res.Done != plan.Count()-wantFailed {
		t.Fatalf("run: %+v, want %d failed", res, wantFailed)
	}
	for _, pr := range res.Problems {
		switch {
		case pr.Type != hubspot.ObjectDeals:
			t.Errorf("problem of type %q", pr.Type)
		case pr.RecordID == gone && !strings.Contains(pr.Reason, "OBJECT_NOT_FOUND"):
			t.Errorf("the deleted deal failed with %q", pr.Reason)
		case pr.RecordID == rejected && !strings.Contains(pr.Reason, "fails a validation rule"):
			t.Errorf("the refused deal failed with %q", pr.Reason)
		}
	}
	if v := e.sandboxValue(t, hubspot.ObjectDeals, rejected, hubspot.PropOwnerID); v == string(to.ID) {
		t.Error("the refused deal changed")
	}
	if states := e.journalAgrees(t, e.p, id); states[store.ItemFailed] != wantFailed {
		t.Errorf("journal: %v", states)
	}
	assertOutcomesTrue(t, e.p)
}

// TestReassignOldJournalResumesAndUndoes loads a job written the way every
// journal before other object types wrote it (subject the contact ID,
// before and after {"hubspot_owner_id": …}), half done: it resumes, and
// then undoes, as before.
func TestReassignOldJournalResumesAndUndoes(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 300}, nil)
	e.sync(t)
	ctx := context.Background()
	src := e.sb.Fixtures().ActiveOwner
	to := otherOwner(t, e.p, src)
	rows := contactsOf(t, e.p, src)
	if len(rows) < 4 {
		t.Fatalf("the source holds %d contacts", len(rows))
	}
	head := `{"to":{"id":"` + string(to.ID) + `"},"count":` + strconv.Itoa(len(rows)) + `,"batchSize":2}`
	id, err := e.p.journal.CreateJob(ctx, KindReassign, "Reassign old way", json.RawMessage(head))
	if err != nil {
		t.Fatal(err)
	}
	var items []store.JobItem
	for _, c := range rows {
		items = append(items, store.JobItem{SubjectID: string(c.ContactID),
			Before: json.RawMessage(`{"hubspot_owner_id":"` + string(c.OwnerID) + `"}`),
			After:  json.RawMessage(`{"hubspot_owner_id":"` + string(to.ID) + `"}`)})
	}
	if err := e.p.journal.AddItems(ctx, id, items); err != nil {
		t.Fatal(err)
	}
	// The first contact went through before the process stopped.
	e.setProps(t, hubspot.ObjectContacts, hubspot.RecordID(rows[0].ContactID), hubspot.Properties{hubspot.PropOwnerID: string(to.ID)})
	if err := e.p.mirror.SetContactOwners(ctx, []store.ContactOwner{{ContactID: rows[0].ContactID, OwnerID: to.ID}}); err != nil {
		t.Fatal(err)
	}
	if err := e.p.journal.MarkItem(ctx, id, 1, store.ItemDone, ""); err != nil {
		t.Fatal(err)
	}
	if err := e.p.journal.FinishJob(ctx, id, store.JobInterrupted); err != nil {
		t.Fatal(err)
	}
	res, err := e.p.Resume(ctx, id, nil)
	if err != nil || res.State != store.JobDone || res.Done != len(rows) {
		t.Fatalf("resume: %+v, %v", res, err)
	}
	want := map[hubspot.ContactID]hubspot.OwnerID{}
	for _, c := range rows {
		want[c.ContactID] = to.ID
	}
	e.assertAtOwners(t, e.p, want)
	undo, err := e.p.PlanUndo(ctx, id)
	if err != nil || undo.Count() != len(rows) || !strings.HasPrefix(undo.Summary(), "Undo job") || !strings.Contains(undo.Summary(), "contacts back") {
		t.Fatalf("undo plan: %d items, %q, %v", undo.Count(), undo.Summary(), err)
	}
	uid, err := e.p.RecordUndo(ctx, undo)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := e.p.Run(ctx, uid, nil); err != nil || res.Done != len(rows) {
		t.Fatalf("undo: %+v, %v", res, err)
	}
	for _, c := range rows {
		want[c.ContactID] = src
	}
	e.assertAtOwners(t, e.p, want)
	jobs, _ := e.p.JobHistory(ctx)
	for _, j := range jobs {
		if j.ID == id && j.Status() != StatusUndone {
			t.Errorf("the old job is %s", j.Outcome())
		}
	}
	assertOutcomesTrue(t, e.p)
}
