package cli

import (
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

// The Teams API knobs reach the sandbox's configuration; a wrong name is a
// usage error that lists the right ones.
func TestSandboxTeamsKnobs(t *testing.T) {
	t.Parallel()
	k := defaultSandboxKnobs()
	k.addDefault, k.deleteUntyped = "keeps-both", "both"
	cfg, err := k.config()
	if err != nil || cfg.TeamsBeta != (hubspottest.TeamsBeta{AddDefault: hubspottest.AddDefaultKeepsBoth, DeleteUntyped: hubspottest.DeleteUntypedBoth}) {
		t.Fatalf("config %+v, %v", cfg.TeamsBeta, err)
	}
	if cfg, err := defaultSandboxKnobs().config(); err != nil || cfg.TeamsBeta.AddDefault != hubspottest.AddDefaultMoves || cfg.TeamsBeta.DeleteUntyped != hubspottest.DeleteUntypedDefault {
		t.Fatalf("defaults %+v, %v", cfg.TeamsBeta, err)
	}
	k.addDefault = "moved"
	if _, err := k.config(); err == nil || !strings.Contains(err.Error(), "moves, refused or keeps-both") {
		t.Fatalf("a wrong rule: %v", err)
	}
	code, _, errOut := cliEnv(t).runCLI(t, "sandbox", "--teams-delete-untyped", "extra")
	if code != exitUsage || !strings.Contains(errOut, "default or both") {
		t.Fatalf("hsadmin sandbox --teams-delete-untyped extra: exit %d %s", code, errOut)
	}
}
