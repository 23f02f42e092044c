package cli

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// hsadmin restore tick ticks items off by hand, recorded as such; restore
// list and the restore-list alias show how each was ticked off.
func TestRestoreTickByHand(t *testing.T) {
	t.Parallel()
	tp, dataDir := sandboxPortal(t)
	sb := tp.sb
	fx := sb.Fixtures()
	before, _ := sb.User(fx.MultiRoleUser)
	team := string(teamOutside(t, sb, before))
	if code, out, errOut := tp.runCLI(t, append([]string{"user", "set-team", string(fx.MultiRoleUser), "--team", team, "--allow-role-loss", "--yes"}, dataDir...)...); code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut := tp.runCLI(t, append([]string{"restore", "list", "--json"}, dataDir...)...)
	var items []restoreItemJ
	if code != exitOK || json.Unmarshal([]byte(out), &items) != nil || len(items) != 2 {
		t.Fatalf("restore list: exit %d\n%s\n%s", code, out, errOut)
	}
	first := strconv.FormatInt(items[0].ID, 10)

	if code, _, errOut := tp.runCLI(t, append([]string{"restore", "tick", first, "9999"}, dataDir...)...); code == exitOK || !strings.Contains(errOut, "nothing was ticked off") {
		t.Fatalf("ticking an unknown item: exit %d %s", code, errOut)
	}
	if code, _, errOut := tp.runCLI(t, append([]string{"restore", "tick", "Sales"}, dataDir...)...); code != exitUsage {
		t.Fatalf("ticking a name: exit %d %s", code, errOut)
	}
	code, out, errOut = tp.runCLI(t, append([]string{"restore", "tick", first}, dataDir...)...)
	if code != exitOK || !strings.Contains(out, "item "+first+": "+items[0].Role) || !strings.Contains(out, "ticked off by hand") || !strings.Contains(out, "1 role still to give back") {
		t.Fatalf("restore tick: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = tp.runCLI(t, append([]string{"restore", "tick", first}, dataDir...)...)
	if code != exitOK || !strings.Contains(out, "already ticked off: ticked by hand") {
		t.Fatalf("ticking twice: exit %d\n%s", code, out)
	}

	code, out, _ = tp.runCLI(t, append([]string{"restore-list", "--all", "--json"}, dataDir...)...)
	items = nil
	if code != exitOK || json.Unmarshal([]byte(out), &items) != nil || len(items) != 2 {
		t.Fatalf("restore-list --all: exit %d\n%s", code, out)
	}
	for _, it := range items {
		ticked := strconv.FormatInt(it.ID, 10) == first
		if ticked != (it.RestoredAt != nil) || (ticked && (it.RestoredHow != "hand" || it.RestoredBy == "")) {
			t.Errorf("item %+v", it)
		}
	}
	code, out, _ = tp.runCLI(t, append([]string{"restore", "list"}, dataDir...)...)
	if code != exitOK || strings.Count(out, "re-add ") != 1 || !strings.Contains(out, "hsadmin restore tick ITEM") {
		t.Fatalf("restore list: exit %d\n%s", code, out)
	}
	code, out, _ = tp.runCLI(t, append([]string{"restore", "list", "--all"}, dataDir...)...)
	if code != exitOK || !strings.Contains(out, "done   "+items[0].Role+" (ticked by hand by ") && !strings.Contains(out, "(ticked by hand by ") {
		t.Fatalf("restore list --all: exit %d\n%s", code, out)
	}
}
