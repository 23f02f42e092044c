package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
)

// recordsMirror is sampleMirror's people with deals: owner 900 (Ann Lee,
// active), 902 (Dee Po, deactivated), 501 (a user ID, no owner) and a
// multi-select "team" property.
func recordsMirror(t *testing.T) *Mirror {
	t.Helper()
	ctx := context.Background()
	m := sampleMirror(t)
	deals := ObjectTypeInfo{Type: hubspot.ObjectDeals, Singular: "Deal", Plural: "Deals", DisplayProperty: "dealname",
		OwnerProperties: []hubspot.OwnerProperty{{Name: "hubspot_owner_id", Label: "Deal owner"}, {Name: "team", Label: "Team", Multi: true}}}
	if err := m.ReplaceObjectTypes(ctx, []ObjectTypeInfo{deals}); err != nil {
		t.Fatal(err)
	}
	at := func(minute int) time.Time { return time.Date(2026, 1, 1, 0, minute, 0, 0, time.UTC) }
	recs := []MirrorRecord{
		{ID: "11", Name: "Zinc renewal", LastModified: at(1), Owners: []RecordOwner{{"hubspot_owner_id", "900", 0}}},
		{ID: "12", Name: "apple expansion", LastModified: at(5), Closed: true, Owners: []RecordOwner{{"hubspot_owner_id", "902", 0}, {"team", "900", 0}, {"team", "501", 1}}},
		{ID: "13", Name: "Mango pilot", LastModified: at(3), Owners: []RecordOwner{{"hubspot_owner_id", "501", 0}}},
		{ID: "14", Name: "Kiwi upsell", LastModified: at(2)},
	}
	if err := m.PutRecords(ctx, hubspot.ObjectDeals, recs, 1, nil); err != nil {
		t.Fatal(err)
	}
	return m
}

func recordIDsOf(rows []RecordRow) []hubspot.RecordID {
	var out []hubspot.RecordID
	for _, r := range rows {
		out = append(out, r.ID)
	}
	return out
}

// The records pane's query: owners resolved in property order, filters
// over what a row shows, owner and findings scopes, every sort key.
func TestRecordsListFilterScopeSort(t *testing.T) {
	ctx := context.Background()
	m := recordsMirror(t)
	all, err := m.Records(ctx, RecordQuery{Type: hubspot.ObjectDeals})
	if err != nil {
		t.Fatal(err)
	}
	if got := recordIDsOf(all); !slices.Equal(got, []hubspot.RecordID{"11", "12", "13", "14"}) {
		t.Fatalf("records %v", got)
	}
	d12 := all[1]
	want := []RecordOwnerCell{
		{Property: "hubspot_owner_id", OwnerID: "902", OwnerName: "Dee Po", State: OwnerArchived},
		{Property: "team", OwnerID: "900", OwnerName: "Ann Lee", State: OwnerActive},
		{Property: "team", OwnerID: "501", State: OwnerUnknown},
	}
	if !d12.Closed || !slices.Equal(d12.Owners, want) {
		t.Fatalf("deal 12: %+v", d12)
	}
	cases := []struct {
		name string
		q    RecordQuery
		want []hubspot.RecordID
	}{
		{"name, any case", RecordQuery{Filter: "MANGO"}, []hubspot.RecordID{"13"}},
		{"record ID", RecordQuery{Filter: "14"}, []hubspot.RecordID{"14"}},
		{"owner name in a multi-select", RecordQuery{Filter: "ann lee"}, []hubspot.RecordID{"11", "12"}},
		{"owner ID", RecordQuery{Filter: "902"}, []hubspot.RecordID{"12"}},
		{"deactivated", RecordQuery{Filter: "deactivated"}, []hubspot.RecordID{"12"}},
		{"HubSpot's word", RecordQuery{Filter: "archived"}, []hubspot.RecordID{"12"}},
		{"unknown", RecordQuery{Filter: "unknown"}, []hubspot.RecordID{"12", "13"}},
		{"no owner", RecordQuery{Filter: "no owner"}, []hubspot.RecordID{"14"}},
		{"closed", RecordQuery{Filter: "closed"}, []hubspot.RecordID{"12"}},
		{"owner scope, any property", RecordQuery{OwnerID: "900"}, []hubspot.RecordID{"11", "12"}},
		{"owner scope, one property", RecordQuery{OwnerID: "900", Property: "team"}, []hubspot.RecordID{"12"}},
		{"owner scope and filter", RecordQuery{OwnerID: "900", Filter: "zinc"}, []hubspot.RecordID{"11"}},
		{"findings group: deactivated owner", RecordQuery{Finding: FindingRecordsDeactivatedOwner, Property: "hubspot_owner_id"}, []hubspot.RecordID{"12"}},
		{"findings group: user ID as owner ID", RecordQuery{Finding: FindingRecordsUserIDAsOwner, Property: "team"}, []hubspot.RecordID{"12"}},
		{"findings group of one owner", RecordQuery{Finding: FindingRecordsUserIDAsOwner, Property: "hubspot_owner_id", OwnerID: "501"}, []hubspot.RecordID{"13"}},
		{"sort by name", RecordQuery{Sort: SortName}, []hubspot.RecordID{"12", "14", "13", "11"}},
		{"sort by owner", RecordQuery{Sort: SortOwner}, []hubspot.RecordID{"14", "13", "11", "12"}},
		{"sort by modified", RecordQuery{Sort: SortModified}, []hubspot.RecordID{"12", "13", "14", "11"}},
		{"a page", RecordQuery{Offset: 1, Limit: 2}, []hubspot.RecordID{"12", "13"}},
	}
	for _, c := range cases {
		c.q.Type = hubspot.ObjectDeals
		rows, err := m.Records(ctx, c.q)
		if got := recordIDsOf(rows); err != nil || !slices.Equal(got, c.want) {
			t.Errorf("%s: %v (%v), want %v", c.name, got, err, c.want)
		}
		if c.q.Limit > 0 {
			continue
		}
		if n, err := m.CountRecordsShown(ctx, c.q); err != nil || n != len(c.want) {
			t.Errorf("%s: counted %d (%v), want %d", c.name, n, err, len(c.want))
		}
	}
	if n, err := m.CountRecordsShown(ctx, RecordQuery{Type: hubspot.ObjectCompanies}); err != nil || n != 0 {
		t.Errorf("companies: %d (%v)", n, err)
	}
}

// BenchmarkRecordsPage measures the records pane's queries over 100,000
// deals: the first page unfiltered, sorted by name, filtered by an owner's
// name (no index: a scan of the type), and its count.
func BenchmarkRecordsPage(b *testing.B) {
	ctx := context.Background()
	m, _, err := OpenMirror(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	if err := m.ReplaceDirectory(ctx, sampleDirectory(), time.Now()); err != nil {
		b.Fatal(err)
	}
	deals := ObjectTypeInfo{Type: hubspot.ObjectDeals, Singular: "Deal", Plural: "Deals", DisplayProperty: "dealname",
		OwnerProperties: []hubspot.OwnerProperty{{Name: "hubspot_owner_id", Label: "Deal owner"}, {Name: "team", Label: "Team", Multi: true}}}
	if err := m.ReplaceObjectTypes(ctx, []ObjectTypeInfo{deals}); err != nil {
		b.Fatal(err)
	}
	owners := []hubspot.OwnerID{"900", "902", "501", "903"}
	const n = 100_000
	for start := 0; start < n; start += 5000 {
		recs := make([]MirrorRecord, 0, 5000)
		for i := start; i < start+5000; i++ {
			recs = append(recs, MirrorRecord{ID: hubspot.RecordID(fmt.Sprintf("%011d", 10_000_000_000+i)), Name: fmt.Sprintf("deal %d", i),
				LastModified: time.UnixMilli(int64(i)), Closed: i%5 == 0,
				Owners: []RecordOwner{{"hubspot_owner_id", owners[i%4], 0}, {"team", owners[(i+1)%4], 0}}})
		}
		if err := m.PutRecords(ctx, hubspot.ObjectDeals, recs, 1, nil); err != nil {
			b.Fatal(err)
		}
	}
	for _, c := range []struct {
		name string
		q    RecordQuery
	}{
		{"first-page", RecordQuery{}},
		{"by-name", RecordQuery{Sort: SortName}},
		{"filter-owner-name", RecordQuery{Filter: "dee po"}},
		{"owner-scope", RecordQuery{OwnerID: "902"}},
	} {
		c.q.Type, c.q.Limit = hubspot.ObjectDeals, 300
		b.Run(c.name+"/page", func(b *testing.B) {
			for range b.N {
				if _, err := m.Records(ctx, c.q); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/count", func(b *testing.B) {
			for range b.N {
				if _, err := m.CountRecordsShown(ctx, c.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
