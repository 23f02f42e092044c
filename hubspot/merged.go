package hubspot

import "strings"

// PropMergedObjectIDs lists the IDs of the records merged into a record,
// ";"-separated. HubSpot answers for a merged-away ID with the surviving
// record, so this is how a caller pairs the two.
const PropMergedObjectIDs = "hs_merged_object_ids"

// MergedIDs are the IDs of the contacts merged into c (PropMergedObjectIDs,
// when it was read).
func (c Contact) MergedIDs() []ContactID {
	var out []ContactID
	for _, id := range strings.Split(c.Properties[PropMergedObjectIDs], ";") {
		if id = strings.TrimSpace(id); id != "" {
			out = append(out, ContactID(id))
		}
	}
	return out
}

// Survivors pairs asked-for contact IDs with the records a batch read
// answered for them under another ID: the survivors of merges. Contacts
// answered under their own ID are not listed.
func Survivors(asked []ContactID, results []Contact) map[ContactID]Contact {
	want := make(map[ContactID]bool, len(asked))
	for _, id := range asked {
		want[id] = true
	}
	out := map[ContactID]Contact{}
	for _, c := range results {
		for _, id := range c.MergedIDs() {
			if want[id] && id != c.ID {
				out[id] = c
			}
		}
	}
	return out
}
