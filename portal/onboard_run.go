package portal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// OnboardRowResult is what happened to one row of an onboarding job.
type OnboardRowResult struct {
	Seq   int    `json:"seq"`
	Line  int    `json:"line,omitempty"`
	Email string `json:"email"`
	Name  string `json:"name"`
	// State is the journal item's: store.ItemDone (created and read back as
	// planned), ItemFailed, ItemSkipped (nothing sent: a wrong row, or the
	// email has a user already), ItemSent (the outcome is unknown: the next
	// run checks it by email) or ItemPending (not reached: resume the job).
	State   string          `json:"state"`
	Message string          `json:"message,omitempty"`
	UserID  hubspot.UserID  `json:"userId,omitempty"`
	OwnerID hubspot.OwnerID `json:"ownerId,omitempty"`
	// Link is the new user's page in HubSpot's settings.
	Link string `json:"link,omitempty"`
	// ChecklistRoles are on the restore checklist, to add in HubSpot's settings.
	ChecklistRoles []RoleRef `json:"checklistRoles,omitempty"`
}

// OnboardResult is how a run of an onboarding job ended: a result per row.
type OnboardResult struct {
	JobID int64              `json:"jobId"`
	State string             `json:"state"`
	Rows  []OnboardRowResult `json:"rows"`
}

// Count counts rows whose item is in state.
func (r OnboardResult) Count(state string) int {
	n := 0
	for _, row := range r.Rows {
		if row.State == state {
			n++
		}
	}
	return n
}

// onboardItem is a journal item's after: the row as planned and the body
// sent for it. Its before is onboardBefore.
type onboardItem struct {
	Row       OnboardRow            `json:"row"`
	Provision hubspot.UserProvision `json:"provision"`
}

// onboardOutcome is a done item's outcome: the user as read back.
type onboardOutcome struct {
	UserID  hubspot.UserID  `json:"userId"`
	OwnerID hubspot.OwnerID `json:"ownerId,omitempty"`
	Link    string          `json:"link"`
	UserState
	Seats []string `json:"seats,omitempty"`
}

// OnboardRefusal says why users cannot be created at all, "" when they can.
func (i Info) OnboardRefusal() string { return putAvailability(i).Reason }

// StartOnboard journals plan as one job, a row an item (wrong rows are
// recorded as skipped, with why), then runs it (RunOnboard).
func (p *Portal) StartOnboard(ctx context.Context, plan OnboardPlan, progress func(OnboardRowResult)) (OnboardResult, error) {
	if r := p.info.OnboardRefusal(); r != "" {
		return OnboardResult{}, errors.New("cannot create users: " + r)
	}
	if len(plan.Sendable()) == 0 {
		return OnboardResult{}, errors.New("nothing to create: every row is wrong (see the plan)")
	}
	raw, err := json.Marshal(plan)
	if err != nil {
		return OnboardResult{}, err
	}
	items := make([]store.JobItem, len(plan.Rows))
	for i, r := range plan.Rows {
		after, err := json.Marshal(onboardItem{Row: r, Provision: r.Provision()})
		if err != nil {
			return OnboardResult{}, err
		}
		// Before: the plan found no user with the email.
		items[i] = store.JobItem{SubjectID: strings.ToLower(r.Email), Before: json.RawMessage(`{"exists":false}`), After: after}
	}
	jobID, err := p.journal.CreateJob(ctx, KindOnboard, plan.Summary, raw)
	if err != nil {
		return OnboardResult{}, fmt.Errorf("cannot write the journal: %w", err)
	}
	if err := p.journal.AddItems(ctx, jobID, items); err != nil {
		return OnboardResult{}, fmt.Errorf("cannot write the journal: %w", err)
	}
	for i, r := range plan.Rows {
		if !r.OK() {
			if err := p.journal.MarkItem(ctx, jobID, i+1, store.ItemSkipped, "not sent: "+strings.Join(r.Problems, "; ")); err != nil {
				return OnboardResult{}, fmt.Errorf("cannot write the journal: %w", err)
			}
		}
	}
	return p.RunOnboard(ctx, jobID, progress)
}

// RunOnboard creates the people of an onboarding job not yet settled, one
// at a time, and is how an interrupted job is resumed. Before each create
// the email is looked up in HubSpot: a row whose create may have landed
// (sent, the answer lost to a kill or the network) is settled from what
// HubSpot holds and never sent twice, and a row whose email got a user
// elsewhere is skipped. The item is marked sent before the POST; after it
// the user is read back and compared with the plan, the mirror gets the
// user and their owner, and roles the API could not set go on the restore
// checklist with the link to the user's page.
//
// Cancelling ctx stops between rows (the one in flight finishes) and leaves
// the job resumable. The error is for a job that cannot run, or a journal
// that cannot be written; each row's outcome is in the result.
func (p *Portal) RunOnboard(ctx context.Context, jobID int64, progress func(OnboardRowResult)) (OnboardResult, error) {
	res := OnboardResult{JobID: jobID}
	if r := p.info.OnboardRefusal(); r != "" {
		return res, errors.New("cannot create users: " + r)
	}
	key := runKey{p.info.Dir, jobID}
	if _, busy := runningJobs.LoadOrStore(key, struct{}{}); busy {
		return res, fmt.Errorf("job %d is already running", jobID)
	}
	defer runningJobs.Delete(key)
	plan, items, err := p.loadOnboardJob(ctx, jobID)
	if err != nil {
		return res, err
	}
	if !slices.ContainsFunc(items, func(it store.JobItem) bool { return it.State == store.ItemPending || it.State == store.ItemSent }) {
		return res, fmt.Errorf("job %d has nothing left to send: every row of it is settled", jobID)
	}
	claim, err := p.journal.ClaimRun(ctx, jobID)
	if err != nil {
		return res, err
	}
	quiet := context.WithoutCancel(ctx)
	finished := false
	defer func() {
		if !finished {
			_ = claim.Finish(quiet, store.JobInterrupted)
		}
	}()
	stopped := false
	for _, it := range items {
		var row OnboardRowResult
		if stopped || (it.State != store.ItemPending && it.State != store.ItemSent) {
			row = settledRow(it)
		} else {
			var stop bool
			if row, stop, err = p.onboardOne(ctx, plan, jobID, it); err != nil {
				return res, err
			}
			stopped = stop
		}
		res.Rows = append(res.Rows, row)
		if progress != nil {
			progress(row)
		}
	}
	res.State = onboardJobState(ctx, res)
	finished = true
	if err := claim.Finish(quiet, res.State); err != nil {
		return res, fmt.Errorf("cannot write the journal: %w", err)
	}
	return res, nil
}

func onboardJobState(ctx context.Context, res OnboardResult) string {
	switch {
	case res.Count(store.ItemSent) > 0:
		return store.JobInterrupted
	case res.Count(store.ItemPending) > 0 && ctx.Err() != nil:
		return store.JobCancelled
	case res.Count(store.ItemPending) > 0:
		return store.JobInterrupted
	case res.Count(store.ItemFailed) > 0:
		return store.JobFailed
	}
	return store.JobDone
}

func (p *Portal) loadOnboardJob(ctx context.Context, jobID int64) (OnboardPlan, []store.JobItem, error) {
	jobs, err := p.journal.Jobs(ctx)
	if err != nil {
		return OnboardPlan{}, nil, err
	}
	i := slices.IndexFunc(jobs, func(j store.Job) bool { return j.ID == jobID })
	if i < 0 {
		return OnboardPlan{}, nil, fmt.Errorf("there is no job %d in the journal", jobID)
	}
	job := jobs[i]
	if job.Kind != KindOnboard {
		return OnboardPlan{}, nil, fmt.Errorf("job %d is a %s job, not user creation", jobID, job.Kind)
	}
	if !store.Unfinished(job.State) {
		return OnboardPlan{}, nil, fmt.Errorf("job %d is %s: there is nothing to run", jobID, job.State)
	}
	var plan OnboardPlan
	if err := json.Unmarshal(job.Plan, &plan); err != nil {
		return OnboardPlan{}, nil, fmt.Errorf("journal job %d: unreadable plan: %w", jobID, err)
	}
	items, err := p.journal.JobItems(ctx, jobID)
	return plan, items, err
}

// settledRow is the result of an item an earlier run settled, or one this
// run did not reach.
func settledRow(it store.JobItem) OnboardRowResult {
	var item onboardItem
	_ = json.Unmarshal(it.After, &item) // written by StartOnboard; a zero row still reports the state
	r := OnboardRowResult{Seq: it.Seq, Line: item.Row.Line, Email: item.Row.Email, Name: item.Row.Name(),
		State: it.State, Message: it.Error, ChecklistRoles: item.Row.ChecklistRoles}
	var out onboardOutcome
	if json.Unmarshal(it.Outcome, &out) == nil {
		r.UserID, r.OwnerID, r.Link = out.UserID, out.OwnerID, out.Link
	}
	if r.State == store.ItemPending && r.Message == "" {
		r.Message = "not reached: resume the job to create them"
	}
	return r
}

// onboardOne creates one person. stop asks the run to end (HubSpot cannot
// be reached: the rest would fail alike). The error is for a journal that
// cannot be written.
func (p *Portal) onboardOne(ctx context.Context, plan OnboardPlan, jobID int64, it store.JobItem) (OnboardRowResult, bool, error) {
	r := settledRow(it)
	var item onboardItem
	if err := json.Unmarshal(it.After, &item); err != nil {
		return r, false, fmt.Errorf("journal job %d item %d: %w", jobID, it.Seq, err)
	}
	jctx := context.WithoutCancel(ctx)
	if stopped(ctx) {
		r.Message = "not sent: cancelled; resume the job to create them"
		return r, true, nil
	}
	// What HubSpot holds decides: a create is never sent for an email that
	// has a user, whether or not our own earlier POST made it.
	existing, err := p.client.GetUserByEmail(ctx, item.Row.Email)
	switch {
	case err == nil && it.State == store.ItemSent:
		r, err := p.settleCreated(jctx, plan, jobID, it.Seq, item.Row, existing, "created before an interruption (found by email; nothing sent again)")
		return r, false, err
	case err == nil:
		msg := fmt.Sprintf("not sent: %s already has a HubSpot user (user ID %s)", item.Row.Email, existing.ID)
		p.refreshMirrorUser(jctx, existing)
		r, err := p.finishOnboardItem(jctx, r, jobID, it.Seq, store.ItemSkipped, msg, nil)
		return r, false, err
	case !hubspot.IsNotFound(err):
		r.Message = "not sent: could not look the email up in HubSpot first (" + err.Error() + "); resume the job"
		if it.State == store.ItemSent {
			r.Message = "sent before an interruption; still cannot look the email up (" + err.Error() + "); resume the job"
		}
		return r, true, p.journal.MarkItem(jctx, jobID, it.Seq, it.State, r.Message)
	}
	if err := p.journal.MarkItem(jctx, jobID, it.Seq, store.ItemSent, ""); err != nil {
		return r, false, fmt.Errorf("cannot write the journal: %w", err)
	}
	created, sendErr := p.client.CreateUser(jctx, item.Provision)
	if sendErr == nil {
		r, err := p.settleCreated(jctx, plan, jobID, it.Seq, item.Row, created, "")
		return r, false, err
	}
	return p.afterFailedCreate(jctx, plan, jobID, it.Seq, item.Row, r, sendErr)
}

// afterFailedCreate settles a create HubSpot answered with an error, or
// whose answer was lost: HubSpot's refusals fail the row; an unknown
// outcome is looked up by email.
func (p *Portal) afterFailedCreate(ctx context.Context, plan OnboardPlan, jobID int64, seq int, row OnboardRow, r OnboardRowResult, sendErr error) (OnboardRowResult, bool, error) {
	var apiErr *hubspot.APIError
	if errors.As(sendErr, &apiErr) && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500 && apiErr.StatusCode != 429 {
		res, err := p.finishOnboardItem(ctx, r, jobID, seq, store.ItemFailed, "HubSpot refused: "+onboardRefusalText(sendErr), nil)
		return res, false, err
	}
	back, err := p.client.GetUserByEmail(ctx, row.Email)
	switch {
	case err == nil:
		res, err := p.settleCreated(ctx, plan, jobID, seq, row, back, "created, though the answer was lost ("+sendErr.Error()+"); found by email")
		return res, false, err
	case hubspot.IsNotFound(err):
		// Nothing landed: the row may be sent again.
		r.State, r.Message = store.ItemPending, "not created ("+sendErr.Error()+"); resume the job to try again"
		return r, true, p.journal.MarkItem(ctx, jobID, seq, store.ItemPending, r.Message)
	}
	r.State = store.ItemSent
	r.Message = "sent, but the outcome is unknown (" + sendErr.Error() + ") and the email cannot be looked up; resuming the job checks it by email before sending again"
	return r, true, p.journal.MarkItem(ctx, jobID, seq, store.ItemSent, r.Message)
}

// stopped reports a cancelled run: the row stays pending, which is no error.
func stopped(ctx context.Context) bool { return ctx.Err() != nil }

// onboardRefusalText says what HubSpot's refusal means for this row.
func onboardRefusalText(err error) string {
	switch {
	case hubspot.IsDuplicateUser(err):
		return "the email already has a HubSpot user (made since the plan): " + err.Error()
	case hubspot.IsNoSeatLeft(err):
		return "no seat of that kind is left: " + err.Error()
	case hubspot.IsBillingRefusal(err):
		return "a seat or a role carrying a paid seat needs the " + hubspot.ScopeBillingWrite + " scope: " + err.Error()
	}
	return err.Error()
}

// settleCreated reads a created user back, compares them with the row, puts
// them and their owner in the mirror, lists the roles the API could not set
// on the restore checklist, and completes the item.
func (p *Portal) settleCreated(ctx context.Context, plan OnboardPlan, jobID int64, seq int, row OnboardRow, created hubspot.User, note string) (OnboardRowResult, error) {
	r := OnboardRowResult{Seq: seq, Line: row.Line, Email: row.Email, Name: row.Name(), UserID: created.ID,
		Link: UserSettingsLink(plan.HubID, plan.BaseURL, plan.Sandbox, created.ID), ChecklistRoles: row.ChecklistRoles}
	back, err := p.client.GetUser(ctx, created.ID)
	if err != nil {
		r.State = store.ItemSent
		r.Message = "created as user " + string(created.ID) + ", but it could not be read back (" + err.Error() + "); resume the job to verify it"
		return r, p.journal.MarkItem(ctx, jobID, seq, store.ItemSent, r.Message)
	}
	p.refreshMirrorUser(ctx, back)
	if owner, err := p.client.GetOwnerByUserID(ctx, back.ID); err == nil {
		r.OwnerID = owner.ID
		_ = p.mirror.PutOwner(ctx, owner) // a stale mirror only waits for the next sync
	}
	if err := p.listChecklistRoles(ctx, jobID, row, back, r.Link); err != nil {
		return r, err
	}
	state, msg := store.ItemDone, note
	if diffs := onboardDiffs(row, back); len(diffs) > 0 {
		state, msg = store.ItemFailed, "created as user "+string(back.ID)+", but HubSpot reports "+strings.Join(diffs, "; ")
	}
	out := onboardOutcome{UserID: back.ID, OwnerID: r.OwnerID, Link: r.Link, UserState: StateOfUser(back), Seats: back.SeatNames}
	return p.finishOnboardItem(ctx, r, jobID, seq, state, msg, &out)
}

func (p *Portal) listChecklistRoles(ctx context.Context, jobID int64, row OnboardRow, u hubspot.User, link string) error {
	var items []store.RestoreItem
	for _, role := range row.ChecklistRoles {
		if slices.Contains(u.Roles(), role.ID) {
			continue
		}
		items = append(items, store.RestoreItem{JobID: jobID, UserID: u.ID, UserName: row.Name(), UserEmail: row.Email,
			RoleID: role.ID, RoleName: role.Name, Link: link})
	}
	if err := p.journal.AddRestoreItems(ctx, items); err != nil {
		return fmt.Errorf("cannot write the restore checklist: %w", err)
	}
	return nil
}

func (p *Portal) finishOnboardItem(ctx context.Context, r OnboardRowResult, jobID int64, seq int, state, msg string, out *onboardOutcome) (OnboardRowResult, error) {
	r.State, r.Message = state, msg
	var raw json.RawMessage
	if out != nil {
		var err error
		if raw, err = json.Marshal(out); err != nil {
			return r, err
		}
	}
	if err := p.journal.CompleteItem(ctx, jobID, seq, state, msg, raw); err != nil {
		return r, fmt.Errorf("cannot write the journal: %w", err)
	}
	return r, nil
}

// onboardDiffs lists where the user HubSpot reports differs from the row.
func onboardDiffs(row OnboardRow, u hubspot.User) []string {
	var diffs []string
	if !strings.EqualFold(u.Email, row.Email) {
		diffs = append(diffs, "email "+u.Email)
	}
	want := RoleRef{}
	if row.Role != nil {
		want = *row.Role
	}
	if u.RoleID != want.ID {
		diffs = append(diffs, fmt.Sprintf("role %q, planned %q", u.RoleID, want.ID))
	}
	wantTeam := hubspot.TeamID("")
	if row.PrimaryTeam != nil {
		wantTeam = row.PrimaryTeam.ID
	}
	if u.PrimaryTeamID != wantTeam {
		diffs = append(diffs, fmt.Sprintf("primary team %q, planned %q", u.PrimaryTeamID, wantTeam))
	}
	var secondary []hubspot.TeamID
	for _, t := range row.SecondaryTeams {
		secondary = append(secondary, t.ID)
	}
	if !sameIDSet(u.SecondaryTeamIDs, secondary) {
		diffs = append(diffs, fmt.Sprintf("secondary teams %v, planned %v", u.SecondaryTeamIDs, secondary))
	}
	if !sameIDSet(u.SeatNames, row.Seats) {
		diffs = append(diffs, fmt.Sprintf("seats %v, planned %v", u.SeatNames, row.Seats))
	}
	return diffs
}

// onboardItemChange reads a user creation's item for the job detail: who,
// and what they were to get (and, once created, their user ID).
func onboardItemChange(r store.JobItem) (subject, change string) {
	var item onboardItem
	_ = json.Unmarshal(r.After, &item) // an unreadable item still shows its state and reason
	subject = "new user " + joinName(item.Row.Email, item.Row.Name())
	change = "create: " + item.Row.Describe()
	var out onboardOutcome
	if json.Unmarshal(r.Outcome, &out) == nil && out.UserID != "" {
		change += " → user " + string(out.UserID)
	}
	return subject, change
}
