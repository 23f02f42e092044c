package portal

import (
	"context"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

// hundredContacts picks 100 synced contacts none of which is at to.
func hundredContacts(t *testing.T, e *env, to hubspot.OwnerID) []hubspot.ContactID {
	t.Helper()
	var out []hubspot.ContactID
	for _, c := range allContacts(t, e.p) {
		if c.OwnerID != to && len(out) < 100 {
			out = append(out, c.ContactID)
		}
	}
	if len(out) != 100 {
		t.Fatalf("only %d contacts to move", len(out))
	}
	return out
}

// One bad record in a batch of 100 fails only itself: HubSpot refuses the
// whole batch, the job splits it and costs about log2(100) more requests,
// and the journal says exactly which contact failed and why.
func TestReassignIsolatesBadRecords(t *testing.T) {
	for _, tc := range []struct {
		name     string
		bad      []int // positions in the batch
		maxSends int
	}{
		{"one bad in the middle", []int{37}, 1 + 7 + 1},
		{"one bad first", []int{0}, 1 + 7 + 1},
		{"one bad last", []int{99}, 1 + 7 + 1},
		{"several bad", []int{3, 4, 41, 77, 98}, 1 + 5*7 + 1},
		{"all bad", allPositions(100), 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, hubspottest.Config{Contacts: 300}, nil)
			e.sync(t)
			to := otherOwner(t, e.p, e.sb.Fixtures().ActiveOwner)
			ids := hundredContacts(t, e, to.ID)
			bad := map[hubspot.ContactID]bool{}
			var rejects []hubspot.ContactID
			for _, i := range tc.bad {
				bad[ids[i]] = true
				rejects = append(rejects, ids[i])
			}
			if err := e.sb.SetRejectWrites(rejects...); err != nil {
				t.Fatal(err)
			}
			_, res := planAndRun(t, e.p, ReassignRequest{Contacts: ids, To: string(to.ID)})
			if res.State != store.JobDone || res.Done != 100-len(tc.bad) || res.Failed != len(tc.bad) {
				t.Fatalf("result %+v, want %d done and %d failed", res, 100-len(tc.bad), len(tc.bad))
			}
			sends := len(requestsTo(e.sb, "POST", contactsPath+"/batch/update"))
			t.Logf("%d bad of 100: %d batch updates", len(tc.bad), sends)
			if sends > tc.maxSends {
				t.Errorf("%d batch updates, want at most %d", sends, tc.maxSends)
			}
			items, err := e.p.JobItems(context.Background(), res.JobID)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				id := hubspot.ContactID(it.SubjectID)
				switch {
				case bad[id] && (it.State != store.ItemFailed || !strings.Contains(it.Error, "cannot be changed on this record")):
					t.Errorf("bad contact %s: %s %q, want failed with HubSpot's message", id, it.State, it.Error)
				case !bad[id] && it.State != store.ItemDone:
					t.Errorf("good contact %s: %s %q, want done", id, it.State, it.Error)
				}
			}
			e.journalAgrees(t, e.p, res.JobID)
			for id, n := range e.writesPerContact(t) {
				if n > 1 {
					t.Errorf("contact %s written %d times", id, n)
				}
			}
		})
	}
}

func allPositions(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// Isolation under faults: lost answers and 429s in the middle of the
// splitting still leave every item with the truth (done where HubSpot has
// the new owner, failed only for the bad records).
func TestReassignIsolatesBadRecordsUnderFaults(t *testing.T) {
	noWaits(t)
	attempts := reassignAttempts
	reassignAttempts = 50
	t.Cleanup(func() { reassignAttempts = attempts })
	for seed := int64(1); seed <= 8; seed++ {
		e := newEnv(t, hubspottest.Config{Contacts: 300}, nil)
		e.sync(t)
		to := otherOwner(t, e.p, e.sb.Fixtures().ActiveOwner)
		ids := hundredContacts(t, e, to.ID)
		bad := map[hubspot.ContactID]bool{ids[10]: true, ids[60]: true}
		if err := e.sb.SetRejectWrites(ids[10], ids[60]); err != nil {
			t.Fatal(err)
		}
		e.sb.SetFaults(hubspottest.Faults{Seed: seed, ServerErrors: 0.25, RateLimited: 0.1, Resets: 0.1})
		// The client gives up at once; the job retries, without real waits.
		p := e.portalWith(t, hubspot.WithRetry(1))
		_, res := planAndRun(t, p, ReassignRequest{Contacts: ids, To: string(to.ID)})
		e.sb.SetFaults(hubspottest.Faults{})
		if res.State != store.JobDone || res.Done != 98 || res.Failed != 2 {
			t.Fatalf("seed %d: result %+v, want 98 done and 2 failed", seed, res)
		}
		items, _ := p.JobItems(context.Background(), res.JobID)
		for _, it := range items {
			if bad[hubspot.ContactID(it.SubjectID)] != (it.State == store.ItemFailed) {
				t.Errorf("seed %d: contact %s %s %q", seed, it.SubjectID, it.State, it.Error)
			}
		}
		e.journalAgrees(t, p, res.JobID)
	}
}

// A refusal common to every input (the batch's target owner is
// deactivated) is not split: one request per batch, every contact failed.
func TestReassignDoesNotSplitACommonRefusal(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 300}, nil)
	e.sync(t)
	ctx := context.Background()
	f := e.sb.Fixtures()
	// A job recorded to give contacts to a deactivated owner (undo plans
	// no longer send such a target): HubSpot refuses the common target of
	// every input, which no split can cure.
	held := contactsOf(t, e.p, f.ActiveOwner)
	plan := ReassignPlan{To: OwnerRef{ID: f.ArchivedOwner}, BatchSize: DefaultReassignBatch}
	for _, c := range held {
		plan.Items = append(plan.Items, ReassignItem{ContactID: c.ContactID, From: f.ActiveOwner, To: f.ArchivedOwner})
	}
	id, err := e.p.RecordReassign(ctx, plan)
	if err != nil {
		t.Fatal(err)
	}
	before := len(requestsTo(e.sb, "POST", contactsPath+"/batch/update"))
	res, err := e.p.Run(ctx, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed != len(held) || res.Done != 0 {
		t.Fatalf("result %+v", res)
	}
	sent := len(requestsTo(e.sb, "POST", contactsPath+"/batch/update")) - before
	if want := (len(held) + 99) / 100; sent != want {
		t.Errorf("%d batch updates for %d contacts with a refused target, want %d (no splitting)", sent, len(held), want)
	}
}
