package store

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
)

func contactIDs(rows []ContactRow) []hubspot.ContactID {
	out := make([]hubspot.ContactID, len(rows))
	for i, r := range rows {
		out[i] = r.ContactID
	}
	return out
}

func TestSelectContactsForBulkChanges(t *testing.T) {
	ctx := context.Background()
	m := sampleMirror(t)
	for name, tc := range map[string]struct {
		sel  ContactSelection
		want []hubspot.ContactID
	}{
		"everyone":         {ContactSelection{}, []hubspot.ContactID{"1", "2", "3", "4", "5", "6"}},
		"one owner":        {ContactSelection{OwnerID: "900"}, []hubspot.ContactID{"1", "6"}},
		"archived owners":  {ContactSelection{ArchivedOwner: true}, []hubspot.ContactID{"2"}},
		"unknown owners":   {ContactSelection{UnknownOwner: true}, []hubspot.ContactID{"3"}},
		"filter":           {ContactSelection{Filter: "B.TEST"}, []hubspot.ContactID{"4", "5", "6"}},
		"filter and owner": {ContactSelection{Filter: "uma", OwnerID: "900"}, []hubspot.ContactID{"6"}},
	} {
		rows, err := m.SelectContacts(ctx, tc.sel)
		if err != nil {
			t.Fatal(err)
		}
		if got := contactIDs(rows); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", name, got, tc.want)
		}
	}
	rows, _ := m.SelectContacts(ctx, ContactSelection{ArchivedOwner: true})
	if rows[0].OwnerState != OwnerArchived || rows[0].Name != "Yan Smith" || rows[0].OwnerName != "Dee Po" {
		t.Errorf("archived row %+v", rows[0])
	}

	found, missing, err := m.ContactsByID(ctx, []hubspot.ContactID{"5", "42", "1", "x"})
	if err != nil {
		t.Fatal(err)
	}
	if got := contactIDs(found); !slices.Equal(got, []hubspot.ContactID{"1", "5"}) || !slices.Equal(missing, []hubspot.ContactID{"42", "x"}) {
		t.Errorf("by ID: found %v, missing %v", got, missing)
	}

	if err := m.SetContactOwners(ctx, []ContactOwner{{"2", "900"}, {"999", "900"}}); err != nil {
		t.Fatal(err)
	}
	if n, _ := m.CountContacts(ctx, Query{OwnerID: "900"}); n != 3 {
		t.Errorf("owner 900 holds %d contacts after the update, want 3", n)
	}
	if rows, _ := m.SelectContacts(ctx, ContactSelection{ArchivedOwner: true}); len(rows) != 0 {
		t.Errorf("archived owners still hold %v", contactIDs(rows))
	}
}

func TestJobItemMarksAndCounts(t *testing.T) {
	ctx := context.Background()
	j, err := OpenJournal(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if _, err := j.Job(ctx, 1); !errors.Is(err, ErrNoSuchJob) {
		t.Fatalf("missing job: %v", err)
	}
	id, err := j.CreateJob(ctx, "reassign", "move 4", json.RawMessage(`{"count":4}`))
	if err != nil {
		t.Fatal(err)
	}
	items := make([]JobItem, 4)
	for i := range items {
		items[i] = JobItem{SubjectID: string(rune('1' + i)), Before: json.RawMessage(`{}`), After: json.RawMessage(`{}`)}
	}
	if err := j.AddItems(ctx, id, items); err != nil {
		t.Fatal(err)
	}
	if err := j.MarkItems(ctx, id, []ItemMark{{1, ItemDone, "", ""}, {2, ItemFailed, "gone", "corr-2"}, {3, ItemSent, "", ""}}); err != nil {
		t.Fatal(err)
	}
	// A batch naming a missing item is refused whole.
	if err := j.MarkItems(ctx, id, []ItemMark{{4, ItemDone, "", ""}, {9, ItemDone, "", ""}}); err == nil {
		t.Fatal("marking a missing item succeeded")
	}
	if got, err := j.JobItems(ctx, id); err != nil || got[1].Error != "gone" || got[1].CorrelationID != "corr-2" || got[0].CorrelationID != "" {
		t.Fatalf("the journal keeps no correlation ID per failed item: %+v, %v", got, err)
	}
	counts, err := j.JobItemCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c := counts[id]
	if c.Total != 4 || c.Done != 1 || c.Failed != 1 || c.Sent != 1 || c.Pending != 1 || c.LastUpdate.IsZero() {
		t.Fatalf("counts %+v", c)
	}
	jb, err := j.Job(ctx, id)
	if err != nil || jb.Kind != "reassign" || jb.State != JobPlanned || string(jb.Plan) != `{"count":4}` {
		t.Fatalf("job %+v, %v", jb, err)
	}
	for state, want := range map[string]bool{JobPlanned: true, JobRunning: true, JobInterrupted: true, JobCancelled: true, JobDone: false, JobFailed: false, JobUndone: false} {
		if Unfinished(state) != want {
			t.Errorf("Unfinished(%s) = %v", state, !want)
		}
	}
}
