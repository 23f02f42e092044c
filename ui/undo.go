package ui

import (
	"context"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/portal"
)

// The undo flow's own part: an undo plan lists the contacts whose previous
// owner HubSpot refuses (deactivated, deleted, unknown); nothing is sent for
// them. `o` picks, with the reassignment's owner picker, someone to take
// them instead; enter leaves them where they are.

// UndoPlanner is optionally implemented by a Reassigner that can give the
// contacts an undo cannot send back to another owner; *portal.Portal does.
type UndoPlanner interface {
	PlanUndoWith(ctx context.Context, jobID int64, opts portal.UndoOptions) (portal.ReassignPlan, error)
}

var _ UndoPlanner = (*portal.Portal)(nil)

func (m *model) undoPlanner() UndoPlanner {
	u, _ := m.reassigner().(UndoPlanner)
	return u
}

// refusedUndo reports whether the flow shows an undo plan with contacts
// HubSpot would refuse.
func (f *reassignFlow) refusedUndo() bool {
	return f.plan.UndoOf != 0 && f.plan.RefusedCount() > 0
}

// undoPlanKey handles the undo plan screen's own keys; ok is false for the
// keys every plan screen shares.
func (m *model) undoPlanKey(f *reassignFlow, ks string) (tea.Cmd, bool) {
	if !f.refusedUndo() {
		return nil, false
	}
	switch ks {
	case "o":
		if m.undoPlanner() == nil {
			f.note = "this portal connection cannot give these contacts to another owner"
			return nil, true
		}
		return m.pickOthersOwner(f), true
	case "enter", "y":
		if f.plan.Count() == 0 {
			f.note = "nothing to send: o picks an owner for these contacts, esc leaves them where they are"
			return nil, true
		}
	}
	return nil, false
}

// pickOthersOwner opens the owner picker for the contacts of the undo plan
// on screen that cannot go back.
func (m *model) pickOthersOwner(f *reassignFlow) tea.Cmd {
	f.othersFor = f.plan.UndoOf
	f.stage, f.filter, f.cursor, f.note, f.moved = rsPick, "", 0, "", false
	if f.loaded {
		return nil
	}
	r, ctx := m.reassigner(), m.ctx
	return func() tea.Msg {
		owners, err := r.AssignableOwners(ctx, "")
		return reassignOwnersMsg{flow: f, owners: owners, err: err}
	}
}

// othersPickKey handles the picker's esc when it places an undo's refused
// contacts: back to the undo plan as it was; ok is false otherwise.
func (m *model) othersPickKey(f *reassignFlow, ks string) bool {
	if f.othersFor == 0 || ks != "esc" || f.filter != "" {
		return false
	}
	f.stage, f.othersFor, f.note = rsPlan, 0, ""
	return true
}

// planUndoOthers plans the undo again with to taking the refused contacts.
func (m *model) planUndoOthers(f *reassignFlow, to string) tea.Cmd {
	f.stage, f.picked = rsPlanning, true
	u, ctx, job := m.undoPlanner(), m.ctx, f.othersFor
	return func() tea.Msg {
		plan, err := u.PlanUndoWith(ctx, job, portal.UndoOptions{OthersTo: to})
		return reassignPlanMsg{flow: f, plan: plan, err: err}
	}
}

// refusedLines list, on the undo plan screen, the previous owners HubSpot
// refuses and where their contacts go.
func (m *model) refusedLines(f *reassignFlow, inner int) []string {
	if !f.refusedUndo() {
		return nil
	}
	p := f.plan
	out := []string{"", m.st.warn.Render(fmt.Sprintf("%s cannot go back: HubSpot refuses their previous owner", portal.Plural(p.RefusedCount(), "contact")))}
	for _, r := range p.Refused {
		out = append(out, fmt.Sprintf("was   %6s  %s", portal.Thousands(r.Count), ownerLabel(r.Owner)))
	}
	where := "they stay where they are: nothing is sent for them"
	if p.OthersTo.ID != "" {
		where = "they go to " + ownerLabel(p.OthersTo) + " instead"
	}
	return append(out, wrapLines(where, inner)...)
}

// undoAsk is the plan screen's last line for an undo with refused contacts.
func (m *model) undoAsk(f *reassignFlow) string {
	if f.plan.Count() == 0 {
		return "o picks an owner for them · esc leaves them where they are"
	}
	if f.plan.OthersTo.ID != "" {
		return "enter or y runs it · o picks another owner for them · esc cancels"
	}
	return "enter or y runs it, leaving them · o picks an owner for them · esc cancels"
}
