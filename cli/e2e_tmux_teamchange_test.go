package cli

import (
	"context"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

// builtInTeamMove names the built-in sandbox's multi-role user and a team
// that is not their primary one, read from a copy of that sandbox.
func builtInTeamMove(t *testing.T) (user hubspot.UserID, team string) {
	t.Helper()
	cfg, err := defaultSandboxKnobs().config()
	if err != nil {
		t.Fatal(err)
	}
	sb := hubspottest.New(cfg)
	srv := httptest.NewServer(sb)
	defer srv.Close()
	c := hubspot.New(hubspot.WithBaseURL(srv.URL), hubspot.WithAccessToken(sb.IssueToken()), hubspot.WithRateBudget(0, 0))
	user = sb.Fixtures().MultiRoleUser
	u, err := c.GetUser(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	teams, err := c.Teams(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, tm := range teams {
		if tm.ID != u.PrimaryTeamID {
			return user, tm.Name
		}
	}
	t.Fatal("the sandbox has a single team")
	return "", ""
}

// TestTeamChangeWarningInTmux walks from the keypress on a multi-role user
// to the warning dialog in a real terminal, and cancels: nothing is sent.
func TestTeamChangeWarningInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and drives it in tmux")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (.ci/run installs it)")
	}
	user, team := builtInTeamMove(t)
	bin := buildBinary(t)
	env := newcomerEnv(t)
	s := startTmux(t, 100, 32, bin+" 2>/dev/null; echo EXITED $?; sleep 30", env)
	s.waitFor("start", "1 users", "SANDBOX", "synced")

	s.keys("/", string(user))
	s.waitFor("filter", "/"+string(user))
	s.keys("Enter", "t")
	s.waitFor("picker", "primary team for", "filter teams:")
	s.keys(strings.ToLower(team[:4]))
	s.waitFor("filtered picker", "▸ "+team)
	s.keys("Enter")
	screen := s.waitFor("warning", "no longer held", "1  Keep all roles", "2  Proceed and drop 2 roles", "▸ 3  Cancel")
	if !strings.Contains(screen, "→ "+team) {
		t.Errorf("the plan does not show the move to %s:\n%s", team, screen)
	}
	s.keys("Escape")
	s.waitFor("cancelled", "nothing was sent")
	s.keys("q")
	s.waitFor("quit", "EXITED 0")
}
