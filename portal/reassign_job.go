package portal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
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
	Refused   []OwnerCount `json:"refused,omitempty"` // an undo's contacts whose previous owner HubSpot refuses
	OthersTo  OwnerRef     `json:"othersTo,omitzero"` // who took them instead
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
		return 0, errors.New("the plan changes no record: nothing to do")
	}
	batch := plan.BatchSize
	if batch <= 0 || batch > DefaultReassignBatch {
		batch = DefaultReassignBatch
	}
	head, err := json.Marshal(reassignJob{
		To: plan.To, Targets: plan.Targets, Sources: plan.Sources, Notes: plan.Notes,
		Count: len(plan.Items), Unchanged: plan.Unchanged, BatchSize: batch, Verify: plan.Verify, UndoOf: plan.UndoOf,
		Refused: plan.Refused, OthersTo: plan.OthersTo,
	})
	if err != nil {
		return 0, err
	}
	items := make([]store.JobItem, len(plan.Items))
	for i, it := range plan.Items {
		items[i] = reassignJournalItem(it)
	}
	id, err := p.journal.CreateJob(ctx, KindReassign, plan.Summary(), head)
	if err != nil {
		return 0, fmt.Errorf("cannot record the job in the journal: %w", err)
	}
	if err := p.journal.AddItems(ctx, id, items); err != nil {
		// A job without its items must never run: mark it failed.
		_ = p.journal.FinishJob(context.WithoutCancel(ctx), id, store.JobFailed)
		return 0, fmt.Errorf("cannot record the job's items in the journal: %w", err)
	}
	return id, nil
}

// JobSummary is one job of the journal for the audit view: what, when, how
// many, and how it ended. Its status and outcome are worked out from its
// items and those of its undos (see Status and Outcome), never taken from a
// word written down when something started.
type JobSummary struct {
	store.Job
	Items    store.ItemCounts
	UndoOf   int64     // the job this one reverses
	UndoneBy int64     // the latest job reversing this one; 0 when none
	Undo     UndoState // how far the undos of this job have put it back
}

// JobRecord is a job as exports and `hsadmin jobs --json` write it; its
// field names are stable for scripts. State is the job's status (see
// JobSummary.Status).
type JobRecord struct {
	ID        int64     `json:"id"`
	Kind      string    `json:"kind"`
	CreatedAt time.Time `json:"created_at"`
	State     string    `json:"state"`
	Outcome   string    `json:"outcome"`
	Summary   string    `json:"summary"`
	Total     int       `json:"total"`
	Done      int       `json:"done"`
	Failed    int       `json:"failed"`
	Skipped   int       `json:"skipped"`
	Left      int       `json:"left"`
	UndoOf    int64     `json:"undo_of,omitempty"`
	UndoneBy  int64     `json:"undone_by,omitempty"`
	Back      int       `json:"back,omitempty"`      // changes an undo put back
	Elsewhere int       `json:"elsewhere,omitempty"` // changes an undo gave another owner instead
	NotBack   int       `json:"not_back,omitempty"`  // changes no undo has put back yet (once undone in part)
	Resumable bool      `json:"resumable"`
	Undoable  bool      `json:"undoable"`
}

// Record is the job as a JobRecord.
func (j JobSummary) Record() JobRecord {
	r := JobRecord{
		ID: j.ID, Kind: j.Kind, CreatedAt: j.CreatedAt.UTC(), State: j.Status(), Outcome: j.Outcome(), Summary: j.Summary,
		Total: j.Items.Total, Done: j.Items.Done, Failed: j.Items.Failed, Skipped: j.Items.Skipped,
		Left: j.Items.Pending + j.Items.Sent, UndoOf: j.UndoOf, UndoneBy: j.UndoneBy,
		Resumable: j.Resumable(), Undoable: j.Undoable(),
	}
	if j.UndoneBy != 0 {
		r.Back, r.Elsewhere, r.NotBack = j.Undo.Back, j.Undo.Elsewhere, j.NotBack()
	}
	return r
}

// Resumable reports whether Resume has work to do on the job: one an undo
// has taken over is not resumed any more.
func (j JobSummary) Resumable() bool {
	if j.Kind == KindOffboard {
		// A failed step is tried again too: its cause (a scope, a seat
		// freed by hand) may have been fixed since.
		return j.State != store.JobRunning && j.Items.Pending+j.Items.Sent+j.Items.Failed > 0
	}
	return (j.Kind == KindReassign || j.Kind == KindOnboard) && store.Unfinished(j.State) && j.Items.Pending+j.Items.Sent > 0 && j.UndoneBy == 0
}

// Undoable reports whether Undo has something to reverse: a change of the
// job no undo has put back (or given to another owner) yet, and no undo of
// it running now.
func (j JobSummary) Undoable() bool {
	undoable := j.Kind == KindReassign || j.Kind == string(KindTeamChange) || j.Kind == string(KindRoleChange)
	return undoable && j.State != store.JobRunning && j.Undo.LastState != store.JobRunning && j.NotBack() > 0
}

// JobHistory lists every job of the journal, reassignments and team or role
// changes alike, newest first, with item counts and how far undos put them
// back. Jobs left running by a process that is gone are marked interrupted
// first.
func (p *Portal) JobHistory(ctx context.Context) ([]JobSummary, error) {
	if err := p.journal.SettleAbandoned(ctx); err != nil {
		return nil, err
	}
	jobs, err := p.journal.Jobs(ctx)
	if err != nil {
		return nil, err
	}
	counts, err := p.journal.JobItemCounts(ctx)
	if err != nil {
		return nil, err
	}
	accounts, err := p.journal.UndoAccounts(ctx, KindReassign)
	if err != nil {
		return nil, err
	}
	for _, kind := range []ChangeKind{KindTeamChange, KindRoleChange} {
		settled, err := p.journal.SettledUndoAccounts(ctx, string(kind))
		if err != nil {
			return nil, err
		}
		maps.Copy(accounts, settled)
	}
	out := make([]JobSummary, len(jobs))
	byID := make(map[int64]int, len(jobs))
	for i, jb := range jobs {
		out[i] = JobSummary{Job: jb, Items: counts[jb.ID]}
		byID[jb.ID] = i
		// Both plans journal the job they undo as undoOf.
		var head struct {
			UndoOf int64 `json:"undoOf"`
		}
		if json.Unmarshal(jb.Plan, &head) == nil {
			out[i].UndoOf = head.UndoOf
		}
	}
	// Oldest first, so that the last undo seen of a job is its latest.
	for i := len(out) - 1; i >= 0; i-- {
		u := out[i]
		k, ok := byID[u.UndoOf]
		if u.UndoOf == 0 || !ok {
			continue
		}
		orig := &out[k]
		orig.UndoneBy = u.ID
		orig.Undo.Jobs = append(orig.Undo.Jobs, u.ID)
		orig.Undo.LastState, orig.Undo.LastLeft = u.State, u.Items.Pending+u.Items.Sent
		orig.Undo.UndoAccount = accounts[orig.ID]
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
		if items[i], err = newJobItem(r); err != nil {
			return store.Job{}, reassignJob{}, nil, fmt.Errorf("job %d item %d: unreadable: %w", jobID, r.Seq, err)
		}
	}
	return jb, head, items, nil
}

// jobItem is one owner property of one record of a running job.
type jobItem struct {
	seq           int
	typ           hubspot.ObjectType
	record        hubspot.RecordID
	property      string
	multi         bool
	drop          []hubspot.OwnerID // a multi-select's refused IDs the write also takes out
	contact       hubspot.ContactID // set for contacts
	before, after hubspot.OwnerID   // the owner ID replaced and the one set
	// The property's value as planned before and after; a multi-select's
	// value to write is worked out from a read right before the write.
	beforeValue, afterValue string
	write                   string  // the value to send
	read                    *string // the value a read right before the write showed
	state                   string
	err                     string
	merged                  *mergedOutcome // the survivor that took the write, when HubSpot had merged the contact

	// What a read before the write showed of the survivor, when the
	// contact had been merged into another (reassign_merged.go).
	survivor      hubspot.ContactID
	survivorOwner *hubspot.OwnerID
}
