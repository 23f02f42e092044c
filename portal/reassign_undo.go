package portal

import (
	"context"
	"fmt"
	"slices"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// UndoOptions are the admin's choices for an undo.
type UndoOptions struct {
	// OthersTo takes the contacts whose previous owner HubSpot refuses
	// (deactivated, deleted, unknown), typed any way ResolveTarget reads.
	// Empty leaves them where they are.
	OthersTo string
}

// PlanUndo works out the reverse of a reassignment job with no options: see
// PlanUndoWith.
func (p *Portal) PlanUndo(ctx context.Context, jobID int64) (ReassignPlan, error) {
	return p.PlanUndoWith(ctx, jobID, UndoOptions{})
}

// PlanUndoWith works out the reverse of a reassignment job from the
// journal: every contact it changed (or may have changed: sent, outcome
// unknown) and no earlier undo put back goes back to its previous owner.
// The plan verifies before writing, so a contact whose owner someone
// changed since is skipped and reported, and one the job never changed is
// left alone.
//
// A previous owner the mirror shows HubSpot would refuse (deactivated, or
// matching no owner: deleted or never one) is not sent anything: its
// contacts are listed in Refused and left where they are, or go to
// opts.OthersTo instead.
func (p *Portal) PlanUndoWith(ctx context.Context, jobID int64, opts UndoOptions) (ReassignPlan, error) {
	if _, busy := runningJobs.Load(runKey{p.info.Dir, jobID}); busy {
		return ReassignPlan{}, fmt.Errorf("job %d is running: cancel it first", jobID)
	}
	job, err := p.jobSummary(ctx, jobID)
	if err != nil {
		return ReassignPlan{}, err
	}
	switch {
	case job.Undo.LastState == store.JobRunning:
		return ReassignPlan{}, fmt.Errorf("job %d is being undone by job %d now: wait for it, or cancel it first", jobID, job.UndoneBy)
	case job.UndoneBy != 0 && job.NotBack() == 0:
		return ReassignPlan{}, fmt.Errorf("job %d was already undone (%s)", jobID, job.Outcome())
	}
	jb, head, items, err := p.loadReassignJob(ctx, jobID)
	if err != nil {
		return ReassignPlan{}, err
	}
	settled, err := p.journal.UndoneItems(ctx, KindReassign, jobID)
	if err != nil {
		return ReassignPlan{}, err
	}
	plan := ReassignPlan{UndoOf: jobID, Verify: true, BatchSize: head.BatchSize}
	// A contact HubSpot had merged goes back under its survivor's ID, as
	// the item's outcome records (reassign_merged.go); what earlier undos
	// settled is left out.
	var open []jobItem
	for _, it := range items {
		if !settled[it.seq] {
			open = append(open, it)
		}
	}
	back, notes := undoItems(open)
	plan.Notes = append(plan.Notes, notes...)
	if len(back) == 0 {
		return ReassignPlan{}, fmt.Errorf("job %d changed no contact: there is nothing to undo", jobID)
	}
	if err := p.sortRefused(ctx, &plan, back, opts); err != nil {
		return ReassignPlan{}, err
	}
	if err := p.nameItems(ctx, plan.Items); err != nil {
		return ReassignPlan{}, err
	}
	if err := p.countOwners(ctx, &plan); err != nil {
		return ReassignPlan{}, err
	}
	known, err := p.knownTypes(ctx)
	if err != nil {
		return ReassignPlan{}, err
	}
	countPlan(known, &plan)
	for _, t := range plan.Targets {
		if t.Owner.ID == "" {
			plan.Notes = append(plan.Notes, fmt.Sprintf("%s had no owner and will be left without one", Plural(t.Count, plan.noun())))
		}
	}
	// The contacts HubSpot would refuse are not a note: plan.Refused lists
	// them, and every screen shows them with where they go.
	if job.UndoneBy != 0 {
		plan.Notes = append(plan.Notes, fmt.Sprintf("job %d was undone in part before (%s): this undo covers the %s not back",
			jobID, job.Outcome(), Plural(len(back), plan.noun())))
	}
	if store.Unfinished(jb.State) && job.UndoneBy == 0 {
		plan.Notes = append(plan.Notes, fmt.Sprintf("job %d is unfinished (%s): undoing it rolls it back and it will not be resumed", jobID, jb.State))
	}
	return plan, nil
}

// sortRefused puts into plan.Items the contacts that can go back, and sets
// aside those whose previous owner HubSpot refuses: in plan.Refused, by
// owner, and into plan.Items towards opts.OthersTo when one is named.
func (p *Portal) sortRefused(ctx context.Context, plan *ReassignPlan, back []ReassignItem, opts UndoOptions) error {
	if opts.OthersTo != "" {
		target, err := p.ResolveTarget(ctx, opts.OthersTo)
		if err != nil {
			return fmt.Errorf("--others-to: %w", err)
		}
		plan.OthersTo = target.Owner
		if target.Note != "" {
			plan.Notes = append(plan.Notes, target.Note)
		}
	}
	refs := map[hubspot.OwnerID]OwnerRef{}
	refused := map[hubspot.OwnerID]int{}
	for _, it := range back {
		ref, ok := refs[it.To]
		if !ok {
			var err error
			if ref, err = p.ownerRef(ctx, it.To); err != nil {
				return err
			}
			refs[it.To] = ref
		}
		if !holdsRecords(ref) {
			refused[it.To]++
			plan.RefusedItems = append(plan.RefusedItems, it)
			if plan.OthersTo.ID == "" || plan.OthersTo.ID == it.From {
				continue // left where it is (already with the owner named for the others)
			}
			it.To = plan.OthersTo.ID
		}
		plan.Items = append(plan.Items, it)
	}
	var err error
	plan.Refused, err = p.ownerCounts(ctx, refused)
	return err
}

// holdsRecords reports whether HubSpot takes the owner as a contact's
// hubspot_owner_id, as far as the mirror knows; "no owner" is always taken.
func holdsRecords(o OwnerRef) bool {
	return o.ID == "" || (!o.Archived && !o.Unknown)
}

// countOwners fills in the plan's contacts per previous and new owner.
func (p *Portal) countOwners(ctx context.Context, plan *ReassignPlan) error {
	sources := map[hubspot.OwnerID]int{}
	targets := map[hubspot.OwnerID]int{}
	for _, it := range plan.Items {
		sources[it.From]++
		targets[it.To]++
	}
	var err error
	if plan.Sources, err = p.ownerCounts(ctx, sources); err != nil {
		return err
	}
	if plan.Targets, err = p.ownerCounts(ctx, targets); err != nil {
		return err
	}
	if len(plan.Targets) == 1 {
		plan.To = plan.Targets[0].Owner
	}
	return nil
}

// RefusedCount is how many contacts of an undo plan have a previous owner
// HubSpot refuses.
func (p ReassignPlan) RefusedCount() int { return len(p.RefusedItems) }

// Redirected is how many contacts of an undo plan go to OthersTo instead of
// their refused previous owner (those it already holds are left out).
func (p ReassignPlan) Redirected() int {
	if p.OthersTo.ID == "" {
		return 0
	}
	n := 0
	for _, it := range p.RefusedItems {
		if it.From != p.OthersTo.ID {
			n++
		}
	}
	return n
}

// refusedNote says what happens to the contacts whose previous owner
// HubSpot refuses.
func (p ReassignPlan) refusedNote(n int) string {
	who := make([]string, len(p.Refused))
	for i, r := range p.Refused {
		who[i] = fmt.Sprintf("%s for %s", r.Owner.Label(), Thousands(r.Count))
	}
	s := fmt.Sprintf("%s cannot go back: HubSpot refuses their previous owner, deactivated or unknown (%s); ",
		Plural(n, p.noun()), joinStrings(who))
	if p.OthersTo.ID != "" {
		return s + "they go to " + p.OthersTo.Label() + " instead"
	}
	return s + "nothing is sent for them and they stay where they are (name an owner to take them instead)"
}

func joinStrings(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	out := parts[0]
	for _, s := range parts[1 : len(parts)-1] {
		out += ", " + s
	}
	return out + " and " + parts[len(parts)-1]
}

// nameItems fills in the names and emails of items from the mirror, for
// the plan screen; contacts it no longer holds stay nameless.
func (p *Portal) nameItems(ctx context.Context, items []ReassignItem) error {
	ids := make([]hubspot.ContactID, 0, len(items))
	for _, it := range items {
		if it.ContactID != "" {
			ids = append(ids, it.ContactID)
		}
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

// Undo records the reverse of a job (see PlanUndo) as a new job and returns
// its ID for Run.
func (p *Portal) Undo(ctx context.Context, jobID int64) (int64, error) {
	plan, err := p.PlanUndo(ctx, jobID)
	if err != nil {
		return 0, err
	}
	return p.RecordUndo(ctx, plan)
}

// RecordUndo records an undo plan from PlanUndo, for callers that showed it
// first. Nothing of the original is marked undone: its status follows from
// the undo's items as they settle. What the original (an unfinished job) or
// an earlier unfinished undo of it still had to send is settled as taken
// over, so that no resume sends it after the undo.
func (p *Portal) RecordUndo(ctx context.Context, plan ReassignPlan) (int64, error) {
	if plan.UndoOf == 0 {
		return 0, fmt.Errorf("not an undo plan")
	}
	if len(plan.Items) == 0 {
		return 0, fmt.Errorf("the undo of job %d sends nothing: %s", plan.UndoOf, plan.refusedNote(plan.RefusedCount()))
	}
	job, err := p.jobSummary(ctx, plan.UndoOf)
	if err != nil {
		return 0, err
	}
	if job.Undo.LastState == store.JobRunning {
		return 0, fmt.Errorf("job %d is being undone by job %d now", plan.UndoOf, job.UndoneBy)
	}
	id, err := p.RecordReassign(ctx, plan)
	if err != nil {
		return 0, err
	}
	quiet := context.WithoutCancel(ctx)
	if _, err := p.journal.SupersedeItems(quiet, plan.UndoOf, fmt.Sprintf("never sent: job %d rolled this job back", id), store.ItemPending); err != nil {
		return 0, err
	}
	for _, earlier := range job.Undo.Jobs {
		if _, err := p.journal.SupersedeItems(quiet, earlier, fmt.Sprintf("not sent by this job: job %d took over the undo", id), store.ItemPending, store.ItemSent); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// jobSummary is one job of JobHistory.
func (p *Portal) jobSummary(ctx context.Context, jobID int64) (JobSummary, error) {
	jobs, err := p.JobHistory(ctx)
	if err != nil {
		return JobSummary{}, err
	}
	for _, j := range jobs {
		if j.ID == jobID {
			return j, nil
		}
	}
	return JobSummary{}, fmt.Errorf("job %d: %w", jobID, store.ErrNoSuchJob)
}

// undoSummary is Summary for an undo plan.
func (p ReassignPlan) undoSummary() string {
	refused, redirected := p.RefusedCount(), p.Redirected()
	var parts []string
	if back := len(p.Items) - redirected; back > 0 || refused == 0 {
		parts = append(parts, Plural(back, p.noun())+" back to their previous owners")
	}
	if redirected > 0 {
		parts = append(parts, fmt.Sprintf("%s to %s instead", Plural(redirected, p.noun()), p.OthersTo.Label()))
	}
	if left := refused - redirected; left > 0 {
		parts = append(parts, fmt.Sprintf("%s left where they are", Plural(left, p.noun())))
	}
	return fmt.Sprintf("Undo job %d: %s", p.UndoOf, joinStrings(parts))
}

// noun is what the plan's items are called in prose: contacts, as always,
// when every item is a contact's hubspot_owner_id, else changes (one per
// record and owner property).
func (p ReassignPlan) noun() string {
	for _, it := range append(slices.Clone(p.Items), p.RefusedItems...) {
		if !it.contactOwnerItem() {
			return "change"
		}
	}
	return "contact"
}
