package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
)

// A full sync of a type replaces its records: those it never saw go with
// their owners; holdings count per type and property, open and closed; a
// type the token can no longer read leaves the mirror with its state, so
// that it is listed whole when it is readable again.
func TestRecordsFullSyncHoldingsAndDroppedTypes(t *testing.T) {
	ctx := context.Background()
	m := openTestMirror(t, t.TempDir())
	deals := ObjectTypeInfo{Type: hubspot.ObjectDeals, Singular: "Deal", Plural: "Deals", DisplayProperty: "dealname",
		OwnerProperties: []hubspot.OwnerProperty{{Name: "hubspot_owner_id", Label: "Deal owner"}, {Name: "team", Label: "Team", Multi: true}}}
	if err := m.ReplaceObjectTypes(ctx, []ObjectTypeInfo{deals}); err != nil {
		t.Fatal(err)
	}
	rec := func(id string, closed bool, owners ...RecordOwner) MirrorRecord {
		return MirrorRecord{ID: hubspot.RecordID(id), Name: "deal " + id, LastModified: time.UnixMilli(1000), Closed: closed, Owners: owners}
	}
	st := SyncState{Phase: RecordsPhase(hubspot.ObjectDeals), Generation: 1, InProgress: true}
	if err := m.PutRecords(ctx, hubspot.ObjectDeals, []MirrorRecord{
		rec("1", false, RecordOwner{"hubspot_owner_id", "7", 0}),
		rec("2", true, RecordOwner{"hubspot_owner_id", "7", 0}, RecordOwner{"team", "8", 0}, RecordOwner{"team", "7", 1}),
		rec("3", false, RecordOwner{"hubspot_owner_id", "7", 0}),
	}, 1, &st); err != nil {
		t.Fatal(err)
	}
	st.Generation, st.Cursor = 2, ""
	if err := m.PutRecords(ctx, hubspot.ObjectDeals, []MirrorRecord{
		rec("1", false, RecordOwner{"hubspot_owner_id", "7", 0}),
		rec("2", true, RecordOwner{"hubspot_owner_id", "7", 0}, RecordOwner{"team", "8", 0}, RecordOwner{"team", "7", 1}),
	}, 2, &st); err != nil {
		t.Fatal(err)
	}
	st.InProgress, st.LastFullSync = false, time.Now()
	if dropped, err := m.FinishRecordsFullSync(ctx, hubspot.ObjectDeals, st); err != nil || dropped != 1 {
		t.Fatalf("dropped %d (%v), want deal 3", dropped, err)
	}
	got, err := m.OwnerHoldings(ctx, "7")
	want := []Holding{
		{Type: "deals", TypeLabel: "Deals", TypeSingular: "Deal", Property: "hubspot_owner_id", PropertyLabel: "Deal owner", Count: 2, Open: 1},
		{Type: "deals", TypeLabel: "Deals", TypeSingular: "Deal", Property: "team", PropertyLabel: "Team", Count: 1, Open: 0},
	}
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("holdings of 7: %+v (%v)\nwant %+v", got, err, want)
	}
	if r, err := m.Record(ctx, hubspot.ObjectDeals, "2"); err != nil || len(r.Owners) != 3 || r.Owners[2].OwnerID != "7" || !r.Closed {
		t.Errorf("deal 2: %+v (%v)", r, err)
	}

	if err := m.ReplaceObjectTypes(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if n, _ := m.CountRecords(ctx, hubspot.ObjectDeals, 0); n != 0 {
		t.Errorf("%d deals kept of a type no longer readable", n)
	}
	if st, _ := m.SyncState(ctx, RecordsPhase(hubspot.ObjectDeals)); !st.LastFullSync.IsZero() {
		t.Errorf("the dropped type's state %+v stays: it would be searched for changes, not listed", st)
	}
}

func TestSplitOwnerIDs(t *testing.T) {
	if got := SplitOwnerIDs(" 1;;2 ;3", true); !slices.Equal(got, []hubspot.OwnerID{"1", "2", "3"}) {
		t.Errorf("multi: %v", got)
	}
	if got := SplitOwnerIDs("1;2", false); !slices.Equal(got, []hubspot.OwnerID{"1;2"}) {
		t.Errorf("single: %v", got)
	}
	if got := SplitOwnerIDs("", true); got != nil {
		t.Errorf("empty: %v", got)
	}
}

func TestTypeCountWords(t *testing.T) {
	c := TypeCount{Singular: "Company", Plural: "Companies"}
	for n, want := range map[int]string{0: "0 companies", 1: "1 company", 1234: "1,234 companies"} {
		c.N = n
		if got := c.Words(); got != want {
			t.Errorf("%d: %q, want %q", n, got, want)
		}
	}
}
