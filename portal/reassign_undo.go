package portal

import (
	"context"
	"fmt"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// PlanUndo works out the reverse of a reassignment job from the journal:
// every contact it changed (or may have changed: sent, outcome unknown)
// goes back to its previous owner. The plan verifies before writing, so a
// contact whose owner someone changed since is skipped and reported, and
// one the job never changed is left alone.
func (p *Portal) PlanUndo(ctx context.Context, jobID int64) (ReassignPlan, error) {
	if _, busy := runningJobs.Load(runKey{p.info.Dir, jobID}); busy {
		return ReassignPlan{}, fmt.Errorf("job %d is running: cancel it first", jobID)
	}
	jb, head, items, err := p.loadReassignJob(ctx, jobID)
	if err != nil {
		return ReassignPlan{}, err
	}
	if jb.State == store.JobUndone {
		return ReassignPlan{}, fmt.Errorf("job %d was already undone", jobID)
	}
	plan := ReassignPlan{UndoOf: jobID, Verify: true, BatchSize: head.BatchSize}
	sources := map[hubspot.OwnerID]int{}
	targets := map[hubspot.OwnerID]int{}
	// A contact HubSpot had merged goes back under its survivor's ID, as
	// the item's outcome records (reassign_merged.go).
	undo, notes := undoItems(items)
	plan.Notes = append(plan.Notes, notes...)
	for _, ri := range undo {
		plan.Items = append(plan.Items, ri)
		sources[ri.From]++
		targets[ri.To]++
	}
	if len(plan.Items) == 0 {
		return ReassignPlan{}, fmt.Errorf("job %d changed no contact: there is nothing to undo", jobID)
	}
	if err := p.nameItems(ctx, plan.Items); err != nil {
		return ReassignPlan{}, err
	}
	if plan.Sources, err = p.ownerCounts(ctx, sources); err != nil {
		return ReassignPlan{}, err
	}
	if plan.Targets, err = p.ownerCounts(ctx, targets); err != nil {
		return ReassignPlan{}, err
	}
	if len(plan.Targets) == 1 {
		plan.To = plan.Targets[0].Owner
	}
	for _, t := range plan.Targets {
		switch {
		case t.Owner.ID == "":
			plan.Notes = append(plan.Notes, fmt.Sprintf("%s had no owner and will be left without one", Plural(t.Count, "contact")))
		case t.Owner.Archived || t.Owner.Unknown:
			plan.Notes = append(plan.Notes, fmt.Sprintf("%s go back to %s, which HubSpot refuses as an owner: they will fail and stay where they are", Plural(t.Count, "contact"), t.Owner.Label()))
		}
	}
	if store.Unfinished(jb.State) {
		plan.Notes = append(plan.Notes, fmt.Sprintf("job %d is unfinished (%s): undoing it rolls it back and it will not be resumed", jobID, jb.State))
	}
	return plan, nil
}

// nameItems fills in the names and emails of items from the mirror, for
// the plan screen; contacts it no longer holds stay nameless.
func (p *Portal) nameItems(ctx context.Context, items []ReassignItem) error {
	ids := make([]hubspot.ContactID, len(items))
	for i, it := range items {
		ids[i] = it.ContactID
	}
	rows, _, err := p.mirror.ContactsByID(ctx, ids)
	if err != nil {
		return err
	}
	byID := make(map[hubspot.ContactID]store.ContactRow, len(rows))
	for _, r := range rows {
		byID[r.ContactID] = r
	}
	for i := range items {
		if r, ok := byID[items[i].ContactID]; ok {
			items[i].Name, items[i].Email = r.Name, r.Email
		}
	}
	return nil
}

// Undo records the reverse of a job (see PlanUndo) as a new job, marks the
// original undone, and returns the new job's ID for Run.
func (p *Portal) Undo(ctx context.Context, jobID int64) (int64, error) {
	plan, err := p.PlanUndo(ctx, jobID)
	if err != nil {
		return 0, err
	}
	return p.RecordUndo(ctx, plan)
}

// RecordUndo records an undo plan from PlanUndo, for callers that showed it
// first, and marks the original job undone.
func (p *Portal) RecordUndo(ctx context.Context, plan ReassignPlan) (int64, error) {
	if plan.UndoOf == 0 {
		return 0, fmt.Errorf("not an undo plan")
	}
	id, err := p.RecordReassign(ctx, plan)
	if err != nil {
		return 0, err
	}
	if err := p.journal.FinishJob(ctx, plan.UndoOf, store.JobUndone); err != nil {
		return 0, err
	}
	return id, nil
}
