package portal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// KindReassign is the journal's job kind of owner reassignments and their
// undos.
const KindReassign = "reassign"

// reassignJob is the plan part of a reassignment job in the journal. The
// contacts are its items, one each: contact ID, the owner before and the
// owner asked for.
type reassignJob struct {
	To        OwnerRef     `json:"to,omitzero"`
	Targets   []OwnerCount `json:"targets,omitempty"`
	Sources   []OwnerCount `json:"sources,omitempty"`
	Notes     []string     `json:"notes,omitempty"`
	Count     int          `json:"count"`
	Unchanged int          `json:"unchanged,omitempty"`
	BatchSize int          `json:"batchSize"`
	Verify    bool         `json:"verify,omitempty"`
	UndoOf    int64        `json:"undoOf,omitempty"`
}

// ownerValue is an item's before or after: the contact's hubspot_owner_id.
type ownerValue struct {
	Owner hubspot.OwnerID `json:"hubspot_owner_id"`
}

// RecordReassign writes a plan to the journal as a job in state planned,
// every contact an item, and returns the job's ID. Nothing is sent: Run
// does that. The journal holds the whole job before the first request, so
// that it can be resumed or undone whatever happens next.
func (p *Portal) RecordReassign(ctx context.Context, plan ReassignPlan) (int64, error) {
	if p.info.ReadOnly {
		return 0, errors.New("this portal is configured read-only: nothing can be reassigned")
	}
	if len(plan.Items) == 0 {
		return 0, errors.New("the plan changes no contact: nothing to do")
	}
	batch := plan.BatchSize
	if batch <= 0 || batch > DefaultReassignBatch {
		batch = DefaultReassignBatch
	}
	head, err := json.Marshal(reassignJob{
		To: plan.To, Targets: plan.Targets, Sources: plan.Sources, Notes: plan.Notes,
		Count: len(plan.Items), Unchanged: plan.Unchanged, BatchSize: batch, Verify: plan.Verify, UndoOf: plan.UndoOf,
	})
	if err != nil {
		return 0, err
	}
	items := make([]store.JobItem, len(plan.Items))
	for i, it := range plan.Items {
		before, _ := json.Marshal(ownerValue{it.From})
		after, _ := json.Marshal(ownerValue{it.To})
		items[i] = store.JobItem{SubjectID: string(it.ContactID), Before: before, After: after}
	}
	id, err := p.journal.CreateJob(ctx, KindReassign, plan.Summary(), head)
	if err != nil {
		return 0, fmt.Errorf("cannot record the job in the journal: %w", err)
	}
	if err := p.journal.AddItems(ctx, id, items); err != nil {
		// A job without its items must never run: mark it failed.
		_ = p.journal.FinishJob(context.WithoutCancel(ctx), id, store.JobFailed)
		return 0, fmt.Errorf("cannot record the job's contacts in the journal: %w", err)
	}
	return id, nil
}

// JobSummary is one job of the journal for the audit view: what, when, how
// many, and how it ended.
type JobSummary struct {
	store.Job
	Items    store.ItemCounts
	UndoOf   int64 // the job this one reverses (reassignments)
	UndoneBy int64 // the latest job reversing this one; 0 when none
}

// JobRecord is a job as exports and `hsadmin jobs --json` write it; its
// field names are stable for scripts.
type JobRecord struct {
	ID        int64     `json:"id"`
	Kind      string    `json:"kind"`
	CreatedAt time.Time `json:"created_at"`
	State     string    `json:"state"`
	Summary   string    `json:"summary"`
	Total     int       `json:"total"`
	Done      int       `json:"done"`
	Failed    int       `json:"failed"`
	Skipped   int       `json:"skipped"`
	Left      int       `json:"left"`
	UndoOf    int64     `json:"undo_of,omitempty"`
	UndoneBy  int64     `json:"undone_by,omitempty"`
	Resumable bool      `json:"resumable"`
	Undoable  bool      `json:"undoable"`
}

// Record is the job as a JobRecord.
func (j JobSummary) Record() JobRecord {
	return JobRecord{
		ID: j.ID, Kind: j.Kind, CreatedAt: j.CreatedAt.UTC(), State: j.State, Summary: j.Summary,
		Total: j.Items.Total, Done: j.Items.Done, Failed: j.Items.Failed, Skipped: j.Items.Skipped,
		Left: j.Items.Pending + j.Items.Sent, UndoOf: j.UndoOf, UndoneBy: j.UndoneBy,
		Resumable: j.Resumable(), Undoable: j.Undoable(),
	}
}

// Resumable reports whether Resume has work to do on the job.
func (j JobSummary) Resumable() bool {
	return j.Kind == KindReassign && store.Unfinished(j.State) && j.Items.Pending+j.Items.Sent > 0
}

// Undoable reports whether Undo can reverse the job.
func (j JobSummary) Undoable() bool {
	return j.Kind == KindReassign && j.State != store.JobUndone && j.Items.Done+j.Items.Sent > 0
}

// Outcome is a short account of the job, e.g. "done: 340 changed, 2 failed".
func (j JobSummary) Outcome() string {
	s := j.State + ": " + Thousands(j.Items.Done) + " changed"
	if j.Items.Failed > 0 {
		s += ", " + Thousands(j.Items.Failed) + " failed"
	}
	if j.Items.Skipped > 0 {
		s += ", " + Thousands(j.Items.Skipped) + " skipped"
	}
	if left := j.Items.Pending + j.Items.Sent; left > 0 {
		s += ", " + Thousands(left) + " left"
	}
	if j.UndoneBy != 0 {
		s += fmt.Sprintf(" (undone by job %d)", j.UndoneBy)
	}
	return s
}

// JobHistory lists every job of the journal, reassignments and team or role
// changes alike, newest first, with item counts.
func (p *Portal) JobHistory(ctx context.Context) ([]JobSummary, error) {
	jobs, err := p.journal.Jobs(ctx)
	if err != nil {
		return nil, err
	}
	counts, err := p.journal.JobItemCounts(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]JobSummary, len(jobs))
	undoneBy := map[int64]int64{}
	for i, jb := range jobs {
		out[i] = JobSummary{Job: jb, Items: counts[jb.ID]}
		if jb.Kind == KindReassign {
			var head reassignJob
			if json.Unmarshal(jb.Plan, &head) == nil && head.UndoOf != 0 {
				out[i].UndoOf = head.UndoOf
				if undoneBy[head.UndoOf] == 0 { // newest first: the first seen is the latest
					undoneBy[head.UndoOf] = jb.ID
				}
			}
		}
	}
	for i := range out {
		out[i].UndoneBy = undoneBy[out[i].ID]
	}
	return out, nil
}

// UnfinishedJobs lists the reassignment jobs a crash, a lost network, a
// quota or a cancel left with work to do: offer to resume or undo them.
func (p *Portal) UnfinishedJobs(ctx context.Context) ([]JobSummary, error) {
	all, err := p.JobHistory(ctx)
	if err != nil {
		return nil, err
	}
	var out []JobSummary
	for _, j := range all {
		if j.Resumable() {
			out = append(out, j)
		}
	}
	return out, nil
}

// JobItems lists a job's items, for the audit view and exports.
func (p *Portal) JobItems(ctx context.Context, jobID int64) ([]store.JobItem, error) {
	return p.journal.JobItems(ctx, jobID)
}

// loadReassignJob reads a reassignment job and its items.
func (p *Portal) loadReassignJob(ctx context.Context, jobID int64) (store.Job, reassignJob, []jobItem, error) {
	jb, err := p.journal.Job(ctx, jobID)
	if err != nil {
		return store.Job{}, reassignJob{}, nil, err
	}
	if jb.Kind != KindReassign {
		return store.Job{}, reassignJob{}, nil, fmt.Errorf("job %d is a %s, not a reassignment", jobID, jb.Kind)
	}
	var head reassignJob
	if err := json.Unmarshal(jb.Plan, &head); err != nil {
		return store.Job{}, reassignJob{}, nil, fmt.Errorf("job %d: the journal's plan is unreadable: %w", jobID, err)
	}
	raw, err := p.journal.JobItems(ctx, jobID)
	if err != nil {
		return store.Job{}, reassignJob{}, nil, err
	}
	items := make([]jobItem, len(raw))
	for i, r := range raw {
		var before, after ownerValue
		if err := json.Unmarshal(r.Before, &before); err != nil {
			return store.Job{}, reassignJob{}, nil, fmt.Errorf("job %d item %d: unreadable: %w", jobID, r.Seq, err)
		}
		if err := json.Unmarshal(r.After, &after); err != nil {
			return store.Job{}, reassignJob{}, nil, fmt.Errorf("job %d item %d: unreadable: %w", jobID, r.Seq, err)
		}
		items[i] = jobItem{seq: r.Seq, contact: hubspot.ContactID(r.SubjectID), before: before.Owner, after: after.Owner, state: r.State, err: r.Error,
			merged: parseOutcome(r.Outcome)}
	}
	return jb, head, items, nil
}

// jobItem is one contact of a running job.
type jobItem struct {
	seq           int
	contact       hubspot.ContactID
	before, after hubspot.OwnerID
	state         string
	err           string
	merged        *mergedOutcome // the survivor that took the write, when HubSpot had merged the contact

	// What a read before the write showed of the survivor, when the
	// contact had been merged into another (reassign_merged.go).
	survivor      hubspot.ContactID
	survivorOwner *hubspot.OwnerID
}
