package portal

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

func TestFindingsOnTheSandbox(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 2000}, nil)
	e.sync(t)
	ctx := context.Background()
	f := e.sb.Fixtures()
	findings, err := e.p.Findings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byKind := map[string]Finding{}
	for _, fd := range findings {
		byKind[fd.Kind] = fd
		if fd.Title == "" || fd.Why == "" {
			t.Errorf("finding %s lacks a title or why", fd.Kind)
		}
		for _, r := range fd.Records {
			if r.Label == "" {
				t.Errorf("finding %s: record without label %+v", fd.Kind, r)
			}
		}
	}
	get := func(kind string) Finding {
		t.Helper()
		fd, ok := byKind[kind]
		if !ok || fd.Count == 0 || len(fd.Records) == 0 {
			t.Fatalf("finding %s: %+v, want it found", kind, fd)
		}
		return fd
	}
	contactsOf := func(id hubspot.OwnerID) int {
		n, err := e.p.CountContacts(ctx, store.Query{OwnerID: id})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	fd := get(store.FindingContactsArchivedOwner)
	sum := 0
	for _, r := range fd.Records {
		o, ok := e.sb.Owner(r.OwnerID)
		if !ok || !o.Archived {
			t.Errorf("%s lists owner %s, which is not archived", fd.Kind, r.OwnerID)
		}
		sum += contactsOf(r.OwnerID)
	}
	if sum != fd.Count || !hasOwner(fd, f.ArchivedOwner) {
		t.Errorf("%s: count %d, records hold %d contacts; fixture %s listed: %v", fd.Kind, fd.Count, sum, f.ArchivedOwner, hasOwner(fd, f.ArchivedOwner))
	}

	fd = get(store.FindingContactsUnknownOwner)
	sum = 0
	for _, r := range fd.Records {
		if _, ok := e.sb.Owner(r.OwnerID); ok {
			t.Errorf("%s lists %s, which is an owner", fd.Kind, r.OwnerID)
		}
		sum += contactsOf(r.OwnerID)
	}
	if sum != fd.Count {
		t.Errorf("%s: count %d, records hold %d contacts", fd.Kind, fd.Count, sum)
	}

	fd = get(store.FindingOwnersWithoutUser)
	for _, r := range fd.Records {
		o, _ := e.sb.Owner(r.OwnerID)
		if _, active := e.sb.User(o.UserID); o.Type == hubspot.OwnerQueue || (active && !o.Archived) {
			t.Errorf("%s lists owner %+v, which has an active user or is a queue", fd.Kind, o)
		}
	}
	if !hasOwner(fd, f.ArchivedOwner) || hasOwner(fd, f.QueueOwner) || hasOwner(fd, f.ActiveOwner) {
		t.Errorf("%s records %+v", fd.Kind, fd.Records)
	}
	// An owner synced from Salesforce is listed as what it is, not as deactivated.
	for _, r := range fd.Records {
		if r.OwnerID == f.OwnerWithoutUser && (!strings.Contains(r.Label, "active, no HubSpot user (e.g. synced from Salesforce)") || strings.Contains(r.Label, "deactivated")) {
			t.Errorf("%s labels the owner without a user %q", fd.Kind, r.Label)
		}
	}
	if !hasOwner(fd, f.OwnerWithoutUser) || hasOwner(get(store.FindingContactsArchivedOwner), f.OwnerWithoutUser) {
		t.Errorf("owner without a user %s: listed without a user %v, with archived owners %v", f.OwnerWithoutUser,
			hasOwner(fd, f.OwnerWithoutUser), hasOwner(get(store.FindingContactsArchivedOwner), f.OwnerWithoutUser))
	}

	fd = get(store.FindingUsersWithoutOwner)
	for _, r := range fd.Records {
		if rows, _ := e.p.Owners(ctx, store.Query{UserID: r.UserID}); len(rows) != 0 {
			t.Errorf("%s lists user %s, who has owner %s", fd.Kind, r.UserID, rows[0].OwnerID)
		}
	}
	if !hasUser(fd, f.UserWithoutOwner) || hasUser(fd, f.ActiveOwnerUser) {
		t.Errorf("%s records %+v", fd.Kind, fd.Records)
	}

	fd = get(store.FindingCollidingIDs)
	found := false
	for _, r := range fd.Records {
		o, _ := e.sb.Owner(r.OwnerID)
		if string(r.OwnerID) != string(r.UserID) || o.AnyUserID() == r.UserID {
			t.Errorf("%s record %+v is no collision", fd.Kind, r)
		}
		found = found || (r.OwnerID == f.CollidingOwner && r.UserID == f.CollidingUser)
	}
	if !found {
		t.Errorf("%s misses the fixture %s: %+v", fd.Kind, f.CollidingOwner, fd.Records)
	}

	fd = get(store.FindingOwnerEmailMismatch)
	for _, r := range fd.Records {
		o, _ := e.sb.Owner(r.OwnerID)
		u, _ := e.sb.User(r.UserID)
		if strings.EqualFold(o.Email, u.Email) {
			t.Errorf("%s lists %+v with equal emails", fd.Kind, r)
		}
	}
	if !hasOwner(fd, f.StaleEmailOwner) {
		t.Errorf("%s misses the fixture %s: %+v", fd.Kind, f.StaleEmailOwner, fd.Records)
	}

	fd = get(store.FindingCRMUserMismatch)
	for _, r := range fd.Records {
		card, err := e.p.Mirror().IDCardForCRMUser(ctx, r.CRMUserID)
		if err != nil {
			t.Fatal(err)
		}
		if !containsText(card.Mismatches, "CRM user record") {
			t.Errorf("%s lists %s, whose card sees no disagreement: %+v", fd.Kind, r.CRMUserID, card)
		}
	}
	if fd.Count < 2 {
		t.Errorf("%s: %d records, the sandbox seeds 2", fd.Kind, fd.Count)
	}

	fd = get(store.FindingMultiRoleUsers)
	if fd.Count != e.sb.Summary().MultiRoleUsers || !hasUser(fd, f.MultiRoleUser) || hasUser(fd, f.SingleRoleUser) {
		t.Errorf("%s: %d records (sandbox %d) %+v", fd.Kind, fd.Count, e.sb.Summary().MultiRoleUsers, fd.Records)
	}
	for _, r := range fd.Records {
		if u, _ := e.sb.User(r.UserID); len(u.Roles()) < 2 {
			t.Errorf("%s lists %s with roles %v", fd.Kind, r.UserID, u.Roles())
		}
	}

	fd = get(store.FindingQueueOwners)
	if !fd.Info || fd.Count != e.sb.Summary().QueueOwners || !hasOwner(fd, f.QueueOwner) {
		t.Errorf("%s: %+v", fd.Kind, fd)
	}
	// Nine kinds always, then the groups of the per-type kinds.
	kinds := slices.IndexFunc(findings, func(f Finding) bool { return f.ObjectType != "" })
	if kinds < 0 {
		kinds = len(findings)
	}
	if kinds != 9 {
		t.Errorf("%d finding kinds before the per-type groups, want 9", kinds)
	}
}

func hasOwner(fd Finding, id hubspot.OwnerID) bool {
	return slices.ContainsFunc(fd.Records, func(r FindingRecord) bool { return r.OwnerID == id })
}

func hasUser(fd Finding, id hubspot.UserID) bool {
	return slices.ContainsFunc(fd.Records, func(r FindingRecord) bool { return r.UserID == id })
}
