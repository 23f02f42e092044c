package portal

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

// onboardKillChildEnv carries an onboardKillChild to the re-executed test
// binary that gets killed.
const onboardKillChildEnv = "HSADMIN_ONBOARD_KILL_CHILD"

type onboardKillChild struct {
	childPortal
	Plan OnboardPlan
}

// TestKillOnboardChild is the process TestKillOnboardNeverDuplicates kills:
// it journals and runs one onboarding plan. Run alone, it does nothing.
func TestKillOnboardChild(t *testing.T) {
	var job onboardKillChild
	p := openKillChild(t, onboardKillChildEnv, "TestKillOnboardNeverDuplicates", &job)
	if _, err := p.StartOnboard(context.Background(), job.Plan, nil); err != nil {
		t.Fatal(err)
	}
}

// postKiller kills the child when its nth user POST arrives: before the
// POST reaches HubSpot, or after HubSpot made the user but before the
// answer leaves.
type postKiller struct {
	mu      sync.Mutex
	handler http.Handler
	child   *exec.Cmd
	nth     int
	landed  bool
	posts   int
	killed  bool
}

func (k *postKiller) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	k.mu.Lock()
	if k.killed {
		k.mu.Unlock()
		panic(http.ErrAbortHandler) // nothing more from a dying child
	}
	now := false
	if k.child != nil && r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, usersPath) {
		k.posts++
		now = k.posts == k.nth
	}
	k.mu.Unlock()
	if !now {
		k.handler.ServeHTTP(w, r)
		return
	}
	if k.landed {
		k.handler.ServeHTTP(httptest.NewRecorder(), r) // the answer is lost with the child
	}
	k.mu.Lock()
	k.killed = true
	_ = k.child.Process.Kill()
	k.mu.Unlock()
	panic(http.ErrAbortHandler)
}

// TestKillOnboardNeverDuplicates kills a process creating three people at
// the second create, between its journal write and the POST and after the
// POST landed, then resumes the job here: every person exists exactly once,
// and the create that landed is found by email and never sent again.
func TestKillOnboardNeverDuplicates(t *testing.T) {
	skipUnlessKillParent(t, onboardKillChildEnv, 2)
	for _, landed := range []bool{false, true} {
		name := map[bool]string{false: "before the POST lands", true: "after the POST landed"}[landed]
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			k := &postKiller{nth: 2, landed: landed}
			e := newEnv(t, hubspottest.Config{Contacts: 10, Users: 24}, func(h http.Handler) http.Handler {
				k.handler = h
				return k
			})
			e.sync(t)
			emails := []string{"k1@example.com", "k2@example.com", "k3@example.com"}
			var people []NewUser
			for i, em := range emails {
				people = append(people, NewUser{Email: em, First: "Kill", Last: string(rune('A' + i)), Roles: []string{"Sales Rep"}})
			}
			plan, err := e.p.PlanOnboard(ctx, "", people)
			if err != nil || len(plan.Sendable()) != 3 {
				t.Fatalf("%v %v", plan.Lines(), err)
			}
			cmd, out := killChildCommand(ctx, "TestKillOnboardChild", onboardKillChildEnv, onboardKillChild{childPortal: e.childPortal(), Plan: plan})
			k.mu.Lock()
			k.child = cmd
			k.mu.Unlock()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			_ = cmd.Wait()
			k.mu.Lock()
			killed := k.killed
			k.child, k.killed = nil, false // the parent's own requests pass
			k.mu.Unlock()
			if !killed {
				t.Fatalf("the child was not killed:\n%s", out)
			}
			hist, err := e.p.JobHistory(ctx)
			if err != nil || len(hist) == 0 || hist[0].Kind != KindOnboard {
				t.Fatalf("history %+v, %v", hist, err)
			}
			job := hist[0]
			if job.State != store.JobInterrupted || !job.Resumable() || job.Items.Sent != 1 || job.Items.Done != 1 || job.Items.Pending != 1 {
				t.Fatalf("job after the kill: %s, items %+v", job.State, job.Items)
			}
			res, err := e.p.RunOnboard(ctx, job.ID, nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.State != store.JobDone || res.Count(store.ItemDone) != 3 {
				t.Fatalf("resumed: %+v", res)
			}
			for _, em := range emails {
				if n := len(usersWithEmail(t, e, em)); n != 1 {
					t.Errorf("%s: %d users in HubSpot, want 1", em, n)
				}
				if n := postsFor(e.sb, em); n != 1 {
					t.Errorf("%s: %d POSTs reached HubSpot, want 1", em, n)
				}
			}
			if landed && !strings.Contains(res.Rows[1].Message, "created before an interruption") {
				t.Errorf("row 2 says %q", res.Rows[1].Message)
			}
			if rows, _ := e.p.Users(ctx, store.Query{Filter: "k2@example.com"}); len(rows) != 1 {
				t.Errorf("mirror holds %d rows for k2", len(rows))
			}
		})
	}
}
