package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
	"github.com/hsadmin/hsadmin/ui/uitest"
)

var (
	_ Reassigner = (*uitest.Fake)(nil)
	_ JobLog     = (*uitest.Fake)(nil)
)

// onContact focuses the contacts pane, all contacts, cursor on row i.
func onContact(h *harness, i int) {
	h.keys("3", "esc")
	for range i {
		h.keys("j")
	}
}

func lastJob(t *testing.T, h *harness) portal.ReassignPlan {
	t.Helper()
	jobs := h.fake.Jobs()
	if len(jobs) == 0 {
		t.Fatalf("no job was recorded; screen:\n%s", h.screen())
	}
	return jobs[len(jobs)-1]
}

func TestReassignOneContactThroughThePicker(t *testing.T) {
	h := newHarness(t, 120, 40, uitest.Config{}, Options{})
	onContact(h, 0) // Ana Lopez's contact
	h.keys("o")
	screen := h.screen()
	if !strings.Contains(screen, "new owner") || !strings.Contains(screen, "Bo Kim · owner 5002 ↔ user 102 · bo@acme.test") ||
		!strings.Contains(screen, "Support Queue · owner 5006 [QUEUE] · support@acme.test") {
		t.Fatalf("picker:\n%s", screen)
	}
	if strings.Contains(h.overlayText(), "Gus Hale") {
		t.Errorf("the picker offers the archived owner:\n%s", h.overlayText())
	}
	h.typ("bo")
	if s := h.screen(); strings.Contains(s, "Ana Lopez ·") || !strings.Contains(s, "Bo Kim") {
		t.Fatalf("filter 'bo':\n%s", s)
	}
	h.keys("enter")
	if h.m.reassign.stage != rsPlan {
		t.Fatalf("stage %d, want the plan screen:\n%s", h.m.reassign.stage, h.screen())
	}
	h.keys("enter")
	plan := lastJob(t, h)
	if plan.Count() != 1 || plan.To.ID != "5002" || plan.Items[0].ContactID != hubspot.ContactID("1000000") {
		t.Fatalf("job plan %+v", plan)
	}
	if h.m.reassign.stage != rsDone || !strings.Contains(h.screen(), "job 1 done") {
		t.Fatalf("after running:\n%s", h.screen())
	}
	h.keys("enter")
	if h.m.reassign != nil || !strings.Contains(h.m.msg, "job 1 done: 1 changed") {
		t.Fatalf("closing: flow %v, msg %q", h.m.reassign, h.m.msg)
	}
}

func TestReassignMarkedContacts(t *testing.T) {
	h := newHarness(t, 120, 40, uitest.Config{}, Options{})
	onContact(h, 0)
	h.keys("space", "space", "space") // marks rows 0, 1, 2
	h.keys("o")
	if !strings.Contains(h.screen(), "reassign 3 marked contacts") {
		t.Fatalf("title:\n%s", h.screen())
	}
	h.typ("fay")
	h.keys("enter", "enter")
	plan := lastJob(t, h)
	if plan.Count() != 3 || plan.To.ID != "5004" || len(plan.Sources) != 3 {
		t.Fatalf("plan %+v", plan)
	}
}

func TestReassignAllOfAnArchivedOwner(t *testing.T) {
	h := newHarness(t, 120, 40, uitest.Config{}, Options{})
	h.keys("2", "j", "j", "j", "j") // Gus Hale, archived
	h.keys("o")
	if !strings.Contains(h.screen(), "reassign Gus Hale's contacts") {
		t.Fatalf("title:\n%s", h.screen())
	}
	h.typ("ana")
	h.keys("enter")
	if s := h.screen(); !strings.Contains(s, "from       4  Gus Hale · owner 5005 ↔ user 106 [ARCHIVED] · gus@acme.test") {
		t.Fatalf("plan screen:\n%s", s)
	}
	h.keys("y")
	if plan := lastJob(t, h); plan.Count() != 4 || plan.Sources[0].Owner.ID != uitest.ArchivedOwner {
		t.Fatalf("plan %+v", plan)
	}
}

func TestReassignAllOfAnOwnerLeavesThatOwnerOutOfThePicker(t *testing.T) {
	h := newHarness(t, 120, 40, uitest.Config{}, Options{})
	h.keys("2") // Ana Lopez, owner 5001
	h.keys("o")
	s := h.screen()
	mustContain(t, s, "reassign Ana Lopez's contacts", "Bo Kim · owner 5002")
	if strings.Contains(s, "Ana Lopez · owner 5001") {
		t.Fatalf("the picker offers the owner the contacts leave:\n%s", s)
	}
}

func TestReassignTypedUserIDIsReadAsItsOwner(t *testing.T) {
	h := newHarness(t, 120, 40, uitest.Config{}, Options{})
	onContact(h, 0)
	h.keys("o")
	h.typ("102") // Bo Kim's user ID; his owner ID is 5002
	h.keys("enter")
	if s := h.screen(); !strings.Contains(s, "note: 102 is the user ID of Bo Kim, whose owner ID is 5002: using owner ID 5002") {
		t.Fatalf("plan screen lacks the note:\n%s", s)
	}
	if h.m.reassign.plan.To.ID != "5002" {
		t.Fatalf("planned for %s", h.m.reassign.plan.To.ID)
	}
}

func TestReassignAmbiguousAndRefusedOwners(t *testing.T) {
	h := newHarness(t, 120, 40, uitest.Config{}, Options{})
	onContact(h, 0)
	h.keys("o")
	f := h.m.reassign
	// 5003 is Eli Moss's owner ID and Dee Park's user ID: typed and
	// entered, it must ask, not take the first row the filter lists.
	h.typ("5003")
	h.keys("enter")
	s := h.screen()
	if f.stage != rsReadings || !strings.Contains(s, "5003 means different people") ||
		!strings.Contains(s, "as owner ID: Eli Moss") || !strings.Contains(s, "as user ID: Dee Park") {
		t.Fatalf("readings:\n%s", s)
	}
	h.keys("2")
	if f.stage != rsPlan || f.plan.To.ID != uitest.DeeParkOwner {
		t.Fatalf("reading 2 planned for %q (stage %d)", f.plan.To.ID, f.stage)
	}
	h.keys("esc")

	h.keys("o")
	f = h.m.reassign
	h.run(h.m.planWith(f, string(uitest.ArchivedOwner)))
	if f.stage != rsPick || !strings.Contains(h.screen(), "is archived: pick an active owner") {
		t.Fatalf("archived target:\n%s", h.screen())
	}
	h.typ("999999")
	h.keys("enter")
	if f.stage != rsPick || !strings.Contains(h.screen(), "not an owner ID, user ID or CRM user record ID") {
		t.Fatalf("unknown target:\n%s", h.screen())
	}
	if len(h.fake.Jobs()) != 0 {
		t.Fatal("a refused owner produced a job")
	}
}

func TestReassignPlanScreenGolden(t *testing.T) {
	for _, sz := range []struct{ w, h int }{{120, 40}, {80, 24}} {
		h := newHarness(t, sz.w, sz.h, uitest.Config{}, Options{})
		h.keys("2", "j", "j", "j", "j", "o") // Gus Hale's contacts
		h.typ("102")
		h.keys("enter")
		h.golden(fmt.Sprintf("reassign_plan_%dx%d", sz.w, sz.h))
		assertFits(t, h.screen(), sz.w, sz.h)
	}
}

func TestReassignOver500NeedsTheCountTyped(t *testing.T) {
	h := newHarness(t, 120, 40, uitest.Config{Contacts: 6000}, Options{})
	h.keys("2") // Ana Lopez holds 1,200 contacts
	h.keys("o")
	h.typ("bo")
	h.keys("enter")
	if !strings.Contains(h.screen(), "enter asks you to type the number of contacts (1200") {
		t.Fatalf("plan foot:\n%s", h.screen())
	}
	h.keys("enter")
	if h.m.confirm == nil || !strings.Contains(h.screen(), "Type 1200 to confirm") {
		t.Fatalf("no typed confirmation:\n%s", h.screen())
	}
	h.typ("120")
	h.keys("enter")
	if len(h.fake.Jobs()) != 0 {
		t.Fatal("the job ran on a wrong count")
	}
	h.typ("0")
	h.keys("enter")
	if plan := lastJob(t, h); plan.Count() != 1200 {
		t.Fatalf("plan of %d contacts", plan.Count())
	}
	if !strings.Contains(h.screen(), "changed   1,200") {
		t.Fatalf("result:\n%s", h.screen())
	}
}

func TestReassignFromTheArchivedOwnersFinding(t *testing.T) {
	h := newHarness(t, 120, 40, uitest.Config{}, Options{})
	h.keys("F")
	p := h.m.panes[paneFindings]
	h.send(findingsMsg{gen: p.gen, findings: []portal.Finding{
		{Kind: portal.FindingContactsArchivedOwner, Title: "Contacts owned by archived owners", Count: 4,
			Records: []portal.FindingRecord{{Label: "Gus Hale: 4 contacts", OwnerID: uitest.ArchivedOwner}}},
		{Kind: portal.FindingMultiRoleUsers, Title: "Users with more than one role", Count: 1,
			Records: []portal.FindingRecord{{Label: "Ana Lopez", UserID: uitest.MultiRoleUser}}},
	}})
	h.keys("o")
	if h.m.reassign == nil || !strings.Contains(h.screen(), "reassign contacts held by deactivated owners") {
		t.Fatalf("findings reassign:\n%s", h.screen())
	}
	h.typ("bo")
	h.keys("enter", "enter")
	if plan := lastJob(t, h); plan.Count() != 4 || plan.Sources[0].Owner.ID != uitest.ArchivedOwner {
		t.Fatalf("plan %+v", plan)
	}
	h.keys("enter")
	// Finishing the job reloaded the fake's findings: show ours again.
	h.send(findingsMsg{gen: p.gen, findings: []portal.Finding{
		{Kind: portal.FindingMultiRoleUsers, Title: "Users with more than one role", Count: 1,
			Records: []portal.FindingRecord{{Label: "Ana Lopez", UserID: uitest.MultiRoleUser}}},
	}})
	h.keys("o")
	if h.m.reassign != nil || !strings.Contains(h.m.msg, "not about who owns records") {
		t.Fatalf("reassign on another finding: %q", h.m.msg)
	}
}

func TestJobsViewUndoesAndExports(t *testing.T) {
	h := newHarness(t, 120, 40, uitest.Config{}, Options{})
	h.keys("2", "j", "j", "j", "j", "o")
	h.typ("bo")
	h.keys("enter", "enter", "enter")
	h.keys("J")
	s := h.screen()
	if h.m.jobs == nil || !strings.Contains(s, "Reassign 4 contacts from Gus Hale") || !strings.Contains(s, "done: 4 changed") ||
		!strings.Contains(s, "u undoes it") {
		t.Fatalf("jobs view:\n%s", s)
	}
	// Gus Hale is deactivated: HubSpot would refuse him, so the undo plan
	// sends nothing for his contacts and offers to pick someone instead.
	h.keys("u")
	s = h.screen()
	if h.m.reassign == nil || h.m.reassign.stage != rsPlan || !strings.Contains(s, "4 contacts cannot go back") ||
		!strings.Contains(s, "Gus Hale") || !strings.Contains(s, "o picks an owner") {
		t.Fatalf("undo plan:\n%s", s)
	}
	h.golden("undo_refused_plan")
	h.keys("enter")
	if len(h.fake.Jobs()) != 1 || !strings.Contains(h.screen(), "nothing to send") {
		t.Fatalf("enter on an undo that sends nothing:\n%s", h.screen())
	}
	h.keys("o")
	if h.m.reassign.stage != rsPick || !strings.Contains(h.screen(), "owner for the 4 contacts that cannot go back") {
		t.Fatalf("picker:\n%s", h.screen())
	}
	h.keys("esc")
	if h.m.reassign.stage != rsPlan {
		t.Fatalf("esc in the picker did not go back to the undo plan:\n%s", h.screen())
	}
	h.keys("o")
	h.typ("eli")
	h.keys("enter")
	s = h.screen()
	if h.m.reassign.stage != rsPlan || !strings.Contains(s, "4 contacts to Eli Moss") || !strings.Contains(s, "they go to Eli Moss") {
		t.Fatalf("undo plan with a picked owner:\n%s", s)
	}
	h.golden("undo_refused_to_picked_owner")
	h.keys("enter")
	plan := lastJob(t, h)
	if plan.UndoOf != 1 || plan.Count() != 4 || plan.Items[0].To != "5003" || plan.Redirected() != 4 {
		t.Fatalf("undo plan %+v", plan)
	}
	h.keys("enter")
	s = h.screen()
	if h.m.reassign != nil || !strings.Contains(s, "Undo job 1") || !strings.Contains(s, "undone: 4 changed; 4 to another owner instead (undo job 2)") {
		t.Fatalf("jobs view after the undo:\n%s", s)
	}
	h.keys("x")
	h.keys("X")
	files, _ := filepath.Glob(filepath.Join(h.m.opts.dir, "hsadmin-jobs-*"))
	if len(files) != 2 {
		t.Fatalf("exports %v (msg %q, err %q)", files, h.m.msg, h.m.err)
	}
	for _, f := range files {
		data, _ := os.ReadFile(f)
		if !strings.Contains(string(data), "Undo job 1") {
			t.Errorf("%s lacks the undo job:\n%s", f, data)
		}
	}
	h.keys("esc")
	if h.m.jobs != nil {
		t.Fatal("esc did not close the jobs view")
	}
}

func TestJobsViewResumesAnUnfinishedJob(t *testing.T) {
	fake := uitest.New(uitest.Config{})
	fake.AddJob(portal.JobSummary{Job: portal.Job{Kind: portal.KindReassign, State: portal.JobInterrupted, Summary: "Reassign 40 contacts"},
		Items: portal.ItemCounts{Total: 40, Done: 10, Pending: 30}})
	h := newHarnessWith(t, 120, 40, fake, fake, Options{})
	if !strings.Contains(h.m.msg, "job 1 was left unfinished") {
		t.Fatalf("no notice of the unfinished job: %q", h.m.msg)
	}
	h.keys(":")
	h.typ("jobs")
	h.keys("enter")
	if !strings.Contains(h.screen(), "c resumes it") {
		t.Fatalf("jobs view:\n%s", h.screen())
	}
	h.keys("c")
	if h.m.reassign == nil || h.m.reassign.stage != rsDone || !strings.Contains(h.screen(), "changed   40") {
		t.Fatalf("resume:\n%s", h.screen())
	}
}

func TestReassignProgressViewAndCancel(t *testing.T) {
	h := newHarness(t, 120, 40, uitest.Config{}, Options{})
	cancelled := false
	h.m.openReassign(&reassignFlow{stage: rsRunning, who: "Gus Hale's contacts", jobID: 7,
		cancel: func() { cancelled = true },
		progress: portal.JobProgress{JobID: 7, Done: 12300, Total: 50000, Failed: 2, Skipped: 1, PerSecond: 1900,
			ETA: 19_000_000_000, Waiting: "rate limit: waiting 1s"}})
	h.m.version++
	s := h.screen()
	for _, want := range []string{"12,300 / 50,000 contacts", "1,900 contacts/s", "ETA       19s", "2 failed · 1 skipped", "paused: rate limit", "journal job 7", "esc cancels after the batches in flight"} {
		if !strings.Contains(s, want) {
			t.Errorf("progress view lacks %q:\n%s", want, s)
		}
	}
	h.keys("esc")
	if !cancelled || !strings.Contains(h.screen(), "cancelling after the batches in flight") {
		t.Fatalf("esc: cancelled %v\n%s", cancelled, h.screen())
	}
	h.keys("q")
	for _, c := range h.cmds {
		if _, quit := c.(tea.QuitMsg); quit {
			t.Fatal("q quit while a job was running")
		}
	}
	if h.m.reassign == nil {
		t.Fatal("q closed the running job's view")
	}
}

func TestReassignHiddenWhenReadOnly(t *testing.T) {
	h := newHarness(t, 120, 40, uitest.Config{}, Options{ReadOnly: true})
	onContact(h, 0)
	h.keys("o")
	if h.m.reassign != nil {
		t.Fatal("read-only console opened a reassignment")
	}
	h.keys("J")
	if h.m.jobs == nil {
		t.Fatal("the audit view is not available read-only")
	}
	h.keys("u")
	if h.m.reassign != nil {
		t.Fatal("read-only console started an undo")
	}
}

func TestReassignNotOfferedWithoutReassigner(t *testing.T) {
	fake := uitest.New(uitest.Config{})
	h := newHarnessWith(t, 120, 40, fake, plainBackend{fake}, Options{})
	onContact(h, 0)
	if why := needReassign(h.m); !strings.Contains(why, "cannot reassign") {
		t.Fatalf("disabled reason %q", why)
	}
	h.keys("o")
	if h.m.reassign != nil || !strings.Contains(h.m.msg, "cannot reassign") {
		t.Fatalf("msg %q", h.m.msg)
	}
}

// plainBackend hides every optional ability of the fake.
type plainBackend struct{ f *uitest.Fake }

func (p plainBackend) Info() portal.Info { return p.f.Info() }
func (p plainBackend) Users(ctx context.Context, q portal.Query) ([]portal.UserRow, error) {
	return p.f.Users(ctx, q)
}
func (p plainBackend) Owners(ctx context.Context, q portal.Query) ([]portal.OwnerRow, error) {
	return p.f.Owners(ctx, q)
}
func (p plainBackend) Contacts(ctx context.Context, q portal.Query) ([]portal.ContactRow, error) {
	return p.f.Contacts(ctx, q)
}
func (p plainBackend) CountContacts(ctx context.Context, q portal.Query) (int, error) {
	return p.f.CountContacts(ctx, q)
}
func (p plainBackend) IDCardForUser(ctx context.Context, id hubspot.UserID) (portal.IDCard, error) {
	return p.f.IDCardForUser(ctx, id)
}
func (p plainBackend) IDCardForOwner(ctx context.Context, id hubspot.OwnerID) (portal.IDCard, error) {
	return p.f.IDCardForOwner(ctx, id)
}
func (p plainBackend) Resolve(ctx context.Context, in string) (portal.Resolution, error) {
	return p.f.Resolve(ctx, in)
}
func (p plainBackend) Findings(ctx context.Context) ([]portal.Finding, error) {
	return p.f.Findings(ctx)
}
func (p plainBackend) Sync(ctx context.Context, ch chan<- portal.SyncProgress) error {
	return p.f.Sync(ctx, ch)
}
func (p plainBackend) LastSync(ctx context.Context) (time.Time, error) { return p.f.LastSync(ctx) }
