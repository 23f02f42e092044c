package portal

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

// diegoEnv is the default sandbox (seed 1, 60 users), where Diego Silva
// holds Sales Manager (his roleId) and Marketing Contributor and Marketing
// Manager.
func diegoEnv(t *testing.T) (*env, store.UserRow, Names) {
	t.Helper()
	e := newEnv(t, hubspottest.Config{Contacts: 30}, nil)
	e.sync(t)
	ctx := context.Background()
	diego, err := e.p.FindUser(ctx, "diego.silva")
	if err != nil {
		rows, _ := e.p.Users(ctx, store.Query{Filter: "Diego Silva", Limit: 5})
		if len(rows) != 1 {
			t.Fatalf("no single Diego Silva in the default sandbox: %v, %+v", err, rows)
		}
		diego = rows[0]
	}
	names, err := e.p.ChangeNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return e, diego, names
}

func roleID(t *testing.T, names Names, name string) hubspot.RoleID {
	t.Helper()
	id, err := names.FindRole(name)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// The reproduction: R on Diego Silva choosing Marketing Manager
// said "1 role will be lost" (Marketing Contributor); Sales Manager went too.
func TestRoleChangeAccountsForTheReplacedPrimaryRole(t *testing.T) {
	e, diego, names := diegoEnv(t)
	ctx := context.Background()
	salesMgr, mktContrib, mktMgr := roleID(t, names, "Sales Manager"), roleID(t, names, "Marketing Contributor"), roleID(t, names, "Marketing Manager")
	if diego.PrimaryRoleID != salesMgr || len(diego.RoleIDs) != 3 {
		t.Fatalf("Diego Silva is not as the issue describes: %+v", diego)
	}
	pl, err := e.p.PlanRoleChange(ctx, []hubspot.UserID{diego.UserID}, mktMgr)
	if err != nil {
		t.Fatal(err)
	}
	gone := pl.Gone(pl.Users[0])
	want := []RoleLoss{
		{RoleRef{ID: salesMgr, Name: "Sales Manager"}, LossReplaced},
		{RoleRef{ID: mktContrib, Name: "Marketing Contributor"}, LossDropped},
	}
	if !slices.Equal(gone, want) {
		t.Fatalf("the plan says %+v go, want %+v", gone, want)
	}
	if pl.GoneCount() != 2 || pl.LostCount() != 1 {
		t.Errorf("gone %d, dropped %d; want 2 and 1", pl.GoneCount(), pl.LostCount())
	}
	text := strings.Join(pl.Lines(), "\n")
	for _, s := range []string{
		"no longer held   replaced by your choice: Sales Manager; dropped by HubSpot: Marketing Contributor",
		"2 roles (1 replaced by your choice, 1 dropped by HubSpot) would be lost",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("the plan does not say %q:\n%s", s, text)
		}
	}

	res, err := e.p.ApplyUserChange(ctx, pl, MethodPut)
	if err != nil || res.Count(store.ItemDone) != 1 {
		t.Fatalf("apply: %+v, %v", res, err)
	}
	u := res.Users[0]
	if !slices.Equal(u.Replaced, []RoleRef{{ID: salesMgr, Name: "Sales Manager"}}) || !slices.Equal(u.Dropped, []RoleRef{{ID: mktContrib, Name: "Marketing Contributor"}}) {
		t.Errorf("result: replaced %+v, dropped %+v", u.Replaced, u.Dropped)
	}
	if got := StateOfUser(sandboxUser(t, e, diego.UserID)); !slices.Equal(got.RoleIDs, []hubspot.RoleID{mktMgr}) {
		t.Fatalf("HubSpot reports roles %v", got.RoleIDs)
	}

	// The journal names both, each with its reason.
	items, err := e.p.Journal().JobItems(ctx, res.JobID)
	if err != nil || len(items) != 1 {
		t.Fatalf("items %+v, %v", items, err)
	}
	var after journalAfter
	if err := json.Unmarshal(items[0].After, &after); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(after.Gone, want) {
		t.Errorf("the journal lists %+v as gone, want %+v", after.Gone, want)
	}

	// The checklist holds only what HubSpot dropped: the admin chose to
	// replace Sales Manager.
	list, err := e.p.RestoreList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].RoleID != mktContrib || list[0].UserID != diego.UserID {
		t.Errorf("restore checklist %+v, want only Marketing Contributor", list)
	}
}

// A role change on a single-role user replaces the one role: nothing is
// dropped, but the confirmation still names what goes.
func TestRoleChangeOfSingleRoleUserNamesTheReplacedRole(t *testing.T) {
	e, _, names := diegoEnv(t)
	ctx := context.Background()
	single := e.sb.Fixtures().SingleRoleUser
	u := sandboxUser(t, e, single)
	var other hubspot.RoleID
	for _, r := range names.Roles {
		if r.ID != u.RoleID {
			other = r.ID
			break
		}
	}
	pl, err := e.p.PlanRoleChange(ctx, []hubspot.UserID{single}, other)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Lossy() || pl.GoneCount() != 1 || pl.ReplacedCount() != 1 {
		t.Fatalf("lossy %v, gone %d, replaced %d", pl.Lossy(), pl.GoneCount(), pl.ReplacedCount())
	}
	if text := strings.Join(pl.VerdictLines(), "\n"); !strings.Contains(text, "1 role (replaced by your choice) would be lost; no other role is") {
		t.Errorf("verdict: %s", text)
	}
}
