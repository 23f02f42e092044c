package portal

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

func TestReassignSingleContact(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 300}, nil)
	e.sync(t)
	f := e.sb.Fixtures()
	c := contactsOf(t, e.p, f.ActiveOwner)[0]
	to := otherOwner(t, e.p, f.ActiveOwner)

	plan, res := planAndRun(t, e.p, ReassignRequest{Contacts: []hubspot.ContactID{c.ContactID}, To: string(to.ID)})
	if plan.Count() != 1 || len(plan.Sources) != 1 || plan.Sources[0].Owner.ID != f.ActiveOwner || plan.To.ID != to.ID || len(plan.Notes) != 0 {
		t.Fatalf("plan %+v", plan)
	}
	if res.State != store.JobDone || res.Done != 1 || res.Failed+res.Skipped+res.Left != 0 {
		t.Fatalf("result %+v", res)
	}
	e.assertAtOwners(t, e.p, map[hubspot.ContactID]hubspot.OwnerID{c.ContactID: to.ID})
	if got := len(requestsTo(e.sb, "POST", contactsPath+"/batch/update")); got != 1 {
		t.Errorf("%d batch updates, want 1", got)
	}
	// A fresh job trusts the just-synced mirror: no read before the write.
	if got := len(requestsTo(e.sb, "POST", contactsPath+"/batch/read")); got != 0 {
		t.Errorf("%d batch reads, want 0", got)
	}
}

func TestReassignMarkedContacts(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 300}, nil)
	e.sync(t)
	f := e.sb.Fixtures()
	to := otherOwner(t, e.p, f.ActiveOwner)
	var marked []hubspot.ContactID
	want := map[hubspot.ContactID]hubspot.OwnerID{}
	for _, c := range allContacts(t, e.p)[:40] {
		if c.OwnerID == to.ID {
			continue
		}
		marked = append(marked, c.ContactID)
		want[c.ContactID] = to.ID
	}
	plan, res := planAndRun(t, e.p, ReassignRequest{Contacts: marked, To: to.Email, BatchSize: 7})
	if plan.Count() != len(marked) || len(plan.Sources) < 2 {
		t.Fatalf("plan of %d contacts from %d owners, want %d from several", plan.Count(), len(plan.Sources), len(marked))
	}
	if res.Done != len(marked) || res.State != store.JobDone {
		t.Fatalf("result %+v", res)
	}
	e.assertAtOwners(t, e.p, want)
	for _, r := range requestsTo(e.sb, "POST", contactsPath+"/batch/update") {
		if n := strings.Count(string(r.Body), `"id"`); n > 7 {
			t.Errorf("a batch carried %d contacts, more than the batch size 7", n)
		}
	}
}

func TestReassignAllOfOwnerByUserID(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 500}, nil)
	e.sync(t)
	ctx := context.Background()
	f := e.sb.Fixtures()
	to := otherOwner(t, e.p, f.ActiveOwner)
	if to.UserID == hubspot.UserID(to.ID) {
		t.Skip("the chosen owner's IDs coincide")
	}
	before := contactsOf(t, e.p, f.ActiveOwner)
	u, _ := e.sb.User(f.ActiveOwnerUser)

	// Departing employee typed by email, successor by user ID.
	plan, err := e.p.PlanReassign(ctx, ReassignRequest{Properties: contactOwnerOnly, From: u.Email, To: string(to.UserID)})
	if err != nil {
		t.Fatal(err)
	}
	if plan.To.ID != to.ID || plan.Count() != len(before) || len(before) == 0 {
		t.Fatalf("plan to %s of %d contacts, want owner %s and %d contacts", plan.To.ID, plan.Count(), to.ID, len(before))
	}
	noted := strings.Join(plan.Notes, "\n")
	if !strings.Contains(noted, string(to.UserID)+" is the user ID of") || !strings.Contains(noted, "using owner ID "+string(to.ID)) {
		t.Errorf("notes do not explain the user ID reading:\n%s", noted)
	}
	id, err := e.p.RecordReassign(ctx, plan)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.p.Run(ctx, id, nil)
	if err != nil || res.Done != len(before) {
		t.Fatalf("run: %+v, %v", res, err)
	}
	if left := contactsOf(t, e.p, f.ActiveOwner); len(left) != 0 {
		t.Errorf("%d contacts left with the departed owner", len(left))
	}
	// The user ID never went over the wire as an owner ID.
	for _, r := range requestsTo(e.sb, "POST", contactsPath+"/batch/update") {
		if strings.Contains(string(r.Body), `"hubspot_owner_id":"`+string(to.UserID)+`"`) {
			t.Fatalf("a user ID was sent as hubspot_owner_id: %s", r.Body)
		}
	}
	if n, _ := e.p.CountContacts(ctx, store.Query{OwnerID: to.ID}); n < len(before) {
		t.Errorf("mirror counts %d contacts for the new owner, want at least %d", n, len(before))
	}
}

func TestReassignFindingArchivedOwners(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 1000}, nil)
	e.sync(t)
	ctx := context.Background()
	f := e.sb.Fixtures()
	held := contactsOf(t, e.p, f.ArchivedOwner)
	if len(held) == 0 {
		t.Fatal("the archived owner holds no contacts")
	}
	plan, res := planAndRun(t, e.p, ReassignRequest{Finding: store.FindingContactsArchivedOwner, To: string(f.ActiveOwner)})
	for _, s := range plan.Sources {
		if !s.Owner.Archived {
			t.Errorf("source %s is not archived", s.Owner.Label())
		}
	}
	if res.Done != plan.Count() || res.State != store.JobDone {
		t.Fatalf("result %+v for %d contacts", res, plan.Count())
	}
	want := map[hubspot.ContactID]hubspot.OwnerID{}
	for _, c := range held {
		want[c.ContactID] = f.ActiveOwner
	}
	e.assertAtOwners(t, e.p, want)
	findings, err := e.p.Findings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, fd := range findings {
		if fd.Kind == store.FindingContactsArchivedOwner && fd.Count != 0 {
			t.Errorf("after the fix the finding still counts %d contacts", fd.Count)
		}
	}
}

func TestResolveTargetReadings(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 200}, nil)
	e.sync(t)
	ctx := context.Background()
	f := e.sb.Fixtures()

	r, err := e.p.ResolveTarget(ctx, string(f.ActiveOwnerUser))
	if err != nil || r.Owner.ID != f.ActiveOwner || r.Scheme != store.SchemeUserID || !strings.Contains(r.Note, "owner ID "+string(f.ActiveOwner)) {
		t.Fatalf("user ID reading %+v, %v", r, err)
	}
	if r, err := e.p.ResolveTarget(ctx, string(f.ActiveOwner)); err != nil || r.Owner.ID != f.ActiveOwner || r.Note != "" {
		t.Fatalf("owner ID reading %+v, %v", r, err)
	}

	// The colliding number is one person's user ID and another's owner ID.
	_, err = e.p.ResolveTarget(ctx, string(f.CollidingUser))
	var amb *AmbiguousOwnerError
	if !errors.As(err, &amb) || len(amb.Readings) != 2 {
		t.Fatalf("colliding number: %v, want both readings", err)
	}
	asOwner, err := e.p.ResolveTarget(ctx, "owner:"+string(f.CollidingUser))
	if err != nil || asOwner.Owner.ID != f.CollidingOwner {
		t.Fatalf("owner: reading %+v, %v", asOwner, err)
	}
	asUser, err := e.p.ResolveTarget(ctx, "user:"+string(f.CollidingUser))
	if err != nil || asUser.Owner.ID == f.CollidingOwner || asUser.Owner.UserID != f.CollidingUser {
		t.Fatalf("user: reading %+v, %v", asUser, err)
	}
	for _, rd := range amb.Readings {
		if got, err := e.p.ResolveTarget(ctx, rd.Input(amb.Input)); err != nil || got.Owner.ID != rd.Owner.ID {
			t.Errorf("reading %s via %q: %+v, %v", rd.Scheme, rd.Input(amb.Input), got, err)
		}
	}

	if _, err := e.p.ResolveTarget(ctx, "987654321"); !errors.Is(err, ErrUnknownOwner) {
		t.Errorf("unknown number: %v", err)
	}
	if _, err := e.p.ResolveTarget(ctx, string(f.ArchivedOwner)); err == nil || !strings.Contains(err.Error(), "archived") {
		t.Errorf("archived target: %v", err)
	}
	if _, err := e.p.ResolveTarget(ctx, string(f.UserWithoutOwner)); err == nil || !strings.Contains(err.Error(), "no owner") {
		t.Errorf("user without owner: %v", err)
	}
	q, err := e.p.ResolveTarget(ctx, string(f.QueueOwner))
	if err != nil || !q.Owner.Queue || !strings.Contains(q.Owner.Label(), "queue") {
		t.Errorf("queue target %+v, %v", q, err)
	}
	for _, o := range mustOwners(t, e.p) {
		if o.Archived {
			t.Errorf("assignable owners include archived %s", o.Label())
		}
	}
}

func mustOwners(t *testing.T, p *Portal) []OwnerRef {
	owners, err := p.AssignableOwners(context.Background(), "")
	if err != nil || len(owners) == 0 {
		t.Fatalf("assignable owners: %d, %v", len(owners), err)
	}
	return owners
}

func TestPlanReassignRefusals(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 200}, nil)
	e.sync(t)
	ctx := context.Background()
	f := e.sb.Fixtures()
	for name, req := range map[string]ReassignRequest{
		"no target":        {From: string(f.ActiveOwner)},
		"no selection":     {To: string(f.ActiveOwner)},
		"unknown contact":  {Contacts: []hubspot.ContactID{"424242424242"}, To: string(f.ActiveOwner)},
		"both selections":  {Contacts: []hubspot.ContactID{"1"}, From: string(f.ActiveOwner), To: string(f.ActiveOwner)},
		"batch too large":  {From: string(f.ArchivedOwner), To: string(f.ActiveOwner), BatchSize: 101},
		"not a finding":    {Finding: store.FindingMultiRoleUsers, To: string(f.ActiveOwner)},
		"same owner":       {From: string(f.ActiveOwner), To: string(f.ActiveOwner)},
		"archived target":  {From: string(f.ActiveOwner), To: string(f.ArchivedOwner)},
		"unknown source":   {From: "987654321", To: string(f.ActiveOwner)},
		"garbage as owner": {From: string(f.ActiveOwner), To: "jane"},
	} {
		if _, err := e.p.PlanReassign(ctx, req); err == nil {
			t.Errorf("%s: planned, want an error", name)
		}
	}
	if _, err := e.p.RecordReassign(ctx, ReassignPlan{}); err == nil {
		t.Error("an empty plan was recorded")
	}
}

func TestReassignUndoSkipsContactsChangedSince(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 400}, nil)
	e.sync(t)
	ctx := context.Background()
	f := e.sb.Fixtures()
	held := contactsOf(t, e.p, f.ActiveOwner)
	to := otherOwner(t, e.p, f.ActiveOwner)
	third := otherOwner(t, e.p, f.ActiveOwner, to.ID)
	_, res := planAndRun(t, e.p, ReassignRequest{Properties: contactOwnerOnly, From: string(f.ActiveOwner), To: string(to.ID)})
	if res.Done != len(held) {
		t.Fatalf("result %+v", res)
	}

	// Someone else moves one contact on in HubSpot meanwhile.
	moved := held[0].ContactID
	if _, err := e.client.UpdateContact(ctx, moved, hubspot.Properties{hubspot.PropOwnerID: string(third.ID)}); err != nil {
		t.Fatal(err)
	}
	plan, err := e.p.PlanUndo(ctx, res.JobID)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Count() != len(held) || plan.To.ID != f.ActiveOwner || !plan.Verify {
		t.Fatalf("undo plan %+v", plan)
	}
	undo, err := e.p.RecordUndo(ctx, plan)
	if err != nil {
		t.Fatal(err)
	}
	ures, err := e.p.Run(ctx, undo, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ures.Skipped != 1 || ures.Done != len(held)-1 || len(ures.Problems) != 1 || ures.Problems[0].ContactID != moved ||
		!strings.Contains(ures.Problems[0].Reason, "changed since") {
		t.Fatalf("undo result %+v", ures)
	}
	want := map[hubspot.ContactID]hubspot.OwnerID{moved: third.ID}
	for _, c := range held[1:] {
		want[c.ContactID] = f.ActiveOwner
	}
	e.assertAtOwners(t, e.p, want)

	hist, err := e.p.JobHistory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The contact someone else moved is not back: the job is undone in
	// part, and a second undo covers exactly that contact.
	if len(hist) != 2 || hist[0].ID != undo || hist[0].UndoOf != res.JobID || hist[1].UndoneBy != undo ||
		hist[1].Status() != StatusPartlyUndone || hist[1].NotBack() != 1 || !hist[1].Undoable() {
		t.Fatalf("history %+v", hist)
	}
	again, err := e.p.PlanUndo(ctx, res.JobID)
	if err != nil || again.Count() != 1 || again.Items[0].ContactID != moved {
		t.Errorf("second undo plan %+v, %v", again, err)
	}
	if jobs, _ := e.p.UnfinishedJobs(ctx); len(jobs) != 0 {
		t.Errorf("unfinished jobs %+v", jobs)
	}
}

func TestReassignRecordsPerContactResultsOf207(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 200}, nil)
	e.sync(t)
	ctx := context.Background()
	f := e.sb.Fixtures()
	// The mirror still holds two contacts HubSpot has deleted since.
	ghosts := []hubspot.Contact{
		{ID: "990000001", Properties: hubspot.Properties{hubspot.PropOwnerID: string(f.ArchivedOwner), hubspot.PropEmail: "gone1@example.com"}},
		{ID: "990000002", Properties: hubspot.Properties{hubspot.PropOwnerID: string(f.ArchivedOwner), hubspot.PropEmail: "gone2@example.com"}},
	}
	if err := e.p.mirror.PutContacts(ctx, ghosts, 1<<40, nil); err != nil {
		t.Fatal(err)
	}
	to := otherOwner(t, e.p, f.ActiveOwner)
	var live []store.ContactRow
	for _, c := range allContacts(t, e.p) {
		if c.OwnerID != to.ID && len(live) < 3 && !strings.HasPrefix(string(c.ContactID), "99000000") {
			live = append(live, c)
		}
	}
	ids := []hubspot.ContactID{live[0].ContactID, ghosts[0].ID, live[1].ContactID, ghosts[1].ID, live[2].ContactID}
	_, res := planAndRun(t, e.p, ReassignRequest{Contacts: ids, To: string(to.ID)})
	if res.Done != 3 || res.Failed != 2 || res.State != store.JobDone {
		t.Fatalf("result %+v", res)
	}
	for _, pr := range res.Problems {
		if pr.ContactID != ghosts[0].ID && pr.ContactID != ghosts[1].ID || !strings.Contains(pr.Reason, "Could not get some CONTACT objects") {
			t.Errorf("problem %+v", pr)
		}
	}
	states := e.journalAgrees(t, e.p, res.JobID)
	if states[store.ItemDone] != 3 || states[store.ItemFailed] != 2 {
		t.Errorf("journal states %v", states)
	}
	if got := requestsTo(e.sb, "POST", contactsPath+"/batch/update"); len(got) != 1 || got[0].Status != 207 {
		t.Errorf("want one 207 batch update, got %+v", got)
	}
}

func TestReassignPermanentFailureKeepsHubSpotsMessage(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 300}, nil)
	e.sync(t)
	ctx := context.Background()
	f := e.sb.Fixtures()
	// A job recorded to give contacts to an archived owner (as a journal
	// written before plans refused them might hold): HubSpot refuses it
	// with INVALID_OWNER_ID, and its message is kept for every contact.
	held := contactsOf(t, e.p, f.ActiveOwner)[:4]
	plan := ReassignPlan{To: OwnerRef{ID: f.ArchivedOwner}, BatchSize: DefaultReassignBatch}
	for _, c := range held {
		plan.Items = append(plan.Items, ReassignItem{ContactID: c.ContactID, From: f.ActiveOwner, To: f.ArchivedOwner})
	}
	id, err := e.p.RecordReassign(ctx, plan)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.p.Run(ctx, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed != len(held) || res.Done != 0 || len(res.Problems) == 0 || !strings.Contains(res.Problems[0].Reason, "is not a valid owner id") {
		t.Fatalf("result %+v", res)
	}
}

func TestReassignCancelAndResume(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Cancel while the first batch update is being answered: that batch
	// finishes, no other starts.
	var once sync.Once
	cancelOnFirstWrite := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r)
			if strings.HasSuffix(r.URL.Path, "/batch/update") {
				once.Do(cancel)
			}
		})
	}
	e := newEnv(t, hubspottest.Config{Contacts: 600}, cancelOnFirstWrite)
	e.sync(t)
	f := e.sb.Fixtures()
	workers := reassignWorkers
	reassignWorkers = 1
	t.Cleanup(func() { reassignWorkers = workers })

	plan, err := e.p.PlanReassign(ctx, ReassignRequest{Finding: store.FindingContactsArchivedOwner, To: string(f.ActiveOwner), BatchSize: 5})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Count() < 15 {
		t.Fatalf("only %d contacts to move", plan.Count())
	}
	id, err := e.p.RecordReassign(ctx, plan)
	if err != nil {
		t.Fatal(err)
	}
	progress := make(chan JobProgress, 64)
	res, err := e.p.Run(ctx, id, progress)
	close(progress)
	if err != nil {
		t.Fatal(err)
	}
	var last JobProgress
	for p := range progress {
		last = p
	}
	if !last.Finished || last.Done != 5 || last.Total != plan.Count() {
		t.Errorf("last progress %+v", last)
	}
	if res.State != store.JobCancelled || res.Done != 5 || res.Left != plan.Count()-5 {
		t.Fatalf("cancelled run %+v", res)
	}
	states := e.journalAgrees(t, e.p, id)
	if states[store.ItemSent] != 0 || states[store.ItemDone] != res.Done || states[store.ItemPending] != res.Left {
		t.Fatalf("journal after cancel %v", states)
	}
	jobs, err := e.p.UnfinishedJobs(context.Background())
	if err != nil || len(jobs) != 1 || jobs[0].ID != id || !jobs[0].Resumable() {
		t.Fatalf("unfinished jobs %+v, %v", jobs, err)
	}
	res, err = e.p.Resume(context.Background(), id, nil)
	if err != nil || res.State != store.JobDone || res.Done != plan.Count() {
		t.Fatalf("resumed %+v, %v", res, err)
	}
	if twice := e.appliedTwice(t); len(twice) > 0 {
		t.Fatalf("contacts written twice: %v", twice)
	}
	if _, err := e.p.Resume(context.Background(), id, nil); err == nil {
		t.Error("a finished job was resumed")
	}
}

// appliedTwice lists contacts more than one applied batch update carried.
func (e *env) appliedTwice(t testing.TB) []string {
	var out []string
	for id, n := range e.writesPerContact(t) {
		if n > 1 {
			out = append(out, id)
		}
	}
	return out
}

func TestResumeLeavesContactsChangedMeanwhile(t *testing.T) {
	e := newEnv(t, hubspottest.Config{Contacts: 300}, nil)
	e.sync(t)
	ctx := context.Background()
	f := e.sb.Fixtures()
	held := contactsOf(t, e.p, f.ActiveOwner)
	to := otherOwner(t, e.p, f.ActiveOwner)
	third := otherOwner(t, e.p, f.ActiveOwner, to.ID)
	plan, err := e.p.PlanReassign(ctx, ReassignRequest{Properties: contactOwnerOnly, From: string(f.ActiveOwner), To: string(to.ID)})
	if err != nil {
		t.Fatal(err)
	}
	id, err := e.p.RecordReassign(ctx, plan)
	if err != nil {
		t.Fatal(err)
	}
	// A crash left the job running before its first request; meanwhile
	// someone moved a contact in HubSpot.
	if err := e.p.journal.FinishJob(ctx, id, store.JobRunning); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.UpdateContact(ctx, held[0].ContactID, hubspot.Properties{hubspot.PropOwnerID: string(third.ID)}); err != nil {
		t.Fatal(err)
	}
	res, err := e.p.Resume(ctx, id, nil)
	if err != nil || res.Skipped != 1 || res.Done != len(held)-1 {
		t.Fatalf("resume %+v, %v", res, err)
	}
	c, _ := e.sb.Contact(held[0].ContactID)
	if c.OwnerID() != third.ID {
		t.Errorf("the contact changed meanwhile was overwritten: %s", c.OwnerID())
	}
}

func TestReassignWithFaultsEndsAtPlannedOwners(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 contacts")
	}
	noWaits(t)
	e := newEnv(t, hubspottest.Config{Contacts: 10_000}, nil)
	e.sync(t)
	ctx := context.Background()
	f := e.sb.Fixtures()
	// The client gives up at once; the job retries, without real waits.
	p := e.portalWith(t, hubspot.WithRetry(1))
	attempts := reassignAttempts
	reassignAttempts = 50
	t.Cleanup(func() { reassignAttempts = attempts })

	var ids []hubspot.ContactID
	for _, c := range allContacts(t, p) {
		ids = append(ids, c.ContactID)
	}
	plan, err := p.PlanReassign(ctx, ReassignRequest{Contacts: ids, To: string(f.ActiveOwner)})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Count()+plan.Unchanged != 10_000 {
		t.Fatalf("plan covers %d contacts", plan.Count()+plan.Unchanged)
	}
	id, err := p.RecordReassign(ctx, plan)
	if err != nil {
		t.Fatal(err)
	}
	e.sb.SetFaults(hubspottest.Faults{Seed: 7, ServerErrors: 0.10, RateLimited: 0.05, Resets: 0.03, Truncated: 0.03})
	res, err := p.Run(ctx, id, nil)
	e.sb.SetFaults(hubspottest.Faults{})
	if err != nil {
		t.Fatal(err)
	}
	if res.State != store.JobDone || res.Done != plan.Count() || res.Failed+res.Skipped != 0 {
		t.Fatalf("result %+v", res)
	}
	want := make(map[hubspot.ContactID]hubspot.OwnerID, len(ids))
	for _, id := range ids {
		want[id] = f.ActiveOwner
	}
	e.assertAtOwners(t, p, want)
	if states := e.journalAgrees(t, p, id); states[store.ItemDone] != plan.Count() {
		t.Fatalf("journal states %v", states)
	}
	var faulted int
	for _, r := range e.sb.Requests() {
		if r.Status == 0 || r.Status >= 429 {
			faulted++
		}
	}
	if faulted == 0 {
		t.Error("no fault was injected")
	}
	// The job reads back after an unknown outcome instead of resending
	// blindly, so even under faults no contact was written twice.
	if twice := e.appliedTwice(t); len(twice) > 0 {
		t.Errorf("%d contacts written twice, e.g. %s", len(twice), twice[0])
	}
}
