package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/portal"
)

// TestReassignCommandEveryType: a dry run of an owner's handover covers
// every type and owner property, counted and sampled; --json prints the
// plan; --objects and --properties narrow it, with a suggestion for a
// misspelt name; --skip-closed-deals leaves closed deals out; the job runs
// and is undone like a contacts job.
func TestReassignCommandEveryType(t *testing.T) {
	t.Parallel()
	tp, dataDir := reassignSandbox(t)
	fx := tp.sb.Fixtures()
	from, to := "owner:"+string(fx.ActiveOwner), string(fx.StaleEmailOwner)

	code, out, errOut := tp.runCLI(t, "reassign", dataDir, "--from", from, "--to", to, "--dry-run")
	if code != exitOK {
		t.Fatalf("dry run: exit %d\n%s", code, errOut)
	}
	for _, want := range []string{"Give ", " contacts, ", "per type and owner property:", "Account team (account_team)",
		"Implementation lead (implementation_lead)", "projects, implementation_lead:", "owners ", "Dry run: nothing was sent."} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	if n := batchUpdates(tp.sb); n != 0 {
		t.Fatalf("a dry run sent %d batch updates", n)
	}

	plan := func(args ...string) reassignPlanJSON {
		t.Helper()
		code, out, errOut := tp.runCLI(t, append([]string{"reassign", dataDir, "--from", from, "--to", to, "--dry-run", "--json"}, args...)...)
		var p reassignPlanJSON
		if code != exitOK || json.Unmarshal([]byte(out), &p) != nil {
			t.Fatalf("%v: exit %d\n%s\n%s", args, code, out, errOut)
		}
		return p
	}
	all := plan()
	if len(all.PerType) != 5 || all.Changes == 0 || len(all.Sample) == 0 || !all.DryRun {
		t.Errorf("--json plan: %+v", all)
	}
	deals := plan("--objects", "deals", "--properties", "hubspot_owner_id")
	if len(deals.PerType) != 1 || deals.PerType[0].Type != hubspot.ObjectDeals || len(deals.PerProperty) != 1 {
		t.Errorf("--objects deals --properties hubspot_owner_id: %+v", deals.PerProperty)
	}
	open := plan("--objects", "deals", "--properties", "hubspot_owner_id", "--skip-closed-deals")
	if open.ClosedDeals != 0 || open.ClosedDealsLeftOut != deals.ClosedDeals || open.Changes != deals.Changes-deals.ClosedDeals {
		t.Errorf("--skip-closed-deals: %d changes, %d left out; without: %d changes, %d closed", open.Changes, open.ClosedDealsLeftOut, deals.Changes, deals.ClosedDeals)
	}
	for _, c := range []struct{ args []string }{
		{[]string{"--objects", "dels"}},
		{[]string{"--properties", "acount_team"}},
	} {
		code, _, errOut := tp.runCLI(t, append([]string{"reassign", dataDir, "--from", from, "--to", to, "--dry-run"}, c.args...)...)
		if code == exitOK || !strings.Contains(errOut, "did you mean") {
			t.Errorf("%v: exit %d, %s", c.args, code, errOut)
		}
	}

	code, out, errOut = tp.runCLI(t, "reassign", dataDir, "--from", from, "--to", to, "--objects", "companies,deals,2-"+strings.TrimPrefix(tp.sb.CustomObjectTypeID(), "2-"), "--yes", "--json")
	var run struct {
		Plan  reassignPlanJSON `json:"plan"`
		Job   int64            `json:"job"`
		State string           `json:"state"`
		Done  int              `json:"done"`
	}
	if code != exitOK || json.Unmarshal([]byte(out), &run) != nil || run.State != "done" || run.Done != run.Plan.Changes {
		t.Fatalf("reassign --json: exit %d\n%s\n%s", code, out, errOut)
	}
	if len(run.Plan.PerType) != 3 {
		t.Errorf("--objects companies,deals,CUSTOM covers %+v", run.Plan.PerType)
	}
	code, out, errOut = tp.runCLI(t, "undo", dataDir, "1", "--yes")
	if code != exitOK || !strings.Contains(out, "Job 2 done") {
		t.Fatalf("undo: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = tp.runCLI(t, "jobs", dataDir, "--json")
	var jobs []portal.JobRecord
	if code != exitOK || json.Unmarshal([]byte(out), &jobs) != nil || len(jobs) != 2 || jobs[1].State != portal.StatusUndone || jobs[1].Done != run.Done {
		t.Errorf("jobs after the undo: %s", out)
	}
}
