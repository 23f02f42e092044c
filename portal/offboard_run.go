package portal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// OffboardProgress is one progress report of an offboarding job.
type OffboardProgress struct {
	JobID    int64
	Step     int    // 1..4
	Name     string // StepRecords …
	Title    string // what the step does
	State    string // store.ItemSent while it runs, then how it settled
	Message  string
	Records  *JobProgress // the hand-over's reassignment job, while it runs
	Finished bool         // the job's last report
}

// String is one line, e.g. "step 1/4 hand over every record: 1,200/5,000 …".
func (p OffboardProgress) String() string {
	s := fmt.Sprintf("step %d/%d %s", p.Step, len(OffboardSteps), p.Title)
	switch {
	case p.Records != nil && p.State == store.ItemSent:
		s += ": " + p.Records.String()
	case p.State == store.ItemSent:
		s += " …"
	case p.Message != "":
		s += ": " + p.State + ", " + p.Message
	default:
		s += ": " + p.State
	}
	return s
}

// OffboardResult is how a run of an offboarding ended.
type OffboardResult struct {
	JobID int64
	State string // store.JobDone, JobFailed, JobCancelled or JobInterrupted
	Steps []StepResult
}

// StepResult is one step as the journal holds it after the run.
type StepResult struct {
	Name, Title string
	State       string
	Message     string
}

// handoverRounds bounds the reassignment jobs one hand-over may record: a
// second round takes records the mirror learned of meanwhile.
const handoverRounds = 3

// RunOffboard runs a recorded offboarding job step by step, each verified
// against HubSpot before the next starts: a step's item is marked sent in
// the journal before its first write and settled only once HubSpot reports
// the result. A step HubSpot refuses fails the job there (nothing after it
// runs: the user is never removed with records, teams or a seat left); a
// lost network or a cancel leaves it resumable from the step it reached.
func (p *Portal) RunOffboard(ctx context.Context, jobID int64, progress chan<- OffboardProgress) (OffboardResult, error) {
	if p.info.ReadOnly {
		return OffboardResult{}, errors.New("this portal is configured read-only: nobody can be offboarded")
	}
	key := runKey{p.info.Dir, jobID}
	if _, busy := runningJobs.LoadOrStore(key, struct{}{}); busy {
		return OffboardResult{}, fmt.Errorf("job %d is already running", jobID)
	}
	defer runningJobs.Delete(key)
	jb, head, items, err := p.loadOffboard(ctx, jobID)
	if err != nil {
		return OffboardResult{}, err
	}
	if jb.State == store.JobDone || !slices.ContainsFunc(items, func(it store.JobItem) bool {
		return it.State != store.ItemDone && it.State != store.ItemSkipped
	}) {
		return OffboardResult{}, fmt.Errorf("job %d has nothing left to do: every step is settled", jobID)
	}
	claim, err := p.journal.ClaimRun(ctx, jobID)
	if err != nil {
		return OffboardResult{}, err
	}
	o := &offboardRun{p: p, jobID: jobID, head: head, progress: progress}
	state, runErr := o.steps(ctx, items)
	quiet := context.WithoutCancel(ctx)
	if err := claim.Finish(quiet, state); err != nil && runErr == nil {
		runErr = err
	}
	res := OffboardResult{JobID: jobID, State: state}
	if items, err := p.journal.JobItems(quiet, jobID); err == nil {
		for i, it := range items {
			res.Steps = append(res.Steps, StepResult{Name: it.SubjectID, Title: StepTitle(OffboardSteps[i], head.KeepUser), State: it.State, Message: it.Error})
		}
	}
	o.report(OffboardProgress{Step: len(OffboardSteps), Name: StepUser, Title: StepTitle(StepUser, head.KeepUser), State: state, Finished: true})
	return res, runErr
}

// offboardRun is one run of an offboarding job.
type offboardRun struct {
	p        *Portal
	jobID    int64
	head     offboardJob
	progress chan<- OffboardProgress
}

// stepFunc does one step (again, when resumed: every step first reads what
// HubSpot holds and does only what is left) and verifies it. It returns the
// settled state, a sentence for the journal and the outcome. An error means
// the outcome is unknown (the network, a quota): the step stays sent.
type stepFunc func(ctx context.Context, it store.JobItem) (state, msg string, out stepOutcome, err error)

// steps runs the items not settled yet, in order, and says the job's state.
func (o *offboardRun) steps(ctx context.Context, items []store.JobItem) (string, error) {
	funcs := map[string]stepFunc{StepRecords: o.handOver, StepTeams: o.leaveTeams, StepSeats: o.freeSeats, StepUser: o.removeUser}
	quiet := context.WithoutCancel(ctx)
	for i, it := range items {
		if it.State == store.ItemDone || it.State == store.ItemSkipped {
			continue
		}
		if ctx.Err() != nil {
			return store.JobCancelled, nil //nolint:nilerr // a cancel between steps is how the run ends, not a failure
		}
		title := StepTitle(it.SubjectID, o.head.KeepUser)
		o.report(OffboardProgress{Step: i + 1, Name: it.SubjectID, Title: title, State: store.ItemSent})
		if err := o.p.journal.MarkItem(quiet, o.jobID, it.Seq, store.ItemSent, ""); err != nil {
			return store.JobInterrupted, fmt.Errorf("cannot write the journal: %w", err)
		}
		it.State = store.ItemSent
		state, msg, out, err := funcs[it.SubjectID](ctx, it)
		if err != nil {
			if ctx.Err() != nil {
				return store.JobCancelled, nil //nolint:nilerr // cancelled mid-step: the step stays sent, a resume checks it
			}
			return store.JobInterrupted, fmt.Errorf("job %d stopped at step %d (%s), resume it later: %w", o.jobID, i+1, title, err)
		}
		raw, err := json.Marshal(out)
		if err != nil {
			return store.JobInterrupted, err
		}
		if err := o.p.journal.CompleteItem(quiet, o.jobID, it.Seq, state, msg, raw); err != nil {
			return store.JobInterrupted, fmt.Errorf("cannot write the journal: %w", err)
		}
		o.report(OffboardProgress{Step: i + 1, Name: it.SubjectID, Title: title, State: state, Message: msg})
		if state == store.ItemFailed {
			return store.JobFailed, nil
		}
	}
	return store.JobDone, nil
}

func (o *offboardRun) report(pr OffboardProgress) {
	if o.progress == nil {
		return
	}
	pr.JobID = o.jobID
	select {
	case o.progress <- pr:
	default: // never block the job on a slow reader; the journal has it all
	}
}

// stepFailure sorts a failed request: refused (the step fails with
// HubSpot's message and what to do) or unknown (the step stays sent and a
// resume checks it).
func (o *offboardRun) stepFailure(err error, doing string) (state, msg string, out stepOutcome, unknown error) {
	switch kind, _ := classify(err, 1); {
	case kind == failPermanent, kind == failFatal && !isDailyLimit(err):
		return store.ItemFailed, fmt.Sprintf("HubSpot refused to %s: %v; fix that, then resume the job (hsadmin jobs resume %d)", doing, err, o.jobID), stepOutcome{}, nil
	}
	return "", "", stepOutcome{}, err
}

func isDailyLimit(err error) bool {
	var rl *hubspot.RateLimitError
	return errors.As(err, &rl) && rl.Policy == "DAILY"
}

// handOver gives every record of the types asked for to the new owner
// through reassignment jobs linked from the step, and is done when the
// mirror (updated from HubSpot's answers) shows them holding none.
func (o *offboardRun) handOver(ctx context.Context, it store.JobItem) (string, string, stepOutcome, error) {
	out := stepOutcomeOf(it)
	owner := o.head.Person.OwnerID
	if owner == "" {
		return store.ItemDone, "they have no owner: no records to hand over", out, nil
	}
	if adopted := o.p.orphanHandover(ctx, o.jobID, o.head, out.ReassignJobs); adopted != 0 {
		out.ReassignJobs = append(out.ReassignJobs, adopted)
	}
	for round := 0; ; round++ {
		if n := len(out.ReassignJobs); n > 0 {
			res, err := o.finishHandoverJob(ctx, it, out.ReassignJobs[n-1])
			if err != nil {
				return "", "", out, err
			}
			out.Handed += res.Done
			if res.Failed > 0 {
				return store.ItemFailed, fmt.Sprintf("HubSpot refused %s of the hand-over (see hsadmin jobs show %d); fix them, then resume this job", Plural(res.Failed, "record"), res.JobID), out, nil
			}
		}
		left, err := o.p.heldStill(ctx, owner, o.head)
		if err != nil {
			return "", "", out, err
		}
		if left == 0 {
			return store.ItemDone, o.handedText(out), out, nil
		}
		if round >= handoverRounds {
			return store.ItemFailed, fmt.Sprintf("%s still held after %d reassignment jobs; sync and resume the job", Plural(left, "record"), round), out, nil
		}
		id, err := o.recordHandover(ctx, owner)
		if err != nil {
			return store.ItemFailed, err.Error(), out, nil //nolint:nilerr // a plan refused fails the step with its reason, in the journal
		}
		if id == 0 {
			return store.ItemFailed, fmt.Sprintf("the mirror shows %s still held that no reassignment can select: sync, then resume the job", Plural(left, "record")), out, nil
		}
		out.ReassignJobs = append(out.ReassignJobs, id)
		// Linked before it runs: a kill from here on resumes this job, not
		// a second one.
		raw, _ := json.Marshal(out)
		if err := o.p.journal.CompleteItem(context.WithoutCancel(ctx), o.jobID, it.Seq, store.ItemSent, "", raw); err != nil {
			return "", "", out, fmt.Errorf("cannot write the journal: %w", err)
		}
	}
}

func (o *offboardRun) handedText(out stepOutcome) string {
	jobs := make([]string, len(out.ReassignJobs))
	for i, id := range out.ReassignJobs {
		jobs[i] = fmt.Sprint(id)
	}
	if len(jobs) == 0 {
		return "they held no record of the types asked for"
	}
	word := "job"
	if len(jobs) > 1 {
		word = "jobs"
	}
	return fmt.Sprintf("%s handed over to %s (reassignment %s %s)", Plural(out.Handed, "record"), o.head.To.Label(), word, strings.Join(jobs, ", "))
}

// recordHandover plans and records the reassignment of what the owner
// still holds; 0 when the plan changes nothing.
func (o *offboardRun) recordHandover(ctx context.Context, owner hubspot.OwnerID) (int64, error) {
	plan, err := o.p.PlanReassign(ctx, o.head.reassignRequest(owner))
	if err != nil {
		return 0, fmt.Errorf("cannot plan the hand-over: %w", err)
	}
	if plan.Count() == 0 {
		return 0, nil
	}
	return o.p.RecordReassign(ctx, plan)
}

// finishHandoverJob runs or resumes a reassignment job of the hand-over
// until it has nothing left, passing its progress on.
func (o *offboardRun) finishHandoverJob(ctx context.Context, it store.JobItem, id int64) (JobResult, error) {
	summary, err := o.p.jobSummary(ctx, id)
	if err != nil {
		return JobResult{}, err
	}
	if summary.Items.Pending+summary.Items.Sent == 0 {
		return JobResult{JobID: id, Total: summary.Items.Total, Failed: summary.Items.Failed, Skipped: summary.Items.Skipped}, nil
	}
	var sub chan JobProgress
	if o.progress != nil {
		sub = make(chan JobProgress, 16)
		stop, gone := make(chan struct{}), make(chan struct{})
		forward := func(jp JobProgress) {
			o.report(OffboardProgress{Step: it.Seq, Name: StepRecords, Title: StepTitle(StepRecords, false), State: store.ItemSent, Records: &jp})
		}
		go func() {
			defer close(gone)
			for {
				select {
				case jp := <-sub:
					forward(jp)
				case <-stop:
					for { // what the job sent last, before the step reports its end
						select {
						case jp := <-sub:
							forward(jp)
						default:
							return
						}
					}
				}
			}
		}()
		// The forwarder is done before the step reports: reports stay in order.
		defer func() { close(stop); <-gone }()
	}
	var res JobResult
	if summary.State == store.JobPlanned {
		res, err = o.p.Run(ctx, id, sub)
	} else {
		res, err = o.p.Resume(ctx, id, sub)
	}
	if err != nil {
		return res, err
	}
	if res.State != store.JobDone {
		return res, fmt.Errorf("reassignment job %d is %s with %s left", id, res.State, Plural(res.Left, "record"))
	}
	// res counts the whole job; only this run's changes are new.
	res.Done -= summary.Items.Done
	return res, nil
}

// orphanHandover finds a reassignment job the hand-over recorded but was
// killed before linking: planned, newer than the offboarding, from the
// person to the new owner. 0 when there is none.
func (p *Portal) orphanHandover(ctx context.Context, offboardID int64, head offboardJob, known []int64) int64 {
	jobs, err := p.journal.Jobs(ctx)
	if err != nil {
		return 0
	}
	for _, jb := range jobs {
		if jb.ID <= offboardID || jb.Kind != KindReassign || jb.State != store.JobPlanned || slices.Contains(known, jb.ID) {
			continue
		}
		var rh reassignJob
		if json.Unmarshal(jb.Plan, &rh) != nil || rh.To.ID != head.To.ID {
			continue
		}
		if slices.ContainsFunc(rh.Sources, func(s OwnerCount) bool { return s.Owner.ID == head.Person.OwnerID }) {
			return jb.ID
		}
	}
	return 0
}

// heldStill counts what the mirror shows owner holding of the types the
// job hands over.
func (p *Portal) heldStill(ctx context.Context, owner hubspot.OwnerID, head offboardJob) (int, error) {
	holdings, err := p.mirror.OwnerHoldings(ctx, owner)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, h := range holdings {
		if head.handsOver(h) {
			n += h.Count
		}
	}
	return n, nil
}

// handsOver reports whether the job hands over holding h.
func (h offboardJob) handsOver(x store.Holding) bool {
	if !reassignable(x) {
		return false
	}
	if len(h.Objects) == 0 {
		return true
	}
	return slices.ContainsFunc(h.Objects, func(want string) bool {
		return strings.EqualFold(string(x.Type), want) || strings.EqualFold(x.TypeLabel, want)
	})
}

// leaveTeams takes the user out of every team through the Teams API (no
// user PUT, so no role is lost), then reads the user and the teams back.
func (o *offboardRun) leaveTeams(ctx context.Context, _ store.JobItem) (string, string, stepOutcome, error) {
	id := o.head.Person.UserID
	if id == "" {
		return store.ItemDone, "HubSpot has no user for them: no team to leave", stepOutcome{}, nil
	}
	u, err := o.p.client.GetUser(ctx, id)
	if hubspot.IsNotFound(err) {
		return store.ItemDone, "the user is gone from HubSpot: no team to leave", stepOutcome{}, nil
	}
	if err != nil {
		return "", "", stepOutcome{}, err
	}
	before := StateOfUser(u)
	target := UserState{RoleID: before.RoleID, RoleIDs: before.RoleIDs, SecondaryTeamIDs: []hubspot.TeamID{}}
	teams := involvedTeams(before, target)
	for _, t := range o.head.Had.Teams {
		if !slices.Contains(teams, t.ID) {
			teams = append(teams, t.ID) // a hidden second DEFAULT the users API does not show
		}
	}
	if len(teams) > 0 {
		// Every team they may hold a membership of, as the order to work
		// through: moveMemberships reads each team's members itself.
		ch := UserChange{UserID: id, Before: UserState{RoleID: before.RoleID, RoleIDs: before.RoleIDs, SecondaryTeamIDs: teams}, Target: target}
		if err := o.p.moveMemberships(ctx, ch); err != nil {
			return o.stepFailure(err, "take them out of their teams")
		}
	}
	back, err := o.p.client.GetUser(ctx, id)
	if err != nil {
		return "", "", stepOutcome{}, err
	}
	after := StateOfUser(back)
	ms := memberships{}
	if err := o.p.readMemberships(ctx, id, teams, ms); err != nil {
		return "", "", stepOutcome{}, err
	}
	o.p.refreshMirrorUser(context.WithoutCancel(ctx), back)
	if after.PrimaryTeamID != "" || len(after.SecondaryTeamIDs) > 0 || len(ms.defaults(teams)) > 0 || slices.ContainsFunc(teams, func(t hubspot.TeamID) bool { return ms[t].Extra }) {
		return store.ItemFailed, "HubSpot still shows them in a team (" + ms.describe(teams, o.teamName) + ")", stepOutcome{State: &after}, nil
	}
	if len(teams) == 0 {
		return store.ItemDone, "they were in no team", stepOutcome{State: &after}, nil
	}
	names := make([]string, len(teams))
	for i, t := range teams {
		names[i] = o.teamName(t)
	}
	return store.ItemDone, "left " + joinAnd(names), stepOutcome{State: &after}, nil
}

func (o *offboardRun) teamName(id hubspot.TeamID) string {
	for _, t := range o.head.Had.Teams {
		if t.ID == id && t.Name != "" {
			return t.Name
		}
	}
	return "team " + string(id)
}

// freeSeats frees the user's seats with a user update (HubSpot keeps one
// role on it; the journal has every role they had), then reads them back.
// Without the billing scope the step is skipped and the checklist says so.
func (o *offboardRun) freeSeats(ctx context.Context, _ store.JobItem) (string, string, stepOutcome, error) {
	id := o.head.Person.UserID
	if id == "" {
		return store.ItemDone, "HubSpot has no user for them: no seat to free", stepOutcome{}, nil
	}
	u, err := o.p.client.GetUser(ctx, id)
	if hubspot.IsNotFound(err) {
		return store.ItemDone, "the user is gone from HubSpot: no seat to free", stepOutcome{}, nil
	}
	if err != nil {
		return "", "", stepOutcome{}, err
	}
	if len(u.SeatNames) == 0 {
		msg := "they held no seat"
		if len(o.head.Had.Seats) > 0 {
			msg = "HubSpot shows " + strings.Join(o.head.Had.Seats, ", ") + " free already"
		}
		return store.ItemDone, msg, stepOutcome{}, nil
	}
	seats := slices.Clone(u.SeatNames)
	if o.p.info.MissingScope(ScopeBillingWrite) != "" {
		return store.ItemSkipped, "on the checklist: free " + strings.Join(seats, ", ") + " in HubSpot's settings (the token lacks the " + ScopeBillingWrite + " scope)", stepOutcome{}, nil
	}
	if _, err := o.p.client.SetUserSeats(ctx, id, nil); err != nil {
		state, msg, out, unknown := o.stepFailure(err, "free the seat "+strings.Join(seats, ", "))
		if unknown == nil && isBadRequest(err) {
			msg += " (freeing a seat needs the " + ScopeBillingWrite + " scope)"
		}
		return state, msg, out, unknown
	}
	back, err := o.p.client.GetUser(ctx, id)
	if err != nil {
		return "", "", stepOutcome{}, err
	}
	o.p.refreshMirrorUser(context.WithoutCancel(ctx), back)
	if len(back.SeatNames) > 0 {
		return store.ItemFailed, "HubSpot still shows the seat " + strings.Join(back.SeatNames, ", "), stepOutcome{}, nil
	}
	return store.ItemDone, "freed " + strings.Join(seats, ", "), stepOutcome{Seats: seats}, nil
}

// removeUser removes the user (unless kept), reads back that HubSpot
// archived their owner, and records the departure in the mirror.
func (o *offboardRun) removeUser(ctx context.Context, _ store.JobItem) (string, string, stepOutcome, error) {
	person := o.head.Person
	quiet := context.WithoutCancel(ctx)
	depart := store.Departure{JobID: o.jobID, At: time.Now(), KeptUser: o.head.KeepUser}
	if o.head.KeepUser || person.UserID == "" {
		if err := o.p.mirror.RecordDeparture(quiet, person.UserID, person.OwnerID, depart); err != nil {
			return "", "", stepOutcome{}, err
		}
		if person.UserID == "" {
			return store.ItemDone, "HubSpot has no user for them any more", stepOutcome{}, nil
		}
		return store.ItemDone, "kept, as asked (--keep-user)", stepOutcome{}, nil
	}
	err := o.p.client.DeleteUser(ctx, person.UserID)
	if err != nil && !hubspot.IsNotFound(err) {
		return o.stepFailure(err, "remove the user")
	}
	if _, err := o.p.client.GetUser(ctx, person.UserID); !hubspot.IsNotFound(err) {
		if err != nil {
			return "", "", stepOutcome{}, err
		}
		return store.ItemFailed, "HubSpot answered the removal but still lists the user", stepOutcome{}, nil
	}
	out := stepOutcome{Removed: true}
	msg := "removed from HubSpot"
	if person.OwnerID != "" {
		owner, err := o.p.client.GetOwner(ctx, person.OwnerID)
		if err != nil {
			return "", "", stepOutcome{}, err
		}
		if !owner.Archived {
			return store.ItemFailed, "the user is removed but HubSpot still shows owner " + string(person.OwnerID) + " active", out, nil
		}
		out.Archived = true
		msg += "; owner " + string(person.OwnerID) + " deactivated"
	}
	if err := o.p.mirror.RecordDeparture(quiet, person.UserID, person.OwnerID, depart); err != nil {
		return "", "", stepOutcome{}, err
	}
	return store.ItemDone, msg, out, nil
}
