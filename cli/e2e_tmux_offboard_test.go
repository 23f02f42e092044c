package cli

import (
	"context"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/portal"
)

// builtInLeaver finds, on copies of the built-in sandbox, a person whose
// offboarding to the fixtures' active owner finishes: some generated
// companies hold a deactivated owner on their account team, which HubSpot
// refuses in the value written back, and the console test is about the
// console, not that. The copies are generated from the same seed as the
// sandbox the console opens, so the person is the same there.
func builtInLeaver(t *testing.T) (email string, to hubspot.OwnerID) {
	t.Helper()
	cfg, err := defaultSandboxKnobs().config()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for attempt := 0; attempt < 8; attempt++ {
		sb := hubspottest.New(cfg)
		srv := httptest.NewServer(sb)
		token := sb.IssueToken()
		c := hubspot.New(hubspot.WithBaseURL(srv.URL), hubspot.WithAccessToken(token), hubspot.WithRateBudget(0, 0), hubspot.WithSearchRate(0))
		p, _, err := portal.Open(ctx, portal.Config{Client: c, DataDir: t.TempDir(), AccessToken: token, BaseURL: srv.URL, Sandbox: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Sync(ctx, nil); err != nil {
			t.Fatal(err)
		}
		to = sb.Fixtures().ActiveOwner
		users, err := p.Users(ctx, portal.Query{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		skipped := 0
		for _, u := range users {
			if u.SuperAdmin || u.OwnerID == "" || u.OwnerID == to || u.ContactCount == 0 {
				continue
			}
			if skipped < attempt {
				skipped++
				continue
			}
			r, err := p.PreflightOffboard(ctx, portal.OffboardRequest{Person: u.Email, To: string(to)})
			if err != nil || r.Blocked() {
				break
			}
			id, err := p.RecordOffboard(ctx, r)
			if err != nil {
				t.Fatal(err)
			}
			if res, err := p.RunOffboard(ctx, id, nil); err == nil && res.State == portal.JobDone {
				email = u.Email
			}
			break
		}
		p.Close()
		srv.Close()
		if email != "" {
			return email, to
		}
	}
	t.Fatal("no person of the built-in sandbox can be offboarded to the fixtures' active owner")
	return "", ""
}

// TestOffboardInTmux drives an offboarding in a real terminal, from the
// pre-flight report through the owner picker, the plan and the steps to
// done, and checks the person's card afterwards.
func TestOffboardInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and drives it in tmux")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (.ci/run installs it)")
	}
	email, to := builtInLeaver(t)
	bin := buildBinary(t)
	env := newcomerEnv(t)
	s := startTmux(t, 120, 40, bin+" 2>/dev/null; echo EXITED $?; sleep 30", env)
	s.waitFor("start", "1 users", "SANDBOX", "synced")

	s.keys(":", "offboard "+email, "Enter")
	s.waitFor("pre-flight report", "offboard ", "owns ", "teams ", "seats ", "enter picks who takes their records")
	s.keys("Enter")
	s.waitFor("owner picker", "new owner (name, email, owner ID or user ID):")
	s.keys(string(to))
	s.waitFor("typed owner", string(to)+"▏")
	s.keys("Enter")
	s.waitFor("plan", "plan", "1. hand over every record", "4. remove the user", "enter or y offboards")
	s.keys("Enter")
	screen := s.waitFor("done", "done", "enter closes", "removed from HubSpot")
	for _, want := range []string{"1. hand over every record", "2. take them out of every team", "3. free their seats"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the result lacks %q:\n%s", want, screen)
		}
	}
	s.keys("Enter")
	s.waitGone("closed", "enter closes")

	// The screen was refreshed: the status line says how the job ended,
	// and their owner's card that they left, and by which job.
	s.waitFor("status", "offboarding job 1 done")
	s.keys("2", "/", email)
	s.waitFor("owners filter", "/"+email)
	s.keys("Enter")
	s.waitFor("card", "deactivated", "offboarded by job 1")
	s.keys("q")
	s.waitFor("quit", "EXITED 0")
}
