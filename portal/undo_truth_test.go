package portal

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

// updatesCarrying lists the batch updates the sandbox received that give
// some contact owner.
func updatesCarrying(sb *hubspottest.Server, owner hubspot.OwnerID) []hubspottest.Request {
	var out []hubspottest.Request
	for _, r := range requestsTo(sb, "POST", contactsPath+"/batch/update") {
		if bytes.Contains(r.Body, []byte(`"hubspot_owner_id":"`+string(owner)+`"`)) {
			out = append(out, r)
		}
	}
	return out
}

// TestUndoLeavesContactsOfDeactivatedOwners is issue 12's first scenario:
// the contacts of a deactivated owner (Ava Patel) are reassigned, then the
// job is undone. HubSpot refuses her as an owner, so the undo sends nothing
// for those contacts, the original is not undone, and --others-to then
// moves them, after which the original is fully accounted for.
func TestUndoLeavesContactsOfDeactivatedOwners(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 400}, nil)
	e.sync(t)
	ctx := context.Background()
	f := e.sb.Fixtures()
	ava := contactsOf(t, e.p, f.ArchivedOwner)
	other := otherOwner(t, e.p, f.ActiveOwner)
	mine := contactsOf(t, e.p, other.ID)[:3]
	var ids []hubspot.ContactID
	for _, c := range append(append([]store.ContactRow{}, ava...), mine...) {
		ids = append(ids, c.ContactID)
	}
	_, res := planAndRun(t, e.p, ReassignRequest{Contacts: ids, To: string(f.ActiveOwner)})
	if res.Done != len(ids) {
		t.Fatalf("reassignment %+v", res)
	}

	plan, err := e.p.PlanUndo(ctx, res.JobID)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Count() != len(mine) || plan.RefusedCount() != len(ava) || len(plan.Refused) != 1 ||
		plan.Refused[0].Owner.ID != f.ArchivedOwner || plan.Refused[0].Count != len(ava) {
		t.Fatalf("undo plan: %d to send, refused %+v", plan.Count(), plan.Refused)
	}
	for _, it := range plan.Items {
		if it.To == f.ArchivedOwner {
			t.Errorf("the plan sends contact %s back to the deactivated owner", it.ContactID)
		}
	}
	if want := Plural(len(ava), "contact") + " left where they are"; !strings.Contains(plan.Summary(), want) {
		t.Errorf("summary %q", plan.Summary())
	}
	undo, err := e.p.RecordUndo(ctx, plan)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.p.Run(ctx, undo, nil); err != nil {
		t.Fatal(err)
	}
	if sent := updatesCarrying(e.sb, f.ArchivedOwner); len(sent) != 0 {
		t.Fatalf("%d batch updates went to the deactivated owner", len(sent))
	}
	orig, err := e.p.jobSummary(ctx, res.JobID)
	if err != nil {
		t.Fatal(err)
	}
	if orig.Status() != StatusPartlyUndone || orig.Undo.Back != len(mine) || orig.NotBack() != len(ava) || !orig.Undoable() {
		t.Fatalf("original after the undo: %s (undoable %v)", orig.Outcome(), orig.Undoable())
	}
	assertOutcomesTrue(t, e.p)

	// Now the admin names someone for Ava's contacts.
	third := otherOwner(t, e.p, f.ActiveOwner, other.ID)
	plan, err = e.p.PlanUndoWith(ctx, res.JobID, UndoOptions{OthersTo: string(third.ID)})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Count() != len(ava) || plan.Redirected() != len(ava) || plan.To.ID != third.ID {
		t.Fatalf("second undo plan: %d contacts to %s, redirected %d", plan.Count(), plan.To.ID, plan.Redirected())
	}
	undo2, err := e.p.RecordUndo(ctx, plan)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := e.p.Run(ctx, undo2, nil); err != nil || r.Done != len(ava) {
		t.Fatalf("second undo %+v, %v", r, err)
	}
	want := map[hubspot.ContactID]hubspot.OwnerID{}
	for _, c := range ava {
		want[c.ContactID] = third.ID
	}
	for _, c := range mine {
		want[c.ContactID] = other.ID
	}
	e.assertAtOwners(t, e.p, want)
	orig, err = e.p.jobSummary(ctx, res.JobID)
	if err != nil {
		t.Fatal(err)
	}
	if orig.Status() != StatusUndone || orig.Undo.Elsewhere != len(ava) || orig.Undoable() || orig.Resumable() {
		t.Fatalf("original after both undos: %s", orig.Outcome())
	}
	if !strings.Contains(orig.Outcome(), "to another owner instead") {
		t.Errorf("outcome %q does not say where they went", orig.Outcome())
	}
	if _, err := e.p.PlanUndo(ctx, res.JobID); err == nil {
		t.Error("a job every change of which is accounted for was undone again")
	}
	assertOutcomesTrue(t, e.p)
}

// deactivatedMeanwhile makes HubSpot treat owner as deactivated, although
// the mirror does not know yet: batch updates giving contacts to it are
// rewritten to give them to the sandbox's archived owner, which HubSpot
// refuses with its own INVALID_OWNER_ID answer.
func deactivatedMeanwhile(owner, archived hubspot.OwnerID, on *bool, mu *sync.Mutex) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			active := *on
			mu.Unlock()
			if active && strings.HasSuffix(r.URL.Path, "/batch/update") {
				body, _ := io.ReadAll(r.Body)
				body = bytes.ReplaceAll(body, []byte(`"hubspot_owner_id":"`+string(owner)+`"`), []byte(`"hubspot_owner_id":"`+string(archived)+`"`))
				r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
			}
			next.ServeHTTP(w, r)
		})
	}
}

// TestUndoThatPartlyFails: an owner is deactivated in HubSpot between the
// job and its undo, before a sync tells the mirror. The undo puts back the
// other owners' contacts; HubSpot refuses the rest. The original says
// partly undone, and a later undo covers exactly the contacts not back.
func TestUndoThatPartlyFails(t *testing.T) {
	var mu sync.Mutex
	deactivated := false
	var gone, archived hubspot.OwnerID
	e := newEnv(t, hubspottest.Config{Contacts: 400}, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			deactivatedMeanwhile(gone, archived, &deactivated, &mu)(next).ServeHTTP(w, r)
		})
	})
	e.sync(t)
	ctx := context.Background()
	f := e.sb.Fixtures()
	archived = f.ArchivedOwner
	a := otherOwner(t, e.p, f.ActiveOwner)
	b := otherOwner(t, e.p, f.ActiveOwner, a.ID)
	gone = b.ID
	fromA, fromB := contactsOf(t, e.p, a.ID)[:4], contactsOf(t, e.p, b.ID)[:3]
	var ids []hubspot.ContactID
	for _, c := range append(append([]store.ContactRow{}, fromA...), fromB...) {
		ids = append(ids, c.ContactID)
	}
	_, res := planAndRun(t, e.p, ReassignRequest{Contacts: ids, To: string(f.ActiveOwner)})

	mu.Lock()
	deactivated = true
	mu.Unlock()
	plan, err := e.p.PlanUndo(ctx, res.JobID)
	if err != nil || plan.Count() != len(ids) || plan.RefusedCount() != 0 {
		t.Fatalf("undo plan %+v, %v", plan, err)
	}
	undo, err := e.p.RecordUndo(ctx, plan)
	if err != nil {
		t.Fatal(err)
	}
	ures, err := e.p.Run(ctx, undo, nil)
	if err != nil || ures.Done != len(fromA) || ures.Failed != len(fromB) {
		t.Fatalf("undo %+v, %v", ures, err)
	}
	orig, err := e.p.jobSummary(ctx, res.JobID)
	if err != nil {
		t.Fatal(err)
	}
	if orig.Status() != StatusPartlyUndone || orig.Undo.Back != len(fromA) || orig.NotBack() != len(fromB) || !orig.Undoable() {
		t.Fatalf("original: %s", orig.Outcome())
	}
	want := "partly undone: 7 changed; 4 back, 3 not back (undo job 2)"
	if orig.Outcome() != want {
		t.Errorf("outcome %q, want %q", orig.Outcome(), want)
	}
	assertOutcomesTrue(t, e.p)
	again, err := e.p.PlanUndo(ctx, res.JobID)
	if err != nil || again.Count() != len(fromB) {
		t.Fatalf("the next undo covers %d contacts (%v), want the %d not back", again.Count(), err, len(fromB))
	}
	for _, it := range again.Items {
		if it.To != b.ID {
			t.Errorf("the next undo sends contact %s to %s", it.ContactID, it.To)
		}
	}
}

// TestUndoWhoseEveryWriteFails: an undo that puts nothing back leaves the
// original "undo failed", still undoable.
func TestUndoWhoseEveryWriteFails(t *testing.T) {
	var mu sync.Mutex
	deactivated := false
	var gone, archived hubspot.OwnerID
	e := newEnv(t, hubspottest.Config{Contacts: 300}, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			deactivatedMeanwhile(gone, archived, &deactivated, &mu)(next).ServeHTTP(w, r)
		})
	})
	e.sync(t)
	ctx := context.Background()
	f := e.sb.Fixtures()
	archived = f.ArchivedOwner
	a := otherOwner(t, e.p, f.ActiveOwner)
	gone = a.ID
	var ids []hubspot.ContactID
	for _, c := range contactsOf(t, e.p, a.ID)[:5] {
		ids = append(ids, c.ContactID)
	}
	_, res := planAndRun(t, e.p, ReassignRequest{Contacts: ids, To: string(f.ActiveOwner)})
	mu.Lock()
	deactivated = true
	mu.Unlock()
	undo, err := e.p.Undo(ctx, res.JobID)
	if err != nil {
		t.Fatal(err)
	}
	if ures, err := e.p.Run(ctx, undo, nil); err != nil || ures.Failed != len(ids) {
		t.Fatalf("undo %+v, %v", ures, err)
	}
	orig, err := e.p.jobSummary(ctx, res.JobID)
	if err != nil {
		t.Fatal(err)
	}
	if want := "undo failed: 5 changed; none back (undo job 2)"; orig.Outcome() != want || !orig.Undoable() {
		t.Errorf("outcome %q (undoable %v), want %q", orig.Outcome(), orig.Undoable(), want)
	}
	assertOutcomesTrue(t, e.p)
}

// TestUndoCancelledAfterFirstBatch: an undo cancelled after its first batch
// leaves the original "undo cancelled" with what is left; a new undo
// covers exactly the contacts not back and takes over from the cancelled
// one, which is not resumed any more.
func TestUndoCancelledAfterFirstBatch(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	undoing := false
	var once sync.Once
	e := newEnv(t, hubspottest.Config{Contacts: 600}, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r)
			mu.Lock()
			now := undoing
			mu.Unlock()
			if now && strings.HasSuffix(r.URL.Path, "/batch/update") {
				once.Do(cancel)
			}
		})
	})
	e.sync(t)
	f := e.sb.Fixtures()
	workers := reassignWorkers
	reassignWorkers = 1
	t.Cleanup(func() { reassignWorkers = workers })
	from := otherOwner(t, e.p, f.ActiveOwner)
	held := contactsOf(t, e.p, from.ID)
	if len(held) < 12 {
		t.Fatalf("only %d contacts", len(held))
	}
	held = held[:12]
	var ids []hubspot.ContactID
	for _, c := range held {
		ids = append(ids, c.ContactID)
	}
	_, res := planAndRun(t, e.p, ReassignRequest{Contacts: ids, To: string(f.ActiveOwner), BatchSize: 4})

	mu.Lock()
	undoing = true
	mu.Unlock()
	undo, err := e.p.Undo(ctx, res.JobID)
	if err != nil {
		t.Fatal(err)
	}
	ures, err := e.p.Run(ctx, undo, nil)
	if err != nil || ures.State != store.JobCancelled || ures.Done != 4 || ures.Left != 8 {
		t.Fatalf("cancelled undo %+v, %v", ures, err)
	}
	bg := context.Background()
	orig, err := e.p.jobSummary(bg, res.JobID)
	if err != nil {
		t.Fatal(err)
	}
	want := "undo cancelled: 12 changed; 4 back, 8 not back (undo job 2); undo job 2 stopped with 8 left"
	if orig.Status() != StatusUndoCancelled || orig.Outcome() != want || !orig.Undoable() {
		t.Fatalf("original %q (undoable %v), want %q", orig.Outcome(), orig.Undoable(), want)
	}
	assertOutcomesTrue(t, e.p)

	plan, err := e.p.PlanUndo(bg, res.JobID)
	if err != nil || plan.Count() != 8 {
		t.Fatalf("the next undo covers %d contacts, want the 8 not back (%v)", plan.Count(), err)
	}
	undo2, err := e.p.RecordUndo(bg, plan)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := e.p.Run(bg, undo2, nil); err != nil || r.Done != 8 {
		t.Fatalf("second undo %+v, %v", r, err)
	}
	first, err := e.p.jobSummary(bg, undo)
	if err != nil {
		t.Fatal(err)
	}
	if first.Resumable() || first.Items.Pending+first.Items.Sent != 0 {
		t.Errorf("the cancelled undo is still resumable: %s", first.Outcome())
	}
	if _, err := e.p.Resume(bg, undo, nil); err == nil {
		t.Error("the cancelled undo was resumed after another undo took over")
	}
	orig, err = e.p.jobSummary(bg, res.JobID)
	if err != nil || orig.Status() != StatusUndone {
		t.Fatalf("original after the second undo: %s, %v", orig.Outcome(), err)
	}
	want2 := map[hubspot.ContactID]hubspot.OwnerID{}
	for _, c := range held {
		want2[c.ContactID] = from.ID
	}
	e.assertAtOwners(t, e.p, want2)
	if twice := e.appliedTwice(t); len(twice) != 0 {
		// Each contact: once by the job, once back; more means a resend.
		for _, id := range twice {
			if n := e.writesPerContact(t)[id]; n > 2 {
				t.Errorf("contact %s written %d times", id, n)
			}
		}
	}
	assertOutcomesTrue(t, e.p)
}

// TestJobLeftRunningByADeadProcessIsInterrupted: a job whose process died
// (no run lock held) is listed interrupted, with what is left, the next
// time the journal is looked at or opened; a job this process runs is not.
func TestJobLeftRunningByADeadProcessIsInterrupted(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 200}, nil)
	e.sync(t)
	ctx := context.Background()
	f := e.sb.Fixtures()
	plan, err := e.p.PlanReassign(ctx, ReassignRequest{From: string(f.ActiveOwner), To: string(otherOwner(t, e.p, f.ActiveOwner).ID)})
	if err != nil {
		t.Fatal(err)
	}
	id, err := e.p.RecordReassign(ctx, plan)
	if err != nil {
		t.Fatal(err)
	}
	// What a process killed mid-run leaves: running, its lock let go.
	claim, err := e.p.journal.ClaimRun(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	live, err := e.p.jobSummary(ctx, id)
	if err != nil || live.State != store.JobRunning {
		t.Fatalf("a job whose lock is held is listed %s (%v)", live.State, err)
	}
	// The process dies: the system lets go of its lock, the state stays.
	if err := claim.Finish(ctx, store.JobRunning); err != nil {
		t.Fatal(err)
	}
	opened := e.open(t)
	hist, err := opened.JobHistory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if hist[0].State != store.JobInterrupted || !hist[0].Resumable() ||
		hist[0].Outcome() != "interrupted: 0 changed, "+Thousands(plan.Count())+" left" {
		t.Fatalf("after the next open: %s", hist[0].Outcome())
	}
	if res, err := opened.Resume(ctx, id, nil); err != nil || res.State != store.JobDone {
		t.Fatalf("resume %+v, %v", res, err)
	}
	assertOutcomesTrue(t, opened)
}
