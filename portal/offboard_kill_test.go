package portal

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/store"
)

// offboardKillEnv carries a childJob to the test binary re-executed as the
// process that gets killed mid-offboarding.
const offboardKillEnv = "HSADMIN_OFFBOARD_KILL_CHILD"

// TestOffboardKillChild is the process TestOffboardSurvivesKills kills: it
// runs one offboarding job against the parent's sandbox. Run alone, it
// does nothing.
func TestOffboardKillChild(t *testing.T) {
	var job childJob
	p := openKillChild(t, offboardKillEnv, "TestOffboardSurvivesKills", &job)
	if _, err := p.RunOffboard(context.Background(), job.JobID, nil); err != nil {
		t.Fatal(err)
	}
}

// isWrite tells the requests that change the portal from reads: batch
// reads and searches are POSTs that change nothing.
func isWrite(r *http.Request) bool {
	switch r.Method {
	case http.MethodGet:
		return false
	case http.MethodPost:
		return !strings.HasSuffix(r.URL.Path, "/batch/read") && !strings.HasSuffix(r.URL.Path, "/search")
	}
	return true
}

// TestOffboardSurvivesKills kills a process running an offboarding at
// every write of every step (before HubSpot sees it, right after HubSpot
// applied it, a moment later while the journal is written), then resumes
// here: every step must end done and verified, nothing written twice, and
// the jobs view true throughout.
func TestOffboardSurvivesKills(t *testing.T) {
	const trials = 21
	skipUnlessKillParent(t, offboardKillEnv, trials)
	// The kill points spread over every write of an offboarding left to
	// run, so that every step is hit however many batches the hand-over
	// takes.
	total := offboardWrites(t)
	killed := 0
	steps := map[string]bool{}
	for trial := range trials {
		t.Run(fmt.Sprint(trial), func(t *testing.T) {
			step, wasKilled := offboardKillTrial(t, 1+trial*(total-1)/(trials-1), killMode(trial%3))
			if wasKilled {
				killed++
				steps[step] = true
			}
		})
	}
	if killed < trials-3 {
		t.Errorf("only %d of %d trials killed the child", killed, trials)
	}
	for _, s := range OffboardSteps {
		if !steps[s] {
			t.Errorf("no trial killed the child during step %s (killed during %v)", s, steps)
		}
	}
}

// offboardWrites is how many writes one whole offboarding sends, run here
// without a kill.
func offboardWrites(t *testing.T) int {
	t.Helper()
	var mu sync.Mutex
	writes := 0
	counter := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if isWrite(r) {
				mu.Lock()
				writes++
				mu.Unlock()
			}
			next.ServeHTTP(w, r)
		})
	}
	e := newEnv(t, offboardConfig(), counter)
	e.sync(t)
	ctx := context.Background()
	u := leaver(t, e)
	r, err := e.p.PreflightOffboard(ctx, OffboardRequest{Person: u.Email, To: string(successor(t, e, u).ID)})
	if err != nil || r.Blocked() {
		t.Fatalf("%v, %v", r.Blockers, err)
	}
	id, err := e.p.RecordOffboard(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := e.p.RunOffboard(ctx, id, nil); err != nil || res.State != store.JobDone {
		t.Fatalf("offboarding without a kill: %+v, %v", res, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if writes < 4 {
		t.Fatalf("an offboarding sent %d writes, want at least one a step", writes)
	}
	return writes
}

// offboardKillTrial kills the child at its killAt-th write and reports the
// step it was in.
func offboardKillTrial(t *testing.T, killAt int, mode killMode) (string, bool) {
	k := &childKiller{counts: isWrite, mode: mode, delay: 500 * time.Microsecond}
	k.arm(killAt)
	e := newEnv(t, offboardConfig(), k.middleware)
	e.sync(t)
	ctx := context.Background()
	u := leaver(t, e)
	to := successor(t, e, u)
	r, err := e.p.PreflightOffboard(ctx, OffboardRequest{Person: u.Email, To: string(to.ID)})
	if err != nil || r.Blocked() {
		t.Fatalf("%v, %v", r.Blockers, err)
	}
	id, err := e.p.RecordOffboard(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	cmd, out := killChildCommand(runCtx, "TestOffboardKillChild", offboardKillEnv, childJob{e.childPortal(), id})
	if err := k.start(cmd); err != nil {
		t.Fatal(err)
	}
	waitErr := cmd.Wait()
	wasKilled, _ := k.outcome()
	if waitErr != nil && !wasKilled {
		t.Fatalf("the child failed on its own: %v\n%s", waitErr, out.String())
	}
	assertOutcomesTrue(t, e.p)
	step := ""
	for _, it := range rawItems(t, e.p, id) {
		if it.State != store.ItemDone {
			step = it.SubjectID
			break
		}
	}
	summary, err := e.p.jobSummary(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if wasKilled && summary.Status() == store.JobRunning {
		t.Errorf("after a kill at write %d (mode %d) the job is listed running", killAt, mode)
	}
	if step != "" {
		if !summary.Resumable() {
			t.Fatalf("killed during step %s, the job is not resumable: %s", step, summary.Outcome())
		}
		res, err := e.p.RunOffboard(ctx, id, nil)
		if err != nil || res.State != store.JobDone {
			t.Fatalf("resume after a kill at write %d (mode %d, step %s): %+v, %v", killAt, mode, step, res, err)
		}
	}
	for _, it := range rawItems(t, e.p, id) {
		if it.State != store.ItemDone {
			t.Errorf("step %s ended %s (%s)", it.SubjectID, it.State, it.Error)
		}
	}
	if n := heldBy(t, e, u.OwnerID, r.Handover); n != 0 {
		t.Errorf("%d records still theirs", n)
	}
	if _, ok := e.sb.User(u.UserID); ok {
		t.Error("the user is still in HubSpot")
	}
	if o, _ := e.sb.Owner(u.OwnerID); !o.Archived {
		t.Error("their owner is active")
	}
	if twice := e.appliedTwice(t); len(twice) > 0 {
		t.Errorf("kill at write %d (mode %d): %d contacts written twice", killAt, mode, len(twice))
	}
	rec, err := e.p.OffboardRecordOf(ctx, id)
	if err != nil || len(rec.ReassignJobs) != 1 || rec.Had.Holdings == nil {
		t.Errorf("the hand-over's reassignment jobs: %v (%v)", rec.ReassignJobs, err)
	}
	card, err := e.p.IDCardForOwner(ctx, u.OwnerID)
	if err != nil || card.Departure == nil || card.Departure.JobID != id {
		t.Errorf("card's departure %+v, %v", card.Departure, err)
	}
	assertOutcomesTrue(t, e.p)
	return step, wasKilled
}
