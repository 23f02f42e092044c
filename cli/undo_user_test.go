package cli

import (
	"slices"
	"strings"
	"testing"
)

// hsadmin undo JOB on a team change: refused without a way to send it that
// keeps roles, then sent through the Teams API; the user is back.
func TestUndoTeamChangeCommand(t *testing.T) {
	t.Parallel()
	tp, dataDir := sandboxPortal(t)
	sb := tp.sb
	fx := sb.Fixtures()
	before, _ := sb.User(fx.MultiRoleUser)
	team := string(teamOutside(t, sb, before))
	if code, out, errOut := tp.runCLI(t, append([]string{"user", "set-team", string(fx.MultiRoleUser), "--team", team, "--keep-roles", "--yes"}, dataDir...)...); code != exitOK {
		t.Fatalf("set-team: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut := tp.runCLI(t, append([]string{"undo", "1", "--yes"}, dataDir...)...)
	if code != exitUsage || !strings.Contains(out, "Undo job 1") || !strings.Contains(out, "dropped by HubSpot: ") || !strings.Contains(errOut, "--keep-roles") {
		t.Fatalf("a lossy undo without a flag: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = tp.runCLI(t, append([]string{"undo", "1", "--keep-roles", "--dry-run"}, dataDir...)...)
	if code != exitOK || !strings.Contains(out, "Dry run: nothing was sent") {
		t.Fatalf("dry run: exit %d\n%s\n%s", code, out, errOut)
	}
	if now, _ := sb.User(fx.MultiRoleUser); string(now.PrimaryTeamID) != team {
		t.Fatalf("the dry run changed the user: %+v", now)
	}
	code, out, errOut = tp.runCLI(t, append([]string{"undo", "1", "--keep-roles", "--yes"}, dataDir...)...)
	if code != exitOK || !strings.Contains(out, "Job 1 is undone.") {
		t.Fatalf("undo: exit %d\n%s\n%s", code, out, errOut)
	}
	after, _ := sb.User(fx.MultiRoleUser)
	if after.PrimaryTeamID != before.PrimaryTeamID || !slices.Equal(after.Roles(), before.Roles()) {
		t.Fatalf("after the undo %+v, before %+v", after, before)
	}
	if code, _, errOut := tp.runCLI(t, append([]string{"undo", "1", "--keep-roles", "--yes"}, dataDir...)...); code == exitOK || !strings.Contains(errOut, "already undone") {
		t.Fatalf("undoing twice: exit %d %s", code, errOut)
	}
}

// hsadmin undo JOB on a role change gives back the journalled primary
// role and says which dropped roles stay on the checklist.
func TestUndoRoleChangeCommand(t *testing.T) {
	t.Parallel()
	tp, dataDir := sandboxPortal(t)
	sb := tp.sb
	fx := sb.Fixtures()
	before, _ := sb.User(fx.MultiRoleUser)
	role := string(roleOutside(t, sb, before))
	if code, out, errOut := tp.runCLI(t, append([]string{"user", "set-role", string(fx.MultiRoleUser), "--role", role, "--allow-role-loss", "--yes"}, dataDir...)...); code != exitOK {
		t.Fatalf("set-role: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut := tp.runCLI(t, append([]string{"undo", "1", "--yes"}, dataDir...)...)
	if code != exitOK || !strings.Contains(out, "replaced by your choice: ") || !strings.Contains(out, "stay on the restore checklist") {
		t.Fatalf("undo: exit %d\n%s\n%s", code, out, errOut)
	}
	if after, _ := sb.User(fx.MultiRoleUser); after.RoleID != before.RoleID {
		t.Fatalf("role %s after the undo, %s before", after.RoleID, before.RoleID)
	}
}
