package cli

import (
	"strings"
	"testing"
)

// set-role counts every role the user stops holding: the replaced primary
// role and the ones HubSpot drops.
func TestUserSetRoleCountsTheReplacedRole(t *testing.T) {
	t.Parallel()
	tp, dataDir := sandboxPortal(t)
	sb := tp.sb
	fx := sb.Fixtures()
	before, _ := sb.User(fx.MultiRoleUser)
	role := string(roleOutside(t, sb, before))
	code, out, errOut := tp.runCLI(t, append([]string{"user", "set-role", string(fx.MultiRoleUser), "--role", role}, dataDir...)...)
	if code != exitUsage || !strings.Contains(errOut, "takes 3 roles (1 replaced by your choice, 2 dropped by HubSpot)") ||
		!strings.Contains(out, "3 roles (1 replaced by your choice, 2 dropped by HubSpot) would be lost") {
		t.Fatalf("set-role without --allow-role-loss: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = tp.runCLI(t, append([]string{"user", "set-role", string(fx.MultiRoleUser), "--role", role, "--allow-role-loss", "--yes"}, dataDir...)...)
	if code != exitOK || !strings.Contains(out, "replaced by your choice: ") || !strings.Contains(out, "dropped by HubSpot: ") || !strings.Contains(out, "2 roles on the restore checklist") {
		t.Fatalf("set-role: exit %d\n%s\n%s", code, out, errOut)
	}
}
