package portal

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

func TestJobDetailOfATeamChangeNamesTheUserAndTheChange(t *testing.T) {
	e := changeEnv(t, false)
	ctx := context.Background()
	id := e.sb.Fixtures().MultiRoleUser
	before := sandboxUser(t, e, id)
	team := otherTeam(t, e, before)
	pl, err := e.p.PlanTeamChange(ctx, []hubspot.UserID{id}, TeamChange{Primary: team})
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.p.ApplyUserChange(ctx, pl, MethodKeepRoles)
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.p.JobDetail(ctx, res.JobID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Job.ID != res.JobID || len(d.Items) != 1 {
		t.Fatalf("detail %+v", d)
	}
	it := d.Items[0]
	want := "team " + string(before.PrimaryTeamID) + " → " + string(team) + " (keep-roles)"
	if it.SubjectID != string(id) || !strings.HasPrefix(it.Subject, "user "+string(id)+" ") || it.Change != want || it.State != store.ItemDone {
		t.Errorf("item %+v, want change %q", it, want)
	}
	if _, err := e.p.JobDetail(ctx, 99); !errors.Is(err, store.ErrNoSuchJob) {
		t.Errorf("a missing job: %v", err)
	}
}
