package cli

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/portal"
)

// reassignSandbox serves a sandbox that outlives single commands, reached
// through HUBSPOT_ACCESS_TOKEN, and returns it with a data directory flag.
func reassignSandbox(t *testing.T) (*tokenPortal, string) {
	t.Helper()
	// A generous announced budget: the client learns it from the headers
	// and does not pace the syncs these tests start.
	tp := newTokenPortal(t, hubspottest.Config{Contacts: 400, RateLimit: true, RateLimitMax: 10_000, SearchPerSecond: 100})
	return tp, "--data-dir=" + tp.dataDir
}

func batchUpdates(sb *hubspottest.Server) int {
	n := 0
	for _, r := range sb.Requests() {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/batch/update") {
			n++
		}
	}
	return n
}

func TestReassignCommandRunsJobsAndUndoes(t *testing.T) {
	t.Parallel()
	tp, dataDir := reassignSandbox(t)
	sb := tp.sb
	fx := sb.Fixtures()

	// A dry run explains the user ID it was given and sends nothing.
	code, out, errOut := tp.runCLI(t, "reassign", dataDir, "--from", string(fx.ArchivedOwner), "--to", string(fx.ActiveOwnerUser), "--objects", "contacts", "--properties", "hubspot_owner_id", "--dry-run")
	if code != exitOK {
		t.Fatalf("dry run: exit %d\n%s", code, errOut)
	}
	for _, want := range []string{"Reassign", "is the user ID of", "using owner ID " + string(fx.ActiveOwner), "from", "Dry run: nothing was sent."} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	if n := batchUpdates(sb); n != 0 {
		t.Fatalf("a dry run sent %d batch updates", n)
	}

	code, out, errOut = tp.runCLI(t, "reassign", dataDir, "--from", string(fx.ArchivedOwner), "--to", string(fx.ActiveOwner), "--objects", "contacts", "--properties", "hubspot_owner_id", "--yes", "--batch", "3")
	if code != exitOK || !strings.Contains(out, "Job 1 done") {
		t.Fatalf("reassign: exit %d\n%s\n%s", code, out, errOut)
	}
	if batchUpdates(sb) < 2 {
		t.Errorf("--batch 3 did not split the job")
	}

	code, out, _ = tp.runCLI(t, "jobs", dataDir, "--json")
	if code != exitOK {
		t.Fatalf("jobs: exit %d", code)
	}
	var jobs []portal.JobRecord
	if err := json.Unmarshal([]byte(out), &jobs); err != nil {
		t.Fatalf("jobs --json: %v\n%s", err, out)
	}
	if len(jobs) != 1 || jobs[0].Kind != "reassign" || jobs[0].State != "done" || jobs[0].Done == 0 || jobs[0].Done != jobs[0].Total || !jobs[0].Undoable || jobs[0].Resumable {
		t.Fatalf("jobs %+v", jobs)
	}
	moved := jobs[0].Done

	code, _, errOut = tp.runCLI(t, "resume", dataDir, "1")
	if code != exitFailure || !strings.Contains(errOut, "nothing to resume") {
		t.Errorf("resume of a finished job: exit %d, %s", code, errOut)
	}

	// The archived owner cannot take its contacts back: HubSpot refuses
	// them, so the undo says so and sends nothing.
	before := batchUpdates(sb)
	code, out, errOut = tp.runCLI(t, "undo", dataDir, "1", "--dry-run")
	if code != exitOK {
		t.Fatalf("undo --dry-run: exit %d\n%s", code, errOut)
	}
	for _, want := range []string{portal.Thousands(moved) + " contacts cannot go back", "owner " + string(fx.ArchivedOwner), "deactivated",
		"They stay where they are", "--others-to OWNER", "Dry run: nothing was sent. It would put 0 contacts back and leave " + portal.Thousands(moved) + " where they are"} {
		if !strings.Contains(out, want) {
			t.Errorf("undo --dry-run output lacks %q:\n%s", want, out)
		}
	}
	code, _, errOut = tp.runCLI(t, "undo", dataDir, "1", "--yes")
	if code != exitFailure || !strings.Contains(errOut, "nothing to send") || !strings.Contains(errOut, "--others-to OWNER") {
		t.Errorf("undo to an archived owner: exit %d\n%s", code, errOut)
	}
	if n := batchUpdates(sb); n != before {
		t.Fatalf("the undo sent %d batch updates to a deactivated owner", n-before)
	}
	code, out, _ = tp.runCLI(t, "jobs", dataDir)
	if code != exitOK || !strings.Contains(out, "done: "+portal.Thousands(moved)+" changed") || strings.Contains(out, "undone") {
		t.Errorf("jobs table:\n%s", out)
	}
}

// TestUndoCommandGivesRefusedContactsToAnotherOwner: --others-to takes the
// contacts whose previous owner HubSpot refuses, read as reassign --to
// reads it (here a user ID); the original job is then undone in full.
func TestUndoCommandGivesRefusedContactsToAnotherOwner(t *testing.T) {
	t.Parallel()
	tp, dataDir := reassignSandbox(t)
	sb := tp.sb
	fx := sb.Fixtures()
	code, _, errOut := tp.runCLI(t, "reassign", dataDir, "--from", string(fx.ArchivedOwner), "--to", string(fx.QueueOwner), "--yes")
	if code != exitOK {
		t.Fatalf("reassign: exit %d\n%s", code, errOut)
	}
	code, out, errOut := tp.runCLI(t, "undo", dataDir, "1", "--others-to", string(fx.ActiveOwnerUser), "--dry-run")
	if code != exitOK || !strings.Contains(out, "They go to ") || !strings.Contains(out, "owner "+string(fx.ActiveOwner)) ||
		!strings.Contains(out, "It would put 0 contacts back, give ") {
		t.Fatalf("undo --others-to --dry-run: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = tp.runCLI(t, "undo", dataDir, "1", "--others-to", string(fx.ActiveOwnerUser), "--yes")
	if code != exitOK || !strings.Contains(out, "Job 2 done") {
		t.Fatalf("undo --others-to: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = tp.runCLI(t, "jobs", dataDir, "--json")
	var jobs []portal.JobRecord
	if code != exitOK || json.Unmarshal([]byte(out), &jobs) != nil || len(jobs) != 2 {
		t.Fatalf("jobs: exit %d\n%s", code, out)
	}
	if jobs[1].State != "undone" || jobs[1].Elsewhere != jobs[1].Done || jobs[1].NotBack != 0 || jobs[1].Undoable ||
		!strings.Contains(jobs[1].Outcome, "to another owner instead") {
		t.Errorf("the original after --others-to: %+v", jobs[1])
	}
	for _, r := range sb.WriteRequests() {
		if strings.Contains(string(r.Body), `"`+string(fx.ArchivedOwner)+`"`) {
			t.Errorf("a write went to the deactivated owner: %s", r.Body)
		}
	}
}

func TestReassignCommandUndoPutsContactsBack(t *testing.T) {
	t.Parallel()
	tp, dataDir := reassignSandbox(t)
	sb := tp.sb
	fx := sb.Fixtures()
	code, out, errOut := tp.runCLI(t, "reassign", dataDir, "--from", string(fx.ActiveOwner), "--to", string(fx.QueueOwner), "--objects", "contacts", "--properties", "hubspot_owner_id", "--yes")
	if code != exitOK || !strings.Contains(out, "is a queue") {
		t.Fatalf("reassign to a queue: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = tp.runCLI(t, "undo", dataDir, "1", "--yes")
	if code != exitOK || !strings.Contains(out, "Job 2 done") {
		t.Fatalf("undo: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = tp.runCLI(t, "jobs", dataDir, "--json")
	var jobs []portal.JobRecord
	if code != exitOK || json.Unmarshal([]byte(out), &jobs) != nil || len(jobs) != 2 {
		t.Fatalf("jobs: exit %d\n%s", code, out)
	}
	if jobs[0].UndoOf != 1 || jobs[1].UndoneBy != 2 || jobs[1].State != "undone" || jobs[0].Done != jobs[1].Done {
		t.Errorf("jobs after undo %+v", jobs)
	}
	// Every contact the job sent to the queue is back with its owner.
	sent := 0
	for _, r := range sb.Requests() {
		if !strings.HasSuffix(r.Path, "/batch/update") || !strings.Contains(string(r.Body), `"`+string(fx.QueueOwner)+`"`) {
			continue
		}
		var body struct {
			Inputs []struct {
				ID hubspot.ContactID `json:"id"`
			} `json:"inputs"`
		}
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatal(err)
		}
		for _, in := range body.Inputs {
			sent++
			if c, _ := sb.Contact(in.ID); c.OwnerID() != fx.ActiveOwner {
				t.Errorf("contact %s is with %q after the undo, want %s", in.ID, c.OwnerID(), fx.ActiveOwner)
			}
		}
	}
	if sent == 0 || sent != jobs[1].Done {
		t.Errorf("the job sent %d contacts to the queue; the journal says %d", sent, jobs[1].Done)
	}
}

func TestReassignCommandRefusals(t *testing.T) {
	t.Parallel()
	tp, dataDir := reassignSandbox(t)
	sb := tp.sb
	fx := sb.Fixtures()
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--from", string(fx.ActiveOwner)}, exitUsage, "--to OWNER is required"},
		{[]string{"--to", string(fx.ActiveOwner)}, exitUsage, "say which contacts"},
		{[]string{"--to", string(fx.ActiveOwner), "--contacts", "12,abc"}, exitUsage, `"abc" is not a contact ID`},
		{[]string{"--from", string(fx.ActiveOwner), "--to", string(fx.CollidingUser), "--dry-run"}, exitUsage, "owner:" + string(fx.CollidingUser)},
		{[]string{"--from", string(fx.ActiveOwner), "--to", string(fx.ArchivedOwner), "--dry-run"}, exitFailure, "archived"},
		{[]string{"--from", string(fx.ActiveOwner), "--to", "987654321", "--dry-run"}, exitFailure, "not an owner ID, user ID"},
		// Off a terminal, a change needs --yes.
		{[]string{"--from", string(fx.ArchivedOwner), "--to", string(fx.ActiveOwner)}, exitUsage, "add --yes"},
	} {
		code, _, errOut := tp.runCLI(t, append([]string{"reassign", dataDir}, tc.args...)...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("reassign %v: exit %d, stderr %q; want %d and %q", tc.args, code, errOut, tc.code, tc.want)
		}
	}
	if n := batchUpdates(sb); n != 0 {
		t.Errorf("refused commands sent %d batch updates", n)
	}
	for _, args := range [][]string{{"undo"}, {"undo", "x"}, {"resume", "1", "2"}} {
		if code, _, _ := tp.runCLI(t, append(args, dataDir)...); code != exitUsage {
			t.Errorf("%v: exit %d, want usage", args, code)
		}
	}
}

func TestConfirmCountNeedsTheNumberAbove500(t *testing.T) {
	t.Parallel()
	std := stdio{in: strings.NewReader(""), out: &strings.Builder{}, err: &strings.Builder{}}
	var ue usageError
	if err := confirmCount(std, "go?", 501, true, 0); !errors.As(err, &ue) || !strings.Contains(err.Error(), "--count 501") {
		t.Errorf("501 with --yes alone: %v", err)
	}
	if err := confirmCount(std, "go?", 501, true, 500); !errors.As(err, &ue) {
		t.Errorf("a wrong --count: %v", err)
	}
	if err := confirmCount(std, "go?", 501, false, 501); err != nil {
		t.Errorf("the right --count: %v", err)
	}
	if err := confirmCount(std, "go?", 500, true, 0); err != nil {
		t.Errorf("500 with --yes: %v", err)
	}
}

// An interrupted job is resumed from the command line; --dry-run says what
// is left and sends nothing.
func TestResumeCommandDryRunThenResume(t *testing.T) {
	t.Parallel()
	tp, dataDir := reassignSandbox(t)
	sb := tp.sb
	fx := sb.Fixtures()
	// Sync the mirror, then record a job without running it: what a crash
	// right after the journal write leaves.
	if code, _, errOut := tp.runCLI(t, "sync", dataDir); code != exitOK {
		t.Fatalf("sync: %s", errOut)
	}
	client := hubspot.New(hubspot.WithBaseURL(tp.srv.URL), hubspot.WithAccessToken(tp.token))
	p, _, err := portal.Open(context.Background(), portal.Config{Client: client, DataDir: strings.TrimPrefix(dataDir, "--data-dir="), HubID: sb.HubID()})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := p.PlanReassign(context.Background(), portal.ReassignRequest{From: string(fx.ArchivedOwner), To: string(fx.ActiveOwner)})
	if err != nil {
		t.Fatal(err)
	}
	id, err := p.RecordReassign(context.Background(), plan)
	if err != nil {
		t.Fatal(err)
	}
	p.Close()

	job := strconv.FormatInt(id, 10)
	code, out, errOut := tp.runCLI(t, "resume", job, dataDir, "--dry-run")
	want := "Dry run: " + portal.Plural(plan.Count(), "contact") + " left"
	if code != exitOK || !strings.Contains(out, want) || !strings.Contains(out, "Nothing was sent") {
		t.Fatalf("resume --dry-run: exit %d, want %q\n%s%s", code, want, out, errOut)
	}
	if n := batchUpdates(sb); n != 0 {
		t.Fatalf("a dry run sent %d batch updates", n)
	}
	code, out, errOut = tp.runCLI(t, "resume", job, dataDir, "--yes")
	if code != exitOK || batchUpdates(sb) == 0 || !strings.Contains(out, "done") {
		t.Fatalf("resume: exit %d\n%s%s", code, out, errOut)
	}
}
