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

// ReassignRequest says which records to give to whom. The contact criteria
// combine: Contacts alone, or From, Finding and Filter together; From alone
// hands over everything the owner holds, every type and owner property,
// unless Objects and Properties narrow it. Records (marked, of any type)
// may come with From, which then names the owner whose ID is replaced.
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

	// Objects are the object types to hand over; nil means every type the
	// token can write that the mirror knows, contacts included (with
	// Contacts or Records alone: the types of those records).
	Objects []hubspot.ObjectType
	// Properties are the owner properties to change, by name; nil means
	// hubspot_owner_id plus every custom owner property that holds the
	// source owner (with no source owner: hubspot_owner_id alone).
	Properties []string
	// Records are marked records of any type, contacts included.
	Records []RecordRef
	// WithRelated also moves, for every company moved, its open deals and
	// tickets and its contacts that the same source owner holds, as the
	// mirror's associations say.
	WithRelated bool
	// SkipClosedDeals leaves closed deals out; they are included by default.
	SkipClosedDeals bool
	// DropRefusedOwners takes deactivated or unknown owner IDs out of the
	// multi-select values the plan changes. HubSpot refuses a whole value
	// that holds one, so without it such values are left out of the plan
	// (RefusedValues counts them).
	DropRefusedOwners bool
}

// RecordRef is one record of any object type.
type RecordRef = hubspot.RecordRef

// ReassignItem is one owner property of one record of a plan: most often
// a contact's hubspot_owner_id. From and To are the owner IDs it replaces
// and sets; Before and After the property's whole value (for a
// multi-select, the ";"-joined IDs with only From replaced by To, the
// others kept in place).
type ReassignItem struct {
	ContactID hubspot.ContactID // set for contacts; RecordID holds it too
	Name      string
	Email     string
	From      hubspot.OwnerID // "" when the record has no owner
	To        hubspot.OwnerID

	Type     hubspot.ObjectType // "" reads as contacts
	RecordID hubspot.RecordID   // "" reads as ContactID
	Property string             // "" reads as hubspot_owner_id
	Multi    bool               // a multi-select owner property
	Before   string             // the property's value as planned ("" reads as From)
	After    string             // the value asked for ("" reads as To)
	Related  bool               // in the plan through WithRelated, not the selection
	Closed   bool               // a closed deal or ticket
	// Drop are the IDs of a multi-select value the write also takes out
	// (deactivated or unknown owners), with DropRefusedOwners.
	Drop []hubspot.OwnerID
}

// PropertyCount is how many items of a plan change one owner property of
// one object type.
type PropertyCount struct {
	Type      hubspot.ObjectType `json:"type"`
	TypeLabel string             `json:"typeLabel"` // plural, e.g. "Deals"
	Property  string             `json:"property"`
	Label     string             `json:"label"` // e.g. "Deal owner"
	Count     int                `json:"count"`
}

// TypeCount is how many records of one object type a plan changes.
type TypeCount struct {
	Type     hubspot.ObjectType `json:"type"`
	Singular string             `json:"singular"`
	Plural   string             `json:"plural"`
	Records  int                `json:"records"`
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

	// PerProperty counts the items per (type, owner property), in the
	// mirror's type and property order; PerType the records per type.
	PerProperty []PropertyCount
	PerType     []TypeCount
	// Related counts, per (type, property), the items that came in through
	// WithRelated rather than the selection itself.
	Related []PropertyCount
	// ClosedDeals is how many closed deals the plan changes;
	// ClosedDealsLeftOut how many SkipClosedDeals left out.
	ClosedDeals        int
	ClosedDealsLeftOut int
	// RefusedValues counts the multi-select values that also hold a
	// deactivated or unknown owner ID: left out of the plan, or (with
	// DropRefusedOwners) changed with those IDs taken out.
	RefusedValues int
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
	if !p.contactsOnly() {
		return fmt.Sprintf("Give %s of %s (%s) to %s", Plural(p.Records(), "record"), from, p.typeCounts(), p.To.Label())
	}
	return fmt.Sprintf("Reassign %s from %s to %s", Plural(len(p.Items), "contact"), from, p.To.Label())
}

// choiceNotes say what the plan's choices added or left out.
func (p ReassignPlan) choiceNotes(req ReassignRequest) []string {
	var notes []string
	if req.WithRelated {
		n := 0
		for _, c := range p.Related {
			n += c.Count
		}
		notes = append(notes, fmt.Sprintf("with related records: %s of the companies' open deals and tickets and their contacts come too", Plural(n, "change")))
	}
	switch {
	case p.ClosedDealsLeftOut > 0:
		notes = append(notes, fmt.Sprintf("%s left out (--skip-closed-deals)", Plural(p.ClosedDealsLeftOut, "closed deal")))
	case p.ClosedDeals > 0:
		notes = append(notes, fmt.Sprintf("%s included (leave them out with --skip-closed-deals)", Plural(p.ClosedDeals, "closed deal")))
	}
	return notes
}

// PlanReassign works out, from the mirror alone, which records and owner
// properties a reassignment changes (see ReassignRequest). Typed owners are resolved first: a user ID or
// hs_internal_user_id becomes that person's owner ID with a note saying so;
// an ambiguous number is an *AmbiguousOwnerError; an unknown value, an
// archived or ownerless target, a record ID the mirror does not hold, or an
// unknown type or property (with the nearest name) is an error. Nothing is
// written.
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

	if req.From == "" && req.Finding == "" && strings.TrimSpace(req.Filter) == "" && len(req.Contacts) == 0 && len(req.Records) == 0 {
		return ReassignPlan{}, errors.New("say which contacts: contact IDs, an owner's contacts, a finding, or a filter (or records of any type, marked)")
	}
	var source *OwnerReading
	if req.From != "" {
		from, err := p.resolveSource(ctx, req.From)
		if err != nil {
			return ReassignPlan{}, err
		}
		if from.Note != "" {
			plan.Notes = append(plan.Notes, from.Note)
		}
		if from.Owner.ID == plan.To.ID {
			return ReassignPlan{}, fmt.Errorf("the contacts already belong to %s", from.Owner.Label())
		}
		source = &from
	}
	sc, err := p.scopeOf(ctx, req, &plan)
	if err != nil {
		return ReassignPlan{}, err
	}
	if source != nil {
		sc.source = source.Owner.ID
	}
	if plan.Items, err = p.planItems(ctx, req, sc, source, &plan); err != nil {
		return ReassignPlan{}, err
	}
	sources := map[hubspot.OwnerID]int{}
	for _, it := range plan.Items {
		sources[it.From]++
	}
	countPlan(sc.known, &plan)
	if plan.Sources, err = p.ownerCounts(ctx, sources); err != nil {
		return ReassignPlan{}, err
	}
	if len(plan.Items) > 0 {
		plan.Targets = []OwnerCount{{Owner: plan.To, Count: len(plan.Items)}}
	}
	if plan.Unchanged > 0 {
		what := "contact"
		if !plan.contactsOnly() || len(sc.types) > 1 {
			what = "record"
		}
		plan.Notes = append(plan.Notes, fmt.Sprintf("%s already held by %s: left alone", Plural(plan.Unchanged, what), plan.To.Label()))
	}
	plan.Notes = append(plan.Notes, plan.choiceNotes(req)...)
	if plan.To.Queue {
		plan.Notes = append(plan.Notes, plan.To.Label()+" is a queue, not a person")
	}
	return plan, nil
}

// selectForReassign reads the contacts req selects from the mirror; source
// is req.From read.
func (p *Portal) selectForReassign(ctx context.Context, req ReassignRequest, source *OwnerReading, plan *ReassignPlan) ([]store.ContactRow, error) {
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
	if source != nil {
		sel.OwnerID = source.Owner.ID
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
