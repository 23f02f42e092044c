package portal

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// idKinds classifies the sandbox's owner IDs as the findings should:
// deactivated (archived) owners, user IDs that are no owner ID, and the
// rest of the IDs no owner has.
type idKinds struct {
	owners, archived, userIDs map[string]bool
}

func sandboxIDKinds(t *testing.T, e *env) idKinds {
	t.Helper()
	ctx := context.Background()
	k := idKinds{owners: map[string]bool{}, archived: map[string]bool{}, userIDs: map[string]bool{}}
	for _, archived := range []bool{false, true} {
		for o, err := range e.client.Owners(ctx, hubspot.OwnerListOptions{Archived: archived}) {
			if err != nil {
				t.Fatal(err)
			}
			k.owners[string(o.ID)] = true
			if archived {
				k.archived[string(o.ID)] = true
				if o.UserID == "" && o.UserIDIncludingInactive != "" {
					k.userIDs[string(o.UserIDIncludingInactive)] = true
				}
			}
		}
	}
	for u, err := range e.client.Users(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		k.userIDs[string(u.ID)] = true
	}
	return k
}

func (k idKinds) kindOf(id string) string {
	switch {
	case k.archived[id]:
		return store.FindingRecordsDeactivatedOwner
	case k.owners[id]:
		return ""
	case k.userIDs[id]:
		return store.FindingRecordsUserIDAsOwner
	}
	return store.FindingRecordsUnknownOwner
}

// Findings group the records of every type by kind, type and owner
// property, counting each record once, as the sandbox's records say.
func TestFindingsPerTypeAndProperty(t *testing.T) {
	cfg := smallObjects
	cfg.Companies, cfg.Deals = 120, 150
	e := newEnv(t, cfg, nil)
	e.sync(t)
	ctx := context.Background()
	kinds := sandboxIDKinds(t, e)
	want := map[string]int{} // "kind type property" → records
	for _, rec := range sandboxOwned(t, e) {
		for _, op := range rec.owners {
			seen := map[string]bool{}
			for _, id := range store.SplitOwnerIDs(rec.values[op.Name], op.Multi) {
				if kind := kinds.kindOf(string(id)); kind != "" && !seen[kind] {
					seen[kind] = true
					want[fmt.Sprintf("%s %s %s", kind, rec.typ, op.Name)]++
				}
			}
		}
	}
	findings, err := e.p.Findings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, f := range findings {
		if f.ObjectType == "" {
			continue
		}
		got[fmt.Sprintf("%s %s %s", f.Kind, f.ObjectType, f.Property)] = f.Count
		sum := 0
		for _, r := range f.Records {
			if r.OwnerID == "" {
				t.Errorf("%s %s.%s: a record without the owner ID held: %+v", f.Kind, f.ObjectType, f.Property, r)
			}
			sum++
		}
		if sum == 0 {
			t.Errorf("%s %s.%s counts %d records but lists no owner ID", f.Kind, f.ObjectType, f.Property, f.Count)
		}
	}
	if !maps.Equal(got, want) {
		t.Errorf("findings per type and property\n got %v\nwant %v", got, want)
	}
	// The sandbox plants every trap on more than one type.
	for _, kind := range []string{store.FindingRecordsDeactivatedOwner, store.FindingRecordsUnknownOwner, store.FindingRecordsUserIDAsOwner} {
		if !slices.ContainsFunc(findings, func(f store.Finding) bool { return f.Kind == kind }) {
			t.Errorf("no %s group at all: the test proves nothing", kind)
		}
	}
	// The contacts' own kinds come first, unchanged.
	if findings[0].Kind != store.FindingContactsArchivedOwner || findings[1].Kind != store.FindingContactsUnknownOwner {
		t.Errorf("findings start with %s, %s", findings[0].Kind, findings[1].Kind)
	}
}

// Resolve says what an owner ID holds, per type and property, as the
// mirror's records do.
func TestResolveCountsWhatAnOwnerHoldsPerType(t *testing.T) {
	e := newEnv(t, smallObjects, nil)
	e.sync(t)
	ctx := context.Background()
	owner := activeOwners(t, e, 1)[0]
	want := map[string]int{}
	contacts := 0
	for _, c := range allContacts(t, e.p) {
		if c.OwnerID == owner {
			contacts++
		}
	}
	if contacts > 0 {
		want["contacts hubspot_owner_id"] = contacts
	}
	for _, rec := range sandboxOwned(t, e) {
		for _, op := range rec.owners {
			if slices.Contains(store.SplitOwnerIDs(rec.values[op.Name], op.Multi), owner) {
				want[fmt.Sprintf("%s %s", rec.typ, op.Name)]++
			}
		}
	}
	res, err := e.p.Resolve(ctx, string(owner))
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(res.Matches, func(m store.Match) bool { return m.Card.OwnerID == owner })
	if i < 0 {
		t.Fatalf("resolving %s: %+v", owner, res)
	}
	got := map[string]int{}
	for _, h := range res.Matches[i].Card.Holdings {
		got[fmt.Sprintf("%s %s", h.Type, h.Property)] = h.Count
		if h.PropertyLabel == "" || h.TypeLabel == "" {
			t.Errorf("holding without labels: %+v", h)
		}
	}
	if !maps.Equal(got, want) || len(want) < 3 {
		t.Errorf("owner %s holds\n got %v\nwant %v", owner, got, want)
	}
}

// Resolving an owner ID that no owner has, but records hold, says what
// they hold, per type and property.
func TestResolveSaysWhatRecordsHoldAsAnUnknownOwnerID(t *testing.T) {
	e := newEnv(t, smallObjects, nil)
	e.sync(t)
	ctx := context.Background()
	findings, err := e.p.Findings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(findings, func(f store.Finding) bool { return f.Kind == store.FindingRecordsUnknownOwner })
	if i < 0 {
		t.Fatal("the sandbox plants no unknown owner ID on records")
	}
	id := findings[i].Records[0].OwnerID
	want := map[string]int{}
	for _, c := range allContacts(t, e.p) {
		if c.OwnerID == id {
			want["contacts hubspot_owner_id"]++
		}
	}
	for _, rec := range sandboxOwned(t, e) {
		for _, op := range rec.owners {
			if slices.Contains(store.SplitOwnerIDs(rec.values[op.Name], op.Multi), id) {
				want[fmt.Sprintf("%s %s", rec.typ, op.Name)]++
			}
		}
	}
	res, err := e.p.Resolve(ctx, string(id))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, h := range res.HeldAsOwnerID {
		got[fmt.Sprintf("%s %s", h.Type, h.Property)] = h.Count
	}
	if !maps.Equal(got, want) || len(want) == 0 {
		t.Errorf("records hold %s\n got %v\nwant %v", id, got, want)
	}
}
