package portal

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// DefaultReassignBatch is how many contacts one batch update carries:
// HubSpot's maximum, so that a job costs as few requests as possible.
const DefaultReassignBatch = 100

// ReassignRequest says which contacts to give to whom. The contact criteria
// combine: Contacts alone, or From, Finding and Filter together.
type ReassignRequest struct {
	Contacts []hubspot.ContactID // exactly these (one, or those marked)
	From     string              // every contact of this owner, typed any way ResolveOwner reads
	Finding  string              // store.FindingContactsArchivedOwner or FindingContactsUnknownOwner
	Filter   string              // only contacts whose name, email or ID contains this
	To       string              // the new owner, typed any way ResolveTarget reads
	// BatchSize is how many contacts a request carries; 0 means the
	// portal's configured batch size, else DefaultReassignBatch, the most
	// HubSpot takes.
	BatchSize int
}

// ReassignItem is one contact of a plan.
type ReassignItem struct {
	ContactID hubspot.ContactID
	Name      string
	Email     string
	From      hubspot.OwnerID // "" when the contact has no owner
	To        hubspot.OwnerID
}

// OwnerCount is how many contacts of a plan an owner holds.
type OwnerCount struct {
	Owner OwnerRef `json:"owner"`
	Count int      `json:"count"`
}

// ReassignPlan is what a reassignment will change, before anything is
// sent. Undo plans are ReassignPlans too, with several targets.
type ReassignPlan struct {
	To        OwnerRef       // the new owner; zero for an undo plan
	Targets   []OwnerCount   // contacts per new owner
	Sources   []OwnerCount   // contacts per previous owner, most first
	Items     []ReassignItem // the contacts that will change, in ID order
	Unchanged int            // selected contacts already held by the new owner, left out
	Notes     []string       // how typed IDs were read, and other things to know
	BatchSize int
	// Verify reads each batch's contacts from HubSpot before writing it and
	// leaves alone any whose owner is no longer the planned previous one.
	// Undo plans verify; a fresh reassignment trusts the just-synced mirror.
	Verify bool
	UndoOf int64 // the job this plan reverses; 0 when none
	// Refused counts, in an undo plan, the contacts whose previous owner
	// HubSpot refuses (deactivated, deleted or unknown), per previous
	// owner; RefusedItems are those contacts. They are in Items only when
	// OthersTo names an owner to take them instead.
	Refused      []OwnerCount
	RefusedItems []ReassignItem
	OthersTo     OwnerRef
	// Rechecked says the items were read from HubSpot just before the
	// confirm (RecheckReassign); the notes say what had changed.
	Rechecked bool
}

// Count is how many contacts the plan changes.
func (p ReassignPlan) Count() int { return len(p.Items) }

// Sample is up to n items for a preview.
func (p ReassignPlan) Sample(n int) []ReassignItem { return p.Items[:min(n, len(p.Items))] }

// Summary is one line for confirmations and the journal.
func (p ReassignPlan) Summary() string {
	if p.UndoOf != 0 {
		return p.undoSummary()
	}
	from := "no owner"
	switch {
	case len(p.Sources) == 1:
		from = p.Sources[0].Owner.Label()
	case len(p.Sources) > 1:
		from = Plural(len(p.Sources), "owner")
	}
	return fmt.Sprintf("Reassign %s from %s to %s", Plural(len(p.Items), "contact"), from, p.To.Label())
}

// PlanReassign works out, from the mirror alone, which contacts a
// reassignment changes. Typed owners are resolved first: a user ID or
// hs_internal_user_id becomes that person's owner ID with a note saying so;
// an ambiguous number is an *AmbiguousOwnerError; an unknown value, an
// archived or ownerless target, or a contact ID the mirror does not hold is
// an error. Nothing is written.
func (p *Portal) PlanReassign(ctx context.Context, req ReassignRequest) (ReassignPlan, error) {
	plan := ReassignPlan{BatchSize: req.BatchSize}
	if plan.BatchSize <= 0 {
		plan.BatchSize = pageSize(p.pages.Batch, DefaultReassignBatch)
	}
	if plan.BatchSize > DefaultReassignBatch {
		return ReassignPlan{}, fmt.Errorf("a batch carries at most %d contacts (HubSpot's limit), not %d", DefaultReassignBatch, plan.BatchSize)
	}
	if strings.TrimSpace(req.To) == "" {
		return ReassignPlan{}, errors.New("say who gets the contacts: an owner ID, user ID or email")
	}
	target, err := p.ResolveTarget(ctx, req.To)
	if err != nil {
		return ReassignPlan{}, err
	}
	plan.To = target.Owner
	if target.Note != "" {
		plan.Notes = append(plan.Notes, target.Note)
	}

	rows, err := p.selectForReassign(ctx, req, &plan)
	if err != nil {
		return ReassignPlan{}, err
	}
	sources := map[hubspot.OwnerID]int{}
	for _, c := range rows {
		if c.OwnerID == plan.To.ID {
			plan.Unchanged++
			continue
		}
		plan.Items = append(plan.Items, ReassignItem{ContactID: c.ContactID, Name: c.Name, Email: c.Email, From: c.OwnerID, To: plan.To.ID})
		sources[c.OwnerID]++
	}
	if plan.Sources, err = p.ownerCounts(ctx, sources); err != nil {
		return ReassignPlan{}, err
	}
	if len(plan.Items) > 0 {
		plan.Targets = []OwnerCount{{Owner: plan.To, Count: len(plan.Items)}}
	}
	if plan.Unchanged > 0 {
		plan.Notes = append(plan.Notes, fmt.Sprintf("%s already held by %s: left alone", Plural(plan.Unchanged, "contact"), plan.To.Label()))
	}
	if plan.To.Queue {
		plan.Notes = append(plan.Notes, plan.To.Label()+" is a queue, not a person")
	}
	return plan, nil
}

// selectForReassign reads the contacts req selects from the mirror.
func (p *Portal) selectForReassign(ctx context.Context, req ReassignRequest, plan *ReassignPlan) ([]store.ContactRow, error) {
	if len(req.Contacts) > 0 {
		if req.From != "" || req.Finding != "" || req.Filter != "" {
			return nil, errors.New("give either contact IDs or a selection (from an owner, a finding, a filter), not both")
		}
		found, missing, err := p.mirror.ContactsByID(ctx, dedupe(req.Contacts))
		if err != nil {
			return nil, err
		}
		if len(missing) > 0 {
			return nil, fmt.Errorf("the local mirror holds no contact %s; check the IDs, or sync if they are new", joinIDs(missing, 5))
		}
		return found, nil
	}
	sel := store.ContactSelection{Filter: req.Filter}
	switch req.Finding {
	case "":
	case store.FindingContactsArchivedOwner:
		sel.ArchivedOwner = true
	case store.FindingContactsUnknownOwner:
		sel.UnknownOwner = true
	default:
		return nil, fmt.Errorf("finding %q does not select contacts; use %s or %s", req.Finding, store.FindingContactsArchivedOwner, store.FindingContactsUnknownOwner)
	}
	if req.From != "" {
		from, err := p.resolveSource(ctx, req.From)
		if err != nil {
			return nil, err
		}
		if from.Note != "" {
			plan.Notes = append(plan.Notes, from.Note)
		}
		if from.Owner.ID == plan.To.ID {
			return nil, fmt.Errorf("the contacts already belong to %s", from.Owner.Label())
		}
		sel.OwnerID = from.Owner.ID
	}
	if req.From == "" && req.Finding == "" && strings.TrimSpace(req.Filter) == "" {
		return nil, errors.New("say which contacts: contact IDs, an owner's contacts, a finding, or a filter")
	}
	return p.mirror.SelectContacts(ctx, sel)
}

// resolveSource reads a typed previous owner: archived owners are welcome
// (the departed employee), and so is a number that matches no owner but
// that contacts hold (a user ID written by mistake).
func (p *Portal) resolveSource(ctx context.Context, input string) (OwnerReading, error) {
	r, err := p.ResolveOwner(ctx, input)
	if err == nil || !errors.Is(err, ErrUnknownOwner) {
		return r, err
	}
	value := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(input), "owner:"))
	if !hubspot.IsNumeric(value) {
		return OwnerReading{}, err
	}
	n, cerr := p.mirror.CountContacts(ctx, store.Query{OwnerID: hubspot.OwnerID(value)})
	if cerr != nil {
		return OwnerReading{}, cerr
	}
	if n == 0 {
		return OwnerReading{}, err
	}
	ref := OwnerRef{ID: hubspot.OwnerID(value), Unknown: true}
	return OwnerReading{Scheme: store.SchemeOwnerID, Owner: ref,
		Note: fmt.Sprintf("%s matches no owner, but %s hold it as hubspot_owner_id", value, Plural(n, "contact"))}, nil
}

// ownerCounts turns per-owner counts into described owners, most first.
func (p *Portal) ownerCounts(ctx context.Context, counts map[hubspot.OwnerID]int) ([]OwnerCount, error) {
	out := make([]OwnerCount, 0, len(counts))
	for id, n := range counts {
		ref, err := p.ownerRef(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, OwnerCount{Owner: ref, Count: n})
	}
	slices.SortFunc(out, func(a, b OwnerCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(string(a.Owner.ID), string(b.Owner.ID))
	})
	return out, nil
}

func dedupe[T comparable](in []T) []T {
	seen := make(map[T]bool, len(in))
	out := make([]T, 0, len(in))
	for _, v := range in {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

func joinIDs[T ~string](ids []T, ceiling int) string {
	parts := make([]string, 0, min(len(ids), ceiling))
	for _, id := range ids[:min(len(ids), ceiling)] {
		parts = append(parts, string(id))
	}
	s := strings.Join(parts, ", ")
	if len(ids) > ceiling {
		s += fmt.Sprintf(" and %d more", len(ids)-ceiling)
	}
	return s
}
