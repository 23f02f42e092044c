package cli

import (
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

// TestResolveOwnerWithoutUser: hsadmin resolve calls an owner synced from
// Salesforce an active owner with no HubSpot user, not a deactivated one.
func TestResolveOwnerWithoutUser(t *testing.T) {
	t.Parallel()
	tp := newTokenPortal(t, hubspottest.Config{Contacts: 300, Users: 12})
	tp.sync(t)
	id := string(tp.sb.Fixtures().OwnerWithoutUser)
	code, out, errOut := tp.runCLI(t, "resolve", "--data-dir", tp.dataDir, id)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "active owner with no HubSpot user (e.g. synced from Salesforce)") ||
		!strings.Contains(out, "an owner with no HubSpot user, e.g. synced from Salesforce") || strings.Contains(out, "deactivated") {
		t.Errorf("resolve %s:\n%s", id, out)
	}
}
