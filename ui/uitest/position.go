package uitest

import (
	"context"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
)

// ContactPosition is contact id's row number in the list Contacts gives
// for q (the fake lists contacts in index order whatever the sort), -1
// when it is not in that list.
func (f *Fake) ContactPosition(ctx context.Context, q portal.Query, id hubspot.ContactID) (int, error) {
	if err := f.enter(ctx); err != nil {
		return -1, err
	}
	at := 0
	for i := range f.cfg.Contacts {
		c, ok := f.contactMatches(q, i)
		if !ok {
			continue
		}
		if c.ContactID == id {
			return at, nil
		}
		at++
	}
	return -1, nil
}
