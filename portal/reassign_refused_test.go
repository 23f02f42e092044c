package portal

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
)

// TestReassignDropsRefusedOwnersWhenAsked: a company's account team holds
// the source owner beside someone whose user was removed since (a
// deactivated owner). HubSpot refuses any value holding that ID, so the
// plan leaves the value out and says how to hand it over; with
// DropRefusedOwners the deactivated ID is taken out with the hand-over, the
// journal keeps which IDs went, and the record ends with the new owner.
func TestReassignDropsRefusedOwnersWhenAsked(t *testing.T) {
	e := newTypesEnv(t)
	ctx := context.Background()
	src := e.sb.Fixtures().ActiveOwner
	to := otherOwner(t, e.p, src)
	leaver := otherOwner(t, e.p, src, to.ID)
	if leaver.UserID == "" {
		t.Fatalf("owner %s has no user to remove", leaver.ID)
	}
	company, _ := e.sb.ObjectRecordAt("companies", 11)
	id := hubspot.RecordID(company.ID)
	team := string(src) + ";" + string(leaver.ID)
	if _, err := e.client.BatchUpdateRecords(ctx, hubspot.ObjectCompanies, []hubspot.RecordInput{{ID: id, Properties: hubspot.Properties{"account_team": team}}}); err != nil {
		t.Fatal(err)
	}
	if !e.sb.RemoveUser(leaver.UserID) {
		t.Fatalf("no user %s", leaver.UserID)
	}
	e.sync(t)

	req := ReassignRequest{From: "owner:" + string(src), To: string(to.ID), Objects: []hubspot.ObjectType{hubspot.ObjectCompanies}, Properties: []string{"account_team"}}
	plan, err := e.p.PlanReassign(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	holds := func(p ReassignPlan) bool {
		return slices.ContainsFunc(p.Items, func(it ReassignItem) bool { return it.RecordID == id })
	}
	if holds(plan) || plan.RefusedValues == 0 {
		t.Fatalf("plan without the choice: company in it %v, %d refused values; want left out", holds(plan), plan.RefusedValues)
	}
	if !slices.ContainsFunc(plan.Notes, func(n string) bool {
		return strings.Contains(n, "left out") && strings.Contains(n, "--drop-refused-owners")
	}) {
		t.Errorf("notes %q do not say how to hand it over", plan.Notes)
	}

	req.DropRefusedOwners = true
	plan, err = e.p.PlanReassign(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(plan.Items, func(it ReassignItem) bool { return it.RecordID == id })
	if i < 0 {
		t.Fatal("with DropRefusedOwners the company is still left out")
	}
	if it := plan.Items[i]; it.After != string(to.ID) || !slices.Equal(it.Drop, []hubspot.OwnerID{leaver.ID}) {
		t.Fatalf("the plan writes %q dropping %v; want %q dropping %s", it.After, it.Drop, to.ID, leaver.ID)
	}
	if !slices.ContainsFunc(plan.Notes, func(n string) bool { return strings.Contains(n, "taken out with the hand-over") }) {
		t.Errorf("notes %q do not say the IDs are taken out", plan.Notes)
	}
	job, err := e.p.RecordReassign(ctx, plan)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.p.Run(ctx, job, nil)
	if err != nil || res.Failed != 0 {
		t.Fatalf("run: %+v, %v", res, err)
	}
	if got := e.sandboxValue(t, hubspot.ObjectCompanies, id, "account_team"); got != string(to.ID) {
		t.Errorf("HubSpot holds %q, want %q", got, to.ID)
	}
	if got := mirrorValue(t, e.p, plan.Items[i]); got != string(to.ID) {
		t.Errorf("the mirror holds %q, want %q", got, to.ID)
	}
	items, err := e.p.JobItems(ctx, job)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(items, func(it JobItem) bool { return strings.Contains(string(it.After), `"drop":["`+string(leaver.ID)+`"]`) }) {
		t.Errorf("the journal does not keep the IDs taken out")
	}
}
