package portal

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
	"github.com/hsadmin/hsadmin/store"
)

// typesConfig is a sandbox with every object type, small enough to be fast.
func typesConfig() hubspottest.Config {
	return hubspottest.Config{Contacts: 300, Companies: 160, Deals: 240, Tickets: 120, CustomRecords: 80}
}

// newTypesEnv is a synced sandbox with every object type.
func newTypesEnv(t testing.TB) *env {
	t.Helper()
	e := newEnv(t, typesConfig(), nil)
	e.sync(t)
	return e
}

// ownerValueOf is what the sandbox holds in an item's property now.
func (e *env) itemValue(t testing.TB, it ReassignItem) string {
	t.Helper()
	return e.sandboxValue(t, it.ObjectType(), it.Record(), it.PropertyName())
}

// mirrorValue is what the mirror holds in an item's property now.
func mirrorValue(t testing.TB, p *Portal, it ReassignItem) string {
	t.Helper()
	ctx := context.Background()
	if it.contactOwnerItem() {
		rows, _, err := p.mirror.ContactsByID(ctx, []hubspot.ContactID{hubspot.ContactID(it.Record())})
		if err != nil || len(rows) != 1 {
			t.Fatalf("mirror contact %s: %v", it.Record(), err)
		}
		return string(rows[0].OwnerID)
	}
	vals, err := p.mirror.OwnerValuesOf(ctx, it.ObjectType(), []hubspot.RecordID{it.Record()}, []string{it.PropertyName()})
	if err != nil {
		t.Fatal(err)
	}
	if len(vals) == 0 {
		return ""
	}
	return vals[0].Value()
}

func planTypes(plan ReassignPlan) []hubspot.ObjectType {
	var out []hubspot.ObjectType
	for _, c := range plan.PerType {
		out = append(out, c.Type)
	}
	return out
}

// TestReassignEveryTypeAndUndo hands an owner's records over across
// contacts, companies, deals, tickets and the custom object, a
// multi-select owner property edited in place (with an owner someone added
// after the plan kept), then undoes it.
func TestReassignEveryTypeAndUndo(t *testing.T) {
	e := newTypesEnv(t)
	ctx := context.Background()
	f := e.sb.Fixtures()
	src := f.ActiveOwner
	to := otherOwner(t, e.p, src)
	custom := hubspot.ObjectType(e.sb.CustomObjectTypeID())
	// A company whose account team holds src between two others.
	other := otherOwner(t, e.p, src, to.ID).ID
	team, _ := e.sb.ObjectRecordAt("companies", 7)
	added := otherOwner(t, e.p, src, to.ID, other).ID
	teamValue := string(other) + ";" + string(src) + ";" + string(added)
	if _, err := e.client.BatchUpdateRecords(ctx, hubspot.ObjectCompanies, []hubspot.RecordInput{{ID: hubspot.RecordID(team.ID), Properties: hubspot.Properties{"account_team": string(other) + ";" + string(src)}}}); err != nil {
		t.Fatal(err)
	}
	e.sync(t)

	plan, err := e.p.PlanReassign(ctx, ReassignRequest{From: "owner:" + string(src), To: string(to.ID)})
	if err != nil {
		t.Fatal(err)
	}
	want := []hubspot.ObjectType{hubspot.ObjectContacts, hubspot.ObjectCompanies, hubspot.ObjectDeals, hubspot.ObjectTickets, custom}
	if got := planTypes(plan); !slices.Equal(got, want) {
		t.Fatalf("plan covers %v, want %v", got, want)
	}
	if !strings.HasPrefix(plan.Summary(), "Give "+Plural(plan.Records(), "record")+" of ") || !strings.Contains(plan.Summary(), "contacts, ") {
		t.Errorf("summary %q", plan.Summary())
	}
	// Every owner value the mirror holds of src is in the plan, once.
	holdings, err := e.p.mirror.OwnerHoldings(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range holdings {
		i := slices.IndexFunc(plan.PerProperty, func(c PropertyCount) bool { return c.Type == h.Type && c.Property == h.Property })
		if i < 0 || plan.PerProperty[i].Count != h.Count {
			t.Errorf("%s %s: the mirror holds %d of %s, the plan changes %v", h.Type, h.Property, h.Count, src, plan.PerProperty)
		}
	}
	// A multi-select value holding src and another owner: someone adds a
	// third owner after the plan; the write must keep both others in place.
	mi := slices.IndexFunc(plan.Items, func(it ReassignItem) bool { return it.Multi && it.RecordID == hubspot.RecordID(team.ID) })
	if mi < 0 {
		t.Fatal("the company's account team is not in the plan")
	}
	multi := plan.Items[mi]
	if multi.After != string(other)+";"+string(to.ID) {
		t.Errorf("the plan writes %q to the account team %q", multi.After, multi.Before)
	}
	edited := teamValue // a third owner added after the plan
	if _, err := e.client.BatchUpdateRecords(ctx, multi.Type, []hubspot.RecordInput{{ID: multi.RecordID, Properties: hubspot.Properties{multi.Property: edited}}}); err != nil {
		t.Fatal(err)
	}

	id, err := e.p.RecordReassign(ctx, plan)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.p.Run(ctx, id, nil)
	if err != nil || res.Done != plan.Count() {
		t.Fatalf("run: %+v, %v", res, err)
	}
	for _, it := range plan.Items {
		got := e.itemValue(t, it)
		wantValue := it.AfterValue()
		if it.RecordID == multi.RecordID && it.Property == multi.Property {
			wantValue = replaceOwner(store.SplitOwnerIDs(edited, true), src, to.ID)
		}
		if got != wantValue {
			t.Errorf("%s %s %s: sandbox holds %q, want %q", it.ObjectType(), it.Record(), it.PropertyName(), got, wantValue)
		}
		if m := mirrorValue(t, e.p, it); m != wantValue {
			t.Errorf("%s %s %s: mirror holds %q, want %q", it.ObjectType(), it.Record(), it.PropertyName(), m, wantValue)
		}
	}
	if left, _ := e.p.mirror.OwnerHoldings(ctx, src); len(left) != 0 {
		t.Errorf("after the handover the mirror still shows %s holding %+v", src, left)
	}
	if states := e.journalAgrees(t, e.p, id); states[store.ItemDone] != plan.Count() {
		t.Errorf("journal: %v", states)
	}
	items, _ := e.p.JobItems(ctx, id)
	for _, r := range items {
		if _, _, prop := parseSubject(r.SubjectID); prop == multi.Property && strings.Contains(r.SubjectID, string(multi.RecordID)) {
			if o := string(r.Outcome); !strings.Contains(o, `"read":"`+edited+`"`) {
				t.Errorf("the journal does not hold the value read before the write: %s", o)
			}
		}
	}
	assertOutcomesTrue(t, e.p)

	undo, err := e.p.PlanUndo(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if undo.Count() != plan.Count() || len(undo.PerType) != len(want) {
		t.Fatalf("undo plan: %d items over %v, want %d", undo.Count(), planTypes(undo), plan.Count())
	}
	uid, err := e.p.RecordUndo(ctx, undo)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := e.p.Run(ctx, uid, nil); err != nil || res.Done != undo.Count() {
		t.Fatalf("undo run: %+v, %v", res, err)
	}
	for _, it := range plan.Items {
		wantValue := it.BeforeValue()
		if it.RecordID == multi.RecordID && it.Property == multi.Property {
			wantValue = edited // src back where to stood, the added owner kept
		}
		if got := e.itemValue(t, it); got != wantValue {
			t.Errorf("after undo %s %s %s: sandbox holds %q, want %q", it.ObjectType(), it.Record(), it.PropertyName(), got, wantValue)
		}
	}
	jobs, err := e.p.JobHistory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		if j.ID == id && (j.Status() != StatusUndone || j.Undo.Back != plan.Count()) {
			t.Errorf("job after undo: %s (%+v)", j.Outcome(), j.Undo)
		}
	}
	assertOutcomesTrue(t, e.p)
}

// TestReassignUndoRefusesDeactivatedAcrossTypes: a deactivated owner's
// records of every type cannot go back to them; the undo plan lists them
// all as refused and sends nothing, or gives them to another owner.
func TestReassignUndoRefusesDeactivatedAcrossTypes(t *testing.T) {
	e := newTypesEnv(t)
	ctx := context.Background()
	f := e.sb.Fixtures()
	to := otherOwner(t, e.p, f.ArchivedOwner)
	plan, err := e.p.PlanReassign(ctx, ReassignRequest{From: string(f.ArchivedOwner), To: string(to.ID), Objects: []hubspot.ObjectType{"companies", "deals", "tickets"}})
	if err != nil {
		t.Fatal(err)
	}
	id, res := runPlan(t, e.p, plan)
	if res.Done != plan.Count() || plan.Count() == 0 {
		t.Fatalf("run: %+v of %d", res, plan.Count())
	}
	undo, err := e.p.PlanUndo(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if undo.Count() != 0 || undo.RefusedCount() != plan.Count() {
		t.Fatalf("undo to a deactivated owner: %d items, %d refused, want 0 and %d", undo.Count(), undo.RefusedCount(), plan.Count())
	}
	if _, err := e.p.RecordUndo(ctx, undo); err == nil || !strings.Contains(err.Error(), Plural(plan.Count(), "change")+" cannot go back") {
		t.Errorf("recording an undo that sends nothing: %v", err)
	}
	third := otherOwner(t, e.p, f.ArchivedOwner, to.ID)
	others, err := e.p.PlanUndoWith(ctx, id, UndoOptions{OthersTo: string(third.ID)})
	if err != nil || others.Count() != plan.Count() {
		t.Fatalf("--others-to: %d items, %v", others.Count(), err)
	}
	uid, err := e.p.RecordUndo(ctx, others)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := e.p.Run(ctx, uid, nil); err != nil || res.Done != plan.Count() {
		t.Fatalf("undo run: %+v, %v", res, err)
	}
	for _, it := range plan.Items {
		if v := e.itemValue(t, it); !it.Multi && v != string(third.ID) || it.Multi && !strings.Contains(v, string(third.ID)) {
			t.Errorf("%s %s %s: %q after the undo to %s", it.ObjectType(), it.Record(), it.PropertyName(), v, third.ID)
		}
	}
	assertOutcomesTrue(t, e.p)
}
