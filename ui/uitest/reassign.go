package uitest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
)

// The fake's reassignments plan over the fixture contacts and owners and
// keep their jobs in memory. Running a job reports progress batch by batch
// and settles every contact, but the fixture contacts keep their owners,
// so screens stay deterministic.

// fakeJob is one recorded job.
type fakeJob struct {
	summary portal.JobSummary
	plan    portal.ReassignPlan
	done    int                        // items settled
	back    map[hubspot.ContactID]bool // contacts an undo settled (ui/uitest/undo.go)
}

// Jobs lists the reassignment jobs recorded so far, oldest first.
func (f *Fake) Jobs() []portal.ReassignPlan {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]portal.ReassignPlan, len(f.jobs))
	for i := range f.jobs {
		out[i] = f.jobs[i].plan
	}
	return out
}

// AddJob records a job as the journal would hold it, for the audit view.
func (f *Fake) AddJob(s portal.JobSummary) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s.ID = int64(len(f.jobs) + 1)
	f.jobs = append(f.jobs, fakeJob{summary: s, done: s.Items.Done + s.Items.Failed + s.Items.Skipped})
}

func ownerRef(o portal.OwnerRow) portal.OwnerRef {
	return portal.OwnerRef{ID: o.OwnerID, Name: o.Name, Email: o.Email, UserID: o.UserIDIncludingInactive,
		Queue: o.Type == hubspot.OwnerQueue, Archived: o.Archived,
		NoUser: o.Type == hubspot.OwnerPerson && !o.Archived && o.UserIDIncludingInactive == ""}
}

// AssignableOwners lists the fixture owners that are not archived.
func (f *Fake) AssignableOwners(ctx context.Context, filter string) ([]portal.OwnerRef, error) {
	if err := f.enter(ctx); err != nil {
		return nil, err
	}
	var out []portal.OwnerRef
	for _, o := range f.owners {
		if !o.Archived && matches(filter, o.Name, o.Email, string(o.OwnerID), string(o.UserIDIncludingInactive)) {
			out = append(out, ownerRef(o))
		}
	}
	return out, nil
}

// resolveTarget reads a typed owner like portal.ResolveTarget does over the
// fixtures: "5003" is Eli Moss's owner ID and Dee Park's user ID.
func (f *Fake) resolveTarget(input string) (portal.OwnerReading, error) {
	value := strings.TrimSpace(input)
	scheme, rest, forced := strings.Cut(value, ":")
	if forced {
		value = rest
	}
	var readings []portal.OwnerReading
	if o, ok := f.owner(hubspot.OwnerID(value)); ok && (!forced || scheme == "owner") {
		readings = append(readings, portal.OwnerReading{Scheme: portal.SchemeOwnerID, Owner: ownerRef(o)})
	}
	for _, u := range f.users {
		if (string(u.UserID) == value && (!forced || scheme == "user")) || (!forced && strings.EqualFold(u.Email, value)) {
			o, ok := f.owner(u.OwnerID)
			if !ok {
				return portal.OwnerReading{}, fmt.Errorf("%s is %s, who has no owner: contacts cannot be assigned to them", value, u.Name)
			}
			how := portal.SchemeUserID
			note := fmt.Sprintf("%s is the user ID of %s, whose owner ID is %s: using owner ID %s", value, u.Name, o.OwnerID, o.OwnerID)
			if strings.Contains(value, "@") {
				how, note = portal.SchemeEmail, fmt.Sprintf("%s is %s: owner ID %s", value, u.Name, o.OwnerID)
			}
			readings = append(readings, portal.OwnerReading{Scheme: how, Owner: ownerRef(o), Note: note})
		}
	}
	switch {
	case len(readings) == 0:
		return portal.OwnerReading{}, fmt.Errorf("%s is not an owner ID, user ID or CRM user record ID in this portal: %w", value, portal.ErrUnknownOwner)
	case len(readings) > 1:
		return portal.OwnerReading{}, &portal.AmbiguousOwnerError{Input: value, Readings: readings}
	case readings[0].Owner.Archived:
		return portal.OwnerReading{}, fmt.Errorf("%s is archived: pick an active owner", readings[0].Owner.Label())
	}
	return readings[0], nil
}

// PlanReassign plans over the fixture contacts.
func (f *Fake) PlanReassign(ctx context.Context, req portal.ReassignRequest) (portal.ReassignPlan, error) {
	if err := f.enter(ctx); err != nil {
		return portal.ReassignPlan{}, err
	}
	to, err := f.resolveTarget(req.To)
	if err != nil {
		return portal.ReassignPlan{}, err
	}
	plan := portal.ReassignPlan{To: to.Owner, BatchSize: req.BatchSize}
	if plan.BatchSize == 0 {
		plan.BatchSize = portal.DefaultReassignBatch
	}
	if to.Note != "" {
		plan.Notes = append(plan.Notes, to.Note)
	}
	if f.isRecordsRequest(req) {
		f.planRecords(req, to.Owner, &plan)
		return plan, nil
	}
	from := hubspot.OwnerID(strings.TrimPrefix(req.From, "owner:"))
	want := map[hubspot.ContactID]bool{}
	for _, id := range req.Contacts {
		want[id] = true
	}
	counts := map[hubspot.OwnerID]int{}
	for i := range f.cfg.Contacts {
		c := f.contact(i)
		switch {
		case len(want) > 0 && !want[c.ContactID]:
			continue
		case from != "" && c.OwnerID != from:
			continue
		case req.Finding == portal.FindingContactsArchivedOwner && c.OwnerState != portal.OwnerArchived:
			continue
		case req.Finding == portal.FindingContactsUnknownOwner && c.OwnerState != portal.OwnerUnknown:
			continue
		case len(want) == 0 && from == "" && req.Finding == "":
			return portal.ReassignPlan{}, errors.New("say which contacts")
		case c.OwnerID == to.Owner.ID:
			plan.Unchanged++
			continue
		}
		plan.Items = append(plan.Items, portal.ReassignItem{ContactID: c.ContactID, Name: c.Name, Email: c.Email, From: c.OwnerID, To: to.Owner.ID})
		counts[c.OwnerID]++
	}
	plan.Sources = f.ownerCounts(counts)
	if len(plan.Items) > 0 {
		plan.Targets = []portal.OwnerCount{{Owner: to.Owner, Count: len(plan.Items)}}
	}
	return plan, nil
}

func (f *Fake) ownerCounts(counts map[hubspot.OwnerID]int) []portal.OwnerCount {
	var out []portal.OwnerCount
	for id, n := range counts {
		ref := portal.OwnerRef{ID: id, Unknown: id != ""}
		if o, ok := f.owner(id); ok {
			ref = ownerRef(o)
		}
		out = append(out, portal.OwnerCount{Owner: ref, Count: n})
	}
	slices.SortFunc(out, func(a, b portal.OwnerCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(string(a.Owner.ID), string(b.Owner.ID))
	})
	return out
}

// RecordReassign keeps the plan as a planned job.
func (f *Fake) RecordReassign(ctx context.Context, plan portal.ReassignPlan) (int64, error) {
	if err := f.enter(ctx); err != nil {
		return 0, err
	}
	if plan.Count() == 0 {
		return 0, errors.New("the plan changes no contact: nothing to do")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	id := int64(len(f.jobs) + 1)
	s := portal.JobSummary{UndoOf: plan.UndoOf}
	s.ID, s.Kind, s.State, s.Summary = id, portal.KindReassign, portal.JobPlanned, plan.Summary()
	s.CreatedAt = f.cfg.Now.Add(time.Duration(id) * time.Minute)
	s.Items = portal.ItemCounts{Total: plan.Count(), Pending: plan.Count()}
	f.jobs = append(f.jobs, fakeJob{summary: s, plan: plan})
	return id, nil
}

// RecordUndo records an undo plan; the original's status follows from the
// undo's items as they settle (see settleUndo).
func (f *Fake) RecordUndo(ctx context.Context, plan portal.ReassignPlan) (int64, error) {
	id, err := f.RecordReassign(ctx, plan)
	if err != nil {
		return 0, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if j := f.job(plan.UndoOf); j != nil {
		j.summary.UndoneBy = id
		j.summary.Undo.Jobs = append(j.summary.Undo.Jobs, id)
		j.summary.Undo.LastState, j.summary.Undo.LastLeft = portal.JobPlanned, plan.Count()
	}
	return id, nil
}

func (f *Fake) job(id int64) *fakeJob {
	if id < 1 || int(id) > len(f.jobs) {
		return nil
	}
	return &f.jobs[id-1]
}

// Run settles the job batch by batch, reporting progress after each and
// stopping between batches once ctx is cancelled.
func (f *Fake) Run(ctx context.Context, jobID int64, progress chan<- portal.JobProgress) (portal.JobResult, error) {
	if err := f.enter(context.WithoutCancel(ctx)); err != nil {
		return portal.JobResult{}, err
	}
	f.mu.Lock()
	j := f.job(jobID)
	if j == nil {
		f.mu.Unlock()
		return portal.JobResult{}, fmt.Errorf("there is no job %d", jobID)
	}
	total, batch := j.summary.Items.Total, max(j.plan.BatchSize, 1)
	j.summary.State = portal.JobRunning
	f.mu.Unlock()
	for {
		f.mu.Lock()
		if j.done >= total || ctx.Err() != nil {
			state := portal.JobDone
			if j.done < total {
				state = portal.JobCancelled
			}
			j.summary.State = state
			j.summary.Items.Done, j.summary.Items.Pending = j.done, total-j.done
			f.settleUndo(j, state)
			res := portal.JobResult{JobID: jobID, State: state, Total: total, Done: j.done, Left: total - j.done}
			f.mu.Unlock()
			send(progress, portal.JobProgress{JobID: jobID, Done: res.Done, Total: total, Finished: true})
			return res, nil
		}
		j.done = min(j.done+batch, total)
		p := portal.JobProgress{JobID: jobID, Done: j.done, Total: total, PerSecond: 190, ETA: time.Duration(total-j.done) * time.Second / 190}
		f.mu.Unlock()
		send(progress, p)
	}
}

func send(ch chan<- portal.JobProgress, p portal.JobProgress) {
	select {
	case ch <- p:
	default:
	}
}

// Resume finishes a job like Run.
func (f *Fake) Resume(ctx context.Context, jobID int64, progress chan<- portal.JobProgress) (portal.JobResult, error) {
	return f.Run(ctx, jobID, progress)
}

// JobHistory lists the recorded jobs, newest first.
func (f *Fake) JobHistory(ctx context.Context) ([]portal.JobSummary, error) {
	if err := f.enter(ctx); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]portal.JobSummary, 0, len(f.jobs))
	for i := len(f.jobs) - 1; i >= 0; i-- {
		out = append(out, f.jobs[i].summary)
	}
	return out, nil
}

// JobItems lists no items: the fake keeps counts only.
func (f *Fake) JobItems(ctx context.Context, jobID int64) ([]portal.JobItem, error) {
	return nil, f.enter(ctx)
}
