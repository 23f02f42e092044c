package store

import (
	"context"
	"encoding/json"
	"testing"
)

// Marking a batch can record outcomes with the states, in one transaction;
// an item marked without one keeps what it had, and JobItems lists them.
func TestMarkItemsWithOutcomes(t *testing.T) {
	ctx := context.Background()
	j, err := OpenJournal(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	job, _ := j.CreateJob(ctx, "reassign", "s", nil)
	if err := j.AddItems(ctx, job, []JobItem{{SubjectID: "1"}, {SubjectID: "2"}}); err != nil {
		t.Fatal(err)
	}
	merged := json.RawMessage(`{"merged":{"into":"9"}}`)
	if err := j.MarkItemsWithOutcomes(ctx, job, []ItemMark{{Seq: 1, State: ItemDone}, {Seq: 2, State: ItemSent}}, map[int]json.RawMessage{1: merged}); err != nil {
		t.Fatal(err)
	}
	if err := j.MarkItems(ctx, job, []ItemMark{{Seq: 1, State: ItemDone}, {Seq: 2, State: ItemDone}}); err != nil {
		t.Fatal(err)
	}
	items, err := j.JobItems(ctx, job)
	if err != nil || len(items) != 2 {
		t.Fatal(items, err)
	}
	if string(items[0].Outcome) != string(merged) || string(items[1].Outcome) != "null" {
		t.Errorf("outcomes %s and %s", items[0].Outcome, items[1].Outcome)
	}
}
