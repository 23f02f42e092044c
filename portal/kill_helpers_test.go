package portal

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
)

// Kill tests re-execute the test binary as a child that does one piece of
// work (a job, a sync, a team change) against the parent's sandbox and
// data directory, and kill it at a chosen moment. The parent passes the
// child its work as JSON in an environment variable.

// childPortal says where the parent's sandbox and data directory are. Each
// kill test's spec embeds it.
type childPortal struct {
	URL, Token, Dir string
	HubID           int64
}

func (e *env) childPortal() childPortal {
	return childPortal{URL: e.srv.URL, Token: e.token, Dir: e.dir, HubID: e.sb.HubID()}
}

// skipUnlessKillParent skips a parent kill test inside its own child and
// in -short runs, since it re-executes the test binary trials times.
func skipUnlessKillParent(t *testing.T, envVar string, trials int) {
	t.Helper()
	if os.Getenv(envVar) != "" {
		t.Skip("in the child")
	}
	if testing.Short() {
		t.Skipf("re-executes the test binary %d times", trials)
	}
}

// openKillChild is the start of a child test: it decodes the spec from
// envVar into spec (skipping when run alone, outside its parent) and opens
// the parent's portal.
func openKillChild(t *testing.T, envVar, parent string, spec any) *Portal {
	t.Helper()
	raw := os.Getenv(envVar)
	if raw == "" {
		t.Skip("the child half of " + parent)
	}
	var where childPortal
	if err := json.Unmarshal([]byte(raw), &where); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(raw), spec); err != nil {
		t.Fatal(err)
	}
	client := hubspot.New(hubspot.WithBaseURL(where.URL), hubspot.WithAccessToken(where.Token),
		hubspot.WithSearchRate(0), hubspot.WithRateBudget(0, 0))
	p, _, err := Open(context.Background(), Config{Client: client, DataDir: where.Dir, HubID: where.HubID, BaseURL: where.URL, Sandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// killChildCommand is the child process running test child with spec; its
// output (for when it fails on its own) goes to the returned buffer.
func killChildCommand(ctx context.Context, child, envVar string, spec any) (*exec.Cmd, *bytes.Buffer) {
	raw, err := json.Marshal(spec)
	if err != nil {
		panic(err) // specs are plain structs
	}
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^"+child+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), envVar+"="+string(raw))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	return cmd, &out
}
