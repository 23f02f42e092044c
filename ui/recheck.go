package ui

import (
	"context"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
)

// PlanRechecker is optionally implemented by a Backend that re-reads a
// plan's records from HubSpot before the admin confirms it, so that what
// is confirmed is true now and not only at the last sync; *portal.Portal
// does. Without it the plan stands as the mirror has it.
type PlanRechecker interface {
	RecheckReassign(ctx context.Context, plan portal.ReassignPlan) (portal.ReassignPlan, error)
}

// recheckPlan is plan as HubSpot has it now, when the backend can say.
func recheckPlan(ctx context.Context, b Backend, plan portal.ReassignPlan) (portal.ReassignPlan, error) {
	if rc, ok := b.(PlanRechecker); ok {
		return rc.RecheckReassign(ctx, plan)
	}
	return plan, nil
}

// planningText is what the dialog says while the plan is worked out.
func (m *model) planningText() string {
	if _, ok := m.b.(PlanRechecker); ok {
		return "planning, then reading the contacts from HubSpot to check that they are still as the mirror has them…"
	}
	return "planning…"
}

// nothingLeft is why a plan changes nothing.
func nothingLeft(plan portal.ReassignPlan) string {
	if plan.Rechecked && len(plan.Notes) > 0 {
		return "nothing to change: " + plan.Notes[len(plan.Notes)-1]
	}
	return "nothing to change: every selected contact already has that owner"
}

// UserRereader is optionally implemented by a Backend that reads users
// again from HubSpot before a team or role change is planned, putting
// into the mirror any whose roles or teams changed since the last sync;
// *portal.Portal does. The notes it returns go into the plan.
type UserRereader interface {
	RereadUsers(ctx context.Context, ids []hubspot.UserID) ([]string, error)
}

func rereadUsers(ctx context.Context, b Backend, ids []hubspot.UserID) ([]string, error) {
	if rr, ok := b.(UserRereader); ok {
		return rr.RereadUsers(ctx, ids)
	}
	return nil, nil
}

// planNotes are a team or role change's notes as plan lines.
func planNotes(pl portal.UserChangePlan) []string {
	out := make([]string, 0, len(pl.Notes)+1)
	for _, n := range pl.Notes {
		out = append(out, "note: "+n)
	}
	if len(out) > 0 {
		out = append(out, "")
	}
	return out
}
