package portal

import (
	"context"
	"fmt"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// reassignRequest is the reassignment that hands over what owner still
// holds of the job's types, through every owner property, to the job's
// new owner.
func (h offboardJob) reassignRequest(owner hubspot.OwnerID) ReassignRequest {
	req := ReassignRequest{From: "owner:" + string(owner), To: "owner:" + string(h.To.ID), DropRefusedOwners: h.DropRefused}
	for _, o := range h.Objects {
		req.Objects = append(req.Objects, hubspot.ObjectType(o))
	}
	return req
}

// reassignable reports whether the hand-over covers holding x: every type
// and owner property (the reassignment engine plans what the token can
// write; what it cannot select stays held and fails the step, named).
func reassignable(store.Holding) bool { return true }

// readRefusedValues plans the hand-over as step 1 will and says in the
// report how many of the person's multi-select values also hold a
// deactivated or unknown owner ID (HubSpot refuses a value holding one),
// which the hand-over takes out with the person's own ID.
func (p *Portal) readRefusedValues(ctx context.Context, r *OffboardReport) error {
	if r.To.ID == "" || r.Person.OwnerID == "" || r.HandoverCount() == 0 {
		return nil
	}
	head := offboardJob{To: r.To, Objects: r.Objects, DropRefused: r.DropRefusedOwners}
	plan, err := p.PlanReassign(ctx, head.reassignRequest(r.Person.OwnerID))
	if err != nil {
		return fmt.Errorf("cannot plan the hand-over: %w", err)
	}
	if plan.RefusedValues == 0 {
		return nil
	}
	hold := "hold"
	if plan.RefusedValues == 1 {
		hold = "holds"
	}
	what := Plural(plan.RefusedValues, "multi-select owner value") + " of theirs also " + hold + " a deactivated or unknown owner ID, which HubSpot refuses in a write"
	if !r.DropRefusedOwners {
		r.Blockers = append(r.Blockers, Blocker{What: what + ", so the hand-over cannot move them", Do: "remove those IDs in HubSpot first (hsadmin findings lists them)"})
		return nil
	}
	r.Notes = append(r.Notes, what+": the hand-over takes those IDs out")
	return nil
}
