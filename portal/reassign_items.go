package portal

import "github.com/hsadmin/hsadmin/hubspot"

// problem is the item as a run's ItemProblem.
func (it jobItem) problem(state, reason string) ItemProblem {
	return ItemProblem{ContactID: it.contact, State: state, Reason: reason,
		Type: hubspot.ObjectContacts, RecordID: hubspot.RecordID(it.contact), Property: hubspot.PropOwnerID}
}
