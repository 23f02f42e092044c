package portal

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// A reassignment's journal items are one per (type, record, owner
// property). A contact's hubspot_owner_id, the common case, keeps the
// journal's first format: subject_id the contact ID, before and after
// {"hubspot_owner_id": "…"}. Any other item's subject is "TYPE:ID" (its
// hubspot_owner_id) or "TYPE:ID:PROPERTY", and a property other than
// hubspot_owner_id journals its whole value and the one owner ID of it the
// item replaces: {"value": "1;2", "owner": "1", "multi": true}.

// itemSubject is an item's journal subject.
func itemSubject(t hubspot.ObjectType, id hubspot.RecordID, prop string) string {
	switch {
	case t == hubspot.ObjectContacts && prop == hubspot.PropOwnerID:
		return string(id)
	case prop == hubspot.PropOwnerID:
		return string(t) + ":" + string(id)
	}
	return string(t) + ":" + string(id) + ":" + prop
}

// parseSubject reads itemSubject back; a bare ID is a contact's
// hubspot_owner_id (every journal before other types).
func parseSubject(s string) (hubspot.ObjectType, hubspot.RecordID, string) {
	parts := strings.SplitN(s, ":", 3)
	switch len(parts) {
	case 1:
		return hubspot.ObjectContacts, hubspot.RecordID(s), hubspot.PropOwnerID
	case 2:
		return hubspot.ObjectType(parts[0]), hubspot.RecordID(parts[1]), hubspot.PropOwnerID
	}
	return hubspot.ObjectType(parts[0]), hubspot.RecordID(parts[1]), parts[2]
}

// itemValue is an item's before or after in the journal.
type itemValue struct {
	OwnerID *hubspot.OwnerID `json:"hubspot_owner_id,omitempty"` // hubspot_owner_id's value
	Value   *string          `json:"value,omitempty"`            // another owner property's whole value
	Owner   *hubspot.OwnerID `json:"owner,omitempty"`            // ... and the owner ID of it the item replaces or sets
	Multi   bool             `json:"multi,omitempty"`
	// Drop, in an after value, are the IDs of a multi-select the item also
	// takes out: deactivated or unknown owners HubSpot refuses in a write
	// (ReassignRequest.DropRefusedOwners).
	Drop []hubspot.OwnerID `json:"drop,omitempty"`
}

func encodeValue(prop string, owner hubspot.OwnerID, value string, multi bool, drop ...hubspot.OwnerID) json.RawMessage {
	v := itemValue{OwnerID: &owner}
	if prop != hubspot.PropOwnerID {
		v = itemValue{Value: &value, Owner: &owner, Multi: multi, Drop: drop}
	}
	b, _ := json.Marshal(v)
	return b
}

// decodeValue reads an item value: the owner ID and the property's value.
func decodeValue(raw json.RawMessage) (owner hubspot.OwnerID, value string, multi bool, err error) {
	var v itemValue
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", "", false, err
	}
	switch {
	case v.OwnerID != nil:
		return *v.OwnerID, string(*v.OwnerID), false, nil
	case v.Owner != nil && v.Value != nil:
		return *v.Owner, *v.Value, v.Multi, nil
	}
	return "", "", false, fmt.Errorf("no owner in %s", raw)
}

// verdict is what a record's current value means for an item.
type verdict int

const (
	verdictSend    verdict = iota // it still holds the owner to replace: write
	verdictDone                   // it already holds the new owner: nothing to write
	verdictChanged                // someone changed it since the plan: leave it alone
)

// judge compares the property's current value with the item: for a
// multi-select, only whether the owner to replace is still in it matters
// (others may have been added meanwhile), and the value to write replaces
// that ID alone, in place.
func (it jobItem) judge(cur string) (verdict, string) {
	if !it.multi {
		switch hubspot.OwnerID(cur) {
		case it.after:
			return verdictDone, cur
		case it.before:
			return verdictSend, string(it.after)
		}
		return verdictChanged, cur
	}
	ids := store.SplitOwnerIDs(cur, true)
	switch {
	case slices.Contains(ids, it.before):
		return verdictSend, replaceOwner(dropOwners(ids, it.drop), it.before, it.after)
	case slices.Contains(ids, it.after) && slices.ContainsFunc(ids, func(id hubspot.OwnerID) bool { return slices.Contains(it.drop, id) }):
		return verdictSend, store.JoinOwnerIDs(dropOwners(ids, it.drop))
	case slices.Contains(ids, it.after):
		return verdictDone, cur
	}
	return verdictChanged, cur
}

// dropOwners is ids without those in drop, in their order.
func dropOwners(ids, drop []hubspot.OwnerID) []hubspot.OwnerID {
	if len(drop) == 0 {
		return ids
	}
	return slices.DeleteFunc(slices.Clone(ids), func(id hubspot.OwnerID) bool { return slices.Contains(drop, id) })
}

// replaceOwner puts to where from stands in a multi-select's IDs, keeping
// the others in place; to is not repeated when it is there already.
func replaceOwner(ids []hubspot.OwnerID, from, to hubspot.OwnerID) string {
	out := make([]hubspot.OwnerID, 0, len(ids))
	for _, id := range ids {
		switch {
		case id == from && to != "" && !slices.Contains(ids, to):
			out = append(out, to)
		case id == from:
		default:
			out = append(out, id)
		}
	}
	return store.JoinOwnerIDs(out)
}

// TypeSingular is a type's name for one record in prose: "company", "deal",
// "2-123 record".
func TypeSingular(t hubspot.ObjectType) string { return singularOf(t) }

// singularOf is a type's name for one record in prose.
func singularOf(t hubspot.ObjectType) string {
	switch t {
	case hubspot.ObjectContacts:
		return "contact"
	case hubspot.ObjectCompanies:
		return "company"
	case hubspot.ObjectDeals:
		return "deal"
	case hubspot.ObjectTickets:
		return "ticket"
	}
	return string(t) + " record"
}

// problem is the item as a run's ItemProblem.
func (it jobItem) problem(state, reason string) ItemProblem {
	return ItemProblem{ContactID: it.contact, State: state, Reason: reason, Type: it.typ, RecordID: it.record, Property: it.property}
}

// newJobItem reads one journal item of a reassignment.
func newJobItem(r store.JobItem) (jobItem, error) {
	t, id, prop := parseSubject(r.SubjectID)
	before, beforeValue, multi, err := decodeValue(r.Before)
	if err != nil {
		return jobItem{}, err
	}
	after, afterValue, _, err := decodeValue(r.After)
	if err != nil {
		return jobItem{}, err
	}
	var afterRaw itemValue
	_ = json.Unmarshal(r.After, &afterRaw) // decodeValue read it already
	it := jobItem{seq: r.Seq, typ: t, record: id, property: prop, multi: multi, drop: afterRaw.Drop,
		before: before, after: after, beforeValue: beforeValue, afterValue: afterValue,
		state: r.State, err: r.Error, merged: parseOutcome(r.Outcome)}
	if t == hubspot.ObjectContacts {
		it.contact = hubspot.ContactID(id)
	}
	return it, nil
}

// reassignJournalItem is a plan item as the journal records it.
func reassignJournalItem(it ReassignItem) store.JobItem {
	t, id, prop := it.ObjectType(), it.Record(), it.PropertyName()
	return store.JobItem{SubjectID: itemSubject(t, id, prop),
		Before: encodeValue(prop, it.From, it.BeforeValue(), it.Multi),
		After:  encodeValue(prop, it.To, it.AfterValue(), it.Multi, it.Drop...)}
}

// ObjectType is the item's type; contacts when unset.
func (it ReassignItem) ObjectType() hubspot.ObjectType {
	if it.Type == "" {
		return hubspot.ObjectContacts
	}
	return it.Type
}

// Record is the item's record ID.
func (it ReassignItem) Record() hubspot.RecordID {
	if it.RecordID == "" {
		return hubspot.RecordID(it.ContactID)
	}
	return it.RecordID
}

// Ref is the item's record.
func (it ReassignItem) Ref() RecordRef { return RecordRef{Type: it.ObjectType(), ID: it.Record()} }

// PropertyName is the owner property the item changes.
func (it ReassignItem) PropertyName() string {
	if it.Property == "" {
		return hubspot.PropOwnerID
	}
	return it.Property
}

// BeforeValue is the property's value before, as planned.
func (it ReassignItem) BeforeValue() string {
	if it.Before == "" && !it.Multi {
		return string(it.From)
	}
	return it.Before
}

// AfterValue is the property's value asked for.
func (it ReassignItem) AfterValue() string {
	if it.After == "" && !it.Multi {
		return string(it.To)
	}
	return it.After
}

// contactOwnerItem reports whether the item is a contact's hubspot_owner_id,
// the case the journal's first format and merged contacts are about.
func (it ReassignItem) contactOwnerItem() bool {
	return it.ObjectType() == hubspot.ObjectContacts && it.PropertyName() == hubspot.PropOwnerID
}
