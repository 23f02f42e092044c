package store

import (
	"context"
	"slices"
	"testing"
)

func TestSortKeys(t *testing.T) {
	m := sampleMirror(t)
	ctx := context.Background()
	userIDs := func(key string) []string {
		rows, err := m.Users(ctx, Query{Sort: key})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rows {
			out = append(out, string(r.UserID))
		}
		return out
	}
	ownerIDs := func(key string) []string {
		rows, err := m.Owners(ctx, Query{Sort: key})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rows {
			out = append(out, string(r.OwnerID))
		}
		return out
	}
	contactIDs := func(q Query) []string {
		rows, err := m.Contacts(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rows {
			out = append(out, string(r.ContactID))
		}
		return out
	}
	for _, tc := range []struct {
		what string
		got  []string
		want []string
	}{
		{"users by name", userIDs(SortName), []string{"500", "501", "502"}},
		// Ann's owner 900 holds 2 contacts; Bob's owner 502 and Cy none: by name.
		{"users by records", userIDs(SortRecords), []string{"500", "501", "502"}},
		// Ann has two roles, Bob one, Cy none.
		{"users by roles", userIDs(SortRoles), []string{"500", "501", "502"}},
		{"owners by name", ownerIDs(SortName), []string{"900", "502", "902", "903"}},
		{"owners by owner ID", ownerIDs(SortID), []string{"502", "900", "902", "903"}},
		// 900 holds contacts 1 and 6, 902 and 903 one each, 502 none.
		{"owners by records", ownerIDs(SortRecords), []string{"900", "902", "903", "502"}},
		{"contacts by name", contactIDs(Query{Sort: SortName}), []string{"6", "5", "4", "3", "2", "1"}},
		// '' (no owner) first, then owner IDs; contacts of one owner by ID.
		{"contacts by owner", contactIDs(Query{Sort: SortOwner}), []string{"4", "3", "1", "6", "2", "5"}},
		{"contacts by owner, a page", contactIDs(Query{Sort: SortOwner, Offset: 2, Limit: 2}), []string{"1", "6"}},
		{"contacts by owner, filtered", contactIDs(Query{Sort: SortOwner, Filter: "smith"}), []string{"4", "3", "1", "6", "2", "5"}},
		// All were modified at once: the tie falls back to the ID, newest first.
		{"contacts by modified", contactIDs(Query{Sort: SortModified}), []string{"6", "5", "4", "3", "2", "1"}},
	} {
		if !slices.Equal(tc.got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.what, tc.got, tc.want)
		}
	}
}

// A number no owner has, yet contacts carry as hubspot_owner_id, is counted.
func TestResolveCountsContactsOfAnUnknownOwnerID(t *testing.T) {
	m := sampleMirror(t)
	ctx := context.Background()
	for value, want := range map[string]int{"501": 1, "900": 0, "12345": 0, "ann@x.test": 0} {
		res, err := m.Resolve(ctx, value)
		if err != nil {
			t.Fatal(err)
		}
		if res.UnknownOwnerContacts != want {
			t.Errorf("%s: %d contacts carry it as an unknown owner ID, want %d", value, res.UnknownOwnerContacts, want)
		}
	}
}
