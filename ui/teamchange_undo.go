package ui

import (
	"context"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/portal"
)

// UserChangeUndoer is optionally implemented by a Backend that can undo
// team and role changes from the journal; *portal.Portal does. The undo is
// shown and confirmed in the change dialog, with the same warnings.
type UserChangeUndoer interface {
	PlanUserChangeUndo(ctx context.Context, jobID int64) (portal.UserChangeUndo, error)
	ApplyUserChangeUndo(ctx context.Context, undo portal.UserChangeUndo, m portal.Method) (portal.ApplyResult, error)
}

func (m *model) userChangeUndoer() UserChangeUndoer {
	u, _ := m.b.(UserChangeUndoer)
	return u
}

// isUserChangeJob reports whether j is a team or role change.
func isUserChangeJob(j portal.JobSummary) bool {
	return j.Kind == string(portal.KindTeamChange) || j.Kind == string(portal.KindRoleChange)
}

// userChangeUndoable reports whether u may offer to undo team or role
// change j; the plan says which users can be put back.
func userChangeUndoable(j portal.JobSummary) bool {
	return isUserChangeJob(j) && j.Undoable()
}

// startUserChangeUndo plans the undo of team or role change j and opens
// the change dialog on it; the jobs view stays open beneath.
func (m *model) startUserChangeUndo(j portal.JobSummary) tea.Cmd {
	u := m.userChangeUndoer()
	switch {
	case u == nil || m.teamChanger() == nil:
		m.msg = "undo: this portal connection cannot change users"
		return nil
	case m.readOnly():
		m.msg = "undo: the portal is open read-only"
		return nil
	}
	what := changePrimary
	if j.Kind == string(portal.KindRoleChange) {
		what = changeRole
	}
	f := &changeFlow{what: what, stage: stagePlanning, who: fmt.Sprintf("undo of job %d", j.ID), choice: optCancel, undoOf: j.ID}
	m.openChange(f)
	ctx := m.ctx
	return func() tea.Msg {
		undo, err := u.PlanUserChangeUndo(ctx, j.ID)
		return changePlanMsg{flow: f, plan: undo.Plan, undo: &undo, err: err}
	}
}

// applyUserChangeUndo sends the flow's undo in a Cmd.
func (m *model) applyUserChangeUndo(f *changeFlow, method portal.Method) tea.Cmd {
	u, ctx, undo := m.userChangeUndoer(), m.ctx, *f.undo
	return func() tea.Msg {
		res, err := u.ApplyUserChangeUndo(ctx, undo, method)
		return changeAppliedMsg{flow: f, res: res, err: err}
	}
}

// undoNothingText says why an undo has nobody to put back.
func undoNothingText(undo *portal.UserChangeUndo) string {
	if len(undo.Refused) == 0 {
		return fmt.Sprintf("nothing to undo: every user of job %d is already back as the journal recorded", undo.Of)
	}
	s := fmt.Sprintf("nothing can be undone in job %d:", undo.Of)
	for _, r := range undo.Refused {
		s += " " + r.Label + ": " + r.Reason + "."
	}
	return s
}
