package portal

import (
	"context"
	"fmt"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// A plan comes from the mirror, which may be minutes or hours old: while
// the admin reads it, a colleague may have taken some of the contacts, or
// HubSpot may have merged or deleted them. Before the admin confirms, the
// console re-reads the plan's contacts from HubSpot (batch reads, which a
// read-only portal sends too) so that what is confirmed is what is true
// now: contacts that changed are left out, and the plan's notes (which go
// to the journal with the job) say how many and why. The mirror learns the
// owners HubSpot gave.

// RecheckLimit is the most contacts a recheck reads before the confirm:
// 20 batch reads. A larger plan is verified batch by batch as the job runs
// instead (ReassignPlan.Verify), which leaves alone, and journals, any
// contact whose owner changed since the plan.
const RecheckLimit = 2000

// RecheckReassign re-reads plan's contacts from HubSpot and returns the
// plan as it stands now. An undo plan, or one too large, comes back as it
// was, verifying as the job runs.
func (p *Portal) RecheckReassign(ctx context.Context, plan ReassignPlan) (ReassignPlan, error) {
	if plan.UndoOf != 0 || len(plan.Items) == 0 {
		return plan, nil
	}
	if len(plan.Items) > RecheckLimit {
		plan.Verify = true
		plan.Notes = append(plan.Notes, fmt.Sprintf("%s: each batch is checked against HubSpot just before it is written, and a contact whose owner changed since the last sync is left alone",
			Plural(len(plan.Items), "contact")))
		return plan, nil
	}
	now, err := p.readOwners(ctx, plan.Items, plan.BatchSize)
	if err != nil {
		return ReassignPlan{}, fmt.Errorf("checking the plan's contacts against HubSpot: %w", err)
	}
	plan.Rechecked = true
	return p.replan(ctx, plan, now)
}

// ownerNow is what HubSpot says of a planned contact.
type ownerNow struct {
	owner  hubspot.OwnerID
	gone   bool // not returned: deleted, or merged into another contact
	merged bool
}

// readOwners batch-reads the items' owners, batch contacts at a time.
func (p *Portal) readOwners(ctx context.Context, items []ReassignItem, batch int) (map[hubspot.ContactID]ownerNow, error) {
	batch = min(max(batch, 1), DefaultReassignBatch)
	out := make(map[hubspot.ContactID]ownerNow, len(items))
	for start := 0; start < len(items); start += batch {
		ids := make([]hubspot.ContactID, 0, batch)
		for _, it := range items[start:min(start+batch, len(items))] {
			ids = append(ids, it.ContactID)
		}
		res, err := p.client.BatchReadContacts(ctx, ids, []string{hubspot.PropOwnerID, hubspot.PropMergedObjectIDs})
		if err != nil {
			return nil, err
		}
		for _, c := range res.Results {
			out[c.ID] = ownerNow{owner: c.OwnerID()}
		}
		survivors := hubspot.Survivors(ids, res.Results)
		for _, id := range ids {
			if _, ok := out[id]; !ok {
				_, merged := survivors[id]
				out[id] = ownerNow{gone: true, merged: merged}
			}
		}
	}
	return out, nil
}

// replan keeps the items whose owner is still the planned previous one and
// says what became of the others.
func (p *Portal) replan(ctx context.Context, plan ReassignPlan, now map[hubspot.ContactID]ownerNow) (ReassignPlan, error) {
	var kept []ReassignItem
	var already, changed, merged, gone int
	var fresh []store.ContactOwner
	sources := map[hubspot.OwnerID]int{}
	for _, it := range plan.Items {
		n := now[it.ContactID]
		switch {
		case n.merged:
			merged++
		case n.gone:
			gone++
		case n.owner == it.To:
			already++
			fresh = append(fresh, store.ContactOwner{ContactID: it.ContactID, OwnerID: n.owner})
		case n.owner != it.From:
			changed++
			fresh = append(fresh, store.ContactOwner{ContactID: it.ContactID, OwnerID: n.owner})
		default:
			kept = append(kept, it)
			sources[it.From]++
		}
	}
	if len(fresh) > 0 {
		// The mirror shows what HubSpot has; a failure here only leaves it
		// as stale as it was.
		_ = p.mirror.SetContactOwners(ctx, fresh)
	}
	var notes []string
	if already > 0 {
		notes = append(notes, fmt.Sprintf("%s moved to %s in HubSpot since the last sync: left out", Plural(already, "contact"), plan.To.Label()))
		plan.Unchanged += already
	}
	if changed > 0 {
		notes = append(notes, fmt.Sprintf("%s changed owner in HubSpot since the last sync: left out, to keep the new owner", Plural(changed, "contact")))
	}
	if merged > 0 {
		notes = append(notes, fmt.Sprintf("%s merged into another since the last sync: left out (sync, then plan again)", Plural(merged, "contact")))
	}
	if gone > 0 {
		notes = append(notes, fmt.Sprintf("%s deleted in HubSpot since the last sync: left out", Plural(gone, "contact")))
	}
	if len(notes) == 0 {
		notes = append(notes, fmt.Sprintf("checked against HubSpot just now: all %s still as planned", Plural(len(plan.Items), "contact")))
	}
	plan.Notes = append(plan.Notes, notes...)
	plan.Items = kept
	var err error
	if plan.Sources, err = p.ownerCounts(ctx, sources); err != nil {
		return ReassignPlan{}, err
	}
	plan.Targets = nil
	if len(kept) > 0 {
		plan.Targets = []OwnerCount{{Owner: plan.To, Count: len(kept)}}
	}
	return plan, nil
}
