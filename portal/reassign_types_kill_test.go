package portal

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/store"
)

// typesKillChildEnv carries a childJob to the child of
// TestReassignTypesSurvivesKills.
const typesKillChildEnv = "HSADMIN_REASSIGN_TYPES_KILL_CHILD"

// TestReassignTypesKillChild is the process TestReassignTypesSurvivesKills
// kills. Run alone, it does nothing.
func TestReassignTypesKillChild(t *testing.T) {
	var job childJob
	p := openKillChild(t, typesKillChildEnv, "TestReassignTypesSurvivesKills", &job)
	if _, err := p.Run(context.Background(), job.JobID, nil); err != nil {
		t.Fatal(err)
	}
}

// TestReassignTypesSurvivesKills is TestReassignSurvivesKills for a
// handover across contacts, companies (with a multi-select owner
// property), deals, tickets and the custom object: killed at random
// batches of any type, then resumed, every owner value ends as planned,
// the journal agrees, and no record is written twice.
func TestReassignTypesSurvivesKills(t *testing.T) {
	const trials = 20
	skipUnlessKillParent(t, typesKillChildEnv, trials)
	rng := rand.New(rand.NewPCG(2026, 15))
	killed := 0
	killedTypes := map[string]bool{}
	for trial := range trials {
		t.Run(fmt.Sprint(trial), func(t *testing.T) {
			if path := typesKillTrial(t, rng, trial, trials); path != "" {
				killed++
				killedTypes[path] = true
			}
		})
	}
	if killed < 14 {
		t.Errorf("only %d of %d trials killed the child; the kill points are not spread over the job", killed, trials)
	}
	if len(killedTypes) < 3 {
		t.Errorf("kills fell on the batches of %v only", killedTypes)
	}
}

// typesKillTrial runs one trial and returns the path of the batch update
// the kill fell on, "" when the child finished. Trial i of n kills at a
// random batch of the i-th n-th of the job, so that the kills spread over
// every type however many batches each takes.
func typesKillTrial(t *testing.T, rng *rand.Rand, trial, trials int) string {
	const batch = 2
	mode := killMode(rng.IntN(3))
	delay := time.Duration(rng.IntN(3000)) * time.Microsecond

	isBatchUpdate := func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/batch/update") }
	k := &childKiller{counts: isBatchUpdate, mode: mode, delay: delay}
	e := newEnv(t, typesConfig(), k.middleware)
	e.sync(t)
	ctx := context.Background()
	src := e.sb.Fixtures().ActiveOwner
	to := otherOwner(t, e.p, src)
	plan, err := e.p.PlanReassign(ctx, ReassignRequest{From: string(src), To: string(to.ID), BatchSize: batch})
	if err != nil {
		t.Fatal(err)
	}
	batches := len(makeBatches(planJobItems(plan), batch))
	stride := max(batches/trials, 1)
	k.arm(1 + trial*batches/trials + rng.IntN(stride)) // the setup's writes do not count
	id, err := e.p.RecordReassign(ctx, plan)
	if err != nil {
		t.Fatal(err)
	}

	runCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	cmd, out := killChildCommand(runCtx, "TestReassignTypesKillChild", typesKillChildEnv, childJob{e.childPortal(), id})
	if err := k.start(cmd); err != nil {
		t.Fatal(err)
	}
	waitErr := cmd.Wait()
	_, on := k.outcome()
	on = strings.TrimSuffix(strings.TrimPrefix(on, "/crm/v3/objects/"), "/batch/update")
	if waitErr != nil && on == "" {
		t.Fatalf("the child failed on its own: %v\n%s", waitErr, out.String())
	}
	assertOutcomesTrue(t, e.p)
	jb, err := e.p.journal.Job(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if store.Unfinished(jb.State) {
		if on == "" {
			t.Fatalf("the child finished but left the job %s", jb.State)
		}
		res, err := e.p.Resume(ctx, id, nil)
		if err != nil || res.State != store.JobDone {
			t.Fatalf("resume after a kill on %s (mode %d): %+v, %v", on, mode, res, err)
		}
	}
	for _, it := range plan.Items {
		if got := e.itemValue(t, it); got != it.AfterValue() {
			t.Errorf("kill on %s (mode %d): %s %s %s holds %q, want %q", on, mode, it.ObjectType(), it.Record(), it.PropertyName(), got, it.AfterValue())
		}
		if m := mirrorValue(t, e.p, it); m != it.AfterValue() {
			t.Errorf("kill on %s (mode %d): the mirror's %s %s %s holds %q, want %q", on, mode, it.ObjectType(), it.Record(), it.PropertyName(), m, it.AfterValue())
		}
	}
	if states := e.journalAgrees(t, e.p, id); states[store.ItemDone] != plan.Count() {
		t.Errorf("journal after a kill on %s (mode %d): %v", on, mode, states)
	}
	if twice := e.recordsWrittenTwice(t); len(twice) > 0 {
		t.Errorf("kill on %s (mode %d): written twice: %v", on, mode, twice)
	}
	assertOutcomesTrue(t, e.p)
	return on
}

// planJobItems are a plan's items as a run sees them, for counting its
// batches.
func planJobItems(plan ReassignPlan) []jobItem {
	out := make([]jobItem, len(plan.Items))
	for i, it := range plan.Items {
		ji, err := newJobItem(reassignJournalItem(it))
		if err != nil {
			panic(err)
		}
		ji.seq = i + 1
		out[i] = ji
	}
	return out
}

// recordsWrittenTwice lists the records of any type more than one applied
// batch update carried, as "type/id".
func (e *env) recordsWrittenTwice(t testing.TB) []string {
	t.Helper()
	count := map[string]int{}
	for _, r := range e.sb.Requests() {
		if r.Method != "POST" || !strings.HasSuffix(r.Path, "/batch/update") || (r.Status != 200 && r.Status != 207) {
			continue
		}
		var body struct {
			Inputs []struct {
				ID string `json:"id"`
			} `json:"inputs"`
		}
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatalf("batch update body: %v", err)
		}
		for _, in := range body.Inputs {
			count[r.Path+"/"+in.ID]++
		}
	}
	var out []string
	for k, n := range count {
		if n > 1 {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
