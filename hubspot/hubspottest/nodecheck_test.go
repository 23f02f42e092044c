package hubspottest

import (
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestOfficialNodeClient runs HubSpot's official Node client against the
// sandbox (nodecheck/check.js). It never downloads anything: it is skipped
// unless node is installed and @hubspot/api-client is in nodecheck/
// node_modules or in the directory HSADMIN_NODECHECK_MODULES names
// (`npm install` in nodecheck/ puts it there).
func TestOfficialNodeClient(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	modules := os.Getenv("HSADMIN_NODECHECK_MODULES")
	if modules == "" {
		modules, _ = filepath.Abs(filepath.Join("nodecheck", "node_modules"))
	}
	if _, err := os.Stat(filepath.Join(modules, "@hubspot", "api-client", "package.json")); err != nil {
		t.Skip("@hubspot/api-client is not installed: run npm install in hubspot/hubspottest/nodecheck, or set HSADMIN_NODECHECK_MODULES")
	}
	s := New(Config{Contacts: 500})
	srv := httptest.NewServer(s)
	defer srv.Close()
	f := s.Fixtures()
	script, _ := filepath.Abs(filepath.Join("nodecheck", "check.js"))
	cmd := exec.Command(node, script)
	cmd.Env = append(os.Environ(),
		"NODE_PATH="+modules,
		"HUBSPOT_BASE_URL="+srv.URL,
		"HUBSPOT_TOKEN="+s.IssueToken(),
		"ACTIVE_OWNER="+string(f.ActiveOwner),
		"ARCHIVED_OWNER="+string(f.ArchivedOwner),
		"CUSTOM_TYPE="+s.CustomObjectTypeID(),
	)
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		reqs := s.Requests()
		for _, r := range reqs[max(0, len(reqs)-3):] {
			t.Logf("%s %s?%s -> %d", r.Method, r.Path, r.RawQuery, r.Status)
		}
		t.Fatalf("the official Node client failed against the sandbox: %v", err)
	}
}
