package cli

import (
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

// TestOfflineWorksFromTheMirror: with HubSpot out of reach, a portal synced
// before is still browsable from the command line, and one never synced
// gets an error that does not promise a mirror.
func TestOfflineWorksFromTheMirror(t *testing.T) {
	t.Parallel()
	tp := newTokenPortal(t, hubspottest.Config{Contacts: 200, Users: 12})
	tp.sync(t)
	fx, dataDir := tp.sb.Fixtures(), tp.dataDir
	tp.srv.Close() // the network is gone

	code, out, errOut := tp.runCLI(t, "resolve", "--data-dir", dataDir, string(fx.ActiveOwner))
	if code != exitOK || !strings.Contains(out, "owner ID") {
		t.Fatalf("resolve offline: exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	if !strings.Contains(errOut, "HubSpot cannot be reached") || !strings.Contains(errOut, "local mirror") {
		t.Errorf("resolve offline does not say it works from the mirror: %q", errOut)
	}
	if code, out, errOut := tp.runCLI(t, "findings", "--data-dir", dataDir); code != exitOK || !strings.Contains(out, "deactivated owners") {
		t.Errorf("findings offline: exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}

	code, _, errOut = tp.runCLI(t, "sync", "--data-dir", dataDir)
	if code != exitFailure || !strings.Contains(errOut, "cannot reach HubSpot") || !strings.Contains(errOut, "mirror is still browsable") {
		t.Errorf("sync offline with a mirror: exit %d, stderr %q", code, errOut)
	}

	// A token never seen: nothing to browse, and the error says so.
	tp.setenv("HUBSPOT_ACCESS_TOKEN", "pat-na1-00000000-0000-0000-0000-000000000000")
	code, _, errOut = tp.runCLI(t, "findings", "--data-dir", dataDir)
	if code != exitFailure || !strings.Contains(errOut, "no local mirror of this portal yet") || strings.Contains(errOut, "still browsable") {
		t.Errorf("findings offline without a mirror: exit %d, stderr %q", code, errOut)
	}
}
