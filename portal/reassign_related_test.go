package portal

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// relatedCompany is a company of the mirror with at least deals deals and
// a ticket and a contact associated.
func relatedCompany(t *testing.T, e *env, deals int) (company hubspot.RecordID, dealIDs, tickets, contacts []hubspot.RecordID) {
	t.Helper()
	ctx := context.Background()
	ids, err := e.p.mirror.RecordIDs(ctx, hubspot.ObjectCompanies, "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		d, _ := e.p.mirror.Associated(ctx, hubspot.ObjectCompanies, id, hubspot.ObjectDeals)
		tk, _ := e.p.mirror.Associated(ctx, hubspot.ObjectCompanies, id, hubspot.ObjectTickets)
		c, _ := e.p.mirror.Associated(ctx, hubspot.ObjectCompanies, id, hubspot.ObjectContacts)
		if len(d) >= deals && len(tk) > 0 && len(c) > 0 {
			return id, d, tk, c
		}
	}
	t.Fatal("no company with enough associated records")
	return
}

func (e *env) setProps(t *testing.T, typ hubspot.ObjectType, id hubspot.RecordID, props hubspot.Properties) {
	t.Helper()
	ctx := context.Background()
	if typ == hubspot.ObjectContacts {
		if _, err := e.client.BatchUpdateContacts(ctx, []hubspot.BatchInput{{ID: hubspot.ContactID(id), Properties: props}}); err != nil {
			t.Fatal(err)
		}
		return
	}
	if _, err := e.client.BatchUpdateRecords(ctx, typ, []hubspot.RecordInput{{ID: id, Properties: props}}); err != nil {
		t.Fatal(err)
	}
}

// TestReassignWithRelated moves a marked company with its open deals and
// tickets and its contacts that the same owner holds; a closed deal, and a
// deal someone else holds, stay.
func TestReassignWithRelated(t *testing.T) {
	cfg := typesConfig()
	cfg.Deals = 720 // several deals a company
	e := newEnv(t, cfg, nil)
	e.sync(t)
	ctx := context.Background()
	src := e.sb.Fixtures().ActiveOwner
	to := otherOwner(t, e.p, src)
	other := otherOwner(t, e.p, src, to.ID).ID
	company, deals, tickets, contacts := relatedCompany(t, e, 3)
	open, closed, elsewhere := deals[0], deals[1], deals[2]
	e.setProps(t, hubspot.ObjectCompanies, company, hubspot.Properties{hubspot.PropOwnerID: string(src)})
	e.setProps(t, hubspot.ObjectDeals, open, hubspot.Properties{hubspot.PropOwnerID: string(src), "pipeline": "default", "dealstage": "appointmentscheduled"})
	e.setProps(t, hubspot.ObjectDeals, closed, hubspot.Properties{hubspot.PropOwnerID: string(src), "pipeline": "default", "dealstage": "closedwon"})
	e.setProps(t, hubspot.ObjectDeals, elsewhere, hubspot.Properties{hubspot.PropOwnerID: string(other), "pipeline": "default", "dealstage": "appointmentscheduled"})
	e.setProps(t, hubspot.ObjectTickets, tickets[0], hubspot.Properties{hubspot.PropOwnerID: string(src), "hs_pipeline": "0", "hs_pipeline_stage": "1"})
	e.setProps(t, hubspot.ObjectContacts, contacts[0], hubspot.Properties{hubspot.PropOwnerID: string(src)})
	e.sync(t)

	req := ReassignRequest{Records: []RecordRef{{Type: hubspot.ObjectCompanies, ID: company}}, To: string(to.ID)}
	alone, err := e.p.PlanReassign(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if alone.Count() != 1 || len(alone.Related) != 0 {
		t.Fatalf("without related records the plan is %d items, %v", alone.Count(), alone.Related)
	}
	req.WithRelated = true
	plan, err := e.p.PlanReassign(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	want := map[RecordRef]bool{
		{Type: hubspot.ObjectCompanies, ID: company}: true, {Type: hubspot.ObjectDeals, ID: open}: true,
		{Type: hubspot.ObjectTickets, ID: tickets[0]}: true, {Type: hubspot.ObjectContacts, ID: contacts[0]}: true,
	}
	related := 0
	for _, it := range plan.Items {
		if !want[it.Ref()] {
			t.Errorf("the plan moves %s %s (%s), which is not the company's open record of the same owner", it.ObjectType(), it.Record(), it.PropertyName())
		}
		if it.Related != (it.ObjectType() != hubspot.ObjectCompanies) {
			t.Errorf("%s %s: related %v", it.ObjectType(), it.Record(), it.Related)
		}
		if it.Related {
			related++
		}
	}
	got := map[RecordRef]bool{}
	for _, it := range plan.Items {
		got[it.Ref()] = true
	}
	for ref := range want {
		if !got[ref] {
			t.Errorf("the plan leaves out %s %s", ref.Type, ref.ID)
		}
	}
	n := 0
	for _, c := range plan.Related {
		n += c.Count
	}
	if n != related || !slices.ContainsFunc(plan.Notes, func(s string) bool { return strings.Contains(s, "with related records: "+Plural(related, "change")) }) {
		t.Errorf("related counts %v, notes %q", plan.Related, plan.Notes)
	}
	if _, res := runPlan(t, e.p, plan); res.Done != plan.Count() {
		t.Fatalf("run: %+v", res)
	}
	for ref, owner := range map[RecordRef]hubspot.OwnerID{
		{Type: hubspot.ObjectDeals, ID: open}: to.ID, {Type: hubspot.ObjectDeals, ID: closed}: src, {Type: hubspot.ObjectDeals, ID: elsewhere}: other,
		{Type: hubspot.ObjectTickets, ID: tickets[0]}: to.ID, {Type: hubspot.ObjectContacts, ID: contacts[0]}: to.ID, {Type: hubspot.ObjectCompanies, ID: company}: to.ID,
	} {
		if v := e.sandboxValue(t, ref.Type, ref.ID, hubspot.PropOwnerID); v != string(owner) {
			t.Errorf("%s %s: owner %s, want %s", ref.Type, ref.ID, v, owner)
		}
	}
}

// runPlan records plan and runs it to the end.
func runPlan(t testing.TB, p *Portal, plan ReassignPlan) (int64, JobResult) {
	t.Helper()
	ctx := context.Background()
	id, err := p.RecordReassign(ctx, plan)
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(ctx, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	return id, res
}

// TestReassignSkipClosedDeals leaves an owner's closed deals out when
// asked, and says how many; by default they are included and counted.
func TestReassignSkipClosedDeals(t *testing.T) {
	e := newTypesEnv(t)
	ctx := context.Background()
	src := e.sb.Fixtures().ActiveOwner
	to := otherOwner(t, e.p, src)
	holdings, err := e.p.mirror.OwnerHoldings(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	var deals store.Holding
	for _, h := range holdings {
		if h.Type == hubspot.ObjectDeals && h.Property == hubspot.PropOwnerID {
			deals = h
		}
	}
	closed := deals.Count - deals.Open
	if closed == 0 {
		t.Fatal("the source holds no closed deal")
	}
	req := ReassignRequest{From: string(src), To: string(to.ID), Objects: []hubspot.ObjectType{"deals"}, Properties: []string{hubspot.PropOwnerID}}
	all, err := e.p.PlanReassign(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if all.Count() != deals.Count || all.ClosedDeals != closed || all.ClosedDealsLeftOut != 0 {
		t.Errorf("default plan: %d deals, %d closed, %d left out; want %d, %d", all.Count(), all.ClosedDeals, all.ClosedDealsLeftOut, deals.Count, closed)
	}
	req.SkipClosedDeals = true
	open, err := e.p.PlanReassign(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if open.Count() != deals.Open || open.ClosedDeals != 0 || open.ClosedDealsLeftOut != closed {
		t.Errorf("--skip-closed-deals plan: %d deals, %d closed, %d left out; want %d, 0, %d", open.Count(), open.ClosedDeals, open.ClosedDealsLeftOut, deals.Open, closed)
	}
	for _, it := range open.Items {
		if it.Closed {
			t.Errorf("deal %s is closed but in the plan", it.RecordID)
		}
	}
	if !slices.ContainsFunc(open.Notes, func(s string) bool { return strings.Contains(s, Plural(closed, "closed deal")+" left out") }) {
		t.Errorf("notes %q", open.Notes)
	}
}

// TestReassignUnknownTypeOrProperty names what is wrong and suggests the
// nearest name.
func TestReassignUnknownTypeOrProperty(t *testing.T) {
	e := newTypesEnv(t)
	ctx := context.Background()
	src := e.sb.Fixtures().ActiveOwner
	to := otherOwner(t, e.p, src)
	for _, c := range []struct {
		req  ReassignRequest
		want string
	}{
		{ReassignRequest{Objects: []hubspot.ObjectType{"dels"}}, `unknown object type "dels"; did you mean deals?`},
		{ReassignRequest{Properties: []string{"acount_team"}}, `no owner property "acount_team"`},
		{ReassignRequest{Properties: []string{"acount_team"}}, `did you mean account_team?`},
	} {
		c.req.From, c.req.To = string(src), string(to.ID)
		_, err := e.p.PlanReassign(ctx, c.req)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.req, err, c.want)
		}
	}
	// A custom object by its type ID or its name.
	for _, name := range []hubspot.ObjectType{hubspot.ObjectType(e.sb.CustomObjectTypeID()), "projects", "Project"} {
		plan, err := e.p.PlanReassign(ctx, ReassignRequest{From: string(src), To: string(to.ID), Objects: []hubspot.ObjectType{name}})
		if err != nil || len(plan.PerType) != 1 || string(plan.PerType[0].Type) != e.sb.CustomObjectTypeID() {
			t.Errorf("--objects %s: %v, %v", name, planTypes(plan), err)
		}
	}
}
