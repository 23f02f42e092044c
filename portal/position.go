package portal

import (
	"context"

	"github.com/hsadmin/hsadmin/hubspot"
)

// ContactPosition is the row number (from 0) of contact id in the list
// Contacts gives for q, ignoring q's page; -1 when it is not in the list.
func (p *Portal) ContactPosition(ctx context.Context, q Query, id hubspot.ContactID) (int, error) {
	return p.mirror.ContactPosition(ctx, q, id)
}
