package portal

import (
	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// reassignRequest is the reassignment that hands over what owner still
// holds of the job's types to the job's new owner.
func (h offboardJob) reassignRequest(owner hubspot.OwnerID) ReassignRequest {
	return ReassignRequest{From: "owner:" + string(owner), To: "owner:" + string(h.To.ID)}
}

// reassignable reports whether the reassignment engine hands over holding
// x: the contacts' owner.
func reassignable(x store.Holding) bool {
	return x.Type == hubspot.ObjectContacts && x.Property == hubspot.PropOwnerID
}
