package portal

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

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

// childKiller is a sandbox middleware that kills the child process at the
// at-th request that counts (arm sets it; none before), before HubSpot
// serves it, right after, or delay later, as mode says.
type childKiller struct {
	counts func(*http.Request) bool
	mode   killMode
	delay  time.Duration

	mu       sync.Mutex
	child    *exec.Cmd
	seen, at int
	killedOn string // the path of the request the kill fell on
	killed   bool
}

// arm counts requests from now on and kills at the at-th.
func (k *childKiller) arm(at int) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.seen, k.at = 0, at
}

// start starts the child the killer may kill.
func (k *childKiller) start(cmd *exec.Cmd) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := cmd.Start(); err != nil {
		return err
	}
	k.child = cmd
	return nil
}

// outcome reports whether the child was killed, and on which request path.
func (k *childKiller) outcome() (bool, string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.killed, k.killedOn
}

func (k *childKiller) kill(path string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.child != nil && !k.killed {
		k.killed, k.killedOn = true, path
		_ = k.child.Process.Kill()
	}
}

func (k *childKiller) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !k.counts(r) {
			next.ServeHTTP(w, r)
			return
		}
		k.mu.Lock()
		k.seen++
		now := k.at > 0 && k.seen == k.at && k.child != nil
		k.mu.Unlock()
		path := r.URL.Path
		if now && k.mode == killBeforeServe {
			k.kill(path)
			return
		}
		next.ServeHTTP(w, r)
		switch {
		case now && k.mode == killAfterServe:
			k.kill(path)
		case now && k.mode == killLater:
			time.AfterFunc(k.delay, func() { k.kill(path) })
		}
	})
}
