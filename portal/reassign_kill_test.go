package portal

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

// killChildEnv carries a childJob to the test binary re-executed as the
// process that gets killed.
const killChildEnv = "HSADMIN_REASSIGN_KILL_CHILD"

type childJob struct {
	childPortal
	JobID int64
}

// TestReassignKillChild is the process TestReassignSurvivesKills kills: it
// runs one job against the parent's sandbox. Run alone, it does nothing.
func TestReassignKillChild(t *testing.T) {
	var job childJob
	p := openKillChild(t, killChildEnv, "TestReassignSurvivesKills", &job)
	if _, err := p.Run(context.Background(), job.JobID, nil); err != nil {
		t.Fatal(err)
	}
}

// TestReassignSurvivesKills kills a process running a job at random points
// (before HubSpot sees a batch, right after it applied one, or a moment
// later while the journal is being written), then resumes the job here:
// every contact must end at its planned owner, the journal must agree,
// and no contact may have been written twice.
func TestReassignSurvivesKills(t *testing.T) {
	skipUnlessKillParent(t, killChildEnv, 20)
	rng := rand.New(rand.NewPCG(2026, 11))
	killed := 0
	for trial := range 20 {
		t.Run(fmt.Sprint(trial), func(t *testing.T) {
			if killTrial(t, rng) {
				killed++
			}
		})
	}
	if killed < 15 {
		t.Errorf("only %d of 20 trials killed the child; the kill points are not spread over the job", killed)
	}
}

type killMode int

const (
	killBeforeServe killMode = iota // the batch never reaches HubSpot
	killAfterServe                  // HubSpot applied it; the answer is lost
	killLater                       // a moment after the answer: mid-journal write
)

// killTrial runs one trial and reports whether the child was killed.
func killTrial(t *testing.T, rng *rand.Rand) bool {
	const contacts, batch = 240, 10
	batches := contacts / batch
	killAt := 1 + rng.IntN(batches+2) // now and then past the end: the child finishes
	mode := killMode(rng.IntN(3))
	delay := time.Duration(rng.IntN(3000)) * time.Microsecond

	var mu sync.Mutex
	var child *exec.Cmd
	var writes int
	killedIt := false
	kill := func() {
		mu.Lock()
		defer mu.Unlock()
		if child != nil && !killedIt {
			killedIt = true
			_ = child.Process.Kill()
		}
	}
	killer := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasSuffix(r.URL.Path, "/batch/update") {
				next.ServeHTTP(w, r)
				return
			}
			mu.Lock()
			writes++
			now := writes == killAt && child != nil
			mu.Unlock()
			if now && mode == killBeforeServe {
				kill()
				return
			}
			next.ServeHTTP(w, r)
			switch {
			case now && mode == killAfterServe:
				kill()
			case now && mode == killLater:
				time.AfterFunc(delay, kill)
			}
		})
	}
	e := newEnv(t, hubspottest.Config{Contacts: contacts}, killer)
	e.sync(t)
	ctx := context.Background()
	f := e.sb.Fixtures()
	to := otherOwner(t, e.p, f.ActiveOwner)
	var ids []hubspot.ContactID
	for _, c := range allContacts(t, e.p) {
		ids = append(ids, c.ContactID)
	}
	plan, err := e.p.PlanReassign(ctx, ReassignRequest{Contacts: ids, To: string(to.ID), BatchSize: batch})
	if err != nil {
		t.Fatal(err)
	}
	id, err := e.p.RecordReassign(ctx, plan)
	if err != nil {
		t.Fatal(err)
	}

	runCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	cmd, out := killChildCommand(runCtx, "TestReassignKillChild", killChildEnv, childJob{e.childPortal(), id})
	mu.Lock()
	if err := cmd.Start(); err != nil {
		mu.Unlock()
		t.Fatal(err)
	}
	child = cmd
	mu.Unlock()
	waitErr := cmd.Wait()
	mu.Lock()
	wasKilled := killedIt
	mu.Unlock()
	if waitErr != nil && !wasKilled {
		t.Fatalf("the child failed on its own: %v\n%s", waitErr, out.String())
	}

	// The child is gone: the jobs view must not call its job running, and
	// what it says must be what the items say.
	assertOutcomesTrue(t, e.p)
	jb, err := e.p.journal.Job(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if wasKilled && jb.State != store.JobInterrupted && jb.State != store.JobPlanned && jb.State != store.JobDone {
		t.Errorf("after a kill at write %d (mode %d) the job is %s, want interrupted", killAt, mode, jb.State)
	}
	if store.Unfinished(jb.State) {
		if !wasKilled {
			t.Fatalf("the child finished but left the job %s", jb.State)
		}
		res, err := e.p.Resume(ctx, id, nil)
		if err != nil || res.State != store.JobDone {
			t.Fatalf("resume after a kill at write %d (mode %d): %+v, %v", killAt, mode, res, err)
		}
	}
	want := make(map[hubspot.ContactID]hubspot.OwnerID, len(plan.Items))
	for _, it := range plan.Items {
		want[it.ContactID] = to.ID
	}
	e.assertAtOwners(t, e.p, want) // the parent's mirror is what a resume updated
	if states := e.journalAgrees(t, e.p, id); states[store.ItemDone] != plan.Count() {
		t.Errorf("journal after a kill at write %d (mode %d): %v", killAt, mode, states)
	}
	if twice := e.appliedTwice(t); len(twice) > 0 {
		t.Errorf("kill at write %d (mode %d): %d contacts written twice", killAt, mode, len(twice))
	}
	assertOutcomesTrue(t, e.p)
	return wasKilled
}
