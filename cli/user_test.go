package cli

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

// sandboxPortal serves a small sandbox that outlives single commands, so
// that one command's changes and journal are seen by the next. It returns
// the flags that point a command at it.
func sandboxPortal(t *testing.T) (*tokenPortal, []string) {
	t.Helper()
	tp := newTokenPortal(t, hubspottest.Config{Contacts: 30, Users: 24})
	return tp, []string{"--data-dir", tp.dataDir}
}

// writeRequests lists the requests that could change something.
func writeRequests(sb *hubspottest.Server) []hubspottest.Request { return sb.WriteRequests() }

// teamOutside is a team u is not a member of.
func teamOutside(t *testing.T, sb *hubspottest.Server, u hubspot.User) hubspot.TeamID {
	t.Helper()
	for _, id := range sb.Fixtures().Teams {
		if id != u.PrimaryTeamID && !slices.Contains(u.SecondaryTeamIDs, id) {
			return id
		}
	}
	t.Fatal("no team outside the user's")
	return ""
}

// roleOutside is a role u does not hold.
func roleOutside(t *testing.T, sb *hubspottest.Server, u hubspot.User) hubspot.RoleID {
	t.Helper()
	for _, r := range sb.Fixtures().Roles {
		if !slices.Contains(u.Roles(), r) {
			return r
		}
	}
	t.Fatal("no role outside the user's")
	return ""
}

func TestUserSetTeamRefusesLossUnlessAllowed(t *testing.T) {
	t.Parallel()
	tp, dataDir := sandboxPortal(t)
	sb := tp.sb
	fx := sb.Fixtures()
	before, _ := sb.User(fx.MultiRoleUser)
	team := string(teamOutside(t, sb, before))
	args := func(extra ...string) []string {
		return append(append([]string{"user", "set-team", string(fx.MultiRoleUser), "--team", team}, dataDir...), extra...)
	}

	code, out, errOut := tp.runCLI(t, args()...)
	if code != exitUsage || !strings.Contains(errOut, "drops 2 roles") || !strings.Contains(errOut, "--keep-roles") {
		t.Fatalf("lossy change without a flag: exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	if !strings.Contains(out, "no longer held   dropped by HubSpot: ") || !strings.Contains(out, "(user "+string(fx.MultiRoleUser)+")") {
		t.Errorf("the plan is not printed:\n%s", out)
	}
	code, out, errOut = tp.runCLI(t, args("--allow-role-loss", "--dry-run")...)
	if code != exitOK || !strings.Contains(out, "Dry run: nothing was sent") {
		t.Fatalf("dry run: exit %d\n%s\n%s", code, out, errOut)
	}
	code, _, errOut = tp.runCLI(t, args("--allow-role-loss")...)
	if code != exitUsage || !strings.Contains(errOut, "--yes") {
		t.Fatalf("off a terminal without --yes: exit %d, %s", code, errOut)
	}
	if w := writeRequests(sb); len(w) != 0 {
		t.Fatalf("refused and dry runs sent %+v", w)
	}

	// Keeping every role through the Teams API, the user named by email.
	code, out, errOut = tp.runCLI(t, append([]string{"user", "set-team", before.Email, "--team", team, "--keep-roles", "--yes"}, dataDir...)...)
	if code != exitOK {
		t.Fatalf("--keep-roles: exit %d\n%s\n%s", code, out, errOut)
	}
	after, _ := sb.User(fx.MultiRoleUser)
	if !slices.Equal(after.Roles(), before.Roles()) || string(after.PrimaryTeamID) != team {
		t.Fatalf("after --keep-roles: %+v", after)
	}
	w := writeRequests(sb)
	if len(w) != 1 || w[0].Method != "POST" || !strings.HasSuffix(w[0].Path, "/"+team+"/members") {
		t.Fatalf("--keep-roles sent %+v", w)
	}
}

func TestUserSetTeamByPutFillsTheRestoreList(t *testing.T) {
	t.Parallel()
	tp, dataDir := sandboxPortal(t)
	sb := tp.sb
	fx := sb.Fixtures()
	before, _ := sb.User(fx.MultiRoleUser)
	team := string(teamOutside(t, sb, before))
	code, out, errOut := tp.runCLI(t, append([]string{"user", "set-team", string(fx.MultiRoleUser), "--team", team, "--allow-role-loss", "--yes", "--json"}, dataDir...)...)
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	var doc userChangeOut
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not one JSON document: %v\n%s", err, out)
	}
	if doc.Method != "put" || doc.Result == nil || len(doc.Result.Users) != 1 || len(doc.Result.Users[0].Dropped) != 2 || doc.Result.Users[0].State != "done" {
		t.Fatalf("result %s", out)
	}
	w := writeRequests(sb)
	if len(w) != 1 || w[0].Method != "PUT" || strings.Contains(string(w[0].Body), "roleIds") ||
		!strings.Contains(string(w[0].Body), `"roleId":"`+string(before.RoleID)+`"`) || !strings.Contains(string(w[0].Body), `"secondaryTeamIds":`) {
		t.Fatalf("PUT %+v %s", w, w[0].Body)
	}

	code, out, errOut = tp.runCLI(t, append([]string{"restore-list", "--json"}, dataDir...)...)
	if code != exitOK {
		t.Fatalf("restore-list: exit %d %s", code, errOut)
	}
	var items []restoreItemJ
	if err := json.Unmarshal([]byte(out), &items); err != nil || len(items) != 2 {
		t.Fatalf("restore-list --json: %v\n%s", err, out)
	}
	for _, it := range items {
		if it.UserID != string(fx.MultiRoleUser) || it.RoleID == string(before.RoleID) || !strings.Contains(it.Link, "/users/user/"+string(fx.MultiRoleUser)) || it.RestoredAt != nil {
			t.Errorf("item %+v", it)
		}
	}
	code, out, _ = tp.runCLI(t, append([]string{"restore-list"}, dataDir...)...)
	if code != exitOK || strings.Count(out, "re-add ") != 2 || !strings.Contains(out, "https://") {
		t.Fatalf("restore-list: exit %d\n%s", code, out)
	}
}

func TestUserSetRoleSafety(t *testing.T) {
	t.Parallel()
	tp, dataDir := sandboxPortal(t)
	sb := tp.sb
	fx := sb.Fixtures()
	role := string(fx.Roles[len(fx.Roles)-1])
	code, _, errOut := tp.runCLI(t, append([]string{"user", "set-role", string(fx.MultiRoleUser), "--role", role, "--keep-roles"}, dataDir...)...)
	if code != exitUsage || !strings.Contains(errOut, "no API can keep the others") {
		t.Fatalf("set-role --keep-roles: exit %d %s", code, errOut)
	}
	// A single-role user's role change only replaces the role the admin
	// chose to replace: no warning, no flag, but the plan says what goes.
	code, out, errOut := tp.runCLI(t, append([]string{"user", "set-role", string(fx.SingleRoleUser), "--role", role, "--yes"}, dataDir...)...)
	if code != exitOK || strings.Contains(out, "dropped by HubSpot") || !strings.Contains(out, "1 role (replaced by your choice) would be lost; no other role is") {
		t.Fatalf("single-role set-role: exit %d\n%s\n%s", code, out, errOut)
	}
	if u, _ := sb.User(fx.SingleRoleUser); !slices.Equal(u.Roles(), []hubspot.RoleID{hubspot.RoleID(role)}) {
		t.Fatalf("roles %v", u.Roles())
	}
	code, _, errOut = tp.runCLI(t, append([]string{"user", "set-role", string(fx.MultiRoleUser), "--role", role, "--yes"}, dataDir...)...)
	if code != exitUsage || !strings.Contains(errOut, "--allow-role-loss (keeping them is not possible") {
		t.Fatalf("multi-role set-role without --allow-role-loss: exit %d %s", code, errOut)
	}
	code, _, errOut = tp.runCLI(t, append([]string{"user", "set-team", string(fx.MultiRoleUser), "--team", "No Such Team"}, dataDir...)...)
	if code != exitFailure || !strings.Contains(errOut, "no team") {
		t.Fatalf("unknown team: exit %d %s", code, errOut)
	}
}

func TestUserSetTeamReadOnlySendsNothing(t *testing.T) {
	t.Parallel()
	tp, dataDir := sandboxPortal(t)
	sb := tp.sb
	fx := sb.Fixtures()
	single, _ := sb.User(fx.SingleRoleUser)
	multi, _ := sb.User(fx.MultiRoleUser)
	var team string
	for _, id := range fx.Teams {
		if id != single.PrimaryTeamID && id != multi.PrimaryTeamID {
			team = string(id)
		}
	}
	for _, extra := range [][]string{{"--yes"}, {"--keep-roles", "--yes"}, {"--allow-role-loss", "--yes"}} {
		for _, user := range []hubspot.UserID{fx.SingleRoleUser, fx.MultiRoleUser} {
			args := append(append([]string{"user", "set-team", string(user), "--team", team, "--read-only"}, dataDir...), extra...)
			code, _, errOut := tp.runCLI(t, args...)
			if code == exitOK || !strings.Contains(errOut, "read-only") && !strings.Contains(errOut, "drops") {
				t.Errorf("%v: exit %d, %s", args, code, errOut)
			}
		}
	}
	if w := writeRequests(sb); len(w) != 0 {
		t.Fatalf("a read-only portal sent %+v", w)
	}
}
