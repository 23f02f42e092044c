package portal

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// itemKey is one owner property of one record: a plan holds each once.
type itemKey struct {
	t    hubspot.ObjectType
	id   hubspot.RecordID
	prop string
}

func keyOf(it ReassignItem) itemKey { return itemKey{it.ObjectType(), it.Record(), it.PropertyName()} }

// planItems collects the items of a request across its types: contacts'
// hubspot_owner_id as contacts always were, every other owner property
// from record_owners, then the related records of companies when asked.
func (p *Portal) planItems(ctx context.Context, req ReassignRequest, sc reassignScope, source *OwnerReading, plan *ReassignPlan) ([]ReassignItem, error) {
	var items []ReassignItem
	closedDeals, leftOut := map[hubspot.RecordID]bool{}, map[hubspot.RecordID]bool{}
	for _, t := range sc.types {
		props := sc.propertiesOf(t)
		if t.Type == hubspot.ObjectContacts && slices.ContainsFunc(props, isOwnerID) && contactSelection(req) {
			rows, err := p.contactOwnerRows(ctx, req, source, plan)
			if err != nil {
				return nil, err
			}
			for _, c := range rows {
				if c.OwnerID == plan.To.ID {
					plan.Unchanged++
					continue
				}
				items = append(items, ReassignItem{ContactID: c.ContactID, Name: c.Name, Email: c.Email, From: c.OwnerID, To: plan.To.ID,
					Before: string(c.OwnerID), After: string(plan.To.ID)})
			}
		}
		if t.Type == hubspot.ObjectContacts {
			props = slices.DeleteFunc(slices.Clone(props), isOwnerID)
		}
		if len(props) == 0 {
			continue
		}
		vals, err := p.ownerValues(ctx, req, sc, t, props)
		if err != nil {
			return nil, err
		}
		for _, v := range vals {
			if t.Type == hubspot.ObjectDeals && v.Closed {
				if req.SkipClosedDeals {
					leftOut[v.ID] = true
					continue
				}
			}
			it, ok := valueItem(t, propertyOf(t, v.Property), v, sc.source, plan)
			if !ok {
				continue
			}
			if t.Type == hubspot.ObjectDeals && v.Closed {
				closedDeals[v.ID] = true
			}
			items = append(items, it)
		}
	}
	plan.ClosedDeals, plan.ClosedDealsLeftOut = len(closedDeals), len(leftOut)
	if req.WithRelated {
		related, err := p.relatedItems(ctx, sc, items, plan)
		if err != nil {
			return nil, err
		}
		items = append(items, related...)
	}
	items, err := p.leaveRefusedValues(ctx, items, plan, req.DropRefusedOwners)
	if err != nil {
		return nil, err
	}
	sortItems(sc.known, items)
	return items, nil
}

// leaveRefusedValues leaves out the multi-select values that would still
// hold, beside the new owner, an ID HubSpot refuses in a write (a
// deactivated owner, an ID matching no owner): HubSpot checks every ID of
// the value written, so the write would fail. A note says how many, per
// property, and what to do. With drop, the refused IDs are taken out of
// the value instead, and the note says so.
func (p *Portal) leaveRefusedValues(ctx context.Context, items []ReassignItem, plan *ReassignPlan, drop bool) ([]ReassignItem, error) {
	refs := map[hubspot.OwnerID]bool{} // owner ID → HubSpot takes it
	takes := func(id hubspot.OwnerID) (bool, error) {
		ok, seen := refs[id]
		if !seen {
			ref, err := p.ownerRef(ctx, id)
			if err != nil {
				return false, err
			}
			ok = holdsRecords(ref)
			refs[id] = ok
		}
		return ok, nil
	}
	left := map[string]int{}
	var order []string
	out := items[:0]
	for _, it := range items {
		if it.Multi {
			ids := store.SplitOwnerIDs(it.After, true)
			var refused []hubspot.OwnerID
			for _, id := range ids {
				ok, err := takes(id)
				if err != nil {
					return nil, err
				}
				if !ok {
					refused = append(refused, id)
				}
			}
			if len(refused) > 0 {
				name := strings.ToLower(TypeSingular(it.ObjectType())) + " " + it.PropertyName()
				if left[name] == 0 {
					order = append(order, name)
				}
				left[name]++
				plan.RefusedValues++
				if !drop {
					continue
				}
				it.Drop, it.After = refused, store.JoinOwnerIDs(dropOwners(ids, refused))
			}
		}
		out = append(out, it)
	}
	for _, name := range order {
		if drop {
			plan.Notes = append(plan.Notes, fmt.Sprintf("%s also held a deactivated or unknown owner ID, which HubSpot refuses in a write: taken out with the hand-over",
				Plural(left[name], name+" value")))
			continue
		}
		plan.Notes = append(plan.Notes, fmt.Sprintf("%s left out: the value also holds a deactivated or unknown owner ID, which HubSpot refuses in a write; take those IDs out with the hand-over (--drop-refused-owners) or remove them in HubSpot first (see hsadmin findings)",
			Plural(left[name], name+" value")))
	}
	return out, nil
}

func isOwnerID(op hubspot.OwnerProperty) bool { return op.Name == hubspot.PropOwnerID }

// contactSelection reports whether the request selects contacts for their
// hubspot_owner_id at all.
func contactSelection(req ReassignRequest) bool {
	return len(req.Contacts) > 0 || req.From != "" || req.Finding != "" || strings.TrimSpace(req.Filter) != "" ||
		slices.ContainsFunc(req.Records, func(r RecordRef) bool { return r.Type == hubspot.ObjectContacts })
}

// contactOwnerRows are the contacts whose hubspot_owner_id changes: those
// selected as always, or the marked ones (of the source owner, when one is
// named).
func (p *Portal) contactOwnerRows(ctx context.Context, req ReassignRequest, source *OwnerReading, plan *ReassignPlan) ([]store.ContactRow, error) {
	marked := markedOf(req, hubspot.ObjectContacts)
	if len(req.Records) == 0 || len(marked) == 0 {
		if len(req.Records) > 0 && len(req.Contacts) == 0 && req.From == "" {
			return nil, nil // records of other types marked, no contacts
		}
		return p.selectForReassign(ctx, req, source, plan)
	}
	ids := make([]hubspot.ContactID, len(marked))
	for i, id := range marked {
		ids[i] = hubspot.ContactID(id)
	}
	rows, missing, err := p.mirror.ContactsByID(ctx, dedupe(ids))
	if err != nil {
		return nil, err
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("the local mirror holds no contact %s; check the IDs, or sync if they are new", joinIDs(missing, 5))
	}
	if source != nil {
		rows = slices.DeleteFunc(rows, func(c store.ContactRow) bool { return c.OwnerID != source.Owner.ID })
	}
	return rows, nil
}

// markedOf are the marked records of type t (contacts: Contacts too).
func markedOf(req ReassignRequest, t hubspot.ObjectType) []hubspot.RecordID {
	var out []hubspot.RecordID
	if t == hubspot.ObjectContacts {
		for _, c := range req.Contacts {
			out = append(out, hubspot.RecordID(c))
		}
	}
	for _, r := range req.Records {
		if r.Type == t {
			out = append(out, r.ID)
		}
	}
	return dedupe(out)
}

// ownerValues reads the values of type t's properties props a request
// selects: the marked records' (each must be in the mirror), or every
// value holding the source owner; filtered by name or ID when asked.
func (p *Portal) ownerValues(ctx context.Context, req ReassignRequest, sc reassignScope, t store.ObjectTypeInfo, props []hubspot.OwnerProperty) ([]store.OwnerValue, error) {
	names := make([]string, len(props))
	for i, op := range props {
		names[i] = op.Name
	}
	var vals []store.OwnerValue
	var err error
	switch marked := markedOf(req, t.Type); {
	case len(marked) > 0:
		if vals, err = p.markedValues(ctx, t, marked, props); err != nil {
			return nil, err
		}
	case sc.source != "":
		if vals, err = p.mirror.OwnerValues(ctx, t.Type, sc.source, names); err != nil {
			return nil, err
		}
	default:
		return nil, nil
	}
	if f := strings.ToLower(strings.TrimSpace(req.Filter)); f != "" && t.Type != hubspot.ObjectContacts {
		vals = slices.DeleteFunc(vals, func(v store.OwnerValue) bool {
			return !strings.Contains(strings.ToLower(v.Name), f) && !strings.Contains(string(v.ID), f)
		})
	}
	return vals, nil
}

// markedValues are the values of marked records of type t, an empty one
// standing for a single-select property the record holds no owner in.
func (p *Portal) markedValues(ctx context.Context, t store.ObjectTypeInfo, ids []hubspot.RecordID, props []hubspot.OwnerProperty) ([]store.OwnerValue, error) {
	names := make([]string, len(props))
	for i, op := range props {
		names[i] = op.Name
	}
	vals, err := p.mirror.OwnerValuesOf(ctx, t.Type, ids, names)
	if err != nil {
		return nil, err
	}
	have := map[itemKey]bool{}
	for _, v := range vals {
		have[itemKey{t.Type, v.ID, v.Property}] = true
	}
	var missing []hubspot.RecordID
	for _, id := range ids {
		rec, err := p.mirror.Record(ctx, t.Type, id)
		if t.Type != hubspot.ObjectContacts && err != nil {
			missing = append(missing, id)
			continue
		}
		for _, op := range props {
			if !op.Multi && !have[itemKey{t.Type, id, op.Name}] {
				vals = append(vals, store.OwnerValue{Type: t.Type, ID: id, Name: rec.Name, Closed: rec.Closed, Property: op.Name})
			}
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("the local mirror holds no %s %s; check the IDs, or sync if they are new", strings.ToLower(t.Singular), joinIDs(missing, 5))
	}
	return vals, nil
}

// propertyOf is type t's owner property name.
func propertyOf(t store.ObjectTypeInfo, name string) hubspot.OwnerProperty {
	for _, op := range t.OwnerProperties {
		if op.Name == name {
			return op
		}
	}
	return hubspot.OwnerProperty{Name: name, Label: name}
}

// valueItem is the item that hands value v over to the plan's new owner:
// a single-select's owner replaced (the source's only, when one is named),
// a multi-select's source owner replaced in place.
func valueItem(t store.ObjectTypeInfo, op hubspot.OwnerProperty, v store.OwnerValue, source hubspot.OwnerID, plan *ReassignPlan) (ReassignItem, bool) {
	it := ReassignItem{Type: t.Type, RecordID: v.ID, Property: op.Name, Multi: op.Multi, Name: v.Name, To: plan.To.ID, Before: v.Value(), Closed: v.Closed}
	if t.Type == hubspot.ObjectContacts {
		it.ContactID = hubspot.ContactID(v.ID)
	}
	if op.Multi {
		if source == "" || !slices.Contains(v.Owners, source) {
			return ReassignItem{}, false // which ID to replace is known only from a source owner
		}
		it.From, it.After = source, replaceOwner(v.Owners, source, plan.To.ID)
		return it, true
	}
	if len(v.Owners) > 0 {
		it.From = v.Owners[0]
	}
	if source != "" && it.From != source {
		return ReassignItem{}, false
	}
	if it.From == plan.To.ID {
		plan.Unchanged++
		return ReassignItem{}, false
	}
	it.After = string(plan.To.ID)
	return it, true
}

// relatedTypes are the types that follow a company with WithRelated, as
// Salesforce's Mass Transfer moves an account's open opportunities and
// cases.
var relatedTypes = []hubspot.ObjectType{hubspot.ObjectDeals, hubspot.ObjectTickets, hubspot.ObjectContacts}

// relatedItems are the open deals and tickets and the contacts associated
// with the plan's companies that the same source owner holds, and that the
// plan does not change already.
func (p *Portal) relatedItems(ctx context.Context, sc reassignScope, items []ReassignItem, plan *ReassignPlan) ([]ReassignItem, error) {
	have := map[itemKey]bool{}
	sources := map[hubspot.RecordID][]hubspot.OwnerID{}
	var companies []hubspot.RecordID
	for _, it := range items {
		have[keyOf(it)] = true
		if it.ObjectType() == hubspot.ObjectCompanies && it.From != "" {
			if _, ok := sources[it.RecordID]; !ok {
				companies = append(companies, it.RecordID)
			}
			if !slices.Contains(sources[it.RecordID], it.From) {
				sources[it.RecordID] = append(sources[it.RecordID], it.From)
			}
		}
	}
	if len(companies) == 0 {
		return nil, nil
	}
	var out []ReassignItem
	for _, rt := range relatedTypes {
		info, ok := sc.info(rt)
		if !ok || p.info.MissingScope(writeScope(rt)) != "" {
			continue
		}
		assoc, err := p.mirror.AssociatedMany(ctx, hubspot.ObjectCompanies, companies, rt)
		if err != nil {
			return nil, err
		}
		held := map[hubspot.RecordID][]hubspot.OwnerID{} // related record → the source owners of its companies
		var ids []hubspot.RecordID
		for _, c := range companies {
			for _, id := range assoc[c] {
				if _, ok := held[id]; !ok {
					ids = append(ids, id)
				}
				for _, s := range sources[c] {
					if !slices.Contains(held[id], s) {
						held[id] = append(held[id], s)
					}
				}
			}
		}
		vals, err := p.relatedValues(ctx, sc, info, ids)
		if err != nil {
			return nil, err
		}
		for _, v := range vals {
			if v.Closed {
				continue // open deals and tickets only
			}
			for _, s := range held[v.ID] {
				it, ok := valueItem(info, propertyOf(info, v.Property), v, s, plan)
				if !ok || have[keyOf(it)] {
					continue
				}
				it.Related = true
				have[keyOf(it)] = true
				out = append(out, it)
				break
			}
		}
	}
	return out, nil
}

// relatedValues are the owner values of related records ids of type t:
// contacts' hubspot_owner_id from their own table.
func (p *Portal) relatedValues(ctx context.Context, sc reassignScope, t store.ObjectTypeInfo, ids []hubspot.RecordID) ([]store.OwnerValue, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	props := sc.propertiesOf(t)
	if len(sc.props) == 0 {
		props = writableOwnerProperties(t) // each changes only where it holds the company's owner
	}
	var names []string
	var vals []store.OwnerValue
	for _, op := range props {
		if t.Type == hubspot.ObjectContacts && op.Name == hubspot.PropOwnerID {
			cids := make([]hubspot.ContactID, len(ids))
			for i, id := range ids {
				cids[i] = hubspot.ContactID(id)
			}
			rows, _, err := p.mirror.ContactsByID(ctx, cids)
			if err != nil {
				return nil, err
			}
			for _, c := range rows {
				v := store.OwnerValue{Type: t.Type, ID: hubspot.RecordID(c.ContactID), Name: c.Name, Property: op.Name}
				if c.OwnerID != "" {
					v.Owners = []hubspot.OwnerID{c.OwnerID}
				}
				vals = append(vals, v)
			}
			continue
		}
		names = append(names, op.Name)
	}
	if len(names) == 0 {
		return vals, nil
	}
	more, err := p.mirror.OwnerValuesOf(ctx, t.Type, ids, names)
	return append(vals, more...), err
}

func writableOwnerProperties(t store.ObjectTypeInfo) []hubspot.OwnerProperty {
	var out []hubspot.OwnerProperty
	for _, op := range t.OwnerProperties {
		if !op.ReadOnly {
			out = append(out, op)
		}
	}
	return out
}

// sortItems orders items by type (the mirror's order), record ID, and
// property (the type's order).
func sortItems(known []store.ObjectTypeInfo, items []ReassignItem) {
	typePos := map[hubspot.ObjectType]int{}
	propPos := map[itemKey]int{}
	for i, t := range known {
		typePos[t.Type] = i
		for j, op := range t.OwnerProperties {
			propPos[itemKey{t: t.Type, prop: op.Name}] = j
		}
	}
	slices.SortStableFunc(items, func(a, b ReassignItem) int {
		ta, tb := a.ObjectType(), b.ObjectType()
		return cmp.Or(cmp.Compare(typePos[ta], typePos[tb]), compareIDs(a.Record(), b.Record()),
			cmp.Compare(propPos[itemKey{t: ta, prop: a.PropertyName()}], propPos[itemKey{t: tb, prop: b.PropertyName()}]))
	})
}

// countPlan fills in the counts per (type, property), per type and of the
// related records.
func countPlan(known []store.ObjectTypeInfo, plan *ReassignPlan) {
	plan.PerProperty, plan.PerType, plan.Related = nil, nil, nil
	label := func(t hubspot.ObjectType, prop string) (string, string) {
		for _, k := range known {
			if k.Type == t {
				return k.Plural, propertyOf(k, prop).Label
			}
		}
		return string(t), prop
	}
	records := map[RecordRef]bool{}
	add := func(list []PropertyCount, it ReassignItem) []PropertyCount {
		t, prop := it.ObjectType(), it.PropertyName()
		for i := range list {
			if list[i].Type == t && list[i].Property == prop {
				list[i].Count++
				return list
			}
		}
		tl, pl := label(t, prop)
		return append(list, PropertyCount{Type: t, TypeLabel: tl, Property: prop, Label: pl, Count: 1})
	}
	for _, it := range plan.Items {
		plan.PerProperty = add(plan.PerProperty, it)
		if it.Related {
			plan.Related = add(plan.Related, it)
		}
		if records[it.Ref()] {
			continue
		}
		records[it.Ref()] = true
		t := it.ObjectType()
		i := slices.IndexFunc(plan.PerType, func(c TypeCount) bool { return c.Type == t })
		if i < 0 {
			c := TypeCount{Type: t, Singular: strings.ToLower(singularOf(t)), Plural: string(t)}
			for _, k := range known {
				if k.Type == t {
					c.Singular, c.Plural = strings.ToLower(k.Singular), strings.ToLower(k.Plural)
				}
			}
			plan.PerType = append(plan.PerType, c)
			i = len(plan.PerType) - 1
		}
		plan.PerType[i].Records++
	}
}

// Records is how many records the plan changes (a record with several
// owner properties changing counts once).
func (p ReassignPlan) Records() int {
	n := 0
	for _, c := range p.PerType {
		n += c.Records
	}
	if n == 0 {
		return len(p.Items)
	}
	return n
}

// contactsOnly reports whether every item is a contact's hubspot_owner_id:
// the plan reads as contacts plans always did.
func (p ReassignPlan) contactsOnly() bool {
	for _, it := range p.Items {
		if !it.contactOwnerItem() {
			return false
		}
	}
	return true
}

// typeCounts is "620 contacts, 300 deals and 4 projects".
func (p ReassignPlan) typeCounts() string {
	parts := make([]string, len(p.PerType))
	for i, c := range p.PerType {
		if c.Records == 1 {
			parts[i] = "1 " + c.Singular
		} else {
			parts[i] = Thousands(c.Records) + " " + c.Plural
		}
	}
	return strings.Join(parts, ", ")
}
