package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/portal"
)

func TestOffboardCommand(t *testing.T) {
	t.Parallel()
	tp := newTokenPortal(t, hubspottest.Config{Contacts: 400, Deals: 100, Tickets: 100})
	dataDir := "--data-dir=" + tp.dataDir
	fx := tp.sb.Fixtures()
	leaving, _ := tp.sb.User(fx.MultiRoleUser)
	to := string(fx.ActiveOwner)

	// Some of their account teams also hold a deactivated owner, which
	// HubSpot refuses in a write: the report says the hand-over takes
	// those IDs out.
	code, out, errOut := tp.runCLI(t, "offboard", leaving.Email, "--to", to, "--dry-run", dataDir)
	if code != exitOK || !strings.Contains(out, "the hand-over takes those IDs out") {
		t.Fatalf("dry run over refused values: exit %d\n%s\n%s", code, out, errOut)
	}
	// The dry run is the pre-flight report and the plan; nothing is sent.
	code, out, errOut = tp.runCLI(t, "offboard", leaving.Email, "--to", to, "--dry-run", "--json", dataDir)
	if code != exitOK {
		t.Fatalf("dry run: exit %d\n%s", code, errOut)
	}
	var report struct {
		Person   portal.OffboardPerson `json:"person"`
		Teams    []portal.OffboardTeam `json:"teams"`
		Roles    []string              `json:"roles"`
		Handover int                   `json:"handover"`
		Blockers []portal.Blocker      `json:"blockers"`
		Steps    []string              `json:"steps"`
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	if report.Person.UserID != leaving.ID || len(report.Teams) != 2 || len(report.Roles) != 3 || report.Handover == 0 || len(report.Blockers) != 0 || len(report.Steps) != 4 {
		t.Fatalf("report %+v", report)
	}
	if n := len(tp.sb.WriteRequests()); n != 0 {
		t.Fatalf("a dry run sent %d writes", n)
	}

	// Companies are left out: one of theirs has a deactivated owner on its
	// account team, which HubSpot refuses in a multi-select value.
	code, out, errOut = tp.runCLI(t, "offboard", string(leaving.ID), "--to", to, "--objects", "contacts,deals,tickets,projects", "--keep-user", "--yes", dataDir)
	if code != exitOK || !strings.Contains(out, "Job 1 done") {
		t.Fatalf("offboard: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"owns", "team", "role", "plan:", "1. hand over every record", "4. keep the user (--keep-user): done (kept", "companies (Owner) stay with them"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if u, ok := tp.sb.User(leaving.ID); !ok || u.PrimaryTeamID != "" || len(u.SeatNames) != 0 {
		t.Errorf("the kept user: %+v, %v", u, ok)
	}

	code, out, _ = tp.runCLI(t, "jobs", dataDir, "--json")
	var jobs []portal.JobRecord
	if err := json.Unmarshal([]byte(out), &jobs); code != exitOK || err != nil {
		t.Fatalf("jobs --json: exit %d, %v\n%s", code, err, out)
	}
	var off *portal.JobRecord
	for i := range jobs {
		if jobs[i].Kind == portal.KindOffboard {
			off = &jobs[i]
		}
	}
	if off == nil || off.State != "done" || off.Outcome != "done: 4 of 4 steps done" || off.Resumable || off.Undoable {
		t.Fatalf("jobs %+v", jobs)
	}
	code, out, _ = tp.runCLI(t, "jobs", "show", "1", dataDir)
	if code != exitOK || !strings.Contains(out, "step 2 take them out of every team") || !strings.Contains(out, "reassignment job 2") {
		t.Errorf("jobs show 1: exit %d\n%s", code, out)
	}
	code, out, _ = tp.runCLI(t, "resolve", leaving.Email, dataDir)
	if code != exitOK || !strings.Contains(out, "offboarded by job 1, user kept") {
		t.Errorf("resolve after offboarding: exit %d\n%s", code, out)
	}
	code, _, errOut = tp.runCLI(t, "jobs", "resume", "1", dataDir)
	if code == exitOK || !strings.Contains(errOut, "nothing to resume") {
		t.Errorf("resume of a finished offboarding: exit %d, %s", code, errOut)
	}
}

func TestOffboardCommandBlocked(t *testing.T) {
	t.Parallel()
	tp := newTokenPortal(t, hubspottest.Config{Contacts: 200})
	dataDir := "--data-dir=" + tp.dataDir
	var admin hubspot.User
	client := hubspot.New(hubspot.WithBaseURL(tp.srv.URL), hubspot.WithAccessToken(tp.token))
	for u, err := range client.Users(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if u.SuperAdmin {
			admin = u
			break
		}
	}
	code, out, errOut := tp.runCLI(t, "offboard", admin.Email, "--to", string(tp.sb.Fixtures().ActiveOwner), "--yes", dataDir)
	if code == exitOK || !strings.Contains(out, "BLOCKED") || !strings.Contains(out, "--keep-user") || !strings.Contains(errOut, "nothing was sent") {
		t.Errorf("super admin: exit %d\n%s\n%s", code, out, errOut)
	}
	if n := len(tp.sb.WriteRequests()); n != 0 {
		t.Errorf("a blocked offboarding sent %d writes", n)
	}
}
