package portal

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// A contact merged into another after the plan still answers to its old
// ID: HubSpot applies a write of it to the surviving record, and answers
// with the survivor's ID or leaves the input out. The job then records, in
// the item's outcome, which record took the new owner and what that record
// had before, so that an undo puts the survivor back rather than writing to
// an ID that no longer holds a contact of its own.

// itemOutcome is what the journal records in a reassignment item's outcome.
type itemOutcome struct {
	Merged *mergedOutcome `json:"merged,omitempty"`
	// A multi-select's value as read right before the write, and the value
	// sent: the other owners it held stay in place.
	Read  *string `json:"read,omitempty"`
	Wrote *string `json:"wrote,omitempty"`
}

// mergedOutcome is the survivor of a merged contact and its owner before
// and after the write. Before is nil when nothing tells it (the survivor
// was neither read before the write nor in the mirror).
type mergedOutcome struct {
	Into   hubspot.ContactID `json:"into"`
	Before *hubspot.OwnerID  `json:"survivorBefore"`
	After  hubspot.OwnerID   `json:"survivorAfter"`
}

func parseOutcome(raw json.RawMessage) *mergedOutcome {
	var o itemOutcome
	if len(raw) == 0 || json.Unmarshal(raw, &o) != nil {
		return nil
	}
	return o.Merged
}

func (m *mergedOutcome) raw() json.RawMessage { return itemOutcome{Merged: m}.raw() }

func (o itemOutcome) raw() json.RawMessage {
	b, _ := json.Marshal(o)
	return b
}

// survivorRead is a merged contact's survivor as a read showed it.
type survivorRead struct {
	id    hubspot.ContactID
	props hubspot.Properties
}

// readSurvivors reads contacts HubSpot's answer did not mention, to find
// those merged into another record: the read answers for them with the
// survivor, whose hs_merged_object_ids names them.
func (r *jobRun) readSurvivors(ctx context.Context, items []jobItem) (map[hubspot.ContactID]survivorRead, error) {
	ids := make([]hubspot.ContactID, len(items))
	props := []string{hubspot.PropMergedObjectIDs}
	for i, it := range items {
		ids[i] = it.contact
		if !slices.Contains(props, it.property) {
			props = append(props, it.property)
		}
	}
	ids = dedupe(ids)
	for attempt := 1; ; attempt++ {
		res, err := r.p.client.BatchReadContacts(ctx, ids, props)
		if err == nil {
			out := map[hubspot.ContactID]survivorRead{}
			for id, c := range hubspot.Survivors(ids, res.Results) {
				out[id] = survivorRead{c.ID, c.Properties}
			}
			return out, nil
		}
		kind, wait := classify(err, attempt)
		if kind == failPermanent || kind == failFatal || attempt >= reassignAttempts {
			return nil, fmt.Errorf("cannot read back contacts HubSpot's answer did not mention: %w", err)
		}
		if jobSleep(ctx, wait) != nil {
			return nil, errStopped
		}
	}
}

// unmentioned finds the survivors of the items a batch update's answer
// neither updated nor reported failed: HubSpot answers for a merged-away
// contact under the survivor's ID, or leaves it out.
func (r *jobRun) unmentioned(ctx context.Context, items []jobItem, updated map[hubspot.RecordID]bool, failed map[string]string) (map[hubspot.ContactID]survivorRead, error) {
	var missing []jobItem
	for _, it := range items {
		if it.typ != hubspot.ObjectContacts {
			continue // only contacts merge
		}
		if _, bad := failed[string(it.record)]; !updated[it.record] && !bad {
			missing = append(missing, it)
		}
	}
	if len(missing) == 0 {
		return nil, nil
	}
	return r.readSurvivors(ctx, missing)
}

// survivorBefore is the survivor's owner before the write: as read before
// it when the job verified, else as the mirror has it, else unknown.
func (r *jobRun) survivorBefore(ctx context.Context, it jobItem, survivor hubspot.ContactID) *hubspot.OwnerID {
	if it.survivorOwner != nil && it.survivor == survivor {
		return it.survivorOwner
	}
	if it.property != hubspot.PropOwnerID {
		return nil // the mirror's contacts table holds hubspot_owner_id alone
	}
	rows, _, err := r.p.mirror.ContactsByID(ctx, []hubspot.ContactID{survivor})
	if err != nil || len(rows) == 0 {
		return nil
	}
	owner := rows[0].OwnerID
	return &owner
}

// mergedText says what became of a merged contact, for the journal.
func mergedText(s survivorRead) string {
	return fmt.Sprintf("HubSpot had merged this contact into contact %s", s.id)
}

// undoItems is the reverse of a job's changed items: each record's owner
// property back to the owner before (a multi-select: that owner's ID put
// back where the new one stands, the others kept), a merged contact's
// survivor under the survivor's ID. A survivor whose owner before is
// unknown is left alone, with a note; a contact reached twice (itself and
// as a survivor) goes back once, as its own item says.
func undoItems(items []jobItem) ([]ReassignItem, []string) {
	var out []ReassignItem
	var notes []string
	type key struct {
		id   hubspot.RecordID
		prop string
	}
	seen := map[key]bool{}
	for _, it := range items {
		if (it.state == store.ItemDone || it.state == store.ItemSent) && it.merged == nil {
			out = append(out, it.reverse(it.record))
			seen[key{it.record, it.property}] = true
		}
	}
	for _, it := range items {
		m := it.merged
		switch {
		case m == nil || it.state != store.ItemDone || seen[key{hubspot.RecordID(m.Into), it.property}]:
		case m.Before == nil && !it.multi:
			notes = append(notes, fmt.Sprintf("contact %s was merged into contact %s, whose owner before the job is not known: it is left alone", it.contact, m.Into))
		default:
			back := it.reverse(hubspot.RecordID(m.Into))
			if !it.multi {
				back.From, back.To = m.After, *m.Before
				back.Before, back.After = string(m.After), string(*m.Before)
			}
			out = append(out, back)
			seen[key{hubspot.RecordID(m.Into), it.property}] = true
		}
	}
	return out, notes
}

// reverse is the undo of the item, on record id (its own, or a merged
// contact's survivor).
func (it jobItem) reverse(id hubspot.RecordID) ReassignItem {
	back := ReassignItem{Type: it.typ, RecordID: id, Property: it.property, Multi: it.multi,
		From: it.after, To: it.before, Before: it.afterValue, After: it.beforeValue}
	if it.typ == hubspot.ObjectContacts {
		back.ContactID = hubspot.ContactID(id)
	}
	return back
}
