package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/portal"
)

// A portal marked production asks for its name before a job of more than
// 100 changes; off a terminal --confirm-portal NAME answers.
func TestProductionPortalNeedsItsNameForBigJobs(t *testing.T) {
	t.Parallel()
	e := newLoginEnvWith(t, hubspottest.Config{Contacts: 3000, Users: 20})
	if code, _, errOut := e.run(t, e.sb.IssueToken()+"\n", "login", "--portal", "prod", "--token", "--base-url", e.srv.URL); code != exitOK {
		t.Fatalf("login: %s", errOut)
	}
	cfgPath := filepath.Join(e.dir, "hsadmin", "config.toml")
	cfg, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, cfgPath, strings.Replace(string(cfg), "[portal.prod]\n", "[portal.prod]\nproduction = true\n", 1))

	fx := e.sb.Fixtures()
	dataDir := t.TempDir()
	writes := func() int { return len(e.sb.WriteRequests()) }
	// Learn the job's size from a dry run.
	plan := []string{"reassign", "--portal", "prod", "--data-dir", dataDir, "--from", string(fx.ActiveOwner), "--to", string(fx.QueueOwner)}
	code, out, errOut := e.run(t, "", append(plan, "--dry-run")...)
	if code != exitOK {
		t.Fatalf("dry run: %s", errOut)
	}
	n := countInPlan(t, out)
	if n <= portal.ProductionConfirmAbove {
		t.Fatalf("the owner holds %d contacts; the test needs more than %d", n, portal.ProductionConfirmAbove)
	}
	confirmed := slices.Concat(plan, []string{"--yes", "--count", strconv.Itoa(n)})

	code, _, errOut = e.run(t, "", confirmed...)
	if code != exitUsage || !strings.Contains(errOut, "--confirm-portal prod") {
		t.Errorf("no portal name: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = e.run(t, "", append(confirmed, "--confirm-portal", "staging")...)
	if code != exitUsage {
		t.Errorf("wrong portal name: exit %d, stderr %q", code, errOut)
	}
	if w := writes(); w != 0 {
		t.Fatalf("%d writes reached HubSpot before the portal's name was given", w)
	}
	code, _, errOut = e.run(t, "", append(confirmed, "--confirm-portal", "prod")...)
	if code != exitOK || writes() == 0 {
		t.Errorf("with the portal's name: exit %d, %d writes, stderr %q", code, writes(), errOut)
	}
}

// countInPlan finds the number of contacts a printed plan moves.
func countInPlan(t *testing.T, plan string) int {
	t.Helper()
	for _, field := range strings.Fields(plan) {
		if n, err := strconv.Atoi(strings.ReplaceAll(field, ",", "")); err == nil && n > 0 {
			return n
		}
	}
	t.Fatalf("no count in the plan:\n%s", plan)
	return 0
}
