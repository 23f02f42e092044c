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

// A team or role change is undone from its journal: each user goes back to
// the teams and primary role the journal recorded before the job. The undo
// is planned and applied like any change, so the same safe paths and
// warnings apply: its plan names the roles an undo PUT would drop, a team
// undo can go through the Teams API keeping every role, and each user is
// read again before anything is sent. Users the undo cannot put back are
// listed with the reason, and nothing is sent for them.

// UndoRefusal is a user of the original job the undo leaves alone.
type UndoRefusal struct {
	UserID hubspot.UserID `json:"userId"`
	Label  string         `json:"user"`
	Reason string         `json:"reason"`
}

// UserChangeUndo is the planned undo of a team or role change job.
type UserChangeUndo struct {
	Of int64 `json:"undoOf"` // the job undone
	// Plan puts back the users that can be; it is applied with
	// ApplyUserChangeUndo.
	Plan UserChangePlan `json:"plan"`
	// Refused are the users left as they are, each with the reason.
	Refused []UndoRefusal `json:"refused,omitempty"`
	// StillDropped are roles the original job dropped that no undo can
	// give back (no API grants a second role): they stay on the restore
	// checklist.
	StillDropped []RoleRef `json:"stillDropped,omitempty"`
}

// Lines are the undo's plan as a person reads it, with who is left alone
// and why, and the verdict on roles.
func (u UserChangeUndo) Lines() []string {
	lines := u.DetailLines()
	if len(u.Plan.Changing()) > 0 {
		lines = append(lines, u.Plan.VerdictLines()...)
	}
	return lines
}

// DetailLines are Lines without the verdict, which the console words as
// its options.
func (u UserChangeUndo) DetailLines() []string {
	lines := u.Plan.UserLines()
	for _, r := range u.Refused {
		lines = append(lines, fmt.Sprintf("%s (user %s): not undone: %s", r.Label, r.UserID, r.Reason))
	}
	if len(u.StillDropped) > 0 {
		names := make([]string, len(u.StillDropped))
		for i, r := range u.StillDropped {
			names[i] = r.Name
		}
		lines = append(lines, fmt.Sprintf("%s dropped by job %d (%s) cannot be given back by the undo: no API grants a second role; they stay on the restore checklist.",
			Plural(len(names), "role"), u.Of, strings.Join(names, ", ")))
	}
	return lines
}

// undoItem is what the journal holds about one user of a job.
type undoItem struct {
	id      hubspot.UserID
	label   string
	state   string
	before  journalBefore
	after   journalAfter
	outcome *UserState // as read back after the job; nil when unknown
}

// PlanUserChangeUndo plans the undo of team or role change job jobID. It
// reads each user from HubSpot (no writes) to find those changed since.
func (p *Portal) PlanUserChangeUndo(ctx context.Context, jobID int64) (UserChangeUndo, error) {
	jb, err := p.journal.Job(ctx, jobID)
	if err != nil {
		return UserChangeUndo{}, err
	}
	kind := ChangeKind(jb.Kind)
	if kind != KindTeamChange && kind != KindRoleChange {
		return UserChangeUndo{}, fmt.Errorf("job %d is a %s, not a team or role change", jobID, jb.Kind)
	}
	switch jb.State {
	case store.JobPlanned, store.JobRunning:
		return UserChangeUndo{}, fmt.Errorf("job %d is %s: open the portal again so that its outcome is verified first", jobID, jb.State)
	}
	// Whether it is undone is counted from the items, as for reassignments.
	job, err := p.jobSummary(ctx, jobID)
	if err != nil {
		return UserChangeUndo{}, err
	}
	if jb.State == store.JobUndone || (job.UndoneBy != 0 && job.NotBack() == 0) {
		return UserChangeUndo{}, fmt.Errorf("job %d was already undone (%s)", jobID, job.Outcome())
	}
	items, err := p.undoItems(ctx, jobID)
	if err != nil {
		return UserChangeUndo{}, err
	}
	names, err := p.ChangeNames(ctx)
	if err != nil {
		return UserChangeUndo{}, err
	}
	undo := UserChangeUndo{Of: jobID}
	pl := newPlan(p.info, names, kind)
	pl.UndoOf = jobID
	for _, it := range items {
		c, why := p.undoChange(ctx, pl, kind, jobID, it)
		if why != "" {
			undo.Refused = append(undo.Refused, UndoRefusal{UserID: it.id, Label: it.label, Reason: why})
			continue
		}
		pl.Users = append(pl.Users, c)
		if kind == KindRoleChange {
			undo.StillDropped = append(undo.StillDropped, p.stillDropped(pl, it)...)
		}
	}
	who := make([]store.UserRow, len(pl.Users))
	for i, c := range pl.Users {
		who[i] = store.UserRow{UserID: c.UserID, Name: c.Name, Email: c.Email}
	}
	pl.Summary = fmt.Sprintf("Undo job %d: put %s back to the %s the journal recorded", jobID, namedCount(userNames(who), "user"), map[ChangeKind]string{KindTeamChange: "teams", KindRoleChange: "primary role"}[kind])
	if kind == KindTeamChange {
		pl.KeepRoles = keepRolesAvailability(p.info)
	} else {
		pl.KeepRoles = Availability{Reason: "HubSpot keeps a single role on every user update: no API can change a role and keep the user's other roles"}
	}
	pl.UndoRefused = undo.Refused
	undo.Plan = pl
	return undo, nil
}

func (p *Portal) undoItems(ctx context.Context, jobID int64) ([]undoItem, error) {
	rows, err := p.journal.JobItems(ctx, jobID)
	if err != nil {
		return nil, err
	}
	var out []undoItem
	for _, r := range rows {
		it := undoItem{id: hubspot.UserID(r.SubjectID), state: r.State}
		if err := json.Unmarshal(r.Before, &it.before); err != nil {
			return nil, fmt.Errorf("journal job %d item %d: %w", jobID, r.Seq, err)
		}
		if err := json.Unmarshal(r.After, &it.after); err != nil {
			return nil, fmt.Errorf("journal job %d item %d: %w", jobID, r.Seq, err)
		}
		raw, err := p.journal.ItemOutcome(ctx, jobID, r.Seq)
		if err != nil {
			return nil, err
		}
		if string(raw) != "null" && len(raw) > 0 {
			var o UserState
			if err := json.Unmarshal(raw, &o); err == nil {
				it.outcome = &o
			}
		}
		it.label = UserChange{UserID: it.id, Name: it.before.Name, Email: it.before.Email}.Label()
		out = append(out, it)
	}
	return out, nil
}

// undoChange is the change putting one user back, or why there is none.
func (p *Portal) undoChange(ctx context.Context, pl UserChangePlan, kind ChangeKind, jobID int64, it undoItem) (UserChange, string) {
	if it.state == store.ItemSent || (it.outcome == nil && it.state != store.ItemSkipped) {
		return UserChange{}, "the job's outcome for this user is not known yet: open the portal again so that it is verified"
	}
	if it.outcome == nil || (it.outcome.SameTeams(it.before.UserState) && it.outcome.SameRoles(it.before.UserState) && it.outcome.RoleID == it.before.RoleID) {
		return UserChange{}, fmt.Sprintf("job %d did not change this user: nothing to undo", jobID)
	}
	live, err := p.client.GetUser(ctx, it.id)
	switch {
	case hubspot.IsNotFound(err):
		return UserChange{}, "the user was removed from HubSpot since the job"
	case err != nil:
		return UserChange{}, "could not read the user from HubSpot (" + err.Error() + "); try again"
	}
	p.refreshMirrorUser(ctx, live)
	now := StateOfUser(live)
	left := *it.outcome
	row := store.UserRow{UserID: it.id, Name: it.before.Name, Email: it.before.Email}
	was := it.before.UserState
	if kind == KindTeamChange {
		if !now.SameTeams(left) {
			return UserChange{}, fmt.Sprintf("the user's teams changed since job %d (now %s; the job left %s): undoing would overwrite that change",
				jobID, pl.teamsText(now), pl.teamsText(left))
		}
		target := now
		target.PrimaryTeamID, target.SecondaryTeamIDs = was.PrimaryTeamID, nonNilIDs(slices.Clone(was.SecondaryTeamIDs))
		keep := now.RoleID
		if keep == "" && len(now.RoleIDs) > 0 {
			keep = now.RoleIDs[0]
		}
		c := userChange(row, now, target, keep)
		c.Lost = pl.roleRefs(hubspot.RolesDroppedBy(now.asUser(it.id), c.Put))
		c.Unchanged = target.SameTeams(now)
		return c, ""
	}
	if now.RoleID != left.RoleID || !now.SameRoles(left) {
		return UserChange{}, fmt.Sprintf("the user's roles changed since job %d (now %s; the job left %s): undoing would overwrite that change",
			jobID, pl.roleList(now.RoleIDs), pl.roleList(left.RoleIDs))
	}
	if was.RoleID == "" {
		return UserChange{}, "the journal records no primary role for the user before the job: there is no role to go back to"
	}
	c := userChange(row, now, now, was.RoleID)
	c.Target.RoleID, c.Target.RoleIDs = was.RoleID, c.RolesAfterPut
	c.Replaced = now.RoleID
	if c.Replaced == was.RoleID {
		c.Replaced = ""
	}
	dropped := hubspot.RolesDroppedBy(now.asUser(it.id), c.Put)
	c.Lost = pl.roleRefs(slices.DeleteFunc(dropped, func(r hubspot.RoleID) bool { return r == c.Replaced }))
	c.Unchanged = now.RoleID == was.RoleID && len(now.RoleIDs) == 1
	return c, ""
}

// stillDropped are the roles a role change job dropped (besides the one it
// replaced) that its undo does not give back.
func (p *Portal) stillDropped(pl UserChangePlan, it undoItem) []RoleRef {
	var out []RoleRef
	for _, r := range it.before.RoleIDs {
		if r != it.before.RoleID && it.outcome != nil && !slices.Contains(it.outcome.RoleIDs, r) {
			out = append(out, RoleRef{ID: r, Name: pl.RoleName(r)})
		}
	}
	return out
}

// teamsText names a state's teams: "Sales (also Support)".
func (pl UserChangePlan) teamsText(s UserState) string {
	t := pl.TeamName(s.PrimaryTeamID)
	if len(s.SecondaryTeamIDs) > 0 {
		t += " (also " + pl.teamList(s.SecondaryTeamIDs) + ")"
	}
	return t
}

// ApplyUserChangeUndo sends an undo planned by PlanUserChangeUndo by method
// m, as a new journal job. The original job is marked undone only when
// every user it changed is back as the journal recorded; otherwise it
// stays as it was and what remains can be undone again.
func (p *Portal) ApplyUserChangeUndo(ctx context.Context, undo UserChangeUndo, m Method) (ApplyResult, error) {
	if undo.Of == 0 || undo.Plan.UndoOf != undo.Of {
		return ApplyResult{}, errors.New("not an undo plan")
	}
	res, err := p.ApplyUserChange(ctx, undo.Plan, m)
	if err != nil {
		return res, err
	}
	if len(undo.Refused) > 0 || res.Count(store.ItemDone) != len(res.Users) || len(res.Users) != len(undo.Plan.Changing()) {
		return res, nil
	}
	return res, p.journal.FinishJob(context.WithoutCancel(ctx), undo.Of, store.JobUndone)
}
