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

// UserResult is what happened to one user of an applied plan.
type UserResult struct {
	UserID hubspot.UserID
	Label  string
	// State is the journal item's final state: store.ItemDone when HubSpot
	// reports the planned state, store.ItemFailed when it does not,
	// store.ItemSkipped when nothing was sent, store.ItemSent when the
	// outcome could not be read back (verified at the next start).
	State   string
	Message string    // why it failed, was skipped or is unknown; "" when done
	After   UserState // as read back from HubSpot; zero when unknown
	// Dropped are the roles the change took away without meaning to; they
	// are on the restore checklist.
	Dropped []RoleRef
	// Replaced is the role a role change replaced by the admin's choice,
	// once HubSpot reports it gone; it is not on the checklist.
	Replaced []RoleRef
}

// ApplyResult is what happened to an applied plan.
type ApplyResult struct {
	JobID  int64
	Method Method
	Users  []UserResult
}

// Count counts users whose item ended in state.
func (r ApplyResult) Count(state string) int {
	n := 0
	for _, u := range r.Users {
		if u.State == state {
			n++
		}
	}
	return n
}

// DroppedCount is how many roles went onto the restore checklist.
func (r ApplyResult) DroppedCount() int {
	n := 0
	for _, u := range r.Users {
		n += len(u.Dropped)
	}
	return n
}

// journalBefore is a journal item's before: the user's full prior state.
type journalBefore struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	UserState
}

// journalAfter is a journal item's after: how the change is sent and what
// HubSpot should report once it is.
type journalAfter struct {
	Method   Method              `json:"method"`
	Expected UserState           `json:"expected"`
	Put      *hubspot.UserUpdate `json:"put,omitempty"`
	Steps    []MembershipStep    `json:"steps,omitempty"`
	Replaced hubspot.RoleID      `json:"replaced,omitempty"`
	// Gone is every role a PUT takes from the user, each with its reason.
	Gone []RoleLoss `json:"gone,omitempty"`
}

// MembershipStep is one Settings Teams API call of the keep-roles path.
type MembershipStep struct {
	Add  bool                   `json:"add"` // add the membership; false removes it
	Team hubspot.TeamID         `json:"teamId"`
	Type hubspot.MembershipType `json:"type"`
}

// MembershipSteps are the Teams API calls taking a user from before to the
// teams of target, ordered so that every call is valid when it is made:
// secondary memberships that go are removed first (a team becoming primary
// included), then the primary team moves, then new secondary memberships
// (the old primary team included) are added.
func MembershipSteps(before, target UserState) []MembershipStep {
	var steps []MembershipStep
	for _, t := range before.SecondaryTeamIDs {
		if !slices.Contains(target.SecondaryTeamIDs, t) {
			steps = append(steps, MembershipStep{Team: t, Type: hubspot.MembershipSecondary})
		}
	}
	switch {
	case target.PrimaryTeamID == before.PrimaryTeamID:
	case target.PrimaryTeamID != "":
		steps = append(steps, MembershipStep{Add: true, Team: target.PrimaryTeamID, Type: hubspot.MembershipPrimary})
	default:
		steps = append(steps, MembershipStep{Team: before.PrimaryTeamID, Type: hubspot.MembershipPrimary})
	}
	for _, t := range target.SecondaryTeamIDs {
		if !slices.Contains(before.SecondaryTeamIDs, t) {
			steps = append(steps, MembershipStep{Add: true, Team: t, Type: hubspot.MembershipSecondary})
		}
	}
	return steps
}

// StepsLanded reports how many of steps, applied in order from before,
// leave a user's teams as in got: the Teams API calls of an interrupted
// keep-roles change that HubSpot carried out. ok is false when no prefix
// of steps explains got.
func StepsLanded(before UserState, steps []MembershipStep, got UserState) (n int, ok bool) {
	s := before
	s.SecondaryTeamIDs = slices.Clone(before.SecondaryTeamIDs)
	for i := 0; ; i++ {
		if s.SameTeams(got) {
			return i, true
		}
		if i == len(steps) {
			return 0, false
		}
		s = s.afterStep(steps[i])
	}
}

// afterStep is s after one Teams API call, as HubSpot applies it: a new
// primary team replaces the old one and stops being a secondary team.
func (s UserState) afterStep(st MembershipStep) UserState {
	notT := func(t hubspot.TeamID) bool { return t == st.Team }
	switch {
	case st.Add && st.Type == hubspot.MembershipPrimary:
		s.PrimaryTeamID = st.Team
		s.SecondaryTeamIDs = slices.DeleteFunc(slices.Clone(s.SecondaryTeamIDs), notT)
	case st.Add:
		if !slices.Contains(s.SecondaryTeamIDs, st.Team) {
			s.SecondaryTeamIDs = append(slices.Clone(s.SecondaryTeamIDs), st.Team)
		}
	case st.Type == hubspot.MembershipPrimary:
		if s.PrimaryTeamID == st.Team {
			s.PrimaryTeamID = ""
		}
	default:
		s.SecondaryTeamIDs = slices.DeleteFunc(slices.Clone(s.SecondaryTeamIDs), notT)
	}
	return s
}

// ApplyUserChange sends plan by method m, one user at a time. For each
// user the full prior state goes into the journal before anything is sent;
// the user is read again first and skipped when HubSpot no longer matches
// the plan (the prediction of lost roles would be wrong); after the write
// the user is read back, compared with the plan, the journal item completed
// with the outcome, the mirror updated, and any role HubSpot dropped put on
// the restore checklist.
//
// The error is for failures to start or to keep the journal; what happened
// to each user is in the result.
func (p *Portal) ApplyUserChange(ctx context.Context, plan UserChangePlan, m Method) (ApplyResult, error) {
	res := ApplyResult{Method: m}
	if a := plan.Availability(m); !a.OK() {
		return res, fmt.Errorf("cannot apply the change (%s): %s", m, a.Reason)
	}
	// The plan carries the portal's rights as they were; check them again.
	if r := p.info.writeRefusal(); r != "" {
		return res, errors.New("cannot apply the change: " + r)
	}
	if plan.Kind == KindRoleChange && m == MethodKeepRoles {
		return res, errors.New("a role change can only be sent as a user update")
	}
	users := plan.Changing()
	if len(users) == 0 {
		return res, errors.New("nothing to change: every user is already as asked")
	}
	planJSON, err := json.Marshal(struct {
		Method Method `json:"method"`
		UserChangePlan
	}{m, plan})
	if err != nil {
		return res, err
	}
	items := make([]store.JobItem, len(users))
	for i, u := range users {
		if items[i], err = journalItem(u, m, plan.Gone(u)); err != nil {
			return res, err
		}
	}
	// Written before any request: a crash from here on leaves items the next
	// start can explain (VerifyUnfinishedChanges).
	if res.JobID, err = p.journal.CreateJob(ctx, string(plan.Kind), plan.Summary, planJSON); err != nil {
		return res, fmt.Errorf("cannot write the journal: %w", err)
	}
	if err := p.journal.AddItems(ctx, res.JobID, items); err != nil {
		return res, fmt.Errorf("cannot write the journal: %w", err)
	}
	// The claim's lock ends with the process: a job a killed process left
	// running shows as interrupted at the next look, and the next start
	// verifies it.
	claim, err := p.journal.ClaimRun(ctx, res.JobID)
	if err != nil {
		return res, fmt.Errorf("cannot write the journal: %w", err)
	}
	finished := false
	defer func() {
		if !finished {
			_ = claim.Finish(context.WithoutCancel(ctx), store.JobInterrupted)
		}
	}()
	for i, u := range users {
		r, err := p.applyOne(ctx, plan, res.JobID, i+1, u, m)
		if err != nil {
			return res, err
		}
		res.Users = append(res.Users, r)
	}
	state := store.JobDone
	switch {
	case res.Count(store.ItemSent) > 0:
		// An outcome is unknown: the next start verifies the job.
		state = store.JobInterrupted
	case ctx.Err() != nil:
		state = store.JobCancelled
	case res.Count(store.ItemDone) < len(res.Users):
		state = store.JobFailed
	}
	finished = true
	if err := claim.Finish(context.WithoutCancel(ctx), state); err != nil {
		return res, fmt.Errorf("cannot write the journal: %w", err)
	}
	return res, nil
}

func journalItem(u UserChange, m Method, gone []RoleLoss) (store.JobItem, error) {
	before, err := json.Marshal(journalBefore{Name: u.Name, Email: u.Email, UserState: u.Before})
	if err != nil {
		return store.JobItem{}, err
	}
	a := journalAfter{Method: m, Expected: u.Expected(m), Replaced: u.Replaced}
	if m == MethodPut {
		a.Put = &u.Put
		a.Gone = gone
	} else {
		a.Steps = MembershipSteps(u.Before, u.Target)
	}
	after, err := json.Marshal(a)
	if err != nil {
		return store.JobItem{}, err
	}
	return store.JobItem{SubjectID: string(u.UserID), Before: before, After: after}, nil
}

// applyOne changes one user. Its error is only for a journal that cannot be
// written; HubSpot's answers end up in the result.
func (p *Portal) applyOne(ctx context.Context, plan UserChangePlan, jobID int64, seq int, u UserChange, m Method) (UserResult, error) {
	r := UserResult{UserID: u.UserID, Label: u.Label()}
	// Journal writes must land even when ctx is cancelled mid-request.
	jctx := context.WithoutCancel(ctx)
	finish := func(state, msg string, outcome *UserState) (UserResult, error) {
		r.State, r.Message = state, msg
		var raw json.RawMessage
		if outcome != nil {
			r.After = *outcome
			var err error
			if raw, err = json.Marshal(outcome); err != nil {
				return r, err
			}
		}
		if err := p.journal.CompleteItem(jctx, jobID, seq, state, msg, raw); err != nil {
			return r, fmt.Errorf("cannot write the journal: %w", err)
		}
		return r, nil
	}
	if err := ctx.Err(); err != nil {
		return finish(store.ItemSkipped, "cancelled before it was sent", nil)
	}
	live, err := p.client.GetUser(ctx, u.UserID)
	if err != nil {
		return finish(store.ItemSkipped, "nothing was sent: could not read the user first: "+err.Error(), nil)
	}
	now := StateOfUser(live)
	if !now.SameRoles(u.Before) || !now.SameTeams(u.Before) {
		p.refreshMirrorUser(jctx, live)
		return finish(store.ItemSkipped, "nothing was sent: the user changed in HubSpot since the last sync; plan the change again", &now)
	}
	if err := p.journal.MarkItem(jctx, jobID, seq, store.ItemSent, ""); err != nil {
		return r, fmt.Errorf("cannot write the journal: %w", err)
	}
	// The write in flight is finished even when ctx is cancelled: stopping
	// happens between users, never half-way through one.
	sendErr := p.send(jctx, u, m)
	back, err := p.client.GetUser(jctx, u.UserID)
	if err != nil {
		msg := "sent, but the user could not be read back (" + err.Error() + "); the next start checks it"
		if sendErr != nil {
			msg = "sending failed (" + sendErr.Error() + ") and the user could not be read back; the next start checks it"
		}
		r.State, r.Message = store.ItemSent, msg
		if err := p.journal.MarkItem(jctx, jobID, seq, store.ItemSent, msg); err != nil {
			return r, fmt.Errorf("cannot write the journal: %w", err)
		}
		return r, nil
	}
	actual := StateOfUser(back)
	p.refreshMirrorUser(jctx, back)
	if r.Dropped, err = p.recordDropped(jctx, plan, jobID, u, actual); err != nil {
		return r, err
	}
	if u.Replaced != "" && !slices.Contains(actual.RoleIDs, u.Replaced) {
		r.Replaced = []RoleRef{{ID: u.Replaced, Name: plan.RoleName(u.Replaced)}}
	}
	state, msg := compareOutcome(plan, u.Before, u.Expected(m), actual, sendErr)
	return finish(state, msg, &actual)
}

// send makes the change by method m.
func (p *Portal) send(ctx context.Context, u UserChange, m Method) error {
	if m == MethodPut {
		_, err := p.client.UpdateUser(ctx, u.UserID, u.Put)
		return err
	}
	return p.moveMemberships(ctx, u)
}

// compareOutcome says whether HubSpot reports what was planned.
func compareOutcome(plan UserChangePlan, before, want, got UserState, sendErr error) (state, msg string) {
	if sendErr != nil && got.SameTeams(before) && got.SameRoles(before) {
		return store.ItemFailed, "nothing changed: " + sendErr.Error()
	}
	var diffs []string
	if got.PrimaryTeamID != want.PrimaryTeamID {
		diffs = append(diffs, fmt.Sprintf("primary team is %s, planned %s", plan.TeamName(got.PrimaryTeamID), plan.TeamName(want.PrimaryTeamID)))
	}
	if !sameIDSet(got.SecondaryTeamIDs, want.SecondaryTeamIDs) {
		diffs = append(diffs, fmt.Sprintf("secondary teams are %s, planned %s", plan.teamList(got.SecondaryTeamIDs), plan.teamList(want.SecondaryTeamIDs)))
	}
	if !got.SameRoles(want) {
		diffs = append(diffs, fmt.Sprintf("roles are %s, planned %s", plan.roleList(got.RoleIDs), plan.roleList(want.RoleIDs)))
	}
	switch {
	case sendErr != nil && len(diffs) > 0:
		return store.ItemFailed, sendErr.Error() + "; HubSpot now reports: " + strings.Join(diffs, "; ")
	case sendErr != nil:
		// The answer was an error, but the user is as planned: an earlier
		// attempt whose answer was lost did the work.
		return store.ItemDone, ""
	case len(diffs) > 0:
		return store.ItemFailed, "HubSpot reports a different result: " + strings.Join(diffs, "; ")
	}
	return store.ItemDone, ""
}

// recordDropped puts on the restore checklist every role u held before that
// HubSpot no longer reports, except the one a role change meant to replace.
func (p *Portal) recordDropped(ctx context.Context, plan UserChangePlan, jobID int64, u UserChange, actual UserState) ([]RoleRef, error) {
	var dropped []RoleRef
	var items []store.RestoreItem
	for _, role := range u.Before.RoleIDs {
		if role == u.Replaced || slices.Contains(actual.RoleIDs, role) {
			continue
		}
		ref := RoleRef{ID: role, Name: plan.RoleName(role)}
		dropped = append(dropped, ref)
		// A run killed after writing the checklist has listed the role
		// already; the journal lists it once however often it is added.
		items = append(items, store.RestoreItem{
			JobID: jobID, UserID: u.UserID, UserName: u.Name, UserEmail: u.Email,
			RoleID: role, RoleName: ref.Name, Link: plan.userLink(u.UserID),
		})
	}
	if err := p.journal.AddRestoreItems(ctx, items); err != nil {
		return nil, fmt.Errorf("cannot write the restore checklist: %w", err)
	}
	return dropped, nil
}

// refreshMirrorUser puts a user read from HubSpot into the mirror. A failure
// only leaves the mirror stale until the next sync, so it is not an error
// of the change.
func (p *Portal) refreshMirrorUser(ctx context.Context, u hubspot.User) {
	_ = p.mirror.PutUser(ctx, u)
}

// userLink is the user's page in HubSpot's settings.
func (pl UserChangePlan) userLink(id hubspot.UserID) string {
	return UserSettingsLink(pl.HubID, pl.BaseURL, pl.Sandbox, id)
}

// UserSettingsLink is the page of user id in HubSpot's settings: on
// app.hubspot.com, or under the sandbox's own base URL.
func UserSettingsLink(hubID int64, baseURL string, sandbox bool, id hubspot.UserID) string {
	host := "https://app.hubspot.com"
	if sandbox && baseURL != "" {
		host = strings.TrimRight(baseURL, "/")
	}
	return fmt.Sprintf("%s/settings/%d/users/user/%s", host, hubID, id)
}
