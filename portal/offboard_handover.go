package portal

import (
	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// reassignRequest is the reassignment that hands over what owner still
// holds of the job's types, through every owner property, to the job's
// new owner.
func (h offboardJob) reassignRequest(owner hubspot.OwnerID) ReassignRequest {
	req := ReassignRequest{From: "owner:" + string(owner), To: "owner:" + string(h.To.ID)}
	for _, o := range h.Objects {
		req.Objects = append(req.Objects, hubspot.ObjectType(o))
	}
	return req
}

// reassignable reports whether the hand-over covers holding x: every type
// and owner property (the reassignment engine plans what the token can
// write; what it cannot select stays held and fails the step, named).
func reassignable(store.Holding) bool { return true }
