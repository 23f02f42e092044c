package store

import (
	"context"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
)

// Every contact's position is its row number in the list Contacts gives,
// in each sort and with filters and an owner; others have none.
func TestContactPositionIsTheRowNumber(t *testing.T) {
	m := sampleMirror(t)
	ctx := context.Background()
	for _, q := range []Query{
		{}, {Sort: SortName}, {Sort: SortOwner}, {Sort: SortModified},
		{Filter: "smith"}, {Filter: "no owner"}, {Filter: "x", Sort: SortName}, {OwnerID: "900"}, {OwnerID: "900", Sort: SortModified},
	} {
		rows, err := m.Contacts(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		listed := map[hubspot.ContactID]bool{}
		for i, r := range rows {
			listed[r.ContactID] = true
			got, err := m.ContactPosition(ctx, q, r.ContactID)
			if err != nil {
				t.Fatal(err)
			}
			if got != i {
				t.Errorf("%+v: contact %s at position %d, listed at row %d", q, r.ContactID, got, i)
			}
		}
		for _, id := range []hubspot.ContactID{"1", "2", "3", "4", "5", "6", "999", "x"} {
			if listed[id] {
				continue
			}
			if got, err := m.ContactPosition(ctx, q, id); err != nil || got != -1 {
				t.Errorf("%+v: contact %s, not listed, at position %d (%v)", q, id, got, err)
			}
		}
	}
}
