package uitest

import (
	"context"
	"fmt"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
)

// PlanUndo reverses a job's settled items: see PlanUndoWith.
func (f *Fake) PlanUndo(ctx context.Context, jobID int64) (portal.ReassignPlan, error) {
	return f.PlanUndoWith(ctx, jobID, portal.UndoOptions{})
}

// PlanUndoWith reverses the job's settled items no undo has settled yet,
// like portal.PlanUndoWith: contacts whose previous owner is archived or
// unknown are refused, and go to opts.OthersTo when it names an owner.
func (f *Fake) PlanUndoWith(ctx context.Context, jobID int64, opts portal.UndoOptions) (portal.ReassignPlan, error) {
	if err := f.enter(ctx); err != nil {
		return portal.ReassignPlan{}, err
	}
	var others portal.OwnerRef
	if opts.OthersTo != "" {
		r, err := f.resolveTarget(opts.OthersTo)
		if err != nil {
			return portal.ReassignPlan{}, err
		}
		others = r.Owner
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	j := f.job(jobID)
	if j == nil || j.done == 0 {
		return portal.ReassignPlan{}, fmt.Errorf("job %d changed no contact: there is nothing to undo", jobID)
	}
	plan := portal.ReassignPlan{UndoOf: jobID, Verify: true, BatchSize: max(j.plan.BatchSize, 1), OthersTo: others}
	targets, refused := map[hubspot.OwnerID]int{}, map[hubspot.OwnerID]int{}
	for _, it := range j.plan.Items[:min(j.done, len(j.plan.Items))] {
		if j.back[it.ContactID] {
			continue
		}
		back := portal.ReassignItem{ContactID: it.ContactID, Name: it.Name, Email: it.Email, From: it.To, To: it.From}
		if o, ok := f.owner(it.From); it.From != "" && (!ok || o.Archived) {
			refused[it.From]++
			plan.RefusedItems = append(plan.RefusedItems, back)
			if others.ID == "" {
				continue
			}
			back.To = others.ID
		}
		plan.Items = append(plan.Items, back)
		targets[back.To]++
	}
	if len(plan.Items)+len(plan.RefusedItems) == 0 {
		return portal.ReassignPlan{}, fmt.Errorf("job %d was already undone", jobID)
	}
	plan.Targets, plan.Refused = f.ownerCounts(targets), f.ownerCounts(refused)
	if len(plan.Targets) == 1 {
		plan.To = plan.Targets[0].Owner
	}
	if len(plan.Items) > 0 {
		plan.Sources = f.ownerCounts(map[hubspot.OwnerID]int{j.plan.To.ID: len(plan.Items)})
	}
	return plan, nil
}

// settleUndo counts, when undo job u ends, the contacts it settled on the
// job it reverses. Called with f.mu held.
func (f *Fake) settleUndo(u *fakeJob, state string) {
	orig := f.job(u.plan.UndoOf)
	if orig == nil {
		return
	}
	if orig.back == nil {
		orig.back = map[hubspot.ContactID]bool{}
	}
	redirected := map[hubspot.ContactID]bool{}
	for _, it := range u.plan.RefusedItems {
		redirected[it.ContactID] = u.plan.OthersTo.ID != ""
	}
	for _, it := range u.plan.Items[:min(u.done, len(u.plan.Items))] {
		if orig.back[it.ContactID] {
			continue
		}
		orig.back[it.ContactID] = true
		if redirected[it.ContactID] {
			orig.summary.Undo.Elsewhere++
		} else {
			orig.summary.Undo.Back++
		}
	}
	orig.summary.Undo.LastState, orig.summary.Undo.LastLeft = state, u.summary.Items.Pending
	if state == portal.JobDone {
		orig.summary.Undo.LastLeft = 0
	}
}
