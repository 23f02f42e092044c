package cli

import (
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

// TestReadOnlySendsNoWrites runs every writing command with --read-only
// against a sandbox and checks that nothing but reads reached it.
func TestReadOnlySendsNoWrites(t *testing.T) {
	t.Parallel()
	tp := newTokenPortal(t, hubspottest.Config{Contacts: 200, Users: 12})
	tp.sync(t)
	sb, fx, dataDir := tp.sb, tp.sb.Fixtures(), tp.dataDir
	before := len(sb.Requests())

	for _, args := range [][]string{
		{"reassign", "--read-only", "--data-dir", dataDir, "--from", string(fx.ArchivedOwner), "--to", string(fx.ActiveOwner), "--yes", "--count", "10000"},
		{"user", "set-team", "--read-only", "--data-dir", dataDir, string(fx.MultiRoleUser), "--team", string(fx.Teams[len(fx.Teams)-1]), "--allow-role-loss", "--yes"},
		{"user", "set-team", "--read-only", "--data-dir", dataDir, string(fx.MultiRoleUser), "--team", string(fx.Teams[len(fx.Teams)-1]), "--keep-roles", "--yes"},
		{"user", "create", "ro.new@example.com", "--first", "Read", "--last", "Only", "--read-only", "--data-dir", dataDir, "--yes"},
	} {
		code, _, errOut := tp.runCLI(t, args...)
		if code == exitOK {
			t.Errorf("%v succeeded on a read-only portal", args)
		}
		t.Logf("%s -> %s", args[0], errOut)
		if !strings.Contains(strings.ToLower(errOut), "read-only") {
			t.Errorf("%v: the error does not say the portal is read-only: %q", args, errOut)
		}
	}
	for _, r := range sb.Requests()[before:] {
		if r.Writes() {
			t.Errorf("a read-only run sent %s %s", r.Method, r.Path)
		}
	}
}
