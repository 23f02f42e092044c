package store

import (
	"context"
	"slices"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
)

// Contacts' custom owner properties live in record_owners, one row per
// owner ID with its position, as every other type's do: a value cleared
// leaves no row, contacts a full sync did not see take theirs with them,
// a property gone from the portal takes its rows, a page read without the
// properties touches none, and holdings count them per property.
func TestContactCustomOwnerRows(t *testing.T) {
	ctx := context.Background()
	m := openTestMirror(t, t.TempDir())
	props := []hubspot.OwnerProperty{
		{Name: hubspot.PropOwnerID, Label: "Contact owner", HubSpotDefined: true},
		{Name: "csm", Label: "CSM"}, {Name: "team", Label: "Team", Multi: true},
	}
	contactsType := ObjectTypeInfo{Type: hubspot.ObjectContacts, Singular: "Contact", Plural: "Contacts", DisplayProperty: "email", OwnerProperties: props}
	if err := m.ReplaceObjectTypes(ctx, []ObjectTypeInfo{contactsType}); err != nil {
		t.Fatal(err)
	}
	with := func(c hubspot.Contact, kv ...string) hubspot.Contact {
		for k := 0; k < len(kv); k += 2 {
			c.Properties[kv[k]] = kv[k+1]
		}
		return c
	}
	page := []hubspot.Contact{
		with(contact("11", "Ana", "ana@x.io", "7"), "csm", "7", "team", "8;7"),
		with(contact("12", "Bo", "bo@x.io", "8"), "team", "9"),
		contact("13", "Cy", "cy@x.io", "7"),
	}
	if err := m.PutContactsWithOwners(ctx, page, props, 1, nil); err != nil {
		t.Fatal(err)
	}
	owners := func(id string) []RecordOwner {
		t.Helper()
		got, err := m.ContactOwners(ctx, hubspot.ContactID(id))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got, want := owners("11"), []RecordOwner{{"csm", "7", 0}, {"team", "8", 0}, {"team", "7", 1}}; !slices.Equal(got, want) {
		t.Fatalf("contact 11: %v, want %v", got, want)
	}
	holdings, err := m.OwnerHoldings(ctx, "7")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range holdings {
		got = append(got, h.Property+"="+h.Records()+" ("+h.PropertyLabel+")")
	}
	if want := []string{"hubspot_owner_id=2 contacts (Contact owner)", "csm=1 contact (CSM)", "team=1 contact (Team)"}; !slices.Equal(got, want) {
		t.Errorf("owner 7 holds %q, want %q", got, want)
	}

	// Read again without the properties (as a caller that asked for the
	// defaults): nothing of theirs changes.
	if err := m.PutContacts(ctx, []hubspot.Contact{contact("11", "Ana", "ana@x.io", "7")}, 1, nil); err != nil {
		t.Fatal(err)
	}
	if n := len(owners("11")); n != 3 {
		t.Fatalf("a page read without the owner properties left contact 11 %d rows, want 3", n)
	}
	// The team cleared, the CSM changed.
	if err := m.PutContactsWithOwners(ctx, []hubspot.Contact{with(contact("11", "Ana", "ana@x.io", "7"), "csm", "9")}, props, 1, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := owners("11"), []RecordOwner{{"csm", "9", 0}}; !slices.Equal(got, want) {
		t.Fatalf("contact 11 after the change: %v, want %v", got, want)
	}

	// A full sync that sees 11 and 13 only: 12 goes with its rows.
	st := SyncState{Phase: PhaseContacts, Generation: 2, InProgress: true}
	if err := m.StartFullSync(ctx, st, []SyncRange{{ID: 0}}); err != nil {
		t.Fatal(err)
	}
	if err := m.PutRangeContactsWithOwners(ctx, []hubspot.Contact{with(contact("11", "Ana", "ana@x.io", "7"), "csm", "9"), page[2]}, props, 2,
		RangeProgress{Phase: PhaseContacts, Range: 0, Done: true}); err != nil {
		t.Fatal(err)
	}
	st.InProgress = false
	if _, err := m.FinishFullSync(ctx, st); err != nil {
		t.Fatal(err)
	}
	if n, _ := m.CountRecordOwners(ctx, hubspot.ObjectContacts); n != 1 || len(owners("12")) != 0 {
		t.Fatalf("after the full sync: %d contact owner rows, contact 12 %v; want contact 11's one", n, owners("12"))
	}

	// The CSM property deleted in HubSpot: its rows go at the next discovery.
	contactsType.OwnerProperties = []hubspot.OwnerProperty{props[0], props[2]}
	if err := m.ReplaceObjectTypes(ctx, []ObjectTypeInfo{contactsType}); err != nil {
		t.Fatal(err)
	}
	if n, _ := m.CountRecordOwners(ctx, hubspot.ObjectContacts); n != 0 {
		t.Fatalf("%d rows of a deleted property left", n)
	}
}
