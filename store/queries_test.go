package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
)

func TestUsersQuery(t *testing.T) {
	m := sampleMirror(t)
	ctx := context.Background()
	users, err := m.Users(ctx, Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 3 || users[0].Name != "Ann Lee" || users[1].Name != "Bob Ng" || users[2].Name != "Cy Oz" {
		t.Fatalf("users %+v", users)
	}
	ann := users[0]
	if !slices.Equal(ann.RoleIDs, []hubspot.RoleID{"10", "11"}) || !slices.Equal(ann.RoleNames, []string{"Sales", "Marketing"}) ||
		!ann.MultiRole() || ann.PrimaryTeamName != "East" || !slices.Equal(ann.SecondaryTeamIDs, []hubspot.TeamID{"71"}) ||
		ann.OwnerID != "900" || ann.CRMUserID != "7001" || ann.ContactCount != 2 {
		t.Fatalf("ann %+v", ann)
	}
	for filter, want := range map[string]string{"ANN": "500", "bob@": "501", "7003": "", "900": "500", "7002": "501", "oz": "502",
		"no owner": "502"} {
		rows, err := m.Users(ctx, Query{Filter: filter})
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if len(rows) == 1 {
			got = string(rows[0].UserID)
		}
		if got != want || len(rows) > 1 {
			t.Errorf("filter %q: %d rows (%s), want %q", filter, len(rows), got, want)
		}
	}
	page, _ := m.Users(ctx, Query{Offset: 1, Limit: 1})
	if len(page) != 1 || page[0].UserID != "501" {
		t.Fatalf("page %+v", page)
	}
}

func TestOwnersAndContactsQueries(t *testing.T) {
	m := sampleMirror(t)
	ctx := context.Background()
	owners, err := m.Owners(ctx, Query{})
	if err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, o := range owners {
		names = append(names, o.Name)
	}
	if !slices.Equal(names, []string{"Ann Lee", "Bob Ng", "Dee Po", "Inbound Queue"}) {
		t.Fatalf("owners %v", names)
	}
	if owners[0].PrimaryTeamName != "East" || owners[0].ContactCount != 2 || !owners[2].Archived || owners[2].UserIDIncludingInactive != "503" {
		t.Fatalf("owners %+v", owners)
	}
	// The owner rows' state words match as shown.
	for filter, want := range map[string]hubspot.OwnerID{"deactivated": "902", "archived": "902", "queue": "903"} {
		if rows, _ := m.Owners(ctx, Query{Filter: filter}); len(rows) != 1 || rows[0].OwnerID != want {
			t.Errorf("owners filtered by %q: %+v, want owner %s", filter, rows, want)
		}
	}
	if rows, _ := m.Owners(ctx, Query{UserID: "503"}); len(rows) != 1 || rows[0].OwnerID != "902" {
		t.Fatalf("owner of user 503: %+v", rows)
	}

	all, err := m.Contacts(ctx, Query{})
	if err != nil {
		t.Fatal(err)
	}
	states := map[hubspot.ContactID]OwnerState{}
	for _, c := range all {
		states[c.ContactID] = c.OwnerState
	}
	want := map[hubspot.ContactID]OwnerState{"1": OwnerActive, "2": OwnerArchived, "3": OwnerUnknown, "4": OwnerNone, "5": OwnerActive, "6": OwnerActive}
	if len(all) != 6 || all[0].ContactID != "1" || all[5].ContactID != "6" {
		t.Fatalf("contacts %+v", all)
	}
	for id, s := range want {
		if states[id] != s {
			t.Errorf("contact %s: state %s, want %s", id, states[id], s)
		}
	}
	if all[0].Name != "Zed Smith" || all[0].OwnerName != "Ann Lee" || !all[0].LastModified.Equal(time.Date(2025, 3, 1, 10, 0, 0, 123e6, time.UTC)) {
		t.Fatalf("contact 1 %+v", all[0])
	}
	// The same answers from the trigram index, from a scan while the index
	// is stale during a bulk load, and from the rebuilt index.
	checkFilters(t, m)
	if err := m.BeginBulkContacts(ctx); err != nil {
		t.Fatal(err)
	}
	checkFilters(t, m)
	if err := m.EndBulkContacts(ctx); err != nil {
		t.Fatal(err)
	}
	checkFilters(t, m)

	// An owner change moves the cached count.
	if err := m.PutContacts(ctx, []hubspot.Contact{contact("1", "Zed", "zed@a.test", "502")}, 1, nil); err != nil {
		t.Fatal(err)
	}
	if n, _ := m.CountContacts(ctx, Query{OwnerID: "900"}); n != 1 {
		t.Fatalf("owner 900 holds %d after the move, want 1", n)
	}
	// A renamed contact is found by its new name only.
	if err := m.PutContacts(ctx, []hubspot.Contact{contact("2", "Quentin", "yan@a.test", "902")}, 1, nil); err != nil {
		t.Fatal(err)
	}
	if rows, _ := m.Contacts(ctx, Query{Filter: "quentin"}); len(rows) != 1 || rows[0].ContactID != "2" {
		t.Fatalf("after rename: %+v", rows)
	}
	if rows, _ := m.Contacts(ctx, Query{Filter: "yan smith"}); len(rows) != 0 {
		t.Fatalf("old name still found: %+v", rows)
	}
	if n, _ := m.DropContactsBefore(ctx, 2); n != 6 {
		t.Fatalf("dropped %d", n)
	}
	if n, _ := m.CountContacts(ctx, Query{OwnerID: "502"}); n != 0 {
		t.Fatalf("owner 502 holds %d after the drop", n)
	}
	if n, _ := m.CountContacts(ctx, Query{Filter: "smith"}); n != 0 {
		t.Fatalf("the index still finds %d dropped contacts", n)
	}
}

func checkFilters(t *testing.T, m *Mirror) {
	t.Helper()
	ctx := context.Background()
	for _, tc := range []struct {
		q    Query
		want []hubspot.ContactID
	}{
		{Query{Filter: "wes@b"}, []hubspot.ContactID{"4"}},
		{Query{Filter: "@B.TEST"}, []hubspot.ContactID{"4", "5", "6"}},
		{Query{Filter: "zed smith"}, []hubspot.ContactID{"1"}},
		{Query{OwnerID: "900"}, []hubspot.ContactID{"1", "6"}},
		{Query{OwnerID: "900", Filter: "uma"}, []hubspot.ContactID{"6"}},
		{Query{Filter: "smith", Offset: 2, Limit: 2}, []hubspot.ContactID{"3", "4"}},
		{Query{Filter: "nobody"}, nil},
		{Query{Filter: "10"}, nil},
		{Query{Filter: "a"}, []hubspot.ContactID{"1", "2", "3", "6"}},
		{Query{Filter: `"x`}, nil},
		// What the owner column shows: the owner's name, ID and state words.
		{Query{Filter: "900"}, []hubspot.ContactID{"1", "6"}},
		{Query{Filter: "ann lee"}, []hubspot.ContactID{"1", "6"}},
		{Query{Filter: "archived"}, []hubspot.ContactID{"2"}},
		{Query{Filter: "Deactivated"}, []hubspot.ContactID{"2"}},
		{Query{Filter: "no owner"}, []hubspot.ContactID{"4"}},
		{Query{Filter: "unknown"}, []hubspot.ContactID{"3"}},
		{Query{Filter: "501"}, []hubspot.ContactID{"3"}},
		{Query{Filter: "queue"}, []hubspot.ContactID{"5"}},
		{Query{OwnerID: "900", Filter: "ann"}, []hubspot.ContactID{"1", "6"}},
		{Query{Filter: "ann", Offset: 1, Limit: 1}, []hubspot.ContactID{"6"}},
	} {
		rows, err := m.Contacts(ctx, tc.q)
		if err != nil {
			t.Fatal(err)
		}
		var got []hubspot.ContactID
		for _, r := range rows {
			got = append(got, r.ContactID)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%+v: %v, want %v", tc.q, got, tc.want)
		}
		wantCount := len(tc.want)
		switch tc.q.Filter {
		case "smith":
			wantCount = 6
		case "ann":
			wantCount = 2
		}
		tc.q.Offset, tc.q.Limit = 0, 0
		if n, _ := m.CountContacts(ctx, tc.q); n != wantCount {
			t.Errorf("count %+v = %d, want %d", tc.q, n, wantCount)
		}
	}
}

func TestIDCardsAndResolve(t *testing.T) {
	m := sampleMirror(t)
	ctx := context.Background()

	bob, err := m.IDCardForUser(ctx, "501")
	if err != nil {
		t.Fatal(err)
	}
	if bob.OwnerID != "502" || bob.CRMUserID != "7002" || bob.CRMOwnerID != "900" || len(bob.Mismatches) < 2 {
		t.Fatalf("bob %+v", bob)
	}
	dee, err := m.IDCardForOwner(ctx, "902")
	if err != nil || dee.Active || !dee.OwnerArchived || dee.UserID != "503" || dee.ContactCount != 1 {
		t.Fatalf("dee %+v %v", dee, err)
	}
	if _, err := m.IDCardForUser(ctx, "404"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown user: %v", err)
	}

	res, err := m.Resolve(ctx, "502")
	if err != nil || !res.Ambiguous || len(res.Matches) != 2 || res.Matches[0].Card.Name != "Bob Ng" || res.Matches[1].Card.Name != "Cy Oz" {
		t.Fatalf("Resolve(502) = %+v, %v", res, err)
	}
	res, _ = m.Resolve(ctx, "777")
	if len(res.Matches) != 1 || res.Matches[0].Scheme != SchemeInternalUserID || res.Matches[0].Card.CRMUserID != "7003" {
		t.Fatalf("Resolve(777) = %+v", res)
	}
	res, _ = m.Resolve(ctx, " ANN@X.TEST ")
	if len(res.Matches) != 1 || res.Ambiguous || res.Matches[0].Card.UserID != "500" || res.Input != "ANN@X.TEST" {
		t.Fatalf("Resolve(ann) = %+v", res)
	}
	// Bob's owner has another address: both records are found, for one person.
	res, _ = m.Resolve(ctx, "robert@x.test")
	if len(res.Matches) != 1 || res.Matches[0].Card.UserID != "501" {
		t.Fatalf("Resolve(robert) = %+v", res)
	}
}

func TestFindingsOnHandBuiltPortal(t *testing.T) {
	m := sampleMirror(t)
	findings, err := m.Findings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	type rec struct {
		user  hubspot.UserID
		owner hubspot.OwnerID
		crm   hubspot.CRMUserID
	}
	want := map[string]struct {
		count int
		recs  []rec
	}{
		FindingContactsArchivedOwner: {1, []rec{{"503", "902", ""}}},
		FindingContactsUnknownOwner:  {1, []rec{{"", "501", ""}}},
		FindingOwnersWithoutUser:     {1, []rec{{"503", "902", ""}}},
		FindingUsersWithoutOwner:     {1, []rec{{"502", "", ""}}},
		FindingCollidingIDs:          {1, []rec{{"502", "502", ""}}},
		FindingOwnerEmailMismatch:    {1, []rec{{"501", "502", ""}}},
		FindingCRMUserMismatch:       {2, []rec{{"501", "502", "7002"}, {"777", "", "7003"}}},
		FindingMultiRoleUsers:        {1, []rec{{"500", "900", ""}}},
		FindingQueueOwners:           {1, []rec{{"", "903", ""}}},
	}
	if len(findings) != len(want) {
		t.Fatalf("%d findings", len(findings))
	}
	for _, f := range findings {
		w := want[f.Kind]
		var got []rec
		for _, r := range f.Records {
			got = append(got, rec{r.UserID, r.OwnerID, r.CRMUserID})
		}
		if f.Count != w.count || !slices.Equal(got, w.recs) {
			t.Errorf("%s: count %d records %v, want %d %v", f.Kind, f.Count, got, w.count, w.recs)
		}
	}
}
