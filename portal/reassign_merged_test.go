package portal

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

// A contact merged into another after the sync: HubSpot applies the job's
// write to the survivor and answers with the survivor's ID (or leaves the
// input out). The journal records the survivor, its owner before and
// after, under the item; the undo puts the survivor back under its own ID.
func TestReassignRecordsAndUndoesMergedContacts(t *testing.T) {
	noWaits(t)
	for _, leftOut := range []bool{false, true} {
		e := newEnv(t, hubspottest.Config{Contacts: 300}, nil)
		e.sync(t)
		ctx := context.Background()
		from := e.sb.Fixtures().ActiveOwner
		to := otherOwner(t, e.p, from)
		third := otherOwner(t, e.p, from, to.ID)
		all := contactsOf(t, e.p, from)
		var ids []hubspot.ContactID
		for _, c := range all[:min(6, len(all))] {
			ids = append(ids, c.ContactID)
		}
		survivor := contactsOf(t, e.p, third.ID)[0]
		away := ids[3]
		if err := e.sb.MergeContacts(away, survivor.ContactID); err != nil {
			t.Fatal(err)
		}
		e.sb.SetMergedLeftOut(leftOut)

		_, res := planAndRun(t, e.p, ReassignRequest{Contacts: ids, To: string(to.ID)})
		if res.State != store.JobDone || res.Done != len(ids) || res.Failed+res.Skipped != 0 {
			t.Fatalf("left out %v: result %+v", leftOut, res)
		}
		items, _ := e.p.JobItems(ctx, res.JobID)
		var merged *mergedOutcome
		for _, it := range items {
			if hubspot.ContactID(it.SubjectID) == away {
				merged = parseOutcome(it.Outcome)
				if !strings.Contains(it.Error, string(survivor.ContactID)) {
					t.Errorf("the merged item says %q, want the survivor named", it.Error)
				}
			}
		}
		if merged == nil || merged.Into != survivor.ContactID || merged.After != to.ID || merged.Before == nil || *merged.Before != survivor.OwnerID {
			t.Fatalf("left out %v: merged outcome %+v, want into %s from %s to %s", leftOut, merged, survivor.ContactID, survivor.OwnerID, to.ID)
		}
		e.journalAgrees(t, e.p, res.JobID)
		e.assertAtOwners(t, e.p, map[hubspot.ContactID]hubspot.OwnerID{survivor.ContactID: to.ID})

		undoID, err := e.p.Undo(ctx, res.JobID)
		if err != nil {
			t.Fatal(err)
		}
		undoItems, _ := e.p.JobItems(ctx, undoID)
		for _, it := range undoItems {
			if hubspot.ContactID(it.SubjectID) == away {
				t.Errorf("the undo writes to the merged-away ID %s", away)
			}
		}
		ures, err := e.p.Run(ctx, undoID, nil)
		if err != nil || ures.State != store.JobDone || ures.Done != len(ids) {
			t.Fatalf("undo: %+v %v", ures, err)
		}
		back := map[hubspot.ContactID]hubspot.OwnerID{survivor.ContactID: survivor.OwnerID}
		for _, c := range all {
			for _, id := range ids {
				if c.ContactID == id && id != away {
					back[id] = c.OwnerID
				}
			}
		}
		e.assertAtOwners(t, e.p, back)
		// The merged item counts as back, through its survivor: the job is
		// undone in full, and nothing is left for another undo.
		job, err := e.p.jobSummary(ctx, res.JobID)
		if err != nil || job.Status() != StatusUndone || job.Undoable() {
			t.Errorf("after the undo: %s (undoable %v), %v", job.Outcome(), job.Undoable(), err)
		}
	}
}

// A job that verifies first (a resume, an undo) reads the merged contact's
// survivor before writing: it writes only when the survivor is still at the
// planned owner, and records the owner it read.
func TestVerifiedReassignOfAMergedContact(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 300}, nil)
	e.sync(t)
	ctx := context.Background()
	to := otherOwner(t, e.p, e.sb.Fixtures().ActiveOwner)
	var a, sameOwner, otherOwned store.ContactRow
	for _, c := range allContacts(t, e.p) {
		switch {
		case c.OwnerID == to.ID || c.OwnerID == "":
		case a.ContactID == "":
			a = c
		case sameOwner.ContactID == "" && c.OwnerID == a.OwnerID:
			sameOwner = c
		case otherOwned.ContactID == "" && c.OwnerID != a.OwnerID:
			otherOwned = c
		}
	}
	// Two jobs: a's survivor has a's owner (written), then another's (left alone).
	for _, tc := range []struct {
		survivor store.ContactRow
		want     string
	}{{sameOwner, store.ItemDone}, {otherOwned, store.ItemSkipped}} {
		e2 := newEnv(t, hubspottest.Config{Contacts: 300}, nil)
		e2.sync(t)
		if err := e2.sb.MergeContacts(a.ContactID, tc.survivor.ContactID); err != nil {
			t.Fatal(err)
		}
		plan, err := e2.p.PlanReassign(ctx, ReassignRequest{Contacts: []hubspot.ContactID{a.ContactID}, To: string(to.ID)})
		if err != nil {
			t.Fatal(err)
		}
		plan.Verify = true
		id, err := e2.p.RecordReassign(ctx, plan)
		if err != nil {
			t.Fatal(err)
		}
		res, err := e2.p.Run(ctx, id, nil)
		if err != nil {
			t.Fatal(err)
		}
		items, _ := e2.p.JobItems(ctx, id)
		if items[0].State != tc.want {
			t.Fatalf("survivor owned by %s: item %s %q, want %s (result %+v)", tc.survivor.OwnerID, items[0].State, items[0].Error, tc.want, res)
		}
		c, _ := e2.sb.Contact(tc.survivor.ContactID)
		if tc.want == store.ItemDone {
			var out itemOutcome
			if err := json.Unmarshal(items[0].Outcome, &out); err != nil || out.Merged == nil || out.Merged.Before == nil || *out.Merged.Before != a.OwnerID {
				t.Errorf("outcome %s, want the survivor's owner read before the write", items[0].Outcome)
			}
			if c.OwnerID() != to.ID {
				t.Errorf("survivor at %s, want %s", c.OwnerID(), to.ID)
			}
		} else if c.OwnerID() != tc.survivor.OwnerID {
			t.Errorf("a survivor at another owner was overwritten: %s", c.OwnerID())
		}
	}
}
